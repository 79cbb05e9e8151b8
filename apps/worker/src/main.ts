import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DefaultLogger, Runtime, type LogLevel as SdkLogLevel } from '@temporalio/worker';
import { loadEnv, type DubanEnv } from '@duban/config';
import { JsonLogger, nestLogger, type DubanLogLevel } from '../../../libs/logging/src';
import { createDubanWorker, startWorkerHealthServer } from './worker';

const SDK_LEVEL: Record<DubanLogLevel, SdkLogLevel> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
};
const FROM_SDK: Record<SdkLogLevel, DubanLogLevel> = {
  TRACE: 'debug',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Routes the Temporal SDK's own logs (worker state, task failures) through the JSON format. */
function installSdkLogger(env: DubanEnv): void {
  if (env.LOG_FORMAT !== 'json') return;
  const json = new JsonLogger('worker', env.LOG_LEVEL);
  Runtime.install({
    logger: new DefaultLogger(SDK_LEVEL[env.LOG_LEVEL], (entry) =>
      json.record(FROM_SDK[entry.level], entry.message, {
        context: 'TemporalSDK',
        ...(entry.meta ?? {}),
      }),
    ),
  });
}

async function main(): Promise<void> {
  const env = loadEnv();
  installSdkLogger(env);
  const logger = nestLogger('worker', env.LOG_FORMAT, env.LOG_LEVEL);
  if (!Array.isArray(logger)) Logger.overrideLogger(logger);
  const log = new Logger('Worker');
  const duban = await createDubanWorker(env, {}, { logger });
  const health =
    env.WORKER_HEALTH_PORT !== undefined
      ? await startWorkerHealthServer(duban.worker, env.WORKER_HEALTH_PORT)
      : undefined;
  // The SDK installs its own SIGINT/SIGTERM handlers: it stops polling at once, lets in-flight
  // workflow and activity tasks finish (activities for up to SHUTDOWN_GRACE_MS), and run() then
  // resolves; we close the connection and the Nest context and exit 0.
  process.once('SIGTERM', () => log.log('SIGTERM: draining in-flight tasks'));
  log.log(
    `polling ${env.TEMPORAL_TASK_QUEUE} on ${env.TEMPORAL_ADDRESS} (${env.TEMPORAL_NAMESPACE})` +
      (health ? `, health on :${health.port}` : ''),
  );
  await duban.run();
  await duban.shutdown();
  await health?.close();
  log.log('stopped');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

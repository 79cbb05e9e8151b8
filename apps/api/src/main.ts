import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadEnv } from '@duban/config';
import { nestLogger } from '../../../libs/logging/src';
import { createApiApp } from './app';

async function bootstrap(): Promise<void> {
  const env = loadEnv();
  const logger = nestLogger('api', env.LOG_FORMAT, env.LOG_LEVEL);
  if (!Array.isArray(logger)) Logger.overrideLogger(logger);
  const app = await createApiApp(env);
  if (!Array.isArray(logger)) app.useLogger(logger);

  // createApiApp enables Nest's shutdown hooks, which re-raise the signal after closing and so
  // end the process "killed by SIGTERM". Production wants a clean exit 0 after draining, so main
  // owns the signals: stop accepting connections, let in-flight requests finish (Node's
  // server.close waits for them and drops idle keep-alive sockets), run the shutdown hooks
  // (database pool, Temporal connection), exit. A request still running after the grace period
  // does not hold the pod forever.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.removeAllListeners(signal);
  const graceMs = env.SHUTDOWN_GRACE_MS ?? 25_000;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    Logger.log(`${signal}: draining in-flight requests`, 'Bootstrap');
    const timer = setTimeout(() => {
      Logger.error(`still draining after ${graceMs} ms; exiting`, '', 'Bootstrap');
      process.exit(1);
    }, graceMs);
    timer.unref();
    app.close().then(
      () => {
        Logger.log('stopped', 'Bootstrap');
        process.exit(0);
      },
      (error: unknown) => {
        Logger.error(error instanceof Error ? error.message : String(error), '', 'Bootstrap');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await app.listen(env.PORT);
  Logger.log(`Duban API listening on port ${env.PORT}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

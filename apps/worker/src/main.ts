import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadEnv } from '@duban/config';
import { createDubanWorker } from './worker';

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = new Logger('Worker');
  const duban = await createDubanWorker(env);
  // The SDK installs its own SIGINT/SIGTERM handlers that begin a graceful shutdown; run() then
  // resolves once in-flight tasks are done, and we close the connection and the Nest context.
  logger.log(`polling task queue on ${env.TEMPORAL_ADDRESS} (${env.TEMPORAL_NAMESPACE})`);
  await duban.run();
  await duban.shutdown();
  logger.log('stopped');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

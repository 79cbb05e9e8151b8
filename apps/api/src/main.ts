import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadEnv } from '@duban/config';
import { createApiApp } from './app';

async function bootstrap(): Promise<void> {
  const env = loadEnv();
  const app = await createApiApp(env);
  await app.listen(env.PORT);
  Logger.log(`Duban API listening on port ${env.PORT}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

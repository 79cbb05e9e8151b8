import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type INestApplication, Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { loadEnv } from '@duban/config';
import { nestLogger } from '../../../libs/logging/src';
import { createApiApp } from './app';

/**
 * Serves the built web UI (apps/web/dist, or WEB_DIST_DIR in an image) with the SPA fallback.
 * apps/web/serve-static.ts does the same for tests, but apps/web is not compiled into dist/, so
 * the production entry point carries its own few lines.
 */
function serveWebUi(app: INestApplication): string | null {
  const dir = [process.env.WEB_DIST_DIR, resolve(process.cwd(), 'apps', 'web', 'dist')].find(
    (d): d is string => Boolean(d) && existsSync(join(d!, 'index.html')),
  );
  if (!dir) return null;
  const express = app as NestExpressApplication;
  express.useStaticAssets(dir, {
    index: false,
    setHeaders(res: Response, path: string) {
      res.setHeader(
        'Cache-Control',
        path.startsWith(join(dir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  express.use((req: Request, res: Response, next: NextFunction) => {
    const isPage =
      (req.method === 'GET' || req.method === 'HEAD') &&
      !req.path.startsWith('/api/') &&
      req.path !== '/api' &&
      !/\.[a-z0-9]+$/i.test(req.path);
    if (!isPage) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
  return dir;
}

async function bootstrap(): Promise<void> {
  const env = loadEnv();
  const logger = nestLogger('api', env.LOG_FORMAT, env.LOG_LEVEL);
  if (!Array.isArray(logger)) Logger.overrideLogger(logger);
  const app = await createApiApp(env);
  if (!Array.isArray(logger)) app.useLogger(logger);
  const ui = serveWebUi(app);

  // createApiApp enables Nest's shutdown hooks, which re-raise the signal after closing and so
  // end the process "killed by SIGTERM". Production wants a clean exit 0 after draining, so main
  // owns the signals: stop accepting connections, let in-flight requests finish (Node's
  // server.close waits for them and drops idle keep-alive sockets), run the shutdown hooks
  // (database pool, Temporal connection), exit. A request still running after the grace period
  // does not hold the pod forever.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.removeAllListeners(signal);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    Logger.log(`${signal}: draining in-flight requests`, 'Bootstrap');
    const timer = setTimeout(() => {
      Logger.error(`still draining after ${env.SHUTDOWN_GRACE_MS} ms; exiting`, '', 'Bootstrap');
      process.exit(1);
    }, env.SHUTDOWN_GRACE_MS);
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
  Logger.log(
    `Duban API listening on port ${env.PORT}${ui ? `, web UI from ${ui}` : ''}`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

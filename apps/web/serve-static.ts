import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Where `node apps/web/build.mjs` (vite build) writes the UI, from source or from a compiled copy. */
export function findWebDist(): string | null {
  const candidates = [resolve(__dirname, 'dist'), resolve(process.cwd(), 'apps', 'web', 'dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/**
 * Serves the built web UI at `/` from the Nest (Express) app, with the SPA fallback: any GET for
 * a page (not under /api, not a file) answers index.html so deep links such as
 * /task-quarters/tq%3A2026-jianghai%3A36.1%3AQ4 survive a reload. Call before `app.listen()`.
 * Returns the directory served, or null when the UI has not been built (the API still works).
 */
export function serveWebUi(
  app: INestApplication,
  distDir: string | null = findWebDist(),
): string | null {
  if (!distDir || !existsSync(join(distDir, 'index.html'))) return null;
  const express = app as NestExpressApplication;
  express.useStaticAssets(distDir, {
    index: false,
    setHeaders(res: Response, path: string) {
      // Asset names carry a content hash; index.html must always be fetched fresh.
      res.setHeader(
        'Cache-Control',
        path.startsWith(join(distDir, 'assets'))
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  const indexHtml = join(distDir, 'index.html');
  express.use((req: Request, res: Response, next: NextFunction) => {
    const isPage =
      (req.method === 'GET' || req.method === 'HEAD') &&
      !req.path.startsWith('/api/') &&
      req.path !== '/api' &&
      !/\.[a-z0-9]+$/i.test(req.path);
    if (!isPage) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return distDir;
}

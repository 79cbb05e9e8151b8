// Builds the web UI to apps/web/dist with Vite's JS API: `node apps/web/build.mjs`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
await build({
  configFile: join(here, 'vite.config.mts'),
  logLevel: process.env.VITE_LOG_LEVEL ?? 'info',
});

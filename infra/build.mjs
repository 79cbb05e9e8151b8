#!/usr/bin/env node
// Builds dist/: every TypeScript source transpiled by swc (aliases rewritten to relative paths),
// and the prebuilt workflow bundle that production workers load. Type checking is `npm run lint`'s
// job, so the build stays a few seconds long.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const started = Date.now();

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: ${cmd} ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

const stampPath = join(dist, '.build-stamp');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

// `--if-stale`: nothing to do when dist/ is newer than every source (the command line, the fault
// suite and the production test call the build this way before they run from dist/).
if (process.argv.includes('--if-stale') && existsSync(stampPath)) {
  const built = statSync(stampPath).mtimeMs;
  const fresh =
    existsSync(join(dist, 'workflow-bundle.js')) &&
    ['apps', 'libs', 'workflows'].every((d) => newestSource(join(root, d)) <= built);
  if (fresh) process.exit(0);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
run(process.execPath, [
  join(root, 'node_modules/@swc/cli/bin/swc.js'),
  'apps',
  'libs',
  'workflows',
  '-d',
  'dist',
  '--ignore',
  // The UI's sources are Vite's; only its static-file middleware runs inside the API.
  '**/*.spec.ts,apps/web/src/**,apps/web/dist/**',
  '--quiet',
]);
if (existsSync(join(dist, 'libs/temporal/src/bundle-workflows.js'))) {
  run(process.execPath, [
    join(dist, 'libs/temporal/src/bundle-workflows.js'),
    join(dist, 'workflow-bundle.js'),
  ]);
}
// The browser UI (Vite) unless asked not to: the command line does not need it.
if (!process.argv.includes('--no-web')) {
  run(process.execPath, [join(root, 'apps/web/build.mjs')]);
}
writeFileSync(stampPath, new Date().toISOString());
console.log(`build: dist/ ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

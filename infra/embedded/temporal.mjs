// The Temporal dev server (`temporal server start-dev`) with Duban's custom search attributes.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  assertPortFree,
  defaultNamespace,
  host,
  httpUrl,
  searchAttributes,
  temporalAddress,
} from './config.mjs';
import { ManagedProcess } from './supervisor.mjs';

/** Runs one `temporal` CLI command; resolves with stdout, rejects with its stderr. */
function cli(cliPath, args, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    execFile(cliPath, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error)
        reject(
          new Error(`temporal ${args.slice(0, 3).join(' ')}: ${(stderr || error.message).trim()}`),
        );
      else resolve(stdout);
    });
  });
}

/** The search-attribute type names `operator search-attribute list -o json` reports, by CLI type name. */
const indexedValueType = {
  Text: 'INDEXED_VALUE_TYPE_TEXT',
  Keyword: 'INDEXED_VALUE_TYPE_KEYWORD',
  Int: 'INDEXED_VALUE_TYPE_INT',
  Double: 'INDEXED_VALUE_TYPE_DOUBLE',
  Bool: 'INDEXED_VALUE_TYPE_BOOL',
  Datetime: 'INDEXED_VALUE_TYPE_DATETIME',
  KeywordList: 'INDEXED_VALUE_TYPE_KEYWORD_LIST',
};

/**
 * Makes sure every Duban search attribute is registered with its type. `start-dev
 * --search-attribute` only registers them when it creates the database file, so attributes added
 * to the list later (or an existing .data/temporal.db) need `operator search-attribute create`.
 */
export async function ensureSearchAttributes(cliPath, address, namespace) {
  const connection = ['--address', address, '--namespace', namespace];
  const listed = JSON.parse(
    await cli(cliPath, ['operator', 'search-attribute', 'list', ...connection, '--output', 'json']),
  );
  const existing = listed.customAttributes ?? {};
  for (const [name, type] of Object.entries(searchAttributes)) {
    if (existing[name] === undefined) {
      await cli(cliPath, [
        'operator',
        'search-attribute',
        'create',
        '--name',
        name,
        '--type',
        type,
        ...connection,
      ]);
    } else if (existing[name] !== indexedValueType[type]) {
      throw new Error(
        `search attribute ${name} is registered as ${existing[name]}, Duban needs ${type}; use a new database file`,
      );
    }
  }
}

/**
 * Polls the frontend until the namespace answers, failing early when the server process dies.
 * Exported so that an external cluster (TEMPORAL_ADDRESS) can be checked the same way.
 */
export async function waitForNamespace(
  cliPath,
  address,
  namespace,
  { deadlineMs = 60_000, server } = {},
) {
  const deadline = Date.now() + deadlineMs;
  let lastError;
  while (Date.now() < deadline) {
    if (server && !server.running) {
      throw new Error(
        `temporal dev server exited during start-up (${server.describeExit()}):\n${server.tail()}`,
      );
    }
    try {
      await cli(
        cliPath,
        ['operator', 'namespace', 'describe', '--namespace', namespace, '--address', address],
        5_000,
      );
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(
    `Temporal at ${address} did not answer for namespace ${namespace} within ${deadlineMs} ms: ${lastError?.message}` +
      (server ? `\n${server.tail()}` : ''),
  );
}

/**
 * Starts `temporal server start-dev` and resolves once the namespace answers and the search
 * attributes are registered.
 *
 * @param {{ cliPath: string, dbFile?: string, temporary?: boolean, port: number, uiPort?: number, headless?: boolean, namespace?: string, output?: 'prefix' | 'quiet', startTimeoutMs?: number }} options
 * @returns {Promise<{ address: string, namespace: string, uiUrl: string | undefined, stop(): Promise<void>, exited: Promise<unknown> }>}
 */
export async function startTemporal({
  cliPath,
  dbFile,
  temporary = false,
  port,
  uiPort,
  headless = false,
  namespace = defaultNamespace,
  output = 'prefix',
  startTimeoutMs = 60_000,
}) {
  await assertPortFree(port, 'TEMPORAL_PORT');
  if (!headless) await assertPortFree(uiPort, 'TEMPORAL_UI_PORT');
  let tempDir;
  let dbFilename = dbFile;
  if (temporary) {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'duban-temporal-'));
    dbFilename = path.join(tempDir, 'temporal.db');
  }
  if (!dbFilename) throw new Error('startTemporal: dbFile is required unless temporary');
  await fs.mkdir(path.dirname(dbFilename), { recursive: true });

  const address = temporalAddress(port);
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    dbFilename,
    '--ip',
    host,
    '--port',
    String(port),
    ...(headless ? ['--headless'] : ['--ui-port', String(uiPort)]),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    ...Object.entries(searchAttributes).flatMap(([name, type]) => [
      '--search-attribute',
      `${name}=${type}`,
    ]),
  ];
  const server = new ManagedProcess('temporal', cliPath, args, {
    output,
    stopSignal: 'SIGTERM',
    graceMs: 15_000,
    // A stopping dev server logs a burst of "context canceled" errors that mean nothing.
    quietWhileStopping: true,
  });

  const cleanup = async () => {
    await server.stop();
    if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
  };
  try {
    await waitForNamespace(cliPath, address, namespace, { deadlineMs: startTimeoutMs, server });
    await ensureSearchAttributes(cliPath, address, namespace);
  } catch (error) {
    await cleanup();
    throw error;
  }

  return {
    address,
    namespace,
    uiUrl: headless ? undefined : httpUrl(uiPort),
    dbFile: dbFilename,
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

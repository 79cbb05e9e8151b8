// `npm start`: the whole of Duban on one machine. Installs what is missing, starts Postgres and the
// Temporal dev server (unless DATABASE_URL / TEMPORAL_ADDRESS point elsewhere), migrates, loads the
// demo organisation and seed plan, runs the worker and the API, and stops all of it on Ctrl-C.
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  apiPort,
  defaultDemoPassword,
  defaultNamespace,
  httpUrl,
  paths,
  postgresPort,
  repoRoot,
  temporalPorts,
} from './config.mjs';
import { startPostgres } from './postgres.mjs';
import { Supervisor } from './supervisor.mjs';
import { startTemporal } from './temporal.mjs';
import { ensureNodeModules, ensureTemporalCli, log, phase } from './tools.mjs';

const HEALTH_DEADLINE_MS = 120_000;

class Interrupted extends Error {}

/** Hides the password of a connection string before it is printed. */
function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

async function waitForHealth(url, supervisor) {
  const deadline = Date.now() + HEALTH_DEADLINE_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (supervisor.shuttingDown) throw new Interrupted();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `${url} did not answer 200 within ${HEALTH_DEADLINE_MS / 1000} s (last: ${last})`,
  );
}

/** The demo units' account prefixes, asked from the running API; the banner falls back to the pattern. */
async function demoUnitCodes(port, password) {
  try {
    const login = await fetch(httpUrl(port, '/api/auth/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'office', password }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!login.ok) return [];
    const { accessToken } = await login.json();
    const units = await fetch(httpUrl(port, '/api/units?pageSize=500'), {
      headers: { authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(5_000),
    });
    if (!units.ok) return [];
    const { items } = await units.json();
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}

function printBanner({ port, temporal, databaseUrl, demoPassword, units }) {
  const lines = [
    '',
    'Duban 督办 is running.',
    '',
    `  Web UI            ${httpUrl(port, '/')}`,
    `  API docs          ${httpUrl(port, '/api/docs')}`,
    `  Temporal UI       ${temporal.uiUrl ?? `(external cluster at ${temporal.address})`}`,
    `  Temporal          ${temporal.address}  namespace ${temporal.namespace}`,
    `  Database          ${redact(databaseUrl)}`,
    '',
    `Demo accounts (password: ${demoPassword}):`,
    '  office            区督查室 (supervision office)',
    '  leader            district leadership',
    '  auditor           replays and audits, read-only',
    '  admin             administration',
    '  <unitCode>.staff  reports for a unit',
    '  <unitCode>.head   approves a unit’s reports',
  ];
  if (units.length > 0) {
    lines.push('', 'Unit codes:');
    const width = Math.max(...units.map((unit) => String(unit.code).length)) + 2;
    for (const unit of units) lines.push(`  ${String(unit.code).padEnd(width)}${unit.name ?? ''}`);
  }
  lines.push('', 'Press Ctrl-C to stop everything.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(supervisor) {
  const checkInterrupted = () => {
    if (supervisor.shuttingDown) throw new Interrupted();
  };

  await phase('dependencies', () => ensureNodeModules());
  checkInterrupted();

  if (!existsSync(path.join(repoRoot, 'infra', 'build.mjs'))) {
    throw new Error(
      'infra/build.mjs is missing: this checkout has no build script, so dist/ cannot be built',
    );
  }
  await phase('build', () =>
    supervisor.run('build', 'npm', ['run', '--silent', 'build'], { cwd: repoRoot }),
  );
  checkInterrupted();

  const port = apiPort();
  const namespace = process.env.TEMPORAL_NAMESPACE || defaultNamespace;

  const databaseUrl = process.env.DATABASE_URL
    ? (log(`using the external database ${redact(process.env.DATABASE_URL)}`),
      process.env.DATABASE_URL)
    : await phase('postgres', async () => {
        const postgres = await startPostgres({ dataDir: paths.postgresData, port: postgresPort() });
        supervisor.add('postgres', postgres);
        return postgres.databaseUrl;
      });
  checkInterrupted();

  let temporal;
  if (process.env.TEMPORAL_ADDRESS) {
    temporal = { address: process.env.TEMPORAL_ADDRESS, namespace, uiUrl: undefined };
    log(`using the external Temporal at ${temporal.address}, namespace ${namespace}`);
  } else {
    const cliPath = await phase('temporal CLI', () => ensureTemporalCli());
    checkInterrupted();
    temporal = await phase('temporal dev server', async () => {
      const { port: temporalPort, uiPort } = temporalPorts();
      const server = await startTemporal({
        cliPath,
        dbFile: paths.temporalDb,
        port: temporalPort,
        uiPort,
        namespace,
      });
      supervisor.add('temporal', server);
      return server;
    });
  }
  checkInterrupted();

  const demoPassword = process.env.DEMO_PASSWORD || defaultDemoPassword;
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    PORT: String(port),
    DEMO_PASSWORD: demoPassword,
  };
  const duban = path.join(repoRoot, 'bin', 'duban');
  await phase('migrations', () =>
    supervisor.run('migrate', process.execPath, [duban, 'db', 'migrate'], { env, cwd: repoRoot }),
  );
  checkInterrupted();
  await phase('demo data', () =>
    supervisor.run('demo', process.execPath, [duban, 'demo', 'load'], { env, cwd: repoRoot }),
  );
  checkInterrupted();

  await phase('worker and API', async () => {
    supervisor.spawn(
      'worker',
      process.execPath,
      [path.join(repoRoot, 'dist/apps/worker/src/main.js')],
      { env, cwd: repoRoot },
    );
    supervisor.spawn('api', process.execPath, [path.join(repoRoot, 'dist/apps/api/src/main.js')], {
      env,
      cwd: repoRoot,
    });
    await waitForHealth(httpUrl(port, '/api/health'), supervisor);
  });

  printBanner({
    port,
    temporal,
    databaseUrl,
    demoPassword,
    units: await demoUnitCodes(port, demoPassword),
  });
}

const supervisor = new Supervisor();
supervisor.installSignalHandlers();
try {
  await main(supervisor);
} catch (error) {
  // A step that fails because Ctrl-C stopped it is not news.
  if (!(error instanceof Interrupted) && !supervisor.shuttingDown) {
    log(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    void supervisor.shutdown(1);
  }
}
process.exitCode = await supervisor.finished;
// Anything still holding the event loop (a stray timer, a socket) must not keep us alive after Ctrl-C.
process.exit(process.exitCode);

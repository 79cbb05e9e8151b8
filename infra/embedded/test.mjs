// `npm test`: every tier against a throw-away Postgres and Temporal dev server on free ports (or the
// external ones named by DATABASE_URL / TEMPORAL_ADDRESS). Arguments after `npm test --` go to jest.
// Exits with jest's exit code (or 1 when only lint failed); nothing it started outlives it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { defaultNamespace, freePort, repoRoot } from './config.mjs';
import { startPostgres } from './postgres.mjs';
import { Supervisor } from './supervisor.mjs';
import { startTemporal } from './temporal.mjs';
import { ensureNodeModules, ensureTemporalCli, ensureTestServer, log, phase } from './tools.mjs';

const jestArgs = process.argv.slice(2);
const skipLint = process.env.DUBAN_SKIP_LINT === '1';

class Interrupted extends Error {}

async function startServices(supervisor, cliPath) {
  const namespace = process.env.TEMPORAL_NAMESPACE || defaultNamespace;
  const database = process.env.DATABASE_URL
    ? Promise.resolve({ databaseUrl: process.env.DATABASE_URL })
    : phase('postgres (temporary)', async () => {
        const postgres = await startPostgres({
          port: await freePort(),
          temporary: true,
          output: 'quiet',
        });
        supervisor.add('postgres', postgres);
        return postgres;
      });
  const temporal = process.env.TEMPORAL_ADDRESS
    ? Promise.resolve({ address: process.env.TEMPORAL_ADDRESS, namespace })
    : phase('temporal dev server (temporary)', async () => {
        const server = await startTemporal({
          cliPath,
          temporary: true,
          port: await freePort(),
          headless: true,
          namespace,
          output: 'quiet',
        });
        supervisor.add('temporal', server);
        return server;
      });
  // Both start at once; if one fails the other is already registered and shutdown stops it.
  const [db, tq] = await Promise.allSettled([database, temporal]);
  if (db.status === 'rejected') throw db.reason;
  if (tq.status === 'rejected') throw tq.reason;
  return {
    databaseUrl: db.value.databaseUrl,
    temporalAddress: tq.value.address,
    namespace: tq.value.namespace,
  };
}

async function main(supervisor) {
  const checkInterrupted = () => {
    if (supervisor.shuttingDown) throw new Interrupted();
  };
  await phase('dependencies', () => ensureNodeModules());
  const cliPath = await phase('temporal CLI', () => ensureTemporalCli());
  const testServerPath = await phase('temporal test server', () => ensureTestServer());
  checkInterrupted();

  let lintFailed = false;
  if (skipLint) {
    log('lint skipped (DUBAN_SKIP_LINT=1)');
  } else {
    // A lint failure fails the run, but the tests still run: both results are worth seeing.
    await phase('lint', () =>
      supervisor.run('lint', 'npm', ['run', '--silent', 'lint'], {
        cwd: repoRoot,
        output: 'inherit',
      }),
    ).catch((error) => {
      if (supervisor.shuttingDown) throw new Interrupted();
      lintFailed = true;
      log(`lint failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  checkInterrupted();

  const services = await startServices(supervisor, cliPath);
  checkInterrupted();

  const jestBin = createRequire(path.join(repoRoot, 'package.json')).resolve('jest/bin/jest');
  const env = {
    ...process.env,
    DATABASE_URL: services.databaseUrl,
    TEMPORAL_ADDRESS: services.temporalAddress,
    TEMPORAL_NAMESPACE: services.namespace,
    TEMPORAL_CLI_PATH: cliPath,
    TEMPORAL_TEST_SERVER_PATH: testServerPath,
  };
  const jestCode = await phase('jest', async () => {
    const jest = supervisor.spawn('jest', process.execPath, [jestBin, '--ci', ...jestArgs], {
      env,
      cwd: repoRoot,
      output: 'inherit',
      graceMs: 5_000,
    });
    jest.expectedToExit = true; // its exit is the result, not a crash
    const { code, signal } = await jest.exited;
    if (supervisor.shuttingDown) throw new Interrupted();
    return signal ? 1 : (code ?? 1);
  });
  if (jestCode !== 0) return jestCode;
  return lintFailed ? 1 : 0;
}

const supervisor = new Supervisor();
supervisor.installSignalHandlers();
const started = Date.now();
let code;
try {
  code = await main(supervisor);
} catch (error) {
  if (!(error instanceof Interrupted) && !supervisor.shuttingDown) {
    log(
      `npm test failed before the tests ran: ${error instanceof Error ? error.message : String(error)}`,
    );
    code = 1;
  }
}
await phase('stop services', () => supervisor.shutdown(code ?? 1));
code = code ?? supervisor.exitCode ?? 1;
log(`npm test: exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(code);

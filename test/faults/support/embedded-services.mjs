// Starts one embedded service for the fault suite and keeps it up until SIGTERM/SIGINT:
//   node embedded-services.mjs postgres <port> <dataDir>   prints `READY <databaseUrl>`
//   node embedded-services.mjs temporal-cli                 prints `READY <path of the temporal CLI>`
// The suite runs Postgres through this wrapper (infra/embedded/postgres.mjs knows how to run it as
// root), and stopping the wrapper stops Postgres with a fast shutdown, as a restart would.
import { startPostgres } from '../../../infra/embedded/postgres.mjs';
import { ensureTemporalCli } from '../../../infra/embedded/tools.mjs';

const [what, ...args] = process.argv.slice(2);

if (what === 'temporal-cli') {
  process.stdout.write(`READY ${await ensureTemporalCli()}\n`);
} else if (what === 'postgres') {
  const [port, dataDir] = args;
  const pg = await startPostgres({ port: Number(port), dataDir, output: 'quiet' });
  process.stdout.write(`READY ${pg.databaseUrl}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await pg.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await pg.exited;
  if (!stopping) {
    process.stderr.write(`postgres exited: ${pg.describeExit()}\n`);
    process.exit(1);
  }
} else {
  process.stderr.write(`unknown service ${what}\n`);
  process.exit(2);
}

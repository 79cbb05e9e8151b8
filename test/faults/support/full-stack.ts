import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, Client } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { quarterOf } from '@duban/domain';
import { ActionClient } from './actions';
import { DubanProcesses, ensureBuilt } from './duban-processes';
import type { Sql } from './ledger-checks';
import { ChildService, eventually, freePort, REPO_ROOT } from './processes';
import type { ScenarioHarness } from './scenarios';

const SERVICES = join(REPO_ROOT, 'test', 'faults', 'support', 'embedded-services.mjs');
const SEARCH_ATTRIBUTES = [
  'DubanPlan=Keyword',
  'DubanTask=Keyword',
  'DubanQuarter=Int',
  'DubanStatus=Keyword',
  'DubanLamp=Keyword',
  'DubanUnits=KeywordList',
];
export const FULL_JWT_SECRET = 'faults-full-suite-secret-0123456789abcdef';
export const DEMO_PASSWORD = 'duban-demo';

async function readyLine(service: ChildService, timeoutMs: number): Promise<string> {
  return eventually(
    () => {
      const match = /READY (\S+)/.exec(service.tail(400));
      if (match) return Promise.resolve(match[1]);
      if (!service.running) throw new Error(`${service.name} exited:\n${service.tail()}`);
      return Promise.resolve(undefined);
    },
    { timeoutMs, what: `${service.name} to be ready` },
  );
}

/**
 * A whole stack of its own for the full fault suite: embedded Postgres and a Temporal dev server
 * (SQLite file in a temp dir) on free ports, each restartable on its own data, plus the worker and
 * the API from dist/, demo data loaded and this year's seed plan active for the current quarter.
 */
export class FullStack implements ScenarioHarness {
  postgres?: ChildService;
  temporalServer?: ChildService;
  temporal!: Client;
  client!: ActionClient;
  processes!: DubanProcesses;
  planId = '';
  readonly quarter = quarterOf(new Date()).quarter;
  readonly year = quarterOf(new Date()).year;
  private connection?: Connection;
  private databaseUrl = '';
  private temporalCli = '';

  private constructor(
    readonly dir: string,
    readonly pgPort: number,
    readonly temporalPort: number,
    readonly temporalUiPort: number,
  ) {}

  static async start(): Promise<FullStack> {
    await ensureBuilt();
    const dir = await mkdtemp(join(tmpdir(), 'duban-faults-'));
    await chmod(dir, 0o755); // the unprivileged postgres user must reach its data dir
    const stack = new FullStack(dir, await freePort(), await freePort(), await freePort());
    try {
      await stack.boot();
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  private async boot(): Promise<void> {
    const cli = new ChildService(
      'temporal-cli',
      process.execPath,
      [SERVICES, 'temporal-cli'],
      process.env,
    );
    this.temporalCli = await readyLine(cli, 300_000);
    await this.startPostgres();
    await this.startTemporal();
    this.processes = await DubanProcesses.create({
      DATABASE_URL: this.databaseUrl,
      TEMPORAL_ADDRESS: `127.0.0.1:${this.temporalPort}`,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'duban-faults',
      DISTRICT_CODE: 'jianghai',
      JWT_SECRET: FULL_JWT_SECRET,
    });
    for (const args of [
      ['db', 'migrate'],
      ['demo', 'load', '--no-activate', '--year', String(this.year)],
    ]) {
      const { code, output } = await this.processes.cli(args);
      if (code !== 0) throw new Error(`duban ${args.join(' ')} exited ${code}:\n${output}`);
      const plan = /seed plan (\S+):/.exec(output);
      if (plan) this.planId = plan[1];
    }
    if (!this.planId) throw new Error('demo load did not name the seed plan');
    const activation = await this.processes.cli([
      'plan',
      'activate',
      this.planId,
      '--from-quarter',
      String(this.quarter),
    ]);
    if (activation.code !== 0) throw new Error(`plan activate failed:\n${activation.output}`);
    await this.processes.startWorker();
    await this.processes.startApi();
    this.client = new ActionClient(() => this.processes.baseUrl, DEMO_PASSWORD);
  }

  async startPostgres(): Promise<void> {
    this.postgres = new ChildService(
      'postgres',
      process.execPath,
      [SERVICES, 'postgres', String(this.pgPort), join(this.dir, 'pg')],
      process.env,
    );
    const url = await readyLine(this.postgres, 120_000);
    this.databaseUrl = url;
  }

  /** Stops Postgres (fast shutdown: every connection is cut), as a restart does. */
  async stopPostgres(): Promise<void> {
    await this.postgres?.kill('SIGTERM', 60_000, false);
  }

  async startTemporal(): Promise<void> {
    this.temporalServer = new ChildService(
      'temporal',
      this.temporalCli,
      [
        'server',
        'start-dev',
        '--headless',
        '--ip',
        '127.0.0.1',
        '--port',
        String(this.temporalPort),
        '--ui-port',
        String(this.temporalUiPort),
        '--db-filename',
        join(this.dir, 'temporal.db'),
        '--log-level',
        'error',
        ...SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', a]),
      ],
      process.env,
    );
    const address = `127.0.0.1:${this.temporalPort}`;
    await eventually(
      async () => {
        if (!this.temporalServer!.running) {
          throw new Error(`temporal exited:\n${this.temporalServer!.tail()}`);
        }
        const probe = await Connection.connect({ address, connectTimeout: 2_000 });
        try {
          await probe.workflowService.describeNamespace({ namespace: 'default' });
        } finally {
          await probe.close();
        }
        return true;
      },
      { timeoutMs: 120_000, what: 'the Temporal dev server' },
    );
    if (!this.connection) {
      this.connection = await Connection.connect({ address });
      this.temporal = new Client({ connection: this.connection, namespace: 'default' });
    }
  }

  /** SIGKILLs the Temporal dev server: no shutdown, whatever SQLite has is what there is. */
  async killTemporal(): Promise<void> {
    await this.temporalServer?.kill('SIGKILL');
  }

  /** SQL on a fresh connection each time, so a Postgres restart never leaves a dead one behind. */
  readonly sql: Sql = async <T>(text: string, params?: unknown[]): Promise<T[]> => {
    const client = new PgClient({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };

  async stop(): Promise<void> {
    await this.processes?.stop();
    await this.connection?.close().catch(() => undefined);
    await this.temporalServer?.kill('SIGTERM', 20_000);
    await this.stopPostgres();
    if (process.env.FAULTS_KEEP !== '1') await rm(this.dir, { recursive: true, force: true });
  }
}

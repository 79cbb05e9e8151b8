import { join } from 'node:path';
import { ChildService, eventually, freePort, REPO_ROOT, runToEnd } from './processes';

/** What the worker, the API and the CLI need to find this stack's services. */
export interface StackEnv {
  DATABASE_URL: string;
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TASK_QUEUE: string;
  DISTRICT_CODE: string;
  JWT_SECRET: string;
}

export const DIST = join(REPO_ROOT, 'dist');
const WORKER_MAIN = join(DIST, 'apps', 'worker', 'src', 'main.js');
const API_MAIN = join(DIST, 'apps', 'api', 'src', 'main.js');
const CLI_MAIN = join(DIST, 'apps', 'cli', 'src', 'main.js');
const BUNDLE = join(DIST, 'workflow-bundle.js');

/** Builds dist/ when it is missing or older than the sources, so faults hit the code under test. */
export async function ensureBuilt(): Promise<void> {
  const { code, output } = await runToEnd(
    process.execPath,
    [join(REPO_ROOT, 'infra', 'build.mjs'), '--no-web', '--if-stale'],
    process.env,
    600_000,
  );
  if (code !== 0) throw new Error(`node infra/build.mjs failed:\n${output}`);
}

/**
 * The worker and the API of one stack as child processes from dist/, so a fault can SIGKILL them
 * the way an operating system or an operator would, and start them again on the same settings.
 */
export class DubanProcesses {
  worker?: ChildService;
  api?: ChildService;
  workerStarts = 0;
  apiStarts = 0;

  private constructor(
    readonly env: StackEnv,
    readonly apiPort: number,
  ) {}

  static async create(env: StackEnv): Promise<DubanProcesses> {
    return new DubanProcesses(env, await freePort());
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  processEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...this.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      WORKFLOW_BUNDLE_PATH: BUNDLE,
      PORT: String(this.apiPort),
      ...extra,
    };
  }

  /** Starts a worker and resolves once it polls the task queue. */
  async startWorker(): Promise<ChildService> {
    if (this.worker?.running) throw new Error('a worker is already running');
    this.workerStarts += 1;
    const worker = new ChildService(
      `worker#${this.workerStarts}`,
      process.execPath,
      [WORKER_MAIN],
      this.processEnv(),
    );
    this.worker = worker;
    await eventually(
      () => {
        if (!worker.running) throw new Error(`worker exited:\n${worker.tail()}`);
        // The SDK logs this once the worker polls (also with LOG_LEVEL=info in JSON form).
        return Promise.resolve(worker.said('RUNNING') ? true : undefined);
      },
      { timeoutMs: 120_000, what: 'the worker to poll its task queue' },
    );
    return worker;
  }

  async killWorker(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.worker?.kill(signal);
  }

  /** Starts the API on this stack's port and resolves once it answers. */
  async startApi(): Promise<ChildService> {
    if (this.api?.running) throw new Error('an API is already running');
    this.apiStarts += 1;
    const api = new ChildService(
      `api#${this.apiStarts}`,
      process.execPath,
      [API_MAIN],
      this.processEnv(),
    );
    this.api = api;
    await eventually(
      async () => {
        if (!api.running) throw new Error(`API exited:\n${api.tail()}`);
        const res = await fetch(`${this.baseUrl}/api/health/live`);
        return res.ok ? true : undefined;
      },
      { timeoutMs: 120_000, what: 'the API to answer' },
    );
    return api;
  }

  async killApi(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.api?.kill(signal);
  }

  /** `duban <args>` against this stack (the CLI from dist/, as bin/duban runs it). */
  cli(args: string[], timeoutMs = 600_000): Promise<{ code: number | null; output: string }> {
    return runToEnd(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(CLI_MAIN)}).run(process.argv.slice(1)).then((c) => process.exit(c))`,
        ...args,
      ],
      this.processEnv({ NODE_ENV: 'development' }),
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    await this.api?.kill('SIGTERM', 10_000);
    await this.worker?.kill('SIGTERM', 20_000);
  }
}

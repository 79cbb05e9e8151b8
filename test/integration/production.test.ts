/**
 * Production mode end to end: the built API and TWO worker processes run as separate Node
 * processes with NODE_ENV=production, the prebuilt workflow bundle, secrets and services from the
 * environment only (the dev server at TEMPORAL_ADDRESS, a fresh database on DATABASE_URL's server,
 * migrated by `bin/duban db migrate`), and nothing embedded. One task-quarter goes through the
 * chain over HTTP; the workflow histories must name both workers; SIGTERM must drain and exit 0.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { quarterOf } from '@duban/domain';
import { eventually } from '../support/stack';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const JWT_SECRET = `prod-test-${randomBytes(16).toString('hex')}`;

/** Builds dist/ when it is missing or older than the sources (what the images run). */
function ensureBuilt(): void {
  const build = spawnSync(
    process.execPath,
    [join(ROOT, 'infra', 'build.mjs'), '--no-web', '--if-stale'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Proc {
  name: string;
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(name: string, script: string, env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    stdout.push(...lines.filter((l) => l.trim() !== ''));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { name, child, stdout, stderr, exit };
}

/** Runs `bin/duban …` as a deployment's job would; resolves with its stdout, rejects on failure. */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'duban'), ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`duban ${args.join(' ')} exited ${code}:\n${stderr}`)),
    );
  });
}

function withinDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    }),
  ]);
}

/** Resident memory of a process from /proc (Linux), or null elsewhere. */
function rssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

interface Page<T> {
  items: T[];
  total: number;
}
interface Detail {
  phase: string;
  units: Array<{ code: string; status: string }>;
}

describe('production mode: the built API and two workers as separate processes', () => {
  const baseUrl = process.env.DATABASE_URL;
  const temporalAddress = process.env.TEMPORAL_ADDRESS;
  const suffix = randomBytes(4).toString('hex');
  const database = `duban_prod_${suffix}`;
  const taskQueue = `duban-prod-${suffix}`;
  const identities = [`duban-worker-a-${suffix}`, `duban-worker-b-${suffix}`];
  const { year, quarter } = quarterOf(new Date());
  const planId = `${year}-p${suffix}`;
  const procs: Proc[] = [];
  let api: Proc;
  let workers: Proc[];
  let apiUrl: string;
  let workerHealth: string[];
  let env: NodeJS.ProcessEnv;
  let connection: Connection | undefined;
  // The processes run from a private copy of dist/: another session's `npm run build` deletes and
  // rewrites dist/ while these processes would still be loading modules from it.
  const privateRoot = join(ROOT, '.data', `prod-test-${suffix}`);
  const measured: Record<string, unknown> = {};

  beforeAll(async () => {
    if (!baseUrl || !temporalAddress) {
      throw new Error('DATABASE_URL and TEMPORAL_ADDRESS must be set (run with `npm test`)');
    }
    ensureBuilt();
    cpSync(join(ROOT, 'dist'), join(privateRoot, 'dist'), { recursive: true });
    const admin = new PgClient({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(baseUrl);
    url.pathname = `/${database}`;

    const [apiPort, healthA, healthB] = [await freePort(), await freePort(), await freePort()];
    apiUrl = `http://127.0.0.1:${apiPort}`;
    workerHealth = [healthA, healthB].map((p) => `http://127.0.0.1:${p}`);
    // Only what a real deployment sets: no inherited NODE_ENV=test, no embedded anything.
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: url.toString(),
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
      DISTRICT_CODE: `p${suffix}`,
      JWT_SECRET,
      WORKFLOW_BUNDLE_PATH: join(privateRoot, 'dist', 'workflow-bundle.js'),
      LOG_FORMAT: 'json',
      SHUTDOWN_GRACE_MS: '10000',
    };

    await cli(['db', 'migrate'], env);
    // The demo data loads while the processes boot, as an operator's one-off job would.
    const demoLoaded = cli(['demo', 'load', '--no-activate'], env);
    demoLoaded.catch(() => undefined); // awaited below; this only keeps it from being "unhandled"

    workers = identities.map((identity, i) =>
      start(identity, join(privateRoot, 'dist/apps/worker/src/main.js'), {
        ...env,
        WORKER_IDENTITY: identity,
        WORKER_HEALTH_PORT: String([healthA, healthB][i]),
      }),
    );
    api = start('api', join(privateRoot, 'dist/apps/api/src/main.js'), {
      ...env,
      PORT: String(apiPort),
    });
    procs.push(...workers, api);

    const ready = async (url: string) => {
      const early = procs.find((p) => p.child.exitCode !== null);
      if (early) throw new Error(`${early.name} exited early:\n${early.stderr.join('')}`);
      const res = await fetch(url);
      return res.status === 200 ? true : undefined;
    };
    await eventually(() => ready(`${apiUrl}/api/health`), {
      timeoutMs: 40_000,
      intervalMs: 250,
      what: 'the API to be ready',
    });
    for (const health of workerHealth) {
      await eventually(() => ready(`${health}/health/ready`), {
        timeoutMs: 40_000,
        intervalMs: 250,
        what: `the worker at ${health} to poll`,
      });
    }
    await demoLoaded;
  });

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await connection?.close();
    rmSync(privateRoot, { recursive: true, force: true });
    // What this run measured, for docs/operations.md's sizing table (test-artifacts is ignored).
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    writeFileSync(
      join(ROOT, 'test-artifacts', 'production-measurements.json'),
      JSON.stringify({ at: new Date().toISOString(), ...measured }, null, 2) + '\n',
    );
    if (baseUrl) {
      const admin = new PgClient({ connectionString: baseUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  });

  const tokens = new Map<string, string>();
  async function call<T>(username: string, method: string, path: string, body?: object) {
    let token = tokens.get(username);
    if (!token) {
      const login = await fetch(`${apiUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'duban-demo' }),
      });
      expect(login.status).toBe(200);
      token = ((await login.json()) as { accessToken: string }).accessToken;
      tokens.set(username, token);
    }
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  it('serves liveness without touching dependencies and reports both dependencies up', async () => {
    const live = await fetch(`${apiUrl}/api/health/live`);
    expect(live.status).toBe(200);
    const health = await fetch(`${apiUrl}/api/health`);
    expect(await health.json()).toMatchObject({ db: 'up', temporal: 'up' });
    // The image serves the built UI from the same port (skipped where it has not been built).
    if (existsSync(join(ROOT, 'apps', 'web', 'dist', 'index.html'))) {
      const page = await fetch(`${apiUrl}/plans/deep-link`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
    }
    for (const url of workerHealth) {
      const res = await fetch(`${url}/health/live`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ worker: 'RUNNING' });
    }
  });

  it('activates a quarter as the office and takes one task-quarter through the chain, with work on both workers', async () => {
    const activatedAt = Date.now();
    const activated = await call<{ started: number }>(
      'office',
      'POST',
      `/api/plans/${planId}/activate`,
      { fromQuarter: quarter },
    );
    expect(activated.status).toBe(200);
    expect(activated.body.started).toBeGreaterThan(1);
    const started = activated.body.started;

    // Every started task-quarter reaches the projection: both workers' activities write it. The
    // chain starts on the first one while the rest are still being projected.
    const projected = async (all: boolean) =>
      eventually(
        async () => {
          const res = await call<Page<{ id: string }>>(
            'office',
            'GET',
            `/api/plans/${planId}/task-quarters?quarter=${quarter}&pageSize=500`,
          );
          const enough = all ? res.body.total === started : res.body.total > 0;
          return enough ? res.body.items : undefined;
        },
        { timeoutMs: 40_000, intervalMs: 250, what: 'task-quarters in the projection' },
      );
    const id = (await projected(false))[0].id;
    const chainAt = Date.now();
    const tq = `/api/task-quarters/${encodeURIComponent(id)}`;
    const first = await call<Detail>('office', 'GET', tq);
    const units = first.body.units.map((u) => u.code);
    expect(units.length).toBeGreaterThan(0);

    for (const unit of units) {
      const res = await call(`${unit}.staff`, 'POST', `${tq}/submissions`, {
        status: 'completed',
        summary: `${unit} 按期完成`,
      });
      expect(res.status).toBe(201);
    }
    for (const unit of units) {
      const res = await call(`${unit}.head`, 'POST', `${tq}/units/${unit}/decision`, {
        decision: 'approve',
        comment: '同意',
      });
      expect(res.status).toBe(200);
    }
    const review = await call('office', 'POST', `${tq}/review`, {
      decision: 'approve',
      comment: '办结',
    });
    expect(review.status).toBe(200);
    await eventually(
      async () => {
        const res = await call<Detail>('office', 'GET', tq);
        return res.body.phase === 'closed' ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, what: 'the task-quarter to be closed' },
    );

    measured.chainMs = Date.now() - chainAt;
    const listed = await projected(true);
    measured.taskQuarters = started;
    measured.activationToProjectionMs = Date.now() - activatedAt;
    measured.units = units.length;
    measured.rssMiB = Object.fromEntries(procs.map((p) => [p.name, rssMiB(p.child.pid!)]));

    // Who did the work: the identity on workflow-task completions and activity starts.
    connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
    const seen = new Set<string>();
    for (const item of listed) {
      const history = await client.workflow.getHandle(item.id).fetchHistory();
      for (const event of history.events ?? []) {
        const identity =
          event.workflowTaskCompletedEventAttributes?.identity ??
          event.activityTaskStartedEventAttributes?.identity;
        if (identity) seen.add(identity);
      }
    }
    expect([...seen].sort()).toEqual([...identities].sort());
  });

  it('drains and exits 0 on SIGTERM, logging JSON lines throughout', async () => {
    const stopAt = Date.now();
    for (const p of procs) p.child.kill('SIGTERM');
    const exits = await withinDeadline(
      Promise.all(procs.map((p) => p.exit)),
      30_000,
      'graceful exit of the API and both workers',
    );
    measured.shutdownMs = Date.now() - stopAt;
    for (const [i, p] of procs.entries()) {
      expect({ name: p.name, ...exits[i] }).toEqual({ name: p.name, code: 0, signal: null });
      expect(p.stdout.length).toBeGreaterThan(0);
      const records = p.stdout.map((line) => JSON.parse(line) as { level: string; msg: string });
      expect(records.every((r) => typeof r.level === 'string')).toBe(true);
      expect(records.map((r) => r.msg)).toContain('stopped');
    }
  });
});

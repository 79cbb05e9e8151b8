import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { bundlerOptions } from '@duban/temporal/workflow-bundle';
import type { TaskQuarterSnapshot } from '@duban/contracts';
import { snapshotsOf, type RunHistory } from './history';
import {
  compareProjection,
  emptyProjectionRows,
  expectedRows,
  readProjectionRowsOf,
  type ProjectionDifference,
  type ProjectionRows,
  type SqlRunner,
} from './projection';

export interface ReplayOptions {
  /** Replay with the workflows exported by this module instead of `workflows/index.ts`. */
  workflowsPath?: string;
  /** A prebuilt workflow bundle (e.g. dist/workflow-bundle.js) to replay with. */
  workflowBundlePath?: string;
}

export interface RunReplayResult {
  workflowId: string;
  runId: string;
  deterministic: boolean;
  /** The nondeterminism (or other replay failure) reported by the SDK. */
  error: string | null;
}

const bundles = new Map<string, Promise<string>>();

/** Bundling takes seconds: do it once per workflow module per process. */
function bundleFor(workflowsPath: string | undefined): Promise<string> {
  const options = bundlerOptions();
  const path = workflowsPath ?? options.workflowsPath;
  let code = bundles.get(path);
  if (!code) {
    code = bundleWorkflowCode({ ...options, workflowsPath: path, logger: quietLogger }).then(
      (b) => b.code,
    );
    code.catch(() => bundles.delete(path));
    bundles.set(path, code);
  }
  return code;
}

const noop = (): void => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

/**
 * Replays every history with the current workflow code (`Worker.runReplayHistories`) and reports
 * per run whether it is deterministic. A run whose code took a different path than its history
 * (a change without `patched()`) comes back with the DeterminismViolationError's message.
 */
export async function replayHistories(
  runs: RunHistory[],
  options: ReplayOptions = {},
): Promise<RunReplayResult[]> {
  if (runs.length === 0) return [];
  const workflowBundle = options.workflowBundlePath
    ? { codePath: options.workflowBundlePath }
    : { code: await bundleFor(options.workflowsPath) };
  const byRun = new Map<string, RunReplayResult>();
  const results = Worker.runReplayHistories(
    { workflowBundle, replayName: 'duban-audit' },
    runs.map((r) => ({ workflowId: r.workflowId, history: r.history })),
  );
  for await (const result of results) {
    byRun.set(result.runId, {
      workflowId: result.workflowId,
      runId: result.runId,
      deterministic: !result.error,
      error: result.error ? `${result.error.name}: ${result.error.message}` : null,
    });
  }
  return runs.map(
    (r) =>
      byRun.get(r.runId) ?? {
        workflowId: r.workflowId,
        runId: r.runId,
        deterministic: false,
        error: 'the replay worker returned no result for this run',
      },
  );
}

/**
 * The snapshot Postgres must agree with: the last one whose activity completed in the latest run,
 * or a later one still in flight when Postgres already holds exactly its seq (the activity wrote
 * it but its completion is not in the history yet).
 */
export function expectedSnapshot(
  runs: RunHistory[],
  databaseSeq: number | null,
): TaskQuarterSnapshot | null {
  for (let i = runs.length - 1; i >= 0; i--) {
    const snapshots = snapshotsOf(runs[i].history);
    if (snapshots.length === 0) continue;
    let lastCompleted = -1;
    snapshots.forEach((s, j) => {
      if (s.completed) lastCompleted = j;
    });
    const inFlight = snapshots.slice(lastCompleted + 1).find((s) => s.snapshot.seq === databaseSeq);
    if (inFlight) return inFlight.snapshot;
    if (lastCompleted >= 0) return snapshots[lastCompleted].snapshot;
    return snapshots[snapshots.length - 1].snapshot;
  }
  return null;
}

export interface ReplayReport {
  workflowId: string;
  runs: RunReplayResult[];
  deterministic: boolean;
  /** Whether the history was compared with Postgres (false: no database, or no rows for it). */
  compared: boolean;
  /** Null when not compared. */
  matchesDatabase: boolean | null;
  differences: ProjectionDifference[];
  /** The audit seq of the snapshot compared against. */
  expectedSeq: number | null;
  note: string | null;
}

/** Replays a task-quarter's runs and, given a database, compares the projection row by row. */
export async function verifyTaskQuarter(
  runs: RunHistory[],
  sql: SqlRunner | null,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  const [report] = await verifyTaskQuarters([runs], sql, options);
  return report;
}

/** Task-quarters per replay worker when a plan is replayed: ~150 events each, a few MB of history. */
export const PLAN_REPLAY_BATCH = 250;

/**
 * Verifies many task-quarters with one replay worker for all their runs, then compares each with
 * Postgres. A replay worker costs about as much to start and drain as replaying a whole history,
 * so a plan replayed one task-quarter at a time ran at under half the speed of a bare replay.
 */
export async function verifyTaskQuarters(
  taskQuarters: RunHistory[][],
  sql: SqlRunner | null,
  options: ReplayOptions = {},
): Promise<ReplayReport[]> {
  const ids = taskQuarters.map((runs) => runs[runs.length - 1]?.workflowId ?? 'unknown');
  // Postgres is read while the replay worker runs: the check then costs almost nothing extra.
  const reading = sql ? readProjectionRowsOf(sql, ids) : Promise.resolve(null);
  reading.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  // replayHistories answers in the order of its input: slice the results back per task-quarter.
  const replayed = await replayHistories(taskQuarters.flat(), options);
  const rowsById = await reading;
  const reports: ReplayReport[] = [];
  let next = 0;
  taskQuarters.forEach((runs, i) => {
    const results = replayed.slice(next, next + runs.length);
    next += runs.length;
    reports.push(compareWithDatabase(runs, results, rowsById?.get(ids[i]) ?? null));
  });
  return reports;
}

function compareWithDatabase(
  runs: RunHistory[],
  replayed: RunReplayResult[],
  actual: ProjectionRows | null,
): ReplayReport {
  const workflowId = runs[runs.length - 1]?.workflowId ?? 'unknown';
  const report: ReplayReport = {
    workflowId,
    runs: replayed,
    deterministic: replayed.every((r) => r.deterministic),
    compared: false,
    matchesDatabase: null,
    differences: [],
    expectedSeq: null,
    note: null,
  };
  if (!actual) {
    report.note = 'no database: replay only';
    return report;
  }
  const total = Object.values(actual).reduce((n, rows) => n + rows.length, 0);
  if (total === 0) {
    report.note = `no projection rows for ${workflowId} in this database: replay only`;
    return report;
  }
  const dbSeq = actual.task_quarter[0] ? Number(actual.task_quarter[0].seq) : null;
  const snapshot = expectedSnapshot(runs, dbSeq);
  if (!snapshot) {
    report.note = 'the history holds no projection snapshot yet';
  }
  const expected = snapshot ? expectedRows(snapshot) : emptyProjectionRows();
  report.expectedSeq = snapshot?.seq ?? null;
  report.differences = compareProjection(expected, actual);
  report.compared = true;
  report.matchesDatabase = report.differences.length === 0;
  return report;
}

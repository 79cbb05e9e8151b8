import { join } from 'node:path';
import {
  type Actor,
  DEFAULT_LADDER,
  DUBAN_SEARCH_ATTRIBUTES,
  getStateQuery,
  type Notice,
  type NoticeKind,
  type QuarterNumber,
  type ResponsibleUnit,
  TASK_QUEUE,
  type TaskQuarterActivities,
  type TaskQuarterInput,
  type TaskQuarterSnapshot,
  type TaskQuarterState,
  taskQuarterWorkflowId,
} from '@duban/contracts';
import { DAY_MS } from '@duban/domain';
import { bundlerOptions, repoRoot } from '@duban/temporal/workflow-bundle';
import { Context as activityContext } from '@temporalio/activity';
import { type WorkflowHandle } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { type taskQuarterWorkflow } from '../../../workflows';

export { DAY_MS };
export const HOUR_MS = 3_600_000;

export const TEST_SERVER_PATH =
  process.env.TEMPORAL_TEST_SERVER_PATH ?? join(repoRoot, '.tools/py/bin/temporal-test-server');

let runtimeInstalled = false;
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier file in the same process.
  }
}

const { IndexedValueType } = temporal.api.enums.v1;
const INDEXED_TYPE: Partial<Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType>> = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * The time-skipping test server rejects unknown search attributes ("search attribute DubanPlan is
 * not defined") but implements OperatorService.AddSearchAttributes, so the Duban attributes are
 * registered there, as the infra scripts do on the dev server. The workflow stays test-agnostic.
 */
export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const key of DUBAN_SEARCH_ATTRIBUTES) {
    const indexed = INDEXED_TYPE[key.type];
    if (indexed === undefined) throw new Error(`No indexed type for ${key.name}`);
    searchAttributes[key.name] = indexed;
  }
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes,
  });
}

export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TEST_SERVER_PATH } },
  });
  await registerSearchAttributes(env);
  return env;
}

/**
 * The in-memory stand-in for the worker's Postgres projection: keeps every snapshot it receives
 * and, per workflow, the newest one (by seq), the way the real upsert does.
 */
export class RecordingProjection {
  readonly snapshots: TaskQuarterSnapshot[] = [];
  /** The run that made each call in {@link snapshots} (same index). */
  readonly runIds: string[] = [];
  private readonly latest = new Map<string, TaskQuarterSnapshot>();

  readonly activities: TaskQuarterActivities = {
    recordTaskQuarter: (snapshot: TaskQuarterSnapshot): Promise<void> => {
      this.snapshots.push(snapshot);
      this.runIds.push(activityContext.current().info.workflowExecution?.runId ?? '');
      const current = this.latest.get(snapshot.workflowId);
      if (!current || current.seq <= snapshot.seq) this.latest.set(snapshot.workflowId, snapshot);
      return Promise.resolve();
    },
  };

  row(workflowId: string): TaskQuarterSnapshot | undefined {
    return this.latest.get(workflowId);
  }

  calls(workflowId: string): TaskQuarterSnapshot[] {
    return this.snapshots.filter((s) => s.workflowId === workflowId);
  }

  /** The calls of one workflow, in order, each with the run that made it. */
  callsWithRun(workflowId: string): { runId: string; snapshot: TaskQuarterSnapshot }[] {
    return this.snapshots
      .map((snapshot, i) => ({ runId: this.runIds[i], snapshot }))
      .filter((c) => c.snapshot.workflowId === workflowId);
  }
}

export interface Harness {
  env: TestWorkflowEnvironment;
  worker: Worker;
  projection: RecordingProjection;
  stop(): Promise<void>;
}

/** One environment, one bundle and one running worker per test file. */
export async function startHarness(): Promise<Harness> {
  const env = await startTimeSkippingEnv();
  const projection = new RecordingProjection();
  const { code } = await bundleWorkflowCode({
    ...bundlerOptions(),
    logger: new DefaultLogger('WARN'),
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: { code },
    activities: projection.activities,
  });
  const running = worker.run();
  return {
    env,
    worker,
    projection,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/**
 * The per-file setup every workflow test file shares: a generous timeout, one harness started
 * before the file's tests and stopped after them, and the runs each test started (through
 * `start`) terminated after it. `h` stands for the harness once `beforeAll` has run.
 */
export function useHarness(timeoutMs = 60_000): {
  h: Harness;
  start: (input: TaskQuarterInput, workflowId: string) => Promise<TaskQuarterHandle>;
} {
  jest.setTimeout(timeoutMs);
  let current: Harness | undefined;
  const open: TaskQuarterHandle[] = [];
  const harness = (): Harness => {
    if (!current) throw new Error('The harness is used before beforeAll started it');
    return current;
  };
  beforeAll(async () => {
    current = await startHarness();
  });
  afterEach(() => terminateOpen(open));
  afterAll(async () => {
    await current?.stop();
  });
  const h: Harness = {
    get env() {
      return harness().env;
    },
    get worker() {
      return harness().worker;
    },
    get projection() {
      return harness().projection;
    },
    stop: () => harness().stop(),
  };
  return {
    h,
    start: async (input, workflowId) => {
      const handle = await startTaskQuarter(h.env, workflowId, input);
      open.push(handle);
      return handle;
    },
  };
}

export const UNITS: ResponsibleUnit[] = [
  { code: 'zjsw', name: '住建水务局', lead: true },
  { code: 'jtys', name: '交通运输局', lead: false },
  { code: 'cgj', name: '城管局', lead: false },
];

export const staff = (unitCode: string): Actor => ({
  id: `${unitCode}.staff`,
  name: `${unitCode} 经办人`,
  role: 'staff',
  unitCode,
});
export const head = (unitCode: string): Actor => ({
  id: `${unitCode}.head`,
  name: `${unitCode} 负责人`,
  role: 'head',
  unitCode,
});
export const office: Actor = { id: 'office', name: '区督查室', role: 'office', unitCode: null };
export const leader: Actor = { id: 'leader', name: '区领导', role: 'leader', unitCode: null };

let counter = 0;

/** A task-quarter input whose dates sit around the test server's clock. */
export function makeInput(
  nowMs: number,
  opts: {
    units?: ResponsibleUnit[];
    opensInMs?: number;
    deadlineInMs?: number;
    year?: number;
    quarter?: QuarterNumber;
    opensAt?: Date;
    deadline?: Date;
    taskCode?: string;
  } = {},
): { workflowId: string; input: TaskQuarterInput } {
  counter += 1;
  const taskCode = opts.taskCode ?? `36.${counter}`;
  const quarter = opts.quarter ?? 2;
  const input: TaskQuarterInput = {
    planId: `test-${process.pid}`,
    planTitle: '2017年高新区（江海区）十件民生实事计划',
    taskCode,
    taskName: '加快提升公交一体化水平',
    goal: '新建公交站场1个。',
    cityLevel: true,
    quarter,
    year: opts.year ?? 2017,
    target: '完成基础设施建设并交付使用。',
    units: opts.units ?? UNITS,
    opensAt: (opts.opensAt ?? new Date(nowMs + (opts.opensInMs ?? -30 * DAY_MS))).toISOString(),
    deadline: (opts.deadline ?? new Date(nowMs + (opts.deadlineInMs ?? 30 * DAY_MS))).toISOString(),
    ladder: { ...DEFAULT_LADDER, warningDaysBefore: [...DEFAULT_LADDER.warningDaysBefore] },
  };
  return { workflowId: taskQuarterWorkflowId(input.planId, taskCode, quarter), input };
}

export type TaskQuarterHandle = WorkflowHandle<typeof taskQuarterWorkflow>;

export async function startTaskQuarter(
  env: TestWorkflowEnvironment,
  workflowId: string,
  input: TaskQuarterInput,
): Promise<TaskQuarterHandle> {
  return env.client.workflow.start<typeof taskQuarterWorkflow>('taskQuarterWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId,
    args: [input],
  });
}

/** Polls (in real time) until `check` passes; fails with the last state when it never does. */
export async function waitFor<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${what}; last value: ${JSON.stringify(last, null, 1).slice(0, 3000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
    last = await read();
  }
  return last;
}

export function queryState(handle: TaskQuarterHandle): Promise<TaskQuarterState> {
  return handle.query(getStateQuery);
}

/** Waits until the workflow has taken every step due by now and the projection holds it. */
export async function settled(
  h: Harness,
  handle: TaskQuarterHandle,
  check: (state: TaskQuarterState) => boolean,
  what: string,
): Promise<TaskQuarterState> {
  const state = await waitFor(() => queryState(handle), check, what);
  await waitFor(
    () => Promise.resolve(h.projection.row(handle.workflowId)?.seq ?? 0),
    (seq) => seq >= state.seq,
    `the projection of seq ${state.seq}`,
  );
  return state;
}

export function noticesOf(state: TaskQuarterState, kind?: NoticeKind): Notice[] {
  return state.notices.filter((n) => !kind || n.kind === kind);
}

/** The failure type (our rejection code) and message of a rejected update. */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<{ type: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    const cause = (err as { cause?: { type?: string; message?: string } }).cause;
    return { type: cause?.type ?? 'NONE', message: cause?.message ?? String(err) };
  }
  throw new Error('Expected the update to be rejected, but it was accepted');
}

/** Writes a run's history as `temporal workflow show --output json` would, when asked to. */
export async function exportHistoryIfAsked(handle: TaskQuarterHandle, name: string): Promise<void> {
  if (process.env.EXPORT_HISTORIES !== '1') return;
  const { historyToJson } = await import('./history-json');
  const { writeFileSync, mkdirSync } = await import('node:fs');
  const dir = join(repoRoot, 'test/histories');
  mkdirSync(dir, { recursive: true });
  const history = await handle.fetchHistory();
  const pretty = JSON.stringify(historyToJson(history), null, 2);
  writeFileSync(join(dir, `${name}.json`), `${pretty}\n`);
}

/** Ends the runs a test left open so later time skips do not wake them. */
export async function terminateOpen(handles: TaskQuarterHandle[]): Promise<void> {
  for (const handle of handles.splice(0)) {
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') await handle.terminate('test finished');
  }
}

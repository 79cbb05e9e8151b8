import type { Client } from '@temporalio/client';
import {
  inParallel,
  newKey,
  type ActionClient,
  type ActionOutcome,
  type HttpAnswer,
  type PlannedAction,
} from './actions';
import type { DubanProcesses } from './duban-processes';
import { verifyLedger, verdictProblems, type Sql, type Verdict } from './ledger-checks';
import {
  officeApproval,
  reportingRounds,
  runStream,
  type Markers,
  type TaskQuarterUnderTest,
} from './stream';

export interface ScenarioHarness {
  processes: DubanProcesses;
  temporal: Client;
  client: ActionClient;
  sql: Sql;
}

export interface ScenarioResult {
  fault: string;
  /** How many times the fault was injected. */
  injections: number;
  outcomes: ActionOutcome[];
  verdict: Verdict;
  /** Task-quarters where the action after the fault was refused. */
  stalled: string[];
  /** Replays of accepted actions (same key) that answered differently or failed. */
  duplicateProblems: string[];
  notes: string[];
}

export function scenarioProblems(r: ScenarioResult): string[] {
  return [
    ...verdictProblems(r.verdict),
    ...r.stalled.map((s) => `did not go on: ${s}`),
    ...r.duplicateProblems.map((s) => `duplicate replay: ${s}`),
    ...r.outcomes
      .filter((o) => !o.accepted)
      .map((o) => `refused: ${o.kind} ${o.marker} HTTP ${o.status} ${JSON.stringify(o.response)}`),
  ];
}

export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Sends accepted actions again with their own keys: each must answer 2xx with the same audit seq
 * as the first time (the duplicate is recognised, not applied again).
 */
export async function replayDuplicates(
  h: ScenarioHarness,
  accepted: readonly ActionOutcome[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const o of accepted) {
    let answer: HttpAnswer | undefined;
    for (let i = 0; i < 20 && !answer; i++) {
      answer = await h.client.attempt(o, o.key).catch(() => undefined);
      if (answer && answer.status >= 500) answer = undefined;
      if (!answer) await pause(500);
    }
    const firstSeq = (o.response as { seq?: number }).seq;
    const againSeq = (answer?.body as { seq?: number } | undefined)?.seq;
    if (!answer || answer.status >= 300 || againSeq !== firstSeq) {
      problems.push(
        `${o.kind} ${o.marker} key ${o.key}: first seq ${firstSeq}, again HTTP ${answer?.status} ${JSON.stringify(answer?.body)}`,
      );
    }
  }
  return problems;
}

/** The action after a fault: the office closes every task-quarter (all units approved by then). */
export async function goOn(
  h: ScenarioHarness,
  markers: Markers,
  tqs: readonly TaskQuarterUnderTest[],
  outcomes: ActionOutcome[],
): Promise<string[]> {
  const stalled: string[] = [];
  await inParallel(tqs, 3, async (tq) => {
    const outcome = await h.client.perform(officeApproval(markers, tq.id));
    outcomes.push(outcome);
    if (!outcome.accepted) stalled.push(`${tq.id}: HTTP ${outcome.status}`);
  });
  return stalled;
}

/**
 * The reporting stream over `tqs`; `inject` runs (once at a time) after the n-th accepted action
 * for every n in `at`, while the stream goes on retrying. Then duplicates, the closing action,
 * and the exactly-once checks.
 */
export async function streamFaultScenario(
  h: ScenarioHarness,
  markers: Markers,
  tqs: readonly TaskQuarterUnderTest[],
  fault: string,
  inject: () => Promise<void>,
  { at = [3], concurrency = 3 }: { at?: number[]; concurrency?: number } = {},
): Promise<ScenarioResult> {
  let injections = 0;
  let busy = false;
  const faults: Array<Promise<void>> = [];
  const fire = async (): Promise<void> => {
    busy = true;
    try {
      injections += 1;
      await inject();
    } finally {
      busy = false;
    }
  };
  const started = Date.now();
  const outcomes = await runStream(h.client, reportingRounds(markers, [...tqs]), {
    concurrency,
    onAccepted: (n) => {
      if (at.includes(n) && !busy) faults.push(fire());
    },
  });
  await Promise.all(faults);
  const streamMs = Date.now() - started;
  const duplicateProblems = await replayDuplicates(
    h,
    outcomes.filter((o) => o.accepted).slice(0, 4),
  );
  const stalled = await goOn(h, markers, tqs, outcomes);
  const verdict = await verifyLedger(
    h.temporal,
    h.sql,
    outcomes,
    tqs.map((t) => t.id),
  );
  return {
    fault,
    injections,
    outcomes,
    verdict,
    stalled,
    duplicateProblems,
    notes: [
      `${outcomes.length} actions in ${Math.round(streamMs / 1000)} s, ${outcomes.filter((o) => o.attempts > 1).length} needed a retry`,
    ],
  };
}

/**
 * The worker is SIGKILLed after the n-th accepted action (each entry of `killAt` one kill), left
 * down for `outageMs` while requests keep arriving, then started again.
 */
export function workerKillScenario(
  h: ScenarioHarness,
  markers: Markers,
  tqs: readonly TaskQuarterUnderTest[],
  { killAt = [3], outageMs = 2_000, concurrency = 3 } = {},
): Promise<ScenarioResult> {
  return streamFaultScenario(
    h,
    markers,
    tqs,
    'worker SIGKILL mid-stream, restarted',
    async () => {
      await h.processes.killWorker('SIGKILL');
      await pause(outageMs); // the outage itself: requests arrive while no worker polls
      await h.processes.startWorker();
    },
    { at: killAt, concurrency },
  );
}

/**
 * The first action of every round is sent, and the API is SIGKILLed right after the request left
 * (after `delaysMs[i]`); with `workerDownEvery` the worker is down too, so the update is surely
 * admitted by Temporal and unanswered when the API dies. The client then retries with the same
 * Idempotency-Key against a restarted API.
 */
export async function apiKillScenario(
  h: ScenarioHarness,
  markers: Markers,
  tqs: readonly TaskQuarterUnderTest[],
  { delaysMs = [0, 10, 40, 120], workerDownEvery = 2, pendingMs = 1_000 } = {},
): Promise<ScenarioResult> {
  const outcomes: ActionOutcome[] = [];
  let injections = 0;
  let answeredBeforeKill = 0;
  let noAnswer = 0;
  const rounds = reportingRounds(markers, [...tqs]);
  for (const [index, round] of rounds.entries()) {
    const [victim, ...rest] = round;
    const withWorkerDown = workerDownEvery > 0 && index % workerDownEvery === workerDownEvery - 1;
    outcomes.push(
      await killApiDuring(h, victim, delaysMs[index % delaysMs.length], withWorkerDown, pendingMs, {
        answered: () => (answeredBeforeKill += 1),
        unanswered: () => (noAnswer += 1),
      }),
    );
    injections += 1;
    outcomes.push(...(await runStream(h.client, [rest])));
  }
  const duplicateProblems = await replayDuplicates(
    h,
    outcomes.filter((o) => o.accepted).slice(0, 4),
  );
  const stalled = await goOn(h, markers, tqs, outcomes);
  const verdict = await verifyLedger(
    h.temporal,
    h.sql,
    outcomes,
    tqs.map((t) => t.id),
  );
  return {
    fault: 'API SIGKILL between accepting and answering, client retries with the same key',
    injections,
    outcomes,
    verdict,
    stalled,
    duplicateProblems,
    notes: [
      `${noAnswer} first attempts unanswered, ${answeredBeforeKill} answered before the kill`,
    ],
  };
}

async function killApiDuring(
  h: ScenarioHarness,
  action: PlannedAction,
  delayMs: number,
  withWorkerDown: boolean,
  pendingMs: number,
  count: { answered(): void; unanswered(): void },
): Promise<ActionOutcome> {
  if (withWorkerDown) await h.processes.killWorker('SIGKILL');
  const key = newKey(action.kind);
  let killed: Promise<void> | undefined;
  const firstAttempt = h.client.attempt(action, key, () => {
    const wait = withWorkerDown ? pendingMs : delayMs;
    killed = pause(wait).then(() => h.processes.killApi('SIGKILL'));
  });
  const settled = await firstAttempt.then(
    (a) => a,
    () => undefined,
  );
  if (settled && settled.status < 500) count.answered();
  else count.unanswered();
  // An answer before the kill still leaves the API to be killed (the fault is injected anyway).
  if (!killed) killed = h.processes.killApi('SIGKILL');
  await killed;
  if (withWorkerDown) await h.processes.startWorker();
  await h.processes.startApi();
  return h.client.perform(action, {
    key,
    firstAttempt: settled ? Promise.resolve(settled) : Promise.reject(new Error('API killed')),
  });
}

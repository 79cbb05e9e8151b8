import type { ActionOutcome } from './actions';
import type { FullStack } from './full-stack';
import { queryState, verifyLedger } from './ledger-checks';
import { eventually } from './processes';
import {
  goOn,
  pause,
  replayDuplicates,
  streamFaultScenario,
  type ScenarioResult,
} from './scenarios';
import {
  deadlineMove,
  reportingRounds,
  runStream,
  submission,
  type Markers,
  type TaskQuarterUnderTest,
} from './stream';

/** Postgres stopped (fast shutdown) after the n-th accepted action, down `outageMs`, started again. */
export function postgresRestartScenario(
  stack: FullStack,
  markers: Markers,
  tqs: readonly TaskQuarterUnderTest[],
  { at = [3], outageMs = 3_000 } = {},
): Promise<ScenarioResult> {
  return streamFaultScenario(
    stack,
    markers,
    tqs,
    'Postgres restarted mid-stream',
    async () => {
      await stack.stopPostgres();
      await pause(outageMs); // the outage: activities and the API meet a refused connection
      await stack.startPostgres();
    },
    { at },
  );
}

/**
 * The office moves the deadline of each of `deadlineTqs` a few seconds ahead, then the Temporal
 * dev server is SIGKILLed while a reporting stream runs on `streamTqs`; it stays down until every
 * moved deadline has passed, and restarts on its database file. The overdue timers must fire once
 * after the restart, the stream must finish with nothing lost, and late reports must be accepted.
 */
export async function temporalOutageScenario(
  stack: FullStack,
  markers: Markers,
  streamTqs: readonly TaskQuarterUnderTest[],
  deadlineTqs: readonly TaskQuarterUnderTest[],
  { deadlineAheadMs = 8_000, minOutageMs = 10_000 } = {},
): Promise<ScenarioResult> {
  const outcomes: ActionOutcome[] = [];
  const moved = new Map<string, string>();
  for (const tq of deadlineTqs) {
    const deadline = new Date(Date.now() + deadlineAheadMs);
    const outcome = await stack.client.perform(deadlineMove(markers, tq.id, deadline));
    outcomes.push(outcome);
    if (outcome.accepted) moved.set(tq.id, deadline.toISOString());
  }
  const latest = Math.max(...[...moved.values()].map((d) => Date.parse(d)));
  let injections = 0;
  const outage = (async () => {
    injections += 1;
    const downAt = Date.now();
    await stack.killTemporal();
    // Down until every moved deadline has fallen due (and a little more), whichever is later.
    await pause(Math.max(minOutageMs - (Date.now() - downAt), latest + 2_000 - Date.now()));
    await stack.startTemporal();
  })();
  const streamed = runStream(stack.client, reportingRounds(markers, [...streamTqs]));
  await outage;
  outcomes.push(...(await streamed));

  const noticeProblems: string[] = [];
  for (const [id, deadline] of moved) {
    const overdue = await eventually(
      async () => {
        const state = await queryState(stack.temporal, id);
        const found = state.notices.filter((n) => n.kind === 'overdue' && n.deadline === deadline);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 120_000, what: `the overdue notice of ${id}` },
    ).catch(() => []);
    if (overdue.length !== 1) {
      noticeProblems.push(
        `${id}: ${overdue.length} overdue notices for the deadline ${deadline} that passed while Temporal was down`,
      );
    }
  }
  // The late reports: each task-quarter whose deadline passed goes on.
  for (const tq of deadlineTqs) {
    for (const unit of tq.units) {
      outcomes.push(await stack.client.perform(submission(markers, tq.id, unit, 'completed')));
    }
  }
  const duplicateProblems = await replayDuplicates(
    stack,
    outcomes.filter((o) => o.accepted).slice(0, 4),
  );
  const stalled = await goOn(stack, markers, streamTqs, outcomes);
  const verdict = await verifyLedger(
    stack.temporal,
    stack.sql,
    outcomes,
    [...streamTqs, ...deadlineTqs].map((t) => t.id),
  );
  verdict.noticeProblems.push(...noticeProblems);
  return {
    fault:
      'Temporal dev server SIGKILLed and restarted on its db file; deadlines fall due while down',
    injections,
    outcomes,
    verdict,
    stalled,
    duplicateProblems,
    notes: [
      `${moved.size} deadlines fell due during the outage`,
      `${outcomes.filter((o) => o.attempts > 1).length} of ${outcomes.length} actions needed a retry`,
    ],
  };
}

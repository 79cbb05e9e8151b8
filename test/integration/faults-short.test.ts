// The short form of the fault suite (test/faults): a worker SIGKILLed mid-stream, and the API
// SIGKILLed between accepting an action and answering it, on real child processes. After each,
// every accepted action is in the workflow state and in Postgres exactly once, nothing refused
// is, every task-quarter goes on, and `duban audit replay --plan` is clean.
import type { ScenarioResult } from '../faults/support/scenarios';
import { apiKillScenario, scenarioProblems, workerKillScenario } from '../faults/support/scenarios';
import {
  reportingTaskQuarters,
  startShortHarness,
  type FaultHarness,
} from '../faults/support/short-stack';
import { Markers } from '../faults/support/stream';
import { verifyLedger } from '../faults/support/ledger-checks';

jest.setTimeout(240_000);

describe('faults (short form)', () => {
  let h: FaultHarness;
  const markers = new Markers();

  beforeAll(async () => {
    h = await startShortHarness();
  }, 240_000);

  afterAll(async () => {
    await h?.stop();
  });

  const harness = () => ({
    processes: h.processes,
    temporal: h.temporal,
    client: h.client,
    sql: h.stack.sql.bind(h.stack),
  });

  const expectNothingLost = (result: ScenarioResult): void => {
    expect(scenarioProblems(result)).toEqual([]);
    expect(result.injections).toBeGreaterThan(0);
    expect(result.verdict.actionsChecked).toBe(result.outcomes.length);
  };

  let workerRun: ScenarioResult;
  let tqs: Awaited<ReturnType<typeof reportingTaskQuarters>>;

  it('finds task-quarters open for reporting', async () => {
    tqs = await reportingTaskQuarters(h.client, h.processes.baseUrl, h.planId, h.quarter, 4, 2);
    expect(tqs).toHaveLength(4);
  });

  it('loses and doubles nothing when the worker is SIGKILLed mid-stream and restarted', async () => {
    const result = await workerKillScenario(harness(), markers, tqs.slice(0, 2), {
      killAt: [2],
      outageMs: 1_500,
    });
    expectNothingLost(result);
    expect(h.processes.workerStarts).toBeGreaterThanOrEqual(2);
    workerRun = result;
  });

  it('has checks that see a lost action and one applied without being accepted', async () => {
    const [real] = workerRun.outcomes.filter((o) => o.accepted && o.kind === 'submit');
    const verdict = await verifyLedger(
      h.temporal,
      h.stack.sql.bind(h.stack),
      [
        { ...real, accepted: false, status: 503 },
        { ...real, marker: `FX${markers.tag}-999999` },
      ],
      [real.workflowId],
    );
    expect(verdict.appliedWithoutAcceptance).toContainEqual(
      expect.stringMatching(new RegExp(`^submit ${real.marker} .*state 1, Postgres 1$`)),
    );
    expect(verdict.lost).toHaveLength(2); // neither in the state nor in Postgres
  });

  it('acts once when the API dies between accepting and answering and the client retries the key', async () => {
    const result = await apiKillScenario(harness(), markers, tqs.slice(2, 4), {
      delaysMs: [0, 25],
      workerDownEvery: 2,
    });
    expectNothingLost(result);
    expect(h.processes.apiStarts).toBeGreaterThanOrEqual(1 + result.injections);
  });

  it('replays every task-quarter of the plan cleanly against the projection', async () => {
    const { code, output } = await h.processes.cli(['audit', 'replay', '--plan', h.planId]);
    if (code !== 0) throw new Error(`audit replay exited ${code}:\n${output.slice(-4000)}`);
    expect(code).toBe(0);
  });
});

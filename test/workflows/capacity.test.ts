import { decideAsHeadUpdate, LIMITS, REJECTION, submitReportUpdate } from '@duban/contracts';
import { STATE_BUDGET_BYTES, stateBytes } from '@duban/domain';
import {
  DAY_MS,
  head,
  makeInput,
  queryState,
  rejectionOf,
  settled,
  staff,
  useHarness,
} from './support/harness';

/*
 * A task-quarter's whole state travels to the projection activity, and Temporal refuses payloads
 * over 2 MiB. Reports at the size limits (4,000-character summary and explanation, 50 figures)
 * would pass that after about nine versions, after which the task-quarter could never be
 * projected again. The update validators keep the state within its budget instead.
 */

const { h, start } = useHarness(180_000);

const figures = Object.fromEntries(
  Array.from({ length: LIMITS.figures }, (_, i) => [
    `指标${i + 1}`,
    '数'.repeat(LIMITS.figureValueChars),
  ]),
);

it('refuses reports that would outgrow the state budget, and goes on working within it', async () => {
  const now = await h.env.currentTimeMs();
  const { workflowId, input } = makeInput(now, { deadlineInMs: 10 * DAY_MS });
  const handle = await start(input, workflowId);
  const largest = (version: number) => ({
    actor: staff('zjsw'),
    unitCode: 'zjsw',
    status: 'partial' as const,
    summary: `第${version}版`.padEnd(LIMITS.summaryChars, '报'),
    explanation: '说'.repeat(LIMITS.explanationChars),
    figures,
  });

  let accepted = 0;
  let refusal: { type: string; message: string } | undefined;
  for (let version = 1; version <= 40 && !refusal; version++) {
    try {
      await handle.executeUpdate(submitReportUpdate, { args: [largest(version)] });
      accepted += 1;
    } catch {
      refusal = await rejectionOf(
        handle.executeUpdate(submitReportUpdate, { args: [largest(version)] }),
      );
    }
  }
  // Each largest report is ~0.2 MB in the state (kept in the report and in its audit event).
  expect(accepted).toBeGreaterThanOrEqual(4);
  expect(accepted).toBeLessThan(10);
  expect(refusal?.type).toBe(REJECTION.PAYLOAD_TOO_LARGE);
  expect(refusal?.message).toMatch(/record is full/);

  const state = await queryState(handle);
  expect(state.units.find((u) => u.code === 'zjsw')?.latestVersion).toBe(accepted);
  expect(stateBytes(state)).toBeLessThanOrEqual(STATE_BUDGET_BYTES);

  // Small actions still fit, and every accepted change reached the projection.
  await handle.executeUpdate(decideAsHeadUpdate, {
    args: [{ actor: head('zjsw'), unitCode: 'zjsw', decision: 'return', comment: '请精简' }],
  });
  const after = await settled(
    h,
    handle,
    (st) => st.units.find((u) => u.code === 'zjsw')?.status === 'returned_by_head',
    'the return',
  );
  const projected = h.projection.calls(workflowId);
  expect(projected[projected.length - 1].seq).toBe(after.seq);
});

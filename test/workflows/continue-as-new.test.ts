import {
  decideAsHeadUpdate,
  DUBAN_LAMP,
  DUBAN_PLAN,
  DUBAN_STATUS,
  DUBAN_UNITS,
  getStateQuery,
  moveDeadlineUpdate,
  reviewAsOfficeUpdate,
  submitReportUpdate,
  type TaskQuarterInput,
  type TaskQuarterSnapshot,
  type TaskQuarterState,
  type TaskQuarterUpdateResult,
} from '@duban/contracts';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import {
  DAY_MS,
  head,
  HOUR_MS,
  makeInput,
  office,
  queryState,
  rejectionOf,
  settled,
  staff,
  useHarness,
} from './support/harness';

/*
 * Continue-as-new of taskQuarterWorkflow. The time-skipping test server sets
 * `suggestContinueAsNew` on a workflow task once the run's history passes its size limit (about
 * 4 MB; the reason it gives is HISTORY_SIZE_TOO_LARGE), as the real server does by default. No
 * option of the test environment lowers that limit, so the test grows the history the way a busy
 * task-quarter would: every report is a new version in the state, and every projection carries
 * the whole state, so a few dozen resubmissions of a long summary take the run past the limit.
 */

const { h, start } = useHarness(120_000);

const EventType = temporal.api.enums.v1.EventType;
/** ~1.2 KB of UTF-8 per copy: big enough for a short test, small enough to stay at two runs. */
const LONG_SUMMARY = '本季度完成情况说明'.repeat(45);

/** The state a snapshot carries, without the time the workflow took it. */
function stateOf(snapshot: TaskQuarterSnapshot): TaskQuarterState {
  const { recordedAt: _recordedAt, ...state } = snapshot;
  return state;
}

it('continues as new when the history grows too large, carrying the state over exactly', async () => {
  // A run's history passes 4 MB here: read it through a connection that accepts such messages.
  const connection = await Connection.connect({
    address: h.env.address,
    channelArgs: { 'grpc.max_receive_message_length': 64 * 1024 * 1024 },
  });
  try {
    const client = new Client({ connection, namespace: h.env.namespace ?? 'default' });
    const now = await h.env.currentTimeMs();
    const { workflowId, input } = makeInput(now, { deadlineInMs: 10 * DAY_MS });
    const handle = await start(input, workflowId);
    const firstRunId = (await handle.describe()).runId;

    // Some of everything before the continue-as-new: an approval, a return, a moved deadline, notices.
    const submit = (unitCode: string, summary: string) =>
      handle.executeUpdate(submitReportUpdate, {
        args: [{ actor: staff(unitCode), unitCode, status: 'completed', summary }],
      });
    await submit('zjsw', '已完成');
    await handle.executeUpdate(decideAsHeadUpdate, {
      args: [{ actor: head('zjsw'), unitCode: 'zjsw', decision: 'approve', comment: '同意' }],
    });
    await submit('jtys', '已完成');
    await handle.executeUpdate(decideAsHeadUpdate, {
      args: [{ actor: head('jtys'), unitCode: 'jtys', decision: 'return', comment: '数据不全' }],
    });
    const newDeadline = new Date(now + 9 * DAY_MS).toISOString();
    await handle.executeUpdate(moveDeadlineUpdate, {
      args: [{ actor: office, deadline: newDeadline, reason: '资金延迟下达' }],
    });
    await h.env.sleep(2 * DAY_MS + HOUR_MS); // 7 days before the moved deadline
    const warned = await settled(
      h,
      handle,
      (s) => s.notices.some((n) => n.kind === 'warning'),
      'the 7-day warning',
    );
    expect((await handle.describe()).runId).toBe(firstRunId);

    // cgj resubmits a long report until the workflow continues as new.
    let last: TaskQuarterUpdateResult | null = null;
    let submissions = 0;
    while ((await handle.describe()).runId === firstRunId) {
      if (submissions === 200) throw new Error('no continue-as-new after 200 submissions');
      submissions += 1;
      last = await submit('cgj', `第${submissions}版 ${LONG_SUMMARY}`);
    }
    expect(last?.seq).toBeGreaterThan(warned.seq);
    const newRunId = (await handle.describe()).runId;

    // The run chain: the first run ended ContinuedAsNew on the server's suggestion, naming the new run.
    expect((await client.workflow.getHandle(workflowId, firstRunId).describe()).status.name).toBe(
      'CONTINUED_AS_NEW',
    );
    const oldEvents =
      (await client.workflow.getHandle(workflowId, firstRunId).fetchHistory()).events ?? [];
    const continued = oldEvents.at(-1);
    expect(continued?.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    expect(continued?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId).toBe(
      newRunId,
    );
    const tasksStarted = oldEvents.filter(
      (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    );
    expect(tasksStarted.at(-1)?.workflowTaskStartedEventAttributes?.suggestContinueAsNew).toBe(
      true,
    );
    expect(
      tasksStarted
        .slice(0, -1)
        .some((e) => e.workflowTaskStartedEventAttributes?.suggestContinueAsNew),
    ).toBe(false);
    const newEvents =
      (await client.workflow.getHandle(workflowId, newRunId).fetchHistory()).events ?? [];
    const started = newEvents[0]?.workflowExecutionStartedEventAttributes;
    expect(started?.continuedExecutionRunId).toBe(firstRunId);
    expect(started?.firstExecutionRunId).toBe(firstRunId);
    const [newInput] = (started?.input?.payloads ?? []).map((p) =>
      defaultPayloadConverter.fromPayload<TaskQuarterInput>(p),
    );
    const carried = newInput.carriedOver as TaskQuarterState;

    // The state carried over is exactly what the old run last projected, and what the new run holds.
    const calls = h.projection.callsWithRun(workflowId);
    const oldCalls = calls.filter((c) => c.runId === firstRunId);
    expect(carried).toEqual(stateOf(oldCalls[oldCalls.length - 1].snapshot));
    expect(await queryState(handle)).toEqual(carried);
    expect(carried.seq).toBe(last?.seq);
    expect(carried.events.map((e) => e.seq)).toEqual(carried.events.map((_e, i) => i + 1));
    expect(carried.events.filter((e) => e.type === 'task_quarter_started')).toHaveLength(1);
    const cgj = carried.units.find((u) => u.code === 'cgj')!;
    expect(cgj.reports.map((r) => r.version)).toEqual(
      Array.from({ length: submissions }, (_v, i) => i + 1),
    );
    expect(cgj.reports.map((r) => r.superseded)).toEqual(
      Array.from({ length: submissions }, (_v, i) => i < submissions - 1),
    );
    expect(carried.units.map((u) => `${u.code}:${u.status}`)).toEqual([
      'zjsw:head_approved',
      'jtys:returned_by_head',
      'cgj:awaiting_head',
    ]);
    expect(carried.decisions.map((d) => `${d.level}:${d.decision}:${d.comment}`)).toEqual([
      'head:approve:同意',
      'head:return:数据不全',
    ]);
    expect(carried.deadline).toBe(newDeadline);
    expect(carried.deadlineHistory.map((m) => m.reason)).toEqual(['资金延迟下达']);
    expect(carried.notices).toEqual(warned.notices);
    expect(carried.facts).toEqual(warned.facts);
    // The facts travel beside the state too, so the new run starts from the same input.
    const { carriedOver: _carriedOver, ...facts } = newInput;
    expect(facts).toEqual(carried.facts);
    // The new run re-registers its search attributes.
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(DUBAN_PLAN)).toBe(input.planId);
    expect(attributes.get(DUBAN_UNITS)).toEqual(['zjsw', 'jtys', 'cgj']);
    expect(attributes.get(DUBAN_STATUS)).toBe('reporting');
    expect(attributes.get(DUBAN_LAMP)).toBe('yellow');

    // Updates after the continue-as-new: through the start handle and through a fresh one, with
    // the validators still refusing what they must.
    expect(
      await rejectionOf(
        handle.executeUpdate(decideAsHeadUpdate, {
          args: [{ actor: head('cgj'), unitCode: 'zjsw', decision: 'approve', comment: '' }],
        }),
      ),
    ).toMatchObject({ type: 'ROLE_NOT_ALLOWED' });
    const approvedCgj = await handle.executeUpdate(decideAsHeadUpdate, {
      args: [{ actor: head('cgj'), unitCode: 'cgj', decision: 'approve', comment: '同意' }],
    });
    expect(approvedCgj.seq).toBe(carried.seq + 1);
    const latest = h.env.client.workflow.getHandle(workflowId);
    await latest.executeUpdate(submitReportUpdate, {
      args: [{ actor: staff('jtys'), unitCode: 'jtys', status: 'completed', summary: '已补充' }],
    });
    const review = await latest.executeUpdate(decideAsHeadUpdate, {
      args: [{ actor: head('jtys'), unitCode: 'jtys', decision: 'approve', comment: '同意' }],
    });
    expect(review.phase).toBe('office_review');
    await latest.executeUpdate(reviewAsOfficeUpdate, {
      args: [{ actor: office, decision: 'approve', comment: '办结' }],
    });
    const final = await handle.result();
    expect(final.phase).toBe('closed');
    expect((await latest.describe()).runId).toBe(newRunId); // still two runs
    expect(final.events.slice(0, carried.events.length)).toEqual(carried.events);
    expect(final.events.map((e) => e.seq)).toEqual(final.events.map((_e, i) => i + 1));
    expect(final.events.slice(carried.events.length).map((e) => e.type)).toEqual([
      'head_approved',
      'report_submitted',
      'head_approved',
      'office_review_started',
      'lamp_changed', // nothing owed while the office reviews: yellow to green
      'office_approved',
      'closed',
      'lamp_changed',
    ]);
    expect(final.units.find((u) => u.code === 'jtys')?.latestVersion).toBe(2);
    expect(final.units.find((u) => u.code === 'cgj')?.reports).toHaveLength(submissions);
    expect(final.decisions.slice(0, 2)).toEqual(carried.decisions);
    expect(final.notices.slice(0, carried.notices.length)).toEqual(carried.notices);
    expect(new Set(final.notices.map((n) => n.key)).size).toBe(final.notices.length);

    // The projection saw seq only grow, run after run, and holds the final state.
    await settled(h, handle, (s) => s.phase === 'closed', 'the closed projection');
    const seqs = h.projection.calls(workflowId).map((s) => s.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const runs = h.projection.callsWithRun(workflowId).map((c) => c.runId);
    expect([...new Set(runs)]).toEqual([firstRunId, newRunId]);
    expect(runs.lastIndexOf(firstRunId)).toBeLessThan(runs.indexOf(newRunId));
    const newCalls = h.projection.callsWithRun(workflowId).filter((c) => c.runId === newRunId);
    expect(newCalls[0].snapshot.seq).toBe(carried.seq);
    expect(h.projection.row(workflowId)).toMatchObject({ phase: 'closed', seq: final.seq });
    expect(await h.env.client.workflow.getHandle(workflowId).query(getStateQuery)).toEqual(final);
  } finally {
    await connection.close();
  }
});

import {
  decideAsHeadUpdate,
  DUBAN_LAMP,
  moveDeadlineUpdate,
  type Notice,
  reviewAsOfficeUpdate,
  submitReportUpdate,
  type TaskQuarterState,
} from '@duban/contracts';
import {
  DAY_MS,
  exportHistoryIfAsked,
  head,
  HOUR_MS,
  makeInput,
  noticesOf,
  office,
  settled,
  staff,
  type TaskQuarterHandle,
  useHarness,
  UNITS,
} from './support/harness';

const { h, start } = useHarness();

async function submitAndApprove(handle: TaskQuarterHandle, unitCode: string): Promise<void> {
  await handle.executeUpdate(submitReportUpdate, {
    args: [{ actor: staff(unitCode), unitCode, status: 'completed', summary: '已完成' }],
  });
  await handle.executeUpdate(decideAsHeadUpdate, {
    args: [{ actor: head(unitCode), unitCode, decision: 'approve', comment: '同意' }],
  });
}

const kinds = (state: TaskQuarterState): string[] => state.notices.map((n) => n.kind);
const keysUnique = (state: TaskQuarterState): boolean =>
  new Set(state.notices.map((n) => n.key)).size === state.notices.length;
const recipients = (notice: Notice): string[] =>
  notice.recipients.map((r) => `${r.role}:${r.unitCode ?? '-'}`);

describe('the escalation ladder', () => {
  it('warns the missing unit, then sends one overdue notice to its head and the office', async () => {
    const now = await h.env.currentTimeMs();
    const { workflowId, input } = makeInput(now, { deadlineInMs: 10 * DAY_MS });
    const deadline = new Date(input.deadline).toISOString();
    const handle = await start(input, workflowId);
    await submitAndApprove(handle, 'zjsw');
    await submitAndApprove(handle, 'jtys');

    await h.env.sleep(3 * DAY_MS + HOUR_MS); // 7 days before the deadline
    let state = await settled(h, handle, (s) => kinds(s).includes('warning'), 'the 7-day warning');
    expect(state.lamp).toBe('yellow');
    const [warning] = noticesOf(state, 'warning');
    expect(recipients(warning)).toEqual(['staff:cgj', 'head:cgj']);
    expect(warning.key).toBe(`${workflowId}:warning:7d:${deadline}`);
    expect((await handle.describe()).typedSearchAttributes.get(DUBAN_LAMP)).toBe('yellow');

    await h.env.sleep(6 * DAY_MS); // 1 day before (plus an hour)
    state = await settled(h, handle, (s) => noticesOf(s, 'warning').length === 2, '1-day warning');
    expect(noticesOf(state, 'warning')[1].key).toBe(`${workflowId}:warning:1d:${deadline}`);

    await h.env.sleep(DAY_MS); // past the deadline
    state = await settled(h, handle, (s) => kinds(s).includes('overdue'), 'the overdue notice');
    const overdue = noticesOf(state, 'overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0].key).toBe(`${workflowId}:overdue:${deadline}`);
    expect(recipients(overdue[0])).toEqual(['head:cgj', 'office:-']);
    expect(overdue[0].lagging).toEqual([{ unitCode: 'cgj', unitName: '城管局', owes: 'report' }]);
    expect(overdue[0].title).toBe(`【逾期】${input.taskCode} 加快提升公交一体化水平 2017年第2季度`);
    expect(overdue[0].body).toContain('城管局（未报送完成情况）');
    expect(state.lamp).toBe('red');

    // Waking again (a submission by the laggard, more time) creates no second overdue notice.
    await handle.executeUpdate(submitReportUpdate, {
      args: [
        {
          actor: staff('cgj'),
          unitCode: 'cgj',
          status: 'partial',
          summary: '进行中',
          explanation: '施工延误',
        },
      ],
    });
    await h.env.sleep(HOUR_MS);
    state = await settled(h, handle, (s) => s.units[2].latestVersion === 1, 'the late report');
    expect(noticesOf(state, 'overdue')).toHaveLength(1);
    expect(keysUnique(state)).toBe(true);
    // The projection received each notice under its key, and holds them all once.
    const row = h.projection.row(workflowId);
    expect(row?.notices.map((n) => n.key)).toEqual(state.notices.map((n) => n.key));
    await exportHistoryIfAsked(handle, 'overdue-with-one-unit-missing');
  });

  it('escalates to the office and leadership 3 days after the deadline, then weekly', async () => {
    const now = await h.env.currentTimeMs();
    const { workflowId, input } = makeInput(now, {
      deadlineInMs: 2 * DAY_MS,
      units: UNITS.slice(0, 1),
    });
    const deadline = new Date(input.deadline).toISOString();
    const handle = await start(input, workflowId);

    await h.env.sleep(2 * DAY_MS + 3 * DAY_MS - HOUR_MS);
    let state = await settled(h, handle, (s) => kinds(s).includes('overdue'), 'overdue');
    expect(noticesOf(state, 'escalation')).toHaveLength(0);

    await h.env.sleep(2 * HOUR_MS); // 3 days after the deadline (plus an hour)
    state = await settled(h, handle, (s) => kinds(s).includes('escalation'), 'escalation 1');
    const [first] = noticesOf(state, 'escalation');
    expect(first.key).toBe(`${workflowId}:escalation:1:${deadline}`);
    expect(recipients(first)).toEqual(['office:-', 'leader:-']);
    expect(first.title).toMatch(/^【催办】/);
    expect(state.escalationLevel).toBe(1);

    await h.env.sleep(6 * DAY_MS);
    state = await settled(h, handle, (s) => s.seq > 0, 'a week minus a day later');
    expect(noticesOf(state, 'escalation')).toHaveLength(1);

    await h.env.sleep(DAY_MS); // 10 days after the deadline
    state = await settled(
      h,
      handle,
      (s) => noticesOf(s, 'escalation').length === 2,
      'escalation 2',
    );
    await h.env.sleep(7 * DAY_MS);
    state = await settled(
      h,
      handle,
      (s) => noticesOf(s, 'escalation').length === 3,
      'escalation 3',
    );
    expect(noticesOf(state, 'escalation').map((n) => n.key)).toEqual(
      [1, 2, 3].map((n) => `${workflowId}:escalation:${n}:${deadline}`),
    );
    expect(state.escalationLevel).toBe(3);
    expect(noticesOf(state, 'overdue')).toHaveLength(1);
    expect(keysUnique(state)).toBe(true);
  });

  it('moves the ladder with an extension: no overdue for the old deadline, new keys', async () => {
    const now = await h.env.currentTimeMs();
    const { workflowId, input } = makeInput(now, {
      deadlineInMs: 10 * DAY_MS,
      units: UNITS.slice(0, 1),
    });
    const oldDeadline = new Date(input.deadline);
    const handle = await start(input, workflowId);

    await h.env.sleep(3 * DAY_MS + HOUR_MS);
    let state = await settled(h, handle, (s) => kinds(s).includes('warning'), '7-day warning');
    expect(state.lamp).toBe('yellow');

    const newDeadline = new Date(oldDeadline.getTime() + 14 * DAY_MS);
    const moved = await handle.executeUpdate(moveDeadlineUpdate, {
      args: [{ actor: office, deadline: newDeadline.toISOString(), reason: '受台风影响延期两周' }],
    });
    expect(moved).toMatchObject({ deadline: newDeadline.toISOString(), lamp: 'green' });

    await h.env.sleep(7 * DAY_MS); // past the old deadline
    state = await settled(h, handle, (s) => s.lamp === 'green', 'still green');
    expect(kinds(state)).toEqual(['warning']);
    expect(state.deadlineHistory).toEqual([
      expect.objectContaining({
        from: oldDeadline.toISOString(),
        to: newDeadline.toISOString(),
        reason: '受台风影响延期两周',
        actor: office,
      }),
    ]);

    await h.env.sleep(8 * DAY_MS); // past the new deadline's 7-day mark
    state = await settled(
      h,
      handle,
      (s) => noticesOf(s, 'warning').length === 2,
      'new 7-day warning',
    );
    expect(noticesOf(state, 'warning')[1].key).toBe(
      `${workflowId}:warning:7d:${newDeadline.toISOString()}`,
    );

    await h.env.sleep(7 * DAY_MS); // past the new deadline
    state = await settled(h, handle, (s) => kinds(s).includes('overdue'), 'overdue');
    expect(noticesOf(state, 'overdue').map((n) => n.key)).toEqual([
      `${workflowId}:overdue:${newDeadline.toISOString()}`,
    ]);
    expect(noticesOf(state, 'overdue')[0].body).toContain('截止时间');
    expect(keysUnique(state)).toBe(true);
    await exportHistoryIfAsked(handle, 'deadline-extension');
  });

  it('reminds a head sitting on a report for more than 2 days, and the office after 3', async () => {
    const now = await h.env.currentTimeMs();
    const { workflowId, input } = makeInput(now, {
      deadlineInMs: 40 * DAY_MS,
      units: UNITS.slice(0, 2),
    });
    const handle = await start(input, workflowId);
    await submitAndApprove(handle, 'zjsw');
    await handle.executeUpdate(submitReportUpdate, {
      args: [{ actor: staff('jtys'), unitCode: 'jtys', status: 'completed', summary: '已完成' }],
    });

    await h.env.sleep(2 * DAY_MS - HOUR_MS);
    let state = await settled(h, handle, (s) => s.seq > 0, 'two days minus an hour');
    expect(noticesOf(state, 'head_reminder')).toHaveLength(0);
    await h.env.sleep(2 * HOUR_MS);
    state = await settled(h, handle, (s) => kinds(s).includes('head_reminder'), 'head reminder');
    const [reminder] = noticesOf(state, 'head_reminder');
    expect(recipients(reminder)).toEqual(['head:jtys']);
    expect(reminder.lagging).toEqual([
      { unitCode: 'jtys', unitName: '交通运输局', owes: 'head_approval' },
    ]);
    await h.env.sleep(2 * DAY_MS);
    state = await settled(h, handle, (s) => s.seq > 0, 'two more days');
    expect(noticesOf(state, 'head_reminder')).toHaveLength(1);

    await handle.executeUpdate(decideAsHeadUpdate, {
      args: [{ actor: head('jtys'), unitCode: 'jtys', decision: 'approve', comment: '同意' }],
    });
    await h.env.sleep(3 * DAY_MS + HOUR_MS);
    state = await settled(
      h,
      handle,
      (s) => kinds(s).includes('office_reminder'),
      'office reminder',
    );
    const [officeReminder] = noticesOf(state, 'office_reminder');
    expect(recipients(officeReminder)).toEqual(['office:-']);
    expect(officeReminder.key).toBe(`${workflowId}:office_reminder:r1`);

    await handle.executeUpdate(reviewAsOfficeUpdate, {
      args: [{ actor: office, decision: 'approve', comment: '办结' }],
    });
    const final = await handle.result();
    expect(final.phase).toBe('closed');
    expect(keysUnique(final)).toBe(true);
    await exportHistoryIfAsked(handle, 'head-and-office-reminders');
  });
});

import { DEFAULT_LADDER, type Notice, type TaskQuarterState } from '@duban/contracts';
import { dueNotices, escalationLevelAt, nextLadderInstant } from './ladder';
import { lampAt } from './owes';
import {
  FIXTURE_DEADLINE,
  FIXTURE_WORKFLOW_ID,
  taskQuarterState,
  unitState,
} from './task-quarter-state.spec-helpers';
import { addDays, DAY_MS, HOUR_MS } from './time';

const deadline = FIXTURE_DEADLINE; // 2017-07-01T00:00+08:00
const wf = FIXTURE_WORKFLOW_ID;
const unit = unitState;

function state(overrides: Partial<TaskQuarterState> = {}): TaskQuarterState {
  return taskQuarterState(
    {
      units: [unit('a', 'awaiting_report'), unit('b', 'head_approved'), unit('c', 'awaiting_head')],
      ...overrides,
    },
    { ladder: { ...DEFAULT_LADDER, warningDaysBefore: [7, 1] } },
  );
}

const keys = (notices: Notice[]): string[] => notices.map((n) => n.key);

describe('the escalation ladder', () => {
  it('owes nothing before the first warning and wakes at the 7-day mark', () => {
    const now = addDays(deadline, -10);
    expect(dueNotices(state(), now)).toEqual([]);
    expect(nextLadderInstant(state(), now)).toEqual(addDays(deadline, -7));
  });

  it('warns staff and head of the units that have not submitted, 7 days before', () => {
    const [warning, ...rest] = dueNotices(state(), addDays(deadline, -7));
    expect(rest).toEqual([]);
    expect(warning.key).toBe(`${wf}:warning:7d:2017-06-30T16:00:00.000Z`);
    expect(warning.recipients).toEqual([
      { role: 'staff', unitCode: 'a' },
      { role: 'head', unitCode: 'a' },
    ]);
    expect(warning.lagging).toEqual([{ unitCode: 'a', unitName: 'a局', owes: 'report' }]);
    expect(warning.title).toBe('【预警】36.1 加快提升公交一体化水平 2017年第2季度');
    expect(warning.body).toContain('2017年7月1日 00:00');
  });

  it('creates nothing twice however often it wakes', () => {
    const now = addDays(deadline, -7);
    const first = dueNotices(state(), now);
    const later = new Date(now.getTime() + HOUR_MS);
    expect(dueNotices(state({ notices: first }), later)).toEqual([]);
  });

  it('sends the overdue notice to the heads of lagging units and the office, with what they owe', () => {
    const [overdue] = dueNotices(state(), deadline);
    expect(overdue.kind).toBe('overdue');
    expect(overdue.key).toBe(`${wf}:overdue:2017-06-30T16:00:00.000Z`);
    expect(overdue.recipients).toEqual([
      { role: 'head', unitCode: 'a' },
      { role: 'head', unitCode: 'c' },
      { role: 'office', unitCode: null },
    ]);
    expect(overdue.lagging.map((l) => [l.unitCode, l.owes])).toEqual([
      ['a', 'report'],
      ['c', 'head_approval'],
    ]);
    expect(overdue.title).toBe('【逾期】36.1 加快提升公交一体化水平 2017年第2季度');
  });

  it('escalates 3 days after the deadline and weekly after that, to office and leadership', () => {
    expect(escalationLevelAt(deadline, DEFAULT_LADDER, addDays(deadline, 2.9))).toBe(0);
    expect(escalationLevelAt(deadline, DEFAULT_LADDER, addDays(deadline, 3))).toBe(1);
    expect(escalationLevelAt(deadline, DEFAULT_LADDER, addDays(deadline, 10))).toBe(2);
    expect(nextLadderInstant(state(), addDays(deadline, 3))).toEqual(addDays(deadline, 10));
    const due = dueNotices(state(), addDays(deadline, 10)).filter((n) => n.kind === 'escalation');
    // Only the latest level: a wake-up after a long pause does not send a burst.
    expect(keys(due)).toEqual([`${wf}:escalation:2:2017-06-30T16:00:00.000Z`]);
    expect(due[0].recipients).toEqual([
      { role: 'office', unitCode: null },
      { role: 'leader', unitCode: null },
    ]);
  });

  it('reminds a head sitting on a report for more than 2 days, once per version', () => {
    const since = addDays(deadline, -20);
    const s = state({ units: [unit('c', 'awaiting_head', since.toISOString())] });
    expect(nextLadderInstant(s, addDays(since, 1))).toEqual(addDays(since, 2));
    const [reminder] = dueNotices(s, addDays(since, 2));
    expect(reminder.key).toBe(`${wf}:head_reminder:c:v1`);
    expect(reminder.recipients).toEqual([{ role: 'head', unitCode: 'c' }]);
  });

  it('reminds the office after 3 days of review, once per round', () => {
    const since = addDays(deadline, -5);
    const s = state({
      phase: 'office_review',
      units: [unit('a', 'head_approved')],
      officeReviewSince: since.toISOString(),
      officeReviewRound: 2,
    });
    expect(dueNotices(s, addDays(since, 2.9))).toEqual([]);
    expect(keys(dueNotices(s, addDays(since, 3)))).toEqual([`${wf}:office_reminder:r2`]);
  });

  it('does not send a warning late for an instant that had passed when the deadline was moved', () => {
    const moved = addDays(deadline, 3);
    const movedAt = addDays(deadline, -5);
    const s = state({
      deadline: moved.toISOString(),
      deadlineHistory: [
        {
          seq: 1,
          from: deadline.toISOString(),
          to: moved.toISOString(),
          reason: '延期',
          actor: { id: 'office', name: '区督查室', role: 'office', unitCode: null },
          at: movedAt.toISOString(),
        },
      ],
    });
    // moved - 7d = deadline - 4d: after the move, so it is due then, keyed by the new deadline.
    expect(dueNotices(s, movedAt)).toEqual([]);
    expect(nextLadderInstant(s, movedAt)).toEqual(addDays(moved, -7));
    expect(keys(dueNotices(s, addDays(moved, -7)))).toEqual([
      `${wf}:warning:7d:${moved.toISOString()}`,
    ]);
    // The old deadline passes without an overdue notice.
    expect(dueNotices(s, addDays(deadline, 1)).map((n) => n.kind)).toEqual(['warning']);
  });

  it('stops when closed', () => {
    const s = state({ phase: 'closed' });
    expect(dueNotices(s, addDays(deadline, 30))).toEqual([]);
    expect(nextLadderInstant(s, addDays(deadline, 30))).toBeNull();
  });
});

describe('the lamp', () => {
  it('is green, then yellow within 7 days while reports are missing, then red', () => {
    expect(lampAt(state(), addDays(deadline, -8))).toBe('green');
    expect(lampAt(state(), addDays(deadline, -7))).toBe('yellow');
    expect(lampAt(state(), new Date(deadline.getTime() - 1))).toBe('yellow');
    expect(lampAt(state(), deadline)).toBe('red');
  });

  it('stays green near the deadline when every report is head-approved, and shows closed', () => {
    const done = state({ phase: 'office_review', units: [unit('a', 'head_approved')] });
    expect(lampAt(done, addDays(deadline, -1))).toBe('green');
    expect(lampAt(done, addDays(deadline, 1))).toBe('red');
    expect(lampAt({ ...done, phase: 'closed' }, addDays(deadline, 1))).toBe('closed');
    expect(DAY_MS).toBe(86_400_000);
  });
});

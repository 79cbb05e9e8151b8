import { replayTaskQuarter, type TaskQuarterRecord } from './timeline';

const t = (iso: string): Date => new Date(iso);

/** Q1 2017 of a two-unit task: both submit, one is returned by its head, the office closes it. */
function record(): TaskQuarterRecord {
  return {
    id: 'tq:2017-jianghai:37.1:Q1',
    taskCode: '37.1',
    quarter: 1,
    phase: 'closed',
    lamp: 'closed',
    deadline: t('2017-04-09T16:00:00Z'),
    opensAt: t('2016-12-31T16:00:00Z'),
    closedAt: t('2017-04-05T02:00:00Z'),
    units: [
      { code: 'zjsw', name: '住建水务局', lead: true, status: 'head_approved' },
      { code: 'waihai', name: '外海街道办事处', lead: false, status: 'head_approved' },
    ],
    reports: [
      {
        unitCode: 'zjsw',
        version: 1,
        status: 'completed',
        summary: '已完成',
        explanation: null,
        submittedAt: t('2017-03-20T02:00:00Z'),
      },
      {
        unitCode: 'waihai',
        version: 1,
        status: 'partial',
        summary: '初稿',
        explanation: '缺数据',
        submittedAt: t('2017-03-21T02:00:00Z'),
      },
      {
        unitCode: 'waihai',
        version: 2,
        status: 'completed',
        summary: '已补充',
        explanation: null,
        submittedAt: t('2017-04-02T02:00:00Z'),
      },
    ],
    decisions: [
      {
        seq: 5,
        level: 'head',
        decision: 'approve',
        comment: '同意',
        unitCodes: ['zjsw'],
        actorName: '局长',
        decidedAt: t('2017-03-20T04:00:00Z'),
      },
      {
        seq: 6,
        level: 'head',
        decision: 'return',
        comment: '补数据',
        unitCodes: ['waihai'],
        actorName: '主任',
        decidedAt: t('2017-03-22T02:00:00Z'),
      },
      {
        seq: 9,
        level: 'head',
        decision: 'approve',
        comment: '同意',
        unitCodes: ['waihai'],
        actorName: '主任',
        decidedAt: t('2017-04-03T02:00:00Z'),
      },
      {
        seq: 11,
        level: 'office',
        decision: 'approve',
        comment: '办结',
        unitCodes: ['zjsw', 'waihai'],
        actorName: '督查室',
        decidedAt: t('2017-04-05T02:00:00Z'),
      },
    ],
    deadlineChanges: [
      {
        seq: 7,
        from: t('2017-03-31T16:00:00Z'),
        to: t('2017-04-09T16:00:00Z'),
        changedAt: t('2017-03-30T02:00:00Z'),
      },
    ],
    events: [
      { seq: 1, type: 'task_quarter_started', detail: {}, occurredAt: t('2017-01-01T00:00:00Z') },
      {
        seq: 3,
        type: 'report_submitted',
        detail: { unitCode: 'zjsw', version: 1 },
        occurredAt: t('2017-03-20T02:00:00Z'),
      },
      {
        seq: 4,
        type: 'report_submitted',
        detail: { unitCode: 'waihai', version: 1 },
        occurredAt: t('2017-03-21T02:00:00Z'),
      },
      {
        seq: 8,
        type: 'report_submitted',
        detail: { unitCode: 'waihai', version: 2 },
        occurredAt: t('2017-04-02T02:00:00Z'),
      },
    ],
  };
}

describe('replaying a task-quarter to a moment', () => {
  it('live: takes the projection as it stands, with every fact', () => {
    const view = replayTaskQuarter(record(), t('2017-05-01T00:00:00Z'), true);
    expect(view).toMatchObject({ phase: 'closed', lamp: 'closed', started: true });
    expect(view.units.map((u) => [u.code, u.approvedReport?.version, u.returns])).toEqual([
      ['zjsw', 1, 0],
      ['waihai', 2, 1],
    ]);
    expect(view.hoursToOfficeApproval).toBe(48);
    expect(view.units[0].hoursToHeadApproval).toEqual([2]);
  });

  it('before the extension and after the deadline it first had: red, the return shown, no approval of v2', () => {
    const view = replayTaskQuarter(record(), t('2017-03-29T16:00:00Z'), false);
    expect(view.deadline.toISOString()).toBe('2017-03-31T16:00:00.000Z');
    expect(view.phase).toBe('reporting');
    expect(view.lamp).toBe('yellow');
    const waihai = view.units.find((u) => u.code === 'waihai');
    expect(waihai).toMatchObject({ status: 'returned_by_head', returns: 1, approvedReport: null });
    expect(view.decisions.map((d) => d.seq)).toEqual([5, 6]);
  });

  it('after the extension, before the office decided: in office review, green, no closing shown', () => {
    const view = replayTaskQuarter(record(), t('2017-04-04T16:00:00Z'), false);
    expect(view.deadline.toISOString()).toBe('2017-04-09T16:00:00.000Z');
    expect(view).toMatchObject({
      phase: 'office_review',
      lamp: 'green',
      closedAt: null,
      hoursToOfficeApproval: null,
    });
    expect(view.decisions.some((d) => d.level === 'office')).toBe(false);
  });

  it('before the workflow started: nothing known', () => {
    const view = replayTaskQuarter(record(), t('2016-12-31T00:00:00Z'), false);
    expect(view.started).toBe(false);
    expect(view.phase).toBe('not_open');
    expect(view.units.every((u) => u.latestReport === null)).toBe(true);
  });
});

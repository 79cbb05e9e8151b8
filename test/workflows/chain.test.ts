import {
  type Actor,
  decideAsHeadUpdate,
  DUBAN_LAMP,
  DUBAN_QUARTER,
  DUBAN_STATUS,
  DUBAN_UNITS,
  moveDeadlineUpdate,
  reviewAsOfficeUpdate,
  submitReportUpdate,
  type SubmitReportInput,
} from '@duban/contracts';
import { formatShanghaiIso, quarterOf, quarterOpensAt, reportingDeadline } from '@duban/domain';
import {
  DAY_MS,
  exportHistoryIfAsked,
  head,
  HOUR_MS,
  makeInput,
  noticesOf,
  office,
  queryState,
  rejectionOf,
  settled,
  staff,
  type TaskQuarterHandle,
  useHarness,
  UNITS,
  waitFor,
} from './support/harness';

const { h, start } = useHarness();

const report = (unitCode: string, extra: Partial<SubmitReportInput> = {}) => ({
  args: [
    {
      actor: staff(unitCode),
      unitCode,
      status: 'completed' as const,
      summary: `${unitCode} 已完成本季度目标`,
      ...extra,
    },
  ] as [SubmitReportInput],
});
const headSays = (unitCode: string, decision: 'approve' | 'return', comment = '同意') => ({
  args: [{ actor: head(unitCode), unitCode, decision, comment }] as [
    { actor: Actor; unitCode: string; decision: 'approve' | 'return'; comment: string },
  ],
});

describe('the reporting chain', () => {
  it('closes after three units report, their heads approve and the office approves', async () => {
    const { workflowId, input } = makeInput(await h.env.currentTimeMs());
    const handle = await start(input, workflowId);

    for (const unit of UNITS) {
      const result = await handle.executeUpdate(submitReportUpdate, report(unit.code));
      expect(result.units.find((u) => u.code === unit.code)?.status).toBe('awaiting_head');
    }
    await handle.executeUpdate(decideAsHeadUpdate, headSays('zjsw', 'approve'));
    await handle.executeUpdate(decideAsHeadUpdate, headSays('jtys', 'approve'));
    expect((await queryState(handle)).phase).toBe('reporting');
    const allApproved = await handle.executeUpdate(decideAsHeadUpdate, headSays('cgj', 'approve'));
    expect(allApproved.phase).toBe('office_review');

    const closed = await handle.executeUpdate(reviewAsOfficeUpdate, {
      args: [{ actor: office, decision: 'approve', comment: '办结' }],
    });
    expect(closed).toMatchObject({ phase: 'closed', lamp: 'closed' });

    const final = await handle.result();
    expect(final.closedAt).not.toBeNull();
    expect(final.units.map((u) => u.status)).toEqual([
      'head_approved',
      'head_approved',
      'head_approved',
    ]);
    expect(final.decisions.map((d) => `${d.level}:${d.decision}:${d.units.join(',')}`)).toEqual([
      'head:approve:zjsw',
      'head:approve:jtys',
      'head:approve:cgj',
      'office:approve:zjsw,jtys,cgj',
    ]);
    expect(final.events.map((e) => e.seq)).toEqual(final.events.map((_e, i) => i + 1));
    expect(final.events.map((e) => e.type)).toEqual([
      'task_quarter_started',
      'reporting_opened',
      'report_submitted',
      'report_submitted',
      'report_submitted',
      'head_approved',
      'head_approved',
      'head_approved',
      'office_review_started',
      'office_approved',
      'closed',
      'lamp_changed',
    ]);
    // The projection holds the final state, and its search attributes say closed.
    expect(h.projection.row(workflowId)).toMatchObject({ phase: 'closed', seq: final.seq });
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(DUBAN_STATUS)).toBe('closed');
    expect(attributes.get(DUBAN_LAMP)).toBe('closed');
    expect(attributes.get(DUBAN_QUARTER)).toBe(2);
    expect(attributes.get(DUBAN_UNITS)).toEqual(['zjsw', 'jtys', 'cgj']);
    await exportHistoryIfAsked(handle, 'happy-path-three-units');
  });

  it('reopens only the unit whose head returns its report, and takes the resubmission', async () => {
    const { workflowId, input } = makeInput(await h.env.currentTimeMs(), {
      units: UNITS.slice(0, 2),
    });
    const handle = await start(input, workflowId);
    await handle.executeUpdate(submitReportUpdate, report('zjsw'));
    await handle.executeUpdate(submitReportUpdate, report('jtys'));
    await handle.executeUpdate(decideAsHeadUpdate, headSays('zjsw', 'approve'));
    const returned = await handle.executeUpdate(
      decideAsHeadUpdate,
      headSays('jtys', 'return', '数据不全，请补充'),
    );
    expect(returned.units).toEqual([
      { code: 'zjsw', status: 'head_approved', latestVersion: 1 },
      { code: 'jtys', status: 'returned_by_head', latestVersion: 1 },
    ]);
    await handle.executeUpdate(
      submitReportUpdate,
      report('jtys', { status: 'partial', explanation: '部分站点仍在施工', figures: { 站点: 3 } }),
    );
    const approved = await handle.executeUpdate(decideAsHeadUpdate, headSays('jtys', 'approve'));
    expect(approved.phase).toBe('office_review');

    const state = await queryState(handle);
    const jtys = state.units.find((u) => u.code === 'jtys');
    expect(jtys?.reports.map((r) => [r.version, r.status, r.superseded])).toEqual([
      [1, 'completed', false],
      [2, 'partial', false],
    ]);
    expect(
      state.decisions.filter((d) => d.units[0] === 'jtys').map((d) => [d.decision, d.version]),
    ).toEqual([
      ['return', 1],
      ['approve', 2],
    ]);
    await exportHistoryIfAsked(handle, 'head-returns-and-unit-resubmits');
  });

  it('returns to the one unit the office names; only its head approves again', async () => {
    const { workflowId, input } = makeInput(await h.env.currentTimeMs());
    const handle = await start(input, workflowId);
    for (const unit of UNITS) await handle.executeUpdate(submitReportUpdate, report(unit.code));
    for (const unit of UNITS)
      await handle.executeUpdate(decideAsHeadUpdate, headSays(unit.code, 'approve'));

    const back = await handle.executeUpdate(reviewAsOfficeUpdate, {
      args: [
        { actor: office, decision: 'return', comment: '城管局数据与统计不符', units: ['cgj'] },
      ],
    });
    expect(back.phase).toBe('reporting');
    expect(back.units.map((u) => u.status)).toEqual([
      'head_approved',
      'head_approved',
      'returned_by_office',
    ]);
    // The other units cannot act again: their reports stand approved.
    expect((await rejectionOf(handle.executeUpdate(submitReportUpdate, report('zjsw')))).type).toBe(
      'PHASE_NOT_ALLOWED',
    );

    await handle.executeUpdate(submitReportUpdate, report('cgj', { summary: '已更正数据' }));
    const again = await handle.executeUpdate(decideAsHeadUpdate, headSays('cgj', 'approve'));
    expect(again.phase).toBe('office_review');
    await handle.executeUpdate(reviewAsOfficeUpdate, {
      args: [{ actor: office, decision: 'approve', comment: '办结' }],
    });
    const final = await handle.result();
    expect(final.officeReviewRound).toBe(2);
    expect(final.units.find((u) => u.code === 'cgj')?.reports.map((r) => r.summary)).toEqual([
      'cgj 已完成本季度目标',
      '已更正数据',
    ]);
    await exportHistoryIfAsked(handle, 'office-returns-to-one-unit');
  });

  it('keeps two quick submissions as two ordered versions, the first superseded', async () => {
    const { workflowId, input } = makeInput(await h.env.currentTimeMs(), {
      units: UNITS.slice(0, 1),
    });
    const handle = await start(input, workflowId);
    const [first, second] = await Promise.all([
      handle.executeUpdate(submitReportUpdate, report('zjsw', { summary: '第一稿' })),
      handle.executeUpdate(submitReportUpdate, report('zjsw', { summary: '第二稿' })),
    ]);
    expect(first.seq).not.toBe(second.seq);
    const state = await settled(h, handle, (s) => s.units[0].latestVersion === 2, 'two versions');
    const reports = state.units[0].reports;
    expect(reports.map((r) => r.version)).toEqual([1, 2]);
    expect(reports[0].superseded).toBe(true);
    expect(reports[1].superseded).toBe(false);
    expect(new Set(reports.map((r) => r.summary))).toEqual(new Set(['第一稿', '第二稿']));
    const submitted = state.events.filter((e) => e.type === 'report_submitted');
    expect(submitted.map((e) => e.detail.version)).toEqual([1, 2]);
    expect(submitted[1].detail.supersedes).toBe(1);
    // The head decides on the latest version.
    await handle.executeUpdate(decideAsHeadUpdate, headSays('zjsw', 'approve'));
    expect((await queryState(handle)).decisions[0].version).toBe(2);
  });

  it('puts the Q4 deadline at 00:00 on 1 January of the next year, Shanghai time', async () => {
    const now = await h.env.currentTimeMs();
    const { year } = quarterOf(new Date(now));
    const { workflowId, input } = makeInput(now, {
      year,
      quarter: 4,
      opensAt: quarterOpensAt(year, 4),
      deadline: reportingDeadline(year, 4),
      units: UNITS.slice(0, 1),
    });
    const handle = await start(input, workflowId);
    const state = await queryState(handle);
    expect(state.deadline).toBe(`${year}-12-31T16:00:00.000Z`);
    expect(formatShanghaiIso(state.deadline)).toBe(`${year + 1}-01-01T00:00:00+08:00`);

    const deadline = reportingDeadline(year, 4).getTime();
    await h.env.sleep(deadline - now + HOUR_MS);
    const overdue = await settled(h, handle, (s) => noticesOf(s, 'overdue').length > 0, 'overdue');
    const [notice] = noticesOf(overdue, 'overdue');
    expect(notice.key).toBe(`${workflowId}:overdue:${year}-12-31T16:00:00.000Z`);
    expect(notice.title).toBe(`【逾期】${input.taskCode} 加快提升公交一体化水平 ${year}年第4季度`);
    expect(notice.body).toContain(`${year + 1}年1月1日 00:00`);
    expect(overdue.lamp).toBe('red');
  });
});

/** The history length once nothing is in flight: every activity and workflow task completed. */
async function quietHistoryLength(handle: TaskQuarterHandle): Promise<number> {
  const { EventType } = (await import('@temporalio/proto')).temporal.api.enums.v1;
  const history = await waitFor(
    () => handle.fetchHistory(),
    (hist) => {
      const count = (type: (typeof EventType)[keyof typeof EventType]) =>
        (hist.events ?? []).filter((e) => e.eventType === type).length;
      return (
        count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) ===
          count(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) &&
        count(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) ===
          count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
      );
    },
    'a quiet history',
  );
  return history.events?.length ?? 0;
}

describe('update validators', () => {
  it('reject with a code and a clear message, and leave no trace in history', async () => {
    const now = await h.env.currentTimeMs();
    const { workflowId, input } = makeInput(now, { units: UNITS.slice(0, 2) });
    const handle = await start(input, workflowId);
    await handle.executeUpdate(submitReportUpdate, report('zjsw'));
    const seqBefore = (await settled(h, handle, () => true, 'the submission')).seq;
    const eventsBefore = await quietHistoryLength(handle);

    const cases: Array<[string, Promise<unknown>, RegExp]> = [
      [
        'NOT_RESPONSIBLE',
        handle.executeUpdate(submitReportUpdate, report('nobody')),
        /nobody.*not responsible/,
      ],
      [
        'ROLE_NOT_ALLOWED',
        handle.executeUpdate(submitReportUpdate, {
          args: [{ ...report('zjsw').args[0], actor: staff('jtys') }],
        }),
        /jtys.*may not report for unit "zjsw"/,
      ],
      [
        'ROLE_NOT_ALLOWED',
        handle.executeUpdate(submitReportUpdate, {
          args: [{ ...report('jtys').args[0], actor: head('jtys') }],
        }),
        /Only unit staff/,
      ],
      [
        'ROLE_NOT_ALLOWED',
        handle.executeUpdate(decideAsHeadUpdate, {
          args: [{ ...headSays('zjsw', 'approve').args[0], actor: head('jtys') }],
        }),
        /Only the head of unit "zjsw"/,
      ],
      [
        'ROLE_NOT_ALLOWED',
        handle.executeUpdate(reviewAsOfficeUpdate, {
          args: [{ actor: head('zjsw'), decision: 'approve', comment: '' }],
        }),
        /Only the supervision office reviews/,
      ],
      [
        'ROLE_NOT_ALLOWED',
        handle.executeUpdate(moveDeadlineUpdate, {
          args: [
            {
              actor: staff('zjsw'),
              deadline: new Date(now + 40 * DAY_MS).toISOString(),
              reason: '延期',
            },
          ],
        }),
        /Only the supervision office moves a deadline/,
      ],
      [
        'PHASE_NOT_ALLOWED',
        handle.executeUpdate(decideAsHeadUpdate, headSays('jtys', 'approve')),
        /no report waiting/,
      ],
      [
        'PHASE_NOT_ALLOWED',
        handle.executeUpdate(reviewAsOfficeUpdate, {
          args: [{ actor: office, decision: 'approve', comment: '' }],
        }),
        /phase reporting/,
      ],
      [
        'EXPLANATION_REQUIRED',
        handle.executeUpdate(submitReportUpdate, report('jtys', { status: 'partial' })),
        /explanation is required when the status is partial/,
      ],
      [
        'SUMMARY_EMPTY',
        handle.executeUpdate(submitReportUpdate, report('jtys', { summary: '  ' })),
        /summary is empty/,
      ],
      [
        'PAYLOAD_TOO_LARGE',
        handle.executeUpdate(submitReportUpdate, report('jtys', { summary: '字'.repeat(4001) })),
        /4001 characters; at most 4000/,
      ],
      [
        'PAYLOAD_TOO_LARGE',
        handle.executeUpdate(
          submitReportUpdate,
          report('jtys', {
            figures: Object.fromEntries(Array.from({ length: 51 }, (_v, i) => [`f${i}`, i])),
          }),
        ),
        /51 figures; at most 50/,
      ],
      [
        'COMMENT_REQUIRED',
        handle.executeUpdate(decideAsHeadUpdate, headSays('zjsw', 'return', '')),
        /comment/,
      ],
      [
        'INVALID_DEADLINE',
        handle.executeUpdate(moveDeadlineUpdate, {
          args: [{ actor: office, deadline: new Date(now - DAY_MS).toISOString(), reason: '延期' }],
        }),
        /not in the future/,
      ],
      [
        'INVALID_DEADLINE',
        handle.executeUpdate(moveDeadlineUpdate, {
          args: [{ actor: office, deadline: 'next week', reason: '延期' }],
        }),
        /not an ISO instant/,
      ],
      [
        'REASON_REQUIRED',
        handle.executeUpdate(moveDeadlineUpdate, {
          args: [
            { actor: office, deadline: new Date(now + 40 * DAY_MS).toISOString(), reason: '' },
          ],
        }),
        /reason/,
      ],
    ];
    for (const [code, promise, message] of cases) {
      const rejection = await rejectionOf(promise);
      const messageOk = message.test(rejection.message) ? 'as expected' : rejection.message;
      expect([rejection.type, messageOk]).toEqual([code, 'as expected']);
    }

    // No command and no update event came of the rejections. (A real server also drops the
    // speculative workflow tasks that ran the validators; the time-skipping test server writes
    // them down, so only workflow-task events may follow.)
    const { EventType } = (await import('@temporalio/proto')).temporal.api.enums.v1;
    const history = await handle.fetchHistory();
    const after = (history.events ?? [])
      .slice(eventsBefore)
      .map((e) => EventType[e.eventType ?? 0]);
    expect(after.filter((type) => !/^EVENT_TYPE_WORKFLOW_TASK_/.test(type))).toEqual([]);
    const updateEvents = (history.events ?? []).filter((e) =>
      /UPDATE/.test(EventType[e.eventType ?? 0]),
    );
    expect(updateEvents).toHaveLength(2); // accepted + completed, of the one valid submission
    expect((await queryState(handle)).seq).toBe(seqBefore);

    // Returning without naming units, in office review.
    await handle.executeUpdate(decideAsHeadUpdate, headSays('zjsw', 'approve'));
    await handle.executeUpdate(submitReportUpdate, report('jtys'));
    await handle.executeUpdate(decideAsHeadUpdate, headSays('jtys', 'approve'));
    const noUnits = await rejectionOf(
      handle.executeUpdate(reviewAsOfficeUpdate, {
        args: [{ actor: office, decision: 'return', comment: '退回' }],
      }),
    );
    expect(noUnits.type).toBe('UNITS_REQUIRED');
    const stranger = await rejectionOf(
      handle.executeUpdate(reviewAsOfficeUpdate, {
        args: [{ actor: office, decision: 'return', comment: '退回', units: ['nobody'] }],
      }),
    );
    expect(stranger.type).toBe('NOT_RESPONSIBLE');
  });

  it('rejects a submission before the quarter opens, and accepts it once open', async () => {
    const now = await h.env.currentTimeMs();
    const { workflowId, input } = makeInput(now, {
      opensInMs: 2 * DAY_MS,
      deadlineInMs: 60 * DAY_MS,
      units: UNITS.slice(0, 1),
    });
    const handle = await start(input, workflowId);
    const early = await rejectionOf(handle.executeUpdate(submitReportUpdate, report('zjsw')));
    expect(early.type).toBe('NOT_OPEN_YET');
    expect(early.message).toContain(input.opensAt);
    expect((await queryState(handle)).phase).toBe('not_open');

    await h.env.sleep(2 * DAY_MS + HOUR_MS);
    await settled(h, handle, (s) => s.phase === 'reporting', 'reporting to open');
    const result = await handle.executeUpdate(submitReportUpdate, report('zjsw'));
    expect(result.units[0].status).toBe('awaiting_head');
  });
});

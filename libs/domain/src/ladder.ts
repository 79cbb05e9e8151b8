import type {
  LaggingUnit,
  Notice,
  NoticeKind,
  NoticeRecipient,
  TaskQuarterState,
} from '@duban/contracts';
import { laggingUnits, OWED_ZH, unitsOwingASubmission, YELLOW_WINDOW_DAYS } from './owes';
import { addDays, DAY_MS, formatShanghaiZh, toDate } from './time';

/**
 * The escalation ladder, as pure functions of the state and the current instant, so that the
 * workflow can wake at any moment (a timer, an update, a replay) and get the same answer:
 * {@link dueNotices} says which notices are due now and not yet created (by their dedupe key),
 * {@link nextLadderInstant} when to look again.
 *
 * Rules (the defaults; the day counts come from `facts.ladder`):
 * - warning `d` days before the deadline, to staff and head of units that have not (re)submitted.
 *   Only the latest passed warning instant is due, and only if it is not older than the moment the
 *   current deadline was set (opening for the first deadline, the move for an extension): a
 *   warning that belonged to the past when the deadline was set is not sent late.
 * - overdue, once per deadline, when the deadline has passed and the task-quarter is not closed:
 *   to the heads of the lagging units and the office.
 * - escalation `n`, `overdueEscalationAfterDays` after the deadline and every
 *   `escalationRepeatDays` after that: to the office and the leadership. Only the latest due level
 *   is created (levels missed while nothing ran are not sent in a burst).
 * - head reminder, once per report version, when a report has waited for its head too long.
 * - office reminder, once per office review round, when the office has sat on it too long.
 *
 * Keys embed the deadline they belong to, so moving the deadline re-arms the ladder.
 */

type LadderState = Pick<
  TaskQuarterState,
  | 'workflowId'
  | 'facts'
  | 'phase'
  | 'units'
  | 'deadline'
  | 'deadlineHistory'
  | 'officeReviewSince'
  | 'officeReviewRound'
  | 'notices'
>;

/** Since when the current deadline is in force: the ladder never fires for instants before it. */
export function ladderArmedAt(state: Pick<TaskQuarterState, 'facts' | 'deadlineHistory'>): Date {
  const lastMove = state.deadlineHistory[state.deadlineHistory.length - 1];
  return toDate(lastMove ? lastMove.at : state.facts.opensAt);
}

export function warningInstants(
  deadline: Date,
  warningDaysBefore: readonly number[],
): Array<{
  days: number;
  at: Date;
}> {
  return [...new Set(warningDaysBefore)]
    .filter((d) => d > 0)
    .map((days) => ({ days, at: addDays(deadline, -days) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The instant of escalation level `n` (1-based) for a deadline. */
export function escalationInstant(
  deadline: Date,
  ladder: { overdueEscalationAfterDays: number; escalationRepeatDays: number },
  level: number,
): Date {
  return addDays(
    deadline,
    ladder.overdueEscalationAfterDays + (level - 1) * ladder.escalationRepeatDays,
  );
}

/** The highest escalation level due at `now` (0 when none is). */
export function escalationLevelAt(
  deadline: Date,
  ladder: { overdueEscalationAfterDays: number; escalationRepeatDays: number },
  now: Date,
): number {
  const first = escalationInstant(deadline, ladder, 1).getTime();
  if (now.getTime() < first) return 0;
  const repeatMs = Math.max(ladder.escalationRepeatDays, 1 / 24) * DAY_MS;
  return 1 + Math.floor((now.getTime() - first) / repeatMs);
}

export function noticeKey(workflowId: string, kind: NoticeKind, ...parts: string[]): string {
  return [workflowId, kind, ...parts].join(':');
}

/** Notices due at `now` whose key the state does not hold yet, in a stable order. */
export function dueNotices(state: LadderState, now: Date): Notice[] {
  if (state.phase === 'closed' || state.phase === 'not_open') return [];
  const { facts } = state;
  const ladder = facts.ladder;
  const deadline = toDate(state.deadline);
  const deadlineKey = deadline.toISOString();
  const t = now.getTime();
  const existing = new Set(state.notices.map((n) => n.key));
  const due: Notice[] = [];
  const add = (
    kind: NoticeKind,
    keyParts: string[],
    recipients: NoticeRecipient[],
    lagging: LaggingUnit[],
    extra: string,
  ): void => {
    const key = noticeKey(state.workflowId, kind, ...keyParts);
    if (existing.has(key)) return;
    due.push(composeNotice(state, { key, kind, now, recipients, lagging, extra }));
  };

  if (t < deadline.getTime()) {
    const armedAt = ladderArmedAt(state).getTime();
    const passed = warningInstants(deadline, ladder.warningDaysBefore).filter(
      (w) => w.at.getTime() <= t,
    );
    const latest = passed[passed.length - 1];
    const owing = unitsOwingASubmission(state.units);
    if (latest && latest.at.getTime() >= armedAt && owing.length > 0) {
      add(
        'warning',
        [`${latest.days}d`, deadlineKey],
        owing.flatMap((u) => [
          { role: 'staff' as const, unitCode: u.unitCode },
          { role: 'head' as const, unitCode: u.unitCode },
        ]),
        owing,
        `距报送截止还有${latest.days}天，请尚未报送的单位抓紧报送。`,
      );
    }
  } else {
    const lagging = laggingUnits(state.units);
    add(
      'overdue',
      [deadlineKey],
      [
        ...lagging.map((u) => ({ role: 'head' as const, unitCode: u.unitCode })),
        { role: 'office', unitCode: null },
      ],
      lagging,
      lagging.length > 0
        ? '已超过报送截止时间，请以下单位负责人督促落实。'
        : '已超过报送截止时间，各单位已报送，待区督查室审核办结。',
    );
    const level = escalationLevelAt(deadline, ladder, now);
    if (level > 0) {
      add(
        'escalation',
        [`${level}`, deadlineKey],
        [
          { role: 'office', unitCode: null },
          { role: 'leader', unitCode: null },
        ],
        lagging,
        `逾期未办结，第${level}次催办。`,
      );
    }
  }

  for (const unit of state.units) {
    if (unit.status !== 'awaiting_head' || !unit.waitingSince) continue;
    const remindAt = addDays(toDate(unit.waitingSince), ladder.headReminderAfterDays);
    if (remindAt.getTime() <= t) {
      add(
        'head_reminder',
        [unit.code, `v${unit.latestVersion}`],
        [{ role: 'head', unitCode: unit.code }],
        [{ unitCode: unit.code, unitName: unit.name, owes: 'head_approval' }],
        `${unit.name}的完成情况（第${unit.latestVersion}版）已等待单位负责人审核超过${ladder.headReminderAfterDays}天。`,
      );
    }
  }

  if (state.phase === 'office_review' && state.officeReviewSince) {
    const remindAt = addDays(toDate(state.officeReviewSince), ladder.officeReminderAfterDays);
    if (remindAt.getTime() <= t) {
      add(
        'office_reminder',
        [`r${state.officeReviewRound}`],
        [{ role: 'office', unitCode: null }],
        [],
        `各单位完成情况已全部审核通过，待区督查室审核已超过${ladder.officeReminderAfterDays}天。`,
      );
    }
  }
  return due;
}

/**
 * The earliest instant strictly after `now` at which a notice may fall due, the lamp may change or
 * reporting opens; null when nothing is left to wait for (closed).
 */
export function nextLadderInstant(state: LadderState, now: Date): Date | null {
  if (state.phase === 'closed') return null;
  const { ladder } = state.facts;
  const deadline = toDate(state.deadline);
  const candidates: Date[] = [
    toDate(state.facts.opensAt),
    addDays(deadline, -YELLOW_WINDOW_DAYS),
    deadline,
    ...warningInstants(deadline, ladder.warningDaysBefore).map((w) => w.at),
    escalationInstant(deadline, ladder, escalationLevelAt(deadline, ladder, now) + 1),
  ];
  for (const unit of state.units) {
    if (unit.status === 'awaiting_head' && unit.waitingSince) {
      candidates.push(addDays(toDate(unit.waitingSince), ladder.headReminderAfterDays));
    }
  }
  if (state.phase === 'office_review' && state.officeReviewSince) {
    candidates.push(addDays(toDate(state.officeReviewSince), ladder.officeReminderAfterDays));
  }
  const future = candidates.filter((c) => c.getTime() > now.getTime());
  if (future.length === 0) return null;
  return new Date(Math.min(...future.map((c) => c.getTime())));
}

const KIND_ZH: Record<NoticeKind, string> = {
  warning: '预警',
  overdue: '逾期',
  escalation: '催办',
  head_reminder: '审核提醒',
  office_reminder: '审核提醒',
};

function composeNotice(
  state: LadderState,
  n: {
    key: string;
    kind: NoticeKind;
    now: Date;
    recipients: NoticeRecipient[];
    lagging: LaggingUnit[];
    extra: string;
  },
): Notice {
  const { facts } = state;
  const subject = `${facts.taskCode} ${facts.taskName} ${facts.year}年第${facts.quarter}季度`;
  const lines = [
    `${subject}完成情况报送截止时间：${formatShanghaiZh(state.deadline)}（北京时间）前。`,
    n.extra,
  ];
  if (facts.target) lines.push(`本季度目标：${facts.target}`);
  if (n.lagging.length > 0) {
    lines.push(
      `未完成单位：${n.lagging.map((u) => `${u.unitName}（${OWED_ZH[u.owes]}）`).join('；')}。`,
    );
  }
  return {
    key: n.key,
    workflowId: state.workflowId,
    kind: n.kind,
    createdAt: n.now.toISOString(),
    recipients: n.recipients,
    taskCode: facts.taskCode,
    taskName: facts.taskName,
    quarter: facts.quarter,
    year: facts.year,
    deadline: toDate(state.deadline).toISOString(),
    lagging: n.lagging,
    title: `【${KIND_ZH[n.kind]}】${subject}`,
    body: lines.join('\n'),
  };
}

import type {
  Actor,
  AuditEvent,
  DecideAsHeadInput,
  MoveDeadlineInput,
  Notice,
  NoticeRecipient,
  ReviewAsOfficeInput,
  SubmitReportInput,
  TaskQuarterFacts,
  TaskQuarterUpdateResult,
} from '@duban/contracts';
import { decodePayloads, eventId, eventsOf, eventTime, runInput, type RunHistory } from './history';

/** Machine-readable kinds of timeline items; `text` is the zh-CN rendering for people. */
export type TimelineItemType =
  | 'run_started'
  | 'run_continued_as_new'
  | 'run_completed'
  | 'run_failed'
  | 'report_submitted'
  | 'head_approved'
  | 'head_returned'
  | 'office_approved'
  | 'office_returned'
  | 'deadline_moved'
  | 'update_rejected'
  | 'reporting_opened'
  | 'office_review_started'
  | 'notice_created'
  | 'lamp_changed'
  | 'closed';

export interface TimelineItem {
  /** 1, 2, … across every run of the task-quarter. */
  index: number;
  runId: string;
  /** The history event this item was read from. */
  eventId: number;
  /** ISO instant: the history event's time (for system events, the workflow time recorded with them). */
  at: string;
  type: TimelineItemType;
  /** Who acted; null for what the workflow did on its own. */
  actor: Actor | null;
  /** The audit event seq the workflow recorded for this, when known. */
  seq: number | null;
  text: string;
  detail: Record<string, unknown>;
}

const STATUS_LABEL: Record<string, string> = {
  completed: '已完成',
  partial: '部分完成',
  not_completed: '未完成',
};
const LAMP_LABEL: Record<string, string> = {
  green: '绿灯',
  yellow: '黄灯',
  red: '红灯',
  closed: '已办结',
};
const NOTICE_LABEL: Record<string, string> = {
  warning: '预警',
  overdue: '逾期通知',
  escalation: '催办',
  head_reminder: '审核提醒',
  office_reminder: '审核提醒',
};

/** `2017-04-01 00:00` in Asia/Shanghai, the time every user of the system reads. */
export function formatShanghai(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const shifted = new Date(d.getTime() + 8 * 3600_000);
  return shifted.toISOString().slice(0, 16).replace('T', ' ');
}

function who(actor: Actor | null | undefined): string {
  if (!actor) return '系统';
  return actor.name || actor.id;
}

function recipientText(r: NoticeRecipient, unitName: (code: string) => string): string {
  switch (r.role) {
    case 'staff':
      return `${unitName(r.unitCode ?? '')}经办人`;
    case 'head':
      return `${unitName(r.unitCode ?? '')}负责人`;
    case 'office':
      return '区督查室';
    case 'leader':
      return '区领导';
  }
}

interface PendingUpdate {
  name: string;
  input: unknown;
  actor: Actor | null;
  at: string;
  eventId: number;
  runId: string;
}

/**
 * Turns the histories of a task-quarter (every run, oldest first) into a readable timeline:
 * accepted updates with the actor from their payload, and what the workflow did on its own
 * (opening, lamps, notices, office review, closing) as recorded in its projection snapshots.
 */
export function buildTimeline(runs: RunHistory[]): TimelineItem[] {
  const items: Omit<TimelineItem, 'index'>[] = [];
  let facts: TaskQuarterFacts | null = null;
  let deadline: string | null = null;
  let seenSeq = 0;
  const unitName = (code: string): string =>
    facts?.units.find((u) => u.code === code)?.name ?? code;

  for (const run of runs) {
    const input = runInput(run.history);
    if (input) {
      const carried = input.carriedOver;
      facts = carried?.facts ?? { ...input };
      deadline = carried?.deadline ?? input.deadline;
      if (carried) seenSeq = Math.max(seenSeq, carried.seq);
    }
    const pending = new Map<string, PendingUpdate>();
    for (const event of eventsOf(run.history)) {
      const at = eventTime(event) ?? '';
      const id = eventId(event);
      const base = { runId: run.runId, eventId: id, at };

      if (event.workflowExecutionStartedEventAttributes) {
        const continued = event.workflowExecutionStartedEventAttributes.continuedExecutionRunId;
        items.push({
          ...base,
          type: 'run_started',
          actor: null,
          seq: null,
          text: continued
            ? `工作流续跑（新运行，接续 ${continued}）`
            : `督办任务启动：${facts?.taskCode ?? ''} ${facts?.taskName ?? ''} ${facts?.year ?? ''}年第${facts?.quarter ?? ''}季度，截止时间 ${deadline ? formatShanghai(deadline) : '未知'}`,
          detail: { continuedFrom: continued || null },
        });
      }

      const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
      if (accepted) {
        const request = accepted.acceptedRequest;
        const [arg] = decodePayloads(request?.input?.args);
        const updateId = request?.meta?.updateId ?? accepted.protocolInstanceId ?? String(id);
        pending.set(updateId, {
          name: request?.input?.name ?? '',
          input: arg,
          actor: (arg as { actor?: Actor } | undefined)?.actor ?? null,
          ...base,
        });
      }

      const completed = event.workflowExecutionUpdateCompletedEventAttributes;
      if (completed) {
        const updateId = completed.meta?.updateId ?? '';
        const update = pending.get(updateId);
        if (update) {
          pending.delete(updateId);
          if (completed.outcome?.failure) {
            items.push({
              runId: update.runId,
              eventId: update.eventId,
              at: update.at,
              type: 'update_rejected',
              actor: update.actor,
              seq: null,
              text: `${who(update.actor)} 的操作（${update.name}）被拒绝：${completed.outcome.failure.message ?? ''}`,
              detail: {
                update: update.name,
                updateId,
                message: completed.outcome.failure.message ?? '',
              },
            });
          } else {
            const [result] = decodePayloads(completed.outcome?.success) as [
              TaskQuarterUpdateResult | undefined,
            ];
            const item = describeUpdate(update, result, unitName, deadline);
            if (update.name === 'moveDeadline' && result) deadline = result.deadline;
            if (result) seenSeq = Math.max(seenSeq, result.seq);
            items.push({
              runId: update.runId,
              eventId: update.eventId,
              at: update.at,
              ...item,
              detail: { ...item.detail, updateId },
            });
          }
        }
      }

      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === 'recordTaskQuarter') {
        const [snapshot] = decodePayloads(scheduled.input) as [
          { events?: AuditEvent[]; notices?: Notice[] } | undefined,
        ];
        for (const e of snapshot?.events ?? []) {
          if (e.seq <= seenSeq) continue;
          seenSeq = e.seq;
          // What people did is shown from the update itself; here only what the workflow did alone.
          if (e.actor) continue;
          const system = describeSystemEvent(e, snapshot?.notices ?? [], unitName);
          if (system)
            items.push({
              runId: run.runId,
              eventId: id,
              at: e.at,
              actor: null,
              seq: e.seq,
              ...system,
            });
        }
      }

      if (event.workflowExecutionContinuedAsNewEventAttributes) {
        items.push({
          ...base,
          type: 'run_continued_as_new',
          actor: null,
          seq: null,
          text: '历史过长，工作流以新运行续跑',
          detail: {},
        });
      }
      if (event.workflowExecutionCompletedEventAttributes) {
        items.push({
          ...base,
          type: 'run_completed',
          actor: null,
          seq: null,
          text: '工作流结束',
          detail: {},
        });
      }
      const failed =
        event.workflowExecutionFailedEventAttributes?.failure?.message ??
        (event.workflowExecutionTerminatedEventAttributes
          ? `被终止：${event.workflowExecutionTerminatedEventAttributes.reason ?? ''}`
          : null) ??
        (event.workflowExecutionTimedOutEventAttributes ? '超时' : null) ??
        (event.workflowExecutionCanceledEventAttributes ? '被取消' : null);
      if (failed) {
        items.push({
          ...base,
          type: 'run_failed',
          actor: null,
          seq: null,
          text: `工作流异常结束：${failed}`,
          detail: { reason: failed },
        });
      }
    }
  }
  return items.map((item, i) => ({ index: i + 1, ...item }));
}

function describeUpdate(
  update: PendingUpdate,
  result: TaskQuarterUpdateResult | undefined,
  unitName: (code: string) => string,
  deadlineBefore: string | null,
): Pick<TimelineItem, 'type' | 'actor' | 'seq' | 'text' | 'detail'> {
  const actor = update.actor;
  const seq = result?.seq ?? null;
  const name = who(actor);
  switch (update.name) {
    case 'submitReport': {
      const req = update.input as SubmitReportInput;
      const version = result?.units.find((u) => u.code === req.unitCode)?.latestVersion ?? null;
      return {
        type: 'report_submitted',
        actor,
        seq,
        text:
          `${name}（${unitName(req.unitCode)}）提交完成情况 第${version ?? '?'}版（${STATUS_LABEL[req.status] ?? req.status}）：${req.summary}` +
          (req.explanation ? `；说明：${req.explanation}` : ''),
        detail: {
          unitCode: req.unitCode,
          version,
          status: req.status,
          summary: req.summary,
          explanation: req.explanation ?? null,
          figures: req.figures ?? null,
        },
      };
    }
    case 'decideAsHead': {
      const req = update.input as DecideAsHeadInput;
      const version = result?.units.find((u) => u.code === req.unitCode)?.latestVersion ?? null;
      const approve = req.decision === 'approve';
      return {
        type: approve ? 'head_approved' : 'head_returned',
        actor,
        seq,
        text: `${name}（${unitName(req.unitCode)}负责人）${approve ? '审核通过' : '退回'}第${version ?? '?'}版${req.comment ? `，意见：${req.comment}` : ''}`,
        detail: { unitCode: req.unitCode, version, decision: req.decision, comment: req.comment },
      };
    }
    case 'reviewAsOffice': {
      const req = update.input as ReviewAsOfficeInput;
      const approve = req.decision === 'approve';
      const units = req.units ?? [];
      return {
        type: approve ? 'office_approved' : 'office_returned',
        actor,
        seq,
        text: approve
          ? `${name}（区督查室）审核通过，办结${req.comment ? `，意见：${req.comment}` : ''}`
          : `${name}（区督查室）退回 ${units.map(unitName).join('、')}，意见：${req.comment}`,
        detail: { decision: req.decision, comment: req.comment, units },
      };
    }
    case 'moveDeadline': {
      const req = update.input as MoveDeadlineInput;
      const to = result?.deadline ?? new Date(req.deadline).toISOString();
      return {
        type: 'deadline_moved',
        actor,
        seq,
        text: `${name}（区督查室）将截止时间由 ${deadlineBefore ? formatShanghai(deadlineBefore) : '?'} 调整为 ${formatShanghai(to)}，理由：${req.reason}`,
        detail: { from: deadlineBefore, to, reason: req.reason },
      };
    }
    default:
      return {
        type: 'update_rejected',
        actor,
        seq,
        text: `${name} 的未知操作 ${update.name}`,
        detail: { update: update.name },
      };
  }
}

function describeSystemEvent(
  e: AuditEvent,
  notices: Notice[],
  unitName: (code: string) => string,
): Pick<TimelineItem, 'type' | 'text' | 'detail'> | null {
  const d = e.detail;
  switch (e.type) {
    case 'reporting_opened':
      return { type: 'reporting_opened', text: '本季度开始填报', detail: {} };
    case 'lamp_changed':
      return {
        type: 'lamp_changed',
        text: `督办灯由${LAMP_LABEL[String(d.from)] ?? String(d.from)}变为${LAMP_LABEL[String(d.to)] ?? String(d.to)}`,
        detail: { from: d.from, to: d.to },
      };
    case 'office_review_started':
      return {
        type: 'office_review_started',
        text: `各责任单位均已审核通过，提交区督查室审核（第${String(d.round)}轮）`,
        detail: { round: d.round },
      };
    case 'closed':
      return { type: 'closed', text: '任务已办结', detail: {} };
    case 'notice_created': {
      const notice = notices.find((n) => n.key === d.key);
      const recipients =
        (d.recipients as NoticeRecipient[] | undefined) ?? notice?.recipients ?? [];
      const lagging = (d.lagging as Notice['lagging'] | undefined) ?? notice?.lagging ?? [];
      const kind = String(d.kind);
      return {
        type: 'notice_created',
        text:
          `向${recipients.map((r) => recipientText(r, unitName)).join('、')}发出${NOTICE_LABEL[kind] ?? kind}` +
          (notice ? `「${notice.title}」` : '') +
          (lagging.length ? `，未完成单位：${lagging.map((l) => l.unitName).join('、')}` : ''),
        detail: { key: d.key, kind, recipients, lagging },
      };
    }
    default:
      return null;
  }
}

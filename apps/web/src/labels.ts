// User-facing Chinese names for the API's codes, and date formatting in the district's time zone.
import type {
  InboxReason,
  Lamp,
  NoticeKind,
  Phase,
  ReportStatus,
  Role,
  TaskQuarterSummary,
  UnitStatus,
} from './api/types';
import type { DeliveryChannel, DeliveryState } from './api/office-types';

export const LAMP_LABELS: Record<Lamp, string> = {
  green: '正常',
  yellow: '预警',
  red: '逾期',
  closed: '办结',
};

export const PHASE_LABELS: Record<Phase, string> = {
  not_open: '未开始',
  reporting: '填报中',
  office_review: '督查室审核中',
  closed: '已办结',
};

export const UNIT_STATUS_LABELS: Record<UnitStatus, string> = {
  awaiting_report: '待填报',
  awaiting_head: '待负责人审核',
  returned_by_head: '负责人已退回',
  returned_by_office: '督查室已退回',
  head_approved: '负责人已审核',
};

export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  completed: '已完成',
  partial: '部分完成',
  not_completed: '未完成',
};

export const ROLE_LABELS: Record<Role, string> = {
  staff: '经办人',
  head: '单位负责人',
  office: '区督查室',
  leader: '区领导',
  auditor: '审计',
  admin: '管理员',
};

export const NOTICE_KIND_LABELS: Record<NoticeKind, string> = {
  warning: '预警',
  overdue: '逾期通知',
  escalation: '催办',
  head_reminder: '审核提醒',
  office_reminder: '督查室审核提醒',
};

export const INBOX_REASON_LABELS: Record<InboxReason, string> = {
  report: '待填报',
  resubmission: '待重新填报',
  head_approval: '待审核',
  office_review: '待督查室审核',
  overdue: '已逾期',
  escalation: '升级催办',
};

export const OWES_LABELS: Record<string, string> = {
  report: '报送完成情况',
  head_approval: '负责人审核',
  resubmission: '重新报送',
};

export const DELIVERY_STATE_LABELS: Record<DeliveryState, string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '发送失败',
  read: '已读',
};

export const CHANNEL_LABELS: Record<DeliveryChannel, string> = {
  in_app: '站内',
  email: '邮件',
  webhook: 'Webhook',
};

export const PLAN_STATUS_LABELS: Record<string, string> = {
  imported: '已导入，未启动',
  active: '已启动',
};

/** Why the workflow refused an update, for people; the server's own message follows it. */
export const REJECTION_LABELS: Record<string, string> = {
  NOT_RESPONSIBLE: '该单位不是本任务的责任单位',
  ROLE_NOT_ALLOWED: '您的角色或单位无权进行此操作',
  PHASE_NOT_ALLOWED: '当前阶段不允许此操作（可能已被他人处理，请刷新后查看）',
  NOT_OPEN_YET: '本季度尚未开始填报',
  EXPLANATION_REQUIRED: '未完成或部分完成时须说明原因',
  SUMMARY_EMPTY: '请填写进展情况',
  COMMENT_REQUIRED: '退回时须填写意见',
  REASON_REQUIRED: '请填写调整原因',
  UNITS_REQUIRED: '请选择退回的单位',
  PAYLOAD_TOO_LARGE: '内容超出长度限制',
  INVALID_PAYLOAD: '提交的内容不符合要求',
  INVALID_DEADLINE: '截止时间不符合要求',
  WORKFLOW_CLOSED: '该任务季度已办结，不再接受操作',
};

export const QUARTER_LABELS = ['', '一季度', '二季度', '三季度', '四季度'];

/** The four quarters as `[quarter, label]` pairs, for a select. */
export const QUARTER_OPTIONS = [1, 2, 3, 4].map((q) => [q, QUARTER_LABELS[q]] as const);

/** Looks a code up in a label table, showing the code itself for anything new. */
export function label(table: Record<string, string>, code: string): string {
  return table[code] ?? code;
}

const DATE_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** `2027-01-01 00:00`, always in Asia/Shanghai whatever the browser's zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(DATE_TIME.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`;
}

/** The value for a `datetime-local` input showing `iso` in Asia/Shanghai. */
export function toShanghaiInput(iso: string): string {
  return formatDateTime(iso).replace(' ', 'T');
}

/** A `datetime-local` value read as Asia/Shanghai time, as ISO 8601 with its offset. */
export function fromShanghaiInput(value: string): string {
  return `${value.length === 16 ? `${value}:00` : value}+08:00`;
}

/** Natural order of task codes: 2 < 10 < 14.1 < 14.2 < 36.1. */
export function compareTaskCodes(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

export function taskTitle(
  tq: Pick<TaskQuarterSummary, 'taskCode' | 'taskName' | 'cityLevel'>,
): string {
  return `${tq.cityLevel ? '★' : ''}${tq.taskCode} ${tq.taskName}`;
}

/** The quarter we are in, in Asia/Shanghai. */
export function currentQuarter(now = new Date()): { year: number; quarter: number } {
  const shanghai = new Date(now.getTime() + 8 * 3600_000);
  return { year: shanghai.getUTCFullYear(), quarter: Math.floor(shanghai.getUTCMonth() / 3) + 1 };
}

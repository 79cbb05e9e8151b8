import type { Actor } from './actor';
import type { QuarterNumber } from './ids';

export type Phase = 'not_open' | 'reporting' | 'office_review' | 'closed';
export type Lamp = 'green' | 'yellow' | 'red' | 'closed';
export type ReportStatus = 'completed' | 'partial' | 'not_completed';
export type UnitStatus =
  'awaiting_report' | 'awaiting_head' | 'returned_by_head' | 'returned_by_office' | 'head_approved';
export type Figures = Record<string, number | string>;

/** The escalation ladder; configurable per plan, {@link DEFAULT_LADDER} otherwise. */
export interface LadderSettings {
  /** Days before the deadline at which units that have not submitted are warned. */
  warningDaysBefore: number[];
  /** Days after the overdue notice at which the first escalation goes to office and leadership. */
  overdueEscalationAfterDays: number;
  /** Days between further escalations until the task-quarter is closed. */
  escalationRepeatDays: number;
  /** A report waiting longer than this for its unit head reminds that head. */
  headReminderAfterDays: number;
  /** A task-quarter waiting longer than this in office review reminds the office. */
  officeReminderAfterDays: number;
}

export const DEFAULT_LADDER: Readonly<LadderSettings> = Object.freeze({
  warningDaysBefore: [7, 1],
  overdueEscalationAfterDays: 3,
  escalationRepeatDays: 7,
  headReminderAfterDays: 2,
  officeReminderAfterDays: 3,
});

export interface ResponsibleUnit {
  code: string;
  name: string;
  /** The lead unit (牵头单位); no unit is lead where the only listed unit was a collective. */
  lead: boolean;
}

/** The facts a task-quarter is started with; they never change during its life. */
export interface TaskQuarterFacts {
  planId: string;
  planTitle: string;
  taskCode: string;
  taskName: string;
  goal: string;
  cityLevel: boolean;
  quarter: QuarterNumber;
  year: number;
  /** The quarterly target text; null where the cell is `/` (nothing to report) or inferred empty. */
  target: string | null;
  /** Responsible units, collectives already expanded by the caller. */
  units: ResponsibleUnit[];
  /** ISO instant; the start of the quarter in Asia/Shanghai. Reporting opens then. */
  opensAt: string;
  /** ISO instant; the reporting deadline as first set (the current one is in the state). */
  deadline: string;
  ladder: LadderSettings;
}

export interface TaskQuarterInput extends TaskQuarterFacts {
  /** Set only by continue-as-new: the whole state the previous run ended with. */
  carriedOver?: TaskQuarterState;
}

export interface ReportVersion {
  /** 1, 2, … per unit, in submission order. */
  version: number;
  status: ReportStatus;
  summary: string;
  explanation: string | null;
  figures: Figures | null;
  submittedBy: Actor;
  submittedAt: string;
  /** True once a later version replaced this one before its head decided on it. */
  superseded: boolean;
}

export interface UnitState {
  code: string;
  name: string;
  lead: boolean;
  status: UnitStatus;
  /** 0 until the first submission. */
  latestVersion: number;
  /** Since when the current report waits for the unit head; null when nothing waits. */
  waitingSince: string | null;
  reports: ReportVersion[];
}

export interface Decision {
  /** The audit event sequence number of the decision (unique within the task-quarter). */
  seq: number;
  level: 'head' | 'office';
  actor: Actor;
  decision: 'approve' | 'return';
  comment: string;
  /** The unit decided on (head) or the units returned to (office; all units when approving). */
  units: string[];
  /** The report version a head decided on; null for office decisions. */
  version: number | null;
  at: string;
}

export interface DeadlineChange {
  seq: number;
  from: string;
  to: string;
  reason: string;
  actor: Actor;
  at: string;
}

export type NoticeKind = 'warning' | 'overdue' | 'escalation' | 'head_reminder' | 'office_reminder';
export type NoticeRole = 'staff' | 'head' | 'office' | 'leader';

export interface NoticeRecipient {
  role: NoticeRole;
  /** The unit for `staff`/`head` recipients; null for the office and the leadership. */
  unitCode: string | null;
}

/** What a lagging unit still owes. */
export type Owed = 'report' | 'head_approval' | 'resubmission';

export interface LaggingUnit {
  unitCode: string;
  unitName: string;
  owes: Owed;
}

/** A warning, overdue notice, escalation or reminder. Created once per `key`. */
export interface Notice {
  /** Deterministic dedupe key, e.g. `tq:2017-jianghai:36.1:Q2:overdue:2017-06-30T16:00:00.000Z`. */
  key: string;
  workflowId: string;
  kind: NoticeKind;
  createdAt: string;
  recipients: NoticeRecipient[];
  taskCode: string;
  taskName: string;
  quarter: QuarterNumber;
  year: number;
  /** The deadline the notice is about (ISO instant). */
  deadline: string;
  lagging: LaggingUnit[];
  /** zh-CN, e.g. `【逾期】36.1 加快提升公交一体化水平 2017年第2季度`. */
  title: string;
  body: string;
}

export type AuditEventType =
  | 'task_quarter_started'
  | 'reporting_opened'
  | 'report_submitted'
  | 'head_approved'
  | 'head_returned'
  | 'office_review_started'
  | 'office_approved'
  | 'office_returned'
  | 'deadline_moved'
  | 'notice_created'
  | 'lamp_changed'
  | 'closed';

export interface AuditEvent {
  /** 1, 2, … in the order things happened; never reused, carried over continue-as-new. */
  seq: number;
  at: string;
  /** Null for what the system did on its own (the ladder, the lamp, opening). */
  actor: Actor | null;
  type: AuditEventType;
  detail: Record<string, unknown>;
}

export interface TaskQuarterState {
  workflowId: string;
  facts: TaskQuarterFacts;
  phase: Phase;
  units: UnitState[];
  decisions: Decision[];
  /** The current deadline (ISO instant). */
  deadline: string;
  deadlineHistory: DeadlineChange[];
  lamp: Lamp;
  /** 0 before the first escalation notice; n after the n-th. */
  escalationLevel: number;
  /** Since when the task-quarter waits for the office; null outside office review. */
  officeReviewSince: string | null;
  /** How many times office review has started (keys the office reminders). */
  officeReviewRound: number;
  notices: Notice[];
  events: AuditEvent[];
  /** The last audit event's seq: a newer snapshot always has a larger one. */
  seq: number;
  closedAt: string | null;
}

/** What `recordTaskQuarter` receives: the whole state, self-describing and run-independent. */
export interface TaskQuarterSnapshot extends TaskQuarterState {
  /** When the workflow took the snapshot (workflow time). */
  recordedAt: string;
}

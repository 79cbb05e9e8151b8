// Shapes of the Duban HTTP API as the UI reads them (see apps/api/src/**/dto and /api/docs-json).
// Kept free of DOM types: the root tsconfig type-checks this file for Node too.
//
// The task-quarter's own vocabulary (lamps, phases, statuses, actors, decisions…) is the workflow
// contract's, imported as types only: `import type` is erased before Vite resolves anything, so
// no code from libs/contracts (nor @temporalio) reaches the bundle. The API's view of a state is
// the contract's shape less what it does not send.
import type {
  Actor,
  Decision as ContractDecision,
  DeadlineChange,
  Figures,
  Lamp,
  LaggingUnit,
  NoticeKind,
  NoticeRecipient,
  Phase,
  ReportStatus,
  ReportVersion as ContractReportVersion,
  Role,
  UnitState,
  UnitStatus,
} from '@duban/contracts';

export type {
  Actor,
  DeadlineChange,
  Figures,
  Lamp,
  LaggingUnit,
  NoticeKind,
  Phase,
  ReportStatus,
  Role,
  UnitStatus,
};
export type Decision = ContractDecision['decision'];
export type InboxReason =
  'report' | 'resubmission' | 'head_approval' | 'office_review' | 'overdue' | 'escalation';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface User {
  id: string;
  username: string;
  name: string;
  role: Role;
  unitCode: string | null;
}

export interface LoginResponse {
  accessToken: string;
  tokenType?: 'Bearer';
  expiresAt?: string;
  user: User;
}

export interface Unit {
  code: string;
  name: string;
  kind: string;
}

export interface Plan {
  id: string;
  docNumber: string;
  title: string;
  year: number;
  status: string;
  categories: number;
  tasks: number;
  cityLevelTasks: number;
  reportTo: string;
  activatedAt: string | null;
}

/** A unit's state in a list: the contract's, without its reports. */
export type UnitSummary = Omit<UnitState, 'reports'>;

export interface TaskQuarterSummary {
  id: string;
  planId: string;
  taskCode: string;
  taskName: string;
  category: number;
  cityLevel: boolean;
  quarter: number;
  phase: Phase;
  lamp: Lamp;
  deadline: string;
  target: string | null;
  escalationLevel: number;
  units: UnitSummary[];
}

export interface InboxItem extends TaskQuarterSummary {
  reason: InboxReason;
}

export interface Target {
  quarter: number;
  text: string | null;
  inferred: boolean;
  span: number[];
}

/** The API does not send whether a version was superseded. */
export type ReportVersion = Omit<ContractReportVersion, 'superseded'>;

export interface UnitDetail extends UnitSummary {
  reports: ReportVersion[];
}

/** A decision as the API sends it: the contract's, without the report version decided on. */
export type DecisionRecord = Omit<ContractDecision, 'version'>;

export interface Notice {
  key: string;
  taskQuarterId: string;
  kind: NoticeKind;
  title: string;
  body: string;
  recipients: NoticeRecipient[];
  lagging: LaggingUnit[];
  createdAt: string;
  /** Whether the caller has read it (kept by the server, across browsers). */
  read?: boolean;
}

export interface TaskQuarterDetail {
  id: string;
  planId: string;
  taskCode: string;
  taskName: string;
  goal: string;
  category: number;
  cityLevel: boolean;
  quarter: number;
  phase: Phase;
  lamp: Lamp;
  opensAt: string;
  deadline: string;
  closedAt: string | null;
  escalationLevel: number;
  target: string | null;
  targets: Target[];
  units: UnitDetail[];
  decisions: DecisionRecord[];
  deadlineHistory: DeadlineChange[];
  notices: Notice[];
  source: 'projection' | 'workflow';
  seq: number;
}

/** What every action answers: the task-quarter right after the workflow accepted the update. */
export interface UpdateResult {
  workflowId: string;
  seq: number;
  phase: Phase;
  lamp: Lamp;
  deadline: string;
  units: Array<{ code: string; status: UnitStatus; latestVersion: number }>;
}

export interface SubmitReport {
  status: ReportStatus;
  summary: string;
  explanation?: string;
  figures?: Figures;
}

export interface TaskQuarterFilter {
  quarter?: number;
  unit?: string;
  lamp?: Lamp;
  cityLevel?: boolean;
  category?: number;
  page?: number;
  pageSize?: number;
}

export interface TimelineItem {
  index: number;
  runId: string;
  eventId: number;
  at: string;
  type: string;
  actor: Actor | null;
  seq: number | null;
  text: string;
  detail: Record<string, unknown>;
}

export interface AuditHistory {
  workflowId: string;
  source: 'temporal' | 'archive';
  runs: Array<{ runId: string; events: number }>;
  items: TimelineItem[];
}

export interface ProjectionDifference {
  table: string;
  kind: 'changed' | 'missing' | 'added';
  key: string;
  fields?: Array<{ field: string; expected: unknown; actual: unknown }>;
  message: string;
}

export interface ReplayReport {
  workflowId?: string;
  runs?: Array<{ runId: string; deterministic: boolean; error: string | null }>;
  deterministic: boolean;
  compared?: boolean;
  matchesDatabase: boolean | null;
  differences: ProjectionDifference[];
  expectedSeq?: number | null;
  note?: string | null;
}

/** Which task-quarters the statistics count; the task-quarter list's filters, less the lamp. */
export interface PlanStatsFilter {
  quarter?: number;
  category?: number;
  unit?: string;
  cityLevel?: boolean;
}

export interface OverdueTaskQuarter {
  id: string;
  taskCode: string;
  taskName: string;
  quarter: number;
  phase: Phase;
  lamp: Lamp;
  deadline: string;
  overdueDays: number;
  lagging: LaggingUnit[];
}

/** GET /api/plans/:planId/stats (libs/reports, PlanStats). */
export interface PlanStats {
  planId: string;
  planTitle: string;
  quarter: number | null;
  /** The filters the server applied; {} when it counted the whole plan. */
  filter: Omit<PlanStatsFilter, 'quarter'>;
  asOf: string | null;
  /** The moment the figures describe. */
  at: string;
  taskQuarters: number;
  byLamp: Record<Lamp, number>;
  byStatus: Record<Phase, number>;
  averageHoursToHeadApproval: number | null;
  averageHoursToOfficeApproval: number | null;
  overdue: OverdueTaskQuarter[];
}

import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from './actor';
import type {
  Figures,
  Lamp,
  Phase,
  ReportStatus,
  TaskQuarterState,
  UnitStatus,
} from './task-quarter';

export interface SubmitReportInput {
  actor: Actor;
  unitCode: string;
  status: ReportStatus;
  summary: string;
  /** Required unless `status` is `completed`. */
  explanation?: string;
  figures?: Figures;
}

export interface DecideAsHeadInput {
  actor: Actor;
  unitCode: string;
  decision: 'approve' | 'return';
  comment: string;
}

export interface ReviewAsOfficeInput {
  actor: Actor;
  decision: 'approve' | 'return';
  comment: string;
  /** The units returned to; required (non-empty) when returning. */
  units?: string[];
}

export interface MoveDeadlineInput {
  actor: Actor;
  /** The new deadline, an ISO instant in the future. */
  deadline: string;
  reason: string;
}

/** The small result every update answers with. */
export interface TaskQuarterUpdateResult {
  workflowId: string;
  /** The audit event this update recorded. */
  seq: number;
  phase: Phase;
  lamp: Lamp;
  deadline: string;
  units: Array<{ code: string; status: UnitStatus; latestVersion: number }>;
}

export const submitReportUpdate = defineUpdate<TaskQuarterUpdateResult, [SubmitReportInput]>(
  'submitReport',
);
export const decideAsHeadUpdate = defineUpdate<TaskQuarterUpdateResult, [DecideAsHeadInput]>(
  'decideAsHead',
);
export const reviewAsOfficeUpdate = defineUpdate<TaskQuarterUpdateResult, [ReviewAsOfficeInput]>(
  'reviewAsOffice',
);
export const moveDeadlineUpdate = defineUpdate<TaskQuarterUpdateResult, [MoveDeadlineInput]>(
  'moveDeadline',
);
export const getStateQuery = defineQuery<TaskQuarterState>('getState');

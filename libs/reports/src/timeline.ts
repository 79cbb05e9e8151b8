import type { Lamp, Phase, ReportStatus, UnitStatus } from '@duban/contracts';
import { lampAt } from '@duban/domain';

/** The projection rows of one task-quarter, as the repository loads them. */
export interface TaskQuarterRecord {
  id: string;
  taskCode: string;
  quarter: number;
  phase: Phase;
  lamp: Lamp;
  deadline: Date;
  opensAt: Date;
  closedAt: Date | null;
  units: Array<{ code: string; name: string; lead: boolean; status: UnitStatus }>;
  reports: ReportRecord[];
  decisions: DecisionRecord[];
  deadlineChanges: Array<{ seq: number; from: Date; to: Date; changedAt: Date }>;
  /** Only the events the projection tables do not carry: start, and the seq of each submission. */
  events: Array<{ seq: number; type: string; detail: Record<string, unknown>; occurredAt: Date }>;
}

export interface ReportRecord {
  unitCode: string;
  version: number;
  status: ReportStatus;
  summary: string;
  explanation: string | null;
  submittedAt: Date;
}

export interface DecisionRecord {
  seq: number;
  level: 'head' | 'office';
  decision: 'approve' | 'return';
  comment: string;
  unitCodes: string[];
  actorName: string;
  decidedAt: Date;
}

export interface UnitView {
  code: string;
  name: string;
  lead: boolean;
  status: UnitStatus;
  /** The last version submitted before the cutoff. */
  latestReport: ReportRecord | null;
  /** The last version its head approved before the cutoff. */
  approvedReport: ReportRecord | null;
  firstSubmittedAt: Date | null;
  /** Returns by the head or by the office that named this unit. */
  returns: number;
  /** Submission → head approval, once per approval. */
  hoursToHeadApproval: number[];
}

/** A task-quarter as it stood at the cutoff. */
export interface TaskQuarterView {
  id: string;
  taskCode: string;
  quarter: number;
  /** False when the workflow had not been started yet at the cutoff. */
  started: boolean;
  phase: Phase;
  lamp: Lamp;
  deadline: Date;
  closedAt: Date | null;
  units: UnitView[];
  decisions: DecisionRecord[];
  /** Office review start → office approval; null until approved. */
  hoursToOfficeApproval: number | null;
}

type Step =
  | { at: Date; seq: number; kind: 'submit'; report: ReportRecord }
  | { at: Date; seq: number; kind: 'decide'; decision: DecisionRecord }
  | { at: Date; seq: number; kind: 'deadline'; to: Date };

const HOUR_MS = 3_600_000;

/**
 * Rebuilds what was known of a task-quarter at `cutoff` from the recorded facts: report versions
 * (submitted_at), decisions (decided_at), deadline changes (changed_at) and the start event, applied
 * in the workflow's own order (audit seq). Facts at or after the cutoff are left out; the lamp is
 * the lamp rule at the cutoff. With `live`, the projection's current phase, lamp, deadline and unit
 * statuses are taken as they are: the workflow keeps them, and they are the truth now.
 */
export function replayTaskQuarter(
  record: TaskQuarterRecord,
  cutoff: Date,
  live: boolean,
): TaskQuarterView {
  const before = (at: Date): boolean => live || at.getTime() < cutoff.getTime();
  const submissionSeq = new Map<string, number>();
  let startedAt: Date | null = null;
  for (const event of record.events) {
    if (event.type === 'task_quarter_started') startedAt = event.occurredAt;
    if (event.type === 'report_submitted') {
      submissionSeq.set(
        `${String(event.detail.unitCode)}#${String(event.detail.version)}`,
        event.seq,
      );
    }
  }

  const steps: Step[] = [
    ...record.reports.map((report) => ({
      at: report.submittedAt,
      seq: submissionSeq.get(`${report.unitCode}#${report.version}`) ?? 0,
      kind: 'submit' as const,
      report,
    })),
    ...record.decisions.map((decision) => ({
      at: decision.decidedAt,
      seq: decision.seq,
      kind: 'decide' as const,
      decision,
    })),
    ...record.deadlineChanges.map((c) => ({
      at: c.changedAt,
      seq: c.seq,
      kind: 'deadline' as const,
      to: c.to,
    })),
  ]
    .filter((step) => before(step.at))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);

  const units = new Map<string, UnitView>(
    record.units.map((u): [string, UnitView] => [
      u.code,
      {
        code: u.code,
        name: u.name,
        lead: u.lead,
        status: 'awaiting_report',
        latestReport: null,
        approvedReport: null,
        firstSubmittedAt: null,
        returns: 0,
        hoursToHeadApproval: [],
      },
    ]),
  );
  const sortedChanges = [...record.deadlineChanges].sort((a, b) => a.seq - b.seq);
  let deadline = sortedChanges[0]?.from ?? record.deadline;
  let phase: Phase = 'reporting';
  let closedAt: Date | null = null;
  let officeReviewSince: Date | null = null;
  let hoursToOfficeApproval: number | null = null;
  const decisions: DecisionRecord[] = [];

  for (const step of steps) {
    if (step.kind === 'deadline') {
      deadline = step.to;
      continue;
    }
    if (step.kind === 'submit') {
      const unit = units.get(step.report.unitCode);
      if (!unit) continue;
      unit.status = 'awaiting_head';
      unit.latestReport = step.report;
      unit.firstSubmittedAt ??= step.report.submittedAt;
      continue;
    }
    const d = step.decision;
    decisions.push(d);
    if (d.level === 'head') {
      const unit = units.get(d.unitCodes[0]);
      if (!unit) continue;
      if (d.decision === 'approve') {
        unit.status = 'head_approved';
        unit.approvedReport = unit.latestReport;
        if (unit.latestReport) {
          unit.hoursToHeadApproval.push(
            (d.decidedAt.getTime() - unit.latestReport.submittedAt.getTime()) / HOUR_MS,
          );
        }
        if ([...units.values()].every((u) => u.status === 'head_approved')) {
          phase = 'office_review';
          officeReviewSince = d.decidedAt;
        }
      } else {
        unit.status = 'returned_by_head';
        unit.returns += 1;
      }
      continue;
    }
    if (d.decision === 'approve') {
      phase = 'closed';
      closedAt = d.decidedAt;
      if (officeReviewSince)
        hoursToOfficeApproval = (d.decidedAt.getTime() - officeReviewSince.getTime()) / HOUR_MS;
    } else {
      phase = 'reporting';
      for (const code of d.unitCodes) {
        const unit = units.get(code);
        if (!unit) continue;
        unit.status = 'returned_by_office';
        unit.returns += 1;
      }
    }
    officeReviewSince = null;
  }

  const started = live || (startedAt !== null && before(startedAt));
  if (phase === 'reporting' && cutoff.getTime() < record.opensAt.getTime()) phase = 'not_open';
  const unitViews = [...units.values()];
  let lamp: Lamp = lampAt(
    {
      phase,
      deadline: deadline.toISOString(),
      units: unitViews.map((u) => ({ ...u, latestVersion: 0, waitingSince: null, reports: [] })),
    },
    cutoff,
  );
  if (live) {
    // The workflow's own view: identical when the projection is current, and authoritative if not.
    phase = record.phase;
    lamp = record.lamp;
    deadline = record.deadline;
    closedAt = record.closedAt;
    for (const u of record.units) {
      const view = units.get(u.code);
      if (view) view.status = u.status;
    }
  }
  return {
    id: record.id,
    taskCode: record.taskCode,
    quarter: record.quarter,
    started,
    phase,
    lamp,
    deadline,
    closedAt,
    units: unitViews,
    decisions,
    hoursToOfficeApproval,
  };
}

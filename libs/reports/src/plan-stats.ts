import type { Lamp, Owed, Phase } from '@duban/contracts';
import { laggingUnits } from '@duban/domain';
import type { ReportMoment } from './as-of';
import { average, categoryHeading, overdueDays } from './format';
import type { PlanReportData } from './reports.repository';
import { replayTaskQuarter, type TaskQuarterView } from './timeline';

export type LampCounts = Record<Lamp, number>;
export type StatusCounts = Record<Phase, number>;

export interface CategoryStats {
  number: number;
  title: string;
  heading: string;
  taskQuarters: number;
  byLamp: LampCounts;
  byStatus: StatusCounts;
}

export interface UnitStats {
  unitCode: string;
  unitName: string;
  /** Task-quarters (started by the moment) the unit must report on. */
  due: number;
  /** Task-quarters it has submitted a report for. */
  submitted: number;
  /** First submission before the deadline in force at the moment. */
  submittedOnTime: number;
  /** First submission at or after that deadline. */
  submittedLate: number;
  /** Not submitted although the deadline has passed. */
  missing: number;
  /** Returns, by the unit head or by the office, that named the unit. */
  returned: number;
  /** Task-quarters whose report its head has approved. */
  headApproved: number;
  /** Submission → head approval, averaged over every approval; null when none. */
  averageHoursToHeadApproval: number | null;
  /** Office review start → office approval, over the unit's closed task-quarters; null when none. */
  averageHoursToOfficeApproval: number | null;
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
  lagging: Array<{ unitCode: string; unitName: string; owes: Owed }>;
}

/** Which task-quarters to count; the same meaning as the task-quarter list's filters. */
export interface PlanStatsFilter {
  /** Tasks of this category (1-based, in the notice's order). */
  category?: number;
  /** Task-quarters this unit is responsible for. */
  unit?: string;
  /** Only city-level (★) tasks when true, only the others when false. */
  cityLevel?: boolean;
}

export interface PlanStats {
  planId: string;
  planTitle: string;
  /** Null when every quarter is counted. */
  quarter: number | null;
  /** The filters applied; empty when the whole plan is counted. */
  filter: PlanStatsFilter;
  asOf: string | null;
  /** The moment the figures describe (ISO instant). */
  at: string;
  taskQuarters: number;
  byLamp: LampCounts;
  byStatus: StatusCounts;
  averageHoursToHeadApproval: number | null;
  averageHoursToOfficeApproval: number | null;
  categories: CategoryStats[];
  units: UnitStats[];
  overdue: OverdueTaskQuarter[];
}

const lampCounts = (): LampCounts => ({ green: 0, yellow: 0, red: 0, closed: 0 });
const statusCounts = (): StatusCounts => ({
  not_open: 0,
  reporting: 0,
  office_review: 0,
  closed: 0,
});

/** The statistics of a plan (one quarter or all) at a moment, from the replayed task-quarters. */
export function computePlanStats(
  data: PlanReportData,
  quarter: number | null,
  moment: ReportMoment,
  filter: PlanStatsFilter = {},
): PlanStats {
  const tasks = new Map(data.tasks.map((t) => [t.code, t]));
  const matches = (record: PlanReportData['records'][number]): boolean => {
    const task = tasks.get(record.taskCode);
    if (filter.category !== undefined && task?.category !== filter.category) return false;
    if (filter.cityLevel !== undefined && task?.cityLevel !== filter.cityLevel) return false;
    if (filter.unit !== undefined && !record.units.some((u) => u.code === filter.unit))
      return false;
    return true;
  };
  const views: TaskQuarterView[] = data.records
    .filter(matches)
    .map((r) => replayTaskQuarter(r, moment.cutoff, moment.live))
    .filter((v) => v.started)
    .sort(
      (a, b) =>
        a.quarter - b.quarter ||
        (tasks.get(a.taskCode)?.position ?? 0) - (tasks.get(b.taskCode)?.position ?? 0),
    );

  const byLamp = lampCounts();
  const byStatus = statusCounts();
  const categories = new Map<number, CategoryStats>(
    data.categories.map((c) => [
      c.number,
      {
        number: c.number,
        title: c.title,
        heading: categoryHeading(c),
        taskQuarters: 0,
        byLamp: lampCounts(),
        byStatus: statusCounts(),
      },
    ]),
  );
  const units = new Map<string, UnitStats & { headHours: number[]; officeHours: number[] }>();
  const headHours: number[] = [];
  const officeHours: number[] = [];
  const overdue: OverdueTaskQuarter[] = [];

  for (const view of views) {
    byLamp[view.lamp] += 1;
    byStatus[view.phase] += 1;
    const task = tasks.get(view.taskCode);
    const category = task ? categories.get(task.category) : undefined;
    if (category) {
      category.taskQuarters += 1;
      category.byLamp[view.lamp] += 1;
      category.byStatus[view.phase] += 1;
    }
    if (view.hoursToOfficeApproval !== null) officeHours.push(view.hoursToOfficeApproval);
    const deadlinePassed = moment.cutoff.getTime() >= view.deadline.getTime();

    for (const unit of view.units) {
      let stats = units.get(unit.code);
      if (!stats) {
        stats = {
          unitCode: unit.code,
          unitName: unit.name,
          due: 0,
          submitted: 0,
          submittedOnTime: 0,
          submittedLate: 0,
          missing: 0,
          returned: 0,
          headApproved: 0,
          averageHoursToHeadApproval: null,
          averageHoursToOfficeApproval: null,
          headHours: [],
          officeHours: [],
        };
        units.set(unit.code, stats);
      }
      stats.due += 1;
      if (unit.firstSubmittedAt) {
        stats.submitted += 1;
        if (unit.firstSubmittedAt.getTime() < view.deadline.getTime()) stats.submittedOnTime += 1;
        else stats.submittedLate += 1;
      } else if (deadlinePassed) {
        stats.missing += 1;
      }
      stats.returned += unit.returns;
      if (unit.status === 'head_approved') stats.headApproved += 1;
      stats.headHours.push(...unit.hoursToHeadApproval);
      headHours.push(...unit.hoursToHeadApproval);
      if (view.hoursToOfficeApproval !== null) stats.officeHours.push(view.hoursToOfficeApproval);
    }

    if (view.phase !== 'closed' && deadlinePassed) {
      overdue.push({
        id: view.id,
        taskCode: view.taskCode,
        taskName: task?.name ?? '',
        quarter: view.quarter,
        phase: view.phase,
        lamp: view.lamp,
        deadline: view.deadline.toISOString(),
        overdueDays: overdueDays(view.deadline, moment.cutoff, false) ?? 0,
        lagging: laggingUnits(
          view.units.map((u) => ({ ...u, latestVersion: 0, waitingSince: null, reports: [] })),
        ),
      });
    }
  }

  return {
    planId: data.plan.id,
    planTitle: data.plan.title,
    quarter,
    filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)),
    asOf: moment.asOf,
    at: moment.cutoff.toISOString(),
    taskQuarters: views.length,
    byLamp,
    byStatus,
    averageHoursToHeadApproval: average(headHours),
    averageHoursToOfficeApproval: average(officeHours),
    categories: [...categories.values()],
    units: [...units.values()]
      .map(({ headHours: h, officeHours: o, ...stats }) => ({
        ...stats,
        averageHoursToHeadApproval: average(h),
        averageHoursToOfficeApproval: average(o),
      }))
      .sort((a, b) => a.unitCode.localeCompare(b.unitCode)),
    overdue: overdue.sort(
      (a, b) => b.overdueDays - a.overdueDays || a.taskCode.localeCompare(b.taskCode),
    ),
  };
}

import type { Lamp, Phase } from '@duban/contracts';
import type { CategoryEntity, PlanEntity, TaskEntity } from '@duban/persistence';
import { reportMoment } from './as-of';
import { computePlanStats } from './plan-stats';
import type { PlanReportData } from './reports.repository';
import type { TaskQuarterRecord } from './timeline';

const NOW = new Date('2017-05-10T04:00:00Z');

/** A live task-quarter of Q2 2017 (deadline 2017-07-10) in the given phase and lamp. */
function record(
  taskCode: string,
  unitCodes: string[],
  phase: Phase,
  lamp: Lamp,
  deadline = '2017-07-09T16:00:00Z',
): TaskQuarterRecord {
  return {
    id: `tq:2017-jianghai:${taskCode}:Q2`,
    taskCode,
    quarter: 2,
    phase,
    lamp,
    deadline: new Date(deadline),
    opensAt: new Date('2017-03-31T16:00:00Z'),
    closedAt: phase === 'closed' ? new Date('2017-05-01T02:00:00Z') : null,
    units: unitCodes.map((code, i) => ({
      code,
      name: code,
      lead: i === 0,
      status: phase === 'closed' ? 'head_approved' : 'awaiting_report',
    })),
    reports: [],
    decisions: [],
    deadlineChanges: [],
    events: [],
  };
}

function data(): PlanReportData {
  const task = (code: string, position: number, category: number, cityLevel: boolean) =>
    ({ code, position, category, cityLevel, name: `任务${code}` }) as unknown as TaskEntity;
  return {
    plan: { id: '2017-jianghai', title: '计划' } as PlanEntity,
    categories: [
      { number: 1, title: '甲', declaredCount: 2 },
      { number: 2, title: '乙', declaredCount: 1 },
    ] as CategoryEntity[],
    tasks: [task('1.1', 1, 1, true), task('1.2', 2, 1, false), task('2.1', 3, 2, true)],
    records: [
      record('1.1', ['zjsw'], 'reporting', 'green'),
      record('1.2', ['zjsw', 'waihai'], 'closed', 'closed'),
      // Past its deadline and not closed: red, and on the overdue list.
      record('2.1', ['waihai'], 'reporting', 'red', '2017-04-09T16:00:00Z'),
    ],
  };
}

describe('computePlanStats filters', () => {
  const moment = reportMoment(undefined, NOW);

  it('counts the whole plan without a filter', () => {
    const s = computePlanStats(data(), null, moment);
    expect(s.filter).toEqual({});
    expect(s.taskQuarters).toBe(3);
    expect(s.byLamp).toEqual({ green: 1, yellow: 0, red: 1, closed: 1 });
    expect(s.overdue.map((o) => o.taskCode)).toEqual(['2.1']);
  });

  it('narrows by category, unit and ★ as the task-quarter list does', () => {
    const byCategory = computePlanStats(data(), null, moment, { category: 1 });
    expect(byCategory.filter).toEqual({ category: 1 });
    expect(byCategory.taskQuarters).toBe(2);
    expect(byCategory.byLamp).toEqual({ green: 1, yellow: 0, red: 0, closed: 1 });
    expect(byCategory.overdue).toEqual([]);
    expect(byCategory.categories.find((c) => c.number === 2)?.taskQuarters).toBe(0);

    // A unit counts every task-quarter it shares, not only those it leads.
    const byUnit = computePlanStats(data(), null, moment, { unit: 'waihai' });
    expect(byUnit.taskQuarters).toBe(2);
    expect(byUnit.byLamp).toEqual({ green: 0, yellow: 0, red: 1, closed: 1 });
    expect(byUnit.byStatus).toEqual({ not_open: 0, reporting: 1, office_review: 0, closed: 1 });

    const star = computePlanStats(data(), null, moment, { cityLevel: true });
    expect(star.taskQuarters).toBe(2);
    expect(star.byLamp).toEqual({ green: 1, yellow: 0, red: 1, closed: 0 });
    const notStar = computePlanStats(data(), null, moment, { cityLevel: false });
    expect(notStar.taskQuarters).toBe(1);
    expect(notStar.byLamp.closed).toBe(1);

    // Filters combine; undefined ones are ignored and not echoed.
    const both = computePlanStats(data(), null, moment, {
      category: 2,
      cityLevel: true,
      unit: undefined,
    });
    expect(both.filter).toEqual({ category: 2, cityLevel: true });
    expect(both.taskQuarters).toBe(1);
    expect(both.overdue.map((o) => o.taskCode)).toEqual(['2.1']);
    expect(computePlanStats(data(), null, moment, { unit: 'nobody' }).taskQuarters).toBe(0);
  });
});

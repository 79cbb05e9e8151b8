import {
  DEFAULT_LADDER,
  type TaskQuarterFacts,
  type TaskQuarterState,
  type UnitState,
  type UnitStatus,
} from '@duban/contracts';
import { reportingDeadline } from './time';

/*
 * The task-quarter state the domain specs reason about: task 36.1 of the 2017 Jianghai plan in its
 * second quarter. Spec support only (the `*.spec-helpers.ts` convention of apps/api/src/auth):
 * nothing in production imports it and the package index does not export it.
 */

/** Q2 2017's reporting deadline, 2017-07-01T00:00+08:00. */
export const FIXTURE_DEADLINE = reportingDeadline(2017, 2);
export const FIXTURE_WORKFLOW_ID = 'tq:2017-jianghai:36.1:Q2';

/** A unit in the given status; unit `a` leads, and a unit that has reported is at version 1. */
export function unitState(
  code: string,
  status: UnitStatus,
  waitingSince: string | null = null,
  name = `${code}局`,
): UnitState {
  return {
    code,
    name,
    lead: code === 'a',
    status,
    latestVersion: status === 'awaiting_report' ? 0 : 1,
    waitingSince,
    reports: [],
  };
}

/**
 * A task-quarter in the reporting phase with no units, decisions, notices or events yet; each spec
 * sets what it is about through `overrides` (the state) and `facts` (its facts).
 */
export function taskQuarterState(
  overrides: Partial<TaskQuarterState> = {},
  facts: Partial<TaskQuarterFacts> = {},
): TaskQuarterState {
  const deadline = FIXTURE_DEADLINE.toISOString();
  return {
    workflowId: FIXTURE_WORKFLOW_ID,
    facts: {
      planId: '2017-jianghai',
      planTitle: '计划',
      taskCode: '36.1',
      taskName: '加快提升公交一体化水平',
      goal: '新建公交站场1个。',
      cityLevel: true,
      quarter: 2,
      year: 2017,
      target: '完成基础设施建设并交付使用。',
      units: [],
      opensAt: '2017-03-31T16:00:00.000Z',
      deadline,
      ladder: DEFAULT_LADDER,
      ...facts,
    },
    phase: 'reporting',
    units: [],
    decisions: [],
    deadline,
    deadlineHistory: [],
    lamp: 'green',
    escalationLevel: 0,
    officeReviewSince: null,
    officeReviewRound: 0,
    notices: [],
    events: [],
    seq: 0,
    closedAt: null,
    ...overrides,
  };
}

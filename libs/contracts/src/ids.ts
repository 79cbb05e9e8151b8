/** The task queue every task-quarter workflow and its projection activity run on. */
export const TASK_QUEUE = 'duban-task-quarters';

/** The registered workflow type name (the exported function's name in `workflows/`). */
export const WORKFLOW_TYPE = 'taskQuarterWorkflow';

export type QuarterNumber = 1 | 2 | 3 | 4;

export interface TaskQuarterKey {
  planId: string;
  taskCode: string;
  quarter: QuarterNumber;
}

const WORKFLOW_ID_PATTERN = /^tq:([^:]+):([^:]+):Q([1-4])$/;

/**
 * The workflow id of a task-quarter, derived from plan, task and quarter so that activating a
 * plan twice starts nothing twice: `tq:2017-jianghai:36.1:Q2`.
 */
export function taskQuarterWorkflowId(planId: string, taskCode: string, quarter: number): string {
  if (!planId || planId.includes(':')) {
    throw new Error(`Invalid plan id "${planId}": it must be non-empty and contain no ":"`);
  }
  if (!taskCode || taskCode.includes(':')) {
    throw new Error(`Invalid task code "${taskCode}": it must be non-empty and contain no ":"`);
  }
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
    throw new Error(`Invalid quarter ${quarter}: it must be 1, 2, 3 or 4`);
  }
  return `tq:${planId}:${taskCode}:Q${quarter}`;
}

/** The inverse of {@link taskQuarterWorkflowId}; null for anything that is not a task-quarter id. */
export function parseTaskQuarterWorkflowId(workflowId: string): TaskQuarterKey | null {
  const match = WORKFLOW_ID_PATTERN.exec(workflowId);
  if (!match) return null;
  return { planId: match[1], taskCode: match[2], quarter: Number(match[3]) as QuarterNumber };
}

import type { TaskQuarterSnapshot } from './task-quarter';

/** The activities the worker implements for task-quarter workflows. */
export interface TaskQuarterActivities {
  /**
   * Projects the whole current state into Postgres. Must be idempotent: upsert the task-quarter
   * row, units, report versions (workflowId + unit + version), decisions and deadline changes
   * (workflowId + seq), notices (key) and audit events (workflowId + seq), and ignore a snapshot
   * whose `seq` is lower than the one already stored.
   */
  recordTaskQuarter(snapshot: TaskQuarterSnapshot): Promise<void>;
}

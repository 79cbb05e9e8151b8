import { sha256 } from './canonical';
import { historyToJsonText } from './proto-json';
import { eventsOf, parseHistoryJson, type RunHistory } from './history';
import type { SqlRunner } from './projection';

/** Stores a task-quarter's run histories in `history_archive` (idempotent per run). */
export async function archiveRuns(
  sql: SqlRunner,
  runs: RunHistory[],
  meta: { planId: string; closedAt: Date | null },
): Promise<number> {
  let stored = 0;
  for (const [runIndex, run] of runs.entries()) {
    const text = historyToJsonText(run.history);
    const rows = await sql(
      `INSERT INTO history_archive (workflow_id, run_id, run_index, plan_id, history, sha256, event_count, closed_at, archived_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (workflow_id, run_id) DO NOTHING RETURNING run_id`,
      [
        run.workflowId,
        run.runId,
        runIndex,
        meta.planId,
        text,
        sha256(text),
        eventsOf(run.history).length,
        meta.closedAt,
      ],
    );
    stored += rows.length;
  }
  return stored;
}

/** The archived runs of a task-quarter, oldest first; a run whose text no longer hashes right is refused. */
export async function loadArchivedRuns(sql: SqlRunner, workflowId: string): Promise<RunHistory[]> {
  const rows = await sql(
    'SELECT run_id, history, sha256 FROM history_archive WHERE workflow_id = $1 ORDER BY run_index',
    [workflowId],
  );
  return rows.map((row) => {
    const text = String(row.history);
    if (sha256(text) !== row.sha256) {
      throw new Error(
        `archived history of ${workflowId} run ${String(row.run_id)} was altered (sha256 mismatch)`,
      );
    }
    const [run] = parseHistoryJson(text, workflowId);
    return { ...run, workflowId, runId: String(row.run_id) };
  });
}

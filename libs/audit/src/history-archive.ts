import * as proto from '@temporalio/proto';
import { sha256 } from './canonical';
import { historyToJsonText } from './proto-json';
import { eventsOf, type History, parseHistoryJson, type RunHistory } from './history';
import type { SqlRunner } from './projection';

/**
 * Stores a task-quarter's run histories in `history_archive`, idempotent per run. All runs go in
 * one statement, so a failure part-way stores none of them: the archive job only picks up
 * task-quarters with no archived run at all, and would never complete a chain stored in part.
 * Returns how many runs were newly stored.
 */
export async function archiveRuns(
  sql: SqlRunner,
  runs: RunHistory[],
  meta: { planId: string; closedAt: Date | null },
): Promise<number> {
  if (runs.length === 0) return 0;
  const params: unknown[] = [];
  const values = runs.map((run, runIndex) => {
    const text = historyToJsonText(run.history);
    const row = [
      run.workflowId,
      run.runId,
      runIndex,
      meta.planId,
      text,
      sha256(text),
      eventsOf(run.history).length,
      meta.closedAt,
    ];
    const first = params.length + 1;
    params.push(...row);
    return `(${row.map((_v, i) => `$${first + i}`).join(', ')}, now())`;
  });
  const rows = await sql(
    `INSERT INTO history_archive (workflow_id, run_id, run_index, plan_id, history, sha256, event_count, closed_at, archived_at)
     VALUES ${values.join(',\n            ')}
     ON CONFLICT (workflow_id, run_id) DO NOTHING RETURNING run_id`,
    params,
  );
  return rows.length;
}

/**
 * The history as the client hands it out. Read back from JSON, its 64-bit fields (event ids,
 * timestamps' seconds) are plain numbers, and `optionalTsToDate` of @temporalio/common, which the
 * timeline uses for event times, needs them as Long; a binary round trip through
 * @temporalio/proto's own types gives the same shape `fetchHistory` returns.
 */
function asFetched(history: History): History {
  const type = proto.temporal.api.history.v1.History;
  return type.decode(type.encode(type.fromObject(history)).finish());
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
    return { workflowId, runId: String(row.run_id), history: asFetched(run.history) };
  });
}

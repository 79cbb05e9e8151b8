import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from './audit.service';
import { archiveRuns } from './history-archive';

export interface ArchiveResult {
  candidates: number;
  archived: number;
  runsStored: number;
  failed: Array<{ workflowId: string; error: string }>;
}

/**
 * Retention: copies the histories of closed task-quarters into `history_archive` before the
 * namespace's retention period deletes them, so replay keeps working years later. Run it more
 * often than the retention period (the default namespace keeps closed histories for days); it
 * only fetches task-quarters not archived yet.
 */
@Injectable()
export class HistoryArchiveService {
  private readonly logger = new Logger(HistoryArchiveService.name);

  constructor(private readonly audit: AuditService) {}

  async archiveClosed(planId?: string): Promise<ArchiveResult> {
    const sql = this.audit.sql;
    const candidates = await sql(
      `SELECT tq.id, tq.plan_id, tq.closed_at FROM task_quarter tq
        WHERE tq.phase = 'closed' AND ($1::text IS NULL OR tq.plan_id = $1)
          AND NOT EXISTS (SELECT 1 FROM history_archive h WHERE h.workflow_id = tq.id)
        ORDER BY tq.closed_at`,
      [planId ?? null],
    );
    const result: ArchiveResult = {
      candidates: candidates.length,
      archived: 0,
      runsStored: 0,
      failed: [],
    };
    for (const row of candidates) {
      const workflowId = String(row.id);
      try {
        const { runs, source } = await this.audit.loadRuns(workflowId);
        if (source !== 'temporal') continue;
        const last = runs[runs.length - 1]?.history.events?.at(-1);
        // Only a finished workflow's history is final; a closed row may briefly precede it.
        if (!last?.workflowExecutionCompletedEventAttributes) continue;
        result.runsStored += await archiveRuns(sql, runs, {
          planId: String(row.plan_id),
          closedAt: row.closed_at instanceof Date ? row.closed_at : null,
        });
        result.archived += 1;
      } catch (error) {
        this.logger.warn(`could not archive ${workflowId}: ${(error as Error).message}`);
        result.failed.push({ workflowId, error: (error as Error).message });
      }
    }
    return result;
  }
}

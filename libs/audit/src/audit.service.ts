import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { DomainError, notFound } from '@duban/errors';
import { TemporalClientService } from '@duban/temporal';
import { buildBundle, type AuditBundle } from './bundle';
import { fetchRunHistories, type RunHistory } from './history';
import { loadArchivedRuns } from './history-archive';
import { readProjectionRows, type SqlRunner } from './projection';
import {
  PLAN_REPLAY_BATCH,
  verifyTaskQuarter,
  verifyTaskQuarters,
  type ReplayOptions,
  type ReplayReport,
} from './replay';
import { buildTimeline, type TimelineItem } from './timeline';

export interface TaskQuarterHistory {
  workflowId: string;
  /** `temporal` (the server) or `archive` (history_archive, after retention). */
  source: 'temporal' | 'archive';
  runs: Array<{ runId: string; events: number }>;
  items: TimelineItem[];
}

/** The auditor's operations on one task-quarter: timeline, replay against Postgres, export. */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalClientService,
  ) {}

  get sql(): SqlRunner {
    return (text, params) => this.dataSource.query(text, params);
  }

  /** Every run from the server; from the archive when retention has already removed it. */
  async loadRuns(
    workflowId: string,
  ): Promise<{ runs: RunHistory[]; source: 'temporal' | 'archive' }> {
    try {
      const client = await this.temporal.getClient();
      return { runs: await fetchRunHistories(client, workflowId), source: 'temporal' };
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError) && !isNotFound(error)) {
        throw new DomainError(
          'UNAVAILABLE',
          `cannot read the history of ${workflowId}: ${(error as Error).message}`,
        );
      }
      const archived = await this.archivedRuns(workflowId);
      if (archived.length === 0) throw notFound(`task-quarter ${workflowId}`);
      return { runs: archived, source: 'archive' };
    }
  }

  private async archivedRuns(workflowId: string): Promise<RunHistory[]> {
    try {
      return await loadArchivedRuns(this.sql, workflowId);
    } catch (error) {
      // Before the archive migration has run there is simply nothing archived.
      if (/relation "history_archive" does not exist/.test(String(error))) return [];
      throw error;
    }
  }

  async history(workflowId: string): Promise<TaskQuarterHistory> {
    const { runs, source } = await this.loadRuns(workflowId);
    return {
      workflowId,
      source,
      runs: runs.map((r) => ({ runId: r.runId, events: r.history.events?.length ?? 0 })),
      items: buildTimeline(runs),
    };
  }

  async replay(workflowId: string, options: ReplayOptions = {}): Promise<ReplayReport> {
    const { runs } = await this.loadRuns(workflowId);
    return verifyTaskQuarter(runs, this.sql, options);
  }

  /**
   * Replays every task-quarter of a plan against Postgres: histories fetched a few at a time, each
   * batch replayed by one replay worker (see verifyTaskQuarters), so memory stays bounded by the
   * batch and a plan of thousands costs little more than a bare replay of its histories.
   */
  async replayPlan(
    workflowIds: string[],
    options: ReplayOptions = {},
    onProgress: (done: number, total: number, workflowId: string) => void = () => undefined,
    batchSize = PLAN_REPLAY_BATCH,
  ): Promise<ReplayReport[]> {
    const reports: ReplayReport[] = [];
    for (let start = 0; start < workflowIds.length; start += batchSize) {
      const batch = workflowIds.slice(start, start + batchSize);
      const runs = await mapConcurrently(
        batch,
        FETCH_CONCURRENCY,
        async (id) => (await this.loadRuns(id)).runs,
      );
      reports.push(...(await verifyTaskQuarters(runs, this.sql, options)));
      onProgress(reports.length, workflowIds.length, batch[batch.length - 1]);
    }
    return reports;
  }

  /** Replays runs read from a file, comparing with this database when it holds their rows. */
  replayRuns(runs: RunHistory[], options: ReplayOptions = {}): Promise<ReplayReport> {
    return verifyTaskQuarter(runs, this.sql, options);
  }

  async exportBundle(workflowId: string): Promise<AuditBundle> {
    const { runs } = await this.loadRuns(workflowId);
    return buildBundle({
      workflowId,
      runs,
      projection: await readProjectionRows(this.sql, workflowId),
      timeline: buildTimeline(runs),
    });
  }

  /** Task-quarter ids of a plan: what Temporal knows and what Postgres holds, merged. */
  async planTaskQuarters(planId: string): Promise<string[]> {
    const ids = new Set<string>();
    const rows = await this.sql('SELECT id FROM task_quarter WHERE plan_id = $1', [planId]);
    for (const row of rows) ids.add(String(row.id));
    try {
      const client = await this.temporal.getClient();
      for await (const wf of client.workflow.list({
        query: `DubanPlan = '${planId.replace(/'/g, '')}'`,
      })) {
        ids.add(wf.workflowId);
      }
    } catch (error) {
      if (ids.size === 0) throw error;
    }
    return [...ids].sort(compareTaskQuarterIds);
  }
}

/** Histories fetched in parallel: enough to hide gRPC latency without crowding the frontend. */
const FETCH_CONCURRENCY = 8;

/** Maps with at most `limit` calls in flight, keeping the input order. */
async function mapConcurrently<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

function isNotFound(error: unknown): boolean {
  return (
    (error as { code?: number } | null)?.code === 5 ||
    /not found/i.test(String((error as Error)?.message))
  );
}

/** `tq:p:2:Q1` before `tq:p:10:Q1`: task codes compared as numbers, then the quarter. */
export function compareTaskQuarterIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

import { getStateQuery, submitReportUpdate, taskQuarterWorkflowId } from '@duban/contracts';
import { quarterOf } from '@duban/domain';
import { PlanActivationService } from '@duban/plans';
import { TemporalClientService } from '@duban/temporal';
import type { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import {
  archiveRuns,
  AuditService,
  fetchRunHistories,
  HistoryArchiveService,
  historyJson,
  sha256,
  type RunHistory,
  type TaskQuarterHistory,
} from '@duban/audit';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import { taskQuarterActions } from '../support/task-quarter-actions';

/*
 * The history archive (docs/operations.md §5): `audit archive` copies the histories of closed
 * task-quarters into Postgres, every run of a continue-as-new chain, once; after the namespace's
 * retention has deleted them from Temporal, the timeline and replay read them from there, and an
 * archived history that was edited is refused.
 */

jest.setTimeout(300_000);

interface ArchiveRow {
  workflow_id: string;
  run_id: string;
  run_index: number;
  plan_id: string;
  history: string;
  sha256: string;
  event_count: number;
  closed_at: Date | null;
  archived_at: Date;
}

/*
 * A run continued as new on the server's history-size suggestion has a history page over 4 MB:
 * the audit service reads it through the product's own Temporal client module, which must lift
 * grpc-js's 4 MB default (the SDK's own default is misspelt and has no effect).
 */

/** ~1.2 KB of UTF-8: a few dozen resubmissions take a run past the server's 4 MB suggestion. */
const LONG_SUMMARY = '本季度完成情况说明'.repeat(45);

describe('the history archive', () => {
  let stack: TestStack;
  let audit: AuditService;
  let archiver: HistoryArchiveService;
  let client: Client;
  const year = quarterOf(new Date()).year - 1;
  const tq = (task: string): string => taskQuarterWorkflowId(stack.planId!, task, 4);
  /** Closed in one run, closed after a continue-as-new, left open (closed later). */
  const simple = (): string => tq('1');
  const chained = (): string => tq('2');
  const late = (): string => tq('3');
  const fromTemporal = new Map<string, { runs: RunHistory[]; history: TaskQuarterHistory }>();

  const { actor, cli, close } = taskQuarterActions(() => stack);

  const archiveRows = (id?: string): Promise<ArchiveRow[]> =>
    stack.sql<ArchiveRow>(
      `SELECT * FROM history_archive WHERE ($1::text IS NULL OR workflow_id = $1)
        ORDER BY workflow_id, run_index`,
      [id ?? null],
    );

  beforeAll(async () => {
    stack = await startTestStack({ seedYear: year });
    const r = await stack.app.get(PlanActivationService).activate(stack.planId!, 4);
    expect(r.started).toBeGreaterThan(3);
    const temporal = stack.app.get(TemporalClientService);
    client = await temporal.getClient();
    audit = new AuditService(stack.app.get(DataSource), temporal);
    archiver = new HistoryArchiveService(audit);

    await close(simple());

    // The chained task-quarter: its first unit resubmits a long report until the server suggests
    // continue-as-new (history size), then everyone finishes in the second run.
    const handle = stack.temporal.workflow.getHandle(chained());
    const firstRunId = (await handle.describe()).runId;
    const { units } = await handle.query(getStateQuery);
    const staff = await actor(`${units[0].code}.staff`);
    for (let i = 1; (await handle.describe()).runId === firstRunId; i += 1) {
      if (i > 200) throw new Error('no continue-as-new after 200 submissions');
      await handle.executeUpdate(submitReportUpdate, {
        args: [
          {
            actor: staff,
            unitCode: units[0].code,
            status: 'completed',
            summary: `第${i}版 ${LONG_SUMMARY}`,
          },
        ],
      });
    }
    await close(chained());

    for (const id of [simple(), chained()]) {
      fromTemporal.set(id, {
        runs: await fetchRunHistories(client, id),
        history: await audit.history(id),
      });
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('stores every run of each closed task-quarter, as fetched, with its hash and counts', async () => {
    expect(fromTemporal.get(chained())!.runs).toHaveLength(2);
    const result = await archiver.archiveClosed(stack.planId);
    expect(result).toEqual({ candidates: 2, archived: 2, runsStored: 3, failed: [] });

    const rows = await archiveRows();
    expect(rows.map((r) => `${r.workflow_id}#${r.run_index}`).sort()).toEqual(
      [`${simple()}#0`, `${chained()}#0`, `${chained()}#1`].sort(),
    );
    for (const id of [simple(), chained()]) {
      const { runs } = fromTemporal.get(id)!;
      const mine = rows.filter((r) => r.workflow_id === id);
      const [closed] = await stack.sql<{ closed_at: Date }>(
        'SELECT closed_at FROM task_quarter WHERE id = $1',
        [id],
      );
      expect(closed.closed_at).toBeInstanceOf(Date);
      expect(mine.map((r) => r.run_id)).toEqual(runs.map((r) => r.runId));
      for (const [i, row] of mine.entries()) {
        expect(JSON.parse(row.history)).toEqual(historyJson(runs[i].history));
        expect(row.sha256).toBe(sha256(row.history));
        expect(row.event_count).toBe(runs[i].history.events?.length);
        expect(row.plan_id).toBe(stack.planId);
        expect(row.closed_at?.toISOString()).toBe(closed.closed_at.toISOString());
      }
    }
    // The chain's second run says which run it continued.
    const second = JSON.parse(
      rows.find((r) => r.workflow_id === chained() && r.run_index === 1)!.history,
    ) as { events: Array<Record<string, Record<string, unknown>>> };
    expect(second.events[0].workflowExecutionStartedEventAttributes.continuedExecutionRunId).toBe(
      fromTemporal.get(chained())!.runs[0].runId,
    );
  });

  it('archives nothing twice: a second run, the command line and a direct re-store are no-ops', async () => {
    const before = await archiveRows();
    expect(await archiver.archiveClosed(stack.planId)).toEqual({
      candidates: 0,
      archived: 0,
      runsStored: 0,
      failed: [],
    });
    const run = await cli(['audit', 'archive', '--plan', stack.planId!]);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain(
      '0 closed task-quarter(s) not yet archived: 0 archived (0 runs), 0 failed',
    );
    const { runs } = fromTemporal.get(chained())!;
    expect(await archiveRuns(audit.sql, runs, { planId: stack.planId!, closedAt: null })).toBe(0);
    expect(await archiveRows()).toEqual(before);

    // A task-quarter closed later is picked up by the next run, alone, through the command line.
    await close(late());
    const next = await cli(['audit', 'archive']);
    expect(next).toMatchObject({ code: 0 });
    expect(next.stdout).toContain(
      '1 closed task-quarter(s) not yet archived: 1 archived (1 runs), 0 failed',
    );
    expect((await archiveRows(late())).map((r) => r.run_index)).toEqual([0]);
    expect((await archiveRows()).filter((r) => r.workflow_id !== late())).toEqual(before);
  });

  it('stores all runs of a chain or none of them', async () => {
    const { runs } = fromTemporal.get(chained())!;
    const id = `${chained()}:copy`;
    const copy = runs.map((r, i) => ({
      ...r,
      workflowId: id,
      // The second run's id does not fit the column: the whole store must fail.
      runId: i === 1 ? 'x'.repeat(65) : r.runId,
    }));
    await expect(
      archiveRuns(audit.sql, copy, { planId: stack.planId!, closedAt: null }),
    ).rejects.toThrow(/too long/);
    expect(await archiveRows(id)).toEqual([]);
  });

  it('serves the timeline and the replay from the archive once Temporal has deleted the runs', async () => {
    const id = chained();
    const { runs, history } = fromTemporal.get(id)!;
    // What namespace retention does: the runs disappear from the server.
    for (const run of runs) {
      await stack.temporal.workflowService.deleteWorkflowExecution({
        namespace: stack.env.TEMPORAL_NAMESPACE,
        workflowExecution: { workflowId: id, runId: run.runId },
      });
    }
    await eventually(
      async () => {
        for (const run of runs) {
          try {
            await stack.temporal.workflow.getHandle(id, run.runId).describe();
            return undefined;
          } catch {
            // gone
          }
        }
        return true;
      },
      { timeoutMs: 60_000, what: `the deletion of ${id}` },
    );

    const archived = await audit.history(id);
    expect(archived.source).toBe('archive');
    expect(archived.runs).toEqual(history.runs);
    expect(archived.items).toEqual(history.items);

    const report = await audit.replay(id);
    expect(report).toMatchObject({
      workflowId: id,
      deterministic: true,
      compared: true,
      matchesDatabase: true,
      differences: [],
    });
    expect(report.runs.map((r) => r.runId)).toEqual(runs.map((r) => r.runId));

    const text = await cli(['audit', 'history', id]);
    expect(text).toMatchObject({ code: 0 });
    expect(text.stdout).toContain('（2 run(s), from archive）');
    const replay = await cli(['audit', 'replay', '--workflow-id', id]);
    expect(replay).toMatchObject({ code: 0 });
  });

  it('refuses an archived history that was edited', async () => {
    const id = chained();
    // Backdate the first event of the second run by a few years.
    const edited = await stack.sql(
      `UPDATE history_archive
          SET history = regexp_replace(history, '"eventTime": "\\d{4}', '"eventTime": "2001')
        WHERE workflow_id = $1 AND run_index = 1
        RETURNING history`,
      [id],
    );
    expect(edited).toHaveLength(1);
    expect(String(edited[0].history)).toContain('"eventTime": "2001');
    await expect(audit.history(id)).rejects.toThrow(/altered \(sha256 mismatch\)/);
  });
});

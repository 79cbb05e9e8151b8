import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decideAsHeadUpdate,
  getStateQuery,
  moveDeadlineUpdate,
  submitReportUpdate,
  taskQuarterWorkflowId,
} from '@duban/contracts';
import { quarterOf } from '@duban/domain';
import { PlanActivationService } from '@duban/plans';
import { TemporalClientService } from '@duban/temporal';
import { DataSource } from 'typeorm';
import {
  AuditService,
  fetchRunHistories,
  replayHistories,
  verifyBundle,
  type ReplayReport,
} from '@duban/audit';
import { startTestStack, type TestStack } from '../support/stack';
import { taskQuarterActions } from '../support/task-quarter-actions';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..');
const TEMPORAL_CLI = process.env.TEMPORAL_CLI_PATH ?? join(ROOT, '.tools', 'py', 'bin', 'temporal');

describe('auditing task-quarters against their workflow histories', () => {
  let stack: TestStack;
  let audit: AuditService;
  const work = mkdtempSync(join(tmpdir(), 'duban-audit-'));
  const year = quarterOf(new Date()).year - 1;
  // Q4 of last year: overdue from the start, so the ladder has already sent notices.
  const tq = (task: string): string => taskQuarterWorkflowId(stack.planId!, task, 4);

  const { actor, cli, close, projected, reportAndApprove } = taskQuarterActions(() => stack);

  beforeAll(async () => {
    stack = await startTestStack({ seedYear: year });
    const r = await stack.app.get(PlanActivationService).activate(stack.planId!, 4);
    expect(r.started).toBeGreaterThan(0);
    // CliModule does not import AuditModule; the service needs only the DataSource and Temporal.
    audit = new AuditService(stack.app.get(DataSource), stack.app.get(TemporalClientService));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const chainId = (): string => tq('1');

  it("tells a task-quarter's story: who submitted, returned, moved the deadline, which notices went out", async () => {
    const id = chainId();
    const handle = stack.temporal.workflow.getHandle(id);
    const { units } = await handle.query(getStateQuery);
    const unit = units[0].code;
    const staff = await actor(`${unit}.staff`);
    const head = await actor(`${unit}.head`);
    const office = await actor('office');
    await handle.executeUpdate(submitReportUpdate, {
      args: [
        {
          actor: staff,
          unitCode: unit,
          status: 'partial',
          summary: '完成一半',
          explanation: '资金未到位',
        },
      ],
    });
    await handle.executeUpdate(decideAsHeadUpdate, {
      args: [{ actor: head, unitCode: unit, decision: 'return', comment: '请补充数据' }],
    });
    await handle.executeUpdate(submitReportUpdate, {
      args: [{ actor: staff, unitCode: unit, status: 'completed', summary: '已全部完成' }],
    });
    const newDeadline = new Date(Date.now() + 30 * 86400_000).toISOString();
    await handle.executeUpdate(moveDeadlineUpdate, {
      args: [{ actor: office, deadline: newDeadline, reason: '资金延迟下达' }],
    });
    // The other units report; every head approves; the office closes it.
    await close(id);

    const history = await audit.history(id);
    const byType = (type: string) => history.items.filter((i) => i.type === type);
    const submitted = byType('report_submitted').filter((i) => i.detail.unitCode === unit);
    expect(submitted.map((i) => i.detail.version)).toEqual([1, 2]);
    expect(submitted[1].actor?.id).toBe(staff.id);
    expect(submitted[1].text).toContain('第2版');
    const returned = byType('head_returned');
    expect(returned).toHaveLength(1);
    expect(returned[0].actor?.id).toBe(head.id);
    expect(returned[0].text).toContain('请补充数据');
    const [moved] = byType('deadline_moved');
    expect(moved.text).toContain('资金延迟下达');
    expect(moved.detail).toMatchObject({ to: newDeadline });
    expect(
      byType('notice_created').some((i) => i.detail.kind === 'overdue' && i.text.includes('逾期')),
    ).toBe(true);
    expect(byType('office_approved')).toHaveLength(1);
    expect(history.items.at(-1)?.type).toBe('run_completed');
    // Every item carries a time and stays in history order.
    expect(history.items.every((i) => !Number.isNaN(Date.parse(i.at)))).toBe(true);

    const text = await cli(['audit', 'history', id]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('请补充数据');
  });

  it('replays an untouched task-quarter clean, through the service and the command line', async () => {
    const id = chainId();
    const report = await audit.replay(id);
    expect(report).toMatchObject({
      deterministic: true,
      compared: true,
      matchesDatabase: true,
      differences: [],
    });
    const run = await cli(['audit', 'replay', '--workflow-id', id]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it('reports a decision edited in Postgres, field by field, and exits 1', async () => {
    const id = tq('2');
    await reportAndApprove(id);
    const [decision] = await stack.sql<{ seq: number }>(
      'SELECT seq FROM decision WHERE task_quarter_id = $1 ORDER BY seq LIMIT 1',
      [id],
    );
    await stack.sql(
      `UPDATE decision SET comment = '改过的意见' WHERE task_quarter_id = $1 AND seq = $2`,
      [id, decision.seq],
    );
    const report = await audit.replay(id);
    expect(report.deterministic).toBe(true);
    expect(report.matchesDatabase).toBe(false);
    expect(report.differences).toEqual([
      expect.objectContaining({
        table: 'decision',
        kind: 'changed',
        key: `seq=${decision.seq}`,
        fields: [{ field: 'comment', expected: '同意', actual: '改过的意见' }],
      }),
    ]);
    const run = await cli(['audit', 'replay', '--workflow-id', id]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`changed decision seq=${decision.seq}`);
  });

  it('reports a deleted report version as missing and exits 1', async () => {
    const id = tq('3');
    const [unit] = await reportAndApprove(id);
    await stack.sql(
      'DELETE FROM report_version WHERE task_quarter_id = $1 AND unit_code = $2 AND version = 1',
      [id, unit],
    );
    const report = await audit.replay(id);
    expect(report.differences).toEqual([
      expect.objectContaining({
        table: 'report_version',
        kind: 'missing',
        key: `unit_code=${unit},version=1`,
      }),
    ]);
    const run = await cli(['audit', 'replay', '--workflow-id', id, '--json']);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as ReplayReport).differences).toHaveLength(1);
  });

  it('reports a notice row that no workflow sent as added and exits 1', async () => {
    const id = tq('4');
    await projected(id);
    const key = `${id}:overdue:forged`;
    await stack.sql(
      `INSERT INTO notice (key, task_quarter_id, kind, recipients, lagging, title, body, created_at)
       VALUES ($1, $2, 'overdue', '[]', '[]', '伪造的通知', '无', now())`,
      [key, id],
    );
    const report = await audit.replay(id);
    expect(report.differences).toEqual([
      expect.objectContaining({ table: 'notice', kind: 'added', key: `key=${key}` }),
    ]);
    const run = await cli(['audit', 'replay', '--workflow-id', id]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`added notice key=${key}`);
  });

  it('replays the whole plan in batches and flags exactly the tampered task-quarters', async () => {
    // Tests above edited the rows of tasks 2, 3 and 4. A batch of 4 splits the plan's
    // task-quarters across several replay workers, so a result sliced back to the wrong
    // task-quarter would flag the wrong ids.
    const ids = await audit.planTaskQuarters(stack.planId!);
    expect(ids.length).toBeGreaterThan(8);
    const seen: number[] = [];
    const reports = await audit.replayPlan(ids, {}, (done) => seen.push(done), 4);
    expect(reports.map((r) => r.workflowId)).toEqual(ids);
    expect(seen).toEqual(
      ids.map((_, i) => Math.min(ids.length, i + 1)).filter((n) => n % 4 === 0 || n === ids.length),
    );
    expect(reports.every((r) => r.deterministic)).toBe(true);
    const tampered = [tq('2'), tq('3'), tq('4')].sort();
    expect(
      reports
        .filter((r) => r.matchesDatabase === false)
        .map((r) => r.workflowId)
        .sort(),
    ).toEqual(tampered);
    for (const r of reports) {
      expect(r.runs.every((run) => run.workflowId === r.workflowId)).toBe(true);
      if (!tampered.includes(r.workflowId)) expect(r.matchesDatabase).toBe(true);
    }

    const run = await cli(['audit', 'replay', '--plan', stack.planId!]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `${ids.length} task-quarters: ${ids.length - 3} ok, 0 nondeterministic, 3 not matching the database`,
    );
  });

  it('replays a history exported with the temporal CLI through --file, with and without the database', async () => {
    const id = chainId();
    const file = join(work, 'history.json');
    const exported = await new Promise<string>((resolve, reject) =>
      execFile(
        TEMPORAL_CLI,
        [
          'workflow',
          'show',
          '--workflow-id',
          id,
          '--output',
          'json',
          '--address',
          stack.env.TEMPORAL_ADDRESS,
          '--namespace',
          stack.env.TEMPORAL_NAMESPACE,
        ],
        { maxBuffer: 64 << 20 },
        (error, stdout) =>
          error
            ? reject(new Error(`temporal workflow show failed: ${error.message}`))
            : resolve(stdout),
      ),
    );
    writeFileSync(file, exported);

    const offline = await cli(['audit', 'replay', '--file', file, '--json'], {
      DATABASE_URL: undefined,
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    expect(offline).toMatchObject({ code: 0 });
    expect(JSON.parse(offline.stdout)).toMatchObject({
      workflowId: id,
      deterministic: true,
      compared: false,
    });

    const withDb = await cli(['audit', 'replay', '--file', file, '--json']);
    expect(withDb).toMatchObject({ code: 0 });
    expect(JSON.parse(withDb.stdout)).toMatchObject({
      deterministic: true,
      compared: true,
      matchesDatabase: true,
    });
  });

  it('reports an incompatible workflow change without patched() as nondeterministic', async () => {
    const runs = await fetchRunHistories(stack.temporal, chainId());
    const changed = join(ROOT, 'test', 'fixtures', 'incompatible-workflow.ts');
    const [result] = await replayHistories(runs, { workflowsPath: changed });
    expect(result.deterministic).toBe(false);
    expect(result.error).toMatch(/Nondeterminism|DeterminismViolation/i);
    const [current] = await replayHistories(runs);
    expect(current).toMatchObject({ deterministic: true, error: null });

    const run = await cli([
      'audit',
      'replay',
      '--workflow-id',
      chainId(),
      '--workflows-path',
      changed,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('NONDETERMINISTIC');
  });

  it('exports a bundle that verifies offline, and names the event when one byte is edited', async () => {
    const id = chainId();
    const file = join(work, 'bundle.json');
    const exported = await cli(['audit', 'export', id, '--out', file]);
    expect(exported).toMatchObject({ code: 0 });
    const ok = await cli(['audit', 'verify', file], { DATABASE_URL: undefined });
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toContain('OK');

    const text = readFileSync(file, 'utf8');
    expect(verifyBundle(text).valid).toBe(true);

    // One byte in the timeline: "第2版" becomes "第3版" in the second submission's text.
    const at = text.indexOf('第2版');
    expect(at).toBeGreaterThan(0);
    const edited = join(work, 'bundle-edited.json');
    writeFileSync(edited, text.slice(0, at + 1) + '3' + text.slice(at + 2));
    const bad = await cli(['audit', 'verify', edited], { DATABASE_URL: undefined });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      /\[timeline\] timeline #\d+ report_submitted seq=\d+ .*content changed/,
    );

    // One byte in a history event: a digit of an event time.
    const eventAt = text.indexOf('"eventTime": "') + '"eventTime": "'.length + 3;
    const digit = text[eventAt] === '9' ? '8' : String(Number(text[eventAt]) + 1);
    const result = verifyBundle(text.slice(0, eventAt) + digit + text.slice(eventAt + 1));
    expect(result.valid).toBe(false);
    expect(result.problems[0].part).toBe('history');
    expect(result.problems[0].ref).toMatch(/^run \S+ event 1 \(WORKFLOW_EXECUTION_STARTED\)$/);

    // Whitespace outside any record is a changed byte too.
    expect(verifyBundle(text.replace('\n', '\n ')).valid).toBe(false);
  });
});

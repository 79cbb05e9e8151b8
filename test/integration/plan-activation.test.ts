import { getStateQuery, reviewAsOfficeUpdate, taskQuarterWorkflowId } from '@duban/contracts';
import { quarterOf } from '@duban/domain';
import { PlanActivationService } from '@duban/plans';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import { taskQuarterActions } from '../support/task-quarter-actions';

jest.setTimeout(120_000);

describe('activating the seed plan on the real dev server and Postgres', () => {
  let stack: TestStack;
  const { year, quarter: currentQuarter } = quarterOf(new Date());

  beforeAll(async () => {
    stack = await startTestStack({ seedYear: year });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const { actor, submitAndApprove } = taskQuarterActions(() => stack);

  it('starts one workflow per task-quarter with a target, findable by search attribute, and nothing twice', async () => {
    const activation = stack.app.get(PlanActivationService);
    const first = await activation.activate(stack.planId!, 1);
    // 48 tasks × 4 quarters, minus 36.1's empty Q3 and Q4.
    expect(first).toMatchObject({ taskQuarters: 190, started: 190, alreadyStarted: 0 });

    const visible = await eventually(
      async () => {
        const { count } = await stack.temporal.workflow.count(`DubanPlan = '${stack.planId}'`);
        return count === 190 ? count : undefined;
      },
      { timeoutMs: 30_000, what: '190 task-quarters in visibility' },
    );
    expect(visible).toBe(190);
    const q2 = await stack.temporal.workflow.count(
      `DubanPlan = '${stack.planId}' AND DubanTask = '36.1' AND DubanQuarter = 2`,
    );
    expect(q2.count).toBe(1);
    const none = await stack.temporal.workflow.count(
      `DubanPlan = '${stack.planId}' AND DubanTask = '36.1' AND DubanQuarter = 3`,
    );
    expect(none.count).toBe(0);

    const second = await activation.activate(stack.planId!, 1);
    expect(second).toMatchObject({ taskQuarters: 190, started: 0, alreadyStarted: 190 });
    const after = await stack.temporal.workflow.count(`DubanPlan = '${stack.planId}'`);
    expect(after.count).toBe(190);
  });

  it('takes one task-quarter through the whole chain and leaves the matching rows in Postgres', async () => {
    // Task 37.3 is reported by every street office (a collective with no single lead).
    const id = taskQuarterWorkflowId(stack.planId!, '37.3', currentQuarter);
    const handle = stack.temporal.workflow.getHandle(id);
    const state = await handle.query(getStateQuery);
    const units = state.units.map((u) => u.code).sort();
    expect(units).toEqual(['jiangnan', 'lile', 'waihai']);
    expect(state.units.every((u) => !u.lead)).toBe(true);

    await submitAndApprove(id, { units, summary: (unit) => `${unit} 已完成本季度目标` });
    await handle.executeUpdate(reviewAsOfficeUpdate, {
      args: [{ actor: await actor('office'), decision: 'approve', comment: '办结' }],
    });

    const row = await eventually(
      async () => {
        const [r] = await stack.sql<{ phase: string; lamp: string; closed_at: Date | null }>(
          'SELECT phase, lamp, closed_at FROM task_quarter WHERE id = $1',
          [id],
        );
        return r?.phase === 'closed' ? r : undefined;
      },
      { what: 'the closed task-quarter in Postgres' },
    );
    expect(row.lamp).toBe('closed');
    expect(row.closed_at).not.toBeNull();

    const reports = await stack.sql<{ unit_code: string; version: number; summary: string }>(
      'SELECT unit_code, version, summary FROM report_version WHERE task_quarter_id = $1 ORDER BY unit_code',
      [id],
    );
    expect(reports.map((r) => [r.unit_code, r.version])).toEqual([
      ['jiangnan', 1],
      ['lile', 1],
      ['waihai', 1],
    ]);
    const decisions = await stack.sql<{ level: string; decision: string; unit_codes: string[] }>(
      'SELECT level, decision, unit_codes FROM decision WHERE task_quarter_id = $1 ORDER BY seq',
      [id],
    );
    expect(decisions.filter((d) => d.level === 'head')).toHaveLength(3);
    expect(decisions.at(-1)).toMatchObject({ level: 'office', decision: 'approve' });
    const unitRows = await stack.sql<{ status: string }>(
      'SELECT status FROM task_quarter_unit WHERE task_quarter_id = $1',
      [id],
    );
    expect(unitRows.map((u) => u.status)).toEqual([
      'head_approved',
      'head_approved',
      'head_approved',
    ]);
    const events = await stack.sql<{ type: string }>(
      'SELECT type FROM audit_event WHERE task_quarter_id = $1 ORDER BY seq',
      [id],
    );
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['report_submitted', 'head_approved', 'office_approved', 'closed']),
    );
    expect(events.filter((e) => e.type === 'report_submitted')).toHaveLength(3);

    // The workflow has completed and the projection matches its final state exactly.
    const final = await handle.query(getStateQuery);
    expect(final.phase).toBe('closed');
    const [{ count }] = await stack.sql<{ count: string }>(
      'SELECT count(*) FROM audit_event WHERE task_quarter_id = $1',
      [id],
    );
    expect(Number(count)).toBe(final.events.length);
  });
});

import { taskQuarterWorkflowId } from '@duban/contracts';
import { eventually } from '../support/stack';
import { request, startApi, taskWithThreeUnits, tasksOfUnit, type ApiHarness } from './api-harness';

jest.setTimeout(180_000);

interface UpdateResult {
  seq: number;
  phase: string;
  units: Array<{ code: string; status: string; latestVersion: number }>;
}
interface Detail {
  phase: string;
  lamp: string;
  source: string;
  units: Array<{
    code: string;
    status: string;
    reports: Array<{ version: number; summary: string }>;
  }>;
  decisions: Array<{ level: string; decision: string; units: string[]; comment: string }>;
  deadline: string;
  deadlineHistory: Array<{ reason: string; to: string }>;
  targets: unknown[];
  target: string | null;
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

describe('the HTTP API over the real dev server and Postgres', () => {
  let api: ApiHarness;
  let id: string;
  let units: string[];

  beforeAll(async () => {
    api = await startApi();
    const task = await taskWithThreeUnits(api);
    units = task.units;
    id = taskQuarterWorkflowId(api.planId, task.code, api.quarter);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const as = async (username: string) => `Bearer ${await api.token(username)}`;
  const post = async (username: string, path: string, body: object, key?: string) => {
    const req = request(api.http)
      .post(path)
      .set('Authorization', await as(username));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const get = async (username: string, path: string) =>
    request(api.http)
      .get(path)
      .set('Authorization', await as(username));
  const detail = async (): Promise<Detail> => {
    const res = await get('office', `/api/task-quarters/${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    return res.body as Detail;
  };
  const tq = (suffix = '') => `/api/task-quarters/${encodeURIComponent(id)}${suffix}`;

  it('activates the plan for the office (idempotently) and lists its task-quarters from the projection', async () => {
    const first = await post('office', `/api/plans/${api.planId}/activate`, {
      fromQuarter: api.quarter,
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ planId: api.planId, fromQuarter: api.quarter });
    const started = (first.body as { started: number; taskQuarters: number }).started;
    expect(started).toBeGreaterThan(0);
    const again = await post('office', `/api/plans/${api.planId}/activate`, {
      fromQuarter: api.quarter,
    });
    expect(again.body).toMatchObject({ started: 0, alreadyStarted: started });

    const listed = await eventually(
      async () => {
        const res = await get(
          'leader',
          `/api/plans/${api.planId}/task-quarters?quarter=${api.quarter}&pageSize=500`,
        );
        const body = res.body as Page<{ id: string }>;
        return body.total === started ? body : undefined;
      },
      { what: 'every started task-quarter in the projection' },
    );
    expect(listed.items.map((i) => i.id)).toContain(id);

    const byUnit = await get(
      'leader',
      `/api/plans/${api.planId}/task-quarters?quarter=${api.quarter}&unit=${units[1]}`,
    );
    expect((byUnit.body as Page<{ id: string }>).total).toBe(
      (await tasksOfUnit(api, units[1])).length,
    );
    const paged = await get(
      'leader',
      `/api/plans/${api.planId}/task-quarters?quarter=${api.quarter}&page=2&pageSize=5`,
    );
    expect(paged.body).toMatchObject({ page: 2, pageSize: 5, total: started });
    expect((paged.body as Page<unknown>).items).toHaveLength(Math.min(5, Math.max(0, started - 5)));

    const plans = await get('auditor', '/api/plans');
    expect((plans.body as Page<{ id: string; status: string }>).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: api.planId, status: 'active' })]),
    );
  });

  it('takes one task-quarter with three units through the whole chain, with a head return and an office return', async () => {
    const [a, b, c] = units;
    const staffInbox = await get(`${a}.staff`, '/api/inbox');
    expect((staffInbox.body as Page<{ id: string; reason: string }>).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, reason: 'report' })]),
    );

    // Every unit reports.
    for (const unit of units) {
      const res = await post(`${unit}.staff`, tq('/submissions'), {
        status: unit === b ? 'partial' : 'completed',
        summary: `${unit} 第一次报送`,
        ...(unit === b ? { explanation: '部分工程受天气影响' } : {}),
        figures: { 完成投资万元: 100 },
      });
      expect(res.status).toBe(201);
    }
    const headInbox = await get(`${a}.head`, '/api/inbox');
    expect((headInbox.body as Page<{ id: string; reason: string }>).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, reason: 'head_approval' })]),
    );

    // A's head returns it; A resubmits; every head approves.
    const returned = await post(`${a}.head`, tq(`/units/${a}/decision`), {
      decision: 'return',
      comment: '请补充数据',
    });
    expect(returned.status).toBe(200);
    expect((returned.body as UpdateResult).units.find((u) => u.code === a)?.status).toBe(
      'returned_by_head',
    );
    const again = await get(`${a}.staff`, '/api/inbox');
    expect((again.body as Page<{ id: string; reason: string }>).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, reason: 'resubmission' })]),
    );
    expect(
      (
        await post(`${a}.staff`, tq('/submissions'), {
          status: 'completed',
          summary: `${a} 第二次报送`,
        })
      ).status,
    ).toBe(201);
    for (const unit of [a, b, c]) {
      const res = await post(`${unit}.head`, tq(`/units/${unit}/decision`), {
        decision: 'approve',
        comment: '同意',
      });
      expect(res.status).toBe(200);
    }
    expect((await detail()).phase).toBe('office_review');
    const officeInbox = await get('office', '/api/inbox?pageSize=500');
    expect((officeInbox.body as Page<{ id: string; reason: string }>).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, reason: 'office_review' })]),
    );

    // The office returns it to B only; B resubmits and its head approves again.
    const officeReturn = await post('office', tq('/review'), {
      decision: 'return',
      comment: '数据不完整',
      units: [b],
    });
    expect(officeReturn.status).toBe(200);
    expect((officeReturn.body as UpdateResult).phase).toBe('reporting');
    expect((officeReturn.body as UpdateResult).units.find((u) => u.code === b)?.status).toBe(
      'returned_by_office',
    );
    expect(
      (
        await post(`${b}.staff`, tq('/submissions'), {
          status: 'completed',
          summary: `${b} 补充后报送`,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await post(`${b}.head`, tq(`/units/${b}/decision`), {
          decision: 'approve',
          comment: '同意',
        })
      ).status,
    ).toBe(200);

    // The office closes it.
    const closed = await post('office', tq('/review'), { decision: 'approve', comment: '办结' });
    expect(closed.status).toBe(200);
    expect((closed.body as UpdateResult).phase).toBe('closed');

    const view = await eventually(
      async () => {
        const d = await detail();
        return d.phase === 'closed' && d.decisions.length === 7 ? d : undefined;
      },
      { what: 'the closed task-quarter in the projection' },
    );
    expect(view.source).toBe('projection');
    expect(view.lamp).toBe('closed');
    const versions = Object.fromEntries(
      view.units.map((u) => [u.code, u.reports.map((r) => r.version)]),
    );
    expect(versions).toEqual({ [a]: [1, 2], [b]: [1, 2], [c]: [1] });
    expect(view.units.find((u) => u.code === b)?.reports[1].summary).toBe(`${b} 补充后报送`);
    expect(view.decisions.map((d) => `${d.level}:${d.decision}:${d.units.join(',')}`)).toEqual([
      `head:return:${a}`,
      `head:approve:${a}`,
      `head:approve:${b}`,
      `head:approve:${c}`,
      `office:return:${b}`,
      `head:approve:${b}`,
      `office:approve:${[a, b, c].join(',')}`,
    ]);
    expect(view.targets.length).toBeGreaterThan(0);
  });

  it('answers 409 with a clear message once the task-quarter is closed', async () => {
    const res = await post(`${units[0]}.staff`, tq('/submissions'), {
      status: 'completed',
      summary: '晚到的报送',
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    // Completed workflow (WORKFLOW_CLOSED) or, in the instant before it ends, the phase check.
    const { code, message } = res.body as { code: string; message: string };
    expect(['WORKFLOW_CLOSED', 'PHASE_NOT_ALLOWED']).toContain(code);
    expect(message.length).toBeGreaterThan(5);
  });

  it('acts once for the same Idempotency-Key and keeps two concurrent submissions of one unit', async () => {
    const unit = 'housing-water';
    const [code] = await tasksOfUnit(api, unit);
    const other = taskQuarterWorkflowId(api.planId, code, api.quarter);
    const path = `/api/task-quarters/${encodeURIComponent(other)}/submissions`;
    const body = { status: 'completed', summary: '幂等报送' };
    const first = await post(`${unit}.staff`, path, body, 'idem-key-1');
    const second = await post(`${unit}.staff`, path, body, 'idem-key-1');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect((first.body as UpdateResult).units.find((u) => u.code === unit)?.latestVersion).toBe(1);

    // A second staff member of the same unit; both submit at the same moment.
    await api.stack.sql(
      `INSERT INTO app_user (username, display_name, password_hash, role, unit_code)
       SELECT 'housing-water.staff2', '住建水务局经办人二', password_hash, 'staff', unit_code
         FROM app_user WHERE username = 'housing-water.staff'`,
    );
    const [x, y] = await Promise.all([
      post(`${unit}.staff`, path, { status: 'partial', summary: '并发甲', explanation: '进行中' }),
      post(`${unit}.staff2`, path, { status: 'partial', summary: '并发乙', explanation: '进行中' }),
    ]);
    expect([x.status, y.status]).toEqual([201, 201]);
    const seqs = [(x.body as UpdateResult).seq, (y.body as UpdateResult).seq];
    expect(new Set(seqs).size).toBe(2);

    const res = await get('auditor', `/api/task-quarters/${encodeURIComponent(other)}`);
    const reports = (res.body as Detail).units.find((u) => u.code === unit)!.reports;
    expect(reports.map((r) => r.version)).toEqual([1, 2, 3]);
    expect(
      reports
        .slice(1)
        .map((r) => r.summary)
        .sort(),
    ).toEqual(['并发乙', '并发甲'].sort());
  });

  it('lets the office move a deadline with a reason and shows it in the history', async () => {
    const [code] = await tasksOfUnit(api, 'education');
    const other = taskQuarterWorkflowId(api.planId, code, api.quarter);
    const before = await get('office', `/api/task-quarters/${encodeURIComponent(other)}`);
    const to = new Date(
      new Date((before.body as Detail).deadline).getTime() + 14 * 86_400_000,
    ).toISOString();
    const res = await post('office', `/api/task-quarters/${encodeURIComponent(other)}/deadline`, {
      deadline: to,
      reason: '受台风影响，延期两周',
    });
    expect(res.status).toBe(200);
    const after = await get('leader', `/api/task-quarters/${encodeURIComponent(other)}`);
    expect((after.body as Detail).deadline).toBe(to);
    expect((after.body as Detail).deadlineHistory).toEqual([
      expect.objectContaining({ reason: '受台风影响，延期两周', to }),
    ]);
  });

  it('answers the workflow own rejection with its code and message', async () => {
    const unit = 'education';
    const [code] = await tasksOfUnit(api, unit);
    const other = taskQuarterWorkflowId(api.planId, code, api.quarter);
    const noExplanation = await post(
      `${unit}.staff`,
      `/api/task-quarters/${encodeURIComponent(other)}/submissions`,
      {
        status: 'partial',
        summary: '进行中',
      },
    );
    expect(noExplanation.status).toBe(422);
    expect(noExplanation.body).toMatchObject({ statusCode: 422, code: 'EXPLANATION_REQUIRED' });
    const tooEarly = await post(
      'office',
      `/api/task-quarters/${encodeURIComponent(other)}/review`,
      {
        decision: 'approve',
        comment: '办结',
      },
    );
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body).toMatchObject({ statusCode: 409, code: 'PHASE_NOT_ALLOWED' });
  });

  it('answers 404 for unknown task-quarters and plans', async () => {
    const unknown = taskQuarterWorkflowId(api.planId, '99.9', api.quarter);
    expect((await get('office', `/api/task-quarters/${encodeURIComponent(unknown)}`)).status).toBe(
      404,
    );
    expect((await get('office', '/api/task-quarters/not-a-task-quarter')).status).toBe(404);
    const review = await post(
      'office',
      `/api/task-quarters/${encodeURIComponent(unknown)}/review`,
      {
        decision: 'approve',
        comment: 'x',
      },
    );
    expect(review.status).toBe(404);
    expect((await get('office', '/api/plans/1999-nowhere/task-quarters')).status).toBe(404);
    expect((await get('office', '/api/plans/1999-nowhere')).status).toBe(404);
  });
});

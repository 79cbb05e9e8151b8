import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { PlanImportService } from '@duban/plans';
import { createApiApp } from '../../apps/api/src/app';
import { login } from '../support/api-login';
import { startTestStack, type TestStack } from '../support/stack';

jest.setTimeout(120_000);

const FIXTURE = join(__dirname, '..', 'fixtures', 'plan', 'minimal-plan.txt');

interface PlanTask {
  code: string;
  item: number;
  category: number;
  name: string;
  goal: string;
  cityLevel: boolean;
  units: Array<{ code: string; writtenAs: string; role: string }>;
  targets: Array<{ quarters: number[]; text: string | null; inferred: boolean }>;
}

describe("GET /api/plans/:planId/tasks: the plan's tasks as parsed, for review before activation", () => {
  let stack: TestStack;
  let app: INestApplication;
  let http: App;
  let planId: string;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
    const { plan } = await stack.app
      .get(PlanImportService)
      .importDocument(readFileSync(FIXTURE), 2018);
    planId = plan.id;
    app = await createApiApp(stack.env);
    await app.init();
    http = app.getHttpServer() as App;
    token = await login(http, 'finance.staff', stack.env.DEMO_PASSWORD);
  });

  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });

  const get = (path: string) =>
    request(http)
      .get(`/api/plans/${encodeURIComponent(planId)}${path}`)
      .set('authorization', `Bearer ${token}`);

  it('lists every task in notice order with its units and targets, merged cells spread and marked', async () => {
    const res = await get('/tasks').expect(200);
    const body = res.body as { items: PlanTask[]; total: number; page: number; pageSize: number };
    expect(body).toMatchObject({ total: 3, page: 1, pageSize: 50 });
    expect(body.items.map((t) => t.code)).toEqual(['1', '2.1', '2.2']);
    expect(body.items[0]).toEqual({
      code: '1',
      item: 1,
      category: 1,
      name: '道路改造',
      goal: '改造道路1条。',
      cityLevel: false,
      units: [
        { code: 'housing-water', writtenAs: '住建水务局', role: 'lead' },
        { code: 'finance', writtenAs: '财政局', role: 'co' },
      ],
      targets: [
        { quarters: [1], text: '设计。', inferred: false },
        { quarters: [2], text: null, inferred: false },
        { quarters: [3], text: '施工。', inferred: false },
        { quarters: [4], text: '验收。', inferred: false },
      ],
    });
    // Two target cells: Q1, then Q2–Q4 spread from a merged cell; the collective expands.
    expect(body.items[1].targets).toEqual([
      { quarters: [1], text: '选址。', inferred: false },
      { quarters: [2, 3, 4], text: '建设。', inferred: true },
    ]);
    expect(body.items[1].units.length).toBeGreaterThan(1);
    expect(body.items[1].units.every((u) => u.writtenAs === '各街道办事处')).toBe(true);
    expect(body.items[2]).toMatchObject({
      code: '2.2',
      cityLevel: true,
      targets: [{ quarters: [1, 2, 3, 4], text: '完成改建。', inferred: true }],
    });
  });

  it('pages, answers 404 for an unknown plan and 401 without a token', async () => {
    const second = await get('/tasks?page=2&pageSize=2').expect(200);
    expect((second.body as { items: PlanTask[] }).items.map((t) => t.code)).toEqual(['2.2']);
    await get('/tasks?pageSize=0').expect(400);
    await request(http)
      .get('/api/plans/no-such-plan/tasks')
      .set('authorization', `Bearer ${token}`)
      .expect(404);
    await request(http)
      .get(`/api/plans/${encodeURIComponent(planId)}/tasks`)
      .expect(401);
  });
});

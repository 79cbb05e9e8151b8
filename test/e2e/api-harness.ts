import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { quarterOf } from '@duban/domain';
import { createApiApp } from '../../apps/api/src/app';
import { startTestStack, type TestStack } from '../support/stack';

/** The signing secret the e2e API uses, so tests can mint expired and forged tokens. */
export const E2E_JWT_SECRET = 'e2e-secret-for-duban-api-tests-0123456789';

export interface ApiHarness {
  stack: TestStack;
  app: INestApplication;
  http: App;
  planId: string;
  /** The current quarter of the current year: the seed plan is imported for this year. */
  quarter: number;
  /** A bearer token for a demo account (cached per username). */
  token(username: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The real stack (own database, worker on the dev server at TEMPORAL_ADDRESS, demo organisation,
 * seed plan imported for the current year) plus the HTTP API over it.
 */
export async function startApi(): Promise<ApiHarness> {
  const { year, quarter } = quarterOf(new Date());
  const stack = await startTestStack({ seedYear: year });
  const app = await createApiApp({ ...stack.env, JWT_SECRET: E2E_JWT_SECRET });
  await app.init();
  const http = app.getHttpServer() as App;
  const tokens = new Map<string, string>();
  return {
    stack,
    app,
    http,
    planId: stack.planId!,
    quarter,
    async token(username: string): Promise<string> {
      const cached = tokens.get(username);
      if (cached) return cached;
      const res = await request(http)
        .post('/api/auth/login')
        .send({ username, password: stack.env.DEMO_PASSWORD })
        .expect(200);
      const token = (res.body as { accessToken: string }).accessToken;
      tokens.set(username, token);
      return token;
    },
    async stop() {
      await app.close();
      await stack.stop();
    },
  };
}

/** A task of the seed plan with exactly three responsible units and a target this quarter. */
export async function taskWithThreeUnits(
  harness: ApiHarness,
): Promise<{ code: string; units: string[] }> {
  const rows = await harness.stack.sql<{ code: string; units: string[] }>(
    `SELECT t.code, array_agg(r.unit_code ORDER BY r.position) AS units
       FROM task t
       JOIN task_responsibility r ON r.task_id = t.id
       JOIN quarterly_target q ON q.task_id = t.id AND q.quarter = $2 AND q.text IS NOT NULL
      WHERE t.plan_id = $1
      GROUP BY t.code, t.position
     HAVING count(*) = 3
      ORDER BY t.position`,
    [harness.planId, harness.quarter],
  );
  if (rows.length === 0) throw new Error('the seed plan has no three-unit task this quarter');
  return rows[0];
}

/** Tasks with a target this quarter whose responsible units include `unitCode`. */
export async function tasksOfUnit(harness: ApiHarness, unitCode: string): Promise<string[]> {
  const rows = await harness.stack.sql<{ code: string }>(
    `SELECT t.code FROM task t
       JOIN task_responsibility r ON r.task_id = t.id AND r.unit_code = $2
       JOIN quarterly_target q ON q.task_id = t.id AND q.quarter = $3 AND q.text IS NOT NULL
      WHERE t.plan_id = $1 ORDER BY t.position`,
    [harness.planId, unitCode, harness.quarter],
  );
  return rows.map((r) => r.code);
}

export { request };

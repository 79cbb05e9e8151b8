import { sign } from 'jsonwebtoken';
import { LIMITS, taskQuarterWorkflowId } from '@duban/contracts';
import type { App } from 'supertest/types';
import { createApiApp } from '../../apps/api/src/app';
import {
  E2E_JWT_SECRET,
  request,
  startApi,
  taskWithThreeUnits,
  type ApiHarness,
} from './api-harness';

jest.setTimeout(180_000);

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

describe('API authentication, authorization and input handling', () => {
  let api: ApiHarness;
  let id: string;
  let units: string[];

  beforeAll(async () => {
    api = await startApi();
    const task = await taskWithThreeUnits(api);
    units = task.units;
    id = taskQuarterWorkflowId(api.planId, task.code, api.quarter);
    const office = await api.token('office');
    await request(api.http)
      .post(`/api/plans/${api.planId}/activate`)
      .set('Authorization', `Bearer ${office}`)
      .send({ fromQuarter: api.quarter })
      .expect(200);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const tq = (suffix: string) => `/api/task-quarters/${encodeURIComponent(id)}${suffix}`;
  const expectError = (body: unknown, status: number) => {
    const error = body as ErrorBody;
    expect(error.statusCode).toBe(status);
    expect(typeof error.error).toBe('string');
    expect(error.message).toBeTruthy();
  };

  describe('authentication', () => {
    it('signs in, answers /me, and revokes the token on logout', async () => {
      const login = await request(api.http)
        .post('/api/auth/login')
        .send({ username: `${units[0]}.staff`, password: api.stack.env.DEMO_PASSWORD })
        .expect(200);
      const { accessToken, user } = login.body as {
        accessToken: string;
        user: { role: string; unitCode: string };
      };
      expect(user).toMatchObject({ role: 'staff', unitCode: units[0] });
      const me = await request(api.http)
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${accessToken}`)
        .expect(200);
      expect(me.body).toMatchObject({ username: `${units[0]}.staff` });
      await request(api.http)
        .post('/api/auth/logout')
        .set('Authorization', `Bearer ${accessToken}`)
        .expect(200);
      const after = await request(api.http)
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${accessToken}`);
      expect(after.status).toBe(401);
      expectError(after.body, 401);

      // The revocation is in Postgres: another API process (a replica, or this one restarted)
      // refuses the token too.
      const replica = await createApiApp({ ...api.stack.env, JWT_SECRET: E2E_JWT_SECRET });
      await replica.init();
      try {
        const elsewhere = await request(replica.getHttpServer() as App)
          .get('/api/auth/me')
          .set('Authorization', `Bearer ${accessToken}`);
        expect(elsewhere.status).toBe(401);
        expect((elsewhere.body as { message: string }).message).toMatch(/已退出登录/);
      } finally {
        await replica.close();
      }
    });

    it('answers 401 for a wrong password, and missing, garbage, alg:none, forged and expired tokens', async () => {
      const wrong = await request(api.http)
        .post('/api/auth/login')
        .send({ username: 'auditor', password: 'nope' });
      expect(wrong.status).toBe(401);
      expectError(wrong.body, 401);

      const [me] = await api.stack.sql<{ id: string }>(
        `SELECT id FROM app_user WHERE username = 'office'`,
      );
      const claims = {
        sub: me.id,
        username: 'office',
        name: '区督查室',
        role: 'office',
        unitCode: 'supervision',
      };
      const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const tokens = {
        missing: undefined,
        garbage: 'Bearer not.a.token',
        none: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, jti: 'n', exp: 4102444800 })}.`,
        forged: `Bearer ${sign({ ...claims, jti: 'f' }, 'some-other-secret-0123456789', { expiresIn: 600 })}`,
        expired: `Bearer ${sign({ ...claims, jti: 'e', exp: Math.floor(Date.now() / 1000) - 60 }, E2E_JWT_SECRET)}`,
      };
      for (const [name, header] of Object.entries(tokens)) {
        for (const req of [
          request(api.http).get('/api/units'),
          request(api.http).post(tq('/review')).send({ decision: 'approve', comment: 'x' }),
        ]) {
          if (header) req.set('Authorization', header);
          const res = await req;
          expect({ name, status: res.status }).toEqual({ name, status: 401 });
          expectError(res.body, 401);
        }
      }
      // The same claims properly signed are accepted: the failures above are about the token.
      const good = `Bearer ${sign({ ...claims, jti: 'g' }, E2E_JWT_SECRET, { expiresIn: 600 })}`;
      await request(api.http).get('/api/units').set('Authorization', good).expect(200);
    });

    it('leaves health and the OpenAPI document open', async () => {
      await request(api.http).get('/api/health').expect(200);
      await request(api.http).get('/api/docs-json').expect(200);
    });

    it('throttles repeated failed logins for an account with 429', async () => {
      // An account no other test signs in with: it stays locked for 15 minutes.
      const victim = 'youth-league.head';
      for (let i = 0; i < 5; i++) {
        await request(api.http)
          .post('/api/auth/login')
          .send({ username: victim, password: `wrong-${i}` })
          .expect(401);
      }
      const blocked = await request(api.http)
        .post('/api/auth/login')
        .send({ username: victim, password: api.stack.env.DEMO_PASSWORD });
      expect(blocked.status).toBe(429);
      expectError(blocked.body, 429);
      // Other accounts from the same address are not locked out by one account's failures.
      await request(api.http)
        .post('/api/auth/login')
        .send({ username: 'admin', password: api.stack.env.DEMO_PASSWORD })
        .expect(200);
    });
    it('shares failed-login counts between API replicas, also for a concurrent burst', async () => {
      // Counts live in Postgres: guesses spread over replicas behind a load balancer are held to
      // the same limit as guesses at one replica.
      const replica = await createApiApp({ ...api.stack.env, JWT_SECRET: E2E_JWT_SECRET });
      await replica.init();
      const replicaHttp = replica.getHttpServer() as App;
      const login = (http: App, username: string, password: string) =>
        request(http).post('/api/auth/login').send({ username, password });
      try {
        const victim = 'charity.head';
        for (const http of [api.http, replicaHttp, api.http, replicaHttp, api.http]) {
          expect((await login(http, victim, 'wrong')).status).toBe(401);
        }
        expect((await login(replicaHttp, victim, api.stack.env.DEMO_PASSWORD)).status).toBe(429);
        expect((await login(api.http, victim, api.stack.env.DEMO_PASSWORD)).status).toBe(429);

        // 40 wrong passwords at once, half at each replica: 5 reach the password check.
        const burst = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            login(i % 2 ? replicaHttp : api.http, 'trade-union.head', `wrong-${i}`),
          ),
        );
        const statuses = burst.map((r) => r.status);
        expect(statuses.filter((s) => s === 401)).toHaveLength(5);
        expect(statuses.filter((s) => s === 429)).toHaveLength(35);
      } finally {
        await replica.close();
      }
    });
  });

  describe('authorization', () => {
    const submission = { status: 'completed', summary: '已完成' };
    const decision = { decision: 'approve', comment: '同意' };

    it.each([
      ['leader', 'submit'],
      ['auditor', 'submit'],
      ['admin', 'submit'],
      ['office', 'submit'],
      ['HEAD0', 'submit'],
      ['NOT_RESPONSIBLE_STAFF', 'submit'],
      ['STAFF0', 'decide0'],
      ['HEAD1', 'decide0'],
      ['office', 'decide0'],
      ['auditor', 'decide0'],
      ['STAFF0', 'review'],
      ['HEAD0', 'review'],
      ['leader', 'review'],
      ['auditor', 'review'],
      ['admin', 'review'],
      ['HEAD0', 'deadline'],
      ['leader', 'deadline'],
      ['auditor', 'deadline'],
      ['STAFF0', 'import'],
      ['auditor', 'import'],
      ['leader', 'activate'],
      ['auditor', 'activate'],
      ['HEAD0', 'activate'],
    ])('%s may not %s (403)', async (who, action) => {
      const username =
        {
          HEAD0: `${units[0]}.head`,
          HEAD1: `${units[1]}.head`,
          STAFF0: `${units[0]}.staff`,
          NOT_RESPONSIBLE_STAFF: `${['finance', 'charity', 'trade-union', 'planning'].find((u) => !units.includes(u))}.staff`,
        }[who] ?? who;
      const [path, body] = {
        submit: [tq('/submissions'), submission],
        decide0: [tq(`/units/${units[0]}/decision`), decision],
        review: [tq('/review'), decision],
        deadline: [tq('/deadline'), { deadline: '2099-01-01T00:00:00Z', reason: '延期' }],
        import: ['/api/plans/import', { document: '江开发' }],
        activate: [`/api/plans/${api.planId}/activate`, {}],
      }[action] as [string, object];
      const res = await request(api.http)
        .post(path)
        .set('Authorization', `Bearer ${await api.token(username)}`)
        .send(body);
      expect(res.status).toBe(403);
      expectError(res.body, 403);
    });

    it('lets leader and auditor read everything', async () => {
      for (const who of ['leader', 'auditor']) {
        const auth = `Bearer ${await api.token(who)}`;
        await request(api.http).get(tq('')).set('Authorization', auth).expect(200);
        await request(api.http)
          .get(`/api/plans/${api.planId}/task-quarters`)
          .set('Authorization', auth)
          .expect(200);
        await request(api.http).get('/api/notices').set('Authorization', auth).expect(200);
        await request(api.http).get('/api/inbox').set('Authorization', auth).expect(200);
      }
    });
  });

  describe('input handling: always 4xx with a message, never 500', () => {
    const send = async (
      body: string,
      contentType = 'application/json',
      path = tq('/submissions'),
    ) =>
      request(api.http)
        .post(path)
        .set('Authorization', `Bearer ${await api.token(`${units[0]}.staff`)}`)
        .set('Content-Type', contentType)
        .send(body);

    it('rejects malformed JSON', async () => {
      const res = await send('{"status": "completed", "summary": ');
      expect(res.status).toBe(400);
      expectError(res.body, 400);
    });

    it('rejects unknown fields, wrong types and bad enums, naming them', async () => {
      const unknown = await send(
        JSON.stringify({ status: 'completed', summary: 'x', unitCode: 'finance' }),
      );
      expect(unknown.status).toBe(400);
      expect(JSON.stringify((unknown.body as ErrorBody).message)).toContain('unitCode');
      const wrongType = await send(JSON.stringify({ status: 'done', summary: 42 }));
      expect(wrongType.status).toBe(400);
      expect(JSON.stringify((wrongType.body as ErrorBody).message)).toContain('status');
      const figures = await send(
        JSON.stringify({ status: 'completed', summary: 'x', figures: { a: { nested: 1 } } }),
      );
      expect(figures.status).toBe(400);
    });

    it('rejects oversized summaries and comments', async () => {
      const summary = await send(
        JSON.stringify({ status: 'completed', summary: '长'.repeat(LIMITS.summaryChars + 1) }),
      );
      expect(summary.status).toBe(400);
      expect(JSON.stringify((summary.body as ErrorBody).message)).toContain('summary');
      const comment = await request(api.http)
        .post(tq(`/units/${units[0]}/decision`))
        .set('Authorization', `Bearer ${await api.token(`${units[0]}.head`)}`)
        .send({ decision: 'return', comment: 'x'.repeat(LIMITS.commentChars + 1) });
      expect(comment.status).toBe(400);
    });

    it('rejects wrong content types with 415 and bodies over the limit with 413', async () => {
      const text = await send('status=completed', 'text/plain');
      expect(text.status).toBe(415);
      expectError(text.body, 415);
      const form = await send('status=completed&summary=x', 'application/x-www-form-urlencoded');
      expect(form.status).toBe(415);
      const huge = await send(
        JSON.stringify({ status: 'completed', summary: 'x'.repeat(3 * 1024 * 1024) }),
      );
      expect(huge.status).toBe(413);
      expectError(huge.body, 413);
    });

    it('rejects bad query parameters and bad idempotency keys', async () => {
      const auth = `Bearer ${await api.token('leader')}`;
      for (const query of [
        'pageSize=501',
        'page=0',
        'page=abc',
        'quarter=5',
        'lamp=blue',
        'cityLevel=maybe',
      ]) {
        const res = await request(api.http)
          .get(`/api/plans/${api.planId}/task-quarters?${query}`)
          .set('Authorization', auth);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
      }
      const badKey = await request(api.http)
        .post(tq('/submissions'))
        .set('Authorization', `Bearer ${await api.token(`${units[0]}.staff`)}`)
        .set('Idempotency-Key', 'has spaces in it')
        .send({ status: 'completed', summary: 'x' });
      expect(badKey.status).toBe(400);
    });
  });

  describe('OpenAPI', () => {
    type Operation = {
      requestBody?: { content: Record<string, { schema?: object }> };
      responses: Record<string, { content?: Record<string, { schema?: object }> }>;
    };

    it('documents the errors each operation can answer: 401/403 when guarded, 400, 404, 429', async () => {
      const res = await request(api.http).get('/api/docs-json').expect(200);
      const paths = (res.body as { paths: Record<string, Record<string, Operation>> }).paths;
      const open = new Set(['/api/auth/login', '/api/health', '/api/health/live']);
      const missing: string[] = [];
      for (const [path, item] of Object.entries(paths)) {
        for (const [method, operation] of Object.entries(item)) {
          const expectedStatuses = [
            ...(open.has(path) ? [] : ['401', '403']),
            ...(path.includes('{') ? ['404'] : []),
            ...(method === 'post' ? ['400', '415'] : []),
          ];
          for (const status of expectedStatuses) {
            if (!operation.responses[status]) missing.push(`${method} ${path} ${status}`);
          }
        }
      }
      expect(missing).toEqual([]);
      expect(paths['/api/auth/login'].post.responses['429']).toBeDefined();
      expect(paths['/api/health'].get.responses['401']).toBeUndefined();
    });

    it('lists every endpoint with request and response schemas, and serves Swagger UI', async () => {
      const res = await request(api.http).get('/api/docs-json').expect(200);
      const paths = (res.body as { paths: Record<string, Record<string, Operation>> }).paths;
      const expected: Array<[string, string, boolean]> = [
        ['post', '/api/auth/login', true],
        ['post', '/api/auth/logout', false],
        ['get', '/api/auth/me', false],
        ['get', '/api/health', false],
        ['get', '/api/units', false],
        ['post', '/api/plans/import', true],
        ['post', '/api/plans/{planId}/activate', true],
        ['get', '/api/plans', false],
        ['get', '/api/plans/{planId}', false],
        ['get', '/api/plans/{planId}/task-quarters', false],
        ['get', '/api/task-quarters/{id}', false],
        ['post', '/api/task-quarters/{id}/submissions', true],
        ['post', '/api/task-quarters/{id}/units/{unitCode}/decision', true],
        ['post', '/api/task-quarters/{id}/review', true],
        ['post', '/api/task-quarters/{id}/deadline', true],
        ['get', '/api/inbox', false],
        ['get', '/api/notices', false],
      ];
      for (const [method, path, hasBody] of expected) {
        const operation = paths[path]?.[method];
        expect({ path, method, documented: operation !== undefined }).toEqual({
          path,
          method,
          documented: true,
        });
        const success = Object.entries(operation.responses).find(([status]) =>
          status.startsWith('2'),
        );
        expect({
          path,
          responseSchema: success?.[1].content?.['application/json']?.schema !== undefined,
        }).toEqual({
          path,
          responseSchema: true,
        });
        if (hasBody) {
          expect({
            path,
            requestSchema: operation.requestBody?.content['application/json']?.schema !== undefined,
          }).toEqual({
            path,
            requestSchema: true,
          });
        }
      }
      const ui = await request(api.http).get('/api/docs/').redirects(1);
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger');
    });
  });
});

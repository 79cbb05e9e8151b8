import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { createApiApp } from '../../apps/api/src/app';
import { demoTokens } from '../support/api-login';
import { startTestStack, type TestStack } from '../support/stack';

jest.setTimeout(120_000);

interface UserContact {
  id: string;
  username: string;
  name: string;
  role: string;
  unitCode: string | null;
  email: string | null;
  webhookUrl: string | null;
  emailEnabled: boolean;
  webhookEnabled: boolean;
  active: boolean;
}

interface UserContactPage {
  items: UserContact[];
  total: number;
  page: number;
  pageSize: number;
}

describe('GET /api/contacts/users: the users whose contacts the office edits', () => {
  let stack: TestStack;
  let app: INestApplication;
  let http: App;
  const token = demoTokens(
    () => http,
    () => stack.env.DEMO_PASSWORD,
  );

  async function list(query: string, username = 'office', status = 200) {
    return request(http)
      .get(`/api/contacts/users${query}`)
      .set('authorization', `Bearer ${await token(username)}`)
      .expect(status);
  }

  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
    app = await createApiApp(stack.env);
    await app.init();
    http = app.getHttpServer() as App;
  });

  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });

  it("lists a unit's users with the contact details and channel choices the dispatcher uses", async () => {
    const [staff] = await stack.sql<{ id: string }>(
      "SELECT id FROM app_user WHERE username = 'finance.staff'",
    );
    await request(http)
      .put(`/api/contacts/users/${staff.id}`)
      .set('authorization', `Bearer ${await token('office')}`)
      .send({ email: 'li@jianghai.example', webhookEnabled: false })
      .expect(200);

    const body = (await list('?unitCode=finance')).body as UserContactPage;
    expect(body).toMatchObject({ total: 2, page: 1, pageSize: 50 });
    expect(body.items.map((u) => u.username)).toEqual(['finance.head', 'finance.staff']);
    expect(body.items[1]).toEqual({
      id: staff.id,
      username: 'finance.staff',
      name: expect.any(String) as string,
      role: 'staff',
      unitCode: 'finance',
      email: 'li@jianghai.example',
      webhookUrl: null,
      emailEnabled: true,
      webhookEnabled: false,
      active: true,
    });
    // The list agrees with the single-user read.
    const one = await request(http)
      .get(`/api/contacts/users/${staff.id}`)
      .set('authorization', `Bearer ${await token('office')}`)
      .expect(200);
    expect(one.body).toEqual(
      Object.fromEntries(Object.entries(body.items[1]).filter(([k]) => k in one.body)),
    );
  });

  it('filters by role, pages, and lets the admin read it too', async () => {
    const [{ total }] = await stack.sql<{ total: number }>(
      'SELECT count(*)::int AS total FROM app_user',
    );
    const all = (await list('?pageSize=500', 'admin')).body as UserContactPage;
    expect(all.total).toBe(total);
    expect(all.items).toHaveLength(total);
    const second = (await list('?pageSize=2&page=2')).body as UserContactPage;
    expect(second.items.map((u) => u.id)).toEqual(all.items.slice(2, 4).map((u) => u.id));
    const heads = (await list('?role=head&pageSize=500')).body as UserContactPage;
    expect(heads.items.length).toBeGreaterThan(1);
    expect(heads.items.every((u) => u.role === 'head' && u.unitCode !== null)).toBe(true);
    const none = (await list('?unitCode=no-such-unit')).body as UserContactPage;
    expect(none).toEqual({ items: [], total: 0, page: 1, pageSize: 50 });
  });

  it('refuses other roles and bad filters, naming the field', async () => {
    const refused = await list('', 'finance.head', 403);
    expect((refused.body as { message: string }).message).toMatch(/office/);
    await list('', 'auditor', 403);
    const badRole = await list('?role=king', 'office', 400);
    expect(JSON.stringify(badRole.body)).toMatch(/role/);
    await list("?unitCode=x'%20OR%201=1", 'office', 400);
    await list('?unknown=1', 'office', 400);
    await list('?pageSize=501', 'office', 400);
    await request(http).get('/api/contacts/users').expect(401);
  });

  it('is in the OpenAPI document with its query and response schema', async () => {
    const res = await request(http).get('/api/docs-json').expect(200);
    const op = (
      res.body as {
        paths: Record<
          string,
          Record<string, { parameters: Array<{ name: string }>; responses: object }>
        >;
      }
    ).paths['/api/contacts/users']?.get;
    expect(op).toBeDefined();
    expect(op.parameters.map((p) => p.name).sort()).toEqual(
      ['page', 'pageSize', 'role', 'unitCode'].sort(),
    );
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { quarterOf } from '@duban/domain';
import type { Notice } from '@duban/contracts';
import {
  enqueueDeliveries,
  NotificationDispatcher,
  NotificationSettings,
  verifyWebhookSignature,
} from '@duban/notifications';
import { DataSource } from 'typeorm';
import { PlanActivationService } from '@duban/plans';
import { createApiApp } from '../../apps/api/src/app';
import { demoTokens } from '../support/api-login';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import {
  startMailReceiver,
  startWebhookReceiver,
  type MailReceiver,
  type WebhookReceiver,
} from './notifications.receivers';

jest.setTimeout(120_000);

const SECRET = 'notification-test-secret-0123456789';
const PUBLIC_URL = 'https://duban.jianghai.example';
const JWT_SECRET = 'notifications-test-jwt-secret-0123456789';
const MAX_ATTEMPTS = 3;
const LEASE_MS = 2500;

interface NoticeRow {
  key: string;
  task_quarter_id: string;
  kind: string;
  recipients: Array<{ role: string; unitCode: string | null }>;
  lagging: Array<{ unitCode: string; unitName: string; owes: string }>;
  title: string;
}

interface DeliveryRow {
  id: string;
  notice_key: string;
  user_id: string;
  channel: string;
  kind: string;
  state: string;
  attempts: number;
  batch_id: string | null;
  address: string | null;
  last_error: string | null;
}

const KIND_OF_SUBJECT: Record<string, string> = {
  预警: 'warning',
  逾期: 'overdue',
  催办: 'escalation',
  待审核提醒: 'head_reminder',
  待审查提醒: 'office_reminder',
};

describe('escalation notices reach people by in-app notice, e-mail and webhook', () => {
  // Last year's plan activated from Q4: every Q4 task-quarter is overdue at once.
  const year = quarterOf(new Date()).year - 1;
  let stack: TestStack;
  let api: INestApplication;
  let http: App;
  let mail: MailReceiver;
  let hooks: WebhookReceiver;
  let taskQuarters: number;
  const savedEnv = { ...process.env };
  const token = demoTokens(
    () => http,
    () => stack.env.DEMO_PASSWORD,
  );

  const deliveries = (where = 'TRUE', params: unknown[] = []): Promise<DeliveryRow[]> =>
    stack.sql<DeliveryRow>(
      `SELECT id, notice_key, user_id, channel, kind, state, attempts, batch_id, address, last_error
       FROM notification_delivery WHERE ${where} ORDER BY id`,
      params,
    );

  beforeAll(async () => {
    mail = await startMailReceiver();
    hooks = await startWebhookReceiver();
    Object.assign(process.env, {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mail.port),
      SMTP_SECURE: 'false',
      SMTP_FROM: '江海区督查室 <duban@jianghai.example>',
      WEBHOOK_SECRET: SECRET,
      PUBLIC_URL,
      NOTIFY_INTERVAL_MS: '100',
      NOTIFY_BACKOFF_MS: '150',
      NOTIFY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      NOTIFY_LEASE_MS: String(LEASE_MS),
      NOTIFY_SEND_TIMEOUT_MS: '2000',
      NOTIFY_DIGEST_WINDOW_MS: '1000',
    });
    stack = await startTestStack({ seedYear: year });
    api = await createApiApp({ ...stack.env, JWT_SECRET });
    await api.init();
    http = api.getHttpServer() as App;
    const office = await token('office');
    const put = (path: string, body: object) =>
      request(http).put(path).set('authorization', `Bearer ${office}`).send(body).expect(200);
    // Contacts the office keeps: e-mail for finance and the office, webhooks for two relays.
    await put('/api/contacts/units/finance', { email: 'finance@jianghai.example' });
    await put('/api/contacts/units/supervision', { email: 'ducha@jianghai.example' });
    await put('/api/contacts/units/education', { webhookUrl: `${hooks.url}/hooks/education` });
    await put('/api/contacts/units/health', { webhookUrl: `${hooks.url}/hooks/health` });
    hooks.script.set('/hooks/education', [500, 500, 200]);
    hooks.script.set('/hooks/health', [500]);

    // The dispatcher waits until every task-quarter has made its notices: they fall due together,
    // so each recipient must get one digest per kind however slowly this machine projects them.
    const dispatcher = stack.worker!.app.get(NotificationDispatcher);
    await dispatcher.stop();
    const activation = await stack.app.get(PlanActivationService).activate(stack.planId!, 4);
    taskQuarters = activation.taskQuarters;
    await eventually(
      async () => {
        const [{ overdue, escalation }] = await stack.sql<{ overdue: number; escalation: number }>(
          `SELECT count(DISTINCT task_quarter_id) FILTER (WHERE kind = 'overdue')::int AS overdue,
                  count(DISTINCT task_quarter_id) FILTER (WHERE kind = 'escalation')::int AS escalation
           FROM notice`,
        );
        return overdue === taskQuarters && escalation === taskQuarters ? true : undefined;
      },
      { timeoutMs: 60_000, what: 'the overdue notice and escalation of every Q4 task-quarter' },
    );
    dispatcher.start();
  });

  afterAll(async () => {
    await api?.close();
    await stack?.stop();
    await mail?.close();
    await hooks?.close();
    process.env = savedEnv;
  });

  async function settled(channel: string): Promise<void> {
    await eventually(
      async () => {
        const [{ n }] = await stack.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM notification_delivery
           WHERE channel = $1 AND state IN ('pending', 'sending')`,
          [channel],
        );
        return n === 0 ? true : undefined;
      },
      { timeoutMs: 30_000, what: `every ${channel} delivery sent or failed` },
    );
  }

  it('e-mails each head and the office one digest per kind, naming tasks, quarter, deadline, lagging units and links', async () => {
    await settled('email');
    // What must arrive, derived from the notices: per address and kind, the notices addressed to
    // a user whose e-mail (their own, else their unit's) is that address.
    const expected: Array<{ address: string; kind: string; keys: string[] }> = await stack.sql(
      `SELECT COALESCE(u.email, un.email) AS address, n.kind, array_agg(n.key ORDER BY n.key) AS keys
       FROM notice n
       CROSS JOIN LATERAL jsonb_to_recordset(n.recipients) AS r(role text, "unitCode" text)
       JOIN app_user u ON u.role = r.role AND (r.role NOT IN ('staff', 'head') OR u.unit_code = r."unitCode")
       LEFT JOIN unit un ON un.code = u.unit_code
       WHERE COALESCE(u.email, un.email) IS NOT NULL
       GROUP BY 1, 2, u.id ORDER BY 1, 2`,
    );
    expect(expected.map((e) => e.address)).toEqual(
      expect.arrayContaining(['finance@jianghai.example', 'ducha@jianghai.example']),
    );
    const notices = new Map(
      (await stack.sql<NoticeRow>('SELECT * FROM notice')).map((n) => [n.key, n]),
    );
    // One message per address and kind, and no other.
    const got = mail.mails.map((m) => ({
      address: m.to.join(','),
      kind: KIND_OF_SUBJECT[/^【(.+?)】/.exec(m.subject)?.[1] ?? ''],
      mail: m,
    }));
    expect(got.map((g) => `${g.address} ${g.kind}`).sort()).toEqual(
      expected.map((e) => `${e.address} ${e.kind}`).sort(),
    );
    expect(new Set(mail.mails.map((m) => m.messageId)).size).toBe(mail.mails.length);

    const deadline = `${year + 1}年1月1日 00:00（北京时间）`;
    for (const e of expected) {
      const { mail: m } = got.find((g) => g.address === e.address && g.kind === e.kind)!;
      for (const key of e.keys) {
        const n = notices.get(key)!;
        expect(m.text).toContain(n.title);
        expect(m.text).toContain(`季度：${year}年第4季度`);
        expect(m.text).toContain(`截止时间：${deadline}`);
        expect(m.text).toContain(`${PUBLIC_URL}/task-quarters/${n.task_quarter_id}`);
        for (const l of n.lagging) expect(m.text).toContain(`  - ${l.unitName}：未报送完成情况`);
      }
      // Nothing in the message that was not addressed there.
      expect(m.text.match(/^查看详情：/gm)).toHaveLength(e.keys.length);
      if (e.keys.length > 1) {
        expect(m.subject).toMatch(new RegExp(`^【.+】${e.keys.length}项督办事项汇总$`));
      }
    }
    const finance = got.find(
      (g) => g.address === 'finance@jianghai.example' && g.kind === 'overdue',
    );
    expect(finance?.mail.text).toContain('财政局：未报送完成情况');
    // The outbox agrees: every e-mail delivery sent once, on the first attempt.
    const rows = await deliveries("channel = 'email'");
    expect(rows.every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
    expect(new Set(rows.map((r) => `<${r.batch_id}@duban>`))).toEqual(
      new Set(mail.mails.map((m) => m.messageId)),
    );
  });

  it('retries a webhook that answers 500 twice, delivers it once, and signs it with the shared secret', async () => {
    await settled('webhook');
    const calls = hooks.calls.filter((c) => c.path === '/hooks/education');
    const keys = [...new Set(calls.map((c) => c.headers['idempotency-key'] as string))];
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(
        calls.filter((c) => c.headers['idempotency-key'] === key).map((c) => c.status),
      ).toEqual([500, 500, 200]);
    }
    const accepted = calls.filter((c) => c.status === 200);
    const delivered = accepted.flatMap(
      (c) => (JSON.parse(c.body) as { notices: Array<{ key: string }> }).notices,
    );
    const rows = await deliveries("channel = 'webhook' AND address LIKE '%/hooks/education'");
    expect(delivered.map((n) => n.key).sort()).toEqual(rows.map((r) => r.notice_key).sort());
    expect(rows.every((r) => r.state === 'sent' && r.attempts === 3)).toBe(true);

    const call = accepted[0];
    const headers = {
      signature: call.headers['x-duban-signature'] as string,
      timestamp: call.headers['x-duban-timestamp'] as string,
    };
    expect(headers.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, headers, call.body)).toBe(true);
    expect(verifyWebhookSignature('another-secret-0123456789', headers, call.body)).toBe(false);
  });

  it('marks a delivery that never succeeds failed, shows it to the office, and resends it to a fixed address', async () => {
    await settled('webhook');
    const failed = await deliveries("address LIKE '%/hooks/health'");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.state === 'failed' && r.attempts === MAX_ATTEMPTS)).toBe(true);
    expect(failed[0].last_error).toBe('webhook answered HTTP 500');

    const office = await token('office');
    const res = await request(http)
      .get('/api/notices/deliveries?state=failed&pageSize=500')
      .set('authorization', `Bearer ${office}`)
      .expect(200);
    const body = res.body as { items: Array<{ id: string; state: string; lastError: string }> };
    expect(body.items.map((d) => d.id).sort()).toEqual(failed.map((r) => r.id).sort());
    await request(http)
      .get('/api/notices/deliveries?state=failed')
      .set('authorization', `Bearer ${await token('health.head')}`)
      .expect(403);

    // The office fixes the unit's webhook and resends one delivery: it goes to the new address.
    await request(http)
      .put('/api/contacts/units/health')
      .set('authorization', `Bearer ${office}`)
      .send({ webhookUrl: `${hooks.url}/hooks/health-fixed` })
      .expect(200);
    await request(http)
      .post(`/api/notices/deliveries/${failed[0].id}/resend`)
      .set('authorization', `Bearer ${office}`)
      .expect(200);
    const [resent] = await eventually(
      async () => {
        const rows = await deliveries('id = $1', [failed[0].id]);
        return rows[0]?.state === 'sent' ? rows : undefined;
      },
      { what: 'the resent delivery sent' },
    );
    expect(resent).toMatchObject({ attempts: 1, address: `${hooks.url}/hooks/health-fixed` });
    expect(hooks.calls.filter((c) => c.path === '/hooks/health-fixed')).toHaveLength(1);
  });

  it('lists the caller’s notices unread first with an unread count, and marks one read', async () => {
    const head = await token('finance.head');
    const list = async () =>
      (
        await request(http)
          .get('/api/notices?pageSize=500')
          .set('authorization', `Bearer ${head}`)
          .expect(200)
      ).body as {
        items: Array<{ key: string; read: boolean }>;
        unreadCount: number;
        total: number;
      };
    const before = await list();
    expect(before.total).toBeGreaterThan(1);
    expect(before.unreadCount).toBe(before.total);
    const last = before.items[before.items.length - 1];
    await request(http)
      .post(`/api/notices/${encodeURIComponent(last.key)}/read`)
      .set('authorization', `Bearer ${head}`)
      .expect(200);
    const after = await list();
    expect(after.unreadCount).toBe(before.total - 1);
    expect(after.items[after.items.length - 1]).toEqual({ ...last, read: true });
    expect(after.items.slice(0, -1).every((i) => !i.read)).toBe(true);
    // Another unit's head has no delivery of it to mark.
    await request(http)
      .post(`/api/notices/${encodeURIComponent(last.key)}/read`)
      .set('authorization', `Bearer ${await token('planning.head')}`)
      .expect(404);
  });

  it('lets the office, and only the office, see and edit contacts and channel choices', async () => {
    const office = await token('office');
    const [user] = await stack.sql<{ id: string }>(
      "SELECT id FROM app_user WHERE username = 'planning.staff'",
    );
    const units = await request(http)
      .get('/api/contacts/units')
      .set('authorization', `Bearer ${office}`)
      .expect(200);
    expect(units.body).toContainEqual({
      code: 'finance',
      name: '财政局',
      email: 'finance@jianghai.example',
      webhookUrl: null,
    });
    const updated = await request(http)
      .put(`/api/contacts/users/${user.id}`)
      .set('authorization', `Bearer ${office}`)
      .send({ email: 'zhang@jianghai.example', emailEnabled: false })
      .expect(200);
    expect(updated.body).toMatchObject({
      username: 'planning.staff',
      email: 'zhang@jianghai.example',
      emailEnabled: false,
      webhookEnabled: true,
      webhookUrl: null,
    });
    await request(http)
      .put(`/api/contacts/users/${user.id}`)
      .set('authorization', `Bearer ${office}`)
      .send({ webhookUrl: 'ftp://relay' })
      .expect(400);
    await request(http)
      .get(`/api/contacts/users/${user.id}`)
      .set('authorization', `Bearer ${await token('planning.head')}`)
      .expect(403);
  });

  it('creates each delivery once however often and however concurrently a projection retries', async () => {
    const dataSource = stack.worker!.app.get(DataSource);
    const settings = stack.worker!.app.get(NotificationSettings);
    const notice: Notice = {
      key: `test:retry:${Date.now()}`,
      workflowId: 'tq:test:1.1:Q4',
      kind: 'overdue',
      createdAt: new Date().toISOString(),
      recipients: [
        { role: 'head', unitCode: 'finance' },
        { role: 'office', unitCode: null },
      ],
      taskCode: '1.1',
      taskName: '测试任务',
      quarter: 4,
      year,
      deadline: `${year}-12-31T16:00:00.000Z`,
      lagging: [{ unitCode: 'finance', unitName: '财政局', owes: 'report' }],
      title: '【逾期】1.1 测试任务',
      body: '',
    };
    const attempt = () => dataSource.transaction((tx) => enqueueDeliveries(tx, [notice], settings));
    await Promise.all([attempt(), attempt(), attempt()]);
    await attempt();
    const rows = await deliveries('notice_key = $1', [notice.key]);
    const [finance] = await stack.sql<{ id: string }>(
      "SELECT id FROM app_user WHERE username = 'finance.head'",
    );
    const [office] = await stack.sql<{ id: string }>(
      "SELECT id FROM app_user WHERE username = 'office'",
    );
    expect(
      rows
        .map(
          (r) =>
            `${r.user_id === finance.id ? 'finance.head' : r.user_id === office.id ? 'office' : r.user_id} ${r.channel}`,
        )
        .sort(),
    ).toEqual(['finance.head email', 'finance.head in_app', 'office email', 'office in_app']);
  });

  it('delivers nothing twice when the dispatcher is killed while the SMTP server holds its answer', async () => {
    await settled('email');
    // Only the child process dispatches from here on.
    await stack.worker!.app.get(NotificationDispatcher).stop();
    const office = await token('office');
    const finance = await deliveries(
      "channel = 'email' AND kind = 'overdue' AND address = 'finance@jianghai.example'",
    );
    for (const d of finance) {
      await request(http)
        .post(`/api/notices/deliveries/${d.id}/resend`)
        .set('authorization', `Bearer ${office}`)
        .expect(200);
    }
    const before = mail.mails.length;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    mail.stallNext = () => held;

    const first = startDispatcher(stack.env.DATABASE_URL);
    await eventually(() => Promise.resolve(mail.mails.length > before ? true : undefined), {
      what: 'the message read in full by the SMTP server',
    });
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const stalled = mail.mails[before];
    await eventually(() => Promise.resolve(mail.isClosed(stalled.sessionId) ? true : undefined), {
      what: 'the SMTP server seeing the killed client hang up',
    });
    release();
    const stuck = await deliveries('id = ANY($1)', [finance.map((d) => d.id)]);
    expect(stuck.every((r) => r.state === 'sending')).toBe(true);

    const second = startDispatcher(stack.env.DATABASE_URL);
    try {
      const done = await eventually(
        async () => {
          const rows = await deliveries('id = ANY($1)', [finance.map((d) => d.id)]);
          return rows.every((r) => r.state === 'sent') ? rows : undefined;
        },
        { timeoutMs: 20_000, what: 'the re-claimed deliveries sent' },
      );
      // The re-claim after the lease carried the same message id; the receiver saw the message
      // twice on the wire, accepted it once, and a Message-ID dedupe leaves one.
      const copies = mail.mails.slice(before);
      expect(done.every((r) => r.attempts === 2)).toBe(true);
      expect(new Set(done.map((r) => r.batch_id)).size).toBe(1);
      expect(copies.map((m) => m.messageId)).toEqual([
        `<${done[0].batch_id}@duban>`,
        `<${done[0].batch_id}@duban>`,
      ]);
      expect(copies.map((m) => m.accepted)).toEqual([false, true]);
      expect(copies[0].text).toBe(copies[1].text);
      // Nothing already sent went out again.
      const [{ n }] = await stack.sql<{ n: number }>(
        "SELECT count(*)::int AS n FROM notification_delivery WHERE channel <> 'in_app' AND state IN ('pending', 'sending')",
      );
      expect(n).toBe(0);
      expect(mail.mails).toHaveLength(before + 2);
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
  });
});

function startDispatcher(databaseUrl: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      '-r',
      join(__dirname, 'notifications.register.js'),
      join(__dirname, '..', '..', 'apps', 'worker', 'src', 'notifications', 'dispatcher-main.ts'),
    ],
    { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'inherit', 'inherit'] },
  );
}

import { composeMessage, formatDeadline, taskQuarterLink, type MessageItem } from './message';
import { loadNotificationSettings } from './settings';
import { signWebhook, verifyWebhookSignature } from './signature';
import { usersFor } from './outbox';

const item = (code: string, name: string): MessageItem => ({
  deliveryId: `d-${code}`,
  noticeKey: `k-${code}`,
  taskQuarterId: `tq:2025-jianghai:${code}:Q4`,
  payload: {
    taskCode: code,
    taskName: name,
    quarter: 4,
    year: 2025,
    deadline: '2025-12-31T16:00:00.000Z',
    lagging: [{ unitCode: 'zjsw', unitName: '住建局', owes: 'report' }],
    title: `【逾期】${code} ${name} 2025年第4季度`,
    body: '',
  },
});

describe('notification messages', () => {
  it('formats the deadline in Beijing time', () => {
    expect(formatDeadline('2025-12-31T16:00:00.000Z')).toBe('2026年1月1日 00:00（北京时间）');
  });

  it('names task, quarter, deadline, lagging units with what they owe, and links the task-quarter', () => {
    const m = composeMessage('overdue', [item('36.1', '公交一体化')], 'https://d.example');
    expect(m.subject).toBe('【逾期】36.1 公交一体化 2025年第4季度');
    expect(m.text).toContain('任务：36.1 公交一体化');
    expect(m.text).toContain('季度：2025年第4季度');
    expect(m.text).toContain('截止时间：2026年1月1日 00:00（北京时间）');
    expect(m.text).toContain('  - 住建局：未报送完成情况');
    expect(m.text).toContain('https://d.example/task-quarters/tq:2025-jianghai:36.1:Q4');
  });

  it('lists several notices of one kind in one digest, in task order', () => {
    const m = composeMessage(
      'overdue',
      [item('10.2', '乙'), item('9.1', '甲')],
      'https://d.example',
    );
    expect(m.subject).toBe('【逾期】2项督办事项汇总');
    expect(m.text.indexOf('9.1 甲')).toBeLessThan(m.text.indexOf('10.2 乙'));
  });

  it('encodes what must be encoded in links', () => {
    expect(taskQuarterLink('https://x', 'a b/c')).toBe('https://x/task-quarters/a%20b%2Fc');
  });
});

describe('webhook signatures', () => {
  const body = '{"id":"1"}';
  const now = 1_764_000_000_000;
  const ts = Math.floor(now / 1000);

  it('verify with the shared secret and fail with another, a changed body or a stale timestamp', () => {
    const signature = signWebhook('shared-secret-0123456789', ts, body);
    const headers = { signature, timestamp: String(ts) };
    expect(verifyWebhookSignature('shared-secret-0123456789', headers, body, { now })).toBe(true);
    expect(verifyWebhookSignature('other-secret-0123456789', headers, body, { now })).toBe(false);
    expect(verifyWebhookSignature('shared-secret-0123456789', headers, `${body} `, { now })).toBe(
      false,
    );
    expect(
      verifyWebhookSignature('shared-secret-0123456789', headers, body, { now: now + 3_600_000 }),
    ).toBe(false);
  });
});

describe('notification settings', () => {
  it('keep e-mail and webhooks off until configured', () => {
    const s = loadNotificationSettings({});
    expect(s.emailEnabled).toBe(false);
    expect(s.webhookEnabled).toBe(false);
  });

  it('refuse bad values, naming each', () => {
    expect(() =>
      loadNotificationSettings({
        SMTP_HOST: 'mail',
        SMTP_PORT: 'x',
        WEBHOOK_SECRET: 'short',
        NOTIFY_LEASE_MS: '1000',
        NOTIFY_SEND_TIMEOUT_MS: '5000',
      }),
    ).toThrow(/SMTP_PORT[\s\S]*SMTP_FROM[\s\S]*WEBHOOK_SECRET[\s\S]*NOTIFY_LEASE_MS/);
  });
});

describe('recipients', () => {
  const user = (id: string, role: string, unit: string | null) => ({
    id,
    role,
    unit_code: unit,
    email: null,
    email_enabled: null,
    webhook_enabled: null,
    webhook_url: null,
  });
  const users = [
    user('a', 'head', 'zjsw'),
    user('b', 'staff', 'zjsw'),
    user('c', 'head', 'jyj'),
    user('o', 'office', 'dcs'),
    user('l', 'leader', null),
  ];

  it('are the heads of the named unit and every office account, once each', () => {
    const chosen = usersFor(
      [
        { role: 'head', unitCode: 'zjsw' },
        { role: 'office', unitCode: null },
        { role: 'office', unitCode: null },
      ],
      users,
    );
    expect(chosen.map((u) => u.id).sort()).toEqual(['a', 'o']);
  });
});

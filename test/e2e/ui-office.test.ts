import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import * as iconv from 'iconv-lite';
import { quarterOf } from '@duban/domain';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import {
  callApi,
  prepareWebUi,
  screenshot,
  startWebUi,
  textExpectation,
  type WebUi,
} from '../support/web-ui';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..');
const expectText = textExpectation('ui-office');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'plan', 'minimal-plan.txt');
const MAX_ATTEMPTS = 2;

/** A webhook relay that answers each path with the status the test sets (500 until told). */
interface Relay {
  url: string;
  status: Map<string, number>;
  calls: string[];
  close(): Promise<void>;
}

async function startRelay(): Promise<Relay> {
  const status = new Map<string, number>();
  const calls: string[] = [];
  const server: HttpServer = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '/';
      calls.push(path);
      res.statusCode = status.get(path) ?? 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    status,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface PlanDto {
  id: string;
  status: string;
  year: number;
  categories: number;
  tasks: number;
  cityLevelTasks: number;
}

interface DeliveryDto {
  id: string;
  state: string;
  channel: string;
  username: string;
  address: string | null;
  attempts: number;
  lastError: string | null;
}

describe("the office's administration pages over the real API, worker and dev server", () => {
  const savedEnv = { ...process.env };
  let relay: Relay;
  let stack: TestStack;
  let web: WebUi;
  let baseUrl: string;
  let officeToken: string;
  // Last year's plan started from Q4: its task-quarters are overdue at once and notices go out.
  const planYear = quarterOf(new Date()).year - 1;
  let planId: string;

  const api = <T>(method: string, path: string, body?: object) =>
    callApi<T>(baseUrl, method, path, officeToken, body);

  beforeAll(async () => {
    prepareWebUi();
    relay = await startRelay();
    // Webhooks on (signed), and a dispatcher quick enough to fail a delivery within seconds.
    Object.assign(process.env, {
      WEBHOOK_SECRET: 'ui-office-webhook-secret-0123456789',
      NOTIFY_INTERVAL_MS: '100',
      NOTIFY_BACKOFF_MS: '150',
      NOTIFY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      NOTIFY_LEASE_MS: '2500',
      NOTIFY_SEND_TIMEOUT_MS: '2000',
      NOTIFY_DIGEST_WINDOW_MS: '300',
    });
    delete process.env.SMTP_HOST;
    stack = await startTestStack();
    web = await startWebUi(stack);
    baseUrl = web.baseUrl;
    ({ accessToken: officeToken } = await callApi<{ accessToken: string }>(
      baseUrl,
      'POST',
      '/auth/login',
      null,
      { username: 'office', password: stack.env.DEMO_PASSWORD },
    ));
  });

  afterAll(async () => {
    await web?.close();
    await stack?.stop();
    await relay?.close();
    process.env = savedEnv;
  });

  const signIn: WebUi['signIn'] = (username, viewport) => web.signIn(username, viewport);

  const navLinks = async (page: Page): Promise<string[]> =>
    (
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link').allTextContents()
    ).map((t) => t.trim());

  it("edits a unit's and a user's contact details, and they persist on the server", async () => {
    const office = await signIn('office');
    expect(await navLinks(office)).toEqual(
      expect.arrayContaining(['计划管理', '通知投递', '联系方式']),
    );
    await office.getByRole('link', { name: '联系方式' }).click();
    const financeRow = office.locator('[data-testid="unit-contact"][data-code="finance"]');
    await expectText(financeRow, '财政局');
    await expectText(financeRow.getByTestId('unit-webhook'), '未填写');

    await financeRow.getByRole('button', { name: '编辑财政局的联系方式' }).click();
    const dialog = office.getByTestId('unit-contact-dialog');
    // The form checks what the server would refuse before sending it.
    await dialog.getByLabel('Webhook 地址').fill('ftp://relay.example');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expectText(dialog, /须以 http:\/\/ 或 https:\/\/ 开头/);
    await dialog.getByLabel('邮箱').fill('finance@jianghai.example');
    await dialog.getByLabel('Webhook 地址').fill(`${relay.url}/hooks/finance`);
    await dialog.getByRole('button', { name: '保存' }).click();
    await expectText(office.getByTestId('flash'), '已保存 财政局 的联系方式');
    await expectText(financeRow.getByTestId('unit-webhook'), `${relay.url}/hooks/finance`);
    expect(await api('GET', '/contacts/units/finance')).toEqual({
      code: 'finance',
      name: '财政局',
      email: 'finance@jianghai.example',
      webhookUrl: `${relay.url}/hooks/finance`,
    });

    // A user of that unit: their own e-mail, and no webhooks for them.
    await office.getByLabel('按单位筛选用户').selectOption('finance');
    const staffRow = office.locator('[data-testid="user-contact"][data-username="finance.staff"]');
    await staffRow.waitFor();
    // The filtered list replaces the whole one once the server answers.
    await eventually(
      async () =>
        (await office.locator('[data-testid="user-contact"]').count()) === 2 ? true : undefined,
      { timeoutMs: 15_000, what: "the finance unit's two users only" },
    );
    await staffRow.getByRole('button', { name: '编辑finance.staff的联系方式' }).click();
    const userDialog = office.getByTestId('user-contact-dialog');
    await userDialog.getByLabel('邮箱').fill('li.finance@jianghai.example');
    await userDialog.getByLabel('接收 Webhook').uncheck();
    await userDialog.getByRole('button', { name: '保存' }).click();
    await expectText(office.getByTestId('flash'), '已保存 finance.staff 的联系方式');
    await expectText(staffRow.getByTestId('user-channels'), /Webhook\s*关/);
    const { items } = await api<{ items: Array<{ id: string; username: string }> }>(
      'GET',
      '/contacts/users?unitCode=finance',
    );
    const staffId = items.find((u) => u.username === 'finance.staff')!.id;
    expect(await api('GET', `/contacts/users/${staffId}`)).toMatchObject({
      email: 'li.finance@jianghai.example',
      emailEnabled: true,
      webhookEnabled: false,
    });
    await screenshot(office, 'ui-office-contacts.png', { fullPage: true });
  });

  it('refuses a bad notice with the line the server names, imports the fixture and activates it', async () => {
    const office = await signIn('office');
    await office.getByRole('link', { name: '计划管理' }).click();
    await expectText(office.getByTestId('plans-page'), '还没有计划');

    // A category that declares more items than it lists: refused whole, naming the line.
    const fixture = readFileSync(FIXTURE, 'utf8');
    const badLine = fixture.split('\n').findIndex((l) => l.includes('（共2项）')) + 1;
    expect(badLine).toBeGreaterThan(0);
    await office.getByLabel('粘贴文本').check();
    await office.getByLabel('通知文本').fill(fixture.replace('（共2项）', '（共3项）'));
    await office.getByRole('button', { name: '导入', exact: true }).click();
    const error = office.getByTestId('import-error');
    await expectText(
      error,
      new RegExp(`第 ${badLine} 行[\\s\\S]*服务器说明：line ${badLine}: .*共3项`),
    );
    await expectText(error.locator('.excerpt-hit'), '（共3项）');
    await screenshot(office, 'ui-office-import-error.png', { fullPage: true });
    expect((await api<{ total: number }>('GET', '/plans')).total).toBe(0);

    // The fixture as a file, stored for last year.
    await office.getByLabel('上传文件').check();
    await office.getByLabel('通知文件').setInputFiles(FIXTURE);
    await expectText(office.getByTestId('file-info'), 'minimal-plan.txt');
    await office.getByLabel(/计划年度/).fill(String(planYear));
    await office.getByRole('button', { name: '导入', exact: true }).click();
    const result = office.getByTestId('import-result');
    await expectText(result, '导入成功');
    planId = (await result.getByTestId('imported-id').textContent())!.trim();
    const stored = await api<PlanDto>('GET', `/plans/${encodeURIComponent(planId)}`);
    expect(stored).toMatchObject({ status: 'imported', year: planYear, tasks: 3 });
    await expectText(
      result.getByTestId('imported-counts'),
      `${stored.categories} 个类别，${stored.tasks} 项任务（市民生实事 ${stored.cityLevelTasks} 项）`,
    );
    expect(await office.getByTestId('import-error').count()).toBe(0);
    // The parse result: every task with its targets, merged-cell spreads marked for review.
    const parsed = result.getByTestId('plan-tasks');
    await expectText(parsed.getByTestId('inferred-count'), '2 处季度目标由合并单元格推断');
    expect(await parsed.getByTestId('plan-task').count()).toBe(3);
    const spread = parsed.locator(
      '[data-testid="plan-task"][data-code="2.1"] [data-inferred="true"]',
    );
    expect(await spread.getAttribute('data-quarters')).toBe('2,3,4');
    await expectText(spread, /建设。[\s\S]*推断：二季度至四季度/);
    const row = office.locator(`[data-testid="plan-row"][data-plan-id="${planId}"]`);
    expect(await row.getByTestId('plan-status').getAttribute('data-status')).toBe('imported');
    await screenshot(office, 'ui-office-plans.png', { fullPage: true });

    // Start it from Q4: the three tasks with a Q4 target start, once.
    await row.getByRole('button', { name: '启动…' }).click();
    const dialog = office.getByTestId('activate-dialog');
    await dialog.getByLabel('从哪个季度开始').selectOption('4');
    await dialog.getByRole('button', { name: '确认启动' }).click();
    const activation = office.getByTestId('activation-result');
    await expectText(activation.getByTestId('started'), '3');
    await expectText(activation, /共\s*3\s*个，其中\s*0\s*个此前已启动/);
    await eventually(
      async () =>
        (await row.getByTestId('plan-status').getAttribute('data-status')) === 'active'
          ? true
          : undefined,
      { what: 'the plan listed as active' },
    );
    // The workflows project themselves into the database as they start.
    await eventually(
      async () => {
        const tqs = await api<{ total: number }>(
          'GET',
          `/plans/${encodeURIComponent(planId)}/task-quarters?quarter=4`,
        );
        return tqs.total === 3 ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'three Q4 task-quarters listed' },
    );

    // The same notice exported as GB18030 is read by the server and recognised as already stored.
    const gbFile = join(
      mkdtempSync(join(tmpdir(), 'duban-ui-office-')),
      'minimal-plan-gb18030.txt',
    );
    writeFileSync(gbFile, iconv.encode(fixture, 'gb18030'));
    await office.getByLabel('通知文件').setInputFiles(gbFile);
    await expectText(office.getByTestId('file-info'), 'minimal-plan-gb18030.txt');
    await office.getByRole('button', { name: '导入', exact: true }).click();
    await expectText(result, '该通知此前已导入');
    expect(await result.getByTestId('imported-id').textContent()).toBe(planId);
    expect((await api<{ total: number }>('GET', '/plans')).total).toBe(1);

    // Activating again starts nothing twice.
    await row.getByRole('button', { name: '补充启动…' }).click();
    await dialog.getByLabel('从哪个季度开始').selectOption('4');
    await dialog.getByRole('button', { name: '确认启动' }).click();
    await expectText(activation, /已启动\s*0\s*个[\s\S]*其中\s*3\s*个此前已启动/);
    await screenshot(office, 'ui-office-activated.png', { fullPage: true });
  });

  it('lists deliveries as the API does, shows a failed webhook and resends it', async () => {
    // The overdue notice of task 1 reaches finance.head by webhook; the relay answers 500.
    const failed = await eventually(
      async () => {
        const page = await api<{ items: DeliveryDto[]; total: number }>(
          'GET',
          '/notices/deliveries?state=failed&channel=webhook',
        );
        return page.total > 0 ? page.items : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'a failed webhook delivery' },
    );
    expect(failed[0]).toMatchObject({
      username: 'finance.head',
      attempts: MAX_ATTEMPTS,
      lastError: 'webhook answered HTTP 500',
      address: `${relay.url}/hooks/finance`,
    });

    const office = await signIn('office');
    await office.getByRole('link', { name: '通知投递' }).click();
    const all = await api<{ total: number }>('GET', '/notices/deliveries');
    await expectText(office.getByTestId('pager'), `共 ${all.total} 条`);
    // In-app deliveries are delivered by being written: nothing to resend.
    const inApp = office.locator('[data-testid="delivery"][data-channel="in_app"]').first();
    await inApp.waitFor();
    expect(await inApp.getByRole('button', { name: '重发' }).count()).toBe(0);

    await office.getByLabel('按状态筛选').selectOption('failed');
    await office.getByLabel('按渠道筛选').selectOption('webhook');
    expect(new URL(office.url()).search).toMatch(/state=failed/);
    await expectText(office.getByTestId('pager'), `共 ${failed.length} 条`);
    const target = office.locator(`[data-testid="delivery"][data-id="${failed[0].id}"]`);
    await expectText(target.getByTestId('delivery-state'), '发送失败');
    await expectText(target.getByTestId('last-error'), 'webhook answered HTTP 500');
    await expectText(target.getByTestId('attempts'), String(MAX_ATTEMPTS));
    await screenshot(office, 'ui-office-deliveries.png', { fullPage: true });

    // The relay is fixed; the office resends after confirming.
    relay.status.set('/hooks/finance', 200);
    await target.getByRole('button', { name: '重发' }).click();
    const dialog = office.getByTestId('resend-dialog');
    await expectText(dialog, 'finance.head');
    await dialog.getByRole('button', { name: '确认重发' }).click();
    await expectText(office.getByTestId('flash'), /已重新排队：发给 finance\.head 的Webhook/);
    const sent = await eventually(
      async () => {
        const page = await api<{ items: DeliveryDto[] }>(
          'GET',
          '/notices/deliveries?channel=webhook&pageSize=500',
        );
        const d = page.items.find((i) => i.id === failed[0].id);
        return d?.state === 'sent' ? d : undefined;
      },
      { timeoutMs: 30_000, what: 'the resent delivery sent' },
    );
    expect(sent).toMatchObject({ attempts: 1, lastError: null });
    // The page shows what the server says once it is reloaded.
    await office.getByLabel('按状态筛选').selectOption('sent');
    await expectText(
      office
        .locator(`[data-testid="delivery"][data-id="${failed[0].id}"]`)
        .getByTestId('delivery-state'),
      '已发送',
    );

    // The same page on a phone.
    const phone = await signIn('office', { width: 390, height: 844 });
    await phone.goto(`${baseUrl}/deliveries?channel=webhook`);
    await phone.getByTestId('delivery-list').waitFor();
    await screenshot(phone, 'ui-office-deliveries-phone.png', { fullPage: true });
  });

  it('hides the administration from staff and shows the server refusing them', async () => {
    const staff = await signIn('finance.staff');
    const links = await navLinks(staff);
    for (const hidden of ['计划管理', '通知投递', '联系方式']) expect(links).not.toContain(hidden);

    await staff.goto(`${baseUrl}/deliveries`);
    await expectText(staff.getByRole('alert'), /此操作仅限以下角色：office, admin/);
    expect(await staff.getByTestId('delivery-list').count()).toBe(0);
    await staff.goto(`${baseUrl}/contacts`);
    await expectText(staff.getByRole('alert'), /此操作仅限以下角色：office, admin/);
    expect(await staff.getByTestId('unit-contacts').count()).toBe(0);
    await screenshot(staff, 'ui-office-staff-refused.png', { fullPage: true });
    // Plans are readable by everyone signed in; importing and starting are not offered.
    await staff.goto(`${baseUrl}/plans`);
    await staff.getByTestId('plans-readonly').waitFor();
    await staff.locator(`[data-testid="plan-row"][data-plan-id="${planId}"]`).waitFor();
    expect(await staff.getByTestId('import-panel').count()).toBe(0);
    expect(await staff.getByRole('button', { name: /启动/ }).count()).toBe(0);
    await staff
      .locator(`[data-testid="plan-row"][data-plan-id="${planId}"]`)
      .getByRole('button', { name: '任务' })
      .click();
    await expectText(staff.getByTestId('plan-tasks-panel'), '道路改造');
    await staff.setViewportSize({ width: 390, height: 844 });
    await screenshot(staff, 'ui-office-plans-phone.png', { fullPage: true });

    // The admin keeps the outbox and the contacts, not the plans (importing is the office's).
    const admin = await signIn('admin');
    const adminLinks = await navLinks(admin);
    expect(adminLinks).toEqual(expect.arrayContaining(['通知投递', '联系方式']));
    expect(adminLinks).not.toContain('计划管理');
  });
});

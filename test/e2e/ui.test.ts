import type { Page } from 'playwright-core';
import { taskQuarterWorkflowId } from '@duban/contracts';
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

const expectText = textExpectation('ui');

describe('the browser UI over the real API, worker and dev server', () => {
  let stack: TestStack;
  let web: WebUi;
  let baseUrl: string;
  const { year, quarter } = quarterOf(new Date());
  let taskCode: string;
  let unit: string;
  let otherUnit: string;
  let id: string;
  /** Another single-unit task-quarter, for the deadline, the lamp and the audit. */
  let secondId: string;
  let secondUnit: string;

  const api = <T>(method: string, path: string, token: string | null, body?: object) =>
    callApi<T>(baseUrl, method, path, token, body);

  beforeAll(async () => {
    prepareWebUi();
    stack = await startTestStack({ seedYear: year });
    web = await startWebUi(stack);
    baseUrl = web.baseUrl;

    // A task with a single responsible unit and a target this quarter, and a unit not responsible for it.
    const [task, second] = await stack.sql<{ code: string; unit_code: string }>(
      `SELECT t.code, min(r.unit_code) AS unit_code
         FROM task t
         JOIN task_responsibility r ON r.task_id = t.id
         JOIN quarterly_target q ON q.task_id = t.id AND q.quarter = $2 AND q.text IS NOT NULL
        WHERE t.plan_id = $1
        GROUP BY t.code, t.position
       HAVING count(*) = 1
        ORDER BY t.position LIMIT 2`,
      [stack.planId, quarter],
    );
    taskCode = task.code;
    unit = task.unit_code;
    const [other] = await stack.sql<{ unit_code: string }>(
      `SELECT DISTINCT r.unit_code FROM task_responsibility r JOIN task t ON t.id = r.task_id
        WHERE t.plan_id = $1 AND r.unit_code <> $2 ORDER BY r.unit_code LIMIT 1`,
      [stack.planId, unit],
    );
    otherUnit = other.unit_code;
    id = taskQuarterWorkflowId(stack.planId!, taskCode, quarter);
    secondId = taskQuarterWorkflowId(stack.planId!, second.code, quarter);
    secondUnit = second.unit_code;

    const { accessToken } = await api<{ accessToken: string }>('POST', '/auth/login', null, {
      username: 'office',
      password: stack.env.DEMO_PASSWORD,
    });
    const { started } = await api<{ started: number }>(
      'POST',
      `/plans/${encodeURIComponent(stack.planId!)}/activate`,
      accessToken,
      { fromQuarter: quarter },
    );
    // Every started task-quarter projected before any page counts them: a dashboard loaded while
    // the last rows were still being written would rightly show fewer than the server has later.
    await eventually(
      async () => {
        const stats = await api<{ taskQuarters: number }>(
          'GET',
          `/plans/${encodeURIComponent(stack.planId!)}/stats`,
          accessToken,
        );
        return stats.taskQuarters >= started ? stats : undefined;
      },
      { timeoutMs: 120_000, what: `the ${started} activated task-quarters in Postgres` },
    );
    await eventually(
      async () => {
        const detail = await api<{ phase: string }>(
          'GET',
          `/task-quarters/${encodeURIComponent(id)}`,
          accessToken,
        );
        return detail.phase === 'reporting' ? detail : undefined;
      },
      { timeoutMs: 60_000, what: `${id} open for reporting` },
    );
  });

  afterAll(async () => {
    await web?.close();
    await stack?.stop();
  });

  const signIn: WebUi['signIn'] = (username, viewport) => web.signIn(username, viewport);

  const tqUrl = () => `${baseUrl}/task-quarters/${encodeURIComponent(id)}`;
  const unitStatus = (page: Page) => page.getByTestId(`unit-${unit}`).getByTestId('unit-status');

  async function openFromInbox(page: Page): Promise<void> {
    await page.getByRole('link', { name: '我的待办' }).click();
    const card = page.locator(`[data-testid="tq-card"][data-id="${id}"]`);
    await card.click();
    await page.getByTestId('task-quarter').waitFor();
    expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/task-quarters/${id}`);
  }

  async function cellLamp(page: Page, which = id): Promise<string | null> {
    return page.locator(`[data-testid="grid-cell"][data-id="${which}"]`).getAttribute('data-lamp');
  }

  interface Figures {
    byLamp: Record<string, number>;
    byStatus: Record<string, number>;
    taskQuarters: number;
    /** The overdue list's task-quarters, in order. */
    overdue: string[];
  }
  const LAMPS = ['green', 'yellow', 'red', 'closed'];
  const PHASES = ['not_open', 'reporting', 'office_review', 'closed'];

  /** What the dashboard's tiles show, in the shape of the stats endpoint's figures. */
  async function shownFigures(page: Page): Promise<Figures> {
    const n = async (testId: string, inner: string) =>
      Number(await page.getByTestId(testId).locator(inner).textContent());
    const figures: Figures = { byLamp: {}, byStatus: {}, taskQuarters: 0, overdue: [] };
    for (const l of LAMPS) figures.byLamp[l] = await n(`count-${l}`, '.count-n');
    for (const p of PHASES) figures.byStatus[p] = await n(`phase-${p}`, 'dd');
    figures.taskQuarters = await n('count-total', '.count-n');
    for (const row of await page.getByTestId('overdue-item').all()) {
      figures.overdue.push((await row.getAttribute('data-id')) ?? '');
    }
    return figures;
  }

  async function tokenOf(username: string): Promise<string> {
    const { accessToken } = await api<{ accessToken: string }>('POST', '/auth/login', null, {
      username,
      password: stack.env.DEMO_PASSWORD,
    });
    return accessToken;
  }

  /** GET /api/plans/:planId/stats as the office, with the dashboard's filters. */
  async function serverStats(token: string, filter: Record<string, string> = {}) {
    const qs = new URLSearchParams(filter).toString();
    return api<
      Omit<Figures, 'overdue'> & {
        filter: Record<string, unknown>;
        overdue: Array<{ id: string; lamp: string }>;
      }
    >('GET', `/plans/${encodeURIComponent(stack.planId!)}/stats${qs ? `?${qs}` : ''}`, token);
  }

  /**
   * Waits until the dashboard shows exactly the server's figures (the overdue list narrowed to the
   * lamp picked, if any); returns them.
   */
  async function expectDashboardMatchesStats(
    page: Page,
    token: string,
    filter: Record<string, string> = {},
    lamp?: string,
  ): Promise<Figures> {
    let last: unknown;
    try {
      return await eventually(
        async () => {
          const server = await serverStats(token, filter);
          const expected = {
            byLamp: server.byLamp,
            byStatus: server.byStatus,
            taskQuarters: server.taskQuarters,
            overdue: server.overdue.filter((o) => !lamp || o.lamp === lamp).map((o) => o.id),
          };
          last = { shown: await shownFigures(page), expected };
          return JSON.stringify((last as { shown: unknown }).shown) === JSON.stringify(expected)
            ? expected
            : undefined;
        },
        { timeoutMs: 15_000, what: 'the dashboard to show the server statistics' },
      );
    } catch (error) {
      throw new Error(`${String(error)}\n${JSON.stringify(last)}`);
    }
  }

  /** Fails when the page is wider than the viewport (something overflows sideways). */
  async function expectNoSidewaysScroll(page: Page): Promise<void> {
    // A string, so that the test (typed for Node) needs no DOM types.
    const [scrollWidth, clientWidth] = await page.evaluate<[number, number]>(
      '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
    );
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  }

  it('rejects a wrong password with the server message, in Chinese, on a zh-CN page', async () => {
    const context = await web.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByLabel('用户名').fill(`${unit}.staff`);
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expectText(page.getByRole('alert'), /.+/);
    expect(page.url()).toMatch(/\/login$/);
  });

  it('takes a task-quarter through submit, approve, office return, resubmit and close in the browser', async () => {
    // The office's dashboard before anything happened.
    const office = await signIn('office');
    const officeToken = await tokenOf('office');
    await office.getByRole('link', { name: '督办总览' }).click();
    await office.getByTestId('plan-grid').waitFor();
    const lampBefore = await cellLamp(office);
    expect(['green', 'yellow', 'red']).toContain(lampBefore);
    // Every figure on the dashboard is the server's: the tiles equal GET /plans/:id/stats.
    const before = await expectDashboardMatchesStats(office, officeToken);
    expect(before.taskQuarters).toBe(await office.locator('[data-testid="grid-cell"]').count());
    const closedBefore = before.byLamp.closed;
    await expectText(office.getByTestId('stats-scope'), /全计划/);

    // Unit staff: the inbox lists the task-quarter; the form validates before sending.
    const staff = await signIn(`${unit}.staff`);
    expect(staff.url()).toMatch(/\/inbox$/);
    await staff.locator(`[data-testid="tq-card"][data-id="${id}"]`).waitFor();
    await screenshot(staff, 'ui-inbox.png', { fullPage: true });
    await openFromInbox(staff);
    // A second, soon stale, view of the same page: used below to see a refusal.
    const stale = await staff.context().newPage();
    await stale.goto(tqUrl());
    await stale.getByRole('button', { name: '填报完成情况' }).waitFor();

    await staff.getByRole('button', { name: '填报完成情况' }).click();
    const form = staff.getByTestId('report-dialog');
    await form.getByRole('button', { name: '报送' }).click();
    await expectText(form, /请选择完成情况/);
    await expectText(form, /请填写进展情况/);
    await form.getByLabel('部分完成').check();
    await form.getByLabel('进展情况').fill('已完成场地平整，正在进行基础设施建设。');
    await form.getByRole('button', { name: '报送' }).click();
    await expectText(form, /未完成或部分完成时须说明原因/);
    await form.getByLabel(/情况说明/).fill('受雨季影响，工期顺延两周。');
    await form.getByLabel('数据项 1 名称').fill('完成投资（万元）');
    await form.getByLabel('数据项 1 数值').fill('120');
    await form.getByRole('button', { name: '报送' }).click();
    await staff.getByTestId('flash').waitFor();
    await expectText(unitStatus(staff), '待负责人审核');
    await expectText(staff.getByTestId('report-version').first(), /第 1 版[\s\S]*部分完成/);
    await expectText(staff.getByTestId('report-version').first(), /完成投资（万元）[\s\S]*120/);
    expect(await staff.getByRole('button', { name: '填报完成情况' }).count()).toBe(0);

    // Staff of another unit: the page is readable but offers no action, and the inbox does not list it.
    const outsider = await signIn(`${otherUnit}.staff`);
    expect(await outsider.locator(`[data-testid="tq-card"][data-id="${id}"]`).count()).toBe(0);
    await outsider.goto(tqUrl());
    await outsider.getByTestId('task-quarter').waitFor();
    await expectText(unitStatus(outsider), '待负责人审核');
    expect(await outsider.getByTestId('actions').count()).toBe(0);
    expect(await outsider.getByRole('button', { name: '填报完成情况' }).count()).toBe(0);

    // Unit head approves.
    const head = await signIn(`${unit}.head`);
    await openFromInbox(head);
    await head.getByRole('button', { name: '审核通过' }).click();
    await head
      .getByTestId('decision-dialog')
      .getByLabel(/审核意见/)
      .fill('同意报送。');
    await head.getByRole('button', { name: '确认通过' }).click();
    await expectText(unitStatus(head), '负责人已审核');
    await expectText(head.getByTestId('phase'), '督查室审核中');

    // The stale page still offers the form; the server refuses (the head has approved) and the
    // page shows why, with the server's message.
    await stale.getByRole('button', { name: '填报完成情况' }).click();
    const staleForm = stale.getByTestId('report-dialog');
    await staleForm.getByLabel('已完成').check();
    await staleForm.getByLabel('进展情况').fill('重复报送');
    await staleForm.getByRole('button', { name: '报送' }).click();
    await expectText(
      staleForm.getByTestId('server-error'),
      /当前阶段不允许此操作[\s\S]*服务器说明：\S+/,
    );
    expect(await stale.getByTestId('flash').count()).toBe(0);
    await stale.close();

    // The office returns it once: the comment is required.
    await openFromInbox(office);
    await office.getByRole('button', { name: '退回单位' }).click();
    const review = office.getByTestId('review-dialog');
    await review.getByRole('button', { name: '确认退回' }).click();
    await expectText(review, /退回时须填写意见/);
    await review.getByLabel(/审核意见/).fill('请补充投资完成的佐证材料。');
    await review.getByRole('button', { name: '确认退回' }).click();
    await expectText(unitStatus(office), '督查室已退回');
    await expectText(
      office.getByTestId('decisions'),
      /区督查室退回[\s\S]*请补充投资完成的佐证材料/,
    );

    // Staff resubmit (version 2); the head approves again.
    await openFromInbox(staff);
    await staff.getByRole('button', { name: '填报完成情况' }).click();
    await form.getByLabel('已完成').check();
    await form.getByLabel('进展情况').fill('场地平整与基础设施建设均已完成，佐证材料已补充。');
    await form.getByRole('button', { name: '报送' }).click();
    await expectText(unitStatus(staff), '待负责人审核');
    expect(await staff.getByTestId('report-version').count()).toBe(2);
    await openFromInbox(head);
    await head.getByRole('button', { name: '审核通过' }).click();
    await head.getByRole('button', { name: '确认通过' }).click();
    await expectText(unitStatus(head), '负责人已审核');

    // The office closes it: the lamp goes to closed on the page and on the dashboard.
    await openFromInbox(office);
    await office.getByRole('button', { name: '审核办结' }).click();
    await office.getByRole('button', { name: '确认办结' }).click();
    await expectText(office.getByTestId('phase'), '已办结');
    expect(await office.getByTestId('task-quarter').getAttribute('data-lamp')).toBe('closed');
    expect(await office.getByTestId('actions').count()).toBe(0);
    await expectText(office.getByTestId('decisions'), /区督查室审核通过/);
    await screenshot(office, 'ui-task-quarter.png', { fullPage: true });

    await office.getByRole('link', { name: '督办总览' }).click();
    await office.getByTestId('plan-grid').waitFor();
    expect(await cellLamp(office)).toBe('closed');
    // The chain moved one task-quarter from its lamp to closed, and from reporting to closed; the
    // dashboard shows the server's new figures.
    const after = await expectDashboardMatchesStats(office, officeToken);
    expect(after.byLamp.closed).toBe(closedBefore + 1);
    expect(after.byLamp[lampBefore!]).toBe(before.byLamp[lampBefore!] - 1);
    expect(after.byStatus.closed).toBe(before.byStatus.closed + 1);
    expect(after.taskQuarters).toBe(before.taskQuarters);
    await screenshot(office, 'ui-dashboard.png', { fullPage: false });

    // Filtered by the unit, the figures are the server's for that unit (the request carries it).
    const unitStats = office.waitForResponse(
      (r) => r.url().includes('/stats?') && r.url().includes(`unit=${encodeURIComponent(unit)}`),
    );
    await office.locator('select[name="unit"]').selectOption(unit);
    expect(((await (await unitStats).json()) as { filter: unknown }).filter).toEqual({ unit });
    const forUnit = await expectDashboardMatchesStats(office, officeToken, { unit });
    expect(forUnit.byLamp.closed).toBeGreaterThanOrEqual(1);
    expect(forUnit.taskQuarters).toBeLessThan(after.taskQuarters);
    await eventually(async () =>
      (await office.locator('[data-testid="grid-cell"]').count()) === forUnit.taskQuarters
        ? true
        : undefined,
    );
    await office.locator('select[name="unit"]').selectOption('');
    // ★ only: the query's boolean reaches the server as one.
    await office.locator('select[name="cityLevel"]').selectOption('true');
    const star = await expectDashboardMatchesStats(office, officeToken, { cityLevel: 'true' });
    expect((await serverStats(officeToken, { cityLevel: 'true' })).filter).toEqual({
      cityLevel: true,
    });
    expect(star.taskQuarters).toBeGreaterThan(0);
    expect(star.taskQuarters).toBeLessThan(after.taskQuarters);
    await expectText(office.getByTestId('stats-scope'), /仅 ★/);
    await office.locator('select[name="cityLevel"]').selectOption('');
    await expectDashboardMatchesStats(office, officeToken);

    // The quarterly table downloads through the API with the office's token.
    const [download] = await Promise.all([
      office.waitForEvent('download'),
      office.getByRole('button', { name: '下载 CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);

    // Filtering the dashboard by lamp goes through the API; the lamp tiles keep counting every lamp.
    await office.getByTestId('count-closed').click();
    await eventually(async () =>
      (await office.locator('[data-testid="grid-cell"]').count()) === 1 ? true : undefined,
    );
    expect(await cellLamp(office)).toBe('closed');
    await expectDashboardMatchesStats(office, officeToken, {}, 'closed');

    // The dashboard on a phone: nothing overflows sideways (the grid scrolls inside its frame).
    const officePhone = await signIn('office', { width: 390, height: 844 });
    await officePhone.getByRole('link', { name: '督办总览' }).click();
    await officePhone.getByTestId('plan-grid').waitFor();
    await expectDashboardMatchesStats(officePhone, officeToken);
    await expectNoSidewaysScroll(officePhone);
    await screenshot(officePhone, 'ui-dashboard-phone.png', { fullPage: true });

    // The same page on a phone.
    const phone = await signIn(`${unit}.staff`, { width: 390, height: 844 });
    await phone.goto(tqUrl());
    await phone.getByTestId('task-quarter').waitFor();
    await expectNoSidewaysScroll(phone);
    await screenshot(phone, 'ui-task-quarter-phone.png', { fullPage: true });
  });

  it('lets the office move a deadline: the lamp turns yellow on the page and the dashboard', async () => {
    const office = await signIn('office');
    await office.goto(`${baseUrl}/task-quarters/${encodeURIComponent(secondId)}`);
    await office.getByTestId('task-quarter').waitFor();
    expect(await office.getByTestId('task-quarter').getAttribute('data-lamp')).toBe('green');
    await office.getByRole('button', { name: '调整截止时间' }).click();
    const dialog = office.getByTestId('deadline-dialog');
    // A day and 40 seconds from now, in Beijing time: inside the 7-day window with no report in
    // (yellow), and the 1-day warning falls due 40 seconds from now.
    const newDeadline = new Date(Math.ceil((Date.now() + 86_400_000 + 40_000) / 1000) * 1000);
    const beijing = new Date(newDeadline.getTime() + 8 * 3_600_000).toISOString().slice(0, 19);
    await dialog.getByLabel(/新的截止时间/).fill(beijing);
    await dialog.getByRole('button', { name: '确认调整' }).click();
    await expectText(dialog, /请填写调整原因/);
    await dialog.getByLabel(/调整原因/).fill('配合全区统一进度，提前完成。');
    await dialog.getByRole('button', { name: '确认调整' }).click();
    await office.getByTestId('flash').waitFor();
    await expectText(office.locator('.panel', { hasText: '截止时间调整' }), /配合全区统一进度/);
    await eventually(
      async () => {
        await office.reload();
        await office.getByTestId('task-quarter').waitFor();
        return (await office.getByTestId('task-quarter').getAttribute('data-lamp')) === 'yellow'
          ? true
          : undefined;
      },
      { timeoutMs: 30_000, what: 'the lamp to turn yellow' },
    );

    await office.getByRole('link', { name: '督办总览' }).click();
    await office.getByTestId('plan-grid').waitFor();
    expect(await cellLamp(office, secondId)).toBe('yellow');
    const shown = await expectDashboardMatchesStats(office, await tokenOf('office'));
    expect(shown.byLamp.yellow).toBeGreaterThanOrEqual(1);
    await screenshot(office, 'ui-dashboard-yellow.png');

    // The 1-day warning reaches the unit's staff: unread first, then marked read.
    const staff = await signIn(`${secondUnit}.staff`);
    await staff.getByRole('link', { name: '通知' }).click();
    await eventually(
      async () => {
        await staff.reload();
        await staff.getByRole('heading', { name: '通知' }).waitFor();
        return (await staff.locator(`[data-testid="notice"].unread`).count()) > 0
          ? true
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 2_000, what: 'the warning notice' },
    );
    const notice = staff.locator('[data-testid="notice"].unread').first();
    await expectText(notice, /预警/);
    await expectText(staff.locator('main'), /未读 [1-9]\d* 条/);
    await screenshot(staff, 'ui-notices.png');
    const unreadBefore = await staff.locator('[data-testid="notice"].unread').count();
    await notice.getByRole('button', { name: '标为已读' }).click();
    // The read state is the server's: the page shows it once the server has confirmed, and it
    // survives a reload (it is not kept in the browser).
    await eventually(
      async () =>
        (await staff.locator('[data-testid="notice"].unread').count()) === unreadBefore - 1
          ? true
          : undefined,
      { timeoutMs: 15_000, what: 'the notice marked read' },
    );
    await staff.reload();
    await staff.getByRole('heading', { name: '通知' }).waitFor();
    await eventually(
      async () => ((await staff.locator('[data-testid="notice"]').count()) > 0 ? true : undefined),
      { timeoutMs: 15_000, what: 'the notices after a reload' },
    );
    expect(await staff.locator('[data-testid="notice"].unread').count()).toBe(unreadBefore - 1);

    // The leader lands on the escalations view.
    const leader = await signIn('leader');
    expect(leader.url()).toMatch(/\/escalations$/);
    await expectText(leader.locator('main'), /催办督办/);
  });

  it('shows the auditor the timeline of a task-quarter and the result of replaying it', async () => {
    const auditor = await signIn('auditor');
    expect(auditor.url()).toMatch(/\/audit$/);
    await auditor.goto(`${baseUrl}/audit/${encodeURIComponent(secondId)}`);
    // The previous test moved this task-quarter's deadline.
    await expectText(auditor.getByTestId('timeline'), /截止/);
    expect(await auditor.getByRole('button', { name: '审核办结' }).count()).toBe(0);
    await auditor.getByRole('button', { name: '重放并核对' }).click();
    await expectText(auditor.getByTestId('replay-result'), /重放确定[\s\S]*一致/, 120_000);
    await screenshot(auditor, 'ui-audit.png', { fullPage: true });
  });
});

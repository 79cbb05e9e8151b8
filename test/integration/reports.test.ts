import type { Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command, CommanderError } from 'commander';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import {
  decideAsHeadUpdate,
  DUBAN_LAMP,
  DUBAN_PLAN,
  DUBAN_QUARTER,
  DUBAN_STATUS,
  DUBAN_TASK,
  DUBAN_UNITS,
  moveDeadlineUpdate,
  reviewAsOfficeUpdate,
  submitReportUpdate,
  WORKFLOW_TYPE,
} from '@duban/contracts';
import { addDays, quarterOf, shanghaiParts } from '@duban/domain';
import { DatabaseModule, PlanEntity } from '@duban/persistence';
import { PlanActivationService } from '@duban/plans';
import {
  LAMP_FILL,
  PlanStatsService,
  QuarterlyTableService,
  ReportsRepository,
  TABLE_COLUMNS,
  type PlanStats,
} from '@duban/reports';
import { ReportsApiModule } from '../../apps/api/src/reports/reports-api.module';
import { HttpErrorsFilter } from '../../apps/api/src/common/http-errors.filter';
import { registerReportCommand } from '../../apps/cli/src/commands/report.command';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import { taskQuarterActions } from '../support/task-quarter-actions';
import { DataSource } from 'typeorm';

jest.setTimeout(180_000);

const shanghaiDate = (instant: Date): string => {
  const p = shanghaiParts(instant);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

/**
 * Last year's Q1, so every first deadline has passed whatever day the suite runs. Three
 * task-quarters, set up by the office and the units through the workflow:
 * - 14.1 (社会事务局): deadline extended, submitted, approved by its head, closed by the office;
 * - 36.2 (住建水务局): deadline extended, submitted (partial), approved, returned once by the office,
 *   resubmitted and approved again: waiting for the office;
 * - 37.3 (every street office): not extended; 外海 submitted after the deadline, its head has not
 *   decided; 礼乐 and 江南 have not reported: red and overdue.
 */
describe('quarterly tables and statistics from the projection', () => {
  let stack: TestStack;
  let planId: string;
  let tables: QuarterlyTableService;
  let stats: PlanStatsService;
  const year = quarterOf(new Date()).year - 1;
  const ids = { closed: '', returned: '', overdue: '' };
  let officeApprovedAt: Date;

  const { actor } = taskQuarterActions(() => stack);

  beforeAll(async () => {
    stack = await startTestStack({ seedYear: year });
    planId = stack.planId!;
    const dataSource = stack.app.get(DataSource);
    const repository = new ReportsRepository(dataSource);
    tables = new QuarterlyTableService(repository);
    stats = new PlanStatsService(repository);

    // Start only the three task-quarters, exactly as activation would.
    const plan = await dataSource.getRepository(PlanEntity).findOneByOrFail({ id: planId });
    const inputs = (await stack.app.get(PlanActivationService).taskQuarterInputs(plan, 1)).filter(
      (i) => i.input.quarter === 1 && ['14.1', '36.2', '37.3'].includes(i.input.taskCode),
    );
    expect(inputs).toHaveLength(3);
    for (const { workflowId, input } of inputs) {
      await stack.temporal.workflow.start(WORKFLOW_TYPE, {
        workflowId,
        taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
        args: [input],
        typedSearchAttributes: [
          { key: DUBAN_PLAN, value: input.planId },
          { key: DUBAN_TASK, value: input.taskCode },
          { key: DUBAN_QUARTER, value: input.quarter },
          { key: DUBAN_STATUS, value: 'not_open' },
          { key: DUBAN_LAMP, value: 'green' },
          { key: DUBAN_UNITS, value: input.units.map((u) => u.code) },
        ],
      });
      if (input.taskCode === '14.1') ids.closed = workflowId;
      if (input.taskCode === '36.2') ids.returned = workflowId;
      if (input.taskCode === '37.3') ids.overdue = workflowId;
    }

    const office = await actor('office');
    const extended = addDays(new Date(), 30).toISOString();
    const submit = (
      unit: string,
      status: 'completed' | 'partial',
      summary: string,
      explanation?: string,
    ) =>
      actor(`${unit}.staff`).then((a) => ({
        actor: a,
        unitCode: unit,
        status,
        summary,
        explanation,
      }));
    const approve = (unit: string) =>
      actor(`${unit}.head`).then((a) => ({
        actor: a,
        unitCode: unit,
        decision: 'approve' as const,
        comment: '同意',
      }));

    const closed = stack.temporal.workflow.getHandle(ids.closed);
    await closed.executeUpdate(moveDeadlineUpdate, {
      args: [{ actor: office, deadline: extended, reason: '延期报送' }],
    });
    await closed.executeUpdate(submitReportUpdate, {
      args: [
        await submit('social-affairs', 'completed', '养老机构主体工程已完成建设，"双证"办理中'),
      ],
    });
    await closed.executeUpdate(decideAsHeadUpdate, { args: [await approve('social-affairs')] });
    await closed.executeUpdate(reviewAsOfficeUpdate, {
      args: [{ actor: office, decision: 'approve', comment: '同意办结' }],
    });

    const returned = stack.temporal.workflow.getHandle(ids.returned);
    await returned.executeUpdate(moveDeadlineUpdate, {
      args: [{ actor: office, deadline: extended, reason: '延期报送' }],
    });
    await returned.executeUpdate(submitReportUpdate, {
      args: [await submit('housing-water', 'partial', '已调整公交线路1条', '另1条待公交公司批复')],
    });
    await returned.executeUpdate(decideAsHeadUpdate, { args: [await approve('housing-water')] });
    await returned.executeUpdate(reviewAsOfficeUpdate, {
      args: [
        { actor: office, decision: 'return', comment: '请补充线路名称', units: ['housing-water'] },
      ],
    });
    await returned.executeUpdate(submitReportUpdate, {
      args: [await submit('housing-water', 'completed', '已调整公交线路2条（江海1路、江海5路）')],
    });
    await returned.executeUpdate(decideAsHeadUpdate, { args: [await approve('housing-water')] });

    const overdue = stack.temporal.workflow.getHandle(ids.overdue);
    await overdue.executeUpdate(submitReportUpdate, {
      args: [await submit('waihai', 'completed', '外海段道路维修已确定前期工作单位')],
    });

    // The projection lands asynchronously: wait for the last fact of each task-quarter.
    await eventually(
      async () => {
        const rows = await stack.sql<{ id: string; phase: string }>(
          'SELECT id, phase FROM task_quarter WHERE plan_id = $1',
          [planId],
        );
        const phase = new Map(rows.map((r) => [r.id, r.phase]));
        const [{ n }] = await stack.sql<{ n: string }>(
          `SELECT count(*) AS n FROM report_version WHERE task_quarter_id = $1`,
          [ids.overdue],
        );
        return phase.get(ids.closed) === 'closed' &&
          phase.get(ids.returned) === 'office_review' &&
          Number(n) === 1
          ? true
          : undefined;
      },
      { what: 'the three task-quarters projected' },
    );
    const [decision] = await stack.sql<{ decided_at: Date }>(
      `SELECT decided_at FROM decision WHERE task_quarter_id = $1 AND level = 'office'`,
      [ids.closed],
    );
    officeApprovedAt = decision.decided_at;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function openXlsx(body: Buffer): Promise<ExcelJS.Worksheet> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
    return workbook.worksheets[0];
  }

  /** The first row whose 本季度目标… cells belong to the task whose content starts like this. */
  function rowOf(sheet: ExcelJS.Worksheet, sequence: string, content: string): ExcelJS.Row {
    for (let r = 3; r <= sheet.rowCount; r += 1) {
      const row = sheet.getRow(r);
      if (row.getCell(1).text === sequence && row.getCell(3).text.includes(content)) return row;
    }
    throw new Error(`no row ${sequence} ${content}`);
  }

  it('writes the XLSX in the notice’s layout with the quarter’s reports, lamps and page setup', async () => {
    const file = await tables.generate(planId, 1, 'xlsx');
    expect(file.contentType).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(file.fileName).toBe(`${planId}-Q1.xlsx`);
    const sheet = await openXlsx(file.body);

    const title = sheet.getCell('A1').text;
    expect(title).toContain('十件民生实事计划');
    expect(title).toContain(`${year}年第1季度完成情况表`);
    expect(title).toMatch(/生成时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(sheet.getCell('K1').isMerged).toBe(true);

    const header = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(header).toEqual([...TABLE_COLUMNS]);

    // Category rows are section headers spanning the table, in the notice's words.
    const categories: string[] = [];
    sheet.eachRow((row, n) => {
      const value = row.getCell(1).text;
      if (n > 2 && /^（[一二三四五六七八九十]+）/.test(value)) {
        categories.push(value);
        expect(row.getCell(11).isMerged).toBe(true);
      }
    });
    expect(categories).toHaveLength(10);
    expect(categories[0]).toBe('（一）保障底线民生（共6项）');

    // Item 14's two sub-items: 序号 and 事项名称 merged over both rows, ★ kept on the item.
    const first = rowOf(sheet, '14', '（1）新增养老床位60张');
    const second = sheet.getRow(first.number + 1);
    expect(second.getCell(3).text).toContain('（2）建立居家养老服务设施长效运作机制');
    expect(second.getCell(1).isMerged).toBe(true);
    expect(second.getCell(1).master.address).toBe(first.getCell(1).address);
    expect(second.getCell(2).master.address).toBe(first.getCell(2).address);
    expect(second.getCell(3).isMerged).toBe(false);
    expect(first.getCell(2).value).toBe('★推进养老服务体系建设');
    // Item 36: only its first sub-item is city-level, so the ★ is on that sub-item.
    const bus = rowOf(sheet, '36', '新建公交站场1个');
    expect(bus.getCell(3).text).toBe('★（1）新建公交站场1个。');
    expect(bus.getCell(2).text).toBe('加快提升公交一体化水平');

    // The closed task-quarter: the unit's approved report, the decisions, a grey lamp.
    expect(first.getCell(6).value).toBe('养老机构主体工程已完成建设，"双证"办理中');
    expect(first.getCell(7).text).toBe('已办结\n已完成');
    expect(first.getCell(8).value).toBe('已办结');
    expect(first.getCell(9).value).toBe('社会事务局负责人同意：同意\n区督查室办结：同意办结');
    expect(first.getCell(10).value).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(first.getCell(11).value).toBe(0);
    expect(first.getCell(3).alignment.wrapText).toBe(true);
    expect((first.getCell(8).fill as ExcelJS.FillPattern).fgColor?.argb).toBe(LAMP_FILL.closed);

    // Returned once, resubmitted: the latest approved version, green while the office reviews.
    const returned = rowOf(sheet, '36', '完善公共交通服务线路');
    expect(returned.getCell(6).value).toBe('已调整公交线路2条（江海1路、江海5路）');
    expect(returned.getCell(9).value).toBe(
      '住建水务局负责人同意：同意\n区督查室退回（住建水务局）：请补充线路名称\n住建水务局负责人同意：同意',
    );
    expect((returned.getCell(8).fill as ExcelJS.FillPattern).fgColor?.argb).toBe(LAMP_FILL.green);

    // Overdue, three street offices, unit by unit; nothing approved yet; red.
    const overdue = rowOf(sheet, '37', '（3）');
    expect(overdue.getCell(4).value).toBe('各街道办事处');
    expect(overdue.getCell(6).value).toBe(
      '外海街道办事处：（待单位负责人审核）\n礼乐街道办事处：（未报送）\n江南街道办事处：（未报送）',
    );
    expect(overdue.getCell(8).value).toBe('红灯');
    expect((overdue.getCell(8).fill as ExcelJS.FillPattern).fgColor?.argb).toBe(LAMP_FILL.red);
    expect(overdue.getCell(11).value).toBeGreaterThan(300);

    // A task-quarter never started, and 36.1's quarter without target.
    expect(rowOf(sheet, '1', '').getCell(7).value).toBe('未启动');

    expect(sheet.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      printTitlesRow: '2:2',
    });
  });

  it('keeps only city-level items when asked: the ★ ones, with their categories', async () => {
    const sheet = await openXlsx(
      (await tables.generate(planId, 1, 'xlsx', { cityLevelOnly: true })).body,
    );
    const contents: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 2 && !row.getCell(1).text.startsWith('（'))
        contents.push(`${row.getCell(1).text} ${row.getCell(3).text}`);
    });
    expect(contents).toHaveLength(19);
    expect(contents.filter((c) => c.startsWith('36 '))).toEqual(['36 ★（1）新建公交站场1个。']);
    expect(contents.some((c) => c.startsWith('37 '))).toBe(false);
    expect(sheet.getCell('A1').text).toContain('（市民生实事）');
  });

  it('writes the CSV in UTF-8 with a BOM, the same columns, RFC 4180 quoting', async () => {
    const file = await tables.generate(planId, 1, 'csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    expect([...file.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(file.body, { bom: true, relax_column_count: false });
    expect(rows[0]).toEqual([...TABLE_COLUMNS]);
    expect(rows[1][0]).toBe('（一）保障底线民生（共6项）');
    const closed = rows.find((r) => r[0] === '14' && r[2].startsWith('（1）'));
    expect(closed?.[1]).toBe('★推进养老服务体系建设');
    expect(closed?.[5]).toBe('养老机构主体工程已完成建设，"双证"办理中');
    const overdue = rows.find((r) => r[0] === '37' && r[2].startsWith('（3）'));
    expect(overdue?.[5].split('\n')).toHaveLength(3);
    expect(overdue?.[7]).toBe('红灯');
    // 48 tasks and 10 category lines under the header.
    expect(rows).toHaveLength(1 + 10 + 48);
  });

  it('counts the scenario: by lamp, by status, per category and unit, the overdue list', async () => {
    const s: PlanStats = await stats.stats(planId, { quarter: 1 });
    expect(s.taskQuarters).toBe(3);
    expect(s.byLamp).toEqual({ green: 1, yellow: 0, red: 1, closed: 1 });
    expect(s.byStatus).toEqual({ not_open: 0, reporting: 1, office_review: 1, closed: 1 });
    const category = (n: number) => s.categories.find((c) => c.number === n);
    expect(category(9)).toMatchObject({ taskQuarters: 2, byLamp: { green: 1, red: 1 } });
    expect(category(1)?.taskQuarters).toBe(0);
    const unit = (code: string) => s.units.find((u) => u.unitCode === code);
    expect(unit('social-affairs')).toMatchObject({
      due: 1,
      submitted: 1,
      submittedOnTime: 1,
      submittedLate: 0,
      returned: 0,
      headApproved: 1,
    });
    expect(unit('social-affairs')?.averageHoursToHeadApproval).toEqual(expect.any(Number));
    expect(unit('social-affairs')?.averageHoursToOfficeApproval).toEqual(expect.any(Number));
    expect(unit('housing-water')).toMatchObject({
      due: 1,
      submitted: 1,
      submittedOnTime: 1,
      returned: 1,
      headApproved: 1,
      averageHoursToOfficeApproval: null,
    });
    expect(unit('waihai')).toMatchObject({
      due: 1,
      submitted: 1,
      submittedOnTime: 0,
      submittedLate: 1,
      missing: 0,
      headApproved: 0,
    });
    expect(unit('lile')).toMatchObject({ due: 1, submitted: 0, missing: 1 });
    expect(s.units.map((u) => u.unitCode).sort()).toEqual([
      'housing-water',
      'jiangnan',
      'lile',
      'social-affairs',
      'waihai',
    ]);
    expect(s.overdue).toHaveLength(1);
    expect(s.overdue[0]).toMatchObject({
      id: ids.overdue,
      taskCode: '37.3',
      lamp: 'red',
      phase: 'reporting',
    });
    expect(s.overdue[0].lagging).toEqual([
      { unitCode: 'waihai', unitName: '外海街道办事处', owes: 'head_approval' },
      { unitCode: 'lile', unitName: '礼乐街道办事处', owes: 'report' },
      { unitCode: 'jiangnan', unitName: '江南街道办事处', owes: 'report' },
    ]);
  });

  it('as of a moment before the office decided, does not show the decision', async () => {
    const before = new Date(officeApprovedAt.getTime() - 1);
    const options = { asOf: shanghaiDate(before), now: before };
    const s = await stats.stats(planId, { quarter: 1, ...options });
    expect(s.byStatus.closed).toBe(0);
    expect(s.byStatus.office_review).toBe(1);
    expect(s.byLamp.closed).toBe(0);

    const sheet = await openXlsx((await tables.generate(planId, 1, 'xlsx', options)).body);
    const row = rowOf(sheet, '14', '（1）');
    expect(row.getCell(6).value).toBe('养老机构主体工程已完成建设，"双证"办理中');
    expect(row.getCell(7).text.split('\n')[0]).toBe('待督查室审核');
    expect(row.getCell(9).value).toBe('社会事务局负责人同意：同意');
    expect(row.getCell(8).value).not.toBe('已办结');
    expect(sheet.getCell('A1').text).toContain('截至');

    // The day before anything happened: nothing started, nothing reported.
    const yesterday = shanghaiDate(addDays(new Date(), -1));
    const early = await stats.stats(planId, { quarter: 1, asOf: yesterday });
    expect(early.taskQuarters).toBe(0);
    const csv = parse((await tables.generate(planId, 1, 'csv', { asOf: yesterday })).body, {
      bom: true,
    });
    expect(csv.filter((r) => r[5] !== '' && r[5] !== '完成情况')).toEqual([]);
  });

  describe('over HTTP', () => {
    let app: INestApplication;
    const server = (): Server => app.getHttpServer() as Server;

    beforeAll(async () => {
      @Module({
        imports: [DatabaseModule.forRoot({ url: stack.env.DATABASE_URL }), ReportsApiModule],
      })
      class ReportsTestModule {}
      app = await NestFactory.create(ReportsTestModule, { logger: ['error'] });
      app.setGlobalPrefix('api');
      app.useGlobalPipes(
        new ValidationPipe({
          whitelist: true,
          forbidNonWhitelisted: true,
          transform: true,
          transformOptions: { enableImplicitConversion: true },
        }),
      );
      app.useGlobalFilters(new HttpErrorsFilter());
      await app.init();
    });
    afterAll(async () => {
      await app?.close();
    });

    it('serves the XLSX and the CSV with their types and a UTF-8 file name', async () => {
      const xlsx = await request(server())
        .get(`/api/reports/${planId}/quarters/1.xlsx`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml.sheet');
      expect(xlsx.headers['content-disposition']).toContain(`filename="${planId}-Q1.xlsx"`);
      expect(
        decodeURIComponent(String(xlsx.headers['content-disposition']).split("UTF-8''")[1]),
      ).toContain('第1季度完成情况表.xlsx');
      const sheet = await openXlsx(xlsx.body as Buffer);
      expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([...TABLE_COLUMNS]);

      const csv = await request(server()).get(
        `/api/reports/${planId}/quarters/1.csv?cityLevel=true`,
      );
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['content-disposition']).toContain(
        `filename="${planId}-Q1-city-level.csv"`,
      );
      const rows = parse(csv.text, { bom: true });
      expect(rows.filter((r) => /^\d+$/.test(r[0]))).toHaveLength(19);
    });

    it('answers the statistics and refuses bad input', async () => {
      const res = await request(server()).get(`/api/plans/${planId}/stats?quarter=1`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        planId,
        quarter: 1,
        taskQuarters: 3,
        byLamp: { red: 1, closed: 1, green: 1 },
      });

      const bad = await Promise.all([
        request(server()).get(`/api/plans/${planId}/stats?quarter=5`),
        request(server()).get(`/api/plans/${planId}/stats?asOf=2017-02-30`),
        request(server()).get(`/api/plans/${planId}/stats?asOf=yesterday`),
        request(server()).get(`/api/plans/${planId}/stats?cityLevel=maybe`),
        request(server()).get(`/api/plans/${planId}/stats?category=0`),
        request(server()).get(`/api/reports/${planId}/quarters/5.xlsx`),
        request(server()).get(`/api/reports/${planId}/quarters/1.csv?cityLevel=maybe`),
        request(server()).get(`/api/reports/${planId}/quarters/1.csv?extra=1`),
      ]);
      expect(bad.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400, 400, 400]);
      const missing = await request(server()).get('/api/reports/no-such-plan/quarters/1.csv');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });
  });

  describe('bin/duban report', () => {
    let dir: string;
    const saved = { ...process.env };

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'duban-report-'));
      Object.assign(process.env, {
        DATABASE_URL: stack.env.DATABASE_URL,
        TEMPORAL_TASK_QUEUE: stack.env.TEMPORAL_TASK_QUEUE,
        DISTRICT_CODE: stack.env.DISTRICT_CODE,
      });
    });
    afterAll(() => {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    });

    const program = (): Command => {
      const p = new Command('duban').exitOverride().configureOutput({ writeErr: () => undefined });
      registerReportCommand(p);
      return p;
    };

    it('writes the table to the file', async () => {
      const out = join(dir, 'q1.csv');
      const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        await program().parseAsync(
          ['report', planId, '--quarter', '1', '--format', 'csv', '--out', out, '--city-level'],
          {
            from: 'user',
          },
        );
      } finally {
        write.mockRestore();
      }
      const rows = parse(readFileSync(out), { bom: true });
      expect(rows[0]).toEqual([...TABLE_COLUMNS]);
      expect(rows.filter((r) => /^\d+$/.test(r[0]))).toHaveLength(19);
    });

    it('refuses bad input as a usage error', async () => {
      for (const args of [
        ['--quarter', '5', '--format', 'csv'],
        ['--quarter', '1', '--format', 'pdf'],
        ['--quarter', '1', '--format', 'csv', '--as-of', '2017-02-30'],
      ]) {
        await expect(
          program().parseAsync(['report', planId, ...args, '--out', join(dir, 'x')], {
            from: 'user',
          }),
        ).rejects.toBeInstanceOf(CommanderError);
      }
    });
  });
});

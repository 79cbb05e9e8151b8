import { readFileSync } from 'node:fs';
import { encode } from 'iconv-lite';
import { DomainError } from '@duban/errors';
import { PlanImportService } from '@duban/plans';
import { SEED_PLAN_PATH, startTestStack, type TestStack } from '../support/stack';

jest.setTimeout(60_000);

describe('importing the seed plan into real Postgres', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const count = async (table: string): Promise<number> =>
    Number((await stack.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('stores one plan however often the same document is imported, in either encoding', async () => {
    const importer = stack.app.get(PlanImportService);
    const utf8 = readFileSync(SEED_PLAN_PATH);
    const first = await importer.importDocument(utf8);
    expect(first.created).toBe(true);
    expect(first.plan.id).toBe(`2017-${stack.env.DISTRICT_CODE}`);
    const again = await importer.importDocument(utf8);
    expect(again.created).toBe(false);
    const gb = await importer.importDocument(encode(utf8.toString('utf8'), 'gb18030'));
    expect(gb.created).toBe(false);

    expect(await count('plan')).toBe(1);
    expect(await count('category')).toBe(10);
    expect(await count('task')).toBe(48);
    const [plan] = await stack.sql<{ issued_on: string; year: number }>(
      "SELECT to_char(issued_on, 'YYYY-MM-DD') AS issued_on, year FROM plan",
    );
    expect(plan).toEqual({ issued_on: '2017-02-28', year: 2017 });
  });

  it('expands collectives and keeps the lead unit', async () => {
    const rows = await stack.sql<{
      code: string;
      unit_code: string;
      role: string;
      written_as: string;
    }>(
      `SELECT t.code, r.unit_code, r.role, r.written_as FROM task_responsibility r
         JOIN task t ON t.id = r.task_id WHERE t.code IN ('37.3', '36.1') ORDER BY t.code, r.position`,
    );
    expect(rows.filter((r) => r.code === '37.3')).toEqual([
      { code: '37.3', unit_code: 'waihai', role: 'co', written_as: '各街道办事处' },
      { code: '37.3', unit_code: 'lile', role: 'co', written_as: '各街道办事处' },
      { code: '37.3', unit_code: 'jiangnan', role: 'co', written_as: '各街道办事处' },
    ]);
    expect(rows.filter((r) => r.code === '36.1')).toEqual([
      { code: '36.1', unit_code: 'housing-water', role: 'lead', written_as: '住建水务局' },
    ]);
    const targets = await stack.sql<{
      quarter: number;
      text: string | null;
      inferred: boolean;
      span: number[];
    }>(
      `SELECT q.quarter, q.text, q.inferred, q.span FROM quarterly_target q
         JOIN task t ON t.id = q.task_id WHERE t.code = '36.1' ORDER BY q.quarter`,
    );
    expect(targets.map((t) => [t.quarter, t.text === null, t.inferred, t.span])).toEqual([
      [1, false, false, [1]],
      [2, false, false, [2]],
      [3, true, true, [3, 4]],
      [4, true, true, [3, 4]],
    ]);
  });

  it('stores a separate plan for another year with every date moved', async () => {
    const importer = stack.app.get(PlanImportService);
    const { plan, created } = await importer.importDocument(readFileSync(SEED_PLAN_PATH), 2027);
    expect(created).toBe(true);
    expect(plan.id).toBe(`2027-${stack.env.DISTRICT_CODE}`);
    expect(plan.issuedOn).toBe('2027-02-28');
    expect(plan.title).toContain('2027');
    expect(await count('plan')).toBe(2);
    expect(await count('task')).toBe(96);
  });

  it('refuses a malformed document whole, naming the line, and stores nothing', async () => {
    const importer = stack.app.get(PlanImportService);
    const broken = readFileSync(SEED_PLAN_PATH, 'utf8').replace('（共6项）', '（共7项）');
    const error = await importer.importDocument(broken, 2030).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('PLAN_PARSE_ERROR');
    expect((error as DomainError).message).toMatch(/^line \d+: /);
    expect(await count('plan')).toBe(2);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as iconv from 'iconv-lite';
import { parsePlanDocument, targetForQuarter } from './index';

// A small notice of its own: no `附件：` line, units split by 、, a `/` among four cells.
const MINIMAL = join(__dirname, '../../../test/fixtures/plan/minimal-plan.txt');

describe('parsePlanDocument on a minimal notice', () => {
  const text = readFileSync(MINIMAL, 'utf8');
  const plan = parsePlanDocument(text);

  it('reads a header whose body ends at the indented issuers', () => {
    expect(plan).toMatchObject({
      docNumber: '示例〔2018〕7号',
      title: '2018年示例区民生实事计划',
      year: 2018,
      issuedOn: '2018-12-03',
      issuers: ['示例区人民政府'],
      reportTo: '区督查室',
      addressees: ['各街道办事处'],
    });
  });

  it('reads units split by 、 and a / cell among four as one quarter without target', () => {
    const [road] = plan.tasks;
    expect(road).toMatchObject({
      code: '1',
      units: ['住建水务局', '财政局'],
      leadUnit: '住建水务局',
    });
    expect(road.targets[1]).toEqual({ quarters: [2], text: null, inferred: false });
    expect(targetForQuarter(road, 2)).toBeNull();
    expect(targetForQuarter(road, 3)?.text).toBe('施工。');
  });

  it('codes the rows of a starred item 2.1 and 2.2, both city-level', () => {
    expect(plan.tasks.map((t) => [t.code, t.cityLevel, t.goal, t.leadUnit])).toEqual([
      ['1', false, '改造道路1条。', '住建水务局'],
      ['2.1', true, '新建公园1个。', null],
      ['2.2', true, '改建公园2个。', '住建水务局'],
    ]);
    expect(plan.tasks[2].targets).toEqual([
      { quarters: [1, 2, 3, 4], text: '完成改建。', inferred: true },
    ]);
  });

  it('reads the GB18030 encoding of the same notice identically', () => {
    expect(parsePlanDocument(iconv.encode(text, 'gb18030'))).toEqual(plan);
  });
});

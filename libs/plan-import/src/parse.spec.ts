import * as iconv from 'iconv-lite';
import { parsePlanDocument, targetForQuarter, type ParsedPlan, type ParsedTask } from './index';
import { seedBytes, seedText } from './seed.fixture';

describe('parsePlanDocument on the 2017 Jianghai seed notice', () => {
  let plan: ParsedPlan;
  const task = (code: string): ParsedTask => {
    const found = plan.tasks.find((t) => t.code === code);
    if (found === undefined) throw new Error(`no task ${code}`);
    return found;
  };

  beforeAll(() => {
    plan = parsePlanDocument(seedBytes());
  });

  it('reads the header fields', () => {
    expect(plan.docNumber).toBe('江开发〔2017〕2号');
    expect(plan.title).toBe('2017年高新区（江海区）十件民生实事计划');
    expect(plan.year).toBe(2017);
    expect(plan.issuedOn).toBe('2017-02-28');
    expect(plan.issuers).toEqual(['江门高新技术产业开发区管理委员会', '江门市江海区人民政府']);
    expect(plan.reportTo).toBe('区督查室');
    expect(plan.addressees).toEqual(['各街道办事处', '区直各单位']);
    expect(plan.noticeTitle).toBe('关于印发2017年高新区（江海区）十件民生实事计划的通知');
    expect(plan.body).toMatch(
      /^《2017年高新区（江海区）十件民生实事计划》.*将完成情况报区督查室。$/,
    );
  });

  it('keeps the contract fields first, in the order of the design', () => {
    expect(Object.keys(plan).slice(0, 8)).toEqual([
      'docNumber',
      'title',
      'year',
      'issuedOn',
      'issuers',
      'reportTo',
      'categories',
      'tasks',
    ]);
    expect(Object.keys(plan.categories[0]).slice(0, 3)).toEqual([
      'number',
      'title',
      'declaredCount',
    ]);
  });

  it('finds 10 categories whose declared counts match their items', () => {
    expect(plan.categories.map((c) => [c.number, c.title, c.declaredCount])).toEqual([
      [1, '保障底线民生', 6],
      [2, '统筹精准扶贫', 4],
      [3, '提升基层服务', 7],
      [4, '发展优质教育', 7],
      [5, '促进就业创业', 2],
      [6, '建设“健康高新（江海）”', 4],
      [7, '加强环境整治', 3],
      [8, '建设公园城市', 2],
      [9, '改善交通环境', 5],
      [10, '加大安全保障', 4],
    ]);
    for (const category of plan.categories) {
      expect(category.items).toHaveLength(category.declaredCount);
    }
    expect(plan.categories[8].items).toEqual([36, 37, 38, 39, 40]);
  });

  it('finds 44 items numbered 1 to 44, item 7 despite its trailing full-width space', () => {
    expect(plan.items.map((i) => i.number)).toEqual(Array.from({ length: 44 }, (_, i) => i + 1));
    expect(plan.items[6]).toMatchObject({ number: 7, name: '城乡精准扶贫', category: 2 });
    expect(new Set(plan.tasks.map((t) => t.item)).size).toBe(44);
  });

  it('finds 48 tasks: items 14, 36 and 37 have 2, 2 and 3 rows', () => {
    expect(plan.tasks).toHaveLength(48);
    const multiRow = plan.items.filter((i) => i.taskCodes.length > 1);
    expect(multiRow.map((i) => [i.number, i.taskCodes])).toEqual([
      [14, ['14.1', '14.2']],
      [36, ['36.1', '36.2']],
      [37, ['37.1', '37.2', '37.3']],
    ]);
    expect(plan.tasks.map((t) => t.code).slice(12, 16)).toEqual(['13', '14.1', '14.2', '15']);
  });

  it('marks 19 tasks city-level: ★ on a name marks the item, ★（n） only that sub-item', () => {
    expect(plan.tasks.filter((t) => t.cityLevel).map((t) => t.code)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '10',
      '14.1',
      '14.2',
      '15',
      '17',
      '18',
      '30',
      '31',
      '34',
      '35',
      '36.1',
      '43',
      '44',
    ]);
    expect(task('36.2').cityLevel).toBe(false);
    expect(plan.items.find((i) => i.number === 36)?.cityLevel).toBe(false);
    expect(task('1').name).toBe('提高全区人均城乡最低生活保障标准');
  });

  it('finds 23 distinct unit names, as written and in order of first appearance', () => {
    expect(plan.unitNames).toEqual([
      '社会事务局',
      '财政局',
      '各街道办事处',
      '残联',
      '扶贫办',
      '卫生计生局',
      '教育局',
      '团区委',
      '妇联',
      '慈善会',
      '政法委',
      '总工会',
      '文化广电体育局',
      '住建水务局',
      '国土环保局',
      '规划分局',
      '外海街道办事处',
      '礼乐街道办事处',
      '江南街道办事处',
      '组织部',
      '发改统计局',
      '公安分局',
      '综治办',
    ]);
  });

  it('splits units over continuation lines with or without blank lines between them', () => {
    expect(task('7').units).toEqual([
      '扶贫办',
      '社会事务局',
      '财政局',
      '卫生计生局',
      '教育局',
      '各街道办事处',
    ]);
    expect(task('7').leadUnit).toBe('扶贫办');
    expect(task('7').coUnits).toEqual([
      '社会事务局',
      '财政局',
      '卫生计生局',
      '教育局',
      '各街道办事处',
    ]);
    // 住建水务局 on the tab line, 外海街道办事处 continuing it on the very next line.
    expect(task('31').units).toEqual(['住建水务局', '外海街道办事处', '礼乐街道办事处']);
  });

  it('keeps both the 1.… and 2.… parts of item 10’s Q2 target', () => {
    expect(targetForQuarter(task('10'), 2)).toEqual({
      quarters: [2],
      text: '1.对新建或已建社区康园中心配套运营经费。\n2.确定符合条件的扶持对象、扶持项目及扶持资金。',
      inferred: false,
    });
  });

  it('reads item 29 as one task, its inline （1）…（4） kept in the goal', () => {
    expect(plan.items.find((i) => i.number === 29)?.taskCodes).toEqual(['29']);
    expect(task('29').goal).toMatch(/^（1）改革公立医院的补偿机制。（2）.*（4）/);
  });

  it('reads task 36.1 exactly as the design shows it', () => {
    const expected = {
      code: '36.1',
      item: 36,
      category: 9,
      name: '加快提升公交一体化水平',
      goal: '新建公交站场1个。',
      cityLevel: true,
      units: ['住建水务局'],
      leadUnit: '住建水务局',
      targets: [
        { quarters: [1], text: '完成场地平整。', inferred: false },
        { quarters: [2], text: '完成基础设施建设并交付使用。', inferred: false },
        { quarters: [3, 4], text: null, inferred: true },
      ],
      coUnits: [],
      line: 462,
    };
    expect(JSON.parse(JSON.stringify(task('36.1')))).toStrictEqual(expected);
    expect(Object.keys(task('36.1'))).toEqual(Object.keys(expected));
    expect(Object.keys(task('36.1').targets[0])).toEqual(['quarters', 'text', 'inferred']);
  });

  it('gives task 36.1 no target in Q3 and Q4, and 36.2 a target in every quarter', () => {
    expect(targetForQuarter(task('36.1'), 1)?.text).toBe('完成场地平整。');
    expect(targetForQuarter(task('36.1'), 3)).toBeNull();
    expect(targetForQuarter(task('36.1'), 4)).toBeNull();
    expect(task('36.2')).toMatchObject({ code: '36.2', goal: '完善公共交通服务线路。', line: 470 });
    expect(
      [1, 2, 3, 4].map((q) => targetForQuarter(task('36.2'), q as 1 | 2 | 3 | 4)?.text),
    ).toEqual([
      '调整公交线路2条。',
      '新开或调整公交线路2条。',
      '新开公交线路2条。',
      '新开公交线路2条。',
    ]);
  });

  it('strips the （n） of a multi-row item’s goals', () => {
    expect(task('14.1').goal).toBe('新增养老床位60张。');
    expect(task('14.2').goal).toBe('建立居家养老服务设施长效运作机制。');
    expect(task('37.3').goal).toBe('完成街道属地村道和坑洼路面及路灯改造、维修清疏下水道。');
  });

  it('gives task 37.3, whose only unit is a collective, no single lead', () => {
    expect(task('37.3')).toMatchObject({ units: ['各街道办事处'], leadUnit: null, coUnits: [] });
    expect(task('37.1')).toMatchObject({
      units: ['住建水务局', '各街道办事处'],
      leadUnit: '住建水务局',
      coUnits: ['各街道办事处'],
    });
  });

  it('spreads one target cell over Q1–Q4 (item 3) and two over Q1, Q2–Q4 (item 27), inferred', () => {
    expect(task('3').targets).toEqual([
      {
        quarters: [1, 2, 3, 4],
        text: '做好提标资金测算，按照提标后的新标准发放待遇。',
        inferred: true,
      },
    ]);
    expect(task('27').targets).toEqual([
      { quarters: [1], text: '启动项目。', inferred: false },
      { quarters: [2, 3, 4], text: '实施并完成项目年度目标。', inferred: true },
    ]);
    expect(targetForQuarter(task('27'), 3)).toBe(task('27').targets[1]);
    expect(targetForQuarter(task('3'), 4)?.quarters).toEqual([1, 2, 3, 4]);
  });

  it('spreads three target cells over Q1, Q2, Q3–Q4 (item 41)', () => {
    expect(task('41').targets.map((t) => [t.quarters, t.inferred])).toEqual([
      [[1], false],
      [[2], false],
      [[3, 4], true],
    ]);
  });

  it('covers every quarter exactly once for every task', () => {
    for (const t of plan.tasks) {
      expect(t.targets.flatMap((target) => target.quarters)).toEqual([1, 2, 3, 4]);
    }
  });

  it('parses a string, a BOM, CRLF line ends and GB18030 bytes to the identical plan', () => {
    const expected = JSON.stringify(plan);
    const text = seedText();
    expect(JSON.stringify(parsePlanDocument(text))).toBe(expected);
    expect(JSON.stringify(parsePlanDocument(`\uFEFF${text}`))).toBe(expected);
    expect(JSON.stringify(parsePlanDocument(Buffer.from(`\uFEFF${text}`, 'utf8')))).toBe(expected);
    expect(JSON.stringify(parsePlanDocument(Buffer.from(text.replace(/\n/g, '\r\n'))))).toBe(
      expected,
    );

    const gb18030 = iconv.encode(text, 'gb18030');
    // Make sure the test really feeds GB18030, not UTF-8 bytes.
    expect(gb18030.equals(seedBytes())).toBe(false);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gb18030)).toThrow();
    expect(JSON.stringify(parsePlanDocument(gb18030))).toBe(expected);
  });
});

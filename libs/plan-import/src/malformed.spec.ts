import * as iconv from 'iconv-lite';
import { parsePlanDocument, PlanParseError } from './index';
import { deleteSeedLines, editSeed, seedText } from './seed.fixture';

/** Parses and returns the PlanParseError it must throw (failing the test on anything else). */
function parseError(input: Buffer | string): PlanParseError {
  try {
    parsePlanDocument(input);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanParseError);
    const planError = error as PlanParseError;
    expect(planError.code).toBe('PLAN_PARSE_ERROR');
    expect(planError.message).toMatch(
      planError.line === null ? /^(?!line )/ : new RegExp(`^line ${planError.line}: `),
    );
    return planError;
  }
  throw new Error('expected a PlanParseError, but the document parsed');
}

describe('parsePlanDocument refuses malformed notices', () => {
  it('names the category row whose declared count does not match its items', () => {
    const error = parseError(
      editSeed({
        line: 31,
        was: '\t（一）保障底线民生（共6项）',
        becomes: ['\t（一）保障底线民生（共7项）'],
      }),
    );
    expect(error.line).toBe(31);
    expect(error.message).toBe(
      'line 31: category （1）保障底线民生 declares 7 items (共7项) but lists 6',
    );
  });

  it('names the first cell when the table header is missing', () => {
    const error = parseError(deleteSeedLines(22, 29, '\t序号', '\t四季度目标'));
    // The category row of seed line 31 moves up to line 23.
    expect(error.line).toBe(23);
    expect(error.message).toMatch(
      /expected the table header \(序号 事项名称 .* 四季度目标\), found '（一）保障底线民生（共6项）'/,
    );
  });

  it('names a wrong table header cell', () => {
    const error = parseError(editSeed({ line: 25, was: '\t责任部门', becomes: ['\t责任单位'] }));
    expect(error.line).toBe(25);
    expect(error.message).toContain("expected the table header cell '责任部门', found '责任单位'");
  });

  it('names an item row that has units but no target cells', () => {
    const error = parseError(
      deleteSeedLines(
        83,
        85,
        '\t做好孤儿供养资金测算。',
        '\t完成孤儿供养金提标工作。按提标后的新标准按时足额发放孤儿供养金。',
      ),
    );
    expect(error.line).toBe(77);
    expect(error.message).toBe(
      'line 77: item 5 has no quarterly target cells: expected 1–4 after the responsible units',
    );
  });

  it('names an item row truncated after its goal', () => {
    const error = parseError(
      deleteSeedLines(
        80,
        85,
        '\t社会事务局',
        '\t完成孤儿供养金提标工作。按提标后的新标准按时足额发放孤儿供养金。',
      ),
    );
    expect(error.line).toBe(77);
    expect(error.message).toMatch(
      /^line 77: item 5 ends after its goal: expected the responsible units/,
    );
  });

  it('names an item row truncated after its name', () => {
    const error = parseError(
      deleteSeedLines(
        79,
        85,
        '\t提高孤儿供养标准：集中供养1540元/人/月、分散供养900元/人/月。',
        '\t完成孤儿供养金提标工作。按提标后的新标准按时足额发放孤儿供养金。',
      ),
    );
    expect(error.line).toBe(77);
    expect(error.message).toMatch(/^line 77: item 5 ends before its goal/);
  });

  it('names the empty units cell of a task with no unit', () => {
    const error = parseError(
      editSeed(
        { line: 80, was: '\t社会事务局', becomes: ['\t'] },
        { line: 81, was: '', becomes: [] },
        { line: 82, was: '财政局', becomes: [] },
      ),
    );
    expect(error.line).toBe(80);
    expect(error.message).toBe(
      'line 80: task 5 has no responsible unit: expected at least one unit in its 责任部门 cell',
    );
  });

  it('names the empty units cell of a sub-item with no unit', () => {
    const error = parseError(editSeed({ line: 502, was: '\t各街道办事处', becomes: ['\t'] }));
    expect(error.line).toBe(502);
    expect(error.message).toMatch(/^line 502: task 37\.3 has no responsible unit/);
  });

  it('names the last line when the closing note is missing', () => {
    const error = parseError(
      editSeed({ line: 581, was: '\t注：标有★的事项是市民生实事内容。', becomes: [] }),
    );
    expect(error.line).toBe(579);
    expect(error.message).toBe(
      "line 579: the table ends without the closing note '注：标有★的事项是市民生实事内容。'",
    );
  });

  it('names content after the closing note', () => {
    // The seed ends with a line holding one space (582), so the extra cell lands on line 583.
    const error = parseError(`${seedText()}\n\t45\n`);
    expect(error.line).toBe(583);
    expect(error.message).toContain("expected nothing after the closing note, found '45'");
  });

  it('names an item out of sequence', () => {
    const error = parseError(editSeed({ line: 115, was: '\t8', becomes: ['\t9'] }));
    expect(error.line).toBe(115);
    expect(error.message).toBe('line 115: expected item 8, found item 9');
  });

  it('names a row with more than four target cells', () => {
    const error = parseError(
      editSeed({
        line: 113,
        was: '\t实施助医帮扶、危房改造帮扶，做好贫困户的收入数据排摸，落实脱贫考核指标任务。',
        becomes: ['\t甲。', '\t乙。'],
      }),
    );
    expect(error.line).toBe(114);
    expect(error.message).toMatch(
      /^line 114: item 7 has more than 4 quarterly target cells: found '乙。'/,
    );
  });

  it('names a sub-item whose goal is not numbered in order', () => {
    const error = parseError(
      editSeed({
        line: 492,
        was: '\t（2）完成高新工业园区、行政小区及旧城区坑洼路面及路灯改造、维修清疏下水道。',
        becomes: ['\t（3）完成高新工业园区。'],
      }),
    );
    expect(error.line).toBe(492);
    expect(error.message).toMatch(
      /^line 492: expected the goal of sub-item 2 of item 37 to start with （2）/,
    );
  });

  it('names a header without a document number', () => {
    const error = parseError(
      editSeed({ line: 5, was: '江开发〔2017〕2号', becomes: ['江开发2017年2号'] }),
    );
    expect(error.line).toBe(5);
    expect(error.message).toMatch(/expected the document number \(like 江开发〔2017〕2号\) first/);
  });

  it('names an issue date that is not a calendar date', () => {
    const error = parseError(
      editSeed({
        line: 18,
        was: '                         2017年2月28日',
        becomes: ['2017年2月30日'],
      }),
    );
    expect(error.line).toBe(18);
    expect(error.message).toBe("line 18: '2017年2月30日' is not a calendar date");
  });

  it('refuses binary garbage without a line', () => {
    // A PNG signature and deterministic pseudo-random bytes: garbage that is the same every run.
    let state = 42;
    const noise = Array.from({ length: 2048 }, () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state >>> 16;
    });
    const error = parseError(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...noise]),
    );
    expect(error.line).toBeNull();
    expect(error.message).toMatch(/UTF-8 or GB18030/);
  });

  it('refuses a document of control characters that happens to decode', () => {
    const error = parseError(Buffer.from([0x01, 0x02, 0x03, 0x41, 0x0a]));
    expect(error.line).toBeNull();
    expect(error.message).toContain('U+0001');
  });

  it('refuses GB18030 bytes broken mid-character', () => {
    const gb18030 = iconv.encode(seedText(), 'gb18030');
    const broken = Buffer.concat([
      gb18030.subarray(0, 200),
      Buffer.from([0x81, 0x0a]),
      gb18030.subarray(200),
    ]);
    expect(parseError(broken).message).toMatch(/neither UTF-8 nor GB18030/);
  });

  it.each([
    ['no bytes', Buffer.alloc(0)],
    ['an empty string', ''],
    ['only blank lines', '\n\n   \n\u3000\n'],
    ['only a BOM', Buffer.from([0xef, 0xbb, 0xbf])],
  ])('refuses an empty document (%s)', (_, input) => {
    const error = parseError(input);
    expect(error.line).toBeNull();
    expect(error.message).toMatch(/^the document is empty/);
  });

  it.each([
    [
      'UTF-16LE with BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seedText(), 'utf16le')]),
    ],
    [
      'UTF-16BE with BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(seedText(), 'utf16le').swap16()]),
    ],
    ['UTF-16LE without BOM', Buffer.from(seedText(), 'utf16le')],
  ])('refuses %s', (_, input) => {
    const error = parseError(input);
    expect(error.line).toBeNull();
    expect(error.message).toMatch(/^the document is UTF-16, which is not supported/);
  });
});

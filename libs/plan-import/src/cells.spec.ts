import { splitIntoCells } from './cells';

describe('splitIntoCells', () => {
  it('starts a cell at each tab-led line and continues it with the lines below', () => {
    const { header, cells, lastLine } = splitIntoCells(
      [
        '标题',
        '',
        '\t社会事务局',
        '',
        '财政局',
        '教育局',
        '\t',
        '\t1.甲。',
        '',
        '2.乙。 ',
        '',
        '',
      ].join('\n'),
    );
    expect(header).toEqual([
      { line: 1, text: '标题' },
      { line: 2, text: '' },
    ]);
    expect(cells).toEqual([
      { line: 3, lines: ['社会事务局', '财政局', '教育局'], text: '社会事务局\n财政局\n教育局' },
      { line: 7, lines: [], text: '' },
      { line: 8, lines: ['1.甲。', '2.乙。'], text: '1.甲。\n2.乙。' },
    ]);
    expect(lastLine).toBe(10);
  });

  it('trims full-width spaces that trail a cell', () => {
    expect(splitIntoCells('\t7\u3000').cells[0].text).toBe('7');
  });
});

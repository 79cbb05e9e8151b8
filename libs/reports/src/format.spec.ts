import { parse } from 'csv-parse/sync';
import {
  average,
  categoryHeading,
  chineseNumeral,
  contentDisposition,
  csvField,
  formatMinute,
  hoursBetween,
  overdueDays,
  toCsv,
} from './format';

describe('report formatting', () => {
  it('writes category numbers as the notice does', () => {
    expect([1, 9, 10, 11, 14, 20, 23].map(chineseNumeral)).toEqual([
      '一',
      '九',
      '十',
      '十一',
      '十四',
      '二十',
      '二十三',
    ]);
    expect(categoryHeading({ number: 1, title: '保障底线民生', declaredCount: 6 })).toBe(
      '（一）保障底线民生（共6项）',
    );
    expect(() => chineseNumeral(100)).toThrow(RangeError);
  });

  it('writes times in Shanghai', () => {
    expect(formatMinute(new Date('2017-03-31T15:59:00Z'))).toBe('2017-03-31 23:59');
    expect(formatMinute(new Date('2017-03-31T16:00:00Z'))).toBe('2017-04-01 00:00');
  });

  it('counts overdue days from the deadline, every started day', () => {
    const deadline = new Date('2017-03-31T16:00:00Z'); // 2017-04-01 00:00 Shanghai
    expect(overdueDays(deadline, new Date('2017-03-31T15:00:00Z'), false)).toBeNull();
    expect(overdueDays(deadline, new Date('2017-03-31T15:00:00Z'), true)).toBe(0);
    expect(overdueDays(deadline, new Date('2017-04-01T01:00:00Z'), false)).toBe(1);
    expect(overdueDays(deadline, new Date('2017-04-03T16:00:00Z'), false)).toBe(3);
    expect(overdueDays(deadline, new Date('2017-04-03T16:00:01Z'), true)).toBe(4);
  });

  it('averages hours to a tenth', () => {
    expect(hoursBetween(new Date('2017-01-01T00:00:00Z'), new Date('2017-01-01T01:30:00Z'))).toBe(
      1.5,
    );
    expect(average([1, 2, 4])).toBe(2.3);
    expect(average([])).toBeNull();
  });

  it('quotes CSV fields per RFC 4180 and round-trips Chinese text with a BOM', () => {
    expect(csvField('外海街道办事处')).toBe('外海街道办事处');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('他说"好"')).toBe('"他说""好"""');
    expect(csvField('一\n二')).toBe('"一\n二"');
    expect(csvField(null)).toBe('');
    const rows = [
      ['序号', '事项名称'],
      ['14', '★推进养老服务体系建设，"居家"\n第二行'],
    ];
    const buffer = toCsv(rows);
    expect([...buffer.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parse(buffer, { bom: true })).toEqual(rows);
  });

  it('names the download in ASCII and in UTF-8', () => {
    const header = contentDisposition('2017-jianghai-Q1.xlsx', '民生实事 第1季度(★).xlsx');
    expect(header).toBe(
      `attachment; filename="2017-jianghai-Q1.xlsx"; filename*=UTF-8''${encodeURIComponent('民生实事 第1季度')}%28${encodeURIComponent('★')}%29.xlsx`,
    );
    expect(decodeURIComponent(header.split("UTF-8''")[1])).toBe('民生实事 第1季度(★).xlsx');
  });
});

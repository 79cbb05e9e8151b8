import {
  formatShanghaiIso,
  formatShanghaiZh,
  parseInstant,
  quarterOf,
  quarterOpensAt,
  reportingDeadline,
} from './time';

describe('quarters in Asia/Shanghai', () => {
  it('opens Q1 2017 at 00:00 on 1 January Shanghai time (16:00 UTC the day before)', () => {
    expect(quarterOpensAt(2017, 1).toISOString()).toBe('2016-12-31T16:00:00.000Z');
    expect(formatShanghaiIso(quarterOpensAt(2017, 1))).toBe('2017-01-01T00:00:00+08:00');
  });

  it.each([
    [1, '2017-03-31T16:00:00.000Z', '2017-04-01T00:00:00+08:00'],
    [2, '2017-06-30T16:00:00.000Z', '2017-07-01T00:00:00+08:00'],
    [3, '2017-09-30T16:00:00.000Z', '2017-10-01T00:00:00+08:00'],
    [4, '2017-12-31T16:00:00.000Z', '2018-01-01T00:00:00+08:00'],
  ] as const)('puts the Q%i 2017 deadline at %s', (quarter, utc, shanghai) => {
    const deadline = reportingDeadline(2017, quarter);
    expect(deadline.toISOString()).toBe(utc);
    expect(formatShanghaiIso(deadline)).toBe(shanghai);
  });

  it('puts the Q4 deadline in the next year and the next quarter opening at the deadline', () => {
    expect(reportingDeadline(2017, 4).getTime()).toBe(quarterOpensAt(2018, 1).getTime());
    expect(reportingDeadline(2017, 2).getTime()).toBe(quarterOpensAt(2017, 3).getTime());
    expect(formatShanghaiZh(reportingDeadline(2017, 4))).toBe('2018年1月1日 00:00');
  });

  it('places instants either side of the Shanghai midnight in the right quarter', () => {
    expect(quarterOf(new Date('2017-03-31T15:59:59.999Z'))).toEqual({ year: 2017, quarter: 1 });
    expect(quarterOf(new Date('2017-03-31T16:00:00.000Z'))).toEqual({ year: 2017, quarter: 2 });
    expect(quarterOf(new Date('2017-12-31T16:00:00.000Z'))).toEqual({ year: 2018, quarter: 1 });
  });

  it('rejects quarters that do not exist', () => {
    expect(() => reportingDeadline(2017, 5 as 1)).toThrow(RangeError);
  });

  it('parses only ISO instants that carry a zone', () => {
    expect(parseInstant('2017-07-08T00:00:00+08:00')?.toISOString()).toBe(
      '2017-07-07T16:00:00.000Z',
    );
    expect(parseInstant('2017-07-08')).toBeNull();
    expect(parseInstant('2017-02-30T00:00:00Z')?.toISOString()).toBe('2017-03-02T00:00:00.000Z');
    expect(parseInstant('tomorrow')).toBeNull();
    expect(parseInstant(42)).toBeNull();
  });
});

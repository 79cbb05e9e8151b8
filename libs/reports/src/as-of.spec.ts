import { DomainError } from '@duban/errors';
import { asOfCutoff, reportMoment } from './as-of';

describe('asOf', () => {
  it('is the end of the Shanghai day: 00:00+08:00 of the next day', () => {
    expect(asOfCutoff('2017-04-03').toISOString()).toBe('2017-04-03T16:00:00.000Z');
    expect(asOfCutoff('2017-12-31').toISOString()).toBe('2017-12-31T16:00:00.000Z');
    expect(asOfCutoff('2017-02-28').toISOString()).toBe('2017-02-28T16:00:00.000Z');
  });

  it('refuses what is not a calendar day', () => {
    for (const bad of ['2017-02-30', '2017-4-3', '2017-04-03T00:00', 'yesterday', '2017-13-01']) {
      expect(() => asOfCutoff(bad)).toThrow(DomainError);
    }
  });

  it('looks from now when absent, and never from the future', () => {
    const now = new Date('2017-04-03T02:00:00Z');
    expect(reportMoment(undefined, now)).toEqual({ asOf: null, cutoff: now, live: true });
    expect(reportMoment('2017-04-03', now)).toEqual({
      asOf: '2017-04-03',
      cutoff: now,
      live: false,
    });
    expect(reportMoment('2017-04-01', now).cutoff.toISOString()).toBe('2017-04-01T16:00:00.000Z');
  });
});

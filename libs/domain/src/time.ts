import type { QuarterNumber } from '@duban/contracts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
export const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

export function addDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * DAY_MS);
}

/** Midnight at the start of the given Shanghai calendar day, as an instant. */
export function shanghaiMidnight(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS);
}

/** The Shanghai wall-clock fields of an instant. */
export function shanghaiParts(instant: Date): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
} {
  const wall = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2017-04-01T00:00:00+08:00`: the instant written in Shanghai time. */
export function formatShanghaiIso(instant: Date | string): string {
  const p = shanghaiParts(toDate(instant));
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}+08:00`;
}

/** `2017年4月1日 00:00`, for zh-CN notices. */
export function formatShanghaiZh(instant: Date | string): string {
  const p = shanghaiParts(toDate(instant));
  return `${p.year}年${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`;
}

/** The first day of the quarter, 00:00 Asia/Shanghai: when reporting opens. */
export function quarterOpensAt(year: number, quarter: QuarterNumber): Date {
  assertQuarter(year, quarter);
  return shanghaiMidnight(year, 3 * (quarter - 1) + 1, 1);
}

/**
 * The reporting deadline: 00:00 Asia/Shanghai on the first day of the next quarter (the report is
 * due before it). Q4's deadline is 1 January of the next year.
 */
export function reportingDeadline(year: number, quarter: QuarterNumber): Date {
  assertQuarter(year, quarter);
  return quarter === 4
    ? shanghaiMidnight(year + 1, 1, 1)
    : shanghaiMidnight(year, 3 * quarter + 1, 1);
}

/** The Shanghai year and quarter an instant falls in. */
export function quarterOf(instant: Date): { year: number; quarter: QuarterNumber } {
  const { year, month } = shanghaiParts(instant);
  return { year, quarter: (Math.floor((month - 1) / 3) + 1) as QuarterNumber };
}

/** Parses an ISO instant strictly; null when it is not one (a bare date has no time zone). */
export function parseInstant(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    return null;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function toDate(instant: Date | string): Date {
  return typeof instant === 'string' ? new Date(instant) : instant;
}

function assertQuarter(year: number, quarter: number): void {
  if (!Number.isInteger(year) || year < 1970 || year > 9999) {
    throw new RangeError(`Invalid year ${year}`);
  }
  if (![1, 2, 3, 4].includes(quarter)) throw new RangeError(`Invalid quarter ${quarter}`);
}

import { DomainError } from '@duban/errors';
import { shanghaiMidnight } from '@duban/domain';

/** `asOf` as given by a user: a calendar day in Asia/Shanghai. */
export const AS_OF_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The instant a report "as of YYYY-MM-DD" looks from: the end of that Shanghai day, i.e. 00:00 of
 * the next day. Everything recorded strictly before it was known then.
 */
export function asOfCutoff(asOf: string): Date {
  const match = AS_OF_PATTERN.exec(asOf);
  if (!match) {
    throw new DomainError('INVALID_INPUT', `asOf must be a date YYYY-MM-DD, got "${asOf}"`);
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2017-02-30 over to March: a rolled date is not a real day.
  if (
    probe.getUTCFullYear() !== year ||
    probe.getUTCMonth() !== month - 1 ||
    probe.getUTCDate() !== day ||
    year < 1970
  ) {
    throw new DomainError('INVALID_INPUT', `asOf ${asOf} is not a calendar date`);
  }
  return shanghaiMidnight(year, month, day + 1);
}

/** When a report looks from: the end of `asOf`'s day, or now for a live report. */
export interface ReportMoment {
  /** The day as given, or null for a live report. */
  asOf: string | null;
  /** Facts recorded at or after this instant are not shown. */
  cutoff: Date;
  /** True when the report reflects the projection as it stands (no `asOf`). */
  live: boolean;
}

export function reportMoment(
  asOf: string | undefined | null,
  now: Date = new Date(),
): ReportMoment {
  if (asOf === undefined || asOf === null || asOf === '') {
    return { asOf: null, cutoff: now, live: true };
  }
  const cutoff = asOfCutoff(asOf);
  // A day still running (or in the future) is only known up to now.
  if (cutoff.getTime() > now.getTime()) return { asOf, cutoff: now, live: false };
  return { asOf, cutoff, live: false };
}

import type { Lamp, Phase, ReportStatus, UnitStatus } from '@duban/contracts';
import { DAY_MS, shanghaiParts } from '@duban/domain';

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 23 → 二十三: the numbering of the notice's categories. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99)
    throw new RangeError(`Cannot write ${n} in Chinese numerals`);
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/** The category row as the notice writes it: `（一）保障底线民生（共6项）`. */
export function categoryHeading(category: {
  number: number;
  title: string;
  declaredCount: number;
}): string {
  return `（${chineseNumeral(category.number)}）${category.title}（共${category.declaredCount}项）`;
}

export const CITY_LEVEL_MARK = '★';

export const LAMP_ZH: Record<Lamp, string> = {
  green: '绿灯',
  yellow: '黄灯',
  red: '红灯',
  closed: '已办结',
};

/** ARGB fills of the lamp cell (Excel's standard green, amber, red; grey once closed). */
export const LAMP_FILL: Record<Lamp, string> = {
  green: 'FF00B050',
  yellow: 'FFFFC000',
  red: 'FFFF0000',
  closed: 'FFBFBFBF',
};

export const PHASE_ZH: Record<Phase, string> = {
  not_open: '未开始',
  reporting: '报送中',
  office_review: '待督查室审核',
  closed: '已办结',
};

export const UNIT_STATUS_ZH: Record<UnitStatus, string> = {
  awaiting_report: '未报送',
  awaiting_head: '待单位负责人审核',
  returned_by_head: '单位负责人退回',
  returned_by_office: '督查室退回',
  head_approved: '单位已审核',
};

export const REPORT_STATUS_ZH: Record<ReportStatus, string> = {
  completed: '已完成',
  partial: '部分完成',
  not_completed: '未完成',
};

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2017-03-28 10:05` in Shanghai time: how the table writes a submission time. */
export function formatMinute(instant: Date): string {
  const p = shanghaiParts(instant);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * Days overdue, counting every started day after the deadline (the deadline is 00:00, so a
 * report on 1 April at 09:00 is one day late). `until` is when it was closed, or the moment the
 * report looks from; 0 when it was on time; null while the deadline has not passed.
 */
export function overdueDays(deadline: Date, until: Date, closed: boolean): number | null {
  const late = until.getTime() - deadline.getTime();
  if (late <= 0) return closed ? 0 : null;
  return Math.ceil(late / DAY_MS);
}

/** Hours between two instants, rounded to a tenth. */
export function hoursBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / 360_000) / 10;
}

export function average(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
}

/** One CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with a byte-order mark (so Excel reads Chinese), CRLF line ends (RFC 4180). */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): Buffer {
  const body = rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
  return Buffer.from(`\uFEFF${body}`, 'utf8');
}

/**
 * `attachment; filename="2017-jianghai-Q1.xlsx"; filename*=UTF-8''…` (RFC 6266/5987): an ASCII
 * fallback for old clients and the Chinese name for every browser that reads `filename*`.
 */
export function contentDisposition(asciiName: string, utf8Name: string): string {
  const fallback = asciiName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(utf8Name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

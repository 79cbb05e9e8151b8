import { type SourceLine } from './cells';
import { PlanParseError } from './errors';

export interface ParsedHeader {
  docNumber: string;
  noticeTitle: string;
  addressees: string[];
  body: string;
  reportTo: string;
  issuers: string[];
  issuedOn: string;
  title: string;
  year: number;
}

const DOC_NUMBER = /^\S+〔\d{4}〕\d+号$/;
const DATE = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const ATTACHMENT = /^附件[：:]/;
// The office that reports go to, as the body states it: `…将完成情况报区督查室。`
const REPORT_TO = /报(?:送|给)?([^\s，。；、：,;]{1,12}?室)/;

/**
 * Reads the notice above the table, in its fixed order: document number, notice title,
 * addressees (`…：`), body, the `附件：` line, issuers, date, and the plan's own title last.
 */
export function parseHeader(header: SourceLine[], tableLine: number): ParsedHeader {
  const lines = header
    .filter((l) => l.text.trim() !== '')
    .map((l) => ({ line: l.line, raw: l.text, text: l.text.trim() }));
  if (lines.length === 0) {
    throw new PlanParseError(
      'expected the notice (document number, title, addressees, body, issuers, date) before the table',
      tableLine,
    );
  }

  const docNumber = lines[0];
  if (!DOC_NUMBER.test(docNumber.text)) {
    throw new PlanParseError(
      `expected the document number (like 江开发〔2017〕2号) first, found '${docNumber.text}'`,
      docNumber.line,
    );
  }

  const addresseeAt = lines.findIndex((l, i) => i > 0 && /[：:]$/.test(l.text));
  if (addresseeAt < 0) {
    throw new PlanParseError(
      "expected the addressees (a line ending with '：') after the notice title",
      (lines[1] ?? docNumber).line,
    );
  }
  if (addresseeAt === 1) {
    throw new PlanParseError('expected the notice title after the document number', lines[1].line);
  }
  const addressee = lines[addresseeAt];

  const dateAt = lines.findIndex((l, i) => i > addresseeAt && DATE.test(l.text));
  if (dateAt < 0) {
    throw new PlanParseError(
      'expected the issue date (like 2017年2月28日) below the issuers',
      lines[lines.length - 1].line,
    );
  }
  const date = lines[dateAt];

  // The body ends at `附件：…`, or failing that at the indented signature block.
  const between = lines.slice(addresseeAt + 1, dateAt);
  const attachmentAt = between.findIndex((l) => ATTACHMENT.test(l.text));
  const indentedAt = between.findIndex((l) => /^\s/.test(l.raw));
  const bodyEnd = attachmentAt >= 0 ? attachmentAt : indentedAt >= 0 ? indentedAt : between.length;
  const issuersStart = attachmentAt >= 0 ? attachmentAt + 1 : bodyEnd;
  const bodyLines = between.slice(0, bodyEnd);
  const issuers = between.slice(issuersStart).map((l) => l.text);
  if (bodyLines.length === 0) {
    throw new PlanParseError(
      'expected the body of the notice after the addressees',
      addressee.line,
    );
  }
  if (issuers.length === 0) {
    throw new PlanParseError('expected the issuers above the issue date', date.line);
  }

  const body = bodyLines.map((l) => l.text).join('\n');
  const reportTo = REPORT_TO.exec(body)?.[1];
  if (reportTo === undefined) {
    throw new PlanParseError(
      'the body does not name the office reports go to (expected something like 将完成情况报区督查室)',
      bodyLines[0].line,
    );
  }

  const titleLine = lines[lines.length - 1];
  const year = /(\d{4})年/.exec(titleLine.text)?.[1];
  if (dateAt === lines.length - 1 || year === undefined) {
    throw new PlanParseError(
      "expected the plan's title with its year (like 2017年…计划) just above the table",
      titleLine.line,
    );
  }

  return {
    docNumber: docNumber.text,
    noticeTitle: lines
      .slice(1, addresseeAt)
      .map((l) => l.text)
      .join(''),
    addressees: addressee.text
      .replace(/[：:]$/, '')
      .split(/[，、,]/)
      .map((a) => a.trim())
      .filter((a) => a !== ''),
    body,
    reportTo,
    issuers,
    issuedOn: isoDate(date.text, date.line),
    title: titleLine.text,
    year: Number(year),
  };
}

function isoDate(text: string, line: number): string {
  const [, y, m, d] = DATE.exec(text) ?? [];
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const iso = date.toISOString().slice(0, 10);
  if (iso !== `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`) {
    throw new PlanParseError(`'${text}' is not a calendar date`, line);
  }
  return iso;
}

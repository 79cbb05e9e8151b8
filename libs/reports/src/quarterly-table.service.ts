import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DomainError } from '@duban/errors';
import { reportMoment } from './as-of';
import { contentDisposition, LAMP_FILL, toCsv } from './format';
import {
  buildQuarterlyTable,
  rowValues,
  TABLE_COLUMNS,
  type QuarterlyTable,
} from './quarterly-table';
import { ReportsRepository } from './reports.repository';

export type TableFormat = 'xlsx' | 'csv';

export interface QuarterlyTableOptions {
  /** Only city-level (★, 市民生实事) tasks: the city's own report. */
  cityLevelOnly?: boolean;
  /** `YYYY-MM-DD`: what was known at the end of that day, Asia/Shanghai. */
  asOf?: string;
  /** The generation time (defaults to now); also the cutoff of a live table. */
  now?: Date;
}

export interface GeneratedFile {
  body: Buffer;
  contentType: string;
  /** ASCII name, e.g. `2017-jianghai-Q1.xlsx`. */
  fileName: string;
  /** The Chinese name, e.g. `2017年…计划-第1季度完成情况表.xlsx`. */
  displayName: string;
  /** A ready Content-Disposition header carrying both names. */
  contentDisposition: string;
}

export const CONTENT_TYPES: Record<TableFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** Column widths in characters (a CJK character is about two). */
const WIDTHS = [6, 16, 34, 16, 28, 40, 16, 8, 30, 18, 8];
const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FONT = '宋体';
export const TITLE_ROW = 1;
export const HEADER_ROW = 2;

/** The quarterly table in the notice's own layout, as XLSX or CSV. */
@Injectable()
export class QuarterlyTableService {
  constructor(private readonly repository: ReportsRepository) {}

  async build(
    planId: string,
    quarter: number,
    options: QuarterlyTableOptions = {},
  ): Promise<QuarterlyTable> {
    if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
      throw new DomainError('INVALID_INPUT', `quarter must be 1, 2, 3 or 4, got ${quarter}`);
    }
    const now = options.now ?? new Date();
    const moment = reportMoment(options.asOf, now);
    const data = await this.repository.load(planId, quarter);
    return buildQuarterlyTable(data, quarter, moment, {
      cityLevelOnly: options.cityLevelOnly ?? false,
      generatedAt: now,
    });
  }

  async generate(
    planId: string,
    quarter: number,
    format: TableFormat,
    options: QuarterlyTableOptions = {},
  ): Promise<GeneratedFile> {
    const table = await this.build(planId, quarter, options);
    const body = format === 'xlsx' ? await renderXlsx(table) : renderCsv(table);
    const suffix = `${table.cityLevelOnly ? '-city-level' : ''}${table.asOf ? `-as-of-${table.asOf}` : ''}`;
    const fileName = `${table.planId}-Q${quarter}${suffix}.${format}`;
    const displayName = `${table.planTitle}-${table.year}年第${quarter}季度完成情况表${
      table.cityLevelOnly ? '（市民生实事）' : ''
    }${table.asOf ? `（截至${table.asOf}）` : ''}.${format}`;
    return {
      body,
      contentType: CONTENT_TYPES[format],
      fileName,
      displayName,
      contentDisposition: contentDisposition(fileName, displayName),
    };
  }
}

/** CSV: the same columns, a header line, category lines as section headers, no merged cells. */
export function renderCsv(table: QuarterlyTable): Buffer {
  const lines: Array<Array<string | number | null>> = [[...TABLE_COLUMNS]];
  for (const section of table.sections) {
    lines.push([section.heading, ...TABLE_COLUMNS.slice(1).map(() => '')]);
    for (const item of section.items) for (const row of item.rows) lines.push(rowValues(row));
  }
  return toCsv(lines);
}

export async function renderXlsx(table: QuarterlyTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Duban 督办';
  workbook.created = table.generatedAt;
  const sheet = workbook.addWorksheet(`第${table.quarter}季度`, {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
  });
  const last = TABLE_COLUMNS.length;
  sheet.columns = WIDTHS.map((width) => ({ width }));

  const title = sheet.getRow(TITLE_ROW);
  title.getCell(1).value = table.title;
  sheet.mergeCells(TITLE_ROW, 1, TITLE_ROW, last);
  title.getCell(1).font = { name: FONT, size: 14, bold: true };
  title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  title.height = 40;

  const header = sheet.getRow(HEADER_ROW);
  TABLE_COLUMNS.forEach((name, i) => {
    const cell = header.getCell(i + 1);
    cell.value = name;
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });
  header.height = 30;

  let r = HEADER_ROW + 1;
  for (const section of table.sections) {
    const row = sheet.getRow(r);
    row.getCell(1).value = section.heading;
    sheet.mergeCells(r, 1, r, last);
    const cell = row.getCell(1);
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'left', vertical: 'middle' };
    cell.border = BORDER;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    row.height = 22;
    r += 1;
    for (const item of section.items) {
      const first = r;
      for (const tableRow of item.rows) {
        const row = sheet.getRow(r);
        rowValues(tableRow).forEach((value, i) => {
          const cell = row.getCell(i + 1);
          cell.value = value ?? '';
          cell.font = { name: FONT, size: 10 };
          cell.border = BORDER;
          cell.alignment = {
            vertical: 'middle',
            horizontal: i === 0 || i >= 6 ? 'center' : 'left',
            wrapText: true,
          };
        });
        if (tableRow.lamp) {
          row.getCell(8).fill = {
            type: 'pattern',
            pattern: 'solid',
            fgColor: { argb: LAMP_FILL[tableRow.lamp] },
          };
        }
        row.height = estimateHeight(rowValues(tableRow));
        r += 1;
      }
      // Sub-items sit under their item: 序号 and 事项名称 span the item's rows, as in the notice.
      if (r - first > 1) {
        sheet.mergeCells(first, 1, r - 1, 1);
        sheet.mergeCells(first, 2, r - 1, 2);
      }
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Excel does not grow rows for wrapped text it did not lay out itself; estimate the lines. */
function estimateHeight(values: Array<string | number | null>): number {
  let lines = 1;
  values.forEach((value, i) => {
    if (value === null) return;
    const perLine = Math.max(1, Math.floor(WIDTHS[i] / 2));
    const count = String(value)
      .split('\n')
      .reduce((sum, part) => sum + Math.max(1, Math.ceil([...part].length / perLine)), 0);
    lines = Math.max(lines, count);
  });
  return Math.min(409, 15 * lines + 6);
}

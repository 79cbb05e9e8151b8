import { writeFileSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import { InvalidArgumentError, type Command } from 'commander';
import { DataSource } from 'typeorm';
import {
  asOfCutoff,
  QuarterlyTableService,
  ReportsRepository,
  type TableFormat,
} from '@duban/reports';
import { DomainError } from '@duban/errors';
import { InputError, parseInteger, withContext } from '../context';

function parseFormat(value: string): TableFormat {
  if (value !== 'xlsx' && value !== 'csv')
    throw new InvalidArgumentError('--format must be xlsx or csv');
  return value;
}

function parseAsOf(value: string): string {
  try {
    asOfCutoff(value);
  } catch (error) {
    if (error instanceof DomainError) throw new InvalidArgumentError(error.message);
    throw error;
  }
  return value;
}

/** The table service from the context, or built on its DataSource where ReportsModule is not imported. */
function tableService(app: INestApplicationContext): QuarterlyTableService {
  try {
    return app.get(QuarterlyTableService, { strict: false });
  } catch {
    return new QuarterlyTableService(new ReportsRepository(app.get(DataSource, { strict: false })));
  }
}

interface ReportOptions {
  quarter: number;
  format: TableFormat;
  out: string;
  cityLevel?: boolean;
  asOf?: string;
}

/** `report PLAN_ID --quarter N --format xlsx|csv --out FILE [--city-level] [--as-of YYYY-MM-DD]`. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .argument('<planId>', 'the plan id, e.g. 2017-jianghai')
    .requiredOption('--quarter <n>', 'the quarter, 1–4', parseInteger('--quarter', 1, 4))
    .requiredOption('--format <format>', 'xlsx or csv', parseFormat)
    .requiredOption('--out <file>', 'where to write the table')
    .option('--city-level', 'only city-level items (★, 市民生实事)')
    .option(
      '--as-of <date>',
      'what was known at the end of this day (YYYY-MM-DD, Asia/Shanghai)',
      parseAsOf,
    )
    .description('write the quarterly table in the notice’s layout (完成情况表)')
    .action(async (planId: string, opts: ReportOptions) => {
      await withContext(async (app) => {
        const file = await tableService(app).generate(planId, opts.quarter, opts.format, {
          cityLevelOnly: opts.cityLevel === true,
          asOf: opts.asOf,
        });
        try {
          writeFileSync(opts.out, file.body);
        } catch (error) {
          throw new InputError(`cannot write ${opts.out}: ${(error as Error).message}`);
        }
        process.stdout.write(
          `wrote ${opts.out}: ${file.displayName} (${opts.format}, ${file.body.length} bytes)\n`,
        );
      });
    });
}

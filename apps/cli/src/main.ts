import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError, loadEnv } from '@duban/config';
import { DomainError } from '@duban/errors';
import { OrganisationService } from '@duban/organisation';
import { createDataSource } from '@duban/persistence';
import { parsePlanDocument, PlanParseError } from '@duban/plan-import';
import { PlanActivationService, PlanImportService } from '@duban/plans';
import { quarterOf } from '@duban/domain';
import { registerAuditCommands } from './commands/audit.command';
import { registerReportCommand } from './commands/report.command';
import { InputError, parseInteger, readDocument, withContext } from './context';
import { seedPlanPath } from './repo-root';

export function buildProgram(): Command {
  const program = new Command('duban')
    .description('督办 Duban: the annual task plan as durable workflows')
    .exitOverride()
    .showHelpAfterError();

  const plan = program.command('plan').description('plan notices');

  plan
    .command('parse')
    .argument('<file>', 'the plan notice (UTF-8 or GB18030 text)')
    .option('--json', 'print the parsed plan as JSON')
    .description('parse a plan notice and print what it holds')
    .action((file: string, opts: { json?: boolean }) => {
      const parsed = parsePlanDocument(readDocument(file));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(parsed, null, 2)}\n`);
        return;
      }
      const cityLevel = parsed.tasks.filter((t) => t.cityLevel).length;
      process.stdout.write(
        [
          `${parsed.docNumber} ${parsed.title}`,
          `issued ${parsed.issuedOn} by ${parsed.issuers.join('、')}; report to ${parsed.reportTo}`,
          `${parsed.categories.length} categories, ${new Set(parsed.tasks.map((t) => t.item)).size} items, ${parsed.tasks.length} tasks (${cityLevel} city-level)`,
          ...parsed.tasks.map(
            (t) =>
              `  ${t.cityLevel ? '★' : ' '}${t.code.padEnd(5)} ${t.name} — ${t.units.join('、')}`,
          ),
        ].join('\n') + '\n',
      );
    });

  plan
    .command('import')
    .argument('<file>', 'the plan notice')
    .option(
      '--year <year>',
      'store the plan for this year, moving every date',
      parseInteger('--year', 2000, 2100),
    )
    .description('store a plan (importing the same document twice changes nothing)')
    .action(async (file: string, opts: { year?: number }) => {
      const document = readDocument(file);
      await withContext(async (app) => {
        const { plan: stored, created } = await app
          .get(PlanImportService)
          .importDocument(document, opts.year);
        process.stdout.write(
          `${created ? 'imported' : 'already imported'}: plan ${stored.id} (${stored.docNumber}, ${stored.year})\n`,
        );
      });
    });

  plan
    .command('activate')
    .argument('<planId>', 'the plan id, e.g. 2017-jianghai')
    .option(
      '--from-quarter <n>',
      'start task-quarters from this quarter on',
      parseInteger('--from-quarter', 1, 4),
      1,
    )
    .description('start the task-quarter workflows of a plan (idempotent)')
    .action(async (planId: string, opts: { fromQuarter: number }) => {
      await withContext(async (app) => {
        const r = await app.get(PlanActivationService).activate(planId, opts.fromQuarter);
        process.stdout.write(
          `plan ${r.planId} from Q${r.fromQuarter}: ${r.taskQuarters} task-quarters, ${r.started} started, ${r.alreadyStarted} already started\n`,
        );
      });
    });

  const db = program.command('db').description('the database schema');
  db.command('migrate')
    .description('run pending migrations')
    .action(async () => {
      const dataSource = createDataSource({ url: loadEnv().DATABASE_URL });
      await dataSource.initialize();
      try {
        const ran = await dataSource.runMigrations({ transaction: 'each' });
        process.stdout.write(
          ran.length ? `applied ${ran.map((m) => m.name).join(', ')}\n` : 'schema is up to date\n',
        );
      } finally {
        await dataSource.destroy();
      }
    });
  db.command('revert')
    .description('undo the last migration')
    .action(async () => {
      const dataSource = createDataSource({ url: loadEnv().DATABASE_URL });
      await dataSource.initialize();
      try {
        await dataSource.undoLastMigration({ transaction: 'each' });
        process.stdout.write('reverted the last migration\n');
      } finally {
        await dataSource.destroy();
      }
    });

  const demo = program.command('demo').description('demonstration data');
  demo
    .command('load')
    .option(
      '--year <year>',
      'plan year (default: the current year)',
      parseInteger('--year', 2000, 2100),
    )
    .option('--no-activate', 'import the seed plan without starting its workflows')
    .description(
      'load the demo organisation and accounts, import the seed plan and activate it from the current quarter',
    )
    .action(async (opts: { year?: number; activate: boolean }) => {
      const env = loadEnv();
      const now = quarterOf(new Date());
      const year = opts.year ?? now.year;
      await withContext(async (app) => {
        const org = await app.get(OrganisationService).loadDemoOrganisation(env.DEMO_PASSWORD);
        const { plan: stored, created } = await app
          .get(PlanImportService)
          .importDocument(readFileSync(seedPlanPath()), year);
        process.stdout.write(
          `demo organisation: ${org.units} units, ${org.accountsCreated} accounts created\n` +
            `seed plan ${stored.id}: ${created ? 'imported' : 'already imported'}\n`,
        );
        if (opts.activate) {
          // A newcomer should see live task-quarters, not a year of overdue ones.
          const fromQuarter = year === now.year ? now.quarter : year < now.year ? 4 : 1;
          const r = await app.get(PlanActivationService).activate(stored.id, fromQuarter);
          process.stdout.write(
            `activated from Q${fromQuarter}: ${r.started} task-quarters started, ${r.alreadyStarted} already running\n`,
          );
        }
      });
    });

  registerReportCommand(program);
  registerAuditCommands(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof PlanParseError || error instanceof InputError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof DomainError) {
      process.stderr.write(`${error.message}\n`);
      return [
        'PLAN_PARSE_ERROR',
        'INVALID_INPUT',
        'UNKNOWN_UNITS',
        'NOT_FOUND',
        'CONFLICT',
      ].includes(error.code)
        ? 2
        : 1;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => process.exit(code));
}

import { readFileSync, writeFileSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import {
  AuditService,
  HistoryArchiveService,
  parseHistoryJson,
  serializeBundle,
  verifyBundle,
  verifyTaskQuarter,
  HistoryFormatError,
  type ReplayOptions,
  type ReplayReport,
  type RunHistory,
} from '@duban/audit';
import { DomainError } from '@duban/errors';
import { TemporalClientService } from '@duban/temporal';
import { InputError, withContext } from '../context';

/**
 * A failed audit check: the report is printed, then the command exits 1. (`run()` in main.ts maps
 * DomainError codes other than input errors to exit 1; UNAVAILABLE is one of those.)
 */
export class AuditCheckFailed extends DomainError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}

function auditService(app: INestApplicationContext): AuditService {
  try {
    return app.get(AuditService, { strict: false });
  } catch {
    // The CLI context need not import AuditModule: the service only needs these two.
    return new AuditService(app.get(DataSource), app.get(TemporalClientService));
  }
}

function replayOptions(opts: { workflowsPath?: string }): ReplayOptions {
  try {
    // The replay worker's lifecycle chatter (RUNNING, DRAINING…) is noise for an auditor.
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process: keep its logger.
  }
  return {
    workflowsPath: opts.workflowsPath,
    workflowBundlePath: opts.workflowsPath
      ? undefined
      : process.env.WORKFLOW_BUNDLE_PATH || undefined,
  };
}

const out = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};

const yesNo = (v: boolean | null): string => (v === null ? '未比对' : v ? '是' : '否');

function printReport(report: ReplayReport): void {
  out(
    `${report.workflowId}  确定性（deterministic）: ${yesNo(report.deterministic)}  与数据库一致（matches database）: ${yesNo(report.matchesDatabase)}`,
  );
  for (const run of report.runs) {
    out(
      `  run ${run.runId}: ${run.deterministic ? 'replayed ok' : `NONDETERMINISTIC ${run.error ?? ''}`}`,
    );
  }
  if (report.note) out(`  note: ${report.note}`);
  if (report.differences.length) out(`  ${report.differences.length} difference(s):`);
  for (const d of report.differences) {
    out(`  - ${d.kind} ${d.table} ${d.key}`);
    for (const f of d.fields ?? []) {
      out(
        `      ${f.field}: history ${JSON.stringify(f.expected)} ≠ database ${JSON.stringify(f.actual)}`,
      );
    }
  }
}

const failed = (r: ReplayReport): boolean => !r.deterministic || r.matchesDatabase === false;

function readHistoryFile(file: string): RunHistory[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parseHistoryJson(text);
  } catch (error) {
    if (error instanceof HistoryFormatError) throw new InputError(`${file}: ${error.message}`);
    throw error;
  }
}

function progress(done: number, total: number, label: string): void {
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`.padEnd(100),
  );
}

export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description(
      '审计: task-quarter histories, replay against the database, tamper-evident export',
    );

  audit
    .command('history')
    .argument('<id>', 'the task-quarter id (workflow id), e.g. tq:2017-jianghai:36.1:Q2')
    .option('--json', 'print the timeline as JSON')
    .description('the readable timeline of a task-quarter, from its workflow history (every run)')
    .action(async (id: string, opts: { json?: boolean }) => {
      await withContext(async (app) => {
        const history = await auditService(app).history(id);
        if (opts.json) return out(JSON.stringify(history, null, 2));
        out(`${id}（${history.runs.length} run(s), from ${history.source}）`);
        for (const item of history.items) {
          const when = item.at ? item.at.replace('T', ' ').slice(0, 19) : '';
          out(`${String(item.index).padStart(4)}  ${when}Z  ${item.type.padEnd(22)} ${item.text}`);
        }
      });
    });

  audit
    .command('replay')
    .option('--workflow-id <id>', 'replay one task-quarter from the server (or the archive)')
    .option(
      '--file <history.json>',
      'replay a history exported by `temporal workflow show --output json` (no server needed)',
    )
    .option('--plan <planId>', 'replay every task-quarter of a plan')
    .option(
      '--workflows-path <module>',
      'replay with these workflows instead of workflows/index.ts',
    )
    .option('--json', 'print the reports as JSON')
    .description(
      'replay histories with the current workflow code and compare them with the database; exit 1 on any mismatch',
    )
    .action(
      async (opts: {
        workflowId?: string;
        file?: string;
        plan?: string;
        workflowsPath?: string;
        json?: boolean;
      }) => {
        const chosen = [opts.workflowId, opts.file, opts.plan].filter(
          (v) => v !== undefined,
        ).length;
        if (chosen !== 1)
          throw new InputError('give exactly one of --workflow-id, --file or --plan');
        const options = replayOptions(opts);
        let reports: ReplayReport[];

        if (opts.file) {
          const runs = readHistoryFile(opts.file);
          // The database is optional: compare only where DATABASE_URL points at one.
          reports = process.env.DATABASE_URL
            ? [await withContext((app) => auditService(app).replayRuns(runs, options))]
            : [await verifyTaskQuarter(runs, null, options)];
        } else if (opts.workflowId) {
          const id = opts.workflowId;
          reports = [await withContext((app) => auditService(app).replay(id, options))];
        } else {
          const planId = opts.plan!;
          reports = await withContext(async (app) => {
            const service = auditService(app);
            const ids = await service.planTaskQuarters(planId);
            if (ids.length === 0) throw new InputError(`plan ${planId} has no task-quarters`);
            progress(0, ids.length, ids[0]);
            const done = await service.replayPlan(ids, options, progress);
            progress(ids.length, ids.length, 'done');
            process.stderr.write('\n');
            return done;
          });
        }

        if (opts.json) {
          out(JSON.stringify(opts.plan ? reports : reports[0], null, 2));
        } else if (opts.plan) {
          out(
            `${'task-quarter'.padEnd(40)} ${'deterministic'.padEnd(14)} ${'matches db'.padEnd(11)} differences`,
          );
          for (const r of reports) {
            out(
              `${r.workflowId.padEnd(40)} ${yesNo(r.deterministic).padEnd(13)} ${yesNo(r.matchesDatabase).padEnd(10)} ${r.differences.length}`,
            );
          }
          const bad = reports.filter(failed);
          out(
            `${reports.length} task-quarters: ${reports.length - bad.length} ok, ${reports.filter((r) => !r.deterministic).length} nondeterministic, ${reports.filter((r) => r.matchesDatabase === false).length} not matching the database`,
          );
          for (const r of bad) printReport(r);
        } else {
          printReport(reports[0]);
        }
        const bad = reports.filter(failed);
        if (bad.length) {
          throw new AuditCheckFailed(
            `audit replay: ${bad.length} task-quarter(s) failed (${bad.map((r) => r.workflowId).join(', ')})`,
          );
        }
      },
    );

  audit
    .command('export')
    .argument('<id>', 'the task-quarter id')
    .requiredOption('--out <bundle.json>', 'where to write the bundle (one JSON file)')
    .description(
      'write a tamper-evident bundle: history JSON, projection rows, hash-chained timeline and manifest digest',
    )
    .action(async (id: string, opts: { out: string }) => {
      await withContext(async (app) => {
        const bundle = await auditService(app).exportBundle(id);
        writeFileSync(opts.out, serializeBundle(bundle));
        out(
          `wrote ${opts.out}: ${bundle.manifest.parts.history.count} history events, ` +
            `${bundle.manifest.parts.projection.count} rows, ${bundle.manifest.parts.timeline.count} timeline items\n` +
            `manifest sha256 ${bundle.manifestDigest}`,
        );
      });
    });

  audit
    .command('verify')
    .argument('<bundle>', 'a bundle written by `audit export`')
    .option('--expect-digest <sha256>', 'the manifest digest recorded at export time')
    .description('check a bundle offline; exit 1 and name what changed when anything did')
    .action((file: string, opts: { expectDigest?: string }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
      }
      const result = verifyBundle(text, opts.expectDigest);
      if (result.valid) {
        out(
          `${file}: OK — ${result.workflowId}, ${result.counts.history} history events, ${result.counts.projection} rows, ${result.counts.timeline} timeline items; manifest sha256 ${result.manifestDigest}`,
        );
        return;
      }
      out(`${file}: FAILED — ${result.problems.length} problem(s)`);
      for (const p of result.problems) out(`  - [${p.part}] ${p.message}`);
      throw new AuditCheckFailed(`audit verify: ${file} was modified`);
    });

  audit
    .command('archive')
    .option('--plan <planId>', 'only this plan')
    .description(
      "copy closed task-quarters' histories into Postgres before namespace retention deletes them",
    )
    .action(async (opts: { plan?: string }) => {
      await withContext(async (app) => {
        const service = auditService(app);
        const archiver = (() => {
          try {
            return app.get(HistoryArchiveService, { strict: false });
          } catch {
            return new HistoryArchiveService(service);
          }
        })();
        const r = await archiver.archiveClosed(opts.plan);
        out(
          `${r.candidates} closed task-quarter(s) not yet archived: ${r.archived} archived (${r.runsStored} runs), ${r.failed.length} failed`,
        );
        for (const f of r.failed) out(`  - ${f.workflowId}: ${f.error}`);
        if (r.failed.length)
          throw new AuditCheckFailed('audit archive: some histories could not be archived');
      });
    });
}

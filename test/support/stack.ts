import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { loadEnv, type DubanEnv } from '@duban/config';
import { OrganisationService } from '@duban/organisation';
import { createDataSource } from '@duban/persistence';
import { PlanActivationService, PlanImportService } from '@duban/plans';
import { TemporalClientService } from '@duban/temporal';
import { bundlerOptions } from '@duban/temporal/workflow-bundle';
import { CliModule } from '../../apps/cli/src/cli.module';
import { createDubanWorker, type DubanWorker } from '../../apps/worker/src/worker';

// Keep test output readable: the SDK logs every worker state change at INFO.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed by another stack in this process.
}

export const SEED_PLAN_PATH = join(
  __dirname,
  '..',
  '..',
  'infra',
  'seed',
  '2017-jianghai-livelihood-plan.txt',
);

export interface TestStackOptions {
  /** Import the seed plan for this year (default: none imported). */
  seedYear?: number;
  /** Start a worker in this process (default true). */
  worker?: boolean;
}

export interface TestStack {
  env: DubanEnv;
  /** Services shared with the API and the CLI (organisation, plans, activation, Temporal client). */
  app: INestApplicationContext;
  temporal: Client;
  worker?: DubanWorker;
  /** The seed plan's id when `seedYear` was given. */
  planId?: string;
  /** Runs SQL against this stack's own database. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run the suite with \`npm test\`, which starts Postgres and Temporal`,
    );
  }
  return value;
}

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/**
 * The workflow bundle for this checkout's workflow code, built once and shared by every test file
 * (bundling takes seconds; the suite starts a dozen workers). Keyed by a hash of the sources that
 * go into it, so a changed workflow is never tested with a stale bundle.
 */
async function sharedWorkflowBundle(): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of ['workflows', 'libs/contracts/src', 'libs/domain/src']) {
    for (const file of sourceFiles(join(ROOT, dir)).sort())
      hash.update(file).update(readFileSync(file));
  }
  const cacheDir = join(ROOT, '.data', 'test-cache');
  const path = join(cacheDir, `workflow-bundle-${hash.digest('hex').slice(0, 16)}.js`);
  if (!existsSync(path)) {
    const { code } = await bundleWorkflowCode({
      ...bundlerOptions(),
      logger: new DefaultLogger('WARN'),
    });
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, path); // atomic: a concurrent test file never reads half a bundle
  }
  return path;
}

/**
 * A stack of real services for one test file: its own database (migrated, demo organisation
 * loaded) on the Postgres given by DATABASE_URL, and its own task queue and district code on the
 * Temporal server given by TEMPORAL_ADDRESS, so test files never see each other's workflows.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const baseUrl = requireEnv('DATABASE_URL');
  requireEnv('TEMPORAL_ADDRESS');
  const suffix = randomBytes(4).toString('hex');
  const database = `duban_test_${suffix}`;
  const admin = new PgClient({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;

  const env = loadEnv({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: url.toString(),
    TEMPORAL_TASK_QUEUE: `duban-test-${suffix}`,
    WORKFLOW_BUNDLE_PATH:
      options.worker === false
        ? undefined
        : (process.env.WORKFLOW_BUNDLE_PATH ?? (await sharedWorkflowBundle())),
    DISTRICT_CODE: `t${suffix}`,
  });

  const migrator = createDataSource({ url: env.DATABASE_URL });
  await migrator.initialize();
  await migrator.runMigrations({ transaction: 'each' });
  await migrator.destroy();

  const app = await NestFactory.createApplicationContext(CliModule.forRoot(env), {
    logger: ['error'],
  });
  await app.get(OrganisationService).loadDemoOrganisation(env.DEMO_PASSWORD);
  let planId: string | undefined;
  if (options.seedYear !== undefined) {
    const { plan } = await app
      .get(PlanImportService)
      .importDocument(readFileSync(SEED_PLAN_PATH), options.seedYear);
    planId = plan.id;
  }
  const temporal = await app.get(TemporalClientService).getClient();

  let worker: DubanWorker | undefined;
  let workerRun: Promise<void> | undefined;
  if (options.worker !== false) {
    worker = await createDubanWorker(env);
    workerRun = worker.run();
  }

  const pool = new PgClient({ connectionString: env.DATABASE_URL });
  await pool.connect();

  return {
    env,
    app,
    temporal,
    worker,
    planId,
    async sql<T>(text: string, params?: unknown[]): Promise<T[]> {
      return (await pool.query(text, params)).rows as T[];
    },
    async stop() {
      await worker?.shutdown();
      await workerRun?.catch(() => undefined);
      await pool.end();
      await app.close();
      const cleanup = new PgClient({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export { PlanActivationService };

export { eventually } from './eventually';

import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, MIGRATIONS } from '@duban/persistence';

jest.setTimeout(60_000);

describe('migrations', () => {
  const base = process.env.DATABASE_URL;
  const database = `duban_migrations_${randomBytes(4).toString('hex')}`;
  let url: string;

  beforeAll(async () => {
    if (!base) throw new Error('DATABASE_URL is not set: run with `npm test`');
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${database}`;
    url = u.toString();
  });
  afterAll(async () => {
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('go all the way up, all the way down, and up again', async () => {
    const ds = createDataSource({ url });
    await ds.initialize();
    const tables = async (): Promise<string[]> =>
      (
        await ds.query<Array<{ table_name: string }>>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'duban_migrations' ORDER BY 1",
        )
      ).map((r) => r.table_name);

    const up = await ds.runMigrations({ transaction: 'each' });
    expect(up).toHaveLength(MIGRATIONS.length);
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'unit',
        'app_user',
        'plan',
        'task',
        'task_quarter',
        'report_version',
        'notice',
      ]),
    );
    // The schema the entities describe is exactly what the migrations built.
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);

    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);

    expect(await ds.runMigrations({ transaction: 'each' })).toHaveLength(MIGRATIONS.length);
    await ds.destroy();
  });
});

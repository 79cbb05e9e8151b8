import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseSettings {
  url: string;
  ssl?: boolean;
  /** Pool size; the API and the worker each hold one pool. */
  poolSize?: number;
}

/** The one place that says how Duban talks to Postgres: never `synchronize`, always migrations. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    ssl: settings.ssl ? { rejectUnauthorized: true } : undefined,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'duban_migrations',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    migrationsRun: false,
    extra: { max: settings.poolSize ?? 10 },
  };
}

export function createDataSource(settings: DatabaseSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}

import { readFileSync } from 'node:fs';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseSettings {
  url: string;
  ssl?: boolean;
  /**
   * PEM file of the CA that signs the server certificate (managed Postgres usually has its own);
   * implies `ssl`. Falls back to DATABASE_SSL_CA_PATH so every process that opens a pool gets it.
   */
  sslCaPath?: string;
  /** Pool size; the API and the worker each hold one pool. */
  poolSize?: number;
}

/** The one place that says how Duban talks to Postgres: never `synchronize`, always migrations. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const caPath = settings.sslCaPath ?? (process.env.DATABASE_SSL_CA_PATH || undefined);
  // Certificates are always verified: a TLS connection that accepts any certificate protects
  // nothing against the man in the middle it is meant to stop.
  const ssl =
    settings.ssl || caPath
      ? { rejectUnauthorized: true, ...(caPath ? { ca: readFileSync(caPath, 'utf8') } : {}) }
      : undefined;
  return {
    type: 'postgres',
    url: settings.url,
    ssl,
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

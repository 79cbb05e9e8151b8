/**
 * The production settings that the process test cannot reach with a plaintext dev server and a
 * local Postgres: TLS material for Temporal and Postgres, the validation around it, and the
 * worker's health endpoint as its state changes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { State } from '@temporalio/worker';
import { loadEnv } from '@duban/config';
import { dataSourceOptions, type DatabaseSettings } from '@duban/persistence';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { temporalSecurity } from '@duban/temporal';
import { startWorkerHealthServer } from '../../apps/worker/src/worker';

const BASE = { DATABASE_URL: 'postgres://duban@db/duban' };

describe('Temporal TLS settings', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'duban-tls-'));
    for (const name of ['client.pem', 'client.key', 'ca.pem']) {
      writeFileSync(join(dir, name), `-----BEGIN ${name}-----\n`);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stays plaintext when nothing is set (the embedded dev server)', () => {
    expect(temporalSecurity(loadEnv(BASE))).toEqual({});
  });

  it('reads the mTLS pair, the CA and the server name from files', () => {
    const env = loadEnv({
      ...BASE,
      TEMPORAL_TLS_CERT_PATH: join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY_PATH: join(dir, 'client.key'),
      TEMPORAL_TLS_CA_PATH: join(dir, 'ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal-frontend',
    });
    const { tls, apiKey } = temporalSecurity(env);
    expect(apiKey).toBeUndefined();
    expect(tls?.serverNameOverride).toBe('temporal-frontend');
    expect(tls?.serverRootCACertificate?.toString()).toContain('ca.pem');
    expect(tls?.clientCertPair?.crt.toString()).toContain('client.pem');
    expect(tls?.clientCertPair?.key.toString()).toContain('client.key');
  });

  it('turns TLS on for an API key (Temporal Cloud) and for TEMPORAL_TLS=true', () => {
    expect(temporalSecurity(loadEnv({ ...BASE, TEMPORAL_API_KEY: 'k' }))).toEqual({
      tls: {},
      apiKey: 'k',
    });
    expect(temporalSecurity(loadEnv({ ...BASE, TEMPORAL_TLS: 'true' }))).toEqual({ tls: {} });
  });

  it('refuses a certificate without its key, and a missing file loudly', () => {
    expect(() => loadEnv({ ...BASE, TEMPORAL_TLS_CERT_PATH: join(dir, 'client.pem') })).toThrow(
      /TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH/,
    );
    expect(() => temporalSecurity({ TEMPORAL_TLS_CA_PATH: join(dir, 'nope.pem') })).toThrow(
      /ENOENT/,
    );
  });

  it('validates the log format and the worker health port', () => {
    expect(() => loadEnv({ ...BASE, LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    expect(() => loadEnv({ ...BASE, WORKER_HEALTH_PORT: 'http' })).toThrow(/WORKER_HEALTH_PORT/);
    expect(loadEnv(BASE)).toMatchObject({ LOG_FORMAT: 'pretty' });
    expect(loadEnv(BASE).WORKER_HEALTH_PORT).toBeUndefined();
    expect(loadEnv({ ...BASE, SHUTDOWN_GRACE_MS: '25000' }).SHUTDOWN_GRACE_MS).toBe(25_000);
  });

  it('verifies the Postgres certificate against the given CA', () => {
    const caPath = join(dir, 'ca.pem');
    const ssl = (settings: DatabaseSettings) =>
      (dataSourceOptions(settings) as PostgresConnectionOptions).ssl;
    expect(ssl({ url: BASE.DATABASE_URL })).toBeUndefined();
    expect(ssl({ url: BASE.DATABASE_URL, ssl: true })).toEqual({
      rejectUnauthorized: true,
    });
    expect(ssl({ url: BASE.DATABASE_URL, sslCaPath: caPath })).toEqual({
      rejectUnauthorized: true,
      ca: expect.stringContaining('ca.pem') as unknown,
    });
  });
});

describe('worker health endpoint', () => {
  it('is live unless failed and ready only while polling', async () => {
    let state: State = 'INITIALIZED';
    const health = await startWorkerHealthServer({ getState: () => state }, 0, '127.0.0.1');
    const status = async (path: string) =>
      (await fetch(`http://127.0.0.1:${health.port}${path}`)).status;
    try {
      expect([await status('/health/live'), await status('/health/ready')]).toEqual([200, 503]);
      state = 'RUNNING';
      expect([await status('/health/live'), await status('/health/ready')]).toEqual([200, 200]);
      state = 'DRAINING';
      expect([await status('/health/live'), await status('/health/ready')]).toEqual([200, 503]);
      state = 'FAILED';
      expect([await status('/health/live'), await status('/health/ready')]).toEqual([503, 503]);
      expect(await status('/elsewhere')).toBe(404);
    } finally {
      await health.close();
    }
  });
});

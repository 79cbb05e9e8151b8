import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';

export const TEMPORAL_SETTINGS = Symbol('TEMPORAL_SETTINGS');

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  /** TLS and API key; when omitted they are read from the TEMPORAL_TLS_* / TEMPORAL_API_KEY variables. */
  security?: TemporalSecurity;
}

export interface TemporalSecurity {
  tls?: TLSConfig;
  apiKey?: string;
}

/** The environment variables that say how to reach a secured Temporal cluster. */
export interface TemporalTlsEnv {
  TEMPORAL_TLS?: string;
  TEMPORAL_TLS_CERT_PATH?: string;
  TEMPORAL_TLS_KEY_PATH?: string;
  TEMPORAL_TLS_CA_PATH?: string;
  TEMPORAL_TLS_SERVER_NAME?: string;
  TEMPORAL_API_KEY?: string;
}

/**
 * TLS settings shared by the client (API, CLI) and the worker's NativeConnection. Nothing set
 * means plaintext, which is what the embedded dev server speaks; any certificate, CA, server name
 * or API key turns TLS on (Temporal Cloud and self-hosted clusters with mTLS both need it).
 */
export function temporalSecurity(env: TemporalTlsEnv): TemporalSecurity {
  const apiKey = env.TEMPORAL_API_KEY || undefined;
  const wantsTls =
    env.TEMPORAL_TLS === 'true' ||
    Boolean(
      apiKey ||
      env.TEMPORAL_TLS_CERT_PATH ||
      env.TEMPORAL_TLS_CA_PATH ||
      env.TEMPORAL_TLS_SERVER_NAME,
    );
  if (!wantsTls) return {};
  const tls: TLSConfig = {};
  if (env.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = env.TEMPORAL_TLS_SERVER_NAME;
  if (env.TEMPORAL_TLS_CA_PATH)
    tls.serverRootCACertificate = readFileSync(env.TEMPORAL_TLS_CA_PATH);
  if (env.TEMPORAL_TLS_CERT_PATH && env.TEMPORAL_TLS_KEY_PATH) {
    tls.clientCertPair = {
      crt: readFileSync(env.TEMPORAL_TLS_CERT_PATH),
      key: readFileSync(env.TEMPORAL_TLS_KEY_PATH),
    };
  }
  return { tls, ...(apiKey ? { apiKey } : {}) };
}

const MAX_RECEIVE_BYTES = 128 * 1024 * 1024;

/**
 * Owns the one gRPC connection a process keeps to Temporal. The connection is lazy so that the
 * API can boot (and report `temporal: down` on /api/health) while Temporal is still starting.
 */
@Injectable()
export class TemporalClientService implements OnApplicationShutdown {
  private connection?: Promise<Connection>;
  private client?: Client;

  constructor(@Inject(TEMPORAL_SETTINGS) readonly settings: TemporalSettings) {}

  async getClient(): Promise<Client> {
    if (this.client) return this.client;
    const connection = await this.getConnection();
    this.client = new Client({ connection, namespace: this.settings.namespace });
    return this.client;
  }

  getConnection(): Promise<Connection> {
    const security = this.settings.security ?? temporalSecurity(process.env);
    this.connection ??= Connection.connect({
      address: this.settings.address,
      ...security,
      // The SDK (1.24) means to allow 128 MB responses but spells the option without its
      // `grpc.` prefix, so grpc-js keeps its 4 MB limit — and a run that continued as new for
      // its history size has a history page over 4 MB, which audit and archive must read.
      channelArgs: { 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES },
    }).catch((error) => {
      this.connection = undefined; // let the next call try again
      throw error;
    });
    return this.connection;
  }

  /** True when the frontend answers a cheap call within the timeout. */
  async isHealthy(timeoutMs = 2000): Promise<boolean> {
    try {
      const connection = await withTimeout(this.getConnection(), timeoutMs);
      await withTimeout(connection.healthService.check({}), timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = await this.connection?.catch(() => undefined);
    await connection?.close();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

@Module({})
export class TemporalClientModule {
  static forRoot(settings: TemporalSettings): DynamicModule {
    return {
      module: TemporalClientModule,
      global: true,
      providers: [{ provide: TEMPORAL_SETTINGS, useValue: settings }, TemporalClientService],
      exports: [TemporalClientService],
    };
  }
}

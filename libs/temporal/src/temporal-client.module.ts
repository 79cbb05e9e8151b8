import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';

export const TEMPORAL_SETTINGS = Symbol('TEMPORAL_SETTINGS');

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
}

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
    this.connection ??= Connection.connect({ address: this.settings.address }).catch((error) => {
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

import { TASK_QUEUE } from '@duban/contracts';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/** Every setting Duban reads from the environment, validated once at boot. */
export class DubanEnv {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsString()
  @MinLength(1)
  DATABASE_URL!: string;

  @IsString()
  TEMPORAL_ADDRESS = 'localhost:7233';

  @IsString()
  TEMPORAL_NAMESPACE = 'default';

  /** Task queue of the task-quarter workflows; tests give each stack its own. */
  @IsString()
  TEMPORAL_TASK_QUEUE: string = TASK_QUEUE;

  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Secret that signs access tokens; required in production, a per-process random one otherwise. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  JWT_SECRET?: string;

  @IsString()
  JWT_TTL = '8h';

  @IsString()
  DEMO_PASSWORD = 'duban-demo';

  /** District code used in plan ids (`2017-jianghai`). */
  @IsString()
  DISTRICT_CODE = 'jianghai';

  /** Prebuilt workflow bundle; when unset the worker bundles `workflows/` from source. */
  @IsOptional()
  @IsString()
  WORKFLOW_BUNDLE_PATH?: string;

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error' = 'info';

  @IsIn(['true', 'false'])
  DATABASE_SSL: 'true' | 'false' = 'false';

  /** PEM bundle that signs the Postgres server certificate (managed Postgres); implies DATABASE_SSL. */
  @IsOptional()
  @IsString()
  DATABASE_SSL_CA_PATH?: string;

  /** mTLS to Temporal (a self-hosted cluster): client certificate and key, PEM files. */
  @IsOptional()
  @IsString()
  TEMPORAL_TLS_CERT_PATH?: string;

  @IsOptional()
  @IsString()
  TEMPORAL_TLS_KEY_PATH?: string;

  /** CA that signs the Temporal frontend's certificate when it is not publicly trusted. */
  @IsOptional()
  @IsString()
  TEMPORAL_TLS_CA_PATH?: string;

  /** Overrides the name checked against the frontend's certificate (SNI). */
  @IsOptional()
  @IsString()
  TEMPORAL_TLS_SERVER_NAME?: string;

  /** 'true' for server-only TLS with the system trust store (no client certificate). */
  @IsIn(['true', 'false'])
  TEMPORAL_TLS: 'true' | 'false' = 'false';

  /** API key for Temporal Cloud; implies TLS. */
  @IsOptional()
  @IsString()
  TEMPORAL_API_KEY?: string;

  /** `json` writes one JSON object per log line (production); `pretty` is Nest's coloured text. */
  @IsIn(['json', 'pretty'])
  LOG_FORMAT: 'json' | 'pretty' = 'pretty';

  /** Port of the worker's /health/live and /health/ready endpoints; unset means none. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_HEALTH_PORT?: number;

  /** Worker identity shown in workflow histories; defaults to the SDK's `pid@hostname`. */
  @IsOptional()
  @IsString()
  WORKER_IDENTITY?: string;

  /**
   * How long a stopping process waits for in-flight requests (API, default 25 s) or running
   * activities (worker; unset keeps the SDK's default of cancelling them at once, as tests and
   * the embedded default expect) before it gives up.
   */
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS?: number;

  /**
   * Workflows the worker keeps in memory (sticky cache). Unset: the SDK's default, about 600 per
   * GiB of Node heap. An update to a workflow that is not cached makes the worker fetch and replay
   * its whole history first, so size it to the task-quarters that are busy at once (a deadline
   * day touches all of them) — and give the heap room for them (NODE_OPTIONS=--max-old-space-size).
   */
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  WORKER_MAX_CACHED_WORKFLOWS?: number;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Validates the environment; throws a ConfigError listing every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): DubanEnv {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const env = plainToInstance(DubanEnv, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`),
  );
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
    problems.push('JWT_SECRET: must be set in production (at least 16 characters)');
  }
  if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH: set both or neither');
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return env;
}

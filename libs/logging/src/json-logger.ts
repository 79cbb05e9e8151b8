import type { LoggerService, LogLevel } from '@nestjs/common';

export type LogFormat = 'json' | 'pretty';
export type DubanLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One log line as written by the JSON logger: what log shippers (Loki, CloudWatch…) index. */
export interface LogRecord {
  time: string;
  level: DubanLogLevel;
  msg: string;
  service: string;
  context?: string;
  [field: string]: unknown;
}

const SEVERITY: Record<DubanLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: string) => void;

/**
 * A Nest LoggerService that writes one JSON object per line to stdout, so that a cluster's log
 * pipeline can parse level, context and error stacks without regexes. Nest calls it as
 * `log(message, context)` and `error(message, stack, context)`.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly minimum: DubanLogLevel = 'info',
    private readonly sink: LogSink = (line) => process.stdout.write(line + '\n'),
  ) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack, context); an Error may also come as the message itself.
    const [first, second] = params;
    const stack =
      message instanceof Error
        ? message.stack
        : typeof first === 'string' && params.length >= 2
          ? first
          : undefined;
    const context = params.length >= 2 ? second : first;
    this.write('error', message, context === undefined ? [] : [context], stack);
  }

  /** Writes a record with extra fields (worker identity, task queue…); used outside Nest too. */
  record(level: DubanLogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    if (SEVERITY[level] < SEVERITY[this.minimum]) return;
    const record: LogRecord = {
      time: new Date().toISOString(),
      level,
      msg,
      service: this.service,
      ...fields,
    };
    this.sink(safeStringify(record));
  }

  private write(level: DubanLogLevel, message: unknown, params: unknown[], stack?: string): void {
    const last = params[params.length - 1];
    const context = typeof last === 'string' ? last : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      fields.error = message.name;
      this.record(level, message.message, fields);
    } else if (typeof message === 'object' && message !== null) {
      this.record(level, '', { ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.record(level, String(message), fields);
    }
  }
}

function safeStringify(record: LogRecord): string {
  try {
    return JSON.stringify(record);
  } catch {
    return JSON.stringify({ ...record, msg: String(record.msg), unserialisable: true });
  }
}

/** Nest's own levels at and above `minimum`, for the `pretty` format. */
export function nestLogLevels(minimum: DubanLogLevel): LogLevel[] {
  const all: Array<[LogLevel, DubanLogLevel]> = [
    ['verbose', 'debug'],
    ['debug', 'debug'],
    ['log', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
    ['fatal', 'error'],
  ];
  return all.filter(([, level]) => SEVERITY[level] >= SEVERITY[minimum]).map(([nest]) => nest);
}

/**
 * The `logger` option for NestFactory: a JsonLogger for `json`, Nest's console logger at the
 * configured level for `pretty` (the embedded default stays as readable as before).
 */
export function nestLogger(
  service: string,
  format: LogFormat,
  level: DubanLogLevel,
): LoggerService | LogLevel[] {
  return format === 'json' ? new JsonLogger(service, level) : nestLogLevels(level);
}

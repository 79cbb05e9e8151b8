/**
 * Notification settings, read from the environment once at boot and validated here (not in
 * `@duban/config`, so the notifications feature stays self-contained). E-mail is off unless
 * SMTP_HOST is set; webhooks are off unless WEBHOOK_SECRET is set (they are always signed).
 */
export class NotificationSettings {
  constructor(
    readonly smtp: {
      host: string;
      port: number;
      secure: boolean;
      user: string | null;
      pass: string | null;
      from: string;
    } | null,
    readonly webhookSecret: string | null,
    readonly publicUrl: string,
    readonly dispatcher: {
      /** Pause between polls of the outbox. */
      intervalMs: number;
      /** Deliveries claimed per poll. */
      batchSize: number;
      /** Attempts before a delivery is marked failed. */
      maxAttempts: number;
      /** First retry delay; doubles with each attempt, capped at an hour. */
      backoffMs: number;
      /** How long a claim is exclusive; must exceed the send timeout. */
      leaseMs: number;
      /** Timeout of one SMTP conversation or webhook request. */
      sendTimeoutMs: number;
      /** A fresh delivery waits until its recipient has had no new one of the same channel and
       *  kind for this long (at most ten times this long), so that notices falling due together
       *  are sent as one digest. */
      digestWindowMs: number;
    },
  ) {}

  get emailEnabled(): boolean {
    return this.smtp !== null;
  }

  /** Webhooks are never sent unsigned: without a secret the channel is off. */
  get webhookEnabled(): boolean {
    return this.webhookSecret !== null;
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function text(env: Env, name: string): string | null {
  const raw = env[name];
  return raw === undefined || raw === '' ? null : raw;
}

/** Throws a message naming every bad setting, so a misconfigured worker refuses to start. */
export function loadNotificationSettings(env: Env = process.env): NotificationSettings {
  const problems: string[] = [];
  const attempt = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (error) {
      problems.push((error as Error).message);
      return fallback;
    }
  };
  const host = text(env, 'SMTP_HOST');
  const smtp = host
    ? {
        host,
        port: attempt(() => integer(env, 'SMTP_PORT', 587, 1, 65535), 587),
        secure: attempt(() => bool(env, 'SMTP_SECURE', false), false),
        user: text(env, 'SMTP_USER'),
        pass: text(env, 'SMTP_PASS'),
        from: text(env, 'SMTP_FROM') ?? '',
      }
    : null;
  if (smtp && !/^.+@.+$|<.+@.+>/.test(smtp.from)) {
    problems.push('SMTP_FROM must be a sender address when SMTP_HOST is set');
  }
  if (smtp && (smtp.user === null) !== (smtp.pass === null)) {
    problems.push('SMTP_USER and SMTP_PASS must be set together');
  }
  const webhookSecret = text(env, 'WEBHOOK_SECRET');
  if (webhookSecret !== null && webhookSecret.length < 16) {
    problems.push('WEBHOOK_SECRET must be at least 16 characters');
  }
  const publicUrl = (text(env, 'PUBLIC_URL') ?? 'http://localhost:3000').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicUrl)) problems.push('PUBLIC_URL must be an http(s) URL');
  const dispatcher = {
    intervalMs: attempt(() => integer(env, 'NOTIFY_INTERVAL_MS', 2000, 10, 600_000), 2000),
    batchSize: attempt(() => integer(env, 'NOTIFY_BATCH_SIZE', 100, 1, 1000), 100),
    maxAttempts: attempt(() => integer(env, 'NOTIFY_MAX_ATTEMPTS', 8, 1, 100), 8),
    backoffMs: attempt(() => integer(env, 'NOTIFY_BACKOFF_MS', 30_000, 1, 3_600_000), 30_000),
    leaseMs: attempt(() => integer(env, 'NOTIFY_LEASE_MS', 120_000, 100, 3_600_000), 120_000),
    sendTimeoutMs: attempt(
      () => integer(env, 'NOTIFY_SEND_TIMEOUT_MS', 30_000, 50, 600_000),
      30_000,
    ),
    digestWindowMs: attempt(() => integer(env, 'NOTIFY_DIGEST_WINDOW_MS', 5000, 0, 600_000), 5000),
  };
  if (dispatcher.leaseMs <= dispatcher.sendTimeoutMs) {
    problems.push('NOTIFY_LEASE_MS must exceed NOTIFY_SEND_TIMEOUT_MS');
  }
  if (problems.length > 0) {
    throw new Error(`Invalid notification settings:\n- ${problems.join('\n- ')}`);
  }
  return new NotificationSettings(smtp, webhookSecret, publicUrl, dispatcher);
}

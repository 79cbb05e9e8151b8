import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';

export type ActionKind = 'submit' | 'head-decision' | 'office-review' | 'deadline';

/** One write a user makes over HTTP; `marker` is unique text that lands in the stored record. */
export interface PlannedAction {
  kind: ActionKind;
  workflowId: string;
  username: string;
  path: string;
  body: Record<string, unknown>;
  marker: string;
  unitCode?: string;
}

export interface ActionOutcome extends PlannedAction {
  key: string;
  attempts: number;
  status: number;
  accepted: boolean;
  response: unknown;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** Posts JSON with node:http, so a caller can act the moment the request has left (`onSent`). */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  onSent?: () => void,
  timeoutMs = 120_000,
): Promise<HttpAnswer> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(payload.length),
          ...headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON: keep the text.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.on('finish', () => onSent?.());
    req.end(payload);
  });
}

/** A fresh Idempotency-Key. */
export function newKey(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

/**
 * A client that behaves as a careful user agent: every write carries an Idempotency-Key, and an
 * answer that is not definitive (no answer, 5xx, 429) is retried with the same key until it is.
 */
export class ActionClient {
  private tokens = new Map<string, string>();
  readonly outcomes: ActionOutcome[] = [];

  constructor(
    private readonly baseUrl: () => string,
    private readonly password: string,
  ) {}

  async token(username: string, deadlineMs = 120_000): Promise<string> {
    const cached = this.tokens.get(username);
    if (cached) return cached;
    const answer = await this.retrying(deadlineMs, `login ${username}`, () =>
      postJson(`${this.baseUrl()}/api/auth/login`, { username, password: this.password }, {}),
    );
    if (answer.status !== 200) {
      throw new Error(
        `login ${username} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
      );
    }
    const token = (answer.body as { accessToken: string }).accessToken;
    this.tokens.set(username, token);
    return token;
  }

  /** Sends one attempt of `action` with `key`; rejects when no answer came. */
  async attempt(action: PlannedAction, key: string, onSent?: () => void): Promise<HttpAnswer> {
    const token = await this.token(action.username);
    return postJson(
      `${this.baseUrl()}${action.path}`,
      action.body,
      { authorization: `Bearer ${token}`, 'idempotency-key': key },
      onSent,
    );
  }

  /**
   * Performs `action` until a definitive answer (2xx accepted, 4xx refused) and records it.
   * `firstAttempt` lets a fault own the first attempt (e.g. kill the API while it is in flight).
   */
  async perform(
    action: PlannedAction,
    options: { key?: string; deadlineMs?: number; firstAttempt?: Promise<HttpAnswer> } = {},
  ): Promise<ActionOutcome> {
    const key = options.key ?? newKey(action.kind);
    let attempts = 0;
    let first = options.firstAttempt;
    const answer = await this.retrying(
      options.deadlineMs ?? 300_000,
      `${action.kind} ${action.marker}`,
      () => {
        attempts += 1;
        if (first) {
          const pending = first;
          first = undefined;
          return pending;
        }
        return this.attempt(action, key);
      },
    );
    const outcome: ActionOutcome = {
      ...action,
      key,
      attempts,
      status: answer.status,
      accepted: answer.status >= 200 && answer.status < 300,
      response: answer.body,
    };
    this.outcomes.push(outcome);
    return outcome;
  }

  get accepted(): ActionOutcome[] {
    return this.outcomes.filter((o) => o.accepted);
  }

  private async retrying(
    deadlineMs: number,
    what: string,
    send: () => Promise<HttpAnswer>,
  ): Promise<HttpAnswer> {
    const deadline = Date.now() + deadlineMs;
    let delay = 200;
    let last = 'no attempt';
    for (;;) {
      try {
        const answer = await send();
        if (answer.status < 500 && answer.status !== 429) return answer;
        last = `${answer.status} ${JSON.stringify(answer.body)}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      if (Date.now() > deadline) {
        throw new Error(`${what}: no definitive answer within ${deadlineMs} ms (last: ${last})`);
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2_000);
    }
  }
}

/** Runs `tasks` with at most `limit` at a time, in order of start. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await run(item);
    }
  });
  await Promise.all(lanes);
}

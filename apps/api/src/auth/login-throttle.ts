/** Failed-login limits: per account and per client address, over a sliding window. */
export interface LoginThrottleLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginThrottleLimits = {
  perAccount: 5,
  perAddress: 20,
  windowMs: 15 * 60 * 1000,
};

/** An attempt as {@link LoginThrottle.begin} answered it. */
export interface LoginAttempt {
  /** 0 when the attempt may proceed; else how long the caller must wait. */
  retryAfterMs: number;
  /** What was counted for this attempt (empty when refused), to withdraw it later. */
  counted: readonly string[];
}

/**
 * Counts login attempts against an account and an address. An attempt is checked and counted in
 * one step before the password is compared, so that a concurrent burst cannot slip past the
 * limit while bcrypt runs; it counts as a failure until withdrawn.
 */
export abstract class LoginThrottle {
  abstract begin(username: string, address: string): Promise<LoginAttempt>;
  /** The attempt succeeded: clear the account's failures, withdraw it from the address. */
  abstract succeeded(username: string, address: string, attempt: LoginAttempt): Promise<void>;
  /** The attempt never reached a verdict (the database was down, say): not a failed guess. */
  abstract withdraw(attempt: LoginAttempt): Promise<void>;
}

export const accountKey = (username: string): string => `account:${username.toLowerCase()}`;
export const addressKey = (address: string): string => `address:${address}`;

/**
 * How long until a key may try again, given the times (ms, oldest first) of the failures that
 * still count: blocked until the oldest failure that still counts leaves the window.
 */
export function waitFor(
  failures: readonly number[],
  limit: number,
  windowMs: number,
  now: number,
): number {
  if (failures.length < limit) return 0;
  return Math.max(1, failures[failures.length - limit] + windowMs - now);
}

/** The same contract in one process's memory: for unit specs and single-process tools. */
export class MemoryLoginThrottle extends LoginThrottle {
  private readonly failures = new Map<string, Array<{ id: string; at: number }>>();
  private nextId = 0;

  constructor(
    private readonly limits: LoginThrottleLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  begin(username: string, address: string): Promise<LoginAttempt> {
    const keys = [accountKey(username), addressKey(address)];
    const retryAfterMs = Math.max(
      ...keys.map((key, i) =>
        waitFor(
          this.recent(key).map((f) => f.at),
          i === 0 ? this.limits.perAccount : this.limits.perAddress,
          this.limits.windowMs,
          this.now(),
        ),
      ),
    );
    if (retryAfterMs > 0) return Promise.resolve({ retryAfterMs, counted: [] });
    const at = this.now();
    const counted = keys.map((key) => {
      const id = `${key}#${this.nextId++}`;
      this.failures.set(key, [...this.recent(key), { id, at }]);
      return id;
    });
    return Promise.resolve({ retryAfterMs: 0, counted });
  }

  succeeded(username: string, _address: string, attempt: LoginAttempt): Promise<void> {
    this.failures.delete(accountKey(username));
    return this.withdraw(attempt);
  }

  withdraw(attempt: LoginAttempt): Promise<void> {
    for (const [key, list] of this.failures) {
      const kept = list.filter((f) => !attempt.counted.includes(f.id));
      if (kept.length === 0) this.failures.delete(key);
      else this.failures.set(key, kept);
    }
    return Promise.resolve();
  }

  private recent(key: string): Array<{ id: string; at: number }> {
    const since = this.now() - this.limits.windowMs;
    return (this.failures.get(key) ?? []).filter((f) => f.at > since);
  }
}

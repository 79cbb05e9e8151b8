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

/**
 * Counts failed logins in memory. Per process by design: a second API replica keeps its own
 * counts, which still bounds guessing to a small multiple of the limit.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: LoginThrottleLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the caller may try again, or 0 when the attempt may proceed. */
  retryAfterMs(username: string, address: string): number {
    return Math.max(
      this.wait(accountKey(username), this.limits.perAccount),
      this.wait(addressKey(address), this.limits.perAddress),
    );
  }

  recordFailure(username: string, address: string): number {
    const at = this.now();
    for (const key of [accountKey(username), addressKey(address)]) {
      const recent = this.recent(key);
      recent.push(at);
      this.failures.set(key, recent);
    }
    return at;
  }

  /**
   * Checks and counts an attempt in one synchronous step, before the password is compared:
   * concurrent attempts then see each other, so a burst cannot slip past the limit while bcrypt
   * runs. The attempt counts as a failure until {@link succeeded} withdraws it.
   */
  begin(username: string, address: string): { retryAfterMs: number; at: number } {
    const retryAfterMs = this.retryAfterMs(username, address);
    if (retryAfterMs > 0) return { retryAfterMs, at: 0 };
    return { retryAfterMs: 0, at: this.recordFailure(username, address) };
  }

  /** The attempt begun at `at` succeeded: clear the account, withdraw it from the address. */
  succeeded(username: string, address: string, at: number): void {
    this.recordSuccess(username);
    this.withdraw(username, address, at);
  }

  /**
   * The attempt begun at `at` never reached a verdict (the database was down, say): it is not a
   * failed guess, so it must not lock anyone out.
   */
  withdraw(username: string, address: string, at: number): void {
    for (const key of [accountKey(username), addressKey(address)]) {
      const recent = this.recent(key);
      const index = recent.indexOf(at);
      if (index >= 0) recent.splice(index, 1);
      if (recent.length === 0) this.failures.delete(key);
    }
  }

  /** A successful login clears the account's failures (not the address's). */
  recordSuccess(username: string): void {
    this.failures.delete(accountKey(username));
  }

  private wait(key: string, limit: number): number {
    const recent = this.recent(key);
    if (recent.length < limit) return 0;
    // Blocked until the oldest failure that still counts leaves the window.
    return recent[recent.length - limit] + this.limits.windowMs - this.now();
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}

const accountKey = (username: string): string => `account:${username.toLowerCase()}`;
const addressKey = (address: string): string => `address:${address}`;

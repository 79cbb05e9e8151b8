import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  accountKey,
  addressKey,
  DEFAULT_LOGIN_LIMITS,
  LoginThrottle,
  waitFor,
  type LoginAttempt,
  type LoginThrottleLimits,
} from './login-throttle';

/**
 * Failed logins in Postgres (`login_failure`), so every API replica enforces one limit: with
 * counters per process, N replicas behind a load balancer would allow N times the guesses.
 * Each attempt checks and counts in one transaction under an advisory lock per key, so
 * concurrent attempts — on this replica or another — are serialised and see each other.
 */
@Injectable()
export class DatabaseLoginThrottle extends LoginThrottle {
  private readonly limits: LoginThrottleLimits = DEFAULT_LOGIN_LIMITS;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  begin(username: string, address: string): Promise<LoginAttempt> {
    const keys = [accountKey(username), addressKey(address)];
    const windowSeconds = this.limits.windowMs / 1000;
    return this.dataSource.transaction(async (manager) => {
      // Locks taken in one order everywhere, so two attempts cannot deadlock.
      for (const key of [...keys].sort()) {
        await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
      }
      await manager.query(
        `DELETE FROM login_failure WHERE key = ANY($1) AND at <= now() - make_interval(secs => $2)`,
        [keys, windowSeconds],
      );
      const rows: Array<{ key: string; at_ms: string; now_ms: string }> = await manager.query(
        `SELECT key, (extract(epoch FROM at) * 1000)::bigint AS at_ms,
                (extract(epoch FROM now()) * 1000)::bigint AS now_ms
           FROM login_failure WHERE key = ANY($1) ORDER BY at, id`,
        [keys],
      );
      const now = rows.length ? Number(rows[0].now_ms) : 0;
      const retryAfterMs = Math.max(
        ...keys.map((key, i) =>
          waitFor(
            rows.filter((r) => r.key === key).map((r) => Number(r.at_ms)),
            i === 0 ? this.limits.perAccount : this.limits.perAddress,
            this.limits.windowMs,
            now,
          ),
        ),
      );
      if (retryAfterMs > 0) return { retryAfterMs, counted: [] };
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO login_failure (key, at) SELECT k, now() FROM unnest($1::varchar[]) AS k RETURNING id`,
        [keys],
      );
      return { retryAfterMs: 0, counted: inserted.map((r) => String(r.id)) };
    });
  }

  async succeeded(username: string, _address: string, attempt: LoginAttempt): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_failure WHERE key = $1 OR id = ANY($2)`, [
      accountKey(username),
      attempt.counted,
    ]);
  }

  async withdraw(attempt: LoginAttempt): Promise<void> {
    if (attempt.counted.length === 0) return;
    await this.dataSource.query(`DELETE FROM login_failure WHERE id = ANY($1)`, [attempt.counted]);
  }
}

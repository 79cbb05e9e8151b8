import { HttpException, UnauthorizedException } from '@nestjs/common';
import { account, authFixture } from './auth.spec-helpers';
import { MemoryLoginThrottle, waitFor } from './login-throttle';

describe('waitFor', () => {
  it('is 0 below the limit, then lasts until the oldest counting failure leaves the window', () => {
    expect(waitFor([1, 2, 3, 4], 5, 100, 10)).toBe(0);
    expect(waitFor([1, 2, 3, 4, 5], 5, 100, 10)).toBe(91);
    expect(waitFor([0, 1, 2, 3, 4, 5], 5, 100, 10)).toBe(91);
  });
});

describe('MemoryLoginThrottle', () => {
  it('blocks an account after 5 failures in 15 minutes and frees it when they age out', async () => {
    let now = 1_000_000;
    const throttle = new MemoryLoginThrottle(undefined, () => now);
    for (let i = 0; i < 5; i++) {
      expect((await throttle.begin('a', `10.0.0.${i}`)).retryAfterMs).toBe(0);
      now += 1000;
    }
    expect((await throttle.begin('A', '10.9.9.9')).retryAfterMs).toBeGreaterThan(0);
    expect((await throttle.begin('b', '10.9.9.9')).retryAfterMs).toBe(0);
    now += 15 * 60 * 1000 - 5000 + 1;
    expect((await throttle.begin('a', '10.9.9.8')).retryAfterMs).toBe(0);
  });

  it('blocks an address after 20 failures across accounts', async () => {
    const throttle = new MemoryLoginThrottle(undefined, () => 0);
    for (let i = 0; i < 20; i++) await throttle.begin(`user${i}`, '192.0.2.1');
    expect((await throttle.begin('someone-else', '192.0.2.1')).retryAfterMs).toBeGreaterThan(0);
    expect((await throttle.begin('someone-else', '192.0.2.2')).retryAfterMs).toBe(0);
  });

  it('a successful login clears the account, and AuthService answers 429 while blocked', async () => {
    const { auth } = authFixture([account()]);
    for (let i = 0; i < 4; i++) {
      await expect(auth.login('housing-water.staff', 'wrong', '127.0.0.1')).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
    }
    await expect(
      auth.login('housing-water.staff', 'secret-pass', '127.0.0.1'),
    ).resolves.toMatchObject({
      user: { username: 'housing-water.staff' },
    });
    for (let i = 0; i < 5; i++) {
      await expect(auth.login('housing-water.staff', 'wrong', '127.0.0.1')).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
    }
    const blocked = auth.login('housing-water.staff', 'secret-pass', '127.0.0.1');
    await expect(blocked).rejects.toBeInstanceOf(HttpException);
    await expect(blocked).rejects.toMatchObject({ status: 429 });
  });

  it('counts attempts before the password is checked, so a concurrent burst is held to the limit', async () => {
    const throttle = new MemoryLoginThrottle({ perAccount: 5, perAddress: 20, windowMs: 60_000 });
    // 100 attempts begun before any finishes (bcrypt is slow): only 5 may proceed.
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () => throttle.begin('victim', '192.0.2.7')),
    );
    expect(outcomes.filter((o) => o.retryAfterMs === 0)).toHaveLength(5);
  });

  it('withdraws a successful attempt from the address and clears the account', async () => {
    const throttle = new MemoryLoginThrottle({ perAccount: 2, perAddress: 2, windowMs: 60_000 });
    await throttle.succeeded('a', '192.0.2.8', await throttle.begin('a', '192.0.2.8'));
    await throttle.succeeded('b', '192.0.2.8', await throttle.begin('b', '192.0.2.8'));
    expect((await throttle.begin('c', '192.0.2.8')).retryAfterMs).toBe(0);
    expect((await throttle.begin('c', '192.0.2.8')).retryAfterMs).toBe(0);
    expect((await throttle.begin('c', '192.0.2.8')).retryAfterMs).toBeGreaterThan(0);
  });

  it('does not count attempts that were withdrawn (e.g. the database was down)', async () => {
    const throttle = new MemoryLoginThrottle({ perAccount: 2, perAddress: 2, windowMs: 60_000 });
    for (let i = 0; i < 10; i++) {
      const attempt = await throttle.begin('a', '192.0.2.9');
      expect(attempt.retryAfterMs).toBe(0);
      await throttle.withdraw(attempt);
    }
  });
});

import { HttpException, UnauthorizedException } from '@nestjs/common';
import { account, authFixture } from './auth.spec-helpers';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('blocks an account after 5 failures in 15 minutes and frees it when they age out', () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle(undefined, () => now);
    for (let i = 0; i < 5; i++) {
      expect(throttle.retryAfterMs('a', `10.0.0.${i}`)).toBe(0);
      throttle.recordFailure('a', `10.0.0.${i}`);
      now += 1000;
    }
    expect(throttle.retryAfterMs('A', '10.9.9.9')).toBeGreaterThan(0);
    expect(throttle.retryAfterMs('b', '10.9.9.9')).toBe(0);
    now += 15 * 60 * 1000 - 5000 + 1;
    expect(throttle.retryAfterMs('a', '10.9.9.9')).toBe(0);
  });

  it('blocks an address after 20 failures across accounts', () => {
    const throttle = new LoginThrottle(undefined, () => 0);
    for (let i = 0; i < 20; i++) throttle.recordFailure(`user${i}`, '192.0.2.1');
    expect(throttle.retryAfterMs('someone-else', '192.0.2.1')).toBeGreaterThan(0);
    expect(throttle.retryAfterMs('someone-else', '192.0.2.2')).toBe(0);
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
});

describe('LoginThrottle.begin', () => {
  it('counts attempts before the password is checked, so a concurrent burst is held to the limit', () => {
    const throttle = new LoginThrottle({ perAccount: 5, perAddress: 20, windowMs: 60_000 });
    // 100 attempts begun before any finishes (bcrypt is slow): only 5 may proceed.
    const outcomes = Array.from({ length: 100 }, () => throttle.begin('victim', '192.0.2.7'));
    expect(outcomes.filter((o) => o.retryAfterMs === 0)).toHaveLength(5);
  });

  it('withdraws a successful attempt from the address and clears the account', () => {
    const throttle = new LoginThrottle({ perAccount: 2, perAddress: 2, windowMs: 60_000 });
    const first = throttle.begin('a', '192.0.2.8');
    throttle.succeeded('a', '192.0.2.8', first.at);
    const second = throttle.begin('b', '192.0.2.8');
    throttle.succeeded('b', '192.0.2.8', second.at);
    expect(throttle.begin('c', '192.0.2.8').retryAfterMs).toBe(0);
    expect(throttle.begin('c', '192.0.2.8').retryAfterMs).toBe(0);
    expect(throttle.begin('c', '192.0.2.8').retryAfterMs).toBeGreaterThan(0);
  });
});

describe('LoginThrottle.withdraw', () => {
  it('does not count attempts that never reached a verdict (e.g. the database was down)', () => {
    const throttle = new LoginThrottle({ perAccount: 2, perAddress: 2, windowMs: 60_000 });
    for (let i = 0; i < 10; i++) {
      const attempt = throttle.begin('a', '192.0.2.9');
      expect(attempt.retryAfterMs).toBe(0);
      throttle.withdraw('a', '192.0.2.9', attempt.at);
    }
  });
});

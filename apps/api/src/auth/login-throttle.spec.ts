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

import { UnauthorizedException } from '@nestjs/common';
import { account, authFixture, contextFor, reflector, SECRET } from './auth.spec-helpers';
import type { RequestWithUser } from './authenticated-user';
import { Public } from './decorators';
import { bearerToken, JwtAuthGuard } from './jwt-auth.guard';
import { sign } from 'jsonwebtoken';

class Routes {
  @Public()
  open(this: void): void {}

  closed(this: void): void {}
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('JwtAuthGuard', () => {
  const user = account();
  const { auth, jwt } = authFixture([
    user,
    account({ id: 'inactive-id', username: 'gone', active: false }),
  ]);
  const guard = new JwtAuthGuard(reflector, auth);
  const claims = {
    sub: user.id,
    username: user.username,
    name: 'x',
    role: 'staff',
    unitCode: 'housing-water',
  };

  const run = (
    authorization: string | undefined,
    handler = Routes.prototype.closed,
  ): Promise<RequestWithUser> => {
    const request: RequestWithUser = { headers: { authorization } };
    return guard.canActivate(contextFor(request, Routes, handler)).then(() => request);
  };

  it('lets anyone through a @Public() route', async () => {
    await expect(run(undefined, Routes.prototype.open)).resolves.toEqual({
      headers: { authorization: undefined },
    });
  });

  it('rejects a missing token with 401', async () => {
    await expect(run(undefined)).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(run('Basic abc')).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('accepts a valid token and attaches the user from the account', async () => {
    const token = await jwt.signAsync({ ...claims, jti: 'j1' });
    const request = await run(`Bearer ${token}`);
    expect(request.user).toMatchObject({
      id: user.id,
      role: 'staff',
      unitCode: 'housing-water',
      tokenId: 'j1',
    });
  });

  it('rejects alg:none, forged signatures and expired tokens', async () => {
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, jti: 'n', exp: 9999999999 })}.`;
    await expect(run(`Bearer ${none}`)).rejects.toThrow('访问令牌无效');
    const forged = sign({ ...claims, jti: 'f' }, 'another-secret-0123456789', {
      algorithm: 'HS256',
      expiresIn: 60,
    });
    await expect(run(`Bearer ${forged}`)).rejects.toThrow('访问令牌无效');
    const hs512 = sign({ ...claims, jti: 'h' }, SECRET, { algorithm: 'HS512', expiresIn: 60 });
    await expect(run(`Bearer ${hs512}`)).rejects.toThrow('访问令牌无效');
    const expired = sign({ ...claims, jti: 'e', exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, {
      algorithm: 'HS256',
    });
    await expect(run(`Bearer ${expired}`)).rejects.toThrow('登录已过期');
  });

  it('rejects a token of an inactive account and a revoked token', async () => {
    const inactive = await jwt.signAsync({ ...claims, sub: 'inactive-id', jti: 'i' });
    await expect(run(`Bearer ${inactive}`)).rejects.toBeInstanceOf(UnauthorizedException);
    const token = await jwt.signAsync({ ...claims, jti: 'r' });
    const request = await run(`Bearer ${token}`);
    await auth.logout(request.user!);
    await expect(run(`Bearer ${token}`)).rejects.toThrow('已退出登录');
  });

  it('reads only well-formed bearer headers', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer  abc')).toBe('abc');
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken(['Bearer a'])).toBeNull();
  });
});

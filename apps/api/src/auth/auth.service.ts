import { randomUUID } from 'node:crypto';
import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as bcrypt from 'bcryptjs';
import type { Role } from '@duban/contracts';
import { AccountsService, type Account } from './accounts.service';
import type { AuthenticatedUser } from './authenticated-user';
import { LoginThrottle } from './login-throttle';
import { TokenRevocations } from './token-revocations';

/** The claims Duban signs into an access token. */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  name: string;
  role: Role;
  unitCode: string | null;
  jti: string;
  exp?: number;
  iat?: number;
}

export interface UserView {
  id: string;
  username: string;
  name: string;
  role: Role;
  unitCode: string | null;
}

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresAt: string;
  user: UserView;
}

/** A bcrypt hash of nothing anyone knows: unknown usernames cost as much time as wrong passwords. */
const DUMMY_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.8pMTnMGVYKXhnJlwSXAl2nCV.F1K';

@Injectable()
export class AuthService {
  constructor(
    private readonly jwt: JwtService,
    private readonly accounts: AccountsService,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(TokenRevocations) private readonly revocations: TokenRevocations,
  ) {}

  async login(username: string, password: string, address: string): Promise<LoginResult> {
    const attempt = await this.throttle.begin(username, address);
    const wait = attempt.retryAfterMs;
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60_000);
      throw new HttpException(
        `登录失败次数过多，请${minutes}分钟后再试`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    let account: Awaited<ReturnType<AccountsService['findByUsername']>>;
    let matches: boolean;
    try {
      account = await this.accounts.findByUsername(username);
      matches = await bcrypt.compare(password, account?.passwordHash ?? DUMMY_HASH);
    } catch (error) {
      // With the database gone the withdrawal may fail too; the original error is what matters.
      await this.throttle.withdraw(attempt).catch(() => undefined);
      throw error;
    }
    if (!account || !matches || !account.active) {
      throw new UnauthorizedException('用户名或密码错误'); // the attempt stays counted
    }
    await this.throttle.succeeded(username, address, attempt);
    const claims: AccessTokenClaims = {
      sub: account.id,
      username: account.username,
      name: account.displayName,
      role: account.role,
      unitCode: account.unitCode,
      jti: randomUUID(),
    };
    const accessToken = await this.jwt.signAsync(claims);
    const { exp } = this.jwt.decode<AccessTokenClaims>(accessToken);
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresAt: new Date((exp ?? 0) * 1000).toISOString(),
      user: viewOf(account),
    };
  }

  /**
   * Verifies a bearer token: HS256 only (so `alg: none` and forged signatures fail), not
   * expired, not revoked, and its account still active.
   */
  async authenticate(token: string): Promise<AuthenticatedUser> {
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? '登录已过期，请重新登录' : '访问令牌无效');
    }
    if (!claims.jti || !claims.sub || typeof claims.exp !== 'number') {
      throw new UnauthorizedException('访问令牌无效');
    }
    // Two independent primary-key lookups: in parallel, so a request waits for one round trip.
    const [revoked, account] = await Promise.all([
      this.revocations.isRevoked(claims.jti),
      this.accounts.findById(claims.sub),
    ]);
    if (revoked) throw new UnauthorizedException('已退出登录，请重新登录');
    if (!account?.active) throw new UnauthorizedException('账号不存在或已停用');
    return {
      id: account.id,
      username: account.username,
      name: account.displayName,
      role: account.role,
      unitCode: account.unitCode,
      tokenId: claims.jti,
      expiresAt: claims.exp,
    };
  }

  logout(user: AuthenticatedUser): Promise<void> {
    return this.revocations.revoke(user.tokenId, user.expiresAt);
  }
}

export function viewOf(
  account: Pick<Account, 'id' | 'username' | 'displayName' | 'role' | 'unitCode'>,
): UserView {
  return {
    id: account.id,
    username: account.username,
    name: account.displayName,
    role: account.role,
    unitCode: account.unitCode,
  };
}

import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { JwtService } from '@nestjs/jwt';
import * as bcrypt from 'bcryptjs';
import type { AccountsService, Account } from './accounts.service';
import { AuthService } from './auth.service';
import type { RequestWithUser } from './authenticated-user';
import { MemoryLoginThrottle, type LoginThrottle } from './login-throttle';
import { MemoryTokenRevocations } from './token-revocations';

export const SECRET = 'spec-secret-0123456789abcdef';

/** An auth service over in-memory accounts, with the same JWT settings as the module. */
export function authFixture(accounts: Account[] = []): {
  auth: AuthService;
  jwt: JwtService;
  throttle: LoginThrottle;
} {
  const jwt = new JwtService({
    secret: SECRET,
    signOptions: { algorithm: 'HS256', expiresIn: '1h' },
    verifyOptions: { algorithms: ['HS256'] },
  });
  const store = {
    findByUsername: (username: string) =>
      Promise.resolve(accounts.find((a) => a.username === username) ?? null),
    findById: (id: string) => Promise.resolve(accounts.find((a) => a.id === id) ?? null),
  } as unknown as AccountsService;
  const throttle = new MemoryLoginThrottle();
  return {
    auth: new AuthService(jwt, store, throttle, new MemoryTokenRevocations()),
    jwt,
    throttle,
  };
}

export function account(overrides: Partial<Account> = {}): Account {
  return {
    id: '6f1c2a8e-0000-4000-8000-000000000001',
    username: 'housing-water.staff',
    displayName: '住建水务局经办人',
    passwordHash: bcrypt.hashSync('secret-pass', 4),
    role: 'staff',
    unitCode: 'housing-water',
    active: true,
    ...overrides,
  };
}

/** An execution context for `handler` of `controller` carrying `request`. */
export function contextFor(
  request: RequestWithUser,
  controller: new (...args: never[]) => object,
  handler: (...args: never[]) => unknown,
): ExecutionContextHost {
  return new ExecutionContextHost([request, {}, () => undefined], controller, handler);
}

export const reflector = new Reflector();

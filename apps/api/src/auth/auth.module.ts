import { createSecretKey, randomBytes } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import type { StringValue } from 'ms';
import { DubanEnv } from '@duban/config';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { DatabaseLoginThrottle } from './database-login-throttle';
import { JwtAuthGuard } from './jwt-auth.guard';
import { LoginThrottle } from './login-throttle';
import { RolesGuard } from './roles.guard';
import { DatabaseTokenRevocations, TokenRevocations } from './token-revocations';

/** `8h`, `30m` or a number of seconds, as JWT_TTL allows. */
export function tokenLifetime(ttl: string): StringValue | number {
  return /^\d+$/.test(ttl) ? Number(ttl) : (ttl as StringValue);
}

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [DubanEnv],
      useFactory: (env: DubanEnv) => ({
        // Outside production a missing secret means a fresh one per process: tokens die with it.
        // A KeyObject made once: given a string, jsonwebtoken tries it as a PEM public key (and
        // fails) before making a secret key, on every request — 12 % of the API's CPU under load.
        secret: createSecretKey(Buffer.from(env.JWT_SECRET ?? randomBytes(32).toString('hex'))),
        signOptions: { algorithm: 'HS256', expiresIn: tokenLifetime(env.JWT_TTL) },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AccountsService,
    AuthService,
    { provide: LoginThrottle, useClass: DatabaseLoginThrottle },
    { provide: TokenRevocations, useClass: DatabaseTokenRevocations },
    // Order matters: authentication first, then roles.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}

import request from 'supertest';
import type { App } from 'supertest/types';

/** Signs `username` in through POST /api/auth/login (which must answer 200); its bearer token. */
export async function login(http: App, username: string, password: string): Promise<string> {
  const res = await request(http).post('/api/auth/login').send({ username, password }).expect(200);
  return (res.body as { accessToken: string }).accessToken;
}

/**
 * Bearer tokens for the demo accounts, signed in once each and cached, over the HTTP server and
 * with the password the getters return (read at the first sign-in, so set them in `beforeAll`).
 */
export function demoTokens(http: () => App, password: () => string) {
  const tokens = new Map<string, string>();
  return async function token(username: string): Promise<string> {
    if (!tokens.has(username)) tokens.set(username, await login(http(), username, password()));
    return tokens.get(username)!;
  };
}

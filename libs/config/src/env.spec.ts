import { ConfigError, loadEnv } from './env';

describe('loadEnv', () => {
  it('applies defaults and converts the port', () => {
    const env = loadEnv({ DATABASE_URL: 'postgres://x@h/db', PORT: '4100' });
    expect(env.PORT).toBe(4100);
    expect(env.TEMPORAL_NAMESPACE).toBe('default');
    expect(env.DEMO_PASSWORD).toBe('duban-demo');
  });

  it('names every invalid variable', () => {
    expect(() => loadEnv({ PORT: 'abc', NODE_ENV: 'staging' })).toThrow(
      /DATABASE_URL[\s\S]*PORT|PORT[\s\S]*DATABASE_URL/,
    );
  });

  it('refuses to start in production without a token secret', () => {
    expect(() => loadEnv({ DATABASE_URL: 'postgres://x@h/db', NODE_ENV: 'production' })).toThrow(
      ConfigError,
    );
  });

  it('takes the worker cache size as a whole number, and refuses anything else', () => {
    const url = 'postgres://x@h/db';
    expect(loadEnv({ DATABASE_URL: url }).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(
      loadEnv({ DATABASE_URL: url, WORKER_MAX_CACHED_WORKFLOWS: '6000' })
        .WORKER_MAX_CACHED_WORKFLOWS,
    ).toBe(6000);
    for (const bad of ['-1', '1.5', 'lots']) {
      expect(() => loadEnv({ DATABASE_URL: url, WORKER_MAX_CACHED_WORKFLOWS: bad })).toThrow(
        /WORKER_MAX_CACHED_WORKFLOWS/,
      );
    }
  });
});

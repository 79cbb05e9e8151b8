import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { createApiApp } from '../../apps/api/src/app';
import { serveWebUi } from '../../apps/web/serve-static';
import { launchBrowser, type TestBrowser } from './browser';
import type { TestStack } from './stack';

const ROOT = join(__dirname, '..', '..');
const WEB = join(ROOT, 'apps', 'web');
/** Where the UI tests leave their screenshots. */
export const ARTIFACTS = join(ROOT, 'test-artifacts');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Builds the UI with Vite when dist is missing or older than its sources. */
function ensureWebBuilt(): void {
  const built = join(WEB, 'dist', 'index.html');
  const sources = Math.max(
    newestMtime(join(WEB, 'src')),
    newestMtime(join(WEB, 'index.html')),
    newestMtime(join(WEB, 'vite.config.mts')),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  // Vite is ESM-only and jest loads CommonJS, so the JS API runs in a child Node process.
  const result = spawnSync(process.execPath, [join(WEB, 'build.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, VITE_LOG_LEVEL: 'warn' },
  });
  if (result.status !== 0)
    throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Builds the UI if it is stale and makes the screenshot folder: call before starting anything. */
export function prepareWebUi(): void {
  ensureWebBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
}

export interface WebUi {
  /** The API, serving the built UI, listening on a free local port. */
  app: INestApplication;
  /** Its origin, e.g. `http://127.0.0.1:40123`. */
  baseUrl: string;
  browser: TestBrowser;
  /** A new isolated browser context, closed with the rest. */
  newContext: () => Promise<BrowserContext>;
  /** A fresh browser context (own localStorage) signed in through the sign-in form. */
  signIn: (username: string, viewport?: { width: number; height: number }) => Promise<Page>;
  /** Closes the contexts, the browser and the API (not the stack). */
  close: () => Promise<void>;
}

/** The real API over `stack`, serving the built UI, and a Chromium to drive it. */
export async function startWebUi(stack: TestStack): Promise<WebUi> {
  const app = await createApiApp(stack.env);
  const contexts: BrowserContext[] = [];
  let browser: TestBrowser | undefined;
  const close = async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app.close();
  };
  try {
    expect(serveWebUi(app, join(WEB, 'dist'))).not.toBeNull();
    await app.listen(0, '127.0.0.1');
    browser = await launchBrowser();
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  const baseUrl = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  const launched = browser;
  const newContext = async () => {
    const context = await launched.newContext();
    contexts.push(context);
    return context;
  };
  const password = stack.env.DEMO_PASSWORD;

  return {
    app,
    baseUrl,
    browser,
    newContext,
    async signIn(username, viewport = { width: 1280, height: 860 }) {
      const context = await newContext();
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      await page.goto(`${baseUrl}/`);
      await page.waitForURL(/\/login$/);
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(password);
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByTestId('current-user').waitFor();
      return page;
    },
    close,
  };
}

/**
 * Calls the API at `baseUrl` (`path` below `/api`) with JSON and a bearer token, if any; fails
 * unless it answers 2xx; its JSON answer.
 */
export async function callApi<T>(
  baseUrl: string,
  method: string,
  path: string,
  token: string | null,
  body?: object,
): Promise<T> {
  const response = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Saves a screenshot of `page` as `file` in the artifacts folder. */
export async function screenshot(
  page: Page,
  file: string,
  { fullPage = false }: { fullPage?: boolean } = {},
): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, file), fullPage });
}

/**
 * Waits (without sleeping blindly) until the locator's text matches; on failure keeps what the
 * page looked like as `<failurePrefix>-failure-<time>.png`.
 */
export function textExpectation(
  failurePrefix: string,
): (locator: Locator, expected: string | RegExp, timeoutMs?: number) => Promise<void> {
  return async function expectText(locator, expected, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      last =
        (await locator
          .first()
          .textContent({ timeout: timeoutMs })
          .catch(() => '')) ?? '';
      const ok = typeof expected === 'string' ? last.includes(expected) : expected.test(last);
      if (ok) return;
      if (Date.now() > deadline) {
        // Keep what the page looked like when the expectation failed.
        await locator
          .page()
          .screenshot({
            path: join(ARTIFACTS, `${failurePrefix}-failure-${Date.now()}.png`),
            fullPage: true,
          })
          .catch(() => undefined);
        throw new Error(`expected text ${String(expected)}, last saw: ${last.slice(0, 300)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
}

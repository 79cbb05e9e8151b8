import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function hasChineseFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
}

/**
 * Debian's Chromium, installed with apt when missing (the test machines run as root; no browser
 * download), and a small Chinese font so that screenshots show text rather than empty boxes.
 */
export function ensureChromium(): string {
  const packages = [
    ...(existsSync(CHROMIUM_PATH) ? [] : ['chromium']),
    ...(hasChineseFont() ? [] : ['fonts-wqy-microhei']),
  ];
  if (packages.length > 0) {
    execFileSync('sh', ['-c', `apt-get update && apt-get install -y ${packages.join(' ')}`], {
      stdio: 'inherit',
      timeout: 600_000,
    });
  }
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`${CHROMIUM_PATH} is still missing after apt-get install`);
  return CHROMIUM_PATH;
}

export interface TestBrowser {
  /** The persistent context on the fresh profile. */
  profile: BrowserContext;
  browser: Browser;
  /** A new isolated context (own cookies and localStorage): one per signed-in person. */
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Launches Chromium headless on a new, empty user-data directory, removed again on close.
 * Playwright refuses `--user-data-dir` in `args`, so the directory goes through
 * launchPersistentContext, which is the same flag underneath.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const executablePath = ensureChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), 'duban-chromium-'));
  const profile = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const browser = profile.browser();
  if (!browser) throw new Error('Chromium started without a browser handle');
  return {
    profile,
    browser,
    newContext: () =>
      browser.newContext({
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        viewport: { width: 1280, height: 860 },
      }),
    async close() {
      await profile.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

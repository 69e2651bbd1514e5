// e2e browser: Debian's Chromium driven by playwright-core, a fresh profile per browser, and a watch on CSP violations,
// page errors and console errors (a test fails on any of them).
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots');

/** What went wrong in a page: CSP violations (from the securitypolicyviolation event), uncaught errors, console errors. */
export interface PageProblems {
  csp: string[];
  errors: string[];
  console: string[];
}

export interface E2eBrowser {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  /** Opens another tab in the same profile, watched the same way. */
  newPage(): Promise<{ page: Page; problems: PageProblems }>;
  close(): Promise<void>;
}

// Injected by the DevTools protocol before any page script; the page's CSP does not apply to it.
const CSP_WATCH = `
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push([e.violatedDirective, e.blockedURI, e.sample, e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber].join(' | '));
  });
`;

function watch(page: Page): PageProblems {
  const problems: PageProblems = { csp: [], errors: [], console: [] };
  page.on('pageerror', (e) => problems.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const t = m.text();
    if (/Content Security Policy|Refused to/.test(t)) problems.csp.push(t);
    // Failed API answers (a viewer's 403, a 404 probe) are logged by Chromium as resource errors: those are expected.
    else if (!/Failed to load resource|WebSocket connection to .* failed/.test(t)) problems.console.push(t);
  });
  return problems;
}

/** CSP violations the page's own listener saw (the console may not report them all). */
export async function cspEvents(page: Page): Promise<string[]> {
  return page.evaluate('window.__csp || []');
}

/** Launches Chromium with a fresh user-data-dir. */
export async function openBrowser(): Promise<E2eBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'portcullis-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 900 }, timeout: 30_000,
  });
  await context.addInitScript(CSP_WATCH);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = watch(page);
  return {
    context, page, problems,
    newPage: async () => {
      const p = await context.newPage();
      return { page: p, problems: watch(p) };
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot of the page as docs/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Logs in through the login form and waits for the next page. */
export async function loginUi(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.getByTestId('login-submit').click();
}

// The XSS test: containers whose labels, env, command and log output carry script and HTML payloads are shown on every
// page that renders them; nothing executes, no payload becomes an element, and the CSP never has to block anything.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspEvents, loginUi, openBrowser, type E2eBrowser } from './support/browser.js';
import { makeContainer, removeByPrefix, runPrefix } from './support/containers.js';
import { ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD, ApiSession, startE2eServer, type E2eServer } from './support/server.js';

const IMG = '<img src=x onerror=window.__pwned=1>';
const SCRIPT = '<script>window.__pwned=1</script>';
const SVG = '<svg onload=window.__pwned=1>';
// Label keys may not hold whitespace (HTML does not need it); Docker splits at the first '=': key '<svg/onload'.
const SVG_LABEL = '<svg/onload=window.__pwned=1>';
const IFRAME = '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>';
// Log output: the payloads as lines, one inside ANSI colour codes, and an OSC title sequence carrying markup.
const LOGGER = ['sh', '-c', `printf '%s\\n' '${SCRIPT}' '${IMG}'; printf '\\033[31m%s\\033[0m\\n' '${IFRAME}'; printf '\\033]0;<b>t</b>\\007${SVG}\\n'; sleep 3600`];

const prefix = runPrefix('xss');
let id = '';
let server: E2eServer;
let browser: E2eBrowser;

beforeAll(async () => {
  server = await startE2eServer();
  await ApiSession.login(server.url, 'admin', ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD);
  id = await makeContainer(`${prefix}-payload`, {
    labels: [`xss.img=${IMG}`, `xss.script=${SCRIPT}`, SVG_LABEL],
    env: [`XSS_ENV=${IFRAME}`],
    cmd: LOGGER,
  });
  browser = await openBrowser();
  await loginUi(browser.page, server.url, 'admin', ADMIN_PASSWORD);
  await browser.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeByPrefix(prefix);
});

/** Proves nothing ran and no payload turned into an element; returns the page text for the "shown as text" checks. */
async function assertInert(page: Page, where: string): Promise<string> {
  expect(await page.evaluate('typeof window.__pwned'), where).toBe('undefined');
  const injected = await page.evaluate(`[
    document.querySelectorAll('img[src="x"], svg[onload], iframe, [onerror], [onload], b').length,
    [...document.scripts].filter((s) => !s.src).length,
    [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
  ]`);
  expect(injected, where).toEqual([0, 0, 0]);
  expect(await cspEvents(page), where).toEqual([]);
  return (await page.textContent('body')) ?? '';
}

describe('hostile Docker strings in the browser', () => {
  it('renders payloads in labels, env and command as text on the container page (inspect)', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/containers/local/${id}?tab=inspect`);
    await page.getByTestId('inspect-labels').waitFor();
    const labels = (await page.getByTestId('inspect-labels').textContent()) ?? '';
    expect(labels).toContain(IMG);
    expect(labels).toContain(SCRIPT);
    expect(labels).toContain('<svg/onload');
    expect(await page.getByTestId('inspect-env').textContent()).toContain(IFRAME);
    expect(await page.getByTestId('inspect-json').textContent()).toContain(JSON.stringify(IMG).slice(1, -1));
    await assertInert(page, 'inspect');
  });

  it('renders payloads in log lines as text, in the static view and while following', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/containers/local/${id}?tab=logs`);
    const logs = page.getByTestId('logs');
    await expect.poll(() => logs.locator('.pc-log-line').count()).toBeGreaterThanOrEqual(4);
    const text = (await logs.textContent()) ?? '';
    for (const p of [SCRIPT, IMG, IFRAME, SVG]) expect(text).toContain(p);
    expect(text).not.toContain('<b>t</b>'); // the OSC title sequence is dropped, not shown or parsed
    expect(await logs.locator('span.ansi-fg-1').textContent()).toBe(IFRAME);
    await assertInert(page, 'logs');
    await page.getByTestId('logs-follow').click();
    await expect.poll(() => logs.locator('.pc-log-line').count()).toBeGreaterThanOrEqual(4);
    expect(await logs.textContent()).toContain(IMG);
    await assertInert(page, 'logs (follow)');
    const dl = page.waitForEvent('download');
    await page.getByTestId('logs-download').click();
    expect((await dl).suggestedFilename()).toBe(`${prefix}-payload.log`);
    await assertInert(page, 'logs (download)');
  });

  it('keeps the dashboard, the containers table (label filter included) and the events page inert', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/`);
    await page.getByTestId('dashboard-filter').fill(prefix);
    await expect.poll(() => page.getByTestId('dashboard-containers').locator('tbody tr').count()).toBe(1);
    await assertInert(page, 'dashboard');
    await page.goto(`${server.url}/containers?q=${prefix}`);
    await page.getByTestId('label-filter').fill(`xss.img=${IMG}`);
    await expect.poll(() => page.locator('[data-testid="containers-body"] [data-name]').count()).toBe(1);
    await assertInert(page, 'containers');
    await page.goto(`${server.url}/events`);
    await page.getByTestId('events-table').waitFor();
    await assertInert(page, 'events');
    expect(browser.problems.errors).toEqual([]);
    expect(browser.problems.csp).toEqual([]);
  });
});

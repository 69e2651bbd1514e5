// Browser tests of logging in: the forced first password change, logout, the session list with revoke, and how
// the server serves the UI (CSP header, cached hashed assets, index fallback, API 404s kept).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspEvents, loginUi, openBrowser, screenshot, type E2eBrowser } from './support/browser.js';
import { ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD, startE2eServer, type E2eServer } from './support/server.js';

let server: E2eServer;
let browser: E2eBrowser;

beforeAll(async () => {
  server = await startE2eServer();
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('serving the UI', () => {
  it('sends index.html with the strict CSP and no-cache for client routes, and hashed assets with a year of caching', async () => {
    const res = await fetch(`${server.url}/containers/some/where`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/style-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await res.text();
    expect(html).toContain('<base href="/" />');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script at all
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    const a = await fetch(`${server.url}/${asset}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(a.status).toBe(200);
    expect(a.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(a.headers.get('content-type')).toMatch(/javascript/);
  });

  it('keeps the API 404 for unknown /api, /agent and missing asset paths', async () => {
    for (const path of ['/api/v1/nope', '/agent/nope', '/assets/missing-abc.js', '/missing.png']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PC_ERR_ROUTE_NOT_FOUND');
    }
  });
});

describe('first login', () => {
  it('forces the bootstrap admin to change the password before anything else, then shows the dashboard', async () => {
    const { page, problems } = browser;
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login$/);
    await screenshot(page, 'login');
    await loginUi(page, server.url, 'admin', 'wrong-password-123');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toMatch(/wrong username or password/);
    await loginUi(page, server.url, 'admin', ADMIN_BOOT_PASSWORD);
    await page.waitForURL(/\/password$/);
    await page.getByTestId('forced-change').waitFor();
    // Until the password changes, the app's pages send the user back here.
    await page.goto(`${server.url}/containers`);
    await page.waitForURL(/\/password$/);
    await page.locator('input[name="current"]').fill(ADMIN_BOOT_PASSWORD);
    await page.locator('input[name="next"]').fill('short');
    await page.locator('input[name="again"]').fill('short');
    await page.getByTestId('password-submit').click();
    await expect.poll(() => page.getByTestId('password-error').textContent()).toMatch(/password refused/);
    await page.locator('input[name="current"]').fill(ADMIN_BOOT_PASSWORD);
    await page.locator('input[name="next"]').fill(ADMIN_PASSWORD);
    await page.locator('input[name="again"]').fill(ADMIN_PASSWORD);
    await page.getByTestId('password-submit').click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await page.getByTestId('current-user').textContent()).toBe('admin');
    // Nothing of the session lives in web storage: the CSRF token is kept in memory only.
    const storage = await page.evaluate('JSON.stringify([Object.keys(localStorage), Object.keys(sessionStorage)])');
    expect(storage).toBe('[[],[]]');
    expect(problems.errors).toEqual([]);
    expect(problems.csp).toEqual([]);
    expect(await cspEvents(page)).toEqual([]);
  });

  it('lists the sessions, revokes another one (that browser is logged out), and logs out', async () => {
    const { page } = browser;
    const other = await openBrowser();
    try {
      await loginUi(other.page, server.url, 'admin', ADMIN_PASSWORD);
      await other.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await page.goto(`${server.url}/account`);
      const rows = page.getByTestId('sessions-table').locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(2);
      await page.getByTestId('revoke-session').click();
      await page.getByTestId('confirm').click();
      await expect.poll(() => rows.count()).toBe(1);
      await screenshot(page, 'account');
      // The revoked browser's next request is refused and it lands on the login page.
      await other.page.goto(`${server.url}/hosts`);
      await other.page.waitForURL(/\/login$/);
    } finally {
      await other.close();
    }
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login$/);
  });
});

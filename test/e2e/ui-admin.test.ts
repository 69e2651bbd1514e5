// Browser tests of administration: add an agent host (token and command shown once), retag, rotate and revoke it;
// create a user and grant a role; create an API token (shown once, and it works); the rate-limit and lockout figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspEvents, loginUi, openBrowser, screenshot, type E2eBrowser } from './support/browser.js';
import { ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD, ApiSession, startE2eServer, USER_PASSWORD, type E2eServer } from './support/server.js';

let server: E2eServer;
let admin: ApiSession;
let browser: E2eBrowser;

interface HostJson { id: string; name: string; tags: string[] }
const hosts = async () => (await admin.json<{ hosts: HostJson[] }>('GET', '/api/v1/hosts')).hosts;

beforeAll(async () => {
  server = await startE2eServer();
  admin = await ApiSession.login(server.url, 'admin', ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD);
  browser = await openBrowser();
  await loginUi(browser.page, server.url, 'admin', ADMIN_PASSWORD);
  await browser.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('administration in the browser', () => {
  it('adds an agent host showing its token and agent command once, then retags, rotates and revokes it', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/hosts`);
    // The local host's Docker facts, from GET /hosts/:id/info.
    await page.locator('[data-testid="hosts-table"] tr[data-host="local"]').getByTestId('host-info-open').click();
    await expect.poll(() => page.getByTestId('host-info').textContent()).toMatch(/Operating system.+Kernel/);
    await page.keyboard.press('Escape');
    await page.getByTestId('add-host').click();
    await page.getByTestId('host-name').fill('edge-1');
    await page.getByRole('dialog').getByRole('button', { name: 'Add host' }).click();
    const token = (await page.getByTestId('agent-token').textContent()) ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(await page.getByTestId('agent-command').textContent()).toContain(token);
    await screenshot(page, 'hosts-add');
    await page.getByRole('button', { name: 'Done' }).click();
    expect((await hosts()).map((h) => h.name)).toContain('edge-1');
    // Shown once: nothing on the page holds the token any more.
    expect(await page.textContent('body')).not.toContain(token);
    const row = page.locator('[data-testid="hosts-table"] tr[data-host="edge-1"]');
    await row.getByRole('button', { name: 'Edit' }).click();
    await row.getByRole('combobox').fill('eu-west');
    await row.getByRole('combobox').press('Enter');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await hosts()).find((h) => h.name === 'edge-1')?.tags).toEqual(['eu-west']);
    await screenshot(page, 'hosts');
    await row.getByRole('button', { name: 'Rotate token' }).click();
    await page.getByTestId('confirm').click();
    const rotated = (await page.getByTestId('agent-token').textContent()) ?? '';
    expect(rotated.length).toBeGreaterThan(20);
    expect(rotated).not.toBe(token);
    await page.keyboard.press('Escape');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByTestId('confirm').click();
    await expect.poll(async () => (await hosts()).map((h) => h.name)).not.toContain('edge-1');
    await expect.poll(() => row.count()).toBe(0);
  });

  it('creates a user and grants a role, and the user can log in with it', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/admin`);
    await page.getByTestId('create-user').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Username').fill('carol');
    await dialog.getByLabel('Initial password').fill(USER_PASSWORD);
    await dialog.getByRole('switch').uncheck({ force: true });
    await dialog.getByRole('button', { name: 'Create' }).click();
    const row = page.locator('[data-testid="users-table"] tr[data-user="carol"]');
    await row.waitFor();
    await row.getByRole('button', { name: 'Grants' }).click();
    await page.getByRole('button', { name: 'Add grant' }).click();
    await expect.poll(() => page.getByTestId('grants-table').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('grants-table').textContent()).toContain('viewer');
    await page.keyboard.press('Escape');
    await screenshot(page, 'admin-users');
    const carol = await ApiSession.login(server.url, 'carol', USER_PASSWORD);
    const me = await carol.json<{ grants: { role: string; scopeType: string }[] }>('GET', '/api/v1/auth/me');
    expect(me.grants.map((g) => [g.role, g.scopeType])).toEqual([['viewer', 'all']]);
  });

  it('creates an API token shown once that works as a Bearer token, and shows the abuse-control figures', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/admin`);
    await page.getByRole('tab', { name: 'API tokens' }).click();
    await page.getByTestId('create-token').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('ci-reader');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const token = (await page.getByTestId('new-token').textContent()) ?? '';
    expect(token).toMatch(/^pct_/);
    const res = await fetch(`${server.url}/api/v1/hosts`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('tokens-table').getByText('ci-reader').waitFor();
    expect(await page.textContent('body')).not.toContain(token);
    await page.getByRole('tab', { name: 'Rate limits & lockouts' }).click();
    await page.getByTestId('stat-logins').waitFor();
    expect(Number(await page.getByTestId('stat-logins').textContent())).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'admin-security');
    expect(browser.problems.csp).toEqual([]);
    expect(await cspEvents(page)).toEqual([]);
    expect(browser.problems.errors).toEqual([]);
  });
});

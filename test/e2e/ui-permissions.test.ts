// Browser tests of what each user is offered: a viewer gets no stop, bulk or terminal controls (and sees env redacted);
// an admin on a server with exec enabled gets a working terminal; a refused action shows the server's reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspEvents, loginUi, openBrowser, screenshot, type E2eBrowser } from './support/browser.js';
import { makeContainer, removeByPrefix, runPrefix, stateOf } from './support/containers.js';
import { ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD, ApiSession, startE2eServer, USER_PASSWORD, type E2eServer } from './support/server.js';

const prefix = runPrefix('perm');
const name = `${prefix}-web`;
let id = '';
let server: E2eServer;
let admin: ApiSession;

beforeAll(async () => {
  server = await startE2eServer({ PORTCULLIS_EXEC_ENABLED: 'true' });
  admin = await ApiSession.login(server.url, 'admin', ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD);
  await admin.createUser('watcher', 'viewer');
  await admin.createUser('tagop', 'operator', 'prod');
  await admin.json('PATCH', '/api/v1/hosts/local', { tags: ['prod'] });
  id = await makeContainer(name, { env: ['DB_PASSWORD=hunter2-secret'] });
});

afterAll(async () => {
  await server?.close();
  await removeByPrefix(prefix);
});

async function asUser(username: string, password: string, fn: (b: E2eBrowser) => Promise<void>): Promise<void> {
  const b = await openBrowser();
  try {
    await loginUi(b.page, server.url, username, password);
    await b.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await fn(b);
    expect(b.problems.csp).toEqual([]);
    expect(await cspEvents(b.page)).toEqual([]);
    expect(b.problems.errors).toEqual([]);
  } finally {
    await b.close();
  }
}

describe('what a user is offered', () => {
  it('offers a viewer no stop, no bulk selection and no terminal, and shows env values redacted', async () => {
    await asUser('watcher', USER_PASSWORD, async ({ page }) => {
      await page.goto(`${server.url}/containers?q=${prefix}`);
      const row = page.locator(`[data-testid="containers-body"] [data-name="${name}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-state')).toBe('running');
      expect(await page.getByTestId('row-stop').count()).toBe(0);
      expect(await page.getByTestId('row-start').count()).toBe(0);
      expect(await page.locator('[data-testid="containers-table"] input[type="checkbox"]').count()).toBe(0);
      await page.goto(`${server.url}/containers/local/${id}`);
      await page.getByTestId('container-name').waitFor();
      expect(await page.getByTestId('container-actions').locator('button').count()).toBe(0);
      expect(await page.getByRole('tab').allTextContents()).toEqual(['Logs', 'Stats', 'Inspect']);
      expect(await page.getByTestId('tab-terminal').count()).toBe(0);
      await page.getByRole('tab', { name: 'Inspect' }).click();
      const env = page.getByTestId('inspect-env');
      await env.waitFor();
      expect(await env.textContent()).toContain('DB_PASSWORD<redacted>');
      expect(await page.textContent('body')).not.toContain('hunter2');
      // Pages and entries that need more than viewer rights are not offered either.
      expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
      await page.goto(`${server.url}/hosts`);
      await page.getByTestId('hosts-table').waitFor();
      expect(await page.getByTestId('add-host').count()).toBe(0);
    });
    expect(await stateOf(id)).toBe('running');
  });

  it('gives an admin a working exec terminal (xterm under the strict CSP) when the server enables exec', async () => {
    await asUser('admin', ADMIN_PASSWORD, async ({ page }) => {
      await page.goto(`${server.url}/containers/local/${id}?tab=terminal`);
      await page.getByTestId('terminal-open').click();
      await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('connected');
      await page.locator('.xterm-helper-textarea').focus();
      await page.keyboard.type('echo pc-$((6*7))\n');
      await expect.poll(() => page.locator('.xterm-rows').textContent(), { timeout: 15_000 }).toContain('pc-42');
      // 256-colour and true-colour cells are styled per cell by xterm: still no inline style may be refused.
      await page.keyboard.type(String.raw`printf '\033[38;5;196mred256\033[0m \033[38;2;10;200;30mtruecolour\033[0m\n'` + '\n');
      await expect.poll(() => page.locator('.xterm-rows').textContent(), { timeout: 15_000 }).toContain('red256 truecolour');
      await screenshot(page, 'container-terminal');
    });
    const records = await admin.json<{ records: { action: string; result: string }[] }>('GET', '/api/v1/audit?action=container.exec');
    expect(records.records.some((r) => r.result === 'success')).toBe(true);
  });

  it('shows the server\'s reason when an offered action is refused (the grant no longer covers the host)', async () => {
    await asUser('tagop', USER_PASSWORD, async ({ page }) => {
      await page.goto(`${server.url}/containers/local/${id}`);
      const stop = page.getByTestId('action-stop');
      await stop.waitFor();
      // The host loses the tag that carried the grant while the page is open: the button is stale, the server decides.
      await admin.json('PATCH', '/api/v1/hosts/local', { tags: [] });
      await stop.click();
      const alert = page.getByTestId('error');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/PC_ERR_(HOST_NOT_FOUND|AUTH_FORBIDDEN)/);
      await screenshot(page, 'denied');
    });
    await admin.json('PATCH', '/api/v1/hosts/local', { tags: ['prod'] });
    expect(await stateOf(id)).toBe('running');
  });
});

// Browser tests of the per-host pages: images, networks and volumes of the real dockerd (with removal from the UI),
// and the events page's history of a container the test starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, TEST_IMAGE, TEST_LABEL } from '../helpers/docker-cli.js';
import { cspEvents, loginUi, openBrowser, screenshot, type E2eBrowser } from './support/browser.js';
import { makeContainer, removeByPrefix, runPrefix } from './support/containers.js';
import { ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD, ApiSession, startE2eServer, type E2eServer } from './support/server.js';

const prefix = runPrefix('res');
let server: E2eServer;
let browser: E2eBrowser;

beforeAll(async () => {
  server = await startE2eServer();
  await ApiSession.login(server.url, 'admin', ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD);
  for (const args of [['network', 'create', '--label', TEST_LABEL, `${prefix}-net`], ['volume', 'create', '--label', TEST_LABEL, `${prefix}-vol`]]) {
    const r = await docker(args);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  await makeContainer(`${prefix}-ev`, { cmd: ['true'] });
  browser = await openBrowser();
  await loginUi(browser.page, server.url, 'admin', ADMIN_PASSWORD);
  await browser.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeByPrefix(prefix);
  await docker(['network', 'rm', `${prefix}-net`]);
  await docker(['volume', 'rm', '-f', `${prefix}-vol`]);
});

describe('per-host pages', () => {
  it('lists the images of the host', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/images`);
    await page.getByTestId('images-table').getByText(TEST_IMAGE).waitFor();
    await screenshot(page, 'images');
  });

  it('lists a network and removes it from the UI', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/networks`);
    const row = page.getByTestId('networks-table').locator('tr', { hasText: `${prefix}-net` });
    await row.waitFor();
    await screenshot(page, 'networks');
    await row.getByRole('button', { name: 'Remove' }).click();
    await page.getByTestId('confirm').click();
    await expect.poll(() => row.count()).toBe(0);
    expect((await docker(['network', 'inspect', `${prefix}-net`])).code).not.toBe(0);
  });

  it('lists a volume and removes it from the UI', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/volumes`);
    const row = page.getByTestId('volumes-table').locator('tr', { hasText: `${prefix}-vol` });
    await row.waitFor();
    await row.getByRole('button', { name: 'Remove' }).click();
    await page.getByTestId('confirm').click();
    await expect.poll(() => row.count()).toBe(0);
    expect((await docker(['volume', 'inspect', `${prefix}-vol`])).code).not.toBe(0);
  });

  it('shows the Docker events of the last hour, including the test container starting and dying', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/events`);
    const rows = page.getByTestId('events-table').locator('tr', { hasText: `${prefix}-ev` });
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const text = (await rows.allTextContents()).join(' ');
    expect(text).toMatch(/start/);
    expect(text).toMatch(/die/);
    await screenshot(page, 'events');
    expect(browser.problems.csp).toEqual([]);
    expect(await cspEvents(page)).toEqual([]);
    expect(browser.problems.errors).toEqual([]);
  });
});

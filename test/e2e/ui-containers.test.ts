// Browser tests of operating containers: the dashboard shows the real containers of the test dockerd, a stop and a start
// (from the UI and from the Docker CLI) show up live, logs follow with colours, bulk actions report per item, and the
// operator's actions appear on the audit log page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../helpers/docker-cli.js';
import { cspEvents, loginUi, openBrowser, screenshot, type E2eBrowser } from './support/browser.js';
import { COLOUR_LOGGER, makeContainer, removeByPrefix, runPrefix, stateOf } from './support/containers.js';
import { ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD, ApiSession, startE2eServer, USER_PASSWORD, type E2eServer } from './support/server.js';

const prefix = runPrefix('ops');
const names = { a: `${prefix}-a`, b: `${prefix}-b`, logger: `${prefix}-logger`, idle: `${prefix}-idle` };
const ids: Record<string, string> = {};
let server: E2eServer;
let admin: ApiSession;
let browser: E2eBrowser;

beforeAll(async () => {
  server = await startE2eServer();
  admin = await ApiSession.login(server.url, 'admin', ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD);
  await admin.createUser('oper', 'operator');
  ids.a = await makeContainer(names.a, { labels: ['tier=web'] });
  ids.b = await makeContainer(names.b, { labels: ['tier=web'] });
  ids.logger = await makeContainer(names.logger, { cmd: COLOUR_LOGGER, labels: ['tier=worker'] });
  ids.idle = await makeContainer(names.idle, { start: false });
  browser = await openBrowser();
  await loginUi(browser.page, server.url, 'oper', USER_PASSWORD);
  await browser.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeByPrefix(prefix);
});

describe('containers in the browser (operator)', () => {
  it('shows the real containers of the test dockerd on the dashboard, with their states', async () => {
    const { page } = browser;
    await page.getByTestId('dashboard-filter').fill(prefix);
    const rows = page.getByTestId('dashboard-containers').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    for (const [key, name] of Object.entries(names)) {
      const row = page.locator(`[data-testid="dashboard-containers"] tr[data-name="${name}"]`);
      expect(await row.locator('[data-state]').getAttribute('data-state')).toBe(await stateOf(ids[key]!));
    }
    const card = page.getByTestId('host-card-local');
    expect(Number((await card.getByTestId('count-total').textContent())!.split(' ')[0])).toBeGreaterThanOrEqual(4);
    await page.getByTestId('dashboard-filter').fill('');
    await screenshot(page, 'dashboard');
  });

  it('stops a container from the table and starts it from the Docker CLI, and the table follows both live', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/containers?q=${prefix}`);
    const row = page.locator(`[data-testid="containers-body"] [data-name="${names.a}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('running');
    await screenshot(page, 'containers');
    await row.getByTestId('row-stop').click();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('exited');
    expect(await stateOf(ids.a!)).toBe('exited');
    // A change made outside Portcullis arrives over the live WebSocket: no reload, no click.
    const started = await docker(['start', ids.a!]);
    expect(started.code).toBe(0);
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 15_000 }).toBe('running');
    const stopped = await docker(['stop', '-t', '0', ids.b!]);
    expect(stopped.code).toBe(0);
    const rowB = page.locator(`[data-testid="containers-body"] [data-name="${names.b}"]`);
    await expect.poll(() => rowB.getAttribute('data-state'), { timeout: 15_000 }).toBe('exited');
    await row.getByTestId('row-stop').waitFor();
  });

  it('runs a bulk action and lists the result of every container', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/containers?q=${prefix}`);
    for (const n of [names.b, names.idle]) await page.locator(`[data-testid="containers-body"] [data-name="${n}"] input[type="checkbox"]`).check();
    await page.getByTestId('bulk-start').click();
    const results = page.getByTestId('bulk-results').locator('tr');
    await expect.poll(() => results.count()).toBe(2);
    expect(await page.getByTestId('bulk-results').textContent()).not.toMatch(/refused|failed/);
    await expect.poll(async () => [await stateOf(ids.b!), await stateOf(ids.idle!)]).toEqual(['running', 'running']);
    await page.keyboard.press('Escape');
  });

  it('follows the logs of a container, rendering its ANSI colours as classes', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/containers/local/${ids.logger!}`);
    expect(await page.getByTestId('container-name').textContent()).toBe(names.logger);
    const logs = page.getByTestId('logs');
    await expect.poll(() => logs.locator('.pc-log-line').count()).toBeGreaterThan(0);
    await page.getByTestId('logs-follow').click();
    await expect.poll(() => page.getByTestId('logs-count').textContent()).toMatch(/following/);
    const last = async () => Number(/tick (\d+)/.exec((await logs.locator('.pc-log-line').last().textContent()) ?? '')?.[1] ?? -1);
    await expect.poll(last).toBeGreaterThan(-1);
    const first = await last();
    // New lines keep arriving while the page is open.
    await expect.poll(last, { timeout: 10_000 }).toBeGreaterThan(first + 3);
    expect(await logs.locator('span.ansi-fg-2').count()).toBeGreaterThan(0);
    expect(await logs.textContent()).not.toContain('\u001b');
    await screenshot(page, 'container-logs');
    await page.getByRole('tab', { name: 'Stats' }).click();
    // One sample a second: wait for ten so the charts have a shape.
    await expect.poll(async () => ((await page.locator('[data-testid="chart-cpu"] polyline').getAttribute('points')) ?? '').split(' ').length, { timeout: 20_000 }).toBeGreaterThan(10);
    await screenshot(page, 'container-stats');
  });

  it("shows the operator's actions on the audit log page (for an auditor)", async () => {
    const auditor = await openBrowser();
    try {
      await loginUi(auditor.page, server.url, 'admin', ADMIN_PASSWORD);
      await auditor.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await auditor.page.goto(`${server.url}/audit`);
      await auditor.page.getByTestId('audit-actor').fill('oper');
      const stop = auditor.page.locator('[data-testid="audit-table"] tr[data-action="container.stop"][data-result="success"]');
      await expect.poll(() => stop.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await stop.first().textContent()).toContain('oper');
      expect(await auditor.page.locator('[data-testid="audit-table"] tr[data-action="container.bulk"]').count()).toBeGreaterThan(0);
      await auditor.page.getByTestId('audit-verify').waitFor();
      expect(await auditor.page.getByTestId('audit-verify').textContent()).toMatch(/chain intact/);
      await screenshot(auditor.page, 'audit');
      expect(auditor.problems.csp).toEqual([]);
    } finally {
      await auditor.close();
    }
  });

  it('raised no CSP violation and no page error on any of these pages', async () => {
    expect(browser.problems.csp).toEqual([]);
    expect(await cspEvents(browser.page)).toEqual([]);
    expect(browser.problems.errors).toEqual([]);
    expect(browser.problems.console).toEqual([]);
  });
});

// Browser test of the exposure report: a privileged container and a "database" published on all interfaces show up on
// the host's exposure page with their rule ids, and the dashboard shows the host's score linking to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../helpers/docker-cli.js';
import { cspEvents, loginUi, openBrowser, screenshot } from './support/browser.js';
import { removeByPrefix, runPrefix } from './support/containers.js';
import { ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD, ApiSession, startE2eServer, type E2eServer } from './support/server.js';

const prefix = runPrefix('expo');
let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer();
  await ApiSession.login(server.url, 'admin', ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD);
  // created, not started: this sandbox's runc cannot start privileged containers, and the audit reads configuration
  const r = await docker(['create', '--name', `${prefix}-priv`, '--label', 'portcullis.test=1', '--privileged', 'portcullis-test/busybox:latest', 'sleep', '3600']);
  if (r.code !== 0) throw new Error(r.stderr);
});

afterAll(async () => {
  await server?.close();
  await removeByPrefix(prefix);
});

describe('exposure report in the UI', () => {
  it('shows the privileged container on the exposure page and the score on the dashboard', async () => {
    const b = await openBrowser();
    try {
      await loginUi(b.page, server.url, 'admin', ADMIN_PASSWORD);
      await b.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      const badge = b.page.getByTestId('host-card-local').getByTestId('exposure-score');
      await badge.waitFor({ timeout: 30_000 });
      const text = (await badge.textContent()) ?? '';
      const score = Number(/exposure (\d+)\/100/.exec(text)?.[1]);
      // one privileged container alone is a high finding: the score cannot be perfect
      expect(score).toBeLessThan(100);
      await badge.click();
      const row = b.page.locator(`[data-testid="exposure-findings"] tr[data-rule="PRIV-001"]`).filter({ hasText: `${prefix}-priv` });
      await row.first().waitFor({ timeout: 30_000 });
      expect(await b.page.getByTestId('exposure-page-score').textContent()).toContain(`${score}/100`);
      await screenshot(b.page, 'exposure');
      expect(b.problems.csp).toEqual([]);
      expect(await cspEvents(b.page)).toEqual([]);
    } finally {
      await b.close();
    }
  });
});

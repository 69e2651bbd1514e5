// Browser test of the second factor: a user with TOTP logs in through the code step (an app code, then a recovery
// code once), a wrong code shows the error, and nothing breaks the CSP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/auth/totp.js';
import { cspEvents, loginUi, openBrowser } from './support/browser.js';
import { ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD, ApiSession, startE2eServer, USER_PASSWORD, type E2eServer } from './support/server.js';

let server: E2eServer;
let secret = '';
let recovery: string[] = [];
/** The time step of the last code used (the server refuses a code of a step it already accepted). */
let usedStep = 0;

const step = (): number => Math.floor(Date.now() / 30_000);

/** A code of a step later than the last used one (waits for the next step when needed). */
async function freshCode(): Promise<string> {
  while (step() <= usedStep) await new Promise((r) => setTimeout(r, 500));
  usedStep = step();
  return totpCode({ secret });
}

beforeAll(async () => {
  server = await startE2eServer();
  const admin = await ApiSession.login(server.url, 'admin', ADMIN_BOOT_PASSWORD, ADMIN_PASSWORD);
  await admin.createUser('twofa', 'viewer');
  const user = await ApiSession.login(server.url, 'twofa', USER_PASSWORD);
  ({ secret } = await user.json<{ secret: string }>('POST', '/api/v1/auth/2fa/enrol', {}));
  usedStep = step() - 1;
  ({ recoveryCodes: recovery } = await user.json<{ recoveryCodes: string[] }>('POST', '/api/v1/auth/2fa/confirm', { code: await freshCode() }));
});

afterAll(async () => {
  await server?.close();
});

describe('two-factor login in the browser', () => {
  it('asks for the code after the password, refuses a wrong one, accepts a fresh one, then a recovery code', async () => {
    const b = await openBrowser();
    try {
      await loginUi(b.page, server.url, 'twofa', USER_PASSWORD);
      const code = b.page.locator('input[name="code"]');
      await code.waitFor();
      await code.fill('000000');
      await b.page.getByRole('button', { name: 'Verify' }).click();
      await b.page.getByTestId('second-step-error').waitFor();
      await code.fill(await freshCode());
      await b.page.getByRole('button', { name: 'Verify' }).click();
      await b.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await b.page.getByRole('button', { name: 'Log out' }).click();
      await b.page.locator('input[name="username"]').waitFor();

      await loginUi(b.page, server.url, 'twofa', USER_PASSWORD);
      await b.page.getByRole('button', { name: 'Use a recovery code' }).click();
      await b.page.locator('input[name="code"]').fill(recovery[0]!);
      await b.page.getByRole('button', { name: 'Verify' }).click();
      await b.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      expect(b.problems.csp).toEqual([]);
      expect(await cspEvents(b.page)).toEqual([]);
    } finally {
      await b.close();
    }
  });
});

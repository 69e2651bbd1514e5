// DNS rebinding against the control plane: a Host name the server does not answer for is refused
// before any route runs (login included), while loopback names, IPs and configured names pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userKey } from '../../src/auth/index.js';
import { buildApp, type AppConfig } from '../../src/server/index.js';
import { openDatabase, type Store } from '../../src/store/index.js';

const BIG = { max: 100_000, windowMs: 60_000 };
const config: AppConfig = {
  basePath: '', trustProxy: false, tls: false, maxBodyBytes: 64 * 1024, allowedHosts: ['portcullis.example.org'],
  rates: { auth: BIG, hosts: BIG, containers: BIG, notifications: BIG, ws: BIG },
  lockout: { maxFailures: 5, windowMs: 900_000, lockMs: 900_000 },
  sessionIdleMs: 1_800_000, sessionAbsoluteMs: 43_200_000, loginMinMs: 10,
};

describe('server Host check (DNS rebinding)', () => {
  let store: Store;
  let app: ReturnType<typeof buildApp>;
  beforeAll(async () => {
    store = await openDatabase('sqlite::memory:');
    await store.migrate();
    app = buildApp({ store, config });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('refuses a login sent with a rebinding Host, so it cannot even count toward a lockout', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { host: 'rebind.evil.example:18282' }, payload: { username: 'admin', password: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('PC_ERR_REQUEST_HOST');
    expect(await store.authFailures.get(userKey('admin'))).toBeUndefined();
    // The same attempt with a loopback Host is judged, and counted.
    const judged = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { host: '127.0.0.1:18282' }, payload: { username: 'admin', password: 'x' } });
    expect(judged.statusCode).toBe(401);
    expect((await store.authFailures.get(userKey('admin')))?.count).toBe(1);
  });

  it('answers loopback names, IP literals, single-label names and configured names', async () => {
    for (const host of ['127.0.0.1:18282', 'localhost:18282', '[::1]:18282', 'portcullis:18282', '192.168.1.10:18282', 'portcullis.example.org']) {
      const res = await app.inject({ method: 'GET', url: '/healthz', headers: { host } });
      expect(res.statusCode, host).not.toBe(403);
    }
  });
});

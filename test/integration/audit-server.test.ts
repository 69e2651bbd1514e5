// `portcullis audit host --server URL --host ID`: the report comes from a real server's exposure endpoint over the real dockerd.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditHost, type AuditIo } from '../../src/cli/audit.js';
import { readSettings, resolveServerSettings, serverSettings } from '../../src/config/index.js';
import { createLogger } from '../../src/log/index.js';
import { servicesOf, startServer, type StartedServer } from '../../src/server/index.js';
import { docker } from '../helpers/docker-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pc-audit-server-'));
const NAME = `pc-audit-srv-${process.pid}`;
let srv: StartedServer;
let token: string;

function io(env: NodeJS.ProcessEnv = {}): AuditIo & { out: string; err: string } {
  const o = { out: '', err: '' };
  return Object.assign(o, { env, cwd: dir, isTty: false, isRoot: false, stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) });
}

beforeAll(async () => {
  const resolved = resolveServerSettings(readSettings(serverSettings, {
    PORTCULLIS_LISTEN: '127.0.0.1:0', PORTCULLIS_DATA: join(dir, 'data'), PORTCULLIS_ADMIN_PASSWORD: 'Audit-Server-Bootstrap-51',
  }));
  srv = await startServer({ resolved, logger: createLogger({ level: 'error' }), printSecret: () => undefined });
  const admin = await srv.store.users.findByUsername('admin');
  await srv.store.users.update(admin!.id, { mustChangePassword: false });
  const issued = await servicesOf(srv.app).tokens.create(admin!.id, { name: 'audit-cli' });
  token = issued.token;
  // a token holds only what it is granted: the viewer role on every host is what an auditor needs
  const viewer = await srv.store.roles.findByName('viewer');
  await srv.store.grants.add({ roleId: viewer!.id, subjectType: 'token', subjectId: issued.info.id, scopeType: 'all', scopeValue: null });
  // created, not started (this sandbox's runc cannot start privileged containers; the audit reads configuration)
  const made = await docker(['create', '--name', NAME, '--label', 'portcullis.test=1', '--privileged', '-p', '127.0.0.1::5432', 'portcullis-test/busybox:latest', 'sleep', '300']);
  if (made.code !== 0) throw new Error(made.stderr);
});

afterAll(async () => {
  await docker(['rm', '-f', NAME]).catch(() => undefined);
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit host --server', () => {
  it('renders the server\'s report of the local host and fails on the privileged container', async () => {
    const a = io({ PORTCULLIS_TOKEN: token });
    const code = await runAuditHost({ server: srv.url, host: 'local', format: 'json', label: [] }, a);
    expect(a.err).toBe('');
    const report = JSON.parse(a.out) as { target: { kind: string }; findings: { ruleId: string; location?: { container?: { name: string } } }[] };
    expect(report.target.kind).toBe('host');
    const mine = report.findings.filter((f) => f.location?.container?.name === NAME);
    expect(mine.map((f) => f.ruleId)).toContain('PRIV-001');
    expect(code).toBe(1);
  });

  it('renders text and SARIF from the same report', async () => {
    const t = io({ PORTCULLIS_TOKEN: token });
    await runAuditHost({ server: srv.url, host: 'local', format: 'text' }, t);
    expect(t.out).toContain(NAME);
    const s = io({ PORTCULLIS_TOKEN: token });
    await runAuditHost({ server: srv.url, host: 'local', format: 'sarif' }, s);
    expect((JSON.parse(s.out) as { version: string }).version).toBe('2.1.0');
  });

  it('reads the token from --token-file and suppresses baselined findings', async () => {
    const first = io({ PORTCULLIS_TOKEN: token });
    await runAuditHost({ server: srv.url, host: 'local', format: 'json' }, first);
    const baseline = join(dir, 'baseline.json');
    writeFileSync(baseline, first.out);
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const b = io();
    const code = await runAuditHost({ server: srv.url, host: 'local', format: 'json', tokenFile, baseline }, b);
    const report = JSON.parse(b.out) as { findings: { suppressed: boolean; ruleId: string }[] };
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.suppressed)).toBe(true);
    expect(code).toBe(0);
  });

  it('exits 2 with the server\'s reason for a wrong token or an unknown host', async () => {
    const bad = io({ PORTCULLIS_TOKEN: 'pct_not-a-real-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(await runAuditHost({ server: srv.url, host: 'local' }, bad)).toBe(2);
    expect(bad.err).toContain('PC_ERR_AUTH_REQUIRED');
    const missing = io({ PORTCULLIS_TOKEN: token });
    expect(await runAuditHost({ server: srv.url, host: 'no-such-host' }, missing)).toBe(2);
    expect(missing.err).toContain('PC_ERR_HOST_NOT_FOUND');
  });
});

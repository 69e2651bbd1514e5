// Agent tunnel auth against a real `portcullis server` process and real agent processes: enrollment, key pinning,
// wrong token, wrong CA, replayed handshake, token rotation and revocation.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ensureTlsMaterial } from '../../src/server/index.js';
import { answerChallenge, loadEd25519Key, parseChallenge, parseReady, type Hello } from '../../src/tunnel/index.js';
import { AgentProcess, type AgentProcessOptions } from '../helpers/agent-process.js';
import { ApiClient, type AuditRow } from '../helpers/api-client.js';
import { docker } from '../helpers/docker-cli.js';
import { SERVER_ADMIN_PASSWORD, ServerProcess } from '../helpers/server-process.js';

let srv: ServerProcess;
let api: ApiClient;
const agents: AgentProcess[] = [];
const dirs: string[] = [];
const measured: Record<string, number> = {};

beforeAll(async () => {
  srv = await ServerProcess.start();
  api = await ApiClient.admin(srv.url, srv.ca(), SERVER_ADMIN_PASSWORD);
});

afterAll(async () => {
  await Promise.allSettled(agents.map((a) => a.dispose()));
  await api?.close();
  await srv?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  console.info(`agents.test.ts measurements (ms): ${JSON.stringify(measured)}`);
});

async function startAgent(opts: Partial<AgentProcessOptions> & { token: string }): Promise<AgentProcess> {
  const a = await AgentProcess.start({ url: srv.wsUrl, caFile: srv.caPath, ...opts });
  agents.push(a);
  return a;
}

/** Polls until `fn` returns a value that is not undefined. */
async function until<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Audit records of `action` for `target` (or any target with `target: null` filtering off), since `since`. */
async function auditOf(action: string, opts: { target?: string; result?: string; since?: string } = {}): Promise<AuditRow[]> {
  const rows = await api.audit({ action, ...(opts.result ? { result: opts.result } : {}), ...(opts.since ? { since: opts.since } : {}) });
  return opts.target === undefined ? rows : rows.filter((r) => r.target === opts.target);
}

/** A raw hub connection with the `ws` package: the answer to the upgrade, then the messages as they come. */
function hubSocket(token: string): { ws: WebSocket; upgrade: Promise<number>; next: () => Promise<string>; closed: Promise<{ code: number; reason: string }> } {
  const ws = new WebSocket(`${srv.wsUrl}/agent/v1/connect`, { headers: { authorization: `Bearer ${token}` }, ca: srv.ca() });
  const queue: string[] = [];
  const waiting: ((m: string) => void)[] = [];
  ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) return;
    const m = data.toString('utf8');
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  ws.on('error', () => undefined);
  const upgrade = new Promise<number>((resolve) => {
    ws.once('open', () => resolve(101));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
  const next = (): Promise<string> => {
    const m = queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no hub message within 5 s')), 5_000);
      waiting.push((x) => {
        clearTimeout(t);
        resolve(x);
      });
    });
  };
  return { ws, upgrade, next, closed };
}

describe('agent enrollment and identity', () => {
  it('enrolls an agent on its first connection: its key is stored and audited, /readyz is 200, the host is online with the Docker version', async () => {
    const created = await api.createHost('edge-enroll', ['edge']);
    expect([created.host.kind, created.host.enrolled, created.host.status.online]).toEqual(['agent', false, false]);
    expect(created.token).toMatch(/^pca_[A-Za-z0-9_-]{43}$/);
    expect(created.command).toContain('AGENT_TOKEN_FILE=');
    const a = await startAgent({ token: created.token });
    await a.waitReady();
    expect(statSync(a.keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(a.dataDir).mode & 0o777).toBe(0o700);
    await a.log.waitFor((l) => typeof l.msg === 'string' && l.msg.startsWith('created the agent key'));
    const ready = await a.readyz();
    expect(ready).toMatchObject({ status: 200, body: { tunnel: 'connected', hostId: created.host.id, host: 'edge-enroll', connections: 1, lastError: null } });
    const enrolls = await auditOf('agent.enroll', { target: created.host.id });
    expect(enrolls.map((r) => [r.actor, r.actorType, r.result])).toEqual([['agent:edge-enroll', 'agent', 'success']]);
    const connects = await until(async () => {
      const rows = await auditOf('agent.connect', { target: created.host.id, result: 'success' });
      return rows.length > 0 ? rows : undefined;
    }, 5_000, 'agent.connect success');
    expect(connects[0]!.details).toMatchObject({ policy: 'operator', agentVersion: '0.1.0' });
    const view = await api.host(created.host.id);
    const version = (await docker(['version', '--format', '{{.Server.Version}}'])).stdout.trim();
    expect(view).toMatchObject({ name: 'edge-enroll', tags: ['edge'], enrolled: true, agentPolicy: 'operator', agentVersion: '0.1.0' });
    expect(view!.status).toMatchObject({ online: true, dockerVersion: version });
    expect(JSON.stringify(await api.audit({}))).not.toContain(created.token);
  });

  it('refuses a second agent holding the token but another key (audited key-mismatch) and keeps the first one connected', async () => {
    const created = await api.createHost('edge-twin');
    const first = await startAgent({ token: created.token });
    await first.waitReady();
    const second = await startAgent({ token: created.token });
    const denied = await until(async () => {
      const rows = await auditOf('agent.connect', { target: created.host.id, result: 'denied' });
      return rows.length > 0 ? rows : undefined;
    }, 10_000, 'agent.connect denied');
    expect(denied[0]).toMatchObject({ actor: 'agent:edge-twin', details: { reason: 'key-mismatch' } });
    const refused = await until(async () => {
      const r = await second.readyz();
      return r.body.lastError !== null ? r : undefined;
    }, 10_000, 'the second agent’s lastError');
    expect(refused.status).toBe(503);
    expect(refused.body.lastError).toMatch(/not the one enrolled/);
    expect(refused.body.connections).toBe(0);
    // the first tunnel was never displaced: still its one connection, no disconnect recorded
    expect(await first.readyz()).toMatchObject({ status: 200, body: { connections: 1, lastError: null } });
    expect(first.log.lines.filter((l) => l.msg === 'tunnel closed')).toEqual([]);
    expect(await auditOf('agent.disconnect', { target: created.host.id })).toEqual([]);
    expect(await auditOf('agent.enroll', { target: created.host.id })).toHaveLength(1);
    expect((await api.host(created.host.id))!.status.online).toBe(true);
    await second.stop();
  });

  it('shows the enrolled key\'s fingerprint as the agent logs it; resetting the enrollment lets a new key enroll', async () => {
    const created = await api.createHost('edge-fpr');
    const first = await startAgent({ token: created.token });
    await first.waitReady();
    const logged = (await first.log.waitFor((l) => typeof l.fingerprint === 'string')).fingerprint as string;
    expect(logged).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect((await api.host(created.host.id))!.agentKeyFingerprint).toBe(logged);
    await first.stop();
    // a second machine with another key cannot take over until an admin resets the enrollment
    const reset = await api.request('POST', `/api/v1/hosts/${created.host.id}/enrollment/reset`);
    expect(reset.status).toBe(200);
    expect((await api.host(created.host.id))!).toMatchObject({ enrolled: false, agentKeyFingerprint: null });
    expect(await auditOf('host.enrollment.reset', { target: created.host.id })).toHaveLength(1);
    const second = await startAgent({ token: created.token });
    await second.waitReady();
    const other = (await second.log.waitFor((l) => typeof l.fingerprint === 'string')).fingerprint as string;
    expect(other).not.toBe(logged);
    expect((await api.host(created.host.id))!.agentKeyFingerprint).toBe(other);
  });

  it('answers 401 to an unknown token, audits it, and the agent keeps retrying (readyz 503, lastError names 401)', async () => {
    const since = new Date().toISOString();
    const token = `pca_${randomBytes(32).toString('base64url')}`;
    const a = await startAgent({ token });
    const rows = await until(async () => {
      const r = await auditOf('agent.connect', { result: 'denied', since });
      return r.filter((x) => x.details.reason === 'unknown-token').length >= 2 ? r : undefined;
    }, 20_000, 'two refused attempts');
    expect(rows.every((r) => r.actor === 'anonymous' && r.target === null)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(token);
    const r = await a.readyz();
    expect(r.status).toBe(503);
    expect(r.body.connections).toBe(0);
    expect(r.body.lastError).toMatch(/\(401\)/);
    expect(a.log.lines.filter((l) => typeof l.retryInMs === 'number').length).toBeGreaterThanOrEqual(2);
    expect(a.log.text()).not.toContain(token);
    await a.stop();
    const noToken = hubSocket('');
    expect(await noToken.upgrade).toBe(401);
    await until(async () => {
      const d = await auditOf('agent.connect', { result: 'denied', since });
      return d.some((x) => x.details.reason === 'no-token') ? d : undefined;
    }, 5_000, 'agent.connect denied no-token');
  });

  it('never connects when pinned to another CA (a second server’s), and the host stays unenrolled', async () => {
    const created = await api.createHost('edge-wrong-ca');
    const other = mkdtempSync(join(tmpdir(), 'portcullis-otherca-'));
    dirs.push(other);
    const tls = await ensureTlsMaterial(other, '127.0.0.1');
    expect(tls.caCert).not.toBe(srv.ca());
    const a = await startAgent({ token: created.token, caFile: tls.caCertPath });
    const deadline = Date.now() + 6_000;
    while (Date.now() < deadline) {
      expect((await a.readyz()).status).toBe(503);
      await new Promise((r) => setTimeout(r, 200));
    }
    const r = await a.readyz();
    expect(r.body).toMatchObject({ connections: 0, hostId: null });
    expect(r.body.lastError).toMatch(/certificate/i);
    expect(a.log.lines.filter((l) => typeof l.retryInMs === 'number').length).toBeGreaterThanOrEqual(2);
    const view = await api.host(created.host.id);
    expect([view!.enrolled, view!.status.online]).toEqual([false, false]);
    expect(await auditOf('agent.connect', { target: created.host.id })).toEqual([]);
    await a.stop();
  });

  it('refuses a replayed hello: a valid signature for one nonce is rejected on a new connection (4003 bad-signature, audited)', async () => {
    const created = await api.createHost('edge-replay');
    const a = await startAgent({ token: created.token });
    await a.waitReady();
    await a.stop();
    const key = loadEd25519Key(readFileSync(a.keyFile, 'utf8'));
    // a legitimate handshake, captured: it is accepted on its own connection
    const one = hubSocket(created.token);
    expect(await one.upgrade).toBe(101);
    const c1 = parseChallenge(await one.next());
    expect([c1.hostId, c1.enrolled]).toEqual([created.host.id, true]);
    const captured: Hello = answerChallenge(c1, key, { agentVersion: '0.1.0', policy: 'operator' });
    one.ws.send(JSON.stringify(captured));
    expect(parseReady(await one.next())).toMatchObject({ hostId: created.host.id, hostName: 'edge-replay' });
    one.ws.close(1000);
    await one.closed;
    // the same bytes on a new connection: its nonce differs, so the signature does not verify
    const two = hubSocket(created.token);
    expect(await two.upgrade).toBe(101);
    const c2 = parseChallenge(await two.next());
    expect(c2.nonce).not.toBe(c1.nonce);
    two.ws.send(JSON.stringify(captured));
    expect(await two.closed).toEqual({ code: 4003, reason: 'bad signature' });
    const denied = await until(async () => {
      const rows = await auditOf('agent.connect', { target: created.host.id, result: 'denied' });
      return rows.length > 0 ? rows : undefined;
    }, 5_000, 'agent.connect denied');
    expect(denied.map((d) => d.details.reason)).toEqual(['bad-signature']);
    expect((await api.host(created.host.id))!.status.online).toBe(false);
  });
});

describe('agent token rotation and host revocation', () => {
  it('rotation: the old token is refused, the live tunnel is closed, and the agent returns once its token file is updated', async () => {
    const created = await api.createHost('edge-rotate');
    const a = await startAgent({ token: created.token });
    await a.waitReady();
    const since = new Date().toISOString();
    const from = a.log.lines.length;
    const t0 = Date.now();
    const rotated = await api.post<{ token: string; command: string }>(`/api/v1/hosts/${created.host.id}/token/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).toMatch(/^pca_/);
    expect(rotated.body.token).not.toBe(created.token);
    const closed = await a.log.waitFor((l) => l.msg === 'tunnel closed', 5_000, from);
    expect(closed.code).toBe(4002);
    measured.rotationCloseMs = Date.parse(String(closed.time)) - t0;
    const old = hubSocket(created.token);
    expect(await old.upgrade).toBe(401);
    const refused = await until(async () => {
      const r = await a.readyz();
      return r.body.lastError?.includes('401') ? r : undefined;
    }, 15_000, 'the agent to be refused with its old token');
    expect(refused.status).toBe(503);
    const cut = await until(async () => {
      const rows = await auditOf('agent.disconnect', { target: created.host.id });
      return rows.length > 0 ? rows : undefined;
    }, 5_000, 'agent.disconnect');
    expect(cut).toHaveLength(1);
    const rotations = await auditOf('host.token.rotate', { target: created.host.id });
    expect(rotations.map((r) => [r.actor, r.result])).toEqual([['admin', 'success']]);
    expect(JSON.stringify(rotations)).not.toContain(rotated.body.token);
    expect((await auditOf('agent.connect', { result: 'denied', since })).some((r) => r.details.reason === 'unknown-token')).toBe(true);
    a.setToken(rotated.body.token);
    measured.rotationBackAfterTokenFileMs = await a.waitReady(60_000);
    expect((await a.readyz()).body).toMatchObject({ connections: 2, hostId: created.host.id });
    expect(await auditOf('agent.enroll', { target: created.host.id })).toHaveLength(1);
    expect((await api.host(created.host.id))!.status.online).toBe(true);
  });

  it('revocation closes the live tunnel within 1 s, removes the host, and the agent’s reconnects get 401', async () => {
    const created = await api.createHost('edge-revoke');
    const a = await startAgent({ token: created.token });
    await a.waitReady();
    const since = new Date().toISOString();
    const from = a.log.lines.length;
    const t0 = Date.now();
    const res = await api.del(`/api/v1/hosts/${created.host.id}`);
    const answeredMs = Date.now() - t0;
    expect(res.status).toBe(200);
    const closed = await a.log.waitFor((l) => l.msg === 'tunnel closed', 5_000, from);
    expect(closed.code).toBe(4001);
    const closeMs = Date.parse(String(closed.time)) - t0;
    measured.revocationCloseMs = closeMs;
    measured.revocationRequestMs = answeredMs;
    expect(closeMs).toBeLessThan(1_000);
    expect(await api.host(created.host.id)).toBeUndefined();
    const list = await api.get<{ hosts: { id: string }[] }>('/api/v1/hosts');
    expect(list.body.hosts.map((h) => h.id)).not.toContain(created.host.id);
    const refused = await until(async () => {
      const r = await a.readyz();
      return r.body.lastError?.includes('401') ? r : undefined;
    }, 15_000, 'the revoked agent to get 401');
    expect(refused.status).toBe(503);
    expect(await hubSocket(created.token).upgrade).toBe(401);
    expect((await auditOf('host.revoke', { target: created.host.id })).map((r) => r.result)).toEqual(['success']);
    const gone = await until(async () => {
      const rows = await auditOf('agent.disconnect', { target: created.host.id });
      return rows.length > 0 ? rows : undefined;
    }, 5_000, 'agent.disconnect');
    // one disconnect record (its code is what the server saw of the closing handshake, not necessarily 4001)
    expect(gone).toHaveLength(1);
    expect((await auditOf('agent.connect', { result: 'denied', since })).some((r) => r.details.reason === 'unknown-token')).toBe(true);
  });
});

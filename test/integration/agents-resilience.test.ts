// Agent tunnel resilience with a real `portcullis server` process: kill -9 and restart of the control plane with two
// agents running, and an agent frozen with SIGSTOP (offline within the dead-after time) then resumed with SIGCONT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess } from '../helpers/agent-process.js';
import { ApiClient, type AuditRow } from '../helpers/api-client.js';
import { docker } from '../helpers/docker-cli.js';
import { SERVER_ADMIN_PASSWORD, ServerProcess } from '../helpers/server-process.js';

/** PORTCULLIS_AGENT_DEAD_AFTER of the server under test (ServerProcess's default). */
const DEAD_AFTER_MS = 3_000;
/** Pings go out every third of dead-after, so detection may lag one interval; plus scheduling slack. */
const DETECTION_SLACK_MS = DEAD_AFTER_MS / 3 + 1_500;

let srv: ServerProcess;
let api: ApiClient;
const agents: AgentProcess[] = [];
const measured: Record<string, number> = {};

beforeAll(async () => {
  srv = await ServerProcess.start({ env: { PORTCULLIS_AGENT_DEAD_AFTER: `${DEAD_AFTER_MS}ms` } });
  api = await ApiClient.admin(srv.url, srv.ca(), SERVER_ADMIN_PASSWORD);
});

afterAll(async () => {
  await Promise.allSettled(agents.map((a) => a.dispose()));
  await api?.close();
  await srv?.dispose();
  console.info(`agents-resilience.test.ts measurements (ms): ${JSON.stringify(measured)}`);
});

async function enrolledAgent(name: string): Promise<{ id: string; agent: AgentProcess }> {
  const created = await api.createHost(name);
  const agent = await AgentProcess.start({ url: srv.wsUrl, caFile: srv.caPath, token: created.token });
  agents.push(agent);
  await agent.waitReady();
  return { id: created.host.id, agent };
}

/** Polls the audit log until a record of `action` for `target` shows up after `afterSeq`. */
async function nextAudit(action: string, target: string, afterSeq: number, timeoutMs: number): Promise<AuditRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await api.audit({ action, afterSeq: String(afterSeq) })).filter((r) => r.target === target);
    if (rows[0]) return rows[0];
    if (Date.now() > deadline) throw new Error(`no ${action} audit record for ${target} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function lastSeq(): Promise<number> {
  const rows = await api.get<{ records: AuditRow[] }>('/api/v1/audit?order=desc&limit=1');
  return rows.body.records[0]?.seq ?? 0;
}

describe('agent tunnel resilience', () => {
  it('control plane killed with kill -9 and restarted: both agents come back by themselves', async () => {
    const one = await enrolledAgent('edge-kill-1');
    const two = await enrolledAgent('edge-kill-2');
    for (const h of [one, two]) expect((await api.host(h.id))!.status.online).toBe(true);
    await api.close();
    const killedAt = Date.now();
    await srv.kill9();
    // the kernel closes the dead server's sockets, so the agents notice at once and start their backoff
    const lost = await Promise.all([one.agent.waitNotReady(10_000), two.agent.waitNotReady(10_000)]);
    measured.agentsNoticedKillMs = Math.max(...lost);
    await new Promise((r) => setTimeout(r, 1_000));
    measured.serverRestartMs = await srv.restart();
    const listening = Date.now();
    const back = await Promise.all([one.agent.waitReady(90_000), two.agent.waitReady(90_000)]);
    measured.reconnectAfterListen1Ms = back[0];
    measured.reconnectAfterListen2Ms = back[1];
    measured.outageFromKillMs = Date.now() - killedAt;
    expect(Date.now() - listening).toBeLessThan(90_000);
    api = await ApiClient.admin(srv.url, srv.ca(), SERVER_ADMIN_PASSWORD, { changed: true });
    const version = (await docker(['version', '--format', '{{.Server.Version}}'])).stdout.trim();
    for (const h of [one, two]) {
      expect((await h.agent.readyz()).body).toMatchObject({ tunnel: 'connected', hostId: h.id, connections: 2 });
      expect((await api.host(h.id))!.status).toMatchObject({ online: true, dockerVersion: version });
      const connects = (await api.audit({ action: 'agent.connect', result: 'success' })).filter((r) => r.target === h.id);
      expect(connects).toHaveLength(2);
    }
    // the restarted server kept each host's enrolled key: no second enrollment
    const enrolls = (await api.audit({ action: 'agent.enroll' })).filter((r) => r.target === one.id || r.target === two.id);
    expect(enrolls).toHaveLength(2);
    const verify = await api.get<{ ok: boolean }>('/api/v1/audit/verify');
    expect([verify.status, verify.body.ok]).toEqual([200, true]);
  }, 150_000);

  it('an agent frozen with SIGSTOP is shown offline within the dead-after time, and online again after SIGCONT', async () => {
    const { id, agent } = await enrolledAgent('edge-frozen');
    expect((await api.host(id))!.status.online).toBe(true);
    const seq = await lastSeq();
    const frozenAt = Date.now();
    agent.freeze();
    const gone = await nextAudit('agent.disconnect', id, seq, DEAD_AFTER_MS + DETECTION_SLACK_MS + 5_000);
    const offlineMs = Date.parse(gone.time) - frozenAt;
    measured.offlineDetectionMs = offlineMs;
    // not earlier than one ping interval short of dead-after (it is the heartbeat, not a close), not later than the slack
    expect(offlineMs).toBeGreaterThanOrEqual(DEAD_AFTER_MS - DEAD_AFTER_MS / 3 - 100);
    expect(offlineMs).toBeLessThanOrEqual(DEAD_AFTER_MS + DETECTION_SLACK_MS);
    const asked = Date.now();
    const view = await api.host(id);
    measured.offlineStatusAnswerMs = Date.now() - asked;
    expect(view!.status.online).toBe(false);
    expect(view!.status.error?.code).toBe('PC_ERR_HOST_OFFLINE');
    // an offline host answers at once: no call waits on the frozen agent
    expect(measured.offlineStatusAnswerMs).toBeLessThan(1_000);
    const thawedAt = Date.now();
    agent.thaw();
    measured.backOnlineAfterSigcontMs = await agent.waitReady(30_000);
    expect((await agent.readyz()).body).toMatchObject({ connections: 2, hostId: id });
    expect((await api.host(id))!.status.online).toBe(true);
    const reconnect = await nextAudit('agent.connect', id, gone.seq, 5_000);
    expect(reconnect.result).toBe('success');
    expect(Date.parse(reconnect.time) - thawedAt).toBeLessThan(30_000);
  }, 90_000);
});

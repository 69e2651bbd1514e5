// Docker calls through real agent processes to an in-process server: the agent's own policy (read-only refuses a stop
// an admin asked for, operator allows it), a large log follow and exec output read slowly (agent RSS stays bounded), exec stdin.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings, resolveServerSettings, serverSettings } from '../../src/config/index.js';
import { hostErrorInfo, type Host } from '../../src/hosts/index.js';
import { createLogger } from '../../src/log/index.js';
import { startServer, type StartedServer } from '../../src/server/index.js';
import { AgentProcess } from '../helpers/agent-process.js';
import { ApiClient, type ApiErrorBody } from '../helpers/api-client.js';
import { docker, startTestContainer } from '../helpers/docker-cli.js';
import { SERVER_ADMIN_PASSWORD } from '../helpers/server-process.js';

/** Agent RSS may grow at most this much while a slow reader lags far behind a big stream. */
const RSS_BUDGET = 64 * 1024 * 1024;
const MB = 1024 * 1024;

let srv: StartedServer;
let api: ApiClient;
let root: string;
const agents: AgentProcess[] = [];
const containers: string[] = [];
const measured: Record<string, number> = {};
const hosts: Record<'ro' | 'op', { id: string; agent: AgentProcess }> = {} as never;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'portcullis-agent-streams-'));
  const resolved = resolveServerSettings(readSettings(serverSettings, {
    PORTCULLIS_LISTEN: '127.0.0.1:0', PORTCULLIS_DATA: join(root, 'data'), PORTCULLIS_TLS: 'auto', PORTCULLIS_ADMIN_PASSWORD: SERVER_ADMIN_PASSWORD,
    PORTCULLIS_AGENT_DEAD_AFTER: '10s', PORTCULLIS_RATE_HOSTS: '100000/1m', PORTCULLIS_RATE_CONTAINERS: '100000/1m',
  }));
  srv = await startServer({ resolved, logger: createLogger({ level: 'warn', destination: new PassThrough().resume() }), printSecret: () => undefined, loginMinMs: 50 });
  const ca = readFileSync(srv.caCertPath!, 'utf8');
  api = await ApiClient.admin(srv.url, ca, SERVER_ADMIN_PASSWORD);
  const policies = { ro: 'read-only', op: 'operator' } as const;
  await Promise.all(Object.entries(policies).map(async ([k, policy]) => {
    const created = await api.createHost(`edge-${k}`);
    hosts[k as keyof typeof policies] = { id: created.host.id, agent: await startAgent(created.token, policy) };
  }));
});

afterAll(async () => {
  await Promise.allSettled(agents.map((a) => a.dispose()));
  if (containers.length > 0) await docker(['rm', '-f', ...containers]);
  await api?.close();
  await srv?.close();
  rmSync(root, { recursive: true, force: true });
  console.info(`agents-streams.test.ts measurements: ${JSON.stringify(measured)}`);
});

async function startAgent(token: string, policy: string): Promise<AgentProcess> {
  const agent = await AgentProcess.start({ url: srv.url.replace(/^https:/, 'wss:'), caFile: srv.caCertPath!, token, policy });
  agents.push(agent);
  await agent.waitReady();
  return agent;
}

/** A host served by its own `full` agent (exec needs it), so a failure in one exec test cannot spill into another. */
async function fullAgent(name: string): Promise<{ host: Host; agent: AgentProcess }> {
  const created = await api.createHost(name);
  const agent = await startAgent(created.token, 'full');
  const host = srv.hosts.get(created.host.id);
  if (!host) throw new Error(`host ${name} is not registered`);
  return { host, agent };
}

function live(k: 'ro' | 'op'): Host {
  const h = srv.hosts.get(hosts[k].id);
  if (!h) throw new Error(`host ${k} is not registered`);
  return h;
}

async function running(id: string): Promise<boolean> {
  const r = await docker(['inspect', '--format', '{{.State.Running}}', id]);
  return r.stdout.trim() === 'true';
}

/** Samples the agent's RSS every 250 ms until stop() is called; resolves with the samples. */
function sampleRss(agent: AgentProcess): { stop: () => Promise<number[]> } {
  const samples: number[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      samples.push(await agent.rssBytes());
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return { stop: async () => {
    on = false;
    await loop;
    return samples;
  } };
}

/** Reads `source` at about `bytesPerSecond` for `ms`, checking each byte; resolves with the byte count. */
async function readSlowly(source: AsyncIterable<Buffer>, bytesPerSecond: number, ms: number, check: (b: Buffer) => void): Promise<number> {
  const started = Date.now();
  let bytes = 0;
  for await (const chunk of source) {
    check(chunk);
    bytes += chunk.length;
    const elapsed = Date.now() - started;
    if (elapsed >= ms) break;
    const ahead = (bytes / bytesPerSecond) * 1000 - elapsed;
    // sleep in steps of at least 20 ms: per-chunk timers would make the reader far slower than asked
    if (ahead > 20) await new Promise((r) => setTimeout(r, Math.min(ahead, ms - elapsed)));
  }
  return bytes;
}

describe("the agent's own policy", () => {
  it('a read-only agent refuses a stop the admin asked for through the API (PC_ERR_HOST_POLICY_DENIED names the agent rule; the container keeps running), an operator agent allows it', async () => {
    const id = await startTestContainer(undefined, ['sleep', '3600']);
    containers.push(id);
    // the server's own policy for agent hosts is `full`: a refusal can only come from the agent
    expect(live('ro').policy.evaluate('POST', `/containers/${id}/stop`, {}).decision.allow).toBe(true);
    const refused = await api.post<ApiErrorBody>(`/api/v1/hosts/${hosts.ro.id}/containers/${id}/stop`, { t: 0 });
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'PC_ERR_HOST_POLICY_DENIED']);
    expect(refused.body.error.message).toContain('container.stop');
    expect(refused.body.error.message).toContain('rule agent:profile:read-only');
    expect(await running(id)).toBe(true);
    expect(await hosts.ro.agent.metric('portcullis_agent_requests_total', { decision: 'deny', operation: 'container.stop' })).toBe(1);
    const stopped = await api.post<{ ok: boolean }>(`/api/v1/hosts/${hosts.op.id}/containers/${id}/stop`, { t: 0 });
    expect([stopped.status, stopped.body]).toEqual([200, { ok: true }]);
    expect(await running(id)).toBe(false);
    expect(await hosts.op.agent.metric('portcullis_agent_requests_total', { decision: 'allow', operation: 'container.stop' })).toBe(1);
    const audit = (await api.audit({ action: 'container.stop' })).filter((r) => r.target === id);
    expect(audit.map((r) => r.result)).toEqual(['denied', 'success']);
  });

  it('an operator agent refuses exec (only `full` allows it)', async () => {
    const id = await startTestContainer(undefined, ['sleep', '3600']);
    containers.push(id);
    const err = await live('op').execContainer(id, { cmd: ['true'] }).then(() => undefined, (e: unknown) => e);
    expect(hostErrorInfo(err)).toMatchObject({ code: 'PC_ERR_HOST_POLICY_DENIED', status: 403 });
    expect(hostErrorInfo(err).message).toContain('rule agent:profile:operator');
    expect(await hosts.op.agent.metric('portcullis_agent_requests_total', { decision: 'deny', operation: 'container.exec.create' })).toBe(1);
  });
});

describe('streams through the tunnel', () => {
  it('follows >100 MB of container logs with a slow reader while the agent RSS stays bounded', async () => {
    const flood = 120_000_000;
    const id = await startTestContainer(undefined, ['sh', '-c', `L=$(head -c 999 /dev/zero | tr '\\0' 0); yes "$L" | head -c ${flood}; echo END-OF-FLOOD; sleep 3600`]);
    containers.push(id);
    const deadline = Date.now() + 90_000;
    while (!(await docker(['logs', '--tail', '1', id])).stdout.includes('END-OF-FLOOD')) {
      if (Date.now() > deadline) throw new Error('the container did not finish writing its logs');
      await new Promise((r) => setTimeout(r, 250));
    }
    const agent = hosts.op.agent;
    await live('op').ping();
    const baseline = await agent.rssBytes();
    const ac = new AbortController();
    const logs = live('op').containerLogs(id, { follow: true, tail: 'all', signal: ac.signal });
    const sampler = sampleRss(agent);
    const read = await readSlowly((async function* () {
      for await (const c of logs) yield c.data;
    })(), 2 * MB, 10_000, (b) => {
      for (const byte of b) if (byte !== 0x30 && byte !== 0x0a) throw new Error(`unexpected byte ${byte} in the log stream`);
    });
    ac.abort();
    const samples = await sampler.stop();
    const peak = Math.max(...samples);
    Object.assign(measured, {
      logsBytesRead: read, logsAgentRssBaselineMB: +(baseline / MB).toFixed(1), logsAgentRssPeakMB: +(peak / MB).toFixed(1),
      logsAgentRssGrowthMB: +((peak - baseline) / MB).toFixed(1),
    });
    expect(samples.length).toBeGreaterThanOrEqual(10);
    expect(peak - baseline).toBeLessThan(RSS_BUDGET);
    // it flowed, but far behind the writer: most of the 120 MB stayed in dockerd, not in the agent
    expect(read).toBeGreaterThan(MB);
    expect(read).toBeLessThan(flood / 2);
    // the tunnel is still usable after the cancelled stream
    await live('op').ping();
  });

  it('exec through the tunnel: stdin round trip, then half-close gives the exit code', async () => {
    const { host, agent } = await fullAgent('edge-exec');
    const id = await startTestContainer(undefined, ['sleep', '3600']);
    containers.push(id);
    const exec = await host.execContainer(id, { cmd: ['sh', '-c', 'cat; echo done >&2; exit 7'] });
    let out = '';
    let err = '';
    exec.stdout.on('data', (d: Buffer) => (out += d.toString()));
    exec.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await exec.write('hello through the tunnel\n');
    const deadline = Date.now() + 10_000;
    while (!out.includes('hello through the tunnel')) {
      if (Date.now() > deadline) throw new Error(`no echo; stdout so far: ${JSON.stringify(out)}\nagent ${agent.log.text()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // still running (cat waits for more) until stdin is half-closed
    expect(err).toBe('');
    await exec.write('second line\n');
    exec.end();
    expect(await exec.done).toEqual({ exitCode: 7 });
    expect(out).toBe('hello through the tunnel\nsecond line\n');
    expect(err).toBe('done\n');
    expect(await agent.metric('portcullis_agent_requests_total', { decision: 'allow', operation: 'exec.start' })).toBe(1);
  });

  it('exec output read slowly keeps the agent RSS bounded (HTTP/2 flow control reaches the daemon)', async () => {
    const { host, agent } = await fullAgent('edge-exec-flood');
    const id = await startTestContainer(undefined, ['sleep', '3600']);
    containers.push(id);
    const total = 400_000_000;
    const baseline = await agent.rssBytes();
    const exec = await host.execContainer(id, { cmd: ['sh', '-c', `head -c ${total} /dev/zero`], stdin: false });
    exec.stderr.resume();
    const sampler = sampleRss(agent);
    const read = await readSlowly(exec.stdout as AsyncIterable<Buffer>, 2 * MB, 8_000, (b) => {
      if (b.some((x) => x !== 0)) throw new Error('unexpected non-zero byte in the exec output');
    });
    exec.destroy();
    const samples = await sampler.stop();
    const peak = Math.max(...samples);
    Object.assign(measured, {
      execBytesRead: read, execAgentRssBaselineMB: +(baseline / MB).toFixed(1), execAgentRssPeakMB: +(peak / MB).toFixed(1),
      execAgentRssGrowthMB: +((peak - baseline) / MB).toFixed(1),
    });
    expect(peak - baseline).toBeLessThan(RSS_BUDGET);
    expect(read).toBeGreaterThan(MB);
    expect(read).toBeLessThan(total / 4);
    await host.ping();
  });
});

// The 1,000-agent run of the agents benchmark: server RSS at 0/100/500/1,000 connected agents, connect times, a full reconnect.
import { setTimeout as sleep } from 'node:timers/promises';
import { withContention } from './contention.js';
import { addHosts, startControlPlane } from './control-plane.js';
import { LiveFanout, measureSimLatency, waitForSubscriptions } from './event-latency.js';
import { listSequential } from './list-latency.js';
import { openLive, percentiles, type LiveSocket } from './live-client.js';
import { freePort } from './net.js';
import { readPeakRssMB, readRssMB } from './proc-stats.js';
import { SimAgent, connectAll } from './sim-agent.js';

/** Settings of the scale run. */
export interface ScaleSettings {
  repoRoot: string;
  workDir: string;
  serverEnv: Record<string, string>;
  /** Cumulative agent counts at which RSS is read, e.g. [100, 500, 1000]. */
  steps: readonly number[];
  settleMs: number;
  log: (m: string) => void;
}

/** Runs a fresh server, adds max(steps) hosts, connects simulated agents step by step and reads the server's RSS. */
export async function runScale(s: ScaleSettings): Promise<Record<string, unknown>> {
  const port = await freePort();
  const cp = await startControlPlane({ repoRoot: s.repoRoot, workDir: s.workDir, port, env: s.serverEnv, name: 'server-scale' });
  const pid = cp.pid;
  const rssAfter = async (ms = s.settleMs): Promise<number> => {
    await sleep(ms);
    return readRssMB(pid);
  };
  const sims: SimAgent[] = [];
  let live: LiveSocket | undefined;
  try {
    const rss: Record<string, number> = { serverStarted: await rssAfter(1000) };
    const max = s.steps[s.steps.length - 1]!;
    const added = await addHosts(cp, 'sim', max, () => ['bench-sim']);
    s.log(`scale run: server pid ${pid}; added ${max} hosts in ${Math.round(added.wallMs)} ms`);
    for (const h of added.hosts) sims.push(new SimAgent({ url: `wss://127.0.0.1:${port}/agent/v1/connect`, token: h.token, ca: cp.ca, hostKey: h.name }));
    rss[`hosts${max}Agents0`] = await rssAfter();

    const steps: Record<string, unknown>[] = [];
    let from = 0;
    for (const to of s.steps) {
      const { value: r, contention } = await withContention(pid, () => connectAll(sims.slice(from, to), to - from, { retryForMs: 60_000 }));
      if (r.ms.length === 0) throw new Error(`no simulated agent could connect: ${r.failures[0] ?? '?'}`);
      rss[`agents${to}`] = await rssAfter();
      steps.push({ from, to, startedTogether: to - from, wallMs: Math.round(r.wallMs), msToConnected: percentiles(r.ms), attempts: r.attempts, failures: r.failures.length, firstFailures: r.failures.slice(0, 3), contention });
      s.log(`${to} agents connected (${r.failures.length} failures) in ${Math.round(r.wallMs)} ms; server RSS ${rss[`agents${to}`]} MB`);
      from = to;
    }
    rss[`agents${max}After15s`] = await rssAfter(12_000);
    const stillConnected = sims.filter((a) => a.connected).length;

    const fan = new LiveFanout();
    live = await openLive(cp.base, cp.token, cp.ca, fan.onMessage);
    const subscribed = await waitForSubscriptions(sims, 60_000);
    rss[`agents${max}WithLiveSocket`] = await rssAfter();
    s.log(`live socket open: ${subscribed.subscribed} host event streams in ${subscribed.ms} ms; server RSS ${rss[`agents${max}WithLiveSocket`]} MB`);
    const sim = await withContention(pid, () => measureSimLatency(fan, sims, 300, 100));
    s.log(`event-to-push with ${max} agents: p50 ${sim.value.latencyMs.p50} ms p99 ${sim.value.latencyMs.p99} ms`);
    const list = await listSequential(`${cp.base}/api/v1/containers?tag=bench-sim`, cp.token, cp.ca, { n: 3, warmup: 0, maxMs: 25_000, serverPid: pid });
    s.log(`list across ${max} hosts: p50 ${list.latencyMs.p50} ms (${list.containersPerAnswer.max} containers)`);
    live.close();
    live = undefined;
    const peakBeforeReconnect = readPeakRssMB(pid);

    // every tunnel cut at once and every agent back at once (a network blip; a server restart looks alike to the server)
    await Promise.all(sims.map((a) => a.close()));
    await sleep(s.settleMs);
    const herd = await withContention(pid, () => connectAll(sims, sims.length, { retryForMs: 90_000, jitterFirst: true }));
    rss[`agents${max}AfterReconnectAll`] = await rssAfter();
    s.log(`all ${max} cut and reconnecting: done in ${Math.round(herd.value.wallMs)} ms (${herd.value.attempts} attempts, ${herd.value.failures.length} failures); server RSS ${rss[`agents${max}AfterReconnectAll`]} MB`);

    const base = rss[`hosts${max}Agents0`]!;
    const perAgentKB: Record<string, number> = {};
    for (const n of s.steps) perAgentKB[`at${n}`] = Math.round(((rss[`agents${n}`]! - base) * 1024) / n);
    perAgentKB[`at${max}WithLiveSubscriptions`] = Math.round(((rss[`agents${max}WithLiveSocket`]! - base) * 1024) / max);
    return {
      server: { pid },
      memory: {
        rssMB: rss, peakRssBeforeReconnectAllMB: peakBeforeReconnect, peakRssMB: readPeakRssMB(pid), perAgentKB,
        note: `VmRSS of the server process (/proc/<pid>/status) read ${s.settleMs} ms after each step; per agent = (RSS at N agents − RSS with the ${max} hosts added and none connected) / N. V8 keeps freed heap for a while, so RSS after the reconnect-all includes the garbage of the ${max} dropped sessions.`,
      },
      connect: { addHostsMs: Math.round(added.wallMs), steps, stillConnectedAfter15s: stillConnected, reconnectAll: { agents: max, how: 'every tunnel closed, then each agent waits backoffDelay(0) (0-1 s) and dials, retrying with backoff like portcullis agent', wallMs: Math.round(herd.value.wallMs), msToConnected: percentiles(herd.value.ms), attempts: herd.value.attempts, failures: herd.value.failures.length, firstFailures: herd.value.failures.slice(0, 3), contention: herd.contention } },
      liveSubscriptions: subscribed,
      extras: {
        eventToPushWith1000Agents: { ...sim.value, contention: sim.contention },
        listContainers1000x50: list,
      },
    };
  } finally {
    live?.close();
    await Promise.all(sims.map((a) => a.close()));
    await cp.stop();
  }
}

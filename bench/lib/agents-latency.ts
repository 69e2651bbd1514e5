// The 100-agent run of the agents benchmark: event-to-push latency (simulated and real agent) and GET /api/v1/containers latency.
import { setTimeout as sleep } from 'node:timers/promises';
import { withContention } from './contention.js';
import { addHosts, startControlPlane, type ControlPlane } from './control-plane.js';
import { LiveFanout, RealEventPairs, measureSimLatency, waitForSubscriptions } from './event-latency.js';
import { listConcurrent, listSequential } from './list-latency.js';
import { followDockerEvents, openLive, percentiles, type LiveSocket } from './live-client.js';
import { freePort } from './net.js';
import { readPeakRssMB, readRssMB } from './proc-stats.js';
import { createTestContainer, dockerCli, removeLabelled, startRealAgent, until } from './real-agent.js';
import { SimAgent, connectAll } from './sim-agent.js';
import type { BenchChild } from './child.js';

/** Settings of the latency run. */
export interface LatencySettings {
  repoRoot: string;
  workDir: string;
  serverEnv: Record<string, string>;
  agents: number;
  simSamples: number;
  simRatePerS: number;
  realCycles: number;
  image: string;
  /** Label (key=value) on the container this run creates, besides portcullis.test=1. */
  runLabel: string;
  listSequential: number;
  listSequentialMaxMs: number;
  listConnections: number;
  listDurationMs: number;
  log: (m: string) => void;
}

/** Times `docker start` / `docker stop -t 0` of a labelled busybox container to its live messages (real agent host and local host). */
async function realAgentLatency(cp: ControlPlane, fan: LiveFanout, s: LatencySettings, realHostId: string, localId: string | undefined): Promise<Record<string, unknown>> {
  const cid = await createTestContainer(s.image, `pc-bench-agents-${process.pid}`, s.runLabel);
  const pairs = new RealEventPairs(realHostId, cid);
  const localPairs = localId ? new RealEventPairs(localId, cid) : undefined;
  const stopEvents = await followDockerEvents('/var/run/docker.sock', { label: [s.runLabel], type: ['container'] }, (ev, at, wall) => {
    pairs.onDocker(ev, at, wall);
    localPairs?.onDocker(ev, at, wall);
  });
  const unlisten = fan.listen((m, at, wall) => {
    pairs.onLive(m, at, wall);
    localPairs?.onLive(m, at, wall);
  });
  try {
    const cycle = async (k: number): Promise<boolean> => {
      await dockerCli(['start', cid]);
      const a = await until(() => pairs.count('start') >= k, 10_000);
      await dockerCli(['stop', '-t', '0', cid]);
      const b = await until(() => pairs.count('stop') >= k, 10_000);
      return a && b;
    };
    // the first cycle also proves the live hub follows the new host's events
    const warm = await cycle(1);
    await sleep(500);
    pairs.reset();
    localPairs?.reset();
    let timeouts = 0;
    const { contention } = await withContention(cp.pid, async () => {
      for (let k = 1; k <= s.realCycles; k++) if (!(await cycle(k))) timeouts += 1;
      await sleep(1000);
    });
    return {
      agent: {
        what: 'node bin/portcullis agent (AGENT_POLICY=operator) against the real dockerd, through its tunnel',
        container: `${s.image} (sleep 3600), docker start then docker stop -t 0, ${s.realCycles} cycles after one warm-up cycle (warm-up ok: ${warm})`,
        samples: pairs.fromTimeNano.length, byAction: { ...pairs.byAction }, unmatchedDockerEvents: pairs.unmatched(), cycleTimeouts: timeouts,
        fromEventTimeNanoMs: percentiles(pairs.fromTimeNano), fromDirectDockerListenerMs: percentiles(pairs.fromDirect), contention,
        note: 'fromEventTimeNanoMs: live arrival minus the event\'s own timeNano (same machine clock); fromDirectDockerListenerMs: minus the moment a direct GET /events on the socket saw it (may be negative when the live push wins the race)',
      },
      localHost: localPairs
        ? { what: 'the same events through the server\'s integrated local host (its own /var/run/docker.sock, no tunnel), for comparison', samples: localPairs.fromTimeNano.length, fromEventTimeNanoMs: percentiles(localPairs.fromTimeNano) }
        : { what: 'no local host registered' },
    };
  } finally {
    unlisten();
    stopEvents();
    await removeLabelled(s.runLabel).catch(() => 0);
  }
}

/** Runs a fresh server with `agents` simulated agents and one real agent; returns the latency figures. */
export async function runLatency(s: LatencySettings): Promise<Record<string, unknown>> {
  const port = await freePort();
  const cp = await startControlPlane({ repoRoot: s.repoRoot, workDir: s.workDir, port, env: s.serverEnv, name: 'server-latency' });
  const sims: SimAgent[] = [];
  let live: LiveSocket | undefined;
  let real: BenchChild | undefined;
  try {
    const added = await addHosts(cp, 'sim', s.agents, () => ['bench-sim']);
    for (const h of added.hosts) sims.push(new SimAgent({ url: `wss://127.0.0.1:${port}/agent/v1/connect`, token: h.token, ca: cp.ca, hostKey: h.name }));
    const connected = await connectAll(sims, s.agents, { retryForMs: 30_000 });
    if (connected.ms.length === 0) throw new Error(`no simulated agent could connect: ${connected.failures[0] ?? '?'}`);
    const realHost = (await cp.call<{ host: { id: string }; token: string }>('POST', '/api/v1/hosts', { body: { name: 'bench-real', tags: ['bench-real'] }, expect: 201 })).body;
    const hosts = (await cp.call<{ hosts: { id: string; kind: string }[] }>('GET', '/api/v1/hosts', { expect: 200 })).body.hosts;
    const fan = new LiveFanout();
    live = await openLive(cp.base, cp.token, cp.ca, fan.onMessage);
    const agentRun = await startRealAgent({ repoRoot: s.repoRoot, workDir: s.workDir, controlPlane: cp.base, token: realHost.token, caFile: cp.caFile, healthPort: await freePort() });
    real = agentRun.child;
    const subscribed = await waitForSubscriptions(sims, 30_000);
    s.log(`latency run: ${s.agents} simulated agents (${connected.failures.length} failures) + the real agent; ${subscribed.subscribed} live subscriptions`);
    await sleep(2_000);
    const rssBefore = readRssMB(cp.pid);

    const sim = await withContention(cp.pid, () => measureSimLatency(fan, sims, s.simSamples, s.simRatePerS));
    s.log(`event-to-push, ${s.agents} simulated agents: p50 ${sim.value.latencyMs.p50} ms p99 ${sim.value.latencyMs.p99} ms (${sim.value.received}/${sim.value.samples}; other load ${sim.contention.otherS} CPU-s)`);
    const realRes = await realAgentLatency(cp, fan, s, realHost.host.id, hosts.find((h) => h.kind === 'local')?.id);
    const ra = realRes.agent as { fromEventTimeNanoMs: { p50: number; p99: number }; samples: number };
    s.log(`event-to-push, real agent: p50 ${ra.fromEventTimeNanoMs.p50} ms p99 ${ra.fromEventTimeNanoMs.p99} ms (${ra.samples} samples)`);

    const url = `${cp.base}/api/v1/containers?tag=bench-sim`;
    const seq = await withContention(cp.pid, () => listSequential(url, cp.token, cp.ca, { n: s.listSequential, maxMs: s.listSequentialMaxMs, serverPid: cp.pid }));
    s.log(`list ${s.agents} hosts sequential: p50 ${seq.value.latencyMs.p50} ms p99 ${seq.value.latencyMs.p99} ms (${seq.value.requests} requests, ${seq.value.containersPerAnswer.max} containers; other load ${seq.contention.otherS} CPU-s)`);
    const conc = await withContention(cp.pid, () => listConcurrent(url, cp.token, cp.ca, { connections: s.listConnections, durationMs: s.listDurationMs, serverPid: cp.pid }));
    s.log(`list ${s.agents} hosts c=${s.listConnections}: p50 ${conc.value.latencyMs.p50} ms p99 ${conc.value.latencyMs.p99} ms, ${conc.value.reqPerSec} req/s`);
    const all = await listSequential(`${cp.base}/api/v1/containers`, cp.token, cp.ca, { n: 20, warmup: 2, maxMs: 20_000, serverPid: cp.pid });

    return {
      server: { pid: cp.pid, rssBeforeMeasuringMB: rssBefore, rssEndMB: readRssMB(cp.pid), peakRssMB: readPeakRssMB(cp.pid) },
      agents: { simulated: s.agents, connectFailures: connected.failures.length, connectAttempts: connected.attempts, connectWallMs: Math.round(connected.wallMs), liveSubscriptions: subscribed, realAgentConnectMs: agentRun.connectMs },
      eventToPush: { simulated: { ...sim.value, contention: sim.contention }, ...realRes, liveMessagesByType: { ...fan.counts } },
      listContainers: {
        hostsXcontainers: { sequential: { ...seq.value, contention: seq.contention }, concurrent: { ...conc.value, contention: conc.contention } },
        allHostsNoFilter: { note: `no filter: the ${s.agents} simulated hosts, the real agent's host and the server's local host`, ...all },
      },
    };
  } finally {
    live?.close();
    await Promise.all(sims.map((a) => a.close()));
    await real?.stop();
    await cp.stop();
  }
}

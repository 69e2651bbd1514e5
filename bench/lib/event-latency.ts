// Event-to-push latency: Docker events (pushed by simulated agents, or made by a real dockerd) timed to their /api/v1/live message.
import { setTimeout as sleep } from 'node:timers/promises';
import { simEvent } from './sim-engine.js';
import type { SimAgent } from './sim-agent.js';
import { percentiles, type Arrival, type Percentiles } from './live-client.js';

/** Fans the messages of one live socket out to whoever listens at the moment. */
export class LiveFanout {
  private readonly listeners = new Set<Arrival>();
  /** Messages seen, by type (container/host/hello/…). */
  readonly counts: Record<string, number> = {};

  readonly onMessage: Arrival = (msg, at, wall) => {
    const t = typeof msg.type === 'string' ? msg.type : '?';
    this.counts[t] = (this.counts[t] ?? 0) + 1;
    for (const l of this.listeners) l(msg, at, wall);
  };

  /** Adds a listener until the returned function is called. */
  listen(l: Arrival): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

/** Result of a simulated-agent latency run. */
export interface SimLatency {
  samples: number;
  received: number;
  lost: number;
  ratePerSecond: number;
  agents: number;
  latencyMs: Percentiles;
  /** The slowest samples: when they were sent (s after the first) and how long they took. */
  slowest: { sentAtS: number; ms: number }[];
}

/** Waits until every agent's engine has an open /events stream (the live hub subscribed), or the deadline. */
export async function waitForSubscriptions(agents: SimAgent[], timeoutMs: number): Promise<{ subscribed: number; ms: number }> {
  const t0 = performance.now();
  const count = (): number => agents.filter((a) => a.engine.subscribers > 0).length;
  while (count() < agents.length && performance.now() - t0 < timeoutMs) await sleep(50);
  return { subscribed: count(), ms: Math.round(performance.now() - t0) };
}

/**
 * Pushes `samples` container events (start/stop alternating, each on a distinct agent × container ×
 * action) at `ratePerSecond`, round-robin over `agents`, and times each from the write on the agent's
 * /events stream to its arrival on the live socket (both clocks are this process's).
 */
export async function measureSimLatency(fan: LiveFanout, agents: SimAgent[], samples: number, ratePerSecond: number, drainMs = 5_000): Promise<SimLatency> {
  const sent = new Map<string, number>();
  const got: { sentAt: number; ms: number }[] = [];
  const stop = fan.listen((msg, at) => {
    if (msg.type !== 'container') return;
    const key = `${String(msg.hostId)}|${String(msg.id)}|${String(msg.action)}`;
    const t = sent.get(key);
    if (t === undefined) return;
    sent.delete(key);
    got.push({ sentAt: t, ms: at - t });
  });
  const gap = 1000 / ratePerSecond;
  const t0 = performance.now();
  for (let i = 0; i < samples; i++) {
    const a = agents[i % agents.length]!;
    const c = a.engine.containers[Math.floor(i / agents.length) % a.engine.containers.length]!;
    const action = Math.floor(i / (agents.length * a.engine.containers.length)) % 2 === 0 ? 'start' : 'stop';
    const key = `${a.hostId!}|${c.Id}|${action}`;
    const now = performance.now();
    sent.set(key, now);
    a.engine.push(simEvent(c, action, performance.timeOrigin + now));
    const wait = t0 + (i + 1) * gap - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const deadline = performance.now() + drainMs;
  while (sent.size > 0 && performance.now() < deadline) await sleep(20);
  stop();
  const slowest = [...got].sort((a, b) => b.ms - a.ms).slice(0, 8).map((g) => ({ sentAtS: Math.round((g.sentAt - t0) / 10) / 100, ms: Math.round(g.ms * 10) / 10 }));
  return { samples, received: got.length, lost: sent.size, ratePerSecond, agents: agents.length, latencyMs: percentiles(got.map((g) => g.ms)), slowest };
}

/** One side of a real event: dockerd's own event (direct listener) or its live message. */
interface Seen {
  at: number;
  wall: number;
  timeNanoMs?: number;
}

/**
 * Pairs dockerd's events (seen on a direct GET /events) with their live messages for one host, per
 * container id and action, in order. Latency is measured from the event's own timestamp (timeNano)
 * and, as a cross-check, from the moment the direct listener saw it.
 */
export class RealEventPairs {
  private readonly docker = new Map<string, Seen[]>();
  private readonly live = new Map<string, Seen[]>();
  readonly fromTimeNano: number[] = [];
  readonly fromDirect: number[] = [];
  readonly byAction: Record<string, number> = {};

  constructor(private readonly hostId: string, private readonly containerId: string) {}

  /** Feed for the direct dockerd listener. */
  readonly onDocker: Arrival = (ev, at, wall) => {
    const id = (ev.Actor as { ID?: string } | undefined)?.ID ?? ev.id;
    if (id !== this.containerId || typeof ev.Action !== 'string') return;
    const nanos = typeof ev.timeNano === 'number' ? ev.timeNano : Number(ev.time ?? 0) * 1e9;
    this.add(this.docker, this.live, ev.Action.split(':', 1)[0]!, { at, wall, timeNanoMs: nanos / 1e6 }, true);
  };

  /** Feed for the live socket. */
  readonly onLive: Arrival = (msg, at, wall) => {
    if (msg.type !== 'container' || msg.hostId !== this.hostId || msg.id !== this.containerId) return;
    this.add(this.live, this.docker, String(msg.action), { at, wall }, false);
  };

  /** Live messages of `action` paired so far. */
  count(action: string): number {
    return this.byAction[action] ?? 0;
  }

  private add(mine: Map<string, Seen[]>, other: Map<string, Seen[]>, action: string, s: Seen, isDocker: boolean): void {
    const waiting = other.get(action);
    const match = waiting?.shift();
    if (!match) {
      const q = mine.get(action) ?? [];
      q.push(s);
      mine.set(action, q);
      return;
    }
    const d = isDocker ? s : match;
    const l = isDocker ? match : s;
    this.fromTimeNano.push(l.wall - d.timeNanoMs!);
    this.fromDirect.push(l.at - d.at);
    this.byAction[action] = (this.byAction[action] ?? 0) + 1;
  }

  /** Docker events of this container that have no live message (yet). */
  unmatched(): number {
    let n = 0;
    for (const [action, q] of this.docker) if (['create', 'start', 'die', 'stop', 'pause', 'unpause', 'destroy', 'rename', 'kill', 'restart'].includes(action)) n += q.length;
    return n;
  }

  /** Empties every queue and sample (after a warm-up). */
  reset(): void {
    this.docker.clear();
    this.live.clear();
    this.fromTimeNano.length = 0;
    this.fromDirect.length = 0;
    for (const k of Object.keys(this.byAction)) delete this.byAction[k];
  }
}

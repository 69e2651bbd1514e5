// LiveHub: while any /api/v1/live socket is open, one Docker event subscription per registered host, fanned out per caller's container.read.
import { setTimeout as sleep } from 'node:timers/promises';
import { authorize, type HostRef } from '../../auth/index.js';
import type { Host, HostChange, HostRegistry } from '../../hosts/index.js';
import type { Logger } from '../../log/index.js';
import type { WsConnection } from '../ws/index.js';
import { eventNanos, liveMessage } from './messages.js';

/** Pause before a host's event stream is opened again after it ended or failed (dockerd restarted, tunnel blip); doubles while it keeps failing, up to the max. */
export const LIVE_RETRY_MS = 2_000;
export const LIVE_RETRY_MAX_MS = 60_000;
/** A socket holding this many unsent bytes is too slow to follow: it is closed (1013) and its client reloads. */
export const LIVE_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Event keys remembered per host to skip the replay after a reconnect. */
const RECENT_KEYS = 512;
const WS_TRY_AGAIN_LATER = 1013;

const scopeOf = (h: Host): HostRef => ({ id: h.id, name: h.name, tags: [...h.tags] });

/**
 * Subscribes to the hosts' events only while someone listens. Hosts added or coming online are
 * subscribed (again), removed or offline ones dropped, and every socket hears `{ type: 'host' }` for
 * the hosts it may read containers of. Each container event goes to the sockets whose caller holds
 * container.read on that host, checked per event with the grants as last re-checked.
 */
export class LiveHub {
  private readonly clients = new Set<WsConnection>();
  private readonly subs = new Map<string, AbortController>();
  private readonly scopes = new Map<string, HostRef>();
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly hosts: HostRegistry,
    private readonly log?: Logger,
  ) {}

  /** Open sockets. */
  get size(): number {
    return this.clients.size;
  }

  /** Hosts whose events are being followed. */
  get subscriptions(): number {
    return this.subs.size;
  }

  /** Adds a socket; the first one starts the subscriptions, the last one leaving stops them. */
  add(conn: WsConnection): void {
    this.clients.add(conn);
    conn.socket.once('close', () => {
      this.clients.delete(conn);
      if (this.clients.size === 0) this.stop();
    });
    if (!this.unlisten) this.start();
  }

  private start(): void {
    this.unlisten = this.hosts.onChange((c) => this.onChange(c));
    for (const h of this.hosts.list()) this.subscribe(h);
  }

  private stop(): void {
    this.unlisten?.();
    this.unlisten = undefined;
    for (const ac of this.subs.values()) ac.abort();
    this.subs.clear();
  }

  private onChange(c: HostChange): void {
    const host = this.hosts.get(c.hostId);
    if ((c.type === 'added' || c.type === 'online') && host) {
      this.subscribe(host);
      this.broadcast(c.hostId, JSON.stringify({ type: 'host', hostId: c.hostId, online: true }));
    } else if (c.type === 'removed' || c.type === 'offline') {
      this.subs.get(c.hostId)?.abort();
      this.subs.delete(c.hostId);
      this.broadcast(c.hostId, JSON.stringify({ type: 'host', hostId: c.hostId, online: false }));
      if (c.type === 'removed') this.scopes.delete(c.hostId);
    }
  }

  private subscribe(host: Host): void {
    this.subs.get(host.id)?.abort();
    const ac = new AbortController();
    this.subs.set(host.id, ac);
    this.scopes.set(host.id, scopeOf(host));
    void this.follow(host, ac.signal);
  }

  /** Follows one host's container events until aborted, reopening the stream after a pause when it ends. */
  private async follow(host: Host, signal: AbortSignal): Promise<void> {
    // `since` makes dockerd replay from that second, so nothing is lost while a stream (re)opens.
    let since = Math.floor(Date.now() / 1000);
    let last = 0;
    let delay = LIVE_RETRY_MS;
    const recent = new Set<string>();
    while (!signal.aborted) {
      try {
        // while this stream runs, every container event invalidates the host's cached listing, so the
        // registry may reuse one (the `since` replay covers the moment the stream takes to open)
        this.hosts.setFollowed(host.id, true);
        for await (const ev of host.events({ since, filters: { type: ['container'] }, signal })) {
          delay = LIVE_RETRY_MS;
          const nanos = eventNanos(ev);
          const key = `${nanos}|${ev.Action ?? ''}|${ev.Actor?.ID ?? ''}`;
          if (nanos < last || recent.has(key)) continue; // replayed after a reconnect
          last = nanos;
          since = Math.floor(nanos / 1e9);
          recent.add(key);
          if (recent.size > RECENT_KEYS) recent.delete(recent.values().next().value!);
          // a listing cached before this event is out of date
          this.hosts.invalidate(host.id);
          const msg = liveMessage(host, ev);
          if (msg) this.broadcast(host.id, JSON.stringify(msg));
        }
      } catch (err) {
        if (!signal.aborted) this.log?.debug({ hostId: host.id, err: { message: (err as Error).message } }, 'live: host event stream failed; retrying');
      } finally {
        this.hosts.setFollowed(host.id, false);
      }
      if (signal.aborted || this.hosts.get(host.id) !== host) return;
      await sleep(delay, undefined, { signal }).catch(() => undefined);
      delay = Math.min(delay * 2, LIVE_RETRY_MAX_MS);
    }
  }

  private broadcast(hostId: string, data: string): void {
    const live = this.hosts.get(hostId);
    const scope = live ? scopeOf(live) : this.scopes.get(hostId);
    if (!scope) return;
    for (const c of this.clients) {
      if (!c.isOpen || !authorize(c.actor, 'container.read', scope).allow) continue;
      if (c.socket.bufferedAmount > LIVE_MAX_BUFFERED_BYTES) {
        c.close(WS_TRY_AGAIN_LATER, 'too slow; reconnect');
        continue;
      }
      c.socket.send(data);
    }
  }
}

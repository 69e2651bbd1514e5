// WS /api/v1/live: one connection per logged-in tab; container events patch the cached lists, host events refetch hosts.
import type { QueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { wsUrl } from './client';
import type { ContainerList, LiveMessage } from './types';

/** Most live events kept for the dashboard and the events page. */
export const LIVE_BUFFER = 200;
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

export type LiveContainerEvent = Extract<LiveMessage, { type: 'container' }>;
export type LiveStatus = 'connecting' | 'open' | 'closed';

/** The state a Docker event action leaves a container in (undefined: unchanged or unknown). */
export function stateAfter(action: string): string | undefined {
  const a = action.split(':')[0];
  switch (a) {
    case 'start': case 'restart': case 'unpause': return 'running';
    // A kill only sends a signal: the process may live on; its 'die' follows if it ends.
    case 'die': case 'stop': return 'exited';
    case 'pause': return 'paused';
    case 'create': return 'created';
    default: return undefined;
  }
}

/** Events that change which containers exist or what they are called: the lists are refetched. */
const RELIST = new Set(['create', 'destroy', 'rename']);

class LiveFeed {
  events: LiveContainerEvent[] = [];
  status: LiveStatus = 'closed';
  private listeners = new Set<() => void>();
  private ws: WebSocket | undefined;
  private stopped = true;
  private retryMs = BACKOFF_MIN_MS;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private relist: ReturnType<typeof setTimeout> | undefined;
  private qc: QueryClient | undefined;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private emit(): void {
    for (const fn of this.listeners) fn();
  }

  start(qc: QueryClient): void {
    this.qc = qc;
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close();
    this.ws = undefined;
    this.events = [];
    this.status = 'closed';
    this.emit();
  }

  private connect(): void {
    this.status = 'connecting';
    this.emit();
    const ws = new WebSocket(wsUrl('/api/v1/live'));
    this.ws = ws;
    ws.onopen = () => {
      this.retryMs = BACKOFF_MIN_MS;
      this.status = 'open';
      this.emit();
    };
    ws.onmessage = (ev: MessageEvent<unknown>) => {
      if (typeof ev.data !== 'string') return;
      try {
        this.handle(JSON.parse(ev.data) as LiveMessage);
      } catch {
        // a malformed message is ignored; the next refetch corrects any drift
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.status = 'closed';
      this.emit();
      if (this.stopped) return;
      // Full jitter, so a restarted server is not hit by every tab at once.
      const delay = Math.random() * this.retryMs;
      this.retryMs = Math.min(BACKOFF_MAX_MS, this.retryMs * 2);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  private handle(msg: LiveMessage): void {
    const qc = this.qc;
    if (!qc) return;
    if (msg.type === 'host') {
      void qc.invalidateQueries({ queryKey: ['hosts'] });
      return;
    }
    if (msg.type !== 'container') return;
    this.events = [msg, ...this.events].slice(0, LIVE_BUFFER);
    const action = msg.action.split(':')[0] ?? '';
    const state = msg.state ?? stateAfter(action);
    qc.setQueriesData<ContainerList>({ queryKey: ['containers'] }, (old) => {
      if (!old) return old;
      if (action === 'destroy') return { ...old, containers: old.containers.filter((c) => !(c.hostId === msg.hostId && c.id === msg.id)) };
      if (!state) return old;
      return { ...old, containers: old.containers.map((c) => (c.hostId === msg.hostId && c.id === msg.id ? { ...c, state, status: state } : c)) };
    });
    void qc.invalidateQueries({ queryKey: ['container', msg.hostId, msg.id] });
    if (RELIST.has(action)) {
      clearTimeout(this.relist);
      this.relist = setTimeout(() => void qc.invalidateQueries({ queryKey: ['containers'] }), 500);
    }
    void qc.invalidateQueries({ queryKey: ['host-stats', msg.hostId] });
    this.emit();
  }
}

const feed = new LiveFeed();

/** Keeps the live connection open while the calling component (the logged-in layout) is mounted. */
export function useLiveConnection(qc: QueryClient): void {
  useEffect(() => {
    feed.start(qc);
    return () => feed.stop();
  }, [qc]);
}

/** The latest live container events, newest first. */
export function useLiveEvents(): LiveContainerEvent[] {
  return useSyncExternalStore(feed.subscribe, () => feed.events);
}

/** Whether the live connection is open. */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(feed.subscribe, () => feed.status);
}

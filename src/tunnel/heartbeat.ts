// Heartbeat of one tunnel WebSocket: ping every interval, cut the connection when nothing was heard for too long.
import type { WebSocket } from 'ws';
import { HEARTBEAT_DEAD_AFTER_MS, HEARTBEAT_INTERVAL_MS } from './limits.js';

/** Options of {@link startHeartbeat} (tests shorten the timers). */
export interface HeartbeatOptions {
  intervalMs?: number;
  deadAfterMs?: number;
  /** Called once, just before a silent connection is terminated. */
  onDead?: () => void;
}

/**
 * Pings `ws` every `intervalMs`; any pong, ping or message counts as life. When nothing arrived for
 * `deadAfterMs` the socket is terminated (no close handshake: the peer may be frozen). Returns a stop function.
 */
export function startHeartbeat(ws: WebSocket, opts: HeartbeatOptions = {}): () => void {
  const interval = opts.intervalMs ?? HEARTBEAT_INTERVAL_MS;
  const deadAfter = opts.deadAfterMs ?? HEARTBEAT_DEAD_AFTER_MS;
  let lastHeard = Date.now();
  const alive = (): void => {
    lastHeard = Date.now();
  };
  ws.on('pong', alive);
  ws.on('ping', alive);
  ws.on('message', alive);
  const timer = setInterval(() => {
    if (Date.now() - lastHeard > deadAfter) {
      stop();
      opts.onDead?.();
      ws.terminate();
      return;
    }
    if (ws.readyState === ws.OPEN) ws.ping();
  }, interval);
  timer.unref();
  const stop = (): void => {
    clearInterval(timer);
    ws.off('pong', alive);
    ws.off('ping', alive);
    ws.off('message', alive);
  };
  ws.once('close', stop);
  return stop;
}

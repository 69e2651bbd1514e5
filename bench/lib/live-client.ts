// Clients the agents benchmark listens with: WS /api/v1/live (Bearer token) and dockerd's own GET /events.
import { request } from 'node:http';
import { WebSocket } from 'ws';

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with Docker's timeNano on this machine). */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

/** One message as it arrived. */
export type Arrival = (msg: Record<string, unknown>, atMs: number, atWallMs: number) => void;

/** An open /api/v1/live socket. */
export interface LiveSocket {
  readonly ws: WebSocket;
  send(msg: unknown): void;
  close(): void;
}

/** Opens WS /api/v1/live with the token in the Authorization header; resolves once open, calls `onMessage` per JSON message. */
export function openLive(base: string, token: string, ca: string, onMessage: Arrival, path = '/api/v1/live'): Promise<LiveSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${path}`, { headers: { authorization: `Bearer ${token}` }, ca, perMessageDeflate: false });
    ws.on('message', (data: Buffer, isBinary) => {
      const at = performance.now();
      const wall = performance.timeOrigin + at;
      if (isBinary) return;
      try {
        const v = JSON.parse(data.toString('utf8')) as unknown;
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) onMessage(v as Record<string, unknown>, at, wall);
      } catch {
        // not JSON: ignored (counted as nothing)
      }
    });
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => reject(new Error(`${path} answered ${res.statusCode ?? 0}: ${text.slice(0, 300)}`)));
    });
    ws.once('error', reject);
    ws.once('open', () => resolve({ ws, send: (m) => ws.send(JSON.stringify(m)), close: () => ws.close(1000) }));
  });
}

/** Follows dockerd's GET /events on the unix socket with `filters`; returns a stop function once the stream is open. */
export function followDockerEvents(socketPath: string, filters: Record<string, string[]>, onEvent: Arrival): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const path = `/events?filters=${encodeURIComponent(JSON.stringify(filters))}`;
    const req = request({ socketPath, path, method: 'GET' }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`dockerd /events answered ${res.statusCode ?? 0}`));
        return;
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line !== '') onEvent(JSON.parse(line) as Record<string, unknown>, at, performance.timeOrigin + at);
        }
      });
      res.on('error', () => undefined);
      resolve(() => req.destroy());
    });
    req.on('error', reject);
    req.end();
  });
}

/** Percentiles of a sample (ms, one decimal). */
export interface Percentiles {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

const r1 = (n: number): number => Math.round(n * 10) / 10;

/** Nearest-rank percentiles of `xs`. */
export function percentiles(xs: number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number): number => r1(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0);
  return { n: s.length, min: r1(s[0] ?? 0), p50: at(50), p90: at(90), p99: at(99), max: r1(s.at(-1) ?? 0), mean: r1(s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0) };
}

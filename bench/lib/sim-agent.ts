// A simulated agent: the product's real tunnel protocol (src/tunnel) in front of a synthetic Docker Engine.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { ServerHttp2Session } from 'node:http2';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { HANDSHAKE_TIMEOUT_MS, MAX_TUNNEL_MESSAGE_BYTES, answerChallenge, backoffDelay, parseChallenge, parseReady, serveTunnel, tunnelDuplex } from '../../src/tunnel/index.js';
import { SimEngine } from './sim-engine.js';

/** What a simulated agent needs to dial the control plane. */
export interface SimAgentOptions {
  /** wss://127.0.0.1:<port>/agent/v1/connect */
  url: string;
  /** The host's agent token (pca_…). */
  token: string;
  /** PEM CA of the server (its --tls auto CA). */
  ca: string;
  /** Stable key of the synthetic engine (container ids derive from it). */
  hostKey: string;
}

/**
 * One simulated agent. It speaks the same handshake as `portcullis agent` (Bearer token at the upgrade,
 * Ed25519 signature over the server's nonce, then HTTP/2 served over the WebSocket), but answers the
 * Engine API from {@link SimEngine} instead of a dockerd, and does not reconnect.
 */
export class SimAgent {
  readonly engine: SimEngine;
  private readonly key: KeyObject;
  private ws: WebSocket | undefined;
  private session: ServerHttp2Session | undefined;
  hostId: string | undefined;

  constructor(private readonly opts: SimAgentOptions) {
    this.engine = new SimEngine(opts.hostKey);
    this.key = generateKeyPairSync('ed25519').privateKey;
  }

  /** Whether the tunnel is up. */
  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && this.session !== undefined && !this.session.destroyed;
  }

  /** Dials, answers the challenge, and resolves once the server said ready and HTTP/2 is served (ms taken). */
  connect(): Promise<number> {
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.opts.url, {
        headers: { authorization: `Bearer ${this.opts.token}` }, ca: this.opts.ca, maxPayload: MAX_TUNNEL_MESSAGE_BYTES,
        handshakeTimeout: HANDSHAKE_TIMEOUT_MS, perMessageDeflate: false, followRedirects: false,
      });
      this.ws = ws;
      let settled = false;
      const fail = (why: string): void => {
        if (settled) return;
        settled = true;
        ws.terminate();
        reject(new Error(`simulated agent ${this.opts.hostKey}: ${why}`));
      };
      const timer = setTimeout(() => fail('no ready within the handshake timeout'), HANDSHAKE_TIMEOUT_MS * 3);
      ws.on('unexpected-response', (_req, res) => {
        res.resume();
        fail(`upgrade answered ${res.statusCode ?? 0}`);
      });
      ws.on('error', (err) => fail(`connection error: ${err.message}`));
      ws.once('close', (code, reason) => {
        clearTimeout(timer);
        // a failed attempt's socket may close after the next attempt is up: leave that one alone
        if (this.ws === ws) {
          this.session?.destroy();
          this.session = undefined;
          this.engine.endStreams();
        }
        fail(`closed during the handshake (${code} ${reason.toString('utf8').slice(0, 100)})`);
      });
      let challenged = false;
      const onMessage = (data: Buffer, isBinary: boolean): void => {
        try {
          if (isBinary) throw new Error('binary message during the handshake');
          if (!challenged) {
            challenged = true;
            ws.send(JSON.stringify(answerChallenge(parseChallenge(data), this.key, { agentVersion: 'bench-sim', policy: 'operator' })));
            return;
          }
          const ready = parseReady(data);
          ws.off('message', onMessage);
          // synchronously: the server's HTTP/2 preface may arrive in the same tick as `ready`
          this.session = serveTunnel(tunnelDuplex(ws), this.engine.handle);
          this.hostId = ready.hostId;
          clearTimeout(timer);
          settled = true;
          resolve(performance.now() - t0);
        } catch (err) {
          fail((err as Error).message);
        }
      };
      ws.on('message', onMessage);
    });
  }

  /** Closes the tunnel (a normal close, as a stopping agent does) and waits for the socket to close. */
  close(): Promise<void> {
    const ws = this.ws;
    this.engine.endStreams();
    this.session?.destroy();
    this.session = undefined;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 2_000);
      ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      ws.close(1001, 'agent stopping');
    });
  }
}

/** Outcome of {@link connectAll}. */
export interface ConnectRun {
  /** Per connected agent: ms from the start of the run to its tunnel being up (jitter and retries included). */
  ms: number[];
  /** Agents still not connected when the retry window closed, with the last error. */
  failures: string[];
  /** Handshakes tried in all (more than the agents when some had to retry). */
  attempts: number;
  wallMs: number;
}

/**
 * Connects `agents`, at most `concurrency` at a time. Like `portcullis agent`, a failed attempt is
 * retried after `backoffDelay(attempt)` (full jitter, 1 s → 60 s) until `retryForMs` has passed; with
 * `jitterFirst` each agent also waits `backoffDelay(0)` before its first attempt, as a real agent does
 * after its tunnel dropped.
 */
export async function connectAll(agents: SimAgent[], concurrency: number, opts: { retryForMs?: number; jitterFirst?: boolean } = {}): Promise<ConnectRun> {
  const t0 = performance.now();
  const retryFor = opts.retryForMs ?? 0;
  const ms: number[] = [];
  const failures: string[] = [];
  let attempts = 0;
  let next = 0;
  const one = async (a: SimAgent): Promise<void> => {
    if (opts.jitterFirst) await sleep(backoffDelay(0));
    for (let attempt = 0; ; attempt++) {
      attempts += 1;
      try {
        await a.connect();
        ms.push(performance.now() - t0);
        return;
      } catch (err) {
        const delay = backoffDelay(attempt);
        if (performance.now() - t0 + delay > retryFor) {
          failures.push((err as Error).message);
          return;
        }
        await sleep(delay);
      }
    }
  };
  const worker = async (): Promise<void> => {
    while (next < agents.length) await one(agents[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, agents.length) }, worker));
  return { ms, failures, attempts, wallMs: performance.now() - t0 };
}

// The agent's dial-out loop: connect over WSS, answer the challenge, serve HTTP/2 through the policy, reconnect with backoff.
import type { KeyObject } from 'node:crypto';
import type { ServerHttp2Session } from 'node:http2';
import { WebSocket } from 'ws';
import type { Logger } from '../log/index.js';
import {
  HANDSHAKE_TIMEOUT_MS, MAX_TUNNEL_MESSAGE_BYTES, answerChallenge, backoffDelay, parseChallenge, parseReady, serveTunnel, startHeartbeat,
  tunnelDuplex, type HeartbeatOptions,
} from '../tunnel/index.js';
import type { ForwarderOptions } from './forward.js';
import { createForwarder } from './forward.js';

/** Connection state, as /healthz reports it. */
export type AgentState = 'connecting' | 'connected' | 'waiting' | 'stopped';

export interface AgentOptions extends ForwarderOptions {
  url: URL;
  /** Read before every attempt (AGENT_TOKEN_FILE may have been updated after a rotation). */
  token: () => string;
  /** PEM CA to trust instead of the system store. */
  ca?: string;
  key: KeyObject;
  policyName: string;
  version: string;
  log: Logger;
  heartbeat?: HeartbeatOptions;
  /** Reconnect delay for an attempt number (default: full jitter, 1 s → 60 s). */
  backoff?: (attempt: number) => number;
  /** Told about state changes (metrics). */
  onState?: (state: AgentState) => void;
}

/**
 * Runs until stop(): dials the control plane, proves its identity (token at the upgrade, then an
 * Ed25519 signature over the server's fresh nonce), and serves Docker calls through its own policy.
 */
export class Agent {
  private stateValue: AgentState = 'stopped';
  private ws: WebSocket | undefined;
  private session: ServerHttp2Session | undefined;
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private stopped = false;
  /** Connections that completed the handshake. */
  connections = 0;
  hostId: string | undefined;
  hostName: string | undefined;
  lastError: string | undefined;

  constructor(private readonly opts: AgentOptions) {}

  get state(): AgentState {
    return this.stateValue;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Closes the tunnel and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.session?.destroy();
    const ws = this.ws;
    if (ws && ws.readyState !== ws.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close(1001, 'agent stopping');
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 2_000).unref();
      });
    }
    this.setState('stopped');
  }

  private setState(s: AgentState): void {
    this.stateValue = s;
    this.opts.onState?.(s);
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState('connecting');
    const { log } = this.opts;
    let token: string;
    try {
      token = this.opts.token();
    } catch (err) {
      this.fail(`cannot read the agent token: ${(err as Error).message}`);
      return;
    }
    const ws = new WebSocket(this.opts.url, {
      headers: { authorization: `Bearer ${token}` },
      ...(this.opts.ca ? { ca: this.opts.ca } : {}),
      maxPayload: MAX_TUNNEL_MESSAGE_BYTES,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      perMessageDeflate: false,
      followRedirects: false,
    });
    this.ws = ws;
    let done = false;
    const handshakeTimer = setTimeout(() => ws.terminate(), HANDSHAKE_TIMEOUT_MS * 2);
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      refused = true;
      this.lastError = status === 401
        ? 'the control plane refused the agent token (401): check AGENT_TOKEN / AGENT_TOKEN_FILE (was it rotated or the host revoked?)'
        : `the control plane answered ${status} to the upgrade`;
      ws.terminate();
    });
    let refused = false;
    ws.on('error', (err) => {
      if (!refused) this.lastError = `connection failed: ${err.message}`;
    });
    // the handshake state of this connection: challenge answered, then ready (the listener goes away after)
    let challenged = false;
    const onMessage = (data: Buffer, isBinary: boolean): void => {
      try {
        if (isBinary) throw new Error('binary message during the handshake');
        if (!challenged) {
          const challenge = parseChallenge(data);
          challenged = true;
          ws.send(JSON.stringify(answerChallenge(challenge, this.opts.key, { agentVersion: this.opts.version, policy: this.opts.policyName })));
          return;
        }
        const ready = parseReady(data);
        done = true;
        ws.off('message', onMessage);
        clearTimeout(handshakeTimer);
        // synchronously, before the server's first HTTP/2 bytes are dispatched
        this.session = serveTunnel(tunnelDuplex(ws), createForwarder(this.opts));
        this.hostId = ready.hostId;
        this.hostName = ready.hostName;
        this.attempt = 0;
        this.connections += 1;
        this.lastError = undefined;
        this.setState('connected');
        log.info({ hostId: ready.hostId, host: ready.hostName }, 'tunnel up');
      } catch (err) {
        this.lastError = (err as Error).message;
        ws.close(1002, 'handshake failed');
      }
    };
    this.hostId = undefined;
    ws.on('message', onMessage);
    ws.on('open', () => startHeartbeat(ws, this.opts.heartbeat ?? {}));
    ws.once('close', (code, reason) => {
      clearTimeout(handshakeTimer);
      this.session?.destroy();
      this.session = undefined;
      if (done) log.warn({ code, reason: reason.toString('utf8').slice(0, 120) }, 'tunnel closed');
      else if (reason.length > 0) this.lastError = `refused: ${reason.toString('utf8').slice(0, 200)}`;
      this.fail(this.lastError);
    });
  }

  private fail(reason: string | undefined): void {
    if (this.stopped) return;
    const delay = (this.opts.backoff ?? backoffDelay)(this.attempt);
    this.attempt += 1;
    if (reason) this.opts.log.warn({ retryInMs: delay, attempt: this.attempt }, reason);
    this.setState('waiting');
    this.timer = setTimeout(() => this.connect(), delay);
  }
}

// AgentHub: agent-backed hosts in the registry, the handshake of each agent connection, and its tunnel's life.
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { EngineHost, hostPolicy, type HostRegistry } from '../../hosts/index.js';
import type { AuditInput, Host as StoredHost, Store } from '../../store/index.js';
import {
  HANDSHAKE_TIMEOUT_MS, HEARTBEAT_DEAD_AFTER_MS, TunnelChannel, connectTunnel, newChallenge, parseHello, startHeartbeat, tunnelDuplex,
  verifyHello, type Hello,
} from '../../tunnel/index.js';

/** WebSocket close codes the hub uses (4000-4999 are the application's). */
export const CLOSE_CODES = { replaced: 4000, revoked: 4001, rotated: 4002, keyMismatch: 4003, handshake: 4004, shutdown: 1001 } as const;

export interface AgentHubOptions {
  store: Store;
  hosts: HostRegistry;
  audit: (input: AuditInput) => Promise<void>;
  log?: FastifyBaseLogger;
  /** A tunnel silent this long is cut and its host marked offline (pings go out at a third of it). */
  deadAfterMs?: number;
}

interface Live {
  ws: WebSocket;
  channel: TunnelChannel;
}

/**
 * Keeps one EngineHost (kind `agent`) per enrolled host in the registry, offline until its agent
 * connects. Every call on such a host passes the server-side host policy here, and the agent's own policy there.
 */
export class AgentHub {
  private readonly channels = new Map<string, TunnelChannel>();
  private readonly live = new Map<string, Live>();

  constructor(private readonly opts: AgentHubOptions) {}

  /** Registers every agent host of the store (at start). */
  async loadHosts(): Promise<void> {
    for (const row of await this.opts.store.hosts.list()) {
      if (row.kind === 'agent' && row.revokedAt === null) this.register(row);
    }
  }

  /** Adds an agent host to the registry (offline until its agent dials in). */
  register(row: StoredHost): void {
    if (this.channels.has(row.id)) return;
    const channel = new TunnelChannel(row.name);
    this.channels.set(row.id, channel);
    this.opts.hosts.add(new EngineHost({ id: row.id, name: row.name, kind: 'agent', tags: row.tags, channel, policy: hostPolicy() }));
  }

  private readonly refusals = new Map<string, { since: number; count: number }>();

  /** Counts a refused handshake of `hostId` in the current minute; returns the count (1 = first). */
  private countRefusal(hostId: string): number {
    const now = Date.now();
    const r = this.refusals.get(hostId);
    if (!r || now - r.since > 60_000) {
      this.refusals.set(hostId, { since: now, count: 1 });
      return 1;
    }
    r.count += 1;
    return r.count;
  }

  /** Whether the host's tunnel is up. */
  isOnline(hostId: string): boolean {
    return this.channels.get(hostId)?.online === true;
  }

  /** Cuts the host's live tunnel (revocation, rotation); the agent's in-flight calls fail. */
  disconnect(hostId: string, code: number, reason: string): void {
    const l = this.live.get(hostId);
    if (!l) return;
    this.live.delete(hostId);
    l.channel.detach();
    l.ws.close(code, reason);
    // a frozen agent never answers the close handshake
    setTimeout(() => l.ws.terminate(), 500).unref();
    this.opts.hosts.emitChange({ type: 'offline', hostId });
  }

  /** Disconnects and removes the host from the registry. */
  async unregister(hostId: string): Promise<void> {
    this.disconnect(hostId, CLOSE_CODES.revoked, 'host revoked');
    this.channels.delete(hostId);
    await this.opts.hosts.remove(hostId);
  }

  /** Closes every tunnel (server shutdown). */
  close(): void {
    for (const id of [...this.live.keys()]) this.disconnect(id, CLOSE_CODES.shutdown, 'server shutting down');
  }

  /**
   * Runs the handshake on a freshly upgraded, token-authenticated connection: challenge, signed hello
   * (enrolling the key on first contact), then HTTP/2 over the socket.
   */
  accept(ws: WebSocket, row: StoredHost, clientIp: string): void {
    const challenge = newChallenge(row.id, row.agentPublicKey !== null);
    const base = { actor: `agent:${row.name}`, actorType: 'agent' as const, target: row.id, clientIp, userAgent: null };
    const timer = setTimeout(() => ws.close(CLOSE_CODES.handshake, 'handshake timeout'), HANDSHAKE_TIMEOUT_MS);
    ws.once('close', () => clearTimeout(timer));
    ws.once('message', (data, isBinary) => {
      clearTimeout(timer);
      let hello: Hello;
      try {
        if (isBinary) throw new Error('the hello must be a text message');
        hello = parseHello(data);
      } catch (err) {
        ws.close(CLOSE_CODES.handshake, (err as Error).message.slice(0, 100));
        return;
      }
      void this.finish(ws, row, challenge.nonce, hello, base).catch((err: unknown) => {
        this.opts.log?.error({ err: { message: (err as Error).message }, hostId: row.id }, 'agent handshake failed');
        ws.close(CLOSE_CODES.handshake, 'handshake failed');
      });
    });
    ws.send(JSON.stringify(challenge));
  }

  private async finish(ws: WebSocket, row: StoredHost, nonce: string, hello: Hello, base: Omit<AuditInput, 'action' | 'result'>): Promise<void> {
    const { store, audit } = this.opts;
    // the token was checked at the upgrade; a rotation or revocation since then must win
    const fresh = await store.hosts.findById(row.id);
    if (!fresh || fresh.revokedAt !== null || fresh.agentTokenHash !== row.agentTokenHash) {
      ws.close(CLOSE_CODES.rotated, 'the agent token changed during the handshake');
      return;
    }
    const signed = verifyHello(hello, row.id, nonce, hello.publicKey);
    let enrolled = fresh.agentPublicKey;
    let enrolledNow = false;
    if (signed && enrolled === null) {
      enrolled = (await store.hosts.enrollKey(row.id, hello.publicKey)) ?? null;
      enrolledNow = enrolled === hello.publicKey;
    }
    if (!signed || enrolled !== hello.publicKey) {
      // one record per host and minute (with the count): a token thief must not be able to flood the log
      const n = this.countRefusal(row.id);
      if (n === 1) await audit({ ...base, action: 'agent.connect', result: 'denied', details: { reason: signed ? 'key-mismatch' : 'bad-signature', note: 'further refusals of this host within a minute are counted, not recorded' } });
      ws.close(CLOSE_CODES.keyMismatch, signed ? 'this agent key is not the one enrolled for the host' : 'bad signature');
      return;
    }
    if (ws.readyState !== ws.OPEN) return;
    if (enrolledNow) await audit({ ...base, action: 'agent.enroll', result: 'success', details: { agentVersion: hello.agentVersion } });
    const channel = this.channels.get(row.id);
    if (!channel) {
      ws.close(CLOSE_CODES.revoked, 'host revoked');
      return;
    }
    const previous = this.live.get(row.id);
    if (previous) {
      this.live.delete(row.id);
      previous.ws.close(CLOSE_CODES.replaced, 'replaced by a newer connection');
    }
    // the duplex listens before `ready` leaves, so the agent's first HTTP/2 bytes are never missed
    const session = connectTunnel(tunnelDuplex(ws));
    ws.send(JSON.stringify({ type: 'ready', hostId: row.id, hostName: row.name }));
    channel.attach(session);
    const entry = { ws, channel };
    this.live.set(row.id, entry);
    const dead = this.opts.deadAfterMs ?? HEARTBEAT_DEAD_AFTER_MS;
    startHeartbeat(ws, { intervalMs: Math.max(100, Math.floor(dead / 3)), deadAfterMs: dead });
    ws.once('close', (code) => {
      session.destroy();
      void audit({ ...base, action: 'agent.disconnect', result: 'success', details: { code } });
      if (this.live.get(row.id) !== entry) return;
      this.live.delete(row.id);
      channel.detach();
      this.opts.hosts.emitChange({ type: 'offline', hostId: row.id });
      void store.hosts.update(row.id, { lastSeenAt: new Date().toISOString() }).catch(() => undefined);
    });
    this.opts.hosts.emitChange({ type: 'online', hostId: row.id });
    const now = new Date().toISOString();
    await store.hosts.update(row.id, { lastSeenAt: now, agentVersion: hello.agentVersion, agentPolicy: hello.policy });
    await audit({ ...base, action: 'agent.connect', result: 'success', details: { agentVersion: hello.agentVersion, policy: hello.policy } });
  }
}

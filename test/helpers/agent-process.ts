// Runs `bin/portcullis agent` as a child process with its own data dir and 0600 token file; reads its health listener.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PORTCULLIS_BIN, REPO_ROOT } from './proxy-process.js';
import { JsonLog, endChild, trackChild } from './server-process.js';

/** What /healthz and /readyz report. */
export interface AgentHealth {
  tunnel: 'connecting' | 'connected' | 'waiting' | 'stopped';
  hostId: string | null;
  host: string | null;
  connections: number;
  lastError: string | null;
}

export interface AgentProcessOptions {
  /** wss://… of the control plane. */
  url: string;
  token: string;
  /** PEM CA file the agent pins (AGENT_CA_FILE). */
  caFile: string;
  /** AGENT_POLICY (default operator). */
  policy?: string;
  /** Reuse this agent data dir (and so its key) instead of a fresh one. */
  dataDir?: string;
  env?: Record<string, string>;
}

/**
 * One agent process. Its health listener is on 127.0.0.1:0; the port is read from the
 * `agent starting` log line.
 * @example const a = await AgentProcess.start({ url: srv.wsUrl, token, caFile: srv.caPath }); await a.waitReady();
 */
export class AgentProcess {
  private frozen = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly log: JsonLog,
    readonly root: string,
    readonly dataDir: string,
    readonly tokenFile: string,
    /** host:port of /healthz, /readyz and /metrics. */
    readonly health: string,
  ) {}

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** The agent's Ed25519 key file (created on first start). */
  get keyFile(): string {
    return join(this.dataDir, 'agent-key.pem');
  }

  /** Starts an agent and waits for its `agent starting` line (not for the tunnel: see {@link waitReady}). */
  static async start(opts: AgentProcessOptions): Promise<AgentProcess> {
    const root = mkdtempSync(join(tmpdir(), 'portcullis-agentproc-'));
    const dataDir = opts.dataDir ?? join(root, 'data');
    const tokenFile = join(root, 'token');
    writeFileSync(tokenFile, `${opts.token}\n`, { mode: 0o600 });
    const child = spawn(process.execPath, [PORTCULLIS_BIN, 'agent'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp',
        CONTROL_PLANE_URL: opts.url, AGENT_TOKEN_FILE: tokenFile, AGENT_CA_FILE: opts.caFile, AGENT_POLICY: opts.policy ?? 'operator',
        AGENT_DATA: dataDir, AGENT_LISTEN: '127.0.0.1:0',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(child);
    const log = new JsonLog(child, 'portcullis agent');
    try {
      const line = await log.waitFor((l) => l.msg === 'agent starting', 15_000);
      if (typeof line.health !== 'string') throw new Error(`agent starting line without a health address: ${JSON.stringify(line)}`);
      return new AgentProcess(child, log, root, dataDir, tokenFile, line.health);
    } catch (err) {
      child.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
      throw err;
    }
  }

  /** Replaces the token file (the agent reads it again before its next connection attempt). */
  setToken(token: string): void {
    writeFileSync(this.tokenFile, `${token}\n`, { mode: 0o600 });
  }

  /** GET /readyz: 200 only while the tunnel is up. */
  async readyz(timeoutMs = 2_000): Promise<{ status: number; body: AgentHealth }> {
    const res = await fetch(`http://${this.health}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: (await res.json()) as AgentHealth };
  }

  /** Polls /readyz until it answers 200; resolves with the ms it took. */
  async waitReady(timeoutMs = 20_000): Promise<number> {
    return this.waitState(true, timeoutMs);
  }

  /** Polls /readyz until it answers 503; resolves with the ms it took. */
  async waitNotReady(timeoutMs = 20_000): Promise<number> {
    return this.waitState(false, timeoutMs);
  }

  private async waitState(ready: boolean, timeoutMs: number, intervalMs = 20): Promise<number> {
    const started = Date.now();
    let last: { status: number; body: AgentHealth } | undefined;
    while (Date.now() - started < timeoutMs) {
      last = await this.readyz().catch(() => undefined);
      if (last && (last.status === 200) === ready) return Date.now() - started;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    throw new Error(`agent not ${ready ? 'ready' : 'unready'} within ${timeoutMs} ms; last /readyz ${JSON.stringify(last)}\n${this.log.text()}`);
  }

  /** /metrics as text. */
  async metricsText(): Promise<string> {
    const res = await fetch(`http://${this.health}/metrics`, { signal: AbortSignal.timeout(5_000) });
    return res.text();
  }

  /** One unlabelled sample (or the sum of a labelled family matching `labels`) of the agent's metrics. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await this.metricsText();
    let sum = 0;
    let seen = false;
    for (const line of text.split('\n')) {
      const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
      if (!m || m[1] !== name) continue;
      const set = m[2] ?? '';
      if (!Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) continue;
      sum += Number(m[3]);
      seen = true;
    }
    return seen ? sum : 0;
  }

  /** The agent's resident set size from its own /metrics. */
  rssBytes(): Promise<number> {
    return this.metric('portcullis_agent_process_resident_memory_bytes');
  }

  /** SIGSTOP: the process freezes (no pongs, no reads) but its sockets stay open. */
  freeze(): void {
    this.child.kill('SIGSTOP');
    this.frozen = true;
  }

  /** SIGCONT after {@link freeze}. */
  thaw(): void {
    this.child.kill('SIGCONT');
    this.frozen = false;
  }

  /** Graceful stop (SIGTERM; SIGKILL after a grace period). A frozen agent is thawed first. */
  async stop(): Promise<void> {
    if (this.frozen) this.thaw();
    await endChild(this.child);
  }

  /** Stops the agent and removes its temp dir (the data dir too, unless it was passed in from elsewhere). */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.root, { recursive: true, force: true });
  }
}

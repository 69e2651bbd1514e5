// Runs `bin/portcullis server` as a child process (TLS auto, fixed port, temp data dir); kill -9 and restart on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './haproxy.js';
import { PORTCULLIS_BIN, REPO_ROOT, type LogLine } from './proxy-process.js';

/** The bootstrap admin password the helper sets (it must be changed at first login: see api-client.ts). */
export const SERVER_ADMIN_PASSWORD = 'Agents-Bootstrap-Passphrase-4821';

/** Every child a helper started and has not seen exit: killed when the test process exits, whatever happened. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Keeps track of a child for the exit hook. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** The JSON log lines (pino) one child prints on stdout, with a way to wait for one. */
export class JsonLog {
  readonly lines: LogLine[] = [];
  private out = '';
  private err = '';
  private partial = '';
  private readonly waiters = new Set<() => void>();
  private exited = false;

  constructor(private readonly child: ChildProcess, private readonly what: string) {
    child.stdout?.on('data', (d: Buffer) => {
      const s = d.toString();
      this.out += s;
      this.partial += s;
      const parts = this.partial.split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) {
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          this.lines.push({ msg: line, unparsed: true });
        }
      }
      for (const w of this.waiters) w();
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.err += d.toString();
    });
    child.once('exit', () => {
      this.exited = true;
      for (const w of this.waiters) w();
    });
  }

  /** Raw output so far (stdout tail and stderr), for failure messages. */
  text(): string {
    return `stderr: ${this.err.slice(-2_000)}\nstdout: ${this.out.slice(-3_000)}`;
  }

  /** Resolves with the first line (from index `from`) matching `pred`; rejects on timeout or when the child exits first. */
  waitFor(pred: (l: LogLine) => boolean, timeoutMs = 10_000, from = 0): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = this.lines.slice(from).find(pred);
        if (hit) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        } else if (this.exited) {
          this.waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`${this.what} exited (code ${this.child.exitCode}, signal ${this.child.signalCode}) before the awaited log line\n${this.text()}`));
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching ${this.what} log line within ${timeoutMs} ms\n${this.text()}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

/** Sends `signal` and waits for the exit; SIGKILL after `graceMs` if it is still there. */
export async function endChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(t);
}

export interface ServerProcessOptions {
  /** Extra PORTCULLIS_* settings (they win over the helper's defaults). */
  env?: Record<string, string>;
}

/**
 * One `portcullis server` on 127.0.0.1:<port> with `--tls auto`, a temp data dir and a short agent
 * dead-after (3 s) so heartbeat tests run fast. The port and data dir survive {@link kill9} + {@link restart}.
 * @example const s = await ServerProcess.start(); await s.kill9(); await s.restart();
 */
export class ServerProcess {
  private child!: ChildProcess;
  /** The log of the current child (replaced by restart). */
  log!: JsonLog;
  /** How many children were started (1 + restarts). */
  starts = 0;

  private constructor(readonly port: number, readonly root: string, private readonly env: Record<string, string>) {}

  /** The data dir (database, secret key, tls/). */
  get dataDir(): string {
    return join(this.root, 'data');
  }

  /** https://127.0.0.1:<port> */
  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** wss://127.0.0.1:<port> — what agents are given as CONTROL_PLANE_URL. */
  get wsUrl(): string {
    return `wss://127.0.0.1:${this.port}`;
  }

  /** The local CA of `--tls auto` (agents pin it with AGENT_CA_FILE). */
  get caPath(): string {
    return join(this.dataDir, 'tls', 'ca.crt');
  }

  /** PEM of the local CA. */
  ca(): string {
    return readFileSync(this.caPath, 'utf8');
  }

  /** The current child's pid. */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Whether the current child is running. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts a server on a free port with a fresh data dir and waits until it listens. */
  static async start(opts: ServerProcessOptions = {}): Promise<ServerProcess> {
    const root = mkdtempSync(join(tmpdir(), 'portcullis-srvproc-'));
    const port = await freePort();
    const s = new ServerProcess(port, root, opts.env ?? {});
    try {
      await s.spawnChild();
    } catch (err) {
      rmSync(root, { recursive: true, force: true });
      throw err;
    }
    return s;
  }

  private async spawnChild(): Promise<number> {
    const started = Date.now();
    const child = spawn(process.execPath, [PORTCULLIS_BIN, 'server'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp',
        PORTCULLIS_LISTEN: `127.0.0.1:${this.port}`, PORTCULLIS_DATA: this.dataDir, PORTCULLIS_TLS: 'auto',
        PORTCULLIS_ADMIN_PASSWORD: SERVER_ADMIN_PASSWORD, PORTCULLIS_AGENT_DEAD_AFTER: '3s',
        PORTCULLIS_RATE_HOSTS: '100000/1m', PORTCULLIS_RATE_CONTAINERS: '100000/1m',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(child);
    this.child = child;
    this.log = new JsonLog(child, 'portcullis server');
    this.starts += 1;
    try {
      await this.log.waitFor((l) => l.msg === 'portcullis server listening', 20_000);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    return Date.now() - started;
  }

  /** kill -9: no shutdown, no close frames; the agents only see their TCP connections die. */
  async kill9(): Promise<void> {
    await endChild(this.child, 'SIGKILL');
  }

  /** Starts a new child on the same port and data dir; resolves with the ms until it listened. */
  async restart(): Promise<number> {
    if (this.running) throw new Error('the server is still running; kill9() or stop() it first');
    return this.spawnChild();
  }

  /** SIGTERM (graceful), SIGKILL after a grace period. */
  async stop(): Promise<void> {
    await endChild(this.child);
  }

  /** Stops the server and removes its data dir. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.root, { recursive: true, force: true });
  }
}

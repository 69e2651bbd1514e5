// A synthetic Docker Engine for simulated agents: /_ping, /version, /info, 50 containers, an /events stream it can push to.
import { createHash } from 'node:crypto';
import http2, { type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';

/** Containers each simulated host reports. */
export const SIM_CONTAINERS_PER_HOST = 50;
/** Label every synthetic container carries, so a reader can tell them apart from real ones. */
export const SIM_LABEL = 'portcullis.bench.sim';

/** One synthetic container (the fields GET /containers/json answers). */
export interface SimContainer {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  State: string;
  Status: string;
  Ports: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[];
  Labels: Record<string, string>;
  SizeRw?: number;
  HostConfig: { NetworkMode: string };
  NetworkSettings: { Networks: Record<string, unknown> };
  Mounts: unknown[];
}

const hex64 = (seed: string): string => createHash('sha256').update(seed).digest('hex');

/** The 50 containers of simulated host `hostKey`: stable ids, a mix of states, ports and labels like a small real host. */
export function simContainers(hostKey: string): SimContainer[] {
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: SIM_CONTAINERS_PER_HOST }, (_, i) => {
    const running = i % 5 !== 4;
    const app = ['web', 'api', 'worker', 'db', 'cache'][i % 5]!;
    return {
      Id: hex64(`${hostKey}/${i}`),
      Names: [`/${app}-${i}`],
      Image: `registry.example/${app}:1.${i % 7}`,
      ImageID: `sha256:${hex64(`image/${app}/${i % 7}`)}`,
      Command: `/usr/local/bin/${app} --serve`,
      Created: now - 86_400 - i * 60,
      State: running ? 'running' : 'exited',
      Status: running ? 'Up 2 days' : 'Exited (0) 3 hours ago',
      Ports: i % 5 === 0 ? [{ IP: '127.0.0.1', PrivatePort: 8080, PublicPort: 18_000 + i, Type: 'tcp' }] : [],
      Labels: { [SIM_LABEL]: '1', 'com.docker.compose.project': `stack-${i % 4}`, 'com.docker.compose.service': app },
      HostConfig: { NetworkMode: 'bridge' },
      NetworkSettings: { Networks: { bridge: { IPAddress: `172.17.0.${i + 2}` } } },
      Mounts: [],
    };
  });
}

/** A Docker event line as dockerd writes it on GET /events. */
export function simEvent(c: SimContainer, action: string, atMs: number): Record<string, unknown> {
  const name = c.Names[0]?.slice(1) ?? '';
  return {
    status: action, id: c.Id, from: c.Image, Type: 'container', Action: action,
    Actor: { ID: c.Id, Attributes: { image: c.Image, name, ...c.Labels } },
    scope: 'local', time: Math.floor(atMs / 1000), timeNano: Math.round(atMs * 1e6),
  };
}

/** The Engine API answers of one simulated host; `handle` serves one HTTP/2 stream of the tunnel. */
export class SimEngine {
  readonly containers: SimContainer[];
  private listBody: Buffer | undefined;
  private readonly byRef = new Map<string, SimContainer>();
  private readonly eventStreams = new Set<ServerHttp2Stream>();
  /** Requests served, by path (without version prefix and query). */
  readonly served = new Map<string, number>();

  constructor(private readonly hostKey: string) {
    this.containers = simContainers(hostKey);
    for (const c of this.containers) {
      this.byRef.set(c.Id, c);
      this.byRef.set(c.Id.slice(0, 12), c);
      this.byRef.set(c.Names[0]!.slice(1), c);
    }
  }

  /** Open GET /events streams (the server's subscriptions). */
  get subscribers(): number {
    return this.eventStreams.size;
  }

  /** Writes one event line to every open /events stream; returns how many streams got it. */
  push(event: Record<string, unknown>): number {
    const line = `${JSON.stringify(event)}\n`;
    let n = 0;
    for (const s of this.eventStreams) {
      if (s.closed || s.destroyed) continue;
      s.write(line);
      n += 1;
    }
    return n;
  }

  /** Ends every /events stream (the agent is going away). */
  endStreams(): void {
    for (const s of this.eventStreams) if (!s.closed) s.end();
    this.eventStreams.clear();
  }

  readonly handle = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void => {
    stream.on('error', () => undefined);
    const method = String(headers[':method'] ?? '');
    const target = String(headers[':path'] ?? '');
    const path = (target.split('?')[0] ?? '').replace(/^\/v\d+(\.\d+)?(?=\/)/, '');
    const key = path.startsWith('/containers/') && path !== '/containers/json' ? '/containers/{id}/…' : path;
    this.served.set(key, (this.served.get(key) ?? 0) + 1);
    if (method !== 'GET') return this.json(stream, 404, { message: `page not found (simulated engine: ${method} is not served)` });
    if (path === '/_ping') return this.text(stream, 200, 'OK');
    if (path === '/version') return this.json(stream, 200, this.version());
    if (path === '/info') return this.json(stream, 200, this.info());
    if (path === '/containers/json') return this.raw(stream, 200, (this.listBody ??= Buffer.from(JSON.stringify(this.containers))));
    if (path === '/events') return this.events(stream);
    const m = /^\/containers\/([^/]+)\/json$/.exec(path);
    const c = m ? this.byRef.get(decodeURIComponent(m[1]!)) : undefined;
    if (c) return this.json(stream, 200, this.inspect(c));
    this.json(stream, 404, { message: m ? `No such container: ${m[1]!.slice(0, 80)}` : 'page not found' });
  };

  private events(stream: ServerHttp2Stream): void {
    if (stream.closed || stream.destroyed) return;
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    this.eventStreams.add(stream);
    stream.once('close', () => this.eventStreams.delete(stream));
  }

  private version(): Record<string, unknown> {
    return { Version: '27.5.1-sim', ApiVersion: '1.47', MinAPIVersion: '1.24', Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0-sim', GoVersion: 'go1.22.0' };
  }

  private info(): Record<string, unknown> {
    const running = this.containers.filter((c) => c.State === 'running').length;
    return {
      ID: hex64(`info/${this.hostKey}`).slice(0, 36), Name: `sim-${this.hostKey}`, Containers: this.containers.length, ContainersRunning: running,
      ContainersPaused: 0, ContainersStopped: this.containers.length - running, Images: 7, ServerVersion: '27.5.1-sim',
      OperatingSystem: 'Simulated Linux', OSType: 'linux', Architecture: 'x86_64', KernelVersion: '6.1.0-sim', NCPU: 4, MemTotal: 8 * 2 ** 30,
    };
  }

  private inspect(c: SimContainer): Record<string, unknown> {
    return {
      Id: c.Id, Name: c.Names[0], Created: new Date(c.Created * 1000).toISOString(), Image: c.ImageID,
      State: { Status: c.State, Running: c.State === 'running', Paused: false, Restarting: false, ExitCode: 0 },
      Config: { Image: c.Image, Labels: c.Labels, Env: ['PATH=/usr/bin'] }, HostConfig: c.HostConfig, NetworkSettings: c.NetworkSettings, Mounts: [],
    };
  }

  private raw(stream: ServerHttp2Stream, status: number, body: Buffer, type = 'application/json'): void {
    if (stream.closed || stream.destroyed) return;
    try {
      stream.respond({ ':status': status, 'content-type': type, 'content-length': body.length, 'api-version': '1.47' });
      stream.end(body);
    } catch {
      stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    }
  }

  private json(stream: ServerHttp2Stream, status: number, body: unknown): void {
    this.raw(stream, status, Buffer.from(JSON.stringify(body)));
  }

  private text(stream: ServerHttp2Stream, status: number, body: string): void {
    this.raw(stream, status, Buffer.from(body), 'text/plain; charset=utf-8');
  }
}

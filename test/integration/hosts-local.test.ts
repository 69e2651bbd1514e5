// Integration tests of src/hosts against the real dockerd: LocalHost calls, policy denials, logs, events, aggregation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerError, type LogChunk } from '../../src/docker/index.js';
import { HostPolicyDenied, HostRegistry, LocalHost, hostPolicy, type HostListing } from '../../src/hosts/index.js';
import { TEST_IMAGE, docker } from '../helpers/docker-cli.js';

const RUN = `hl${process.pid}${Date.now().toString(36)}`;
const LABELS = { 'portcullis.test': '1', 'portcullis.test.run': RUN };
const RUN_LABEL = `portcullis.test.run=${RUN}`;
const SOCKET = { socketPath: '/var/run/docker.sock' };
let host: LocalHost;

async function runContainer(cmd: string[], opts: { tty?: boolean; name?: string; labels?: Record<string, string> } = {}): Promise<string> {
  const body = { Image: TEST_IMAGE, Cmd: cmd, Tty: opts.tty ?? false, Labels: { ...LABELS, ...opts.labels } };
  const { Id } = await host.createContainer(body, opts.name ? { name: opts.name } : {});
  await host.startContainer(Id);
  return Id;
}

/** Containers of this run as dockerd itself reports them (through the CLI, not through the code under test). */
async function countRunContainers(): Promise<number> {
  const r = await docker(['ps', '-aq', '--filter', `label=${RUN_LABEL}`]);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter(Boolean).length;
}

async function collect(source: AsyncIterable<LogChunk>): Promise<LogChunk[]> {
  const out: LogChunk[] = [];
  for await (const c of source) out.push(c);
  return out;
}

const text = (chunks: LogChunk[], stream: LogChunk['stream']): string =>
  Buffer.concat(chunks.filter((c) => c.stream === stream).map((c) => c.data)).toString();

beforeAll(() => {
  host = new LocalHost({ id: 'local', name: 'local', tags: ['test'], docker: SOCKET });
});

afterAll(async () => {
  const ids = (await docker(['ps', '-aq', '--filter', `label=${RUN_LABEL}`])).stdout.split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', '-v', ...ids]);
  const nets = (await docker(['network', 'ls', '-q', '--filter', `label=${RUN_LABEL}`])).stdout.split('\n').filter(Boolean);
  if (nets.length) await docker(['network', 'rm', ...nets]);
  await host.close();
});

describe('LocalHost against dockerd', () => {
  it('lists and inspects a container it created', async () => {
    const id = await runContainer(['sleep', '300']);
    const list = await host.listContainers({ filters: { label: [RUN_LABEL] } });
    expect(list.map((c) => c.Id)).toContain(id);
    const info = await host.inspectContainer(id);
    expect(info.State.Running).toBe(true);
    expect(info.Config.Labels?.['portcullis.test.run']).toBe(RUN);
    await host.removeContainer(id, { force: true });
  });

  it('runs a container through its whole lifecycle', async () => {
    const id = await runContainer(['sleep', '300'], { name: `${RUN}-life` });
    await host.pauseContainer(id);
    expect((await host.inspectContainer(id)).State.Paused).toBe(true);
    await host.unpauseContainer(id);
    expect((await host.inspectContainer(id)).State.Status).toBe('running');
    await host.stopContainer(id, { t: 1 });
    expect((await host.inspectContainer(id)).State.Status).toBe('exited');
    await host.restartContainer(id, { t: 1 });
    expect((await host.inspectContainer(id)).State.Running).toBe(true);
    await host.killContainer(id, { killSignal: 'SIGKILL' });
    expect((await host.inspectContainer(id)).State.Running).toBe(false);
    await host.renameContainer(id, `${RUN}-renamed`);
    expect((await host.inspectContainer(id)).Name).toBe(`/${RUN}-renamed`);
    await host.removeContainer(id);
    await expect(host.inspectContainer(id)).rejects.toMatchObject({ name: 'DockerError', statusCode: 404 });
  });

  it('passes the daemon error through for an unknown container', async () => {
    const err = await host.inspectContainer(`${RUN}-missing`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerError);
    expect(err).toMatchObject({ statusCode: 404, operation: 'container.inspect' });
    expect((err as Error).message).toMatch(/no such container/i);
  });

  it('denies a privileged create with HostPolicyDenied and the daemon creates nothing', async () => {
    const before = await countRunContainers();
    const name = `${RUN}-priv`;
    const err = await host
      .createContainer({ Image: TEST_IMAGE, Cmd: ['true'], Labels: LABELS, HostConfig: { Privileged: true } }, { name })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostPolicyDenied);
    expect((err as HostPolicyDenied).decision).toMatchObject({ allow: false, operation: 'container.create', rule: 'body:privileged', status: 403 });
    expect(await countRunContainers()).toBe(before);
    expect((await docker(['ps', '-aq', '--filter', `name=${name}`])).stdout.trim()).toBe('');
  });

  it('denies a root bind mount by default and allows it nowhere else', async () => {
    const before = await countRunContainers();
    await expect(host.createContainer({ Image: TEST_IMAGE, Labels: LABELS, HostConfig: { Binds: ['/:/host'] } })).rejects.toBeInstanceOf(HostPolicyDenied);
    expect(await countRunContainers()).toBe(before);
  });

  it('refuses a stop under a read-only policy and the container keeps running', async () => {
    const id = await runContainer(['sleep', '300']);
    const readOnly = new LocalHost({ id: 'ro', name: 'ro', docker: SOCKET, policy: hostPolicy({ profile: 'read-only' }) });
    try {
      await expect(readOnly.stopContainer(id, { t: 0 })).rejects.toMatchObject({ decision: { operation: 'container.stop', rule: 'profile:read-only' } });
      expect((await readOnly.inspectContainer(id)).State.Running).toBe(true);
    } finally {
      await readOnly.close();
      await host.removeContainer(id, { force: true });
    }
  });

  it('streams logs split into stdout and stderr, and raw for a TTY container', async () => {
    const id = await runContainer(['sh', '-c', 'echo out-line; echo err-line >&2']);
    await docker(['wait', id]);
    const chunks = await collect(host.containerLogs(id));
    expect(text(chunks, 'stdout')).toBe('out-line\n');
    expect(text(chunks, 'stderr')).toBe('err-line\n');
    const tty = await runContainer(['sh', '-c', 'echo tty-line'], { tty: true });
    await docker(['wait', tty]);
    expect(text(await collect(host.containerLogs(tty)), 'raw')).toContain('tty-line');
    await host.removeContainer(id);
    await host.removeContainer(tty);
  });

  it('follows logs until the caller aborts, then ends quietly', async () => {
    const id = await runContainer(['sh', '-c', 'while true; do echo tick; sleep 0.2; done']);
    const ac = new AbortController();
    const seen: string[] = [];
    for await (const c of host.containerLogs(id, { follow: true, signal: ac.signal })) {
      seen.push(c.data.toString());
      if (seen.length === 2) ac.abort();
    }
    expect(seen.join('')).toContain('tick');
    await host.removeContainer(id, { force: true });
  });

  it('streams Docker events for a container it starts', async () => {
    const ac = new AbortController();
    // `since` has one-second resolution: a group label keeps earlier tests' starts out
    const filters = { label: [RUN_LABEL, 'portcullis.test.group=events'], event: ['start'] };
    const events = host.events({ since: Math.floor(Date.now() / 1000), filters, signal: ac.signal });
    const first = events.next();
    const id = await runContainer(['sleep', '300'], { labels: { 'portcullis.test.group': 'events' } });
    const ev = await first;
    ac.abort();
    expect(ev.value).toMatchObject({ Type: 'container', Action: 'start', Actor: { ID: id } });
    await host.removeContainer(id, { force: true });
  });

  it('lists images, networks and volumes, and creates and removes a network', async () => {
    const images = await host.listImages();
    expect(images.some((i) => (i.RepoTags as string[] | null)?.includes(TEST_IMAGE))).toBe(true);
    const { Id } = await host.createNetwork({ Name: `${RUN}-net`, Labels: LABELS });
    expect((await host.listNetworks({ filters: { label: [RUN_LABEL] } })).map((n) => n.Id)).toEqual([Id]);
    await host.removeNetwork(Id);
    const volumes = await host.listVolumes();
    expect(Array.isArray(volumes.Volumes ?? [])).toBe(true);
  });

  it('reports its status with the Docker version and counts', async () => {
    const status = await host.status();
    expect(status).toMatchObject({ id: 'local', kind: 'local', online: true, tags: ['test'] });
    expect(status.docker?.apiVersion).toMatch(/^1\.\d+$/);
    expect(status.counts?.images).toBeGreaterThan(0);
  });
});

describe('HostRegistry.aggregateContainers against dockerd', () => {
  // dockerd ANDs label filters: only this suite's two containers match both
  const AGG = [RUN_LABEL, 'portcullis.test.group=agg'];
  const registry = new HostRegistry();
  let running: string;
  let exited: string;

  beforeAll(async () => {
    registry.add(new LocalHost({ id: 'a', name: 'alpha', tags: ['prod'], docker: SOCKET }));
    registry.add(new LocalHost({ id: 'b', name: 'beta', tags: ['dev'], docker: SOCKET }));
    registry.add(new LocalHost({ id: 'down', name: 'down', tags: ['prod'], docker: { socketPath: `/nonexistent/${RUN}.sock` } }));
    running = await runContainer(['sleep', '300'], { name: `${RUN}-web`, labels: { 'portcullis.test.group': 'agg' } });
    exited = await runContainer(['true'], { labels: { 'portcullis.test.group': 'agg' } });
    await docker(['wait', exited]);
  });

  afterAll(async () => {
    await registry.close();
  });

  const byHost = (hosts: HostListing[], id: string): HostListing => hosts.find((h) => h.hostId === id)!;

  it('lists the same daemon under two host ids and reports the down host in its entry', async () => {
    const res = await registry.aggregateContainers({ label: AGG });
    expect(res.hosts.map((h) => h.hostId)).toEqual(['a', 'b', 'down']);
    for (const id of ['a', 'b']) {
      const entry = byHost(res.hosts, id);
      expect(entry.error).toBeUndefined();
      expect(entry.containers.map((c) => c.Id).sort()).toEqual([running, exited].sort());
    }
    const down = byHost(res.hosts, 'down');
    expect(down.containers).toEqual([]);
    expect(down.error).toMatchObject({ code: 'PC_ERR_HOST_UNREACHABLE', status: 502 });
    expect(down.error?.message).toContain('ENOENT');
    expect(res.containers.filter((c) => c.container.Id === running).map((c) => c.hostName).sort()).toEqual(['alpha', 'beta']);
  });

  it('filters by state, name, host and tag', async () => {
    const runningOnly = await registry.aggregateContainers({ label: AGG, state: 'running', host: ['alpha'] });
    expect(runningOnly.containers.map((c) => [c.hostId, c.container.Id])).toEqual([['a', running]]);
    const byName = await registry.aggregateContainers({ label: AGG, name: `${RUN}-web`, host: 'b' });
    expect(byName.containers.map((c) => c.container.Id)).toEqual([running]);
    const prod = await registry.aggregateContainers({ label: AGG, tag: 'prod', state: 'exited' });
    expect(prod.hosts.map((h) => h.hostId)).toEqual(['a', 'down']);
    expect(prod.containers.map((c) => c.container.Id)).toEqual([exited]);
  });

  it('reports each host status, the down one offline with its error', async () => {
    const statuses = await registry.statuses();
    expect(statuses.map((s) => [s.id, s.online])).toEqual([['a', true], ['b', true], ['down', false]]);
    expect(statuses[2]?.error?.code).toBe('PC_ERR_HOST_UNREACHABLE');
  });
});

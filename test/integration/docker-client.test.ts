// Integration tests of src/docker against the real dockerd: system, containers, logs, events, exec, stats, resources, errors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerClient, DockerError, type ExecSession, type LogChunk } from '../../src/docker/index.js';
import { TEST_IMAGE } from '../helpers/docker-cli.js';

const RUN = `dc${process.pid}${Date.now().toString(36)}`;
const LABELS = { 'portcullis.test': '1', 'portcullis.test.run': RUN };
const RUN_FILTER = { label: [`portcullis.test.run=${RUN}`] };
let docker: DockerClient;

async function runContainer(cmd: string[], opts: { tty?: boolean; name?: string } = {}): Promise<string> {
  const { Id } = await docker.createContainer(
    { Image: TEST_IMAGE, Cmd: cmd, Tty: opts.tty ?? false, Labels: LABELS },
    opts.name ? { name: opts.name } : {},
  );
  await docker.startContainer(Id);
  return Id;
}

async function collectLogs(source: AsyncIterable<LogChunk>): Promise<LogChunk[]> {
  const out: LogChunk[] = [];
  for await (const c of source) out.push(c);
  return out;
}

function text(chunks: LogChunk[], stream: LogChunk['stream']): string {
  return Buffer.concat(chunks.filter((c) => c.stream === stream).map((c) => c.data)).toString();
}

/** Pipes each connection to dockerd's socket, passing half-closes through (a stand-in for dockerd on TCP). */
function forwardToDockerSocket(client: Socket): void {
  const upstream = connect({ path: '/var/run/docker.sock', allowHalfOpen: true });
  client.pipe(upstream);
  upstream.pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
}

const rawConnections = new Set<Socket>();
async function listen(server: Server): Promise<number> {
  server.on('connection', (c: Socket) => {
    rawConnections.add(c);
    c.on('close', () => rawConnections.delete(c));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-keyout', key, '-out', cert, '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

/** Exec `cat` over the given client: stdin written, half-closed, echoed back, exit code 0. */
async function catRoundTrip(client: DockerClient, containerId: string): Promise<void> {
  const exec = await client.createExec(containerId, { Cmd: ['cat'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
  const session = await client.startExec(exec.Id, { tty: false });
  const result = readAll(session);
  await session.write('over-the-wire\n');
  session.end();
  expect(await result).toEqual({ out: 'over-the-wire\n', err: '' });
  expect(await session.done).toEqual({ exitCode: 0 });
}

async function readAll(session: ExecSession): Promise<{ out: string; err: string }> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  session.stdout.on('data', (b: Buffer) => out.push(b));
  session.stderr.on('data', (b: Buffer) => err.push(b));
  await session.done;
  return { out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() };
}

beforeAll(() => {
  docker = new DockerClient({ socketPath: '/var/run/docker.sock' });
});

afterAll(async () => {
  for (const c of await docker.listContainers({ all: true, filters: RUN_FILTER })) await docker.removeContainer(c.Id, { force: true, v: true });
  for (const n of await docker.listNetworks({ filters: RUN_FILTER })) await docker.removeNetwork(String(n.Id));
  for (const v of (await docker.listVolumes({ filters: RUN_FILTER })).Volumes ?? []) await docker.removeVolume(String(v.Name), { force: true });
  await docker.close();
});

describe('system', () => {
  it('pings, negotiates the daemon API version (1.41 here), and reads version and info', async () => {
    const ping = await docker.ping();
    expect(ping.apiVersion).toMatch(/^1\.\d+$/);
    const negotiated = await docker.negotiate();
    expect(negotiated).toBe(ping.apiVersion); // dockerd 20.10 says 1.41 < the client max 1.47
    expect((await docker.version()).ApiVersion).toBe(ping.apiVersion);
    expect(typeof (await docker.info()).ServerVersion).toBe('string');
  });

  it('sees a container start in the events stream and ends the stream on abort', async () => {
    const ac = new AbortController();
    const events = docker.events({ signal: ac.signal, filters: { ...RUN_FILTER, type: ['container'], event: ['start'] } });
    const iterator = events[Symbol.asyncIterator]();
    const first = iterator.next(); // opens the stream before the container starts
    await new Promise((r) => setTimeout(r, 300));
    const id = await runContainer(['sleep', '30']);
    const ev = await first;
    expect(ev.done).toBe(false);
    expect(ev.value).toMatchObject({ Type: 'container', Action: 'start', Actor: { ID: id } });
    const pending = iterator.next();
    ac.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});

describe('container lifecycle', () => {
  it('creates, starts, pauses, renames, lists processes, stops, restarts, kills, waits and removes', async () => {
    const name = `${RUN}-life`;
    const id = await runContainer(['sleep', '3600'], { name });
    const inspected = await docker.inspectContainer(name);
    expect(inspected).toMatchObject({ Id: id, State: { Running: true }, Config: { Tty: false, Labels: { 'portcullis.test': '1' } } });
    const listed = await docker.listContainers({ filters: RUN_FILTER });
    expect(listed.map((c) => c.Id)).toContain(id);

    await docker.pauseContainer(id);
    expect((await docker.inspectContainer(id)).State.Paused).toBe(true);
    await docker.unpauseContainer(id);
    expect((await docker.inspectContainer(id)).State.Paused).toBe(false);

    await docker.renameContainer(id, `${name}-renamed`);
    expect((await docker.inspectContainer(id)).Name).toBe(`/${name}-renamed`);

    const top = await docker.topContainer(id);
    expect(top.Titles).toContain('PID');
    expect(top.Processes.some((p) => p.join(' ').includes('sleep 3600'))).toBe(true);

    await docker.stopContainer(id, { t: 1 });
    expect((await docker.inspectContainer(id)).State.Running).toBe(false);
    await docker.restartContainer(id, { t: 1 });
    expect((await docker.inspectContainer(id)).State.Running).toBe(true);

    await docker.killContainer(id, { signal: 'SIGKILL' });
    expect(await docker.waitContainer(id)).toMatchObject({ StatusCode: 137 });

    await docker.removeContainer(id, { force: true });
    await expect(docker.inspectContainer(id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('waits with no timeout until the container exits with its status code', async () => {
    const id = await runContainer(['sh', '-c', 'sleep 1; exit 3']);
    expect(await docker.waitContainer(id, { condition: 'not-running' })).toMatchObject({ StatusCode: 3 });
  });

  it('reads a one-shot stats sample and the first sample of a stats stream', async () => {
    const id = await runContainer(['sleep', '60']);
    const one = await docker.containerStats(id, { stream: false, oneShot: true });
    expect(one).toHaveProperty('memory_stats');
    for await (const sample of docker.containerStats(id)) {
      expect(sample).toHaveProperty('cpu_stats');
      break;
    }
  });
});

describe('logs', () => {
  it('separates stdout and stderr for a container without a TTY', async () => {
    const id = await runContainer(['sh', '-c', 'echo out; echo err >&2']);
    await docker.waitContainer(id);
    const chunks = await collectLogs(docker.containerLogs(id));
    expect(text(chunks, 'stdout')).toBe('out\n');
    expect(text(chunks, 'stderr')).toBe('err\n');
    expect(text(chunks, 'raw')).toBe('');
  });

  it('returns raw chunks for a container with a TTY', async () => {
    const id = await runContainer(['sh', '-c', 'echo out; echo err >&2'], { tty: true });
    await docker.waitContainer(id);
    const chunks = await collectLogs(docker.containerLogs(id));
    expect(chunks.every((c) => c.stream === 'raw')).toBe(true);
    expect(text(chunks, 'raw')).toBe('out\r\nerr\r\n');
  });

  it('follows lines as they are produced and stops when aborted', async () => {
    const id = await runContainer(['sh', '-c', 'i=0; while true; do echo line$i; i=$((i+1)); sleep 0.4; done']);
    const ac = new AbortController();
    const arrivals: Array<{ line: string; at: number }> = [];
    const started = Date.now();
    for await (const chunk of docker.containerLogs(id, { follow: true, signal: ac.signal })) {
      for (const line of chunk.data.toString().split('\n').filter(Boolean)) arrivals.push({ line, at: Date.now() - started });
      if (arrivals.length >= 3) ac.abort();
    }
    expect(arrivals.slice(0, 3).map((a) => a.line)).toEqual(['line0', 'line1', 'line2']);
    // line2 is written ~0.8 s after line0: it must not have arrived in the same burst
    expect(arrivals[2]!.at - arrivals[0]!.at).toBeGreaterThan(500);
  });
});

describe('exec', () => {
  it('echoes stdin through cat, and after end() (half-close) the exec exits 0 with all output delivered', async () => {
    const id = await runContainer(['sleep', '60']);
    const exec = await docker.createExec(id, { Cmd: ['cat'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const session = await docker.startExec(exec.Id, { tty: false, stdin: true });
    const result = readAll(session);
    await session.write('hello\n');
    await new Promise((r) => setTimeout(r, 200));
    await session.write(Buffer.from('world\n'));
    session.end();
    expect(await result).toEqual({ out: 'hello\nworld\n', err: '' });
    expect(await session.done).toEqual({ exitCode: 0 });
    expect((await docker.inspectExec(exec.Id)).Running).toBe(false);
  });

  it('keeps output flowing after end(): the process sees EOF on stdin and still prints', async () => {
    const id = await runContainer(['sleep', '60']);
    const exec = await docker.createExec(id, { Cmd: ['sh', '-c', 'cat; sleep 0.3; echo after-eof; echo bye >&2'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const session = await docker.startExec(exec.Id, { tty: false });
    const result = readAll(session);
    await session.write('before\n');
    session.end();
    await expect(session.write('too late')).rejects.toMatchObject({ code: 'CLOSED' });
    expect(await result).toEqual({ out: 'before\nafter-eof\n', err: 'bye\n' });
    expect(await session.done).toEqual({ exitCode: 0 });
  });

  it('tears a session down when its signal aborts', async () => {
    const id = await runContainer(['sleep', '60']);
    const exec = await docker.createExec(id, { Cmd: ['sh', '-c', 'while true; do echo tick; sleep 0.1; done'], AttachStdout: true, AttachStderr: true });
    const ac = new AbortController();
    const session = await docker.startExec(exec.Id, { tty: false, stdin: false, signal: ac.signal });
    let seen = '';
    session.stderr.resume();
    for await (const chunk of session.stdout) {
      seen += String(chunk);
      if (seen.includes('tick')) ac.abort();
    }
    expect(seen).toContain('tick');
    // settles once the socket is gone; the loop still runs, so no exit code
    expect(await session.done).toEqual({ exitCode: null });
    await docker.killContainer(id);
  });

  it('keeps stderr apart from stdout without a TTY and reports a non-zero exit code', async () => {
    const id = await runContainer(['sleep', '60']);
    const exec = await docker.createExec(id, { Cmd: ['sh', '-c', 'echo o; echo e >&2; exit 4'], AttachStdout: true, AttachStderr: true });
    const session = await docker.startExec(exec.Id, { stdin: false }); // tty looked up from the exec
    expect(session.tty).toBe(false);
    expect(await readAll(session)).toEqual({ out: 'o\n', err: 'e\n' });
    expect(await session.done).toEqual({ exitCode: 4 });
  });

  it('runs with a TTY: raw output, a terminal device, and resize takes effect', async () => {
    const id = await runContainer(['sleep', '60']);
    const exec = await docker.createExec(id, { Cmd: ['sh', '-c', 'sleep 1; tty; stty size'], AttachStdout: true, AttachStderr: true, Tty: true });
    const session = await docker.startExec(exec.Id, { tty: true });
    const result = readAll(session);
    await session.resize({ h: 33, w: 77 });
    const { out, err } = await result;
    expect(out).toMatch(/\/dev\/pts\/\d+\r\n33 77\r\n/);
    expect(err).toBe('');
    expect(await session.done).toEqual({ exitCode: 0 });
  });

  it('refuses to start an exec that does not exist with a 404 DockerError', async () => {
    await expect(docker.startExec('0000000000000000000000000000000000000000000000000000000000000000', { tty: false }))
      .rejects.toMatchObject({ name: 'DockerError', statusCode: 404, operation: 'exec.start' });
  });
});

describe('networks and volumes', () => {
  it('creates, inspects, lists, removes and prunes labelled networks', async () => {
    const { Id } = await docker.createNetwork({ Name: `${RUN}-net`, Labels: LABELS });
    expect(await docker.inspectNetwork(Id)).toMatchObject({ Name: `${RUN}-net`, Labels: LABELS });
    expect((await docker.listNetworks({ filters: RUN_FILTER })).map((n) => n.Id)).toEqual([Id]);
    await docker.removeNetwork(Id);
    await expect(docker.inspectNetwork(Id)).rejects.toMatchObject({ statusCode: 404 });
    await docker.createNetwork({ Name: `${RUN}-net2`, Labels: LABELS });
    expect((await docker.pruneNetworks(RUN_FILTER)).NetworksDeleted).toEqual([`${RUN}-net2`]);
  });

  it('creates, inspects, lists, removes and prunes labelled volumes', async () => {
    const vol = await docker.createVolume({ Name: `${RUN}-vol`, Labels: LABELS });
    expect(vol).toMatchObject({ Name: `${RUN}-vol` });
    expect(await docker.inspectVolume(`${RUN}-vol`)).toMatchObject({ Labels: LABELS });
    expect(((await docker.listVolumes({ filters: RUN_FILTER })).Volumes ?? []).map((v) => v.Name)).toEqual([`${RUN}-vol`]);
    await docker.removeVolume(`${RUN}-vol`);
    await expect(docker.inspectVolume(`${RUN}-vol`)).rejects.toMatchObject({ statusCode: 404 });
    await docker.createVolume({ Name: `${RUN}-vol2`, Labels: LABELS });
    expect((await docker.pruneVolumes(RUN_FILTER)).VolumesDeleted).toEqual([`${RUN}-vol2`]);
  });
});

describe('images', () => {
  it('lists and inspects the test image', async () => {
    const listed = await docker.listImages({ filters: { reference: [TEST_IMAGE] } });
    expect(listed.length).toBe(1);
    const inspected = await docker.inspectImage(TEST_IMAGE);
    expect(inspected.Id).toBe(listed[0]!.Id);
    expect(inspected.RepoTags).toContain(TEST_IMAGE);
  });

  it('rejects the pull of an image from an unreachable registry with a DockerError, in bounded time', async () => {
    // 127.0.0.1:1 refuses at once: the daemon never sends traffic off this machine
    const started = Date.now();
    const err = await docker.pullImage('127.0.0.1:1/portcullis/none', 'latest', { signal: AbortSignal.timeout(30_000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerError);
    expect((err as DockerError).code).not.toBe('ABORTED');
    expect((err as DockerError).operation).toBe('image.pull');
    expect((err as DockerError).message).toMatch(/127\.0\.0\.1:1/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('errors', () => {
  it('gives a 404 DockerError with the daemon message for a missing container', async () => {
    const err = await docker.inspectContainer(`${RUN}-missing`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerError);
    expect(err).toMatchObject({ statusCode: 404, operation: 'container.inspect' });
    expect((err as Error).message).toMatch(/No such container/);
  });

  it('explains an unreachable socket path: names it and says what to check', async () => {
    const bad = new DockerClient({ socketPath: `/tmp/${RUN}-no-such.sock` });
    const err = await bad.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerError);
    expect(err).toMatchObject({ statusCode: 0, code: 'ENOENT' });
    expect((err as Error).message).toContain(`/tmp/${RUN}-no-such.sock`);
    expect((err as Error).message).toMatch(/is dockerd running\?/);
    await bad.close();
  });
});

describe('TCP and TLS transports (a 127.0.0.1 forwarder in front of dockerd)', () => {
  const servers: Server[] = [];
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-docker-tls-'));
  });

  afterAll(async () => {
    for (const c of rawConnections) c.destroy(); // e.g. half-open sockets left by the refused handshake
    for (const s of servers) await new Promise((r) => s.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('talks plain HTTP over tcp://, including a hijacked exec with half-close', async () => {
    const server = createServer({ allowHalfOpen: true }, forwardToDockerSocket);
    servers.push(server);
    const port = await listen(server);
    const client = DockerClient.fromDockerHost(`tcp://127.0.0.1:${port}`);
    expect((await client.ping()).apiVersion).toBe(await docker.negotiate());
    const id = await runContainer(['sleep', '60']);
    await catRoundTrip(client, id);
    await client.close();
  });

  it('talks HTTPS with a pinned CA and a client certificate, including a hijacked exec', async () => {
    const serverCert = selfSigned(dir, 'server');
    const clientCert = selfSigned(dir, 'client');
    const server = createTlsServer(
      { ...serverCert, ca: clientCert.cert, requestCert: true, rejectUnauthorized: true, allowHalfOpen: true },
      forwardToDockerSocket,
    );
    servers.push(server);
    const port = await listen(server);
    const client = new DockerClient({ url: `https://127.0.0.1:${port}`, tls: { ca: serverCert.cert, cert: clientCert.cert, key: clientCert.key } });
    expect((await client.version()).ApiVersion).toBe(await docker.negotiate());
    const id = await runContainer(['sleep', '60']);
    await catRoundTrip(client, id);
    await client.close();

    const untrusting = new DockerClient({ url: `https://127.0.0.1:${port}`, tls: { cert: clientCert.cert, key: clientCert.key } });
    const err = await untrusting.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerError);
    expect((err as Error).message).toMatch(/TLS handshake failed/);
    expect((err as Error).message).not.toContain('PRIVATE KEY');
    await untrusting.close();
  });
});

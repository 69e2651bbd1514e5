// The real docker CLI through `portcullis proxy` (DOCKER_HOST=tcp://…): what works, what is denied, and that denials never reach dockerd.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL, docker } from '../helpers/docker-cli.js';
import { proxyBuilt, startProxyProcess, type ProxyProcess } from '../helpers/proxy-process.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';

const SUITE_LABEL = 'portcullis.test.suite=proxy-cli';
const BIND_DIR = mkdtempSync(join(tmpdir(), 'pc-cli-bind-'));

async function suiteCount(): Promise<number> {
  const r = await docker(['ps', '-aq', '--filter', `label=${SUITE_LABEL}`]);
  return r.stdout.split('\n').filter(Boolean).length;
}

const viaProxy = (p: ProxyProcess): NodeJS.ProcessEnv => ({ DOCKER_HOST: `tcp://127.0.0.1:${p.port}`, DOCKER_CONTEXT: '' });
const lines = (r: { method: string; target: string }[]): string[] => r.map((x) => `${x.method} ${x.target}`);
const runArgs = (...flags: string[]): string[] => ['run', '--rm', '--label', TEST_LABEL, '--label', SUITE_LABEL, ...flags, TEST_IMAGE, 'true'];

/** Spawns a long-running CLI command and resolves once `lines` stdout lines arrived (then kills it). */
function readLines(args: string[], env: NodeJS.ProcessEnv, lines: number, timeoutMs: number, onSpawn?: () => void): Promise<{ lines: string[]; at: number[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const got: string[] = [];
    const at: number[] = [];
    let partial = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`docker ${args.join(' ')}: ${got.length}/${lines} lines within ${timeoutMs} ms; stderr=${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      partial += d.toString();
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const l of parts) {
        got.push(l);
        at.push(Date.now());
      }
      if (got.length >= lines) {
        clearTimeout(timer);
        child.kill('SIGTERM');
        resolve({ lines: got, at, stderr });
      }
    });
    child.on('exit', (code) => {
      if (got.length < lines) {
        clearTimeout(timer);
        reject(new Error(`docker ${args.join(' ')} exited ${code} after ${got.length} lines; stderr=${stderr}`));
      }
    });
    onSpawn?.();
  });
}

const describeBuilt = proxyBuilt() ? describe : describe.skip;

describeBuilt('the docker CLI through portcullis proxy', () => {
  let rec: RecordingUpstream;
  let rw: ProxyProcess; // CONTAINERS=1 EXEC=1 POST=1
  let ro: ProxyProcess; // CONTAINERS=1
  let def: ProxyProcess; // defaults
  let open: ProxyProcess; // CONTAINERS=1 POST=1 with every safety switch opened
  let ticker = '';

  beforeAll(async () => {
    rec = await startRecordingUpstream();
    [rw, ro, def, open] = await Promise.all([
      startProxyProcess({ CONTAINERS: '1', EXEC: '1', POST: '1', SOCKET_PATH: rec.socketPath }),
      startProxyProcess({ CONTAINERS: '1', SOCKET_PATH: rec.socketPath }),
      startProxyProcess({ SOCKET_PATH: rec.socketPath }),
      startProxyProcess({
        CONTAINERS: '1', POST: '1', SOCKET_PATH: rec.socketPath, ALLOW_PRIVILEGED: '1', ALLOW_BIND_MOUNTS: BIND_DIR,
        ALLOW_HOST_NAMESPACES: '1', ALLOW_CAPABILITIES: 'SYS_ADMIN', ALLOW_DEVICES: '1',
      }),
    ]);
    const r = await docker(['run', '-d', '--label', TEST_LABEL, '--label', SUITE_LABEL, TEST_IMAGE, 'sh', '-c', 'i=0; while true; do echo line$i; i=$((i+1)); sleep 0.3; done']);
    if (r.code !== 0) throw new Error(r.stderr);
    ticker = r.stdout.trim();
  });

  afterAll(async () => {
    await Promise.all([rw, ro, def, open].map((p) => p?.stop()));
    await rec?.close();
    const ids = (await docker(['ps', '-aq', '--filter', `label=${SUITE_LABEL}`])).stdout.split('\n').filter(Boolean);
    if (ids.length) await docker(['rm', '-f', ...ids]);
    rmSync(BIND_DIR, { recursive: true, force: true });
  });

  it('docker ps lists the labelled container with CONTAINERS=1', async () => {
    const r = await docker(['ps', '-q', '--no-trunc', '--filter', `label=${SUITE_LABEL}`], { env: viaProxy(ro) });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(ticker);
  });

  it('docker inspect returns the container with CONTAINERS=1', async () => {
    const r = await docker(['inspect', '--format', '{{.Id}} {{.State.Running}}', ticker], { env: viaProxy(ro) });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`${ticker} true`);
  });

  it('docker ps is denied under the defaults with the portcullis message', async () => {
    const m = rec.mark();
    const r = await docker(['ps'], { env: viaProxy(def) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/portcullis: denied container\.list/);
    expect((await rec.settle(m)).filter((q) => q.target.includes('/containers'))).toEqual([]);
  });

  it('docker logs -f streams lines as the container writes them', async () => {
    const out = await readLines(['logs', '-f', '--tail', '0', ticker], viaProxy(ro), 4, 10_000);
    expect(out.lines.every((l) => /^line\d+$/.test(l))).toBe(true);
    // only new lines (--tail 0), written every 0.3 s and relayed as written: 3 gaps of ~0.3 s, not one burst
    expect(out.at[3]! - out.at[0]!).toBeGreaterThanOrEqual(600);
    const n = out.lines.map((l) => Number(l.slice(4)));
    expect(n).toEqual([n[0], n[0]! + 1, n[0]! + 2, n[0]! + 3]);
  });

  it('echo hi | docker exec -i cat prints hi and exits 0 (half-close reaches the container)', async () => {
    const r = await docker(['exec', '-i', ticker, 'cat'], { env: viaProxy(rw), input: 'hi\n', timeoutMs: 15_000 });
    expect(r).toMatchObject({ code: 0, stdout: 'hi\n' });
  });

  it('docker exec is denied with CONTAINERS=1 and POST=0, and no exec reaches dockerd', async () => {
    const m = rec.mark();
    const r = await docker(['exec', ticker, 'true'], { env: viaProxy(ro) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/portcullis: denied container\.exec\.create/);
    expect((await rec.settle(m)).filter((q) => q.method === 'POST')).toEqual([]);
  });

  it('docker events sees a container event through the proxy', async () => {
    const since = String(Math.floor(Date.now() / 1000) - 1);
    const ev = readLines(['events', '--since', since, '--filter', `label=${SUITE_LABEL}`, '--filter', 'event=create', '--format', '{{.Action}} {{.Actor.ID}}'], viaProxy(def), 1, 15_000, () => {
      void docker(['create', '--label', TEST_LABEL, '--label', SUITE_LABEL, TEST_IMAGE, 'true']);
    });
    const out = await ev;
    expect(out.lines[0]).toMatch(/^create [0-9a-f]{64}$/);
  });

  it('docker run --rm works with CONTAINERS=1 POST=1 (create, attach, wait, start)', async () => {
    const r = await docker(['run', '--rm', '--label', TEST_LABEL, '--label', SUITE_LABEL, TEST_IMAGE, 'echo', 'hello from run'], { env: viaProxy(rw), timeoutMs: 20_000 });
    expect(r).toMatchObject({ code: 0, stdout: 'hello from run\n' });
  });

  it('docker run -d works with CONTAINERS=1 POST=1', async () => {
    const r = await docker(['run', '-d', '--label', TEST_LABEL, '--label', SUITE_LABEL, TEST_IMAGE, 'true'], { env: viaProxy(rw) });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('docker run is denied with CONTAINERS=1 and POST=0, and nothing is created', async () => {
    const before = await suiteCount();
    const m = rec.mark();
    const r = await docker(runArgs(), { env: viaProxy(ro) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/portcullis: denied container\.create/);
    expect((await rec.settle(m)).filter((q) => q.method !== 'HEAD' && q.method !== 'GET')).toEqual([]);
    expect(await suiteCount()).toBe(before);
  });

  const dangerous: [string, string[]][] = [
    ['--privileged', ['--privileged']],
    ['-v /:/host', ['-v', '/:/host']],
    ['--pid host', ['--pid', 'host']],
    ['--cap-add SYS_ADMIN', ['--cap-add', 'SYS_ADMIN']],
    ['--device /dev/null', ['--device', '/dev/null']],
    ['--security-opt seccomp=unconfined', ['--security-opt', 'seccomp=unconfined']],
    ['-v /var/run/docker.sock', ['-v', '/var/run/docker.sock:/var/run/docker.sock']],
  ];
  for (const [name, flags] of dangerous) {
    it(`docker run ${name} is denied with CONTAINERS=1 POST=1 and never reaches dockerd`, async () => {
      const before = await suiteCount();
      const m = rec.mark();
      const r = await docker(runArgs(...flags), { env: viaProxy(rw) });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/Error response from daemon: portcullis: denied container\.create: /);
      const reached = (await rec.settle(m)).filter((q) => q.method !== 'HEAD');
      expect(reached.map((q) => `${q.method} ${q.target}`)).toEqual([]);
      expect(await suiteCount()).toBe(before);
    });
  }

  it('docker create --privileged is allowed with ALLOW_PRIVILEGED=1 (create only: this dockerd cannot start privileged containers)', async () => {
    const m = rec.mark();
    const r = await docker(['create', '--label', TEST_LABEL, '--label', SUITE_LABEL, '--privileged', TEST_IMAGE, 'true'], { env: viaProxy(open) });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(lines(await rec.settle(m)).filter((l) => l.includes('/containers/create'))).toHaveLength(1);
    const inspect = await docker(['inspect', '--format', '{{.HostConfig.Privileged}}', r.stdout.trim()]);
    expect(inspect.stdout.trim()).toBe('true');
  });

  const opened: [string, string[]][] = [
    [`-v <allowed dir> with ALLOW_BIND_MOUNTS`, ['-v', `${BIND_DIR}:/data:ro`]],
    ['--pid host with ALLOW_HOST_NAMESPACES=1', ['--pid', 'host']],
    ['--cap-add SYS_ADMIN with ALLOW_CAPABILITIES=SYS_ADMIN', ['--cap-add', 'SYS_ADMIN']],
    ['--device /dev/null with ALLOW_DEVICES=1', ['--device', '/dev/null']],
  ];
  for (const [name, flags] of opened) {
    it(`docker run ${name} is allowed`, async () => {
      const r = await docker(runArgs(...flags), { env: viaProxy(open), timeoutMs: 20_000 });
      expect(r).toMatchObject({ code: 0, stderr: '' });
    });
  }

  it('docker run -v /:/host stays denied when only another directory is in ALLOW_BIND_MOUNTS', async () => {
    const before = await suiteCount();
    const m = rec.mark();
    const r = await docker(runArgs('-v', '/:/host'), { env: viaProxy(open) });
    expect(r.stderr).toMatch(/portcullis: denied container\.create: /);
    expect((await rec.settle(m)).filter((q) => q.method === 'POST')).toEqual([]);
    expect(await suiteCount()).toBe(before);
  });

  it('docker run -v <sibling dir sharing the prefix> is denied (path-boundary match)', async () => {
    const r = await docker(runArgs('-v', `${BIND_DIR}x:/data`), { env: viaProxy(open) });
    expect(r.stderr).toMatch(/portcullis: denied container\.create: /);
  });
});

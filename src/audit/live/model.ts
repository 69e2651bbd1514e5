// Builds the auditor's model from a live host snapshot (pure): containers → Services, /info → DaemonFacts.
import type { ContainerNet } from '../firewall/reachability.js';
import type { AuditModel, DaemonFacts, MountSpec, NetworkSpec, PortBinding, Service } from '../types.js';
import type { HostSnapshot } from './source.js';

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function strs(v: unknown): string[] {
  return arr(v).filter((x): x is string => typeof x === 'string');
}
function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function portBindings(c: Json): PortBinding[] {
  const hc = obj(c.HostConfig);
  const actual = obj(obj(c.NetworkSettings).Ports);
  const out: PortBinding[] = [];
  for (const [key, list] of Object.entries(obj(hc.PortBindings))) {
    const [portText = '', protocol = 'tcp'] = key.split('/');
    const port = Number(portText);
    arr(list).forEach((entry, i) => {
      const e = obj(entry);
      const hostIp = str(e.HostIp) ?? '';
      let hostPortText = str(e.HostPort) ?? '';
      if (hostPortText === '') hostPortText = str(obj(arr(actual[key])[i]).HostPort) ?? '';
      const [a = '', b] = hostPortText.split('-');
      const hostPort = a === '' ? undefined : { from: Number(a), to: Number(b ?? a) };
      const ipText = hostIp.includes(':') ? `[${hostIp}]:` : hostIp ? `${hostIp}:` : '';
      out.push({
        hostIp, ...(hostPort ? { hostPort } : {}), containerPort: { from: port, to: port }, protocol,
        raw: `${ipText}${hostPortText}:${port}/${protocol}`, path: ['ports', out.length], interpolated: false,
      });
    });
  }
  return out;
}

function mounts(c: Json): MountSpec[] {
  return arr(c.Mounts).map((m, i) => {
    const o = obj(m);
    const type = str(o.Type) ?? 'other';
    const propagation = str(o.Propagation);
    return {
      type: type === 'bind' || type === 'volume' || type === 'tmpfs' || type === 'npipe' ? type : 'other',
      source: str(o.Source) ?? '', target: str(o.Destination) ?? '', readOnly: o.RW === false,
      ...(propagation ? { propagation } : {}), path: ['volumes', i],
    };
  });
}

function capName(c: string): string {
  return c.toUpperCase().replace(/^CAP_/, '');
}

/** Converts one container inspect document to a Service. */
export function containerService(c: Json): Service {
  const config = obj(c.Config);
  const hc = obj(c.HostConfig);
  const labels = Object.fromEntries(Object.entries(obj(config.Labels)).map(([k, v]) => [k, String(v)]));
  const cname = (str(c.Name) ?? '').replace(/^\//, '');
  const files = labels['com.docker.compose.project.config_files'];
  const nm = str(hc.NetworkMode) ?? 'default';
  const health = config.Healthcheck === undefined ? 'absent' : strs(obj(config.Healthcheck).Test)[0] === 'NONE' ? 'disabled' : 'defined';
  const logConfig = obj(hc.LogConfig);
  const user = str(config.User);
  const image = str(config.Image);
  const restart = str(obj(hc.RestartPolicy).Name);
  const env = strs(config.Env).map((e) => {
    const eq = e.indexOf('=');
    const key = eq < 0 ? e : e.slice(0, eq);
    return { key, value: eq < 0 ? undefined : e.slice(eq + 1), literal: true, path: ['environment', key] };
  });
  const ns = (v: unknown): string | undefined => (str(v) === 'host' ? 'host' : undefined);
  const namespaces: Service['namespaces'] = {};
  for (const [k, field] of [['pid', 'PidMode'], ['ipc', 'IpcMode'], ['uts', 'UTSMode'], ['userns', 'UsernsMode'], ['cgroup', 'CgroupnsMode']] as const) {
    const v = ns(hc[field]);
    if (v) namespaces[k] = v;
  }
  return {
    name: labels['com.docker.compose.service'] ?? cname,
    ...(files ? { file: files.split(',')[0] ?? files } : {}),
    container: { id: str(c.Id) ?? '', name: cname, state: str(obj(c.State).Status) ?? 'unknown', ...(str(c.Image) ? { imageId: str(c.Image) as string } : {}) },
    ...(image ? { image } : {}),
    hasBuild: false,
    ports: portBindings(c),
    expose: Object.keys(obj(config.ExposedPorts)).map((k) => Number(k.split('/')[0])),
    networks: Object.keys(obj(obj(c.NetworkSettings).Networks)),
    ...(nm === 'host' || nm === 'none' || nm.startsWith('container:') ? { networkMode: nm } : nm === 'default' || nm === 'bridge' ? { networkMode: 'bridge' } : {}),
    privileged: hc.Privileged === true,
    ...(user ? { user } : {}),
    capAdd: strs(hc.CapAdd).map(capName),
    capDrop: strs(hc.CapDrop).map(capName),
    securityOpt: strs(hc.SecurityOpt),
    namespaces,
    mounts: mounts(c),
    devices: arr(hc.Devices).map((d) => str(obj(d).PathOnHost) ?? ''),
    environment: env,
    readOnly: hc.ReadonlyRootfs === true,
    limits: { memory: num(hc.Memory) > 0, cpus: num(hc.NanoCpus) > 0 || num(hc.CpuQuota) > 0, pids: num(hc.PidsLimit) > 0 },
    logging: { ...(str(logConfig.Type) ? { driver: str(logConfig.Type) as string } : {}), options: Object.fromEntries(Object.entries(obj(logConfig.Config)).map(([k, v]) => [k, String(v)])) },
    healthcheck: health,
    ...(restart && restart !== 'no' ? { restart } : {}),
    command: [...strs(config.Entrypoint), ...strs(config.Cmd)].join(' '),
    dependsOn: (labels['com.docker.compose.depends_on'] ?? '').split(',').map((d) => d.split(':')[0] ?? '').filter(Boolean),
    labels,
    unresolved: [],
    at: () => undefined,
  };
}

/** Daemon facts from /info (and the bridge network). */
export function daemonFacts(info: Json, networks: Json[], imageIds: Record<string, string>, endpoint?: string): DaemonFacts {
  const reg = obj(info.RegistryConfig);
  const insecure = new Set(strs(reg.InsecureRegistryCIDRs));
  for (const [name, ic] of Object.entries(obj(reg.IndexConfigs))) if (obj(ic).Secure === false) insecure.add(name);
  const bridge = networks.find((n) => str(n.Name) === 'bridge');
  const icc = bridge ? str(obj(bridge.Options)['com.docker.network.bridge.enable_icc']) : undefined;
  const fwDriver = str(obj(info.FirewallBackend).Driver);
  const serverVersion = str(info.ServerVersion);
  const loggingDriver = str(info.LoggingDriver);
  const storageDriver = str(info.Driver);
  return {
    ...(serverVersion ? { serverVersion } : {}),
    securityOptions: strs(info.SecurityOptions),
    warnings: strs(info.Warnings),
    ...(loggingDriver ? { loggingDriver } : {}),
    ...(typeof info.LiveRestoreEnabled === 'boolean' ? { liveRestore: info.LiveRestoreEnabled } : {}),
    ...(typeof info.ExperimentalBuild === 'boolean' ? { experimental: info.ExperimentalBuild } : {}),
    ...(storageDriver ? { storageDriver } : {}),
    authzPlugins: strs(obj(info.Plugins).Authorization),
    swarmActive: str(obj(info.Swarm).LocalNodeState) === 'active',
    insecureRegistries: [...insecure],
    ...(fwDriver ? { firewallBackend: fwDriver } : {}),
    imageIds,
    ...(icc !== undefined ? { defaultBridgeIcc: icc !== 'false' } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

function networkSpec(n: Json): NetworkSpec {
  const driver = str(n.Driver);
  return { name: str(n.Name) ?? '', internal: n.Internal === true, external: false, ...(driver ? { driver } : {}), options: Object.fromEntries(Object.entries(obj(n.Options)).map(([k, v]) => [k, String(v)])) };
}

/** Builds the host-mode model plus each service's container address and bridge (for firewall simulation). */
export function hostModel(snap: HostSnapshot, endpoint?: string): { model: AuditModel; nets: ContainerNet } {
  const services = snap.containers.map(containerService);
  const nets: ContainerNet = new Map();
  const byName = new Map(snap.networks.map((n) => [str(n.Name) ?? '', n]));
  snap.containers.forEach((c, i) => {
    const svc = services[i];
    if (!svc) return;
    for (const [name, ep] of Object.entries(obj(obj(c.NetworkSettings).Networks))) {
      const ip = str(obj(ep).IPAddress);
      const net = byName.get(name);
      const bridgeName = net ? str(obj(net.Options)['com.docker.network.bridge.name']) : undefined;
      const id = str(obj(ep).NetworkID) ?? (net ? str(net.Id) : undefined);
      const bridge = bridgeName ?? (name === 'bridge' ? 'docker0' : id ? `br-${id.slice(0, 12)}` : undefined);
      if (ip || bridge) nets.set(svc.name, { ...(ip ? { ip } : {}), ...(bridge ? { bridge } : {}) });
      break;
    }
  });
  return {
    model: { mode: 'host', services, networks: snap.networks.map(networkSpec), daemon: daemonFacts(snap.info, snap.networks, snap.imageIds, endpoint) },
    nets,
  };
}

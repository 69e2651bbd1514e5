// Normalizes a merged compose project into the auditor's Service/NetworkSpec model.
import { posix } from 'node:path';
import { parseLongPort, parseShortPort } from '../ports.js';
import type { AuditError, EnvVar, MountSpec, NetworkSpec, PortBinding, Service } from '../types.js';
import { entryInfo, infoAt } from './located.js';
import { isObj, listToMap, scalarText } from './merge.js';

type Obj = Record<string, unknown>;

/** Reads YAML 1.1-style booleans too (`"true"`, `yes`, `on`, `1`). */
export function asBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  return typeof v === 'string' && /^(true|yes|on|1|y)$/i.test(v.trim());
}

function asStr(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function strList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x));
  if (typeof v === 'string') return [v];
  return [];
}

function ports(svc: Obj, errors: AuditError[], name: string): PortBinding[] {
  const list = svc.ports;
  if (!Array.isArray(list)) return [];
  const out: PortBinding[] = [];
  list.forEach((item, i) => {
    const info = entryInfo(list, i);
    const parsed = isObj(item) ? parseLongPort(item) : typeof item === 'string' || typeof item === 'number' ? parseShortPort(item) : undefined;
    const interpolated = info?.raw !== undefined || (isObj(item) && Object.keys(item).some((k) => entryInfo(item, k)?.raw !== undefined));
    if (!parsed || !parsed.ok) {
      errors.push({ ...(info ? { file: info.loc.file, line: info.loc.line, column: info.loc.column } : {}), message: `service "${name}": ${parsed ? parsed.error : 'unsupported ports item'}` });
      return;
    }
    out.push({ ...parsed.binding, path: ['ports', i], interpolated });
  });
  return out;
}

function mounts(svc: Obj, dir: string): MountSpec[] {
  const list = svc.volumes;
  if (!Array.isArray(list)) return [];
  return list.map((item, i): MountSpec => {
    const path = ['volumes', i];
    if (isObj(item)) {
      const type = scalarText(item.type, 'volume');
      const source = scalarText(item.source);
      const bind = isObj(item.bind) ? item.bind : {};
      return {
        type: type === 'bind' || type === 'volume' || type === 'tmpfs' || type === 'npipe' ? type : 'other',
        source: type === 'bind' ? resolveSource(source, dir) : source,
        target: scalarText(item.target),
        readOnly: asBool(item.read_only),
        ...(typeof bind.propagation === 'string' ? { propagation: bind.propagation } : {}),
        path,
      };
    }
    const parts = String(item).split(':');
    if (parts.length === 1) return { type: 'volume', source: '', target: parts[0] ?? '', readOnly: false, path };
    const [src = '', target = '', mode = ''] = parts;
    const isBind = src.startsWith('/') || src.startsWith('.') || src.startsWith('~');
    const opts = mode.split(',');
    const propagation = opts.find((o) => /^r?(shared|slave|private)$/.test(o));
    return {
      type: isBind ? 'bind' : 'volume',
      source: isBind ? resolveSource(src, dir) : src,
      target,
      readOnly: opts.includes('ro'),
      ...(propagation ? { propagation } : {}),
      path,
    };
  });
}

function resolveSource(src: string, dir: string): string {
  if (src.startsWith('~')) return src;
  return posix.resolve(dir, src);
}

function environment(svc: Obj): EnvVar[] {
  const raw = svc.environment;
  const map = Array.isArray(raw) ? listToMap(raw) : isObj(raw) ? raw : {};
  return Object.entries(map).map(([key, v]) => {
    const info = entryInfo(map, key);
    const value = v === null || v === undefined ? undefined : scalarText(v, JSON.stringify(v));
    const rawText = info?.raw;
    // An Array item `K=${X}` records its raw text on the item; a map value on the value.
    const literal = rawText === undefined;
    return { key, value, literal, path: ['environment', key] };
  });
}

function networksOf(svc: Obj): string[] {
  if (typeof svc.network_mode === 'string') return [];
  const n = svc.networks;
  if (Array.isArray(n)) return n.map(String);
  if (isObj(n)) return Object.keys(n);
  return ['default'];
}

function limits(svc: Obj): Service['limits'] {
  const deploy = isObj(svc.deploy) ? svc.deploy : {};
  const res = isObj(deploy.resources) ? deploy.resources : {};
  const lim = isObj(res.limits) ? res.limits : {};
  return {
    memory: svc.mem_limit !== undefined || lim.memory !== undefined,
    cpus: svc.cpus !== undefined || svc.cpu_quota !== undefined || lim.cpus !== undefined,
    pids: svc.pids_limit !== undefined || lim.pids !== undefined,
  };
}

function healthcheck(svc: Obj): Service['healthcheck'] {
  const h = svc.healthcheck;
  if (!isObj(h)) return 'absent';
  if (asBool(h.disable)) return 'disabled';
  const test = h.test;
  if (Array.isArray(test) && test[0] === 'NONE') return 'disabled';
  return 'defined';
}

function dependsOn(svc: Obj): string[] {
  const d = svc.depends_on;
  return Array.isArray(d) ? d.map(String) : isObj(d) ? Object.keys(d) : [];
}

function labels(svc: Obj): Record<string, string> {
  const l = Array.isArray(svc.labels) ? listToMap(svc.labels) : isObj(svc.labels) ? svc.labels : {};
  return Object.fromEntries(Object.entries(l).map(([k, v]) => [k, scalarText(v)]));
}

/** Exposure-relevant fields whose unresolved `${VAR}` matter (EXP-011). */
const EXPOSURE_FIELDS = ['ports', 'image', 'volumes', 'network_mode'];

function unresolvedVars(svc: Obj): Service['unresolved'] {
  const out: Service['unresolved'] = [];
  const visit = (container: unknown, key: string | number, path: (string | number)[]): void => {
    const info = entryInfo(container, key);
    if (info?.unresolved?.length) out.push({ path, vars: info.unresolved });
    const v = (container as Record<string | number, unknown>)[key];
    if (Array.isArray(v)) v.forEach((_x, i) => visit(v, i, [...path, i]));
    else if (isObj(v)) for (const k of Object.keys(v)) visit(v, k, [...path, k]);
  };
  for (const f of EXPOSURE_FIELDS) if (f in svc) visit(svc, f, [f]);
  return out;
}

/** Builds one Service from its merged compose map. */
export function composeService(name: string, svc: Obj, file: string | undefined, dir: string, errors: AuditError[]): Service {
  const logging = isObj(svc.logging) ? svc.logging : undefined;
  const restart = asStr(svc.restart) ?? (isObj(svc.deploy) && isObj(svc.deploy.restart_policy) ? asStr(svc.deploy.restart_policy.condition) : undefined);
  const command = Array.isArray(svc.command) ? svc.command.map(String).join(' ') : (asStr(svc.command) ?? '');
  const entry = Array.isArray(svc.entrypoint) ? svc.entrypoint.map(String).join(' ') : (asStr(svc.entrypoint) ?? '');
  const user = asStr(svc.user);
  const image = asStr(svc.image);
  const networkMode = asStr(svc.network_mode);
  const logDriver = logging ? asStr(logging.driver) : undefined;
  return {
    name,
    ...(file ? { file } : {}),
    ...(image !== undefined ? { image } : {}),
    hasBuild: svc.build !== undefined,
    ports: ports(svc, errors, name),
    expose: strList(svc.expose).map((e) => Number.parseInt(e, 10)).filter((n) => Number.isFinite(n)),
    networks: networksOf(svc),
    ...(networkMode !== undefined ? { networkMode } : {}),
    privileged: asBool(svc.privileged),
    ...(user !== undefined ? { user } : {}),
    capAdd: strList(svc.cap_add).map((c) => c.toUpperCase().replace(/^CAP_/, '')),
    capDrop: strList(svc.cap_drop).map((c) => c.toUpperCase().replace(/^CAP_/, '')),
    securityOpt: strList(svc.security_opt),
    namespaces: Object.fromEntries(
      (['pid', 'ipc', 'uts', 'userns_mode', 'cgroup'] as const).flatMap((k) => (asStr(svc[k]) === undefined ? [] : [[k === 'userns_mode' ? 'userns' : k, asStr(svc[k])]])),
    ),
    mounts: mounts(svc, dir),
    devices: (Array.isArray(svc.devices) ? svc.devices : []).map((d) => (isObj(d) ? scalarText(d.source) : String(d).split(':')[0] ?? '')),
    environment: environment(svc),
    readOnly: asBool(svc.read_only),
    limits: limits(svc),
    ...(logging ? { logging: { ...(logDriver ? { driver: logDriver } : {}), options: isObj(logging.options) ? Object.fromEntries(Object.entries(logging.options).map(([k, v]) => [k, scalarText(v)])) : {} } } : {}),
    healthcheck: healthcheck(svc),
    ...(restart !== undefined ? { restart } : {}),
    command: `${entry} ${command}`.trim(),
    dependsOn: dependsOn(svc),
    labels: labels(svc),
    unresolved: unresolvedVars(svc),
    at: (path) => infoAt(svc, path)?.loc,
  };
}

/** Builds the services and networks of a merged compose project. */
export function composeModel(root: Obj, serviceFiles: Map<string, string>, serviceDirs: Map<string, string>, errors: AuditError[]): { services: Service[]; networks: NetworkSpec[] } {
  const services: Service[] = [];
  if (isObj(root.services)) {
    for (const [name, svc] of Object.entries(root.services)) {
      if (!isObj(svc)) {
        const file = serviceFiles.get(name);
        errors.push({ ...(file ? { file } : {}), message: `service "${name}" is not a mapping` });
        continue;
      }
      const s = composeService(name, svc, serviceFiles.get(name), serviceDirs.get(name) ?? '/', errors);
      const declared = entryInfo(root.services, name)?.loc;
      services.push(declared ? { ...s, declaredAt: declared } : s);
    }
  }
  const networks: NetworkSpec[] = [];
  const nets = isObj(root.networks) ? root.networks : {};
  const names = new Set(['default', ...Object.keys(nets)]);
  for (const name of names) {
    const n = isObj(nets[name]) ? nets[name] : {};
    const driver = asStr(n.driver);
    networks.push({
      name,
      internal: asBool(n.internal),
      external: asBool(n.external) || isObj(n.external),
      ...(driver ? { driver } : {}),
      options: isObj(n.driver_opts) ? Object.fromEntries(Object.entries(n.driver_opts).map(([k, v]) => [k, scalarText(v)])) : {},
    });
  }
  return { services, networks };
}

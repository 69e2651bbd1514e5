// HostConfig: the known fields (API ≤ 1.47) and the rules for the ones that can grant host root.
import type { JsonObject } from '../json/index.js';
import type { BodyConstraints } from '../types.js';
import { checkBinds, checkMounts, checkVolumeDriver, checkVolumesFrom } from './mounts.js';
import { bool, field, nonEmpty, obj, str, strings, violation, type Violation } from './read.js';
import { checkCapabilities, checkSecurityOpts } from './security.js';

/** `container.Resources` fields (embedded in HostConfig, and the body of container update). */
export const RESOURCES_FIELDS = [
  'CpuShares', 'Memory', 'NanoCpus', 'CgroupParent', 'BlkioWeight', 'BlkioWeightDevice', 'BlkioDeviceReadBps',
  'BlkioDeviceWriteBps', 'BlkioDeviceReadIOps', 'BlkioDeviceWriteIOps', 'CpuPeriod', 'CpuQuota', 'CpuRealtimePeriod',
  'CpuRealtimeRuntime', 'CpusetCpus', 'CpusetMems', 'Devices', 'DeviceCgroupRules', 'DeviceRequests', 'KernelMemory',
  'KernelMemoryTCP', 'MemoryReservation', 'MemorySwap', 'MemorySwappiness', 'OomKillDisable', 'PidsLimit', 'Ulimits',
  'CpuCount', 'CpuPercent', 'IOMaximumIOps', 'IOMaximumBandwidth',
] as const;

/** Every `container.HostConfig` JSON field name up to API 1.47 (moby api/types/container/hostconfig.go). */
export const HOST_CONFIG_FIELDS: readonly string[] = [
  'Binds', 'ContainerIDFile', 'LogConfig', 'NetworkMode', 'PortBindings', 'RestartPolicy', 'AutoRemove', 'VolumeDriver',
  'VolumesFrom', 'ConsoleSize', 'Annotations', 'CapAdd', 'CapDrop', 'CgroupnsMode', 'Dns', 'DnsOptions', 'DnsSearch',
  'ExtraHosts', 'GroupAdd', 'IpcMode', 'Cgroup', 'Links', 'OomScoreAdj', 'PidMode', 'Privileged', 'PublishAllPorts',
  'ReadonlyRootfs', 'SecurityOpt', 'StorageOpt', 'Tmpfs', 'UTSMode', 'UsernsMode', 'ShmSize', 'Sysctls', 'Runtime',
  'Isolation', ...RESOURCES_FIELDS, 'Mounts', 'MaskedPaths', 'ReadonlyPaths', 'Init',
];

/** Log drivers that keep logs on this host; others ship data elsewhere. */
export const LOCAL_LOG_DRIVERS: ReadonlySet<string> = new Set(['', 'json-file', 'local', 'none', 'journald']);
/** Runtimes that are dockerd's default. */
const DEFAULT_RUNTIMES = new Set(['', 'runc']);

/** Devices, device cgroup rules and device requests (HostConfig and container update). */
export function checkDevices(res: JsonObject, c: BodyConstraints, path: string): Violation | undefined {
  if (c.allowDevices) return undefined;
  for (const name of ['Devices', 'DeviceCgroupRules', 'DeviceRequests']) {
    if (nonEmpty(res, name)) return violation('body:devices', `${path}.${name} is not allowed (allowDevices is off)`);
  }
  return undefined;
}

/** CgroupParent is a Resources field too: placing a container in another cgroup is a runtime tweak. */
export function checkCgroupParent(res: JsonObject, c: BodyConstraints, path: string): Violation | undefined {
  const parent = str(res, 'CgroupParent', `${path}.CgroupParent`);
  if (parent === undefined || parent === '' || c.allowRuntimeTweaks) return undefined;
  return violation('body:runtime', `${path}.CgroupParent is not allowed (allowRuntimeTweaks is off)`);
}

function isHostMode(v: string | undefined, sharable: boolean): boolean {
  const m = (v ?? '').trim().toLowerCase();
  return m === 'host' || (sharable && m.startsWith('container:'));
}

function checkNamespaces(hc: JsonObject, c: BodyConstraints): Violation | undefined {
  if (c.allowHostNamespaces) return undefined;
  const modes: [string, boolean][] = [
    ['PidMode', true], ['IpcMode', true], ['NetworkMode', true], ['UTSMode', false], ['UsernsMode', false], ['CgroupnsMode', false],
  ];
  for (const [name, sharable] of modes) {
    const v = str(hc, name, `HostConfig.${name}`);
    if (isHostMode(v, sharable)) return violation('body:host-namespace', `HostConfig.${name} "${(v ?? '').slice(0, 80)}" is not allowed (allowHostNamespaces is off)`);
  }
  const cgroup = str(hc, 'Cgroup', 'HostConfig.Cgroup') ?? '';
  if (cgroup.trim() !== '') return violation('body:host-namespace', 'HostConfig.Cgroup (another container\'s cgroup) is not allowed');
  return undefined;
}

function checkConfinement(hc: JsonObject, c: BodyConstraints): Violation | undefined {
  const opts = checkSecurityOpts(strings(hc, 'SecurityOpt', 'HostConfig.SecurityOpt'), c, 'HostConfig.SecurityOpt');
  if (opts || c.allowUnconfined) return opts;
  // Any MaskedPaths/ReadonlyPaths list replaces dockerd's defaults ([] unmasks /proc/kcore, /proc/sys…).
  for (const name of ['MaskedPaths', 'ReadonlyPaths']) {
    if (field(hc, name) !== undefined) {
      strings(hc, name, `HostConfig.${name}`);
      return violation('body:unconfined', `HostConfig.${name} replaces Docker's protected paths (allowUnconfined is off)`);
    }
  }
  return undefined;
}

function checkRuntimeTweaks(hc: JsonObject, c: BodyConstraints): Violation | undefined {
  const runtime = str(hc, 'Runtime', 'HostConfig.Runtime');
  const log = obj(hc, 'LogConfig', 'HostConfig.LogConfig');
  const logType = log ? (str(log, 'Type', 'HostConfig.LogConfig.Type') ?? '') : '';
  const volumeDriver = checkVolumeDriver(str(hc, 'VolumeDriver', 'HostConfig.VolumeDriver'), c, 'HostConfig.VolumeDriver');
  if (c.allowRuntimeTweaks) return undefined;
  const tweak = (what: string): Violation => violation('body:runtime', `${what} is not allowed (allowRuntimeTweaks is off)`);
  if (nonEmpty(hc, 'Sysctls')) return tweak('HostConfig.Sysctls');
  if (nonEmpty(hc, 'Annotations')) return tweak('HostConfig.Annotations');
  if (runtime !== undefined && !DEFAULT_RUNTIMES.has(runtime)) return tweak(`HostConfig.Runtime "${runtime.slice(0, 60)}"`);
  if (!LOCAL_LOG_DRIVERS.has(logType)) return tweak(`log driver "${logType.slice(0, 60)}"`);
  return volumeDriver ?? checkCgroupParent(hc, c, 'HostConfig');
}

/** Checks a container's HostConfig against the constraints (the first violation wins). */
export function checkHostConfig(hc: JsonObject, c: BodyConstraints): Violation | undefined {
  if (bool(hc, 'Privileged', 'HostConfig.Privileged') === true && !c.allowPrivileged) {
    return violation('body:privileged', 'privileged containers are not allowed (allowPrivileged is off)');
  }
  return (
    checkBinds(strings(hc, 'Binds', 'HostConfig.Binds'), c) ??
    checkMounts(hc, c, 'HostConfig.Mounts') ??
    checkVolumesFrom(hc, c) ??
    checkCapabilities(strings(hc, 'CapAdd', 'HostConfig.CapAdd', true), c) ??
    checkDevices(hc, c, 'HostConfig') ??
    checkNamespaces(hc, c) ??
    checkConfinement(hc, c) ??
    checkRuntimeTweaks(hc, c)
  );
}

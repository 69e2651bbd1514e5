// Container create/update and exec create bodies: known fields, schemas for canonical keys, rules.
import { goFold, showKey, type JsonObject, type KeySchema } from '../json/index.js';
import type { BodyConstraints } from '../types.js';
import { checkCgroupParent, checkDevices, checkHostConfig, HOST_CONFIG_FIELDS, RESOURCES_FIELDS } from './host-config.js';
import { bool, obj, violation, type Violation } from './read.js';

/** Top-level fields of a create body: `container.Config` plus the wrapper's HostConfig/NetworkingConfig. */
export const CONFIG_FIELDS: readonly string[] = [
  'Hostname', 'Domainname', 'User', 'AttachStdin', 'AttachStdout', 'AttachStderr', 'ExposedPorts', 'Tty', 'OpenStdin',
  'StdinOnce', 'Env', 'Cmd', 'Healthcheck', 'ArgsEscaped', 'Image', 'Volumes', 'WorkingDir', 'Entrypoint',
  'NetworkDisabled', 'MacAddress', 'OnBuild', 'Labels', 'StopSignal', 'StopTimeout', 'Shell', 'HostConfig', 'NetworkingConfig',
];

const leaves = (names: readonly string[]): Record<string, null> => Object.fromEntries(names.map((n) => [n, null]));
const struct = (names: readonly string[], nested: Record<string, KeySchema> = {}): KeySchema => ({ fields: { ...leaves(names), ...nested } });

const MOUNT_SCHEMA: KeySchema = struct(['Type', 'Source', 'Target', 'ReadOnly', 'Consistency', 'ClusterOptions'], {
  BindOptions: struct(['Propagation', 'NonRecursive', 'CreateMountpoint', 'ReadOnlyNonRecursive', 'ReadOnlyForceRecursive']),
  VolumeOptions: struct(['NoCopy', 'Labels', 'Subpath'], { DriverConfig: struct(['Name', 'Options']) }),
  TmpfsOptions: struct(['SizeBytes', 'Mode', 'Options']),
  ImageOptions: struct(['Subpath']),
});
const THROTTLE: KeySchema = { items: struct(['Path', 'Rate']) };
const RESOURCES_NESTED: Record<string, KeySchema> = {
  Devices: { items: struct(['PathOnHost', 'PathInContainer', 'CgroupPermissions']) },
  DeviceRequests: { items: struct(['Driver', 'Count', 'DeviceIDs', 'Capabilities', 'Options']) },
  Ulimits: { items: struct(['Name', 'Soft', 'Hard']) },
  BlkioWeightDevice: { items: struct(['Path', 'Weight']) },
  BlkioDeviceReadBps: THROTTLE, BlkioDeviceWriteBps: THROTTLE, BlkioDeviceReadIOps: THROTTLE, BlkioDeviceWriteIOps: THROTTLE,
};
const RESTART_POLICY = struct(['Name', 'MaximumRetryCount']);

/** Canonical key spelling of a host config (used when re-serialising). */
export const HOST_CONFIG_SCHEMA: KeySchema = struct(HOST_CONFIG_FIELDS, {
  ...RESOURCES_NESTED,
  LogConfig: struct(['Type', 'Config']),
  RestartPolicy: RESTART_POLICY,
  Mounts: { items: MOUNT_SCHEMA },
});

/** Canonical key spelling of a container create body. */
export const CONTAINER_CREATE_SCHEMA: KeySchema = struct(CONFIG_FIELDS, {
  HostConfig: HOST_CONFIG_SCHEMA,
  NetworkingConfig: struct(['EndpointsConfig']),
  Healthcheck: struct(['Test', 'Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries']),
});

/** Canonical key spelling of a container update body (`container.UpdateConfig`). */
export const CONTAINER_UPDATE_SCHEMA: KeySchema = struct(RESOURCES_FIELDS, { ...RESOURCES_NESTED, RestartPolicy: RESTART_POLICY });

/** Canonical key spelling of an exec create body (`container.ExecOptions`). */
export const EXEC_CREATE_SCHEMA: KeySchema = struct([
  'User', 'Privileged', 'Tty', 'ConsoleSize', 'AttachStdin', 'AttachStderr', 'AttachStdout', 'Detach', 'DetachKeys', 'Env', 'WorkingDir', 'Cmd',
]);

const CONFIG_FOLDS = new Set(CONFIG_FIELDS.map(goFold));
const HOST_CONFIG_FOLDS = new Set(HOST_CONFIG_FIELDS.map(goFold));

/** Refuses keys of `o` that fold to none of `known` (fail closed: dockerd may learn fields we don't check). */
function checkKnownKeys(o: JsonObject, known: ReadonlySet<string>, where: string): Violation | undefined {
  const unknown = o.entries.find(([k]) => !known.has(goFold(k)));
  if (!unknown) return undefined;
  return violation('body:unknown-field', `unknown field ${showKey(unknown[0])} in ${where}`);
}

function checkEndpoints(root: JsonObject, c: BodyConstraints): Violation | undefined {
  const nc = obj(root, 'NetworkingConfig', 'NetworkingConfig');
  const endpoints = nc && obj(nc, 'EndpointsConfig', 'NetworkingConfig.EndpointsConfig');
  if (c.allowHostNamespaces || !endpoints) return undefined;
  const host = endpoints.entries.find(([name]) => name.trim().toLowerCase() === 'host');
  return host ? violation('body:host-namespace', 'joining the host network is not allowed (allowHostNamespaces is off)') : undefined;
}

/** Container create: unknown fields, top-level HostConfig fields (Docker ≤ 26), then HostConfig rules. */
export function checkContainerCreate(root: JsonObject, c: BodyConstraints): Violation | undefined {
  for (const [key] of root.entries) {
    const f = goFold(key);
    if (HOST_CONFIG_FOLDS.has(f) && !CONFIG_FOLDS.has(f)) {
      return violation('body:top-level-hostconfig', `top-level ${showKey(key)} is a HostConfig field (Docker before 27 applies it): move it into HostConfig`);
    }
  }
  const unknown = checkKnownKeys(root, CONFIG_FOLDS, 'the container config');
  if (unknown) return unknown;
  const hc = obj(root, 'HostConfig', 'HostConfig');
  if (hc) {
    const v = checkKnownKeys(hc, HOST_CONFIG_FOLDS, 'HostConfig') ?? checkHostConfig(hc, c);
    if (v) return v;
  }
  return checkEndpoints(root, c);
}

/** Container update (`Resources` + `RestartPolicy`): devices and cgroup parent. */
export function checkContainerUpdate(root: JsonObject, c: BodyConstraints): Violation | undefined {
  return checkDevices(root, c, 'update') ?? checkCgroupParent(root, c, 'update');
}

/** Exec create: a privileged exec is a privileged container. */
export function checkExecCreate(root: JsonObject, c: BodyConstraints): Violation | undefined {
  if (bool(root, 'Privileged', 'Privileged') === true && !c.allowPrivileged) {
    return violation('body:privileged', 'privileged exec is not allowed (allowPrivileged is off)');
  }
  return undefined;
}


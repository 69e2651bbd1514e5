// Volume and network create bodies: local-driver host mounts, plugins, and host-attached networks.
import type { JsonObject } from '../json/index.js';
import type { BodyConstraints } from '../types.js';
import { checkLocalVolumeOptions, checkVolumeDriver } from './mounts.js';
import { field, str, stringMap, violation, type Violation } from './read.js';

/** Network drivers built into dockerd that stay off the host's own interfaces. */
const CONTAINED_NETWORK_DRIVERS = new Set(['', 'bridge', 'overlay', 'null', 'none']);
/** Drivers that attach containers straight onto a host interface. */
const HOST_NETWORK_DRIVERS = new Set(['macvlan', 'ipvlan', 'host']);

/** Volume create: `local` driver options that mount host paths, other drivers (plugins), CSI cluster volumes. */
export function checkVolumeCreate(root: JsonObject, c: BodyConstraints): Violation | undefined {
  const driver = str(root, 'Driver', 'Driver');
  const plugin = checkVolumeDriver(driver, c, 'Driver');
  if (plugin) return plugin;
  if (field(root, 'ClusterVolumeSpec') !== undefined && !c.allowRuntimeTweaks) {
    return violation('body:runtime', 'cluster (CSI) volumes are not allowed (allowRuntimeTweaks is off)');
  }
  return checkLocalVolumeOptions(stringMap(root, 'DriverOpts', 'DriverOpts'), c);
}

/** Network create: macvlan/ipvlan or a `parent` interface reach the host's network; plugins need tweaks. */
export function checkNetworkCreate(root: JsonObject, c: BodyConstraints): Violation | undefined {
  const driver = (str(root, 'Driver', 'Driver') ?? '').trim().toLowerCase();
  const options = stringMap(root, 'Options', 'Options');
  const parent = [...options.keys()].some((k) => k.toLowerCase() === 'parent');
  if ((HOST_NETWORK_DRIVERS.has(driver) || parent) && !c.allowHostNamespaces) {
    return violation('body:host-namespace', `network driver "${driver.slice(0, 40)}"${parent ? ' with a parent interface' : ''} attaches to the host network (allowHostNamespaces is off)`);
  }
  if (!HOST_NETWORK_DRIVERS.has(driver) && !CONTAINED_NETWORK_DRIVERS.has(driver) && !c.allowRuntimeTweaks) {
    return violation('body:runtime', `network driver "${driver.slice(0, 40)}" is a plugin (allowRuntimeTweaks is off)`);
  }
  return undefined;
}

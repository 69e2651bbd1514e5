// Mount checks shared by containers, services and volumes: Binds, Mounts[] and local-driver volumes.
import type { JsonObject } from '../json/index.js';
import type { BodyConstraints } from '../types.js';
import { checkHostPath } from './paths.js';
import { obj, objects, str, stringMap, strings, violation, type Violation } from './read.js';

/** Log/volume drivers shipped with dockerd whose volumes stay on this host. */
const LOCAL_VOLUME_DRIVERS = new Set(['', 'local']);

function firstOf<T>(items: readonly T[], check: (item: T) => Violation | undefined): Violation | undefined {
  for (const item of items) {
    const v = check(item);
    if (v) return v;
  }
  return undefined;
}

/**
 * Checks `HostConfig.Binds` entries (`src:dst[:opts]`): an absolute `src` is a host bind mount,
 * anything else is a named volume (or an anonymous one when there is no `dst`).
 */
export function checkBinds(binds: readonly string[], c: BodyConstraints): Violation | undefined {
  return firstOf(binds, (bind) => {
    const parts = bind.split(':');
    const src = parts[0] ?? '';
    if (parts.length < 2 || !src.startsWith('/')) return undefined;
    return checkHostPath(src, c, 'bind mount');
  });
}

/**
 * Checks the options of a `local` driver volume (`type`, `o`, `device`): `o=bind`, an overlay
 * (`lowerdir=`/`upperdir=`/`workdir=`) or a `device` that is a host path (incl. block devices under
 * /dev) all mount host paths, so each is checked like a bind mount.
 */
export function checkLocalVolumeOptions(opts: ReadonlyMap<string, string>, c: BodyConstraints): Violation | undefined {
  const lookup = (k: string): string => {
    for (const [key, v] of opts) if (key.toLowerCase() === k) return v;
    return '';
  };
  const type = lookup('type').trim().toLowerCase();
  const o = lookup('o');
  const device = lookup('device').trim();
  const flags = o.split(',').map((f) => f.trim());
  if (flags.some((f) => f === 'bind' || f === 'rbind') || type === 'bind' || type === 'rbind') {
    return checkHostPath(device, c, 'volume bind of device');
  }
  if (type === 'overlay' || flags.some((f) => /^(lowerdir|upperdir|workdir)=/.test(f))) {
    const dirs = flags.flatMap((f) => (/^(lowerdir|upperdir|workdir)=/.test(f) ? f.slice(f.indexOf('=') + 1).split(':') : []));
    if (dirs.length === 0) return violation('body:bind-mount', 'overlay volume without lowerdir/upperdir is not allowed');
    return firstOf(dirs, (d) => checkHostPath(d, c, 'overlay volume directory'));
  }
  if (device.startsWith('/')) {
    if (device.startsWith('/dev/') && !c.allowDevices) {
      return violation('body:devices', `volume on host device ${device.slice(0, 100)} is not allowed (allowDevices is off)`);
    }
    return checkHostPath(device, c, 'volume of device');
  }
  return undefined;
}

/** Checks a volume driver name: anything but the built-in local driver needs allowRuntimeTweaks. */
export function checkVolumeDriver(name: string | undefined, c: BodyConstraints, path: string): Violation | undefined {
  if (name === undefined || LOCAL_VOLUME_DRIVERS.has(name.trim().toLowerCase()) || c.allowRuntimeTweaks) return undefined;
  return violation('body:runtime', `${path} "${name.slice(0, 60)}" is a volume plugin (allowRuntimeTweaks is off)`);
}

function checkMount(m: JsonObject, c: BodyConstraints, path: string): Violation | undefined {
  const type = (str(m, 'Type', `${path}.Type`) ?? '').toLowerCase();
  switch (type) {
    case 'bind':
      return checkHostPath(str(m, 'Source', `${path}.Source`) ?? '', c, 'bind mount');
    case 'volume': {
      const vo = obj(m, 'VolumeOptions', `${path}.VolumeOptions`);
      const dc = vo && obj(vo, 'DriverConfig', `${path}.VolumeOptions.DriverConfig`);
      if (!dc) return undefined;
      const driver = str(dc, 'Name', `${path}.VolumeOptions.DriverConfig.Name`);
      return (
        checkVolumeDriver(driver, c, `${path}.VolumeOptions.DriverConfig.Name`) ??
        checkLocalVolumeOptions(stringMap(dc, 'Options', `${path}.VolumeOptions.DriverConfig.Options`), c)
      );
    }
    case 'tmpfs':
      return undefined;
    case 'image':
      return c.allowRuntimeTweaks ? undefined : violation('body:runtime', `${path}: image mounts are not allowed (allowRuntimeTweaks is off)`);
    default:
      // npipe (Windows host pipes), cluster (CSI volumes), and anything dockerd may add later.
      return violation('body:bind-mount', `${path}: mount type "${type.slice(0, 20)}" is not allowed`);
  }
}

/** Checks `Mounts[]` of a container or service. */
export function checkMounts(holder: JsonObject, c: BodyConstraints, path: string): Violation | undefined {
  const mounts = objects(holder, 'Mounts', path);
  for (const [i, m] of mounts.entries()) {
    const v = checkMount(m, c, `${path}[${i}]`);
    if (v) return v;
  }
  return undefined;
}

/** Checks `VolumesFrom`: it inherits every mount of another container, so it needs bind mounts allowed. */
export function checkVolumesFrom(hc: JsonObject, c: BodyConstraints): Violation | undefined {
  const from = strings(hc, 'VolumesFrom', 'HostConfig.VolumesFrom');
  if (from.length === 0 || c.allowBindMounts.length > 0) return undefined;
  return violation('body:bind-mount', 'VolumesFrom inherits host mounts of another container (no bind paths are allowed)');
}

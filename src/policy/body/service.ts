// Swarm service create/update bodies (swarm.ServiceSpec): the task's container spec and networks.
import type { JsonObject } from '../json/index.js';
import type { BodyConstraints } from '../types.js';
import { LOCAL_LOG_DRIVERS } from './host-config.js';
import { checkMounts } from './mounts.js';
import { bool, field, nonEmpty, obj, objects, str, strings, violation, type Violation } from './read.js';
import { checkCapabilities, UNCONFINED_SELINUX_TYPES } from './security.js';


function checkPrivileges(cs: JsonObject, c: BodyConstraints, path: string): Violation | undefined {
  const priv = obj(cs, 'Privileges', `${path}.Privileges`);
  if (!priv || c.allowUnconfined) return undefined;
  const unconfined = (what: string): Violation => violation('body:unconfined', `${path}.Privileges.${what} (allowUnconfined is off)`);
  const selinux = obj(priv, 'SELinuxContext', `${path}.Privileges.SELinuxContext`);
  if (selinux && bool(selinux, 'Disable', `${path}.Privileges.SELinuxContext.Disable`) === true) return unconfined('SELinuxContext.Disable');
  const seType = selinux ? (str(selinux, 'Type', `${path}.Privileges.SELinuxContext.Type`) ?? '') : '';
  if (UNCONFINED_SELINUX_TYPES.has(seType.toLowerCase())) return unconfined(`SELinuxContext.Type ${seType}`);
  const seccomp = obj(priv, 'Seccomp', `${path}.Privileges.Seccomp`);
  const seccompMode = seccomp ? (str(seccomp, 'Mode', `${path}.Privileges.Seccomp.Mode`) ?? '') : '';
  if (!['', 'default'].includes(seccompMode.toLowerCase())) return unconfined(`Seccomp.Mode ${seccompMode.slice(0, 40)}`);
  const apparmor = obj(priv, 'AppArmor', `${path}.Privileges.AppArmor`);
  const apparmorMode = apparmor ? (str(apparmor, 'Mode', `${path}.Privileges.AppArmor.Mode`) ?? '') : '';
  if (!['', 'default'].includes(apparmorMode.toLowerCase())) return unconfined(`AppArmor.Mode ${apparmorMode.slice(0, 40)}`);
  return undefined;
}

function checkContainerSpec(cs: JsonObject, c: BodyConstraints, path: string): Violation | undefined {
  const mounts = checkMounts(cs, c, `${path}.Mounts`);
  if (mounts) return mounts;
  const caps = checkCapabilities(strings(cs, 'CapabilityAdd', `${path}.CapabilityAdd`), c);
  if (caps) return caps;
  if (!c.allowDevices && nonEmpty(cs, 'Devices')) return violation('body:devices', `${path}.Devices is not allowed (allowDevices is off)`);
  if (!c.allowRuntimeTweaks && nonEmpty(cs, 'Sysctls')) return violation('body:runtime', `${path}.Sysctls is not allowed (allowRuntimeTweaks is off)`);
  return checkPrivileges(cs, c, path);
}

function checkNetworks(holder: JsonObject, c: BodyConstraints, path: string): Violation | undefined {
  if (c.allowHostNamespaces) return undefined;
  for (const n of objects(holder, 'Networks', path)) {
    const target = str(n, 'Target', `${path}[].Target`) ?? '';
    if (target.trim().toLowerCase() === 'host') return violation('body:host-namespace', `${path}: the host network is not allowed (allowHostNamespaces is off)`);
  }
  return undefined;
}

function checkTaskTemplate(tt: JsonObject, c: BodyConstraints): Violation | undefined {
  const runtime = (str(tt, 'Runtime', 'TaskTemplate.Runtime') ?? '').toLowerCase();
  // A plugin task installs a managed plugin (root, with the privileges it asks for) on every node.
  if ((runtime === 'plugin' || field(tt, 'PluginSpec') !== undefined) && !c.allowPrivileged) {
    return violation('body:privileged', 'plugin services install root plugins on every node (allowPrivileged is off)');
  }
  const cs = obj(tt, 'ContainerSpec', 'TaskTemplate.ContainerSpec');
  const spec = cs && checkContainerSpec(cs, c, 'TaskTemplate.ContainerSpec');
  if (spec) return spec;
  const log = obj(tt, 'LogDriver', 'TaskTemplate.LogDriver');
  const logName = log ? (str(log, 'Name', 'TaskTemplate.LogDriver.Name') ?? '') : '';
  if (!c.allowRuntimeTweaks && !LOCAL_LOG_DRIVERS.has(logName)) {
    return violation('body:runtime', `log driver "${logName.slice(0, 60)}" is not allowed (allowRuntimeTweaks is off)`);
  }
  return checkNetworks(tt, c, 'TaskTemplate.Networks');
}

/** Service create/update: the task template's container spec, runtime, log driver and networks. */
export function checkServiceSpec(spec: JsonObject, c: BodyConstraints): Violation | undefined {
  const tt = obj(spec, 'TaskTemplate', 'TaskTemplate');
  return (tt && checkTaskTemplate(tt, c)) ?? checkNetworks(spec, c, 'Networks');
}

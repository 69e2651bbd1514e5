// Capability allowlists and the SecurityOpt allowlist (what may run confined without allowUnconfined).
import type { BodyConstraints } from '../types.js';
import { violation, type Violation } from './read.js';

/** `cap_sys_admin`, `CAP_SYS_ADMIN` and `sys_admin` all name SYS_ADMIN. */
export function normaliseCapability(cap: string): string {
  const up = cap.trim().toUpperCase();
  return up.startsWith('CAP_') ? up.slice(4) : up;
}

/** Refuses a capability to add unless it is in `allowCapabilities` (`ALL` only by `ALL`). */
export function checkCapabilities(caps: readonly string[], c: BodyConstraints): Violation | undefined {
  const allowed = new Set(c.allowCapabilities.map(normaliseCapability));
  for (const raw of caps) {
    const cap = normaliseCapability(raw);
    if (allowed.has(cap) || (cap !== 'ALL' && allowed.has('ALL'))) continue;
    return violation('body:capability', `adding capability ${cap.slice(0, 40)} is not allowed`);
  }
  return undefined;
}

/** Go strconv.ParseBool's true spellings (no-new-privileges=<bool>). */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
/** SELinux types that turn confinement off. */
export const UNCONFINED_SELINUX_TYPES: ReadonlySet<string> = new Set(['spc_t', 'unconfined_t']);

function splitOpt(opt: string): [string, string | undefined] {
  // dockerd splits on the first '=', else on the first ':' (the legacy separator).
  const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : undefined;
  if (sep === undefined) return [opt, undefined];
  const i = opt.indexOf(sep);
  return [opt.slice(0, i), opt.slice(i + 1)];
}

/** True when one SecurityOpt entry keeps the container confined. */
export function isConfinedSecurityOpt(opt: string): boolean {
  const [key, value] = splitOpt(opt);
  if (value === undefined) return key === 'no-new-privileges';
  switch (key) {
    case 'no-new-privileges':
      return GO_TRUE.has(value);
    case 'apparmor':
      return value !== '' && value.toLowerCase() !== 'unconfined';
    case 'label': {
      const [k, v] = splitOpt(value);
      if (v === undefined || v === '') return false;
      if (k === 'type') return !UNCONFINED_SELINUX_TYPES.has(v.toLowerCase());
      return k === 'user' || k === 'role' || k === 'level';
    }
    default:
      // seccomp=<anything>: "unconfined" or an inline profile chosen by the caller.
      return false;
  }
}

/** Refuses SecurityOpt entries outside the allowlist unless allowUnconfined. */
export function checkSecurityOpts(opts: readonly string[], c: BodyConstraints, path = 'SecurityOpt'): Violation | undefined {
  if (c.allowUnconfined) return undefined;
  const bad = opts.find((o) => !isConfinedSecurityOpt(o));
  if (bad === undefined) return undefined;
  const [key, value] = splitOpt(bad);
  const shown = value === undefined ? key : /^[\w.:-]{0,40}$/.test(value) ? `${key}=${value}` : `${key}=…`;
  return violation('body:unconfined', `${path} "${shown.slice(0, 80)}" weakens confinement (allowUnconfined is off)`);
}

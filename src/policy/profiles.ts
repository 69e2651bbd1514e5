// Profiles decide whether an operation may run at all: tecnativa-style env switches, or a named profile.
import type { ProxySettings, SensitiveSwitchName } from './settings-view.js';
import type { RouteMatch } from './parse.js';
import type { BodyConstraints } from './types.js';

/** The verdict of a profile on a route (before any body inspection). */
export interface RouteVerdict {
  allow: boolean;
  rule: string;
  reason: string;
}

/** A profile: route-level allow/deny plus the body constraints that apply to an allowed operation. */
export interface Profile {
  readonly name: string;
  checkRoute(method: string, match: RouteMatch): RouteVerdict;
  constraintsFor(operation: string): BodyConstraints;
}

/** Builds body constraints from the proxy's safety switches. */
export function constraintsFromSettings(s: ProxySettings): BodyConstraints {
  return {
    allowPrivileged: s.ALLOW_PRIVILEGED,
    allowBindMounts: s.ALLOW_BIND_MOUNTS,
    allowHostNamespaces: s.ALLOW_HOST_NAMESPACES,
    allowDevices: s.ALLOW_DEVICES,
    allowCapabilities: s.ALLOW_CAPABILITIES,
    allowUnconfined: s.ALLOW_UNCONFINED,
    allowDockerSocket: s.ALLOW_DOCKER_SOCKET,
    allowRuntimeTweaks: s.ALLOW_RUNTIME_TWEAKS,
    maxBodyBytes: s.MAX_BODY_BYTES,
  };
}

const allow = (rule: string, reason: string): RouteVerdict => ({ allow: true, rule, reason });
const deny = (rule: string, reason: string): RouteVerdict => ({ allow: false, rule, reason });

/** tecnativa's ALLOW_* rules only match names made of these characters (its regex). */
const TECNATIVA_NAME = /^[a-zA-Z0-9_.-]+$/;

const START_STOP_RULES: Record<string, readonly SensitiveOrAllow[]> = {
  'container.start': ['ALLOW_START'],
  'container.stop': ['ALLOW_STOP', 'ALLOW_RESTARTS'],
  'container.restart': ['ALLOW_RESTARTS'],
  'container.kill': ['ALLOW_RESTARTS'],
};
type SensitiveOrAllow = 'ALLOW_START' | 'ALLOW_STOP' | 'ALLOW_RESTARTS';

/** Applies the extra switch that secret-leaking or stdin-writing GET routes need. */
function sensitiveCheck(s: ProxySettings, match: RouteMatch, allowed: RouteVerdict): RouteVerdict {
  const sw: SensitiveSwitchName | undefined = match.spec.sensitive;
  if (!sw) return allowed;
  if (!s[sw]) return deny(`switch:${sw}`, `${match.spec.operation} can leak secrets or write to a container: set ${sw}=1 to allow it`);
  if (sw === 'ALLOW_ATTACH_WS' && !s.POST) return deny('env:POST', 'attach/ws can write to stdin: it also needs POST=1');
  return allowed;
}

/**
 * The tecnativa-compatible profile: the method gate (POST), then ALLOW_START/STOP/RESTARTS, then the
 * section switches, with Portcullis's extra switches for secret-leaking reads.
 */
export function envProfile(s: ProxySettings): Profile {
  const constraints = constraintsFromSettings(s);
  return {
    name: 'env',
    constraintsFor: () => constraints,
    checkRoute(method, match) {
      if (method !== 'GET' && method !== 'HEAD' && !s.POST) {
        return deny('env:POST', `POST=0 allows only GET and HEAD (${method} ${match.spec.operation})`);
      }
      const extra = START_STOP_RULES[match.spec.operation];
      const name = match.params[0] ?? '';
      if (extra && TECNATIVA_NAME.test(name)) {
        const hit = extra.find((v) => s[v]);
        if (hit) return allow(`env:${hit}`, `${hit}=1`);
      }
      const section = match.spec.section;
      if (!s[section]) return deny(`env:${section}`, `${section}=0 (set ${section}=1 to allow this section)`);
      return sensitiveCheck(s, match, allow(`env:${section}`, `${section}=1`));
    },
  };
}

/** Operations the `operator` profile adds to `read-only`: day-to-day container lifecycle, no create/exec/delete. */
const OPERATOR_OPS = new Set([
  'container.start', 'container.stop', 'container.restart', 'container.kill', 'container.pause',
  'container.unpause', 'container.wait', 'container.resize',
]);

/** Named profiles: `read-only` (reads), `operator` (reads + lifecycle), `full` (everything, bodies still checked). */
export function namedProfile(name: 'read-only' | 'operator' | 'full', s: ProxySettings): Profile {
  const constraints = constraintsFromSettings(s);
  return {
    name,
    constraintsFor: () => constraints,
    checkRoute(_method, match) {
      const { operation, kind } = match.spec;
      const ok =
        name === 'full' || kind === 'read' || (name === 'operator' && OPERATOR_OPS.has(operation));
      if (!ok) return deny(`profile:${name}`, `profile ${name} does not allow ${operation}`);
      return sensitiveCheck(s, match, allow(`profile:${name}`, `profile ${name}`));
    },
  };
}

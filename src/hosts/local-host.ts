// LocalHost: the server's own Docker Engine (local socket or DOCKER_HOST) behind the host's policy engine.
import { proxySettings, readSettings, type ProxySettings } from '../config/index.js';
import { DockerClient, type DockerClientOptions } from '../docker/index.js';
import { PolicyEngine, namedProfile, type Profile } from '../policy/index.js';
import { EngineHost } from './engine-host.js';
import type { DecisionListener } from './types.js';

/** Options of {@link hostPolicy}. */
export interface HostPolicyOptions {
  /** Named profile; default `full` (every operation, bodies still checked). */
  profile?: 'read-only' | 'operator' | 'full';
  /** A ready profile (e.g. from a policy file); replaces `profile`. */
  customProfile?: Profile;
  /** Safety switches to turn on (ALLOW_PRIVILEGED, ALLOW_BIND_MOUNTS…); all are off by default. */
  switches?: Partial<ProxySettings>;
  mode?: 'enforce' | 'observe';
}

/** The proxy settings with every default: all safety switches off, 4 MiB body cap. */
function defaultSettings(): ProxySettings {
  return readSettings(proxySettings, {});
}

/**
 * Builds a host's policy engine. The default is profile `full` with every safety switch off: no
 * privileged, bind-mount, host-namespace, device or capability-adding create through the control
 * plane unless the operator turns the switch on.
 *
 * @example hostPolicy({ switches: { ALLOW_BIND_MOUNTS: ['/srv/data'] } })
 */
export function hostPolicy(opts: HostPolicyOptions = {}): PolicyEngine {
  const settings = { ...defaultSettings(), ...opts.switches };
  const profile = opts.customProfile ?? namedProfile(opts.profile ?? 'full', settings);
  return new PolicyEngine({ profile, mode: opts.mode ?? 'enforce', allowedHosts: [] });
}

/** Options of {@link LocalHost}. */
export interface LocalHostOptions {
  id: string;
  name: string;
  tags?: readonly string[];
  /** Where dockerd is (socket path, tcp/https URL, TLS); default /var/run/docker.sock. Ignored when `client` is given. */
  docker?: DockerClientOptions;
  /** A ready client; the host takes it over and closes it. */
  client?: DockerClient;
  /** The host's policy; default {@link hostPolicy}() (full, safety switches off). */
  policy?: PolicyEngine;
  onDecision?: DecisionListener;
}

/**
 * The Docker Engine on the server's own machine (or the one DOCKER_HOST names), reached directly
 * by a DockerClient; every call passes the host's policy engine first.
 *
 * @example
 * const local = new LocalHost({ id: 'local', name: 'local' });
 * await local.startContainer('web'); // HostPolicyDenied if the policy refuses
 */
export class LocalHost extends EngineHost {
  constructor(opts: LocalHostOptions) {
    super({
      id: opts.id,
      name: opts.name,
      kind: 'local',
      ...(opts.tags ? { tags: opts.tags } : {}),
      channel: opts.client ?? new DockerClient(opts.docker ?? {}),
      policy: opts.policy ?? hostPolicy(),
      ...(opts.onDecision ? { onDecision: opts.onDecision } : {}),
    });
  }

  /** Builds a LocalHost from a DOCKER_HOST value (unix:///…, tcp://…; undefined = the local socket). */
  static fromDockerHost(dockerHost: string | undefined, opts: Omit<LocalHostOptions, 'docker' | 'client'>): LocalHost {
    return new LocalHost({ ...opts, client: DockerClient.fromDockerHost(dockerHost) });
  }
}

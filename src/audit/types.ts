// Shared types of the auditor: the normalized service model, findings, rules and reachability verdicts.

/** Severity levels, highest first in {@link SEVERITIES}. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** What a service is, as far as exposure goes (from its image name, well-known ports and command). */
export type ServiceClass = 'datastore' | 'admin' | 'docker-api' | 'debug' | 'edge' | 'app';

/** Where a published binding can be reached from. Never a guess: `unknown` names what stopped the decision. */
export type Verdict = 'public' | 'lan' | 'local-only' | 'blocked' | 'unknown';

export type RuleCategory = 'exposure' | 'segmentation' | 'socket' | 'privilege' | 'image' | 'secrets' | 'operations' | 'daemon';
export type AuditMode = 'compose' | 'host';

/** A position in a source file (1-based line and column). */
export interface SourceLoc {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** How a binding's reachability was decided. */
export interface Reachability {
  verdict: Verdict;
  /** The rule or fact that decided it (`filter/DOCKER-USER#2: …`, `bind address 127.0.0.1`). */
  decidedBy: string;
}

/** One published port binding (one per host port after range expansion is NOT done: ranges stay ranges). */
export interface PortBinding {
  /** Host address as written ('' = all interfaces). */
  hostIp: string;
  /** Published host port range; undefined = ephemeral (Docker picks one). */
  hostPort?: { from: number; to: number };
  containerPort: { from: number; to: number };
  protocol: string;
  /** The written form, for messages. */
  raw: string;
  /** Path of the item inside the service (`['ports', 0]`). */
  path: (string | number)[];
  /** Whether `${…}` interpolation produced any part of it. */
  interpolated: boolean;
  reachability?: Reachability;
}

/** A volume or bind mount. */
export interface MountSpec {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'other';
  source: string;
  target: string;
  readOnly: boolean;
  propagation?: string;
  path: (string | number)[];
}

/** One environment variable. `literal` is false when its value came from `${…}`. */
export interface EnvVar {
  key: string;
  value: string | undefined;
  literal: boolean;
  path: (string | number)[];
}

/** A service (compose) or a container (live host), normalized for the rules. */
export interface Service {
  name: string;
  /** Compose file that declared it (compose mode, or the compose label on a live container). */
  file?: string;
  container?: { id: string; name: string; state: string; imageId?: string };
  /** Where the service is declared (its key in `services:`). */
  declaredAt?: SourceLoc;
  /** `${VAR}` left unresolved in exposure-relevant fields (ports, image, volumes, network_mode). */
  unresolved: { path: (string | number)[]; vars: string[] }[];
  image?: string;
  hasBuild: boolean;
  ports: PortBinding[];
  expose: number[];
  /** Networks the service joins (compose: explicit or ['default']). */
  networks: string[];
  networkMode?: string;
  privileged: boolean;
  user?: string;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  namespaces: { pid?: string; ipc?: string; uts?: string; userns?: string; cgroup?: string };
  mounts: MountSpec[];
  devices: string[];
  environment: EnvVar[];
  readOnly: boolean;
  limits: { memory: boolean; cpus: boolean; pids: boolean };
  logging?: { driver?: string; options: Record<string, string> };
  healthcheck: 'defined' | 'disabled' | 'absent' | 'image';
  restart?: string;
  command: string;
  dependsOn: string[];
  labels: Record<string, string>;
  /** Looks up the source location of a path inside this service (compose mode only). */
  at(path: (string | number)[]): SourceLoc | undefined;
}

/** A top-level network. */
export interface NetworkSpec {
  name: string;
  internal: boolean;
  external: boolean;
  driver?: string;
  options: Record<string, string>;
}

/** What the daemon reports (host mode). */
export interface DaemonFacts {
  serverVersion?: string;
  securityOptions: string[];
  warnings: string[];
  loggingDriver?: string;
  liveRestore?: boolean;
  experimental?: boolean;
  storageDriver?: string;
  authzPlugins: string[];
  swarmActive: boolean;
  insecureRegistries: string[];
  firewallBackend?: string;
  /** Image reference → image id as tagged now (for drift checks). */
  imageIds: Record<string, string>;
  defaultBridgeIcc?: boolean;
  /** DOCKER_HOST used by the auditor (to flag plain TCP). */
  endpoint?: string;
}

/** Firewall facts the rules read (from a snapshot). */
export interface FirewallFacts {
  kind: 'iptables' | 'nftables' | 'none';
  /** Why the snapshot cannot decide reachability, when it cannot. */
  notAssessable?: string;
  dockerNat: boolean;
  ufwActive: boolean;
  firewalldActive: boolean;
  /** DOCKER-USER rules that match a host port/IP instead of the post-DNAT container port/IP. */
  ineffective: { rule: string; reason: string; service?: string }[];
  /** DOCKER-USER RETURN/ACCEPT rules for private source ranges (LAN-open). */
  lanOpen: string[];
}

/** Everything the rules see. */
export interface AuditModel {
  mode: AuditMode;
  services: Service[];
  networks: NetworkSpec[];
  daemon?: DaemonFacts;
  firewall?: FirewallFacts;
}

/** What a rule reports; the engine adds location, fingerprint and suppression. */
export interface RuleHit {
  service?: Service;
  severity: Severity;
  message: string;
  /** Path of the offending item inside the service; used for line:column. */
  path?: (string | number)[];
  /** Stable key identifying the evidence (not the message, not the line). */
  evidenceKey: string;
  evidence?: Record<string, string | number | boolean>;
  reachability?: Reachability;
}

/** One audit rule: pure, one per file under rules/. */
export interface Rule {
  id: string;
  title: string;
  category: RuleCategory;
  /** How severity is decided, in words (for docs and SARIF help). */
  severityText: string;
  /** The default severity (SARIF defaultConfiguration). */
  defaultSeverity: Severity;
  description: string;
  fix: string;
  sources: string[];
  modes: AuditMode[];
  check(model: AuditModel): RuleHit[];
}

/** A finding as reported. */
export interface Finding {
  id: string;
  ruleId: string;
  severity: Severity;
  category: RuleCategory;
  title: string;
  message: string;
  service?: string;
  location?: SourceLoc & { path?: string };
  container?: { id: string; name: string };
  evidence: Record<string, string | number | boolean>;
  reachability?: Reachability;
  fix: string;
  references: string[];
  suppressed: boolean;
  suppression?: { kind: 'inSource' | 'baseline'; reason: string };
}

/** A problem that kept the audit from a complete verdict (exit 2), never shown as a finding. */
export interface AuditError {
  file?: string;
  line?: number;
  column?: number;
  message: string;
}

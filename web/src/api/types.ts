// Shapes of the API answers the UI reads (docs/api; the contract of issues 3 and 4). Docker-sourced strings are hostile.

export interface User {
  id: string;
  username: string;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string;
}

export type ScopeType = 'all' | 'host' | 'tag';

export interface Grant {
  id: string;
  role: string;
  permissions: string[];
  scopeType: ScopeType;
  scopeValue: string | null;
  createdAt?: string;
}

export interface Me {
  user: User;
  via: 'session' | 'token';
  mustChangePassword: boolean;
  csrfToken?: string;
  grants: Grant[];
  /** Optional features this server offers. */
  features?: { exec: boolean };
}

export interface LoginAnswer {
  user: User;
  csrfToken: string;
  mustChangePassword: boolean;
}

export interface Session {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  clientIp: string | null;
  userAgent: string | null;
}

export interface HostStatus {
  online: boolean;
  dockerVersion?: string;
  containers?: number;
  error?: { code: string; message: string };
}

export interface Host {
  id: string;
  name: string;
  kind: 'local' | 'agent';
  tags: string[];
  status: HostStatus;
  lastSeenAt?: string | null;
  enrolled?: boolean;
  /** SHA256 fingerprint of the enrolled agent key; the agent logs its own at start. */
  agentKeyFingerprint?: string | null;
  /** What the agent reported at its last handshake. */
  agentPolicy?: string | null;
}

export interface HostCreated {
  host: Host;
  token: string;
  command: string;
}

export interface Port {
  ip?: string;
  privatePort: number;
  publicPort?: number;
  type: string;
}

export interface Container {
  hostId: string;
  hostName: string;
  id: string;
  name: string;
  names: string[];
  image: string;
  imageId: string;
  state: string;
  status: string;
  created: number;
  labels: Record<string, string>;
  ports: Port[];
}

export interface ContainerList {
  containers: Container[];
  hosts: { hostId: string; hostName: string; error?: { code: string; message: string } }[];
}

export type ContainerAction = 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause' | 'remove';

export interface BulkResult {
  host: string;
  id: string;
  ok: boolean;
  error?: { code: string; message: string };
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
  time?: string;
}

export interface Stats {
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  networkRxBytes: number;
  networkTxBytes: number;
  blockReadBytes: number;
  blockWriteBytes: number;
  pids: number;
  time: string;
}

export interface AuditRecord {
  seq: number;
  time: string;
  actor: string;
  actorType: string;
  action: string;
  result: 'success' | 'denied' | 'error';
  target: string | null;
  clientIp: string | null;
  userAgent?: string | null;
  details: Record<string, unknown>;
  hash?: string;
}

export type AuditVerify = { ok: true; count: number } | { ok: false; badSeq: number; reason?: string; count?: number };

export interface Role {
  id: string;
  name: string;
  builtin: boolean;
  permissions: string[];
  createdAt: string;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface SecurityStats {
  since: string;
  rateLimited: Record<string, number>;
  rateLimitedTotal: number;
  lockouts: number;
  loginFailures: number;
  loginSuccesses: number;
}

/** A message of WS /api/v1/live. */
export type LiveMessage =
  | { type: 'hello' }
  | { type: 'container'; hostId: string; hostName: string; id: string; name: string; action: string; state?: string; time: string | number }
  | { type: 'host'; hostId: string; online: boolean };

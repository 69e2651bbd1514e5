// Shared types of the policy engine: requests in, decisions out.

/** A Docker Engine API operation name, e.g. `container.create`, `system.ping`. */
export type Operation = string;

/** Constraints applied to request bodies of operations that can grant host root. */
export interface BodyConstraints {
  /** Allow `HostConfig.Privileged` and privileged exec. */
  allowPrivileged: boolean;
  /** Absolute host paths (prefix match on path boundaries) that may be bind-mounted; empty = none. */
  allowBindMounts: readonly string[];
  /** Allow host namespaces (PID, IPC, network, UTS, userns, cgroupns) and `container:<id>` sharing. */
  allowHostNamespaces: boolean;
  /** Allow `Devices`, `DeviceCgroupRules`, `DeviceRequests`. */
  allowDevices: boolean;
  /** Capabilities (without the CAP_ prefix, upper case) that may be added; `ALL` is never implied. */
  allowCapabilities: readonly string[];
  /** Allow seccomp/apparmor/label unconfined, inline seccomp profiles and empty MaskedPaths/ReadonlyPaths. */
  allowUnconfined: boolean;
  /** Allow mounting the Docker socket (or any path ending in docker.sock) even when binds are allowed. */
  allowDockerSocket: boolean;
  /** Allow sysctls, CgroupParent, alternate runtimes, OCI annotations, and LogConfig drivers that ship data off-host. */
  allowRuntimeTweaks: boolean;
  /** Maximum request body size in bytes for inspected bodies (413 past it). */
  maxBodyBytes: number;
}

/** What the route parser makes of a raw request target. */
export interface ParsedRequest {
  method: string;
  /** Decoded, canonical path without the version prefix, e.g. `/containers/abc/json`. */
  path: string;
  /** The API version given in the path (`1.41`), or undefined when unversioned. */
  version: string | undefined;
  /** Raw query string without `?` (may be empty). */
  rawQuery: string;
  /** Query parameters, Go-style: first value wins in `get`, all values kept. */
  query: URLSearchParams;
}

/** The verdict for one request. */
export interface Decision {
  allow: boolean;
  /** Operation name, or `unknown` when the route is not a Docker Engine API route. */
  operation: Operation;
  /** The rule that decided (e.g. `env:CONTAINERS`, `body:privileged`, `route:unknown`). */
  rule: string;
  /** Human-readable reason; safe to show (never contains secrets). */
  reason: string;
  /** HTTP status to answer with when denied (403 by default, 400 for malformed, 413 for too large). */
  status: number;
}

/** Result of body inspection: on allow, `body` is the canonical re-serialised body to forward. */
export type BodyVerdict =
  | { allow: true; body: Buffer }
  | { allow: false; rule: string; reason: string; status: number };

// The Host seam: what every Docker host (local socket or agent tunnel) offers the control plane.
import type { Readable } from 'node:stream';
import type {
  ContainerInspect, ContainerSummary, ContainerTop, DockerEvent, ExecSession, Filters, JsonObject, LogChunk, LogsOptions, PullProgress, QueryValue,
  RawRequest, RawResponse, RawStream,
} from '../docker/index.js';
import type { Decision, PolicyEngine } from '../policy/index.js';

/** Where a host's Engine API lives: the server's own socket, or a remote agent. */
export type HostKind = 'local' | 'agent';

/** HTTP methods of the Engine API routes. */
export type EngineMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/**
 * One Engine API call as a host sends it. `operation` is the policy engine's name for it; the
 * policy must match the request to that same operation or the call is refused (fail closed).
 */
export interface EngineRequest {
  operation: string;
  method: EngineMethod;
  /** Unversioned path with its segments percent-encoded, e.g. `/containers/abc/start`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** A JSON body; serialised once, and the bytes the policy checked are the bytes sent. */
  body?: JsonObject;
  /** Extra request headers (e.g. X-Registry-Auth); never shown to the policy's logs or errors. */
  headers?: Record<string, string>;
  /** The answer is a stream (logs, events, pull): no total deadline. */
  stream?: boolean;
  signal?: AbortSignal;
}

/** An answer from {@link Host.call}: 2xx only (errors are thrown), with the decision that let it through. */
export interface EngineResponse<B> extends RawResponse<B> {
  decision: Decision;
}

/**
 * The transport under a host: anything that sends a raw Engine API request. DockerClient fits it
 * (unix socket, TCP, TLS); an agent tunnel supplies its own.
 */
export interface EngineChannel {
  readonly target: { readonly description: string };
  request(req: RawRequest & { stream: true }): Promise<RawResponse<Readable>>;
  request(req: RawRequest & { stream?: false }): Promise<RawResponse<Buffer>>;
  /** A hijacked call (exec start): the raw full-duplex stream once the daemon answered 101. Already policy-checked. */
  hijackRaw(req: { operation: string; path: string; body: JsonObject; signal?: AbortSignal }): Promise<RawStream>;
  close(): Promise<void>;
}

/** One policy decision of a host; carries no headers or body (they may hold secrets). */
export interface DecisionEvent {
  hostId: string;
  method: EngineMethod;
  /** Path and query as checked, unversioned. */
  target: string;
  decision: Decision;
  /** The policy denied, but in observe mode, so the call went through. */
  observed: boolean;
}

/** Told about every policy decision a host makes (allowed, denied, or let through in observe mode). */
export type DecisionListener = (event: DecisionEvent) => void;

/** A failure summarised for an API answer: a PC_ERR code, the HTTP status and a safe message. */
export interface HostErrorInfo {
  code: string;
  status: number;
  message: string;
}

/** What {@link Host.status} reports; it never throws (a down host is `online: false` with `error`). */
export interface HostStatus {
  id: string;
  name: string;
  kind: HostKind;
  tags: string[];
  online: boolean;
  /** ISO time of this check. */
  checkedAt: string;
  /** Round trip of the status calls, in ms (when online). */
  latencyMs?: number;
  docker?: { version: string; apiVersion: string; os: string; arch: string; kernel: string };
  counts?: { containers: number; running: number; paused: number; stopped: number; images: number };
  error?: HostErrorInfo;
}

/** Options of the stop and restart calls; `t` is the grace period in seconds before SIGKILL. */
export interface StopOptions { t?: number; signal?: AbortSignal }

/** Options of {@link HostOperations.containerLogs}: the Docker client's own (stdout and stderr default to true). */
export type HostLogsOptions = LogsOptions;

/** Options of {@link HostOperations.events}. */
export interface HostEventsOptions {
  since?: number | string;
  until?: number | string;
  filters?: Filters;
  signal?: AbortSignal;
}

/** Options of {@link HostOperations.execContainer}: the command and how it runs. */
export interface HostExecOptions {
  cmd: string[];
  /** Allocate a terminal (output is then one raw stream). Default false. */
  tty?: boolean;
  /** Attach stdin (default true); false half-closes it at once. */
  stdin?: boolean;
  user?: string;
  workingDir?: string;
  /** `KEY=value` entries. */
  env?: string[];
  signal?: AbortSignal;
}

/** A running exec: its session plus the exec id (for the audit log). */
export interface HostExec extends ExecSession {
  readonly execId: string;
}

/** Options shared by calls that take nothing else. */
export interface CallOpts { signal?: AbortSignal }

/** The typed Docker operations every host offers; each one goes through {@link Host.call}. */
export interface HostOperations {
  ping(opts?: CallOpts): Promise<void>;
  version(opts?: CallOpts): Promise<JsonObject>;
  info(opts?: CallOpts): Promise<JsonObject>;
  events(opts?: HostEventsOptions): AsyncGenerator<DockerEvent>;

  listContainers(opts?: CallOpts & { all?: boolean; filters?: Filters; size?: boolean }): Promise<ContainerSummary[]>;
  inspectContainer(id: string, opts?: CallOpts): Promise<ContainerInspect>;
  topContainer(id: string, opts?: CallOpts & { psArgs?: string }): Promise<ContainerTop>;
  containerLogs(id: string, opts?: HostLogsOptions): AsyncGenerator<LogChunk>;
  containerStats(id: string, opts?: CallOpts): Promise<JsonObject>;
  streamContainerStats(id: string, opts?: CallOpts): AsyncGenerator<JsonObject>;
  createContainer(body: JsonObject, opts?: CallOpts & { name?: string }): Promise<{ Id: string; Warnings: string[] }>;
  startContainer(id: string, opts?: CallOpts): Promise<void>;
  stopContainer(id: string, opts?: StopOptions): Promise<void>;
  restartContainer(id: string, opts?: StopOptions): Promise<void>;
  killContainer(id: string, opts?: CallOpts & { killSignal?: string }): Promise<void>;
  pauseContainer(id: string, opts?: CallOpts): Promise<void>;
  unpauseContainer(id: string, opts?: CallOpts): Promise<void>;
  removeContainer(id: string, opts?: CallOpts & { force?: boolean; volumes?: boolean }): Promise<void>;
  renameContainer(id: string, name: string, opts?: CallOpts): Promise<void>;
  /** Creates an exec in the container and starts it hijacked (exec.create with its body checked, then exec.start). */
  execContainer(id: string, opts: HostExecOptions): Promise<HostExec>;

  listImages(opts?: CallOpts & { all?: boolean; filters?: Filters }): Promise<JsonObject[]>;
  inspectImage(name: string, opts?: CallOpts): Promise<JsonObject>;
  removeImage(name: string, opts?: CallOpts & { force?: boolean; noprune?: boolean }): Promise<JsonObject[]>;
  pruneImages(filters?: Filters, opts?: CallOpts): Promise<JsonObject>;
  pullImage(fromImage: string, tag: string | undefined, opts?: CallOpts & { registryAuth?: string; onProgress?: (p: PullProgress) => void }): Promise<void>;

  listNetworks(opts?: CallOpts & { filters?: Filters }): Promise<JsonObject[]>;
  inspectNetwork(id: string, opts?: CallOpts): Promise<JsonObject>;
  createNetwork(body: JsonObject, opts?: CallOpts): Promise<{ Id: string; Warning?: string }>;
  removeNetwork(id: string, opts?: CallOpts): Promise<void>;

  listVolumes(opts?: CallOpts & { filters?: Filters }): Promise<{ Volumes: JsonObject[] | null; Warnings: string[] | null }>;
  inspectVolume(name: string, opts?: CallOpts): Promise<JsonObject>;
  removeVolume(name: string, opts?: CallOpts & { force?: boolean }): Promise<void>;
  pruneVolumes(filters?: Filters, opts?: CallOpts): Promise<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }>;
}

/**
 * A Docker host. Every Engine API call goes through {@link Host.call}, which asks the host's own
 * policy engine first; handlers never branch on local versus agent.
 */
export interface Host extends HostOperations {
  readonly id: string;
  readonly name: string;
  readonly kind: HostKind;
  readonly tags: readonly string[];
  /** The host's own policy (agents enforce theirs even against the control plane). */
  readonly policy: PolicyEngine;
  /** Counts the calls that may change state (anything but GET/HEAD) sent so far; list caches compare it. */
  readonly writes?: number;
  /** Checks `req` against the policy (throws HostPolicyDenied), then sends it; non-2xx throws DockerError. */
  call(req: EngineRequest & { stream: true }): Promise<EngineResponse<Readable>>;
  call(req: EngineRequest & { stream?: false }): Promise<EngineResponse<Buffer>>;
  /** Online state, Docker version and counts; never throws. */
  status(opts?: CallOpts): Promise<HostStatus>;
  /** Replaces the host's tags (normalised: trimmed, lower case, unique). */
  setTags(tags: readonly string[]): void;
  /** Ends open streams and the connection. */
  close(): Promise<void>;
}

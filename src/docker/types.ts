// Light types for Docker Engine API payloads: the fields Portcullis reads, the rest left open.
import type { Readable } from 'node:stream';

/** Options every client call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** A JSON object whose remaining fields we do not model. */
export type JsonObject = Record<string, unknown>;

/** `filters` as the Engine API takes them: key → accepted values. */
export type Filters = Record<string, string[]>;

/** One event from GET /events. */
export interface DockerEvent extends JsonObject {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  scope?: string;
  time?: number;
  timeNano?: number;
  /** Older fields kept by dockerd for containers. */
  status?: string;
  id?: string;
  from?: string;
}

/** A piece of container output. `raw` means the container has a TTY, so the streams are merged. */
export interface LogChunk {
  stream: 'stdout' | 'stderr' | 'raw';
  data: Buffer;
}

/** One published or exposed port in a container listing. */
export interface PortSummary {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

/** One entry of GET /containers/json. */
export interface ContainerSummary extends JsonObject {
  Id: string;
  Names: string[];
  Image: string;
  ImageID?: string;
  Command?: string;
  Created?: number;
  State: string;
  Status: string;
  Labels: Record<string, string>;
  Ports: PortSummary[];
  HostConfig?: { NetworkMode?: string } & JsonObject;
  NetworkSettings?: { Networks?: Record<string, JsonObject> } & JsonObject;
  Mounts?: JsonObject[];
}

/** GET /containers/{id}/json. */
export interface ContainerInspect extends JsonObject {
  Id: string;
  Name: string;
  Image: string;
  Created?: string;
  State: { Status: string; Running: boolean; Paused: boolean; ExitCode: number; Pid?: number } & JsonObject;
  Config: { Tty: boolean; Image?: string; Labels?: Record<string, string>; Env?: string[]; Cmd?: string[] } & JsonObject;
  HostConfig: JsonObject;
  NetworkSettings: { Networks?: Record<string, JsonObject>; Ports?: JsonObject } & JsonObject;
  Mounts: JsonObject[];
}

/** GET /_ping, as headers. */
export interface PingInfo {
  apiVersion: string | undefined;
  osType: string | undefined;
  experimental: boolean;
  builderVersion: string | undefined;
}

/** GET /containers/{id}/top. */
export interface ContainerTop {
  Titles: string[];
  Processes: string[][];
}

/** POST /containers/{id}/wait. */
export interface WaitResult {
  StatusCode: number;
  Error?: { Message?: string } | null;
}

/** GET /exec/{id}/json. */
export interface ExecInspect extends JsonObject {
  ID: string;
  Running: boolean;
  ExitCode: number | null;
  ContainerID: string;
  ProcessConfig?: { tty?: boolean; entrypoint?: string; arguments?: string[] } & JsonObject;
  Pid?: number;
}

/** One line of the POST /images/create progress stream. */
export interface PullProgress extends JsonObject {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { code?: number; message?: string };
}

/** A running exec whose stdio is hijacked from the HTTP connection. */
export interface ExecSession {
  /** The exec's stdout (for a TTY: everything the terminal prints). Read it, or the exec stalls. */
  readonly stdout: Readable;
  /** The exec's stderr; ends at once for a TTY exec. Read it too, or call `stderr.resume()`. */
  readonly stderr: Readable;
  /** Whether the exec has a TTY (output is then raw, not multiplexed). */
  readonly tty: boolean;
  /** Writes to the exec's stdin; resolves once the data is handed to the socket. */
  write(data: string | Uint8Array): Promise<void>;
  /** Half-closes: the process sees EOF on stdin while its output keeps flowing. */
  end(): void;
  /** Resizes the exec's TTY. */
  resize(size: { h: number; w: number }, opts?: CallOptions): Promise<void>;
  /** Tears the connection down at once (the process may keep running). */
  destroy(): void;
  /** Settles when the output has ended: the exit code from inspect, or null when unknown. */
  readonly done: Promise<{ exitCode: number | null }>;
}

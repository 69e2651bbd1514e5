// EngineHost: a Host over any Engine API channel, every call passing the host's policy engine first.
import type { Readable } from 'node:stream';
import {
  DockerError, createExecSession, httpError,
  type ContainerInspect, type ExecInspect, type ContainerSummary, type ContainerTop, type DockerEvent, type Filters, type JsonObject, type LogChunk,
  type PullProgress, type RawRequest,
} from '../docker/index.js';
import type { PolicyEngine } from '../policy/index.js';
import { HostPolicyDenied } from './errors.js';
import { gateRequest, requestTarget, type GatedRequest } from './gate.js';
import { engineRequests as R } from './requests.js';
import { readHostStatus } from './status.js';
import { guarded, jsonLines, logChunks, logFraming, readCapped } from './streams.js';
import type {
  CallOpts, DecisionListener, EngineChannel, EngineRequest, EngineResponse, Host, HostEventsOptions, HostExec, HostExecOptions, HostKind,
  HostLogsOptions, HostStatus, StopOptions,
} from './types.js';

/** Options of {@link EngineHost}. */
export interface EngineHostOptions {
  id: string;
  name: string;
  kind: HostKind;
  tags?: readonly string[];
  /** How requests reach the Engine API (a DockerClient, or an agent tunnel). The host owns it and closes it. */
  channel: EngineChannel;
  /** The host's own policy; every call is checked against it before anything is sent. */
  policy: PolicyEngine;
  onDecision?: DecisionListener;
}

/** Trims, lower-cases and de-duplicates tags; drops empty ones. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter((t) => t !== ''))];
}

/** Names the real operation in errors the channel raised for its generic `raw` call. */
function relabel(err: unknown, operation: string): unknown {
  if (!(err instanceof DockerError) || err.operation !== 'raw') return err;
  const message = err.message.startsWith('raw ') ? `${operation} ${err.message.slice(4)}` : err.message;
  return new DockerError(message, { statusCode: err.statusCode, operation, ...(err.code ? { code: err.code } : {}), cause: err });
}

/**
 * A Docker host reached through an {@link EngineChannel}. Local and agent-backed hosts differ only
 * in their channel and policy; the typed operations and the policy gate are the same.
 */
export class EngineHost implements Host {
  readonly id: string;
  readonly name: string;
  readonly kind: HostKind;
  readonly policy: PolicyEngine;
  protected readonly channel: EngineChannel;
  private tagList: string[];
  private readonly onDecision: DecisionListener | undefined;
  private writeCount = 0;

  constructor(opts: EngineHostOptions) {
    this.id = opts.id;
    this.name = opts.name;
    this.kind = opts.kind;
    this.policy = opts.policy;
    this.channel = opts.channel;
    this.tagList = normalizeTags(opts.tags ?? []);
    this.onDecision = opts.onDecision;
  }

  get tags(): readonly string[] {
    return this.tagList;
  }

  get writes(): number {
    return this.writeCount;
  }

  setTags(tags: readonly string[]): void {
    this.tagList = normalizeTags(tags);
  }

  call(req: EngineRequest & { stream: true }): Promise<EngineResponse<Readable>>;
  call(req: EngineRequest & { stream?: false }): Promise<EngineResponse<Buffer>>;
  async call(req: EngineRequest): Promise<EngineResponse<Buffer> | EngineResponse<Readable>> {
    const { decision, body, target } = this.gate(req);
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    // counted when sent and again when answered: a listing taken while a write is in flight is never reused
    if (write) this.writeCount += 1;
    const raw: RawRequest = {
      method: req.method,
      path: target,
      headers: { ...req.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    };
    try {
      if (req.stream === true) {
        const res = await this.channel.request({ ...raw, stream: true });
        if (res.status >= 400) throw httpError(req.operation, res.status, await readCapped(res.body));
        return { ...res, decision };
      }
      const res = await this.channel.request({ ...raw, stream: false });
      if (res.status >= 400) throw httpError(req.operation, res.status, res.body);
      return { ...res, decision };
    } catch (err) {
      throw relabel(err, req.operation);
    } finally {
      if (write) this.writeCount += 1;
    }
  }

  /** Runs `req` through the policy (telling the decision listener), or throws HostPolicyDenied. */
  protected gate(req: EngineRequest): GatedRequest {
    let gated;
    try {
      gated = gateRequest(this.policy, this.id, req);
    } catch (err) {
      if (err instanceof HostPolicyDenied) this.onDecision?.({ hostId: this.id, method: req.method, target: requestTarget(req), decision: err.decision, observed: false });
      throw err;
    }
    this.onDecision?.({ hostId: this.id, method: req.method, target: gated.target, decision: gated.decision, observed: gated.observed });
    return gated;
  }

  status(opts: CallOpts = {}): Promise<HostStatus> {
    return readHostStatus(this, opts);
  }

  async close(): Promise<void> {
    await this.channel.close();
  }

  async ping(o?: CallOpts): Promise<void> {
    await this.call({ ...R.ping(o), stream: false });
  }

  version(o?: CallOpts): Promise<JsonObject> {
    return this.json(R.version(o));
  }

  info(o?: CallOpts): Promise<JsonObject> {
    return this.json(R.info(o));
  }

  async *events(o: HostEventsOptions = {}): AsyncGenerator<DockerEvent> {
    yield* this.jsonStream<DockerEvent>(R.events(o));
  }

  listContainers(o?: CallOpts & { all?: boolean; filters?: Filters; size?: boolean }): Promise<ContainerSummary[]> {
    return this.json(R.listContainers(o));
  }

  inspectContainer(id: string, o?: CallOpts): Promise<ContainerInspect> {
    return this.json(R.inspectContainer(id, o));
  }

  topContainer(id: string, o?: CallOpts & { psArgs?: string }): Promise<ContainerTop> {
    return this.json(R.topContainer(id, o));
  }

  /**
   * Container output. dockerd 20.10 (API 1.41) does not say in the content type whether the stream
   * is multiplexed, so the container is inspected (through the policy too) to learn whether it has a TTY.
   */
  async *containerLogs(id: string, o: HostLogsOptions = {}): AsyncGenerator<LogChunk> {
    const req = R.containerLogs(id, o);
    const res = await this.call({ ...req, stream: true });
    let framing = logFraming(res.headers['content-type']);
    if (framing === undefined) {
      try {
        framing = (await this.inspectContainer(id, o.signal ? { signal: o.signal } : {})).Config.Tty ? 'raw' : 'multiplexed';
      } catch (err) {
        res.body.destroy();
        throw err;
      }
    }
    yield* guarded(res.body, logChunks(res.body, framing === 'multiplexed', req.operation), req.operation, o.signal);
  }

  containerStats(id: string, o?: CallOpts): Promise<JsonObject> {
    return this.json(R.containerStats(id, { ...o, stream: false }));
  }

  async *streamContainerStats(id: string, o?: CallOpts): AsyncGenerator<JsonObject> {
    yield* this.jsonStream<JsonObject>(R.containerStats(id, { ...o, stream: true }));
  }

  createContainer(body: JsonObject, o?: CallOpts & { name?: string }): Promise<{ Id: string; Warnings: string[] }> {
    return this.json(R.createContainer(body, o));
  }

  startContainer(id: string, o?: CallOpts): Promise<void> {
    return this.void(R.startContainer(id, o));
  }

  stopContainer(id: string, o?: StopOptions): Promise<void> {
    return this.void(R.stopContainer(id, o));
  }

  restartContainer(id: string, o?: StopOptions): Promise<void> {
    return this.void(R.restartContainer(id, o));
  }

  killContainer(id: string, o?: CallOpts & { killSignal?: string }): Promise<void> {
    return this.void(R.killContainer(id, o));
  }

  pauseContainer(id: string, o?: CallOpts): Promise<void> {
    return this.void(R.pauseContainer(id, o));
  }

  unpauseContainer(id: string, o?: CallOpts): Promise<void> {
    return this.void(R.unpauseContainer(id, o));
  }

  removeContainer(id: string, o?: CallOpts & { force?: boolean; volumes?: boolean }): Promise<void> {
    return this.void(R.removeContainer(id, o));
  }

  renameContainer(id: string, name: string, o?: CallOpts): Promise<void> {
    return this.void(R.renameContainer(id, name, o));
  }

  /**
   * Creates an exec (its body checked by the policy like any exec.create) and starts it hijacked
   * (exec.start checked too). The caller must read stdout and stderr, and destroy() when done.
   */
  async execContainer(id: string, o: HostExecOptions): Promise<HostExec> {
    const tty = o.tty === true;
    const body: JsonObject = {
      AttachStdin: o.stdin !== false, AttachStdout: true, AttachStderr: true, Tty: tty, Cmd: o.cmd,
      ...(o.user !== undefined ? { User: o.user } : {}), ...(o.workingDir !== undefined ? { WorkingDir: o.workingDir } : {}),
      ...(o.env !== undefined ? { Env: o.env } : {}),
    };
    const sigOpt = o.signal ? { signal: o.signal } : {};
    const { Id: execId } = await this.json<{ Id: string }>(R.createExec(id, body, sigOpt));
    const start = R.startExec(execId, tty, sigOpt);
    const gated = this.gate(start);
    let raw;
    try {
      raw = await this.channel.hijackRaw({ operation: start.operation, path: gated.target, body: { Detach: false, Tty: tty }, ...sigOpt });
    } catch (err) {
      throw relabel(err, start.operation);
    }
    const session = createExecSession(raw, tty, {
      operation: start.operation,
      inspect: () => this.json<ExecInspect>(R.inspectExec(execId)),
      resize: (size, ro) => this.void(R.resizeExec(execId, size, ro)),
      onClose: () => undefined,
    });
    if (o.stdin === false) session.end();
    if (o.signal) {
      const signal = o.signal;
      const onAbort = (): void => session.destroy();
      signal.addEventListener('abort', onAbort, { once: true });
      raw.socket.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    return Object.assign(session, { execId });
  }

  listImages(o?: CallOpts & { all?: boolean; filters?: Filters }): Promise<JsonObject[]> {
    return this.json(R.listImages(o));
  }

  inspectImage(name: string, o?: CallOpts): Promise<JsonObject> {
    return this.json(R.inspectImage(name, o));
  }

  removeImage(name: string, o?: CallOpts & { force?: boolean; noprune?: boolean }): Promise<JsonObject[]> {
    return this.json(R.removeImage(name, o));
  }

  pruneImages(filters?: Filters, o?: CallOpts): Promise<JsonObject> {
    return this.json(R.pruneImages(filters, o));
  }

  /** Pulls an image, handing each progress line to `onProgress`; rejects when a line carries an error. */
  async pullImage(fromImage: string, tag: string | undefined, o: CallOpts & { registryAuth?: string; onProgress?: (p: PullProgress) => void } = {}): Promise<void> {
    const req = R.pullImage(fromImage, tag, o);
    for await (const event of this.jsonStream<PullProgress | null>(req)) {
      if (event?.errorDetail !== undefined || event?.error !== undefined) {
        throw new DockerError(event.errorDetail?.message ?? event.error ?? 'image pull failed', { statusCode: event.errorDetail?.code ?? 500, operation: req.operation });
      }
      if (event) o.onProgress?.(event);
    }
    // the stream ends quietly on abort; a pull cut short must not read as a success
    if (o.signal?.aborted) throw new DockerError(`${req.operation} was aborted`, { statusCode: 0, operation: req.operation, code: 'ABORTED' });
  }

  listNetworks(o?: CallOpts & { filters?: Filters }): Promise<JsonObject[]> {
    return this.json(R.listNetworks(o));
  }

  inspectNetwork(id: string, o?: CallOpts): Promise<JsonObject> {
    return this.json(R.inspectNetwork(id, o));
  }

  createNetwork(body: JsonObject, o?: CallOpts): Promise<{ Id: string; Warning?: string }> {
    return this.json(R.createNetwork(body, o));
  }

  removeNetwork(id: string, o?: CallOpts): Promise<void> {
    return this.void(R.removeNetwork(id, o));
  }

  listVolumes(o?: CallOpts & { filters?: Filters }): Promise<{ Volumes: JsonObject[] | null; Warnings: string[] | null }> {
    return this.json(R.listVolumes(o));
  }

  inspectVolume(name: string, o?: CallOpts): Promise<JsonObject> {
    return this.json(R.inspectVolume(name, o));
  }

  removeVolume(name: string, o?: CallOpts & { force?: boolean }): Promise<void> {
    return this.void(R.removeVolume(name, o));
  }

  pruneVolumes(filters?: Filters, o?: CallOpts): Promise<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }> {
    return this.json(R.pruneVolumes(filters, o));
  }

  /** A finite call whose JSON answer is returned (undefined for an empty body). */
  protected async json<T>(req: EngineRequest): Promise<T> {
    const res = await this.call({ ...req, stream: false });
    if (res.body.length === 0) return undefined as T;
    try {
      return JSON.parse(res.body.toString('utf8')) as T;
    } catch (err) {
      throw new DockerError(`${req.operation}: the daemon sent invalid JSON`, { statusCode: res.status, operation: req.operation, code: 'PROTOCOL', cause: err });
    }
  }

  protected async void(req: EngineRequest): Promise<void> {
    await this.call({ ...req, stream: false });
  }

  protected async *jsonStream<T>(req: EngineRequest): AsyncGenerator<T> {
    const res = await this.call({ ...req, stream: true });
    yield* guarded(res.body, jsonLines<T>(res.body), req.operation, req.signal);
  }
}

// System and container operations of the Docker client (the exec/image/network/volume ones are in client.ts).
import { parseJsonLines } from './json-lines.js';
import { framingFromContentType, guardStream, outputChunks, readAll, type StreamContext } from './streams.js';
import { DockerTransport, seg, sig } from './transport.js';
import { DockerError } from './errors.js';
import type {
  CallOptions, ContainerInspect, ContainerSummary, ContainerTop, DockerEvent, Filters, JsonObject, LogChunk, WaitResult,
} from './types.js';

/** Options of {@link ContainerApi.containerLogs}. stdout and stderr default to true. */
export interface LogsOptions extends CallOptions {
  follow?: boolean;
  tail?: number | 'all';
  since?: number | string;
  until?: number | string;
  stdout?: boolean;
  stderr?: boolean;
  timestamps?: boolean;
}

/** Extra time granted to stop/restart beyond the container's own grace period. */
const GRACE_SLACK_MS = 15_000;

/** System and container calls; {@link DockerClient} adds the rest. */
export class ContainerApi extends DockerTransport {
  /** GET /version. */
  version(opts: CallOptions = {}): Promise<JsonObject> {
    return this.json('system.version', { method: 'GET', path: '/version', ...sig(opts.signal) });
  }

  /** GET /info. */
  info(opts: CallOptions = {}): Promise<JsonObject> {
    return this.json('system.info', { method: 'GET', path: '/info', ...sig(opts.signal) });
  }

  /** GET /events as a stream of events; ends quietly when `signal` aborts (or at `until`). */
  async *events(opts: CallOptions & { since?: number | string; until?: number | string; filters?: Filters } = {}): AsyncGenerator<DockerEvent> {
    const operation = 'system.events';
    const query = { since: opts.since, until: opts.until, filters: opts.filters };
    const res = await this.sendStream(operation, { method: 'GET', path: '/events', query, ...sig(opts.signal) });
    yield* guardStream(res.body, parseJsonLines(res.body) as AsyncIterable<DockerEvent>, this.streamContext(operation, opts.signal));
  }

  /** GET /containers/json. */
  listContainers(opts: CallOptions & { all?: boolean; filters?: Filters; size?: boolean } = {}): Promise<ContainerSummary[]> {
    const query = { all: opts.all, filters: opts.filters, size: opts.size };
    return this.json('container.list', { method: 'GET', path: '/containers/json', query, ...sig(opts.signal) });
  }

  /** GET /containers/{id}/json. */
  inspectContainer(id: string, opts: CallOptions = {}): Promise<ContainerInspect> {
    return this.json('container.inspect', { method: 'GET', path: `/containers/${seg(id)}/json`, ...sig(opts.signal) });
  }

  /** POST /containers/create with the Engine API body; returns the new id and warnings. */
  createContainer(body: JsonObject, opts: CallOptions & { name?: string; platform?: string } = {}): Promise<{ Id: string; Warnings: string[] }> {
    const query = { name: opts.name, platform: opts.platform };
    return this.json('container.create', { method: 'POST', path: '/containers/create', query, body, ...sig(opts.signal) });
  }

  /** POST /containers/{id}/start (already started is not an error). */
  async startContainer(id: string, opts: CallOptions = {}): Promise<void> {
    await this.send('container.start', { method: 'POST', path: `/containers/${seg(id)}/start`, ...sig(opts.signal) });
  }

  /** POST /containers/{id}/stop; `t` is the grace period in seconds before SIGKILL. */
  async stopContainer(id: string, opts: CallOptions & { t?: number; stopSignal?: string } = {}): Promise<void> {
    const req = { method: 'POST', path: `/containers/${seg(id)}/stop`, query: { t: opts.t, signal: opts.stopSignal }, ...sig(opts.signal) };
    await this.send('container.stop', req, true, this.graceTimeout(opts.t));
  }

  /** POST /containers/{id}/restart; `t` as for stop. */
  async restartContainer(id: string, opts: CallOptions & { t?: number } = {}): Promise<void> {
    const req = { method: 'POST', path: `/containers/${seg(id)}/restart`, query: { t: opts.t }, ...sig(opts.signal) };
    await this.send('container.restart', req, true, this.graceTimeout(opts.t));
  }

  /**
   * POST /containers/{id}/kill. The process signal (e.g. 'SIGTERM', default SIGKILL) is given as
   * `signal: 'SIGTERM'` or `killSignal`; an AbortSignal in `signal` cancels the call as elsewhere.
   */
  async killContainer(id: string, opts: { signal?: AbortSignal | string; killSignal?: string } = {}): Promise<void> {
    const abort = typeof opts.signal === 'string' ? undefined : opts.signal;
    const killSignal = opts.killSignal ?? (typeof opts.signal === 'string' ? opts.signal : undefined);
    await this.send('container.kill', { method: 'POST', path: `/containers/${seg(id)}/kill`, query: { signal: killSignal }, ...sig(abort) });
  }

  /** POST /containers/{id}/pause. */
  async pauseContainer(id: string, opts: CallOptions = {}): Promise<void> {
    await this.send('container.pause', { method: 'POST', path: `/containers/${seg(id)}/pause`, ...sig(opts.signal) });
  }

  /** POST /containers/{id}/unpause. */
  async unpauseContainer(id: string, opts: CallOptions = {}): Promise<void> {
    await this.send('container.unpause', { method: 'POST', path: `/containers/${seg(id)}/unpause`, ...sig(opts.signal) });
  }

  /** DELETE /containers/{id}; `v` also removes anonymous volumes. */
  async removeContainer(id: string, opts: CallOptions & { force?: boolean; v?: boolean } = {}): Promise<void> {
    await this.send('container.remove', { method: 'DELETE', path: `/containers/${seg(id)}`, query: { force: opts.force, v: opts.v }, ...sig(opts.signal) });
  }

  /** POST /containers/{id}/rename. */
  async renameContainer(id: string, name: string, opts: CallOptions = {}): Promise<void> {
    await this.send('container.rename', { method: 'POST', path: `/containers/${seg(id)}/rename`, query: { name }, ...sig(opts.signal) });
  }

  /** GET /containers/{id}/top. */
  topContainer(id: string, opts: CallOptions & { psArgs?: string } = {}): Promise<ContainerTop> {
    return this.json('container.top', { method: 'GET', path: `/containers/${seg(id)}/top`, query: { ps_args: opts.psArgs }, ...sig(opts.signal) });
  }

  /**
   * GET /containers/{id}/logs. Chunks are split into stdout/stderr when the container has no TTY
   * and tagged `raw` when it has one. The framing is read from the content type when the daemon
   * sends one (API ≥ 1.42); dockerd 20.10 does not, so the container is inspected then.
   * With `follow`, iteration ends quietly when `signal` aborts.
   */
  async *containerLogs(id: string, opts: LogsOptions = {}): AsyncGenerator<LogChunk> {
    const operation = 'container.logs';
    const query = {
      follow: opts.follow, stdout: opts.stdout ?? true, stderr: opts.stderr ?? true, tail: opts.tail, since: opts.since, until: opts.until, timestamps: opts.timestamps,
    };
    const res = await this.sendStream(operation, { method: 'GET', path: `/containers/${seg(id)}/logs`, query, ...sig(opts.signal) });
    let framing = framingFromContentType(res.headers['content-type']);
    if (framing === undefined) {
      try {
        framing = (await this.inspectContainer(id, sig(opts.signal))).Config.Tty ? 'raw' : 'multiplexed';
      } catch (err) {
        res.body.destroy();
        throw err;
      }
    }
    yield* guardStream(res.body, outputChunks(res.body, framing === 'multiplexed', operation), this.streamContext(operation, opts.signal));
  }

  /** GET /containers/{id}/stats: one sample when `stream` is false, else a stream of samples. */
  containerStats(id: string, opts: CallOptions & { stream: false; oneShot?: boolean }): Promise<JsonObject>;
  containerStats(id: string, opts?: CallOptions & { stream?: true }): AsyncGenerator<JsonObject>;
  containerStats(id: string, opts: CallOptions & { stream?: boolean; oneShot?: boolean } = {}): Promise<JsonObject> | AsyncGenerator<JsonObject> {
    const path = `/containers/${seg(id)}/stats`;
    if (opts.stream === false) {
      return this.json('container.stats', { method: 'GET', path, query: { stream: false, 'one-shot': opts.oneShot }, ...sig(opts.signal) });
    }
    return this.statsStream(path, opts.signal);
  }

  /** POST /containers/{id}/wait: resolves when the container reaches `condition`; no timeout. */
  async waitContainer(id: string, opts: CallOptions & { condition?: 'not-running' | 'next-exit' | 'removed' } = {}): Promise<WaitResult> {
    const operation = 'container.wait';
    const req = { method: 'POST', path: `/containers/${seg(id)}/wait`, query: { condition: opts.condition }, ...sig(opts.signal) };
    const res = await this.sendStream(operation, req, true, 0);
    let body: Buffer;
    try {
      body = await readAll(res.body);
    } catch (err) {
      throw this.failure(operation, err, opts.signal);
    }
    let result: WaitResult;
    try {
      result = JSON.parse(body.toString('utf8')) as WaitResult;
    } catch (err) {
      throw new DockerError(`${operation}: the daemon sent invalid JSON`, { statusCode: res.status, operation, code: 'PROTOCOL', cause: err });
    }
    if (result.Error?.Message) {
      throw new DockerError(result.Error.Message, { statusCode: res.status, operation });
    }
    return result;
  }

  /** Stream context naming this client's target and close signal. */
  protected streamContext(operation: string, signal: AbortSignal | undefined): StreamContext {
    return { operation, target: this.target.description, signal, closeSignal: this.closeSignal };
  }

  private async *statsStream(path: string, signal: AbortSignal | undefined): AsyncGenerator<JsonObject> {
    const operation = 'container.stats';
    const res = await this.sendStream(operation, { method: 'GET', path, query: { stream: true }, ...sig(signal) });
    yield* guardStream(res.body, parseJsonLines(res.body) as AsyncIterable<JsonObject>, this.streamContext(operation, signal));
  }

  private graceTimeout(t: number | undefined): number {
    return this.requestTimeoutMs + Math.max(0, t ?? 10) * 1000 + GRACE_SLACK_MS;
  }
}

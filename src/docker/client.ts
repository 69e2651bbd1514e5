// DockerClient: exec, image, network and volume operations on top of the system/container calls.
import { ContainerApi } from './containers-api.js';
import { DockerError } from './errors.js';
import { createExecSession, type RawStream } from './exec-session.js';
import { hijack } from './hijack.js';
import { parseJsonLines } from './json-lines.js';
import { optionsFromDockerHost } from './target.js';
import { seg, sig, type DockerClientOptions } from './transport.js';
import type { CallOptions, ExecInspect, ExecSession, Filters, JsonObject, PullProgress } from './types.js';

/** Options of {@link DockerClient.pullImage}. `registryAuth` is the base64 X-Registry-Auth value; it is never logged. */
export interface PullOptions extends CallOptions {
  onProgress?: (event: PullProgress) => void;
  registryAuth?: string;
  platform?: string;
}

/**
 * A thin Docker Engine API client over undici: unix socket, TCP or TCP+TLS.
 *
 * @example
 * const docker = DockerClient.fromDockerHost(undefined); // /var/run/docker.sock
 * const containers = await docker.listContainers({ all: true });
 * await docker.close();
 */
export class DockerClient extends ContainerApi {
  /**
   * Builds a client from a DOCKER_HOST value (unix:///path, tcp://host:port, https://…; default
   * /var/run/docker.sock). `extra` adds TLS material (tcp:// then means TLS), timeouts or a pinned version.
   */
  static fromDockerHost(dockerHost: string | undefined, extra: Omit<DockerClientOptions, 'socketPath' | 'url'> = {}): DockerClient {
    return new DockerClient({ ...extra, ...optionsFromDockerHost(dockerHost) });
  }

  /** POST /containers/{id}/exec with the Engine API body (Cmd, AttachStdin, Tty…); returns the exec id. */
  createExec(id: string, body: JsonObject, opts: CallOptions = {}): Promise<{ Id: string }> {
    return this.json('container.exec.create', { method: 'POST', path: `/containers/${seg(id)}/exec`, body, ...sig(opts.signal) });
  }

  /**
   * POST /exec/{id}/start, hijacked (`Connection: Upgrade, Upgrade: tcp`, answer 101). `tty` must
   * match the exec's Tty (it is looked up when omitted). `stdin: false` half-closes stdin at once.
   * `signal` cancels the start and, once started, tears the session down when it aborts.
   */
  async startExec(execId: string, opts: CallOptions & { tty?: boolean; stdin?: boolean } = {}): Promise<ExecSession> {
    const operation = 'exec.start';
    const tty = opts.tty ?? (await this.inspectExec(execId, sig(opts.signal))).ProcessConfig?.tty === true;
    const path = await this.fullPath({ path: `/exec/${seg(execId)}/start`, ...sig(opts.signal) });
    const hijacked = await hijack(this.target, operation, path, { Detach: false, Tty: tty }, {
      connectTimeoutMs: this.connectTimeoutMs,
      answerTimeoutMs: this.requestTimeoutMs,
      ...sig(opts.signal),
    });
    if (this.closeSignal.aborted) {
      hijacked.socket.destroy();
      throw new DockerError(`${operation} was cut short: the Docker client was closed`, { statusCode: 0, operation, code: 'CLOSED' });
    }
    const untrack = this.track(hijacked.socket);
    const session = createExecSession(hijacked, tty, {
      operation,
      inspect: () => this.inspectExec(execId),
      resize: (size, o) => this.resizeExec(execId, size, o),
      onClose: () => void untrack(),
    });
    if (opts.stdin === false) session.end();
    if (opts.signal) {
      const signal = opts.signal;
      const onAbort = (): void => session.destroy();
      signal.addEventListener('abort', onAbort, { once: true });
      hijacked.socket.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    return session;
  }

  /**
   * Sends `POST path` (unversioned; the negotiated version is added) hijacked, and hands back the raw
   * stream once the daemon answers 101. For host channels (EngineChannel.hijack): the caller checked
   * the request against its policy and owns the stream.
   */
  async hijackRaw(req: { operation: string; path: string; body: JsonObject; signal?: AbortSignal }): Promise<RawStream> {
    const path = await this.fullPath({ path: req.path, ...sig(req.signal) });
    const h = await hijack(this.target, req.operation, path, req.body, {
      connectTimeoutMs: this.connectTimeoutMs, answerTimeoutMs: this.requestTimeoutMs, ...sig(req.signal),
    });
    if (this.closeSignal.aborted) {
      h.socket.destroy();
      throw new DockerError(`${req.operation} was cut short: the Docker client was closed`, { statusCode: 0, operation: req.operation, code: 'CLOSED' });
    }
    const untrack = this.track(h.socket);
    h.socket.once('close', () => void untrack());
    return { socket: h.socket, head: h.head };
  }

  /** POST /exec/{id}/resize. */
  async resizeExec(execId: string, size: { h: number; w: number }, opts: CallOptions = {}): Promise<void> {
    await this.send('exec.resize', { method: 'POST', path: `/exec/${seg(execId)}/resize`, query: { h: size.h, w: size.w }, ...sig(opts.signal) });
  }

  /** GET /exec/{id}/json. */
  inspectExec(execId: string, opts: CallOptions = {}): Promise<ExecInspect> {
    return this.json('exec.inspect', { method: 'GET', path: `/exec/${seg(execId)}/json`, ...sig(opts.signal) });
  }

  /** GET /images/json. */
  listImages(opts: CallOptions & { all?: boolean; filters?: Filters } = {}): Promise<JsonObject[]> {
    return this.json('image.list', { method: 'GET', path: '/images/json', query: { all: opts.all, filters: opts.filters }, ...sig(opts.signal) });
  }

  /** GET /images/{name}/json. */
  inspectImage(name: string, opts: CallOptions = {}): Promise<JsonObject> {
    return this.json('image.inspect', { method: 'GET', path: `/images/${seg(name, true)}/json`, ...sig(opts.signal) });
  }

  /** DELETE /images/{name}; returns what was untagged and deleted. */
  removeImage(name: string, opts: CallOptions & { force?: boolean; noprune?: boolean } = {}): Promise<JsonObject[]> {
    const query = { force: opts.force, noprune: opts.noprune };
    return this.json('image.remove', { method: 'DELETE', path: `/images/${seg(name, true)}`, query, ...sig(opts.signal) });
  }

  /**
   * POST /images/create?fromImage=…&tag=…: reads the progress stream to its end (no total
   * timeout), handing each line to `onProgress`. Rejects with DockerError when the daemon refuses
   * or a line carries `error`/`errorDetail`.
   */
  async pullImage(fromImage: string, tag?: string, opts: PullOptions = {}): Promise<void> {
    const operation = 'image.pull';
    const headers: Record<string, string> = opts.registryAuth !== undefined ? { 'X-Registry-Auth': opts.registryAuth } : {};
    const query = { fromImage, tag, platform: opts.platform };
    const res = await this.sendStream(operation, { method: 'POST', path: '/images/create', query, headers, ...sig(opts.signal) });
    try {
      for await (const line of parseJsonLines(res.body)) {
        const event = (line ?? {}) as PullProgress;
        if (event.errorDetail !== undefined || event.error !== undefined) {
          const message = event.errorDetail?.message ?? event.error ?? 'image pull failed';
          throw new DockerError(message, { statusCode: event.errorDetail?.code ?? 500, operation });
        }
        opts.onProgress?.(event);
      }
    } catch (err) {
      if (err instanceof DockerError) throw err;
      throw this.failure(operation, err, opts.signal);
    } finally {
      res.body.destroy();
    }
  }

  /** GET /networks. */
  listNetworks(opts: CallOptions & { filters?: Filters } = {}): Promise<JsonObject[]> {
    return this.json('network.list', { method: 'GET', path: '/networks', query: { filters: opts.filters }, ...sig(opts.signal) });
  }

  /** GET /networks/{id}. */
  inspectNetwork(id: string, opts: CallOptions = {}): Promise<JsonObject> {
    return this.json('network.inspect', { method: 'GET', path: `/networks/${seg(id)}`, ...sig(opts.signal) });
  }

  /** POST /networks/create with the Engine API body (Name, Driver, Labels…). */
  createNetwork(body: JsonObject, opts: CallOptions = {}): Promise<{ Id: string; Warning?: string }> {
    return this.json('network.create', { method: 'POST', path: '/networks/create', body, ...sig(opts.signal) });
  }

  /** DELETE /networks/{id}. */
  async removeNetwork(id: string, opts: CallOptions = {}): Promise<void> {
    await this.send('network.remove', { method: 'DELETE', path: `/networks/${seg(id)}`, ...sig(opts.signal) });
  }

  /** POST /networks/prune; returns the names of the removed networks. */
  pruneNetworks(filters?: Filters, opts: CallOptions = {}): Promise<{ NetworksDeleted: string[] | null }> {
    return this.json('network.prune', { method: 'POST', path: '/networks/prune', query: { filters }, ...sig(opts.signal) });
  }

  /** GET /volumes. */
  listVolumes(opts: CallOptions & { filters?: Filters } = {}): Promise<{ Volumes: JsonObject[] | null; Warnings: string[] | null }> {
    return this.json('volume.list', { method: 'GET', path: '/volumes', query: { filters: opts.filters }, ...sig(opts.signal) });
  }

  /** GET /volumes/{name}. */
  inspectVolume(name: string, opts: CallOptions = {}): Promise<JsonObject> {
    return this.json('volume.inspect', { method: 'GET', path: `/volumes/${seg(name)}`, ...sig(opts.signal) });
  }

  /** POST /volumes/create with the Engine API body (Name, Driver, Labels…). */
  createVolume(body: JsonObject, opts: CallOptions = {}): Promise<JsonObject> {
    return this.json('volume.create', { method: 'POST', path: '/volumes/create', body, ...sig(opts.signal) });
  }

  /** DELETE /volumes/{name}. */
  async removeVolume(name: string, opts: CallOptions & { force?: boolean } = {}): Promise<void> {
    await this.send('volume.remove', { method: 'DELETE', path: `/volumes/${seg(name)}`, query: { force: opts.force }, ...sig(opts.signal) });
  }

  /**
   * POST /volumes/prune. On API ≥ 1.42 only anonymous volumes are pruned unless the filter
   * `all=true` is given; on 1.41 (dockerd 20.10) every unused volume matching the filters goes.
   */
  pruneVolumes(filters?: Filters, opts: CallOptions = {}): Promise<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }> {
    return this.json('volume.prune', { method: 'POST', path: '/volumes/prune', query: { filters }, ...sig(opts.signal) });
  }
}

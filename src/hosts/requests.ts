// Builds the Engine API request (operation, method, path, query, body) of each typed host operation.
import type { Filters, JsonObject } from '../docker/index.js';
import type { CallOpts, EngineRequest, HostEventsOptions, HostLogsOptions, StopOptions } from './types.js';

/** Encodes one path segment (ids, names); image references keep their slashes, as dockerd expects. */
export function pathSegment(value: string, keepSlashes = false): string {
  const encoded = encodeURIComponent(value);
  return keepSlashes ? encoded.replace(/%2F/gi, '/') : encoded;
}

const c = (id: string): string => `/containers/${pathSegment(id)}`;
const sig = (o: CallOpts | undefined): { signal?: AbortSignal } => (o?.signal ? { signal: o.signal } : {});

/**
 * The request builders, one per typed operation. Pure: nothing is sent here.
 * @example engineRequests.startContainer('web') // { operation: 'container.start', method: 'POST', path: '/containers/web/start' }
 */
export const engineRequests = {
  ping: (o?: CallOpts): EngineRequest => ({ operation: 'system.ping', method: 'GET', path: '/_ping', ...sig(o) }),
  version: (o?: CallOpts): EngineRequest => ({ operation: 'system.version', method: 'GET', path: '/version', ...sig(o) }),
  info: (o?: CallOpts): EngineRequest => ({ operation: 'system.info', method: 'GET', path: '/info', ...sig(o) }),
  events: (o: HostEventsOptions = {}): EngineRequest => ({
    operation: 'system.events', method: 'GET', path: '/events', stream: true,
    query: { since: o.since, until: o.until, filters: o.filters }, ...sig(o),
  }),

  listContainers: (o: CallOpts & { all?: boolean; filters?: Filters; size?: boolean } = {}): EngineRequest => ({
    operation: 'container.list', method: 'GET', path: '/containers/json', query: { all: o.all, filters: o.filters, size: o.size }, ...sig(o),
  }),
  inspectContainer: (id: string, o?: CallOpts): EngineRequest => ({ operation: 'container.inspect', method: 'GET', path: `${c(id)}/json`, ...sig(o) }),
  topContainer: (id: string, o: CallOpts & { psArgs?: string } = {}): EngineRequest => ({
    operation: 'container.top', method: 'GET', path: `${c(id)}/top`, query: { ps_args: o.psArgs }, ...sig(o),
  }),
  containerLogs: (id: string, o: HostLogsOptions = {}): EngineRequest => ({
    operation: 'container.logs', method: 'GET', path: `${c(id)}/logs`, stream: true,
    query: {
      follow: o.follow, stdout: o.stdout ?? true, stderr: o.stderr ?? true, tail: o.tail, since: o.since, until: o.until, timestamps: o.timestamps,
    },
    ...sig(o),
  }),
  containerStats: (id: string, o: CallOpts & { stream?: boolean } = {}): EngineRequest => ({
    operation: 'container.stats', method: 'GET', path: `${c(id)}/stats`, query: { stream: o.stream === true },
    ...(o.stream === true ? { stream: true } : {}), ...sig(o),
  }),
  createContainer: (body: JsonObject, o: CallOpts & { name?: string } = {}): EngineRequest => ({
    operation: 'container.create', method: 'POST', path: '/containers/create', query: { name: o.name }, body, ...sig(o),
  }),
  startContainer: (id: string, o?: CallOpts): EngineRequest => ({ operation: 'container.start', method: 'POST', path: `${c(id)}/start`, ...sig(o) }),
  stopContainer: (id: string, o: StopOptions = {}): EngineRequest => ({
    operation: 'container.stop', method: 'POST', path: `${c(id)}/stop`, query: { t: o.t }, ...sig(o),
  }),
  restartContainer: (id: string, o: StopOptions = {}): EngineRequest => ({
    operation: 'container.restart', method: 'POST', path: `${c(id)}/restart`, query: { t: o.t }, ...sig(o),
  }),
  killContainer: (id: string, o: CallOpts & { killSignal?: string } = {}): EngineRequest => ({
    operation: 'container.kill', method: 'POST', path: `${c(id)}/kill`, query: { signal: o.killSignal }, ...sig(o),
  }),
  pauseContainer: (id: string, o?: CallOpts): EngineRequest => ({ operation: 'container.pause', method: 'POST', path: `${c(id)}/pause`, ...sig(o) }),
  unpauseContainer: (id: string, o?: CallOpts): EngineRequest => ({ operation: 'container.unpause', method: 'POST', path: `${c(id)}/unpause`, ...sig(o) }),
  removeContainer: (id: string, o: CallOpts & { force?: boolean; volumes?: boolean } = {}): EngineRequest => ({
    operation: 'container.delete', method: 'DELETE', path: c(id), query: { force: o.force, v: o.volumes }, ...sig(o),
  }),
  renameContainer: (id: string, name: string, o?: CallOpts): EngineRequest => ({
    operation: 'container.rename', method: 'POST', path: `${c(id)}/rename`, query: { name }, ...sig(o),
  }),

  createExec: (id: string, body: JsonObject, o?: CallOpts): EngineRequest => ({
    operation: 'container.exec.create', method: 'POST', path: `${c(id)}/exec`, body, ...sig(o),
  }),
  inspectExec: (execId: string, o?: CallOpts): EngineRequest => ({ operation: 'exec.inspect', method: 'GET', path: `/exec/${pathSegment(execId)}/json`, ...sig(o) }),
  resizeExec: (execId: string, size: { h: number; w: number }, o?: CallOpts): EngineRequest => ({
    operation: 'exec.resize', method: 'POST', path: `/exec/${pathSegment(execId)}/resize`, query: { h: size.h, w: size.w }, ...sig(o),
  }),
  startExec: (execId: string, tty: boolean, o?: CallOpts): EngineRequest => ({
    operation: 'exec.start', method: 'POST', path: `/exec/${pathSegment(execId)}/start`, body: { Detach: false, Tty: tty }, ...sig(o),
  }),

  listImages: (o: CallOpts & { all?: boolean; filters?: Filters } = {}): EngineRequest => ({
    operation: 'image.list', method: 'GET', path: '/images/json', query: { all: o.all, filters: o.filters }, ...sig(o),
  }),
  inspectImage: (name: string, o?: CallOpts): EngineRequest => ({
    operation: 'image.inspect', method: 'GET', path: `/images/${pathSegment(name, true)}/json`, ...sig(o),
  }),
  removeImage: (name: string, o: CallOpts & { force?: boolean; noprune?: boolean } = {}): EngineRequest => ({
    operation: 'image.delete', method: 'DELETE', path: `/images/${pathSegment(name, true)}`, query: { force: o.force, noprune: o.noprune }, ...sig(o),
  }),
  pruneImages: (filters?: Filters, o?: CallOpts): EngineRequest => ({
    operation: 'image.prune', method: 'POST', path: '/images/prune', query: { filters }, ...sig(o),
  }),
  pullImage: (fromImage: string, tag: string | undefined, o: CallOpts & { registryAuth?: string } = {}): EngineRequest => ({
    operation: 'image.create', method: 'POST', path: '/images/create', query: { fromImage, tag }, stream: true,
    ...(o.registryAuth !== undefined ? { headers: { 'X-Registry-Auth': o.registryAuth } } : {}), ...sig(o),
  }),

  listNetworks: (o: CallOpts & { filters?: Filters } = {}): EngineRequest => ({
    operation: 'network.list', method: 'GET', path: '/networks', query: { filters: o.filters }, ...sig(o),
  }),
  inspectNetwork: (id: string, o?: CallOpts): EngineRequest => ({ operation: 'network.inspect', method: 'GET', path: `/networks/${pathSegment(id)}`, ...sig(o) }),
  createNetwork: (body: JsonObject, o?: CallOpts): EngineRequest => ({ operation: 'network.create', method: 'POST', path: '/networks/create', body, ...sig(o) }),
  removeNetwork: (id: string, o?: CallOpts): EngineRequest => ({ operation: 'network.delete', method: 'DELETE', path: `/networks/${pathSegment(id)}`, ...sig(o) }),

  listVolumes: (o: CallOpts & { filters?: Filters } = {}): EngineRequest => ({
    operation: 'volume.list', method: 'GET', path: '/volumes', query: { filters: o.filters }, ...sig(o),
  }),
  inspectVolume: (name: string, o?: CallOpts): EngineRequest => ({ operation: 'volume.inspect', method: 'GET', path: `/volumes/${pathSegment(name)}`, ...sig(o) }),
  removeVolume: (name: string, o: CallOpts & { force?: boolean } = {}): EngineRequest => ({
    operation: 'volume.delete', method: 'DELETE', path: `/volumes/${pathSegment(name)}`, query: { force: o.force }, ...sig(o),
  }),
  pruneVolumes: (filters?: Filters, o?: CallOpts): EngineRequest => ({
    operation: 'volume.prune', method: 'POST', path: '/volumes/prune', query: { filters }, ...sig(o),
  }),
} as const;

/** Name of a typed operation that has a request builder. */
export type EngineRequestName = keyof typeof engineRequests;

/**
 * The policy operation of each typed host operation, for authorising before the call
 * (e.g. `permissionForOperation(HOST_OPERATIONS.stopContainer)` → `container.operate`).
 */
export const HOST_OPERATIONS: Readonly<Record<EngineRequestName, string>> = {
  ping: 'system.ping', version: 'system.version', info: 'system.info', events: 'system.events',
  listContainers: 'container.list', inspectContainer: 'container.inspect', topContainer: 'container.top',
  containerLogs: 'container.logs', containerStats: 'container.stats', createContainer: 'container.create',
  startContainer: 'container.start', stopContainer: 'container.stop', restartContainer: 'container.restart',
  killContainer: 'container.kill', pauseContainer: 'container.pause', unpauseContainer: 'container.unpause',
  removeContainer: 'container.delete', renameContainer: 'container.rename',
  createExec: 'container.exec.create', inspectExec: 'exec.inspect', resizeExec: 'exec.resize', startExec: 'exec.start',
  listImages: 'image.list', inspectImage: 'image.inspect', removeImage: 'image.delete', pruneImages: 'image.prune', pullImage: 'image.create',
  listNetworks: 'network.list', inspectNetwork: 'network.inspect', createNetwork: 'network.create', removeNetwork: 'network.delete',
  listVolumes: 'volume.list', inspectVolume: 'volume.inspect', removeVolume: 'volume.delete', pruneVolumes: 'volume.prune',
};

// Public face of the Docker Engine client: DockerClient, DockerError, stream helpers and payload types.
export { DockerClient, type PullOptions } from './client.js';
export type { LogsOptions } from './containers-api.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, FALLBACK_API_VERSION, MAX_API_VERSION, compareApiVersions, encodeQuery, readCapped,
  type DockerClientOptions, type QueryValue, type RawRequest, type RawResponse,
} from './transport.js';
export { DockerError, httpError, type DockerErrorCode } from './errors.js';
export { DEFAULT_SOCKET_PATH, optionsFromDockerHost, resolveTarget, type DockerTarget, type DockerTlsOptions } from './target.js';
export { demuxDockerStream, StreamDemuxer, FRAME_HEADER_BYTES, MAX_BUFFERED_FRAME_BYTES, type DemuxFrame, type DemuxStream } from './demux.js';
export { parseJsonLines, MAX_JSON_LINE_BYTES } from './json-lines.js';
export type {
  CallOptions, ContainerInspect, ContainerSummary, ContainerTop, DockerEvent, ExecInspect, ExecSession, Filters, JsonObject,
  LogChunk, PingInfo, PortSummary, PullProgress, WaitResult,
} from './types.js';
export { createExecSession, type RawStream, type ExecSessionDeps } from './exec-session.js';

// Reading Engine API answers for hosts: daemon errors, log framing, JSON-line streams that end on abort.
import type { Readable } from 'node:stream';
import { DockerError, demuxDockerStream, parseJsonLines, type LogChunk } from '../docker/index.js';

/** Largest error body read from the daemon when a call is refused. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Reads at most `max` bytes of a stream (an error message), then drops the rest. */
export async function readCapped(body: Readable, max = MAX_ERROR_BODY_BYTES): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= max) break;
    }
  } finally {
    body.destroy();
  }
  return Buffer.concat(parts).subarray(0, max);
}

/** Whether a logs answer is multiplexed, from its content type; undefined when dockerd (< API 1.42) does not say. */
export function logFraming(contentType: string | string[] | undefined): 'multiplexed' | 'raw' | undefined {
  const ct = (Array.isArray(contentType) ? contentType[0] : contentType)?.toLowerCase() ?? '';
  if (ct.startsWith('application/vnd.docker.multiplexed-stream')) return 'multiplexed';
  if (ct.startsWith('application/vnd.docker.raw-stream')) return 'raw';
  return undefined;
}

/** Yields `inner` until it ends; ends quietly when `signal` aborts; destroys `body` when the consumer stops. */
export async function* guarded<T>(body: Readable, inner: AsyncIterable<T>, operation: string, signal: AbortSignal | undefined): AsyncGenerator<T> {
  try {
    yield* inner;
  } catch (err) {
    if (signal?.aborted) return;
    if (err instanceof DockerError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new DockerError(`${operation}: the stream broke: ${message}`, { statusCode: 0, operation, code: 'PROTOCOL', cause: err });
  } finally {
    body.destroy();
  }
}

/** Log chunks of a logs answer: demultiplexed into stdout/stderr, or `raw` for a TTY container. */
export async function* logChunks(body: Readable, multiplexed: boolean, operation: string): AsyncGenerator<LogChunk> {
  if (!multiplexed) {
    for await (const chunk of body as AsyncIterable<Buffer>) yield { stream: 'raw', data: chunk };
    return;
  }
  for await (const f of demuxDockerStream(body)) {
    if (f.stream === 'system') {
      throw new DockerError(`error from the daemon in the ${operation} stream: ${f.data.toString('utf8').trim()}`, { statusCode: 0, operation, code: 'PROTOCOL' });
    }
    yield { stream: f.stream, data: f.data };
  }
}

/** JSON values of a newline-delimited JSON answer (events, stats, pull progress). */
export function jsonLines<T>(body: Readable): AsyncIterable<T> {
  return parseJsonLines(body) as AsyncIterable<T>;
}

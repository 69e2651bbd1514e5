// Turns a streaming daemon answer into an async iterable that ends cleanly on abort or close.
import type { Readable } from 'node:stream';
import { DockerError, transportError } from './errors.js';
import { demuxDockerStream } from './demux.js';
import type { LogChunk } from './types.js';

/** Context of one stream: who may end it quietly, and how to name it in errors. */
export interface StreamContext {
  operation: string;
  target: string;
  signal?: AbortSignal | undefined;
  closeSignal: AbortSignal;
}

/**
 * Yields `inner` until it ends. When the caller's signal aborts or the client closes, iteration
 * ends without an error; other failures become DockerError. The body is destroyed when the
 * consumer stops early.
 */
export async function* guardStream<T>(body: Readable, inner: AsyncIterable<T>, ctx: StreamContext): AsyncGenerator<T> {
  try {
    yield* inner;
  } catch (err) {
    if (ctx.signal?.aborted || ctx.closeSignal.aborted) return;
    if (err instanceof DockerError) throw err;
    if (err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'string') throw transportError(ctx.operation, ctx.target, err);
    const message = err instanceof Error ? err.message : String(err);
    throw new DockerError(`${ctx.operation}: ${message}`, { statusCode: 0, operation: ctx.operation, code: 'PROTOCOL', cause: err });
  } finally {
    body.destroy();
  }
}

/** Output chunks of a logs/attach body: demultiplexed when `multiplexed`, else tagged `raw`. */
export async function* outputChunks(body: AsyncIterable<Uint8Array>, multiplexed: boolean, operation: string): AsyncGenerator<LogChunk> {
  if (!multiplexed) {
    for await (const chunk of body) yield { stream: 'raw', data: Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk) };
    return;
  }
  for await (const f of demuxDockerStream(body)) {
    if (f.stream === 'system') {
      throw new DockerError(`error from the daemon in the ${operation} stream: ${f.data.toString('utf8').trim()}`, { statusCode: 0, operation, code: 'PROTOCOL' });
    }
    yield { stream: f.stream, data: f.data };
  }
}

/** Reads a whole body without any deadline (for answers that arrive when something finishes). */
export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** Which framing a logs/attach answer uses, from its content type; undefined when the daemon does not say (API < 1.42). */
export function framingFromContentType(contentType: string | string[] | undefined): 'multiplexed' | 'raw' | undefined {
  const ct = (Array.isArray(contentType) ? contentType[0] : contentType)?.toLowerCase() ?? '';
  if (ct.startsWith('application/vnd.docker.multiplexed-stream')) return 'multiplexed';
  if (ct.startsWith('application/vnd.docker.raw-stream')) return 'raw';
  return undefined;
}

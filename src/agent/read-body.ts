// Reading request bodies on the agent with a per-body cap, a per-tunnel budget and a deadline.
import type { ServerHttp2Stream } from 'node:http2';

/** Bytes of request bodies buffered at once on one tunnel; a body that would pass it is refused ('busy'). */
export class BodyBudget {
  private used = 0;
  constructor(private readonly max: number) {}
  take(n: number): boolean {
    if (this.used + n > this.max) return false;
    this.used += n;
    return true;
  }
  give(n: number): void {
    this.used = Math.max(0, this.used - n);
  }
}

/** Reads a whole body: the bytes, 'too-large' past `max`, 'busy' past the tunnel's budget. Rejects after `deadlineMs` or when the stream dies. */
export function readBody(stream: ServerHttp2Stream, max: number, budget: BodyBudget, deadlineMs: number): Promise<Buffer | 'too-large' | 'busy'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => finish(new Error('the request body did not arrive in time')), deadlineMs);
    const finish = (result: Buffer | 'too-large' | 'busy' | Error): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onClose);
      budget.give(size);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (c: Buffer): void => {
      if (size + c.length > max) return finish('too-large');
      if (!budget.take(c.length)) return finish('busy');
      size += c.length;
      chunks.push(c);
    };
    const onEnd = (): void => finish(Buffer.concat(chunks));
    const onClose = (): void => finish(new Error('the stream closed before its body ended'));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onClose);
  });
}

/**
 * A hijacked call's JSON body arrives first and the stream then stays open for stdin, so only
 * `length` bytes are read as the body; any bytes past it are stdin and are kept for dockerd.
 */
export function readHijackBody(stream: ServerHttp2Stream, length: number, max: number, deadlineMs: number): Promise<{ body: Buffer; rest: Buffer } | 'too-large'> {
  if (!Number.isInteger(length) || length < 0 || length > max) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => fail(new Error('the exec start body did not arrive in time')), deadlineMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onClose);
    };
    const fail = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const done = (): void => {
      cleanup();
      stream.pause();
      const all = Buffer.concat(chunks);
      resolve({ body: all.subarray(0, length), rest: all.subarray(length) });
    };
    const onData = (c: Buffer): void => {
      chunks.push(c);
      size += c.length;
      if (size >= length) done();
    };
    const onEnd = (): void => (size >= length ? done() : fail(new Error('the exec start body ended early')));
    const onClose = (): void => fail(new Error('the stream closed before the exec start body'));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onClose);
    if (length === 0) done();
  });
}

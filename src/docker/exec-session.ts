// ExecSession over a hijacked socket: demuxed stdout/stderr Readables, stdin writes, half-close.
import { PassThrough, type Duplex } from 'node:stream';
import { DockerError } from './errors.js';
import { StreamDemuxer } from './demux.js';
import type { CallOptions, ExecInspect, ExecSession } from './types.js';

/** How long `done` keeps asking whether the exec has finished after its output ended. */
const EXIT_POLL_ATTEMPTS = 20;
const EXIT_POLL_INTERVAL_MS = 50;

/** A hijacked connection: any duplex byte stream (a daemon socket, a tunnel stream) and bytes already read. */
export interface RawStream {
  socket: Duplex;
  head: Buffer;
}

/** What the session needs from the client. */
export interface ExecSessionDeps {
  operation: string;
  inspect(): Promise<ExecInspect>;
  resize(size: { h: number; w: number }, opts?: CallOptions): Promise<void>;
  /** Called once the socket is gone (for the client's bookkeeping). */
  onClose(): void;
}

/**
 * Wraps a hijacked exec socket. Output is demultiplexed unless `tty`; backpressure from either
 * Readable pauses the socket, so both must be consumed.
 */
export function createExecSession(h: RawStream, tty: boolean, deps: ExecSessionDeps): ExecSession {
  const { socket } = h;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  if (tty) stderr.end();
  const demuxer = tty ? undefined : new StreamDemuxer();
  let failure: Error | undefined;

  const deliver = (target: PassThrough, data: Buffer): void => {
    if (!target.write(data)) {
      socket.pause();
      target.once('drain', () => socket.resume());
    }
  };
  const onData = (chunk: Buffer): void => {
    if (!demuxer) {
      deliver(stdout, chunk);
      return;
    }
    try {
      for (const f of demuxer.push(chunk)) {
        if (f.stream === 'system') {
          failure = new DockerError(`error from the daemon in the exec stream: ${f.data.toString('utf8').trim()}`, { statusCode: 0, operation: deps.operation, code: 'PROTOCOL' });
          continue;
        }
        deliver(f.stream === 'stderr' ? stderr : stdout, f.data);
      }
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
      socket.destroy();
    }
  };

  const ended = new Promise<void>((resolve) => {
    socket.once('close', () => {
      for (const f of demuxer?.flush() ?? []) if (f.stream !== 'system') (f.stream === 'stderr' ? stderr : stdout).write(f.data);
      stdout.end();
      stderr.end();
      deps.onClose();
      resolve();
    });
  });
  socket.on('data', onData);
  socket.on('error', (err) => {
    failure ??= err;
  });
  if (h.head.length > 0) onData(h.head);

  const done = ended.then(async () => {
    if (failure) throw failure;
    for (let i = 0; i < EXIT_POLL_ATTEMPTS; i++) {
      const info = await deps.inspect();
      if (!info.Running) return { exitCode: info.ExitCode };
      await new Promise((r) => setTimeout(r, EXIT_POLL_INTERVAL_MS));
    }
    return { exitCode: null };
  });
  // callers may never look at `done`; keep its rejection from becoming unhandled
  done.catch(() => undefined);

  return {
    stdout,
    stderr,
    tty,
    done,
    write(data: string | Uint8Array): Promise<void> {
      return new Promise((resolve, reject) => {
        if (socket.destroyed || socket.writableEnded) {
          reject(new DockerError('exec stdin is closed', { statusCode: 0, operation: deps.operation, code: 'CLOSED' }));
          return;
        }
        socket.write(data, (err) => (err ? reject(err) : resolve()));
      });
    },
    end(): void {
      if (!socket.destroyed && !socket.writableEnded) socket.end();
    },
    resize: (size, opts) => deps.resize(size, opts),
    destroy(): void {
      socket.destroy();
    },
  };
}

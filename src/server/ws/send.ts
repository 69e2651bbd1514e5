// Sending to a WebSocket with backpressure: a producer waits while the socket's buffer is over the high-water mark.
import { WebSocket } from 'ws';

/** Bytes buffered on a socket above which a producer (a Docker stream) waits for it to drain. */
export const WS_HIGH_WATER_BYTES = 256 * 1024;

/** The part of a ws WebSocket that paced sending needs (a fake in unit tests). */
export interface PacedSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string, cb?: (err?: Error) => void): void;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/**
 * Sends `data`; when the socket already holds `highWater` bytes or more, resolves only once this frame
 * (and so everything before it) has been written out, or the socket closed. Awaiting it between reads
 * leaves a Docker stream unread, so TCP backpressure pauses the daemon's side too.
 */
export function sendPaced(socket: PacedSocket, data: string, highWater = WS_HIGH_WATER_BYTES): Promise<void> {
  if (socket.readyState !== WebSocket.OPEN) return Promise.resolve();
  if (socket.bufferedAmount < highWater) {
    socket.send(data);
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const done = (): void => {
      socket.off('close', done);
      resolve();
    };
    socket.once('close', done);
    socket.send(data, done);
  });
}

/**
 * Sends the messages made from each item of `source` (JSON), pacing on the socket's buffer. Stops
 * reading, which ends the source (its finally runs), as soon as the socket is no longer open.
 * Resolves true when the source ended first, false when the socket closed first.
 */
export async function pump<T>(socket: PacedSocket, source: AsyncIterable<T>, toMessages: (item: T) => readonly unknown[], highWater = WS_HIGH_WATER_BYTES): Promise<boolean> {
  for await (const item of source) {
    if (socket.readyState !== WebSocket.OPEN) return false;
    for (const m of toMessages(item)) await sendPaced(socket, JSON.stringify(m), highWater);
  }
  return socket.readyState === WebSocket.OPEN;
}

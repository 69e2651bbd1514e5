// A tunnel WebSocket as a Duplex byte stream for HTTP/2 (binary messages only, ended with the socket).
import type { Duplex } from 'node:stream';
import { createWebSocketStream, type WebSocket } from 'ws';

/**
 * Wraps `ws` as a Duplex. Call it synchronously in the handler of the last handshake message:
 * the peer's first HTTP/2 bytes can arrive in the same tick, and a late listener would lose them.
 * Text messages after the handshake are a protocol error and end the connection.
 */
export function tunnelDuplex(ws: WebSocket): Duplex {
  const duplex = createWebSocketStream(ws, { allowHalfOpen: false });
  ws.on('message', (_data, isBinary) => {
    if (!isBinary) ws.close(1003, 'text message after the handshake');
  });
  // An error on the socket surfaces through the duplex; keep it from becoming an uncaught exception.
  duplex.on('error', () => undefined);
  return duplex;
}

// The agent's side of a tunnel: an HTTP/2 server session over the WebSocket duplex.
import http2, { type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { Duplex } from 'node:stream';
import { H2_MAX_SESSION_MEMORY_MB, H2_SETTINGS } from './limits.js';

/** Handles one request of the control plane (one HTTP/2 stream). */
export type TunnelStreamHandler = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void;

/**
 * Serves HTTP/2 over `duplex` (the agent is the HTTP/2 server) and returns the session. Each stream
 * goes to `onStream`; the session ends with the duplex.
 */
export function serveTunnel(duplex: Duplex, onStream: TunnelStreamHandler): ServerHttp2Session {
  const server = http2.createServer({ settings: H2_SETTINGS, maxSessionMemory: H2_MAX_SESSION_MEMORY_MB, maxHeaderListPairs: 256 });
  let session: ServerHttp2Session | undefined;
  server.on('session', (s) => {
    session = s;
    s.on('error', () => undefined);
  });
  server.on('stream', onStream);
  server.emit('connection', duplex);
  if (!session) throw new Error('the HTTP/2 session did not start');
  const s = session;
  // HTTP/2 must never write after the duplex ended (Node asserts and aborts the process)
  const end = (): void => {
    if (!s.destroyed) s.destroy();
  };
  duplex.once('end', end);
  duplex.once('close', end);
  return s;
}

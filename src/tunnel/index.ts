// Public face of src/tunnel: the WebSocket ⇄ HTTP/2 plumbing shared by the server (client side) and the agent (server side).
export * from './limits.js';
export {
  answerChallenge, keyFingerprint, loadEd25519Key, privateKeyFingerprint, newChallenge, parseChallenge, parseHello, parseReady, signedPayload, verifyHello, HandshakeError,
  type Challenge, type Hello, type Ready,
} from './handshake.js';
export { tunnelDuplex } from './duplex.js';
export { startHeartbeat, type HeartbeatOptions } from './heartbeat.js';
export { TunnelChannel, connectTunnel } from './channel.js';
export { serveTunnel, type TunnelStreamHandler } from './serve.js';
export { backoffDelay } from './backoff.js';

// Named limits and timers of the agent tunnel (WebSocket + HTTP/2), shared by the server and the agent.

/** Path the agents dial on the control plane. */
export const AGENT_CONNECT_PATH = '/agent/v1/connect';
/** Version of the handshake; both sides refuse another. */
export const TUNNEL_PROTOCOL = 'portcullis-tunnel-v1';
/** Largest handshake message (challenge, hello, ready); larger ones end the connection. */
export const MAX_HANDSHAKE_MESSAGE_BYTES = 8 * 1024;
/** Time the agent has to answer the challenge, and the server to say ready. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/** Largest WebSocket message on the tunnel (HTTP/2 frames are 16 KiB, the stream wrapper may join a few). */
export const MAX_TUNNEL_MESSAGE_BYTES = 1024 * 1024;

/** Both sides ping this often. */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** A side that heard nothing (no pong, no data) for this long is dead: the connection is cut (offline within 45 s). */
export const HEARTBEAT_DEAD_AFTER_MS = 30_000;

/** HTTP/2 settings of the tunnel: explicit, so neither side inherits a default it did not choose. */
export const H2_SETTINGS = {
  maxConcurrentStreams: 128,
  initialWindowSize: 1024 * 1024,
  maxFrameSize: 16_384,
  maxHeaderListSize: 64 * 1024,
  enablePush: false,
} as const;
/** Memory one HTTP/2 session may use for its buffers, in MB (node:http2 maxSessionMemory). */
export const H2_MAX_SESSION_MEMORY_MB = 32;

/** Finite calls through the tunnel (anything but streams) must finish within this. */
export const TUNNEL_CALL_TIMEOUT_MS = 60_000;
/** Largest finite answer read into memory (inspect, lists): a hostile agent must not be able to exhaust the server. */
export const MAX_TUNNEL_ANSWER_BYTES = 8 * 1024 * 1024;

/** Reconnect backoff: full jitter between 0 and min(cap, base × 2^attempt). */
export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_CAP_MS = 60_000;

/** Header the server sets on a hijacked call (exec start); the agent answers 200 and then relays raw bytes. */
export const HIJACK_HEADER = 'x-portcullis-hijack';
/** Header carrying the length of a hijacked call's JSON body (content-length would make HTTP/2 end the stream there). */
export const HIJACK_BODY_LENGTH_HEADER = 'x-portcullis-body-length';
/** Header the agent sets when its own policy refused a call; the value is the rule, the body says why. */
export const DENIED_HEADER = 'x-portcullis-denied';

// The tunnel handshake: challenge → hello (Ed25519 signature over a fresh nonce) → ready, as JSON text messages.
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { MAX_HANDSHAKE_MESSAGE_BYTES, TUNNEL_PROTOCOL } from './limits.js';

/** Server → agent, first message after the upgrade. */
export interface Challenge {
  type: 'challenge';
  protocol: string;
  hostId: string;
  /** 32 random bytes, base64url; used once. */
  nonce: string;
  /** Whether the server already holds this host's public key (else the hello enrolls it). */
  enrolled: boolean;
}

/** Agent → server: its public key and a signature over the challenge. */
export interface Hello {
  type: 'hello';
  protocol: string;
  /** SPKI DER, base64. */
  publicKey: string;
  /** Ed25519 signature over {@link signedPayload}, base64. */
  signature: string;
  agentVersion: string;
  /** The agent's policy name (`read-only`, `operator`, `full`, `file`), for display only. */
  policy: string;
}

/** Server → agent: the handshake succeeded; HTTP/2 starts with the next message. */
export interface Ready {
  type: 'ready';
  hostId: string;
  hostName: string;
}

/** Anything that can go wrong reading a handshake message. */
export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
}

/** The bytes an agent signs: protocol, host id and nonce, so a signature is valid for one connection only. */
export function signedPayload(hostId: string, nonce: string): Buffer {
  return Buffer.from(`${TUNNEL_PROTOCOL}\nagent-auth\n${hostId}\n${nonce}`, 'utf8');
}

/** A fresh challenge for `hostId`. */
export function newChallenge(hostId: string, enrolled: boolean): Challenge {
  return { type: 'challenge', protocol: TUNNEL_PROTOCOL, hostId, nonce: randomBytes(32).toString('base64url'), enrolled };
}

/** The agent's answer to `challenge`, signed with its private key. */
export function answerChallenge(challenge: Challenge, key: KeyObject, meta: { agentVersion: string; policy: string }): Hello {
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
  const signature = sign(null, signedPayload(challenge.hostId, challenge.nonce), key).toString('base64');
  return { type: 'hello', protocol: TUNNEL_PROTOCOL, publicKey, signature, agentVersion: meta.agentVersion.slice(0, 64), policy: meta.policy.slice(0, 32) };
}

/** True when `hello` carries a valid Ed25519 signature over this connection's nonce by `publicKey` (SPKI DER base64). */
export function verifyHello(hello: Hello, hostId: string, nonce: string, publicKey: string): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return false;
  }
  if (key.asymmetricKeyType !== 'ed25519') return false;
  try {
    return verify(null, signedPayload(hostId, nonce), key, Buffer.from(hello.signature, 'base64'));
  } catch {
    return false;
  }
}

function parseObject(data: unknown): Record<string, unknown> {
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : typeof data === 'string' ? data : undefined;
  if (text === undefined) throw new HandshakeError('handshake messages are JSON text');
  if (Buffer.byteLength(text) > MAX_HANDSHAKE_MESSAGE_BYTES) throw new HandshakeError('handshake message too large');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new HandshakeError('handshake message is not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HandshakeError('handshake message is not an object');
  return v as Record<string, unknown>;
}

const str = (o: Record<string, unknown>, k: string, max: number): string => {
  const v = o[k];
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new HandshakeError(`handshake field ${k} is missing or invalid`);
  return v;
};

/** Fields shown to people (version, policy name) are plain tokens: letters, digits and . _ : + -. */
function token(v: string, k: string): string {
  if (!/^[A-Za-z0-9._:+-]+$/.test(v)) throw new HandshakeError(`handshake field ${k} has characters outside A-Z a-z 0-9 . _ : + -`);
  return v;
}

function checkProtocol(o: Record<string, unknown>): void {
  if (o.protocol !== TUNNEL_PROTOCOL) throw new HandshakeError(`unsupported tunnel protocol (this side speaks ${TUNNEL_PROTOCOL})`);
}

/** Reads a challenge (agent side). */
export function parseChallenge(data: unknown): Challenge {
  const o = parseObject(data);
  if (o.type !== 'challenge') throw new HandshakeError('expected a challenge');
  checkProtocol(o);
  if (typeof o.enrolled !== 'boolean') throw new HandshakeError('handshake field enrolled is missing');
  return { type: 'challenge', protocol: TUNNEL_PROTOCOL, hostId: str(o, 'hostId', 128), nonce: str(o, 'nonce', 128), enrolled: o.enrolled };
}

/** Reads a hello (server side). */
export function parseHello(data: unknown): Hello {
  const o = parseObject(data);
  if (o.type !== 'hello') throw new HandshakeError('expected a hello');
  checkProtocol(o);
  return {
    type: 'hello', protocol: TUNNEL_PROTOCOL, publicKey: str(o, 'publicKey', 256), signature: str(o, 'signature', 256),
    agentVersion: token(str(o, 'agentVersion', 64), 'agentVersion'), policy: token(str(o, 'policy', 32), 'policy'),
  };
}

/** Reads the ready message (agent side). */
export function parseReady(data: unknown): Ready {
  const o = parseObject(data);
  if (o.type !== 'ready') throw new HandshakeError(typeof o.message === 'string' ? `refused: ${o.message.slice(0, 200)}` : 'expected ready');
  return { type: 'ready', hostId: str(o, 'hostId', 128), hostName: str(o, 'hostName', 128) };
}

/**
 * The fingerprint people compare: `SHA256:` + base64 (no padding) of the SPKI DER, as OpenSSH prints keys.
 * The agent logs it at start; the API shows the enrolled one.
 */
export function keyFingerprint(spkiDerBase64: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(spkiDerBase64, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

/** The fingerprint of the public half of a private key. */
export function privateKeyFingerprint(key: KeyObject): string {
  return keyFingerprint(createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64'));
}

/** Loads a PEM private key (PKCS#8); throws unless it is Ed25519. */
export function loadEd25519Key(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new HandshakeError('the agent key must be Ed25519');
  return key;
}

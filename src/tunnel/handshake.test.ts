// Unit tests of the tunnel handshake: signatures bound to one nonce and host, message parsing and its size limit.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  HandshakeError, answerChallenge, loadEd25519Key, newChallenge, parseChallenge, parseHello, parseReady, signedPayload, verifyHello,
  type Hello,
} from './handshake.js';
import { MAX_HANDSHAKE_MESSAGE_BYTES, TUNNEL_PROTOCOL } from './limits.js';

const HOST = '0b7c1f2e-2d5a-4c1e-9a7d-3f1e2b4c5d6e';
const META = { agentVersion: '0.1.0', policy: 'operator' };
const edKey = (): KeyObject => generateKeyPairSync('ed25519').privateKey;

/** A JSON text of exactly `size` bytes carrying `fields` (padded with a `pad` field). */
function sized(fields: Record<string, unknown>, size: number): string {
  const base = JSON.stringify({ ...fields, pad: '' });
  const text = JSON.stringify({ ...fields, pad: 'p'.repeat(size - Buffer.byteLength(base)) });
  expect(Buffer.byteLength(text)).toBe(size);
  return text;
}

function failure(fn: () => unknown): HandshakeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HandshakeError) return err;
    throw err;
  }
  throw new Error('expected a HandshakeError');
}

describe('signatures', () => {
  it('accepts a hello signed by the key it names, over this connection’s nonce', () => {
    const key = edKey();
    const c = newChallenge(HOST, false);
    const hello = answerChallenge(c, key, META);
    expect(hello).toMatchObject({ type: 'hello', protocol: TUNNEL_PROTOCOL, agentVersion: '0.1.0', policy: 'operator' });
    expect(verifyHello(hello, HOST, c.nonce, hello.publicKey)).toBe(true);
  });

  it('refuses a hello replayed on a connection with another nonce', () => {
    const key = edKey();
    const first = newChallenge(HOST, true);
    const second = newChallenge(HOST, true);
    const captured = answerChallenge(first, key, META);
    expect(second.nonce).not.toBe(first.nonce);
    expect(verifyHello(captured, HOST, second.nonce, captured.publicKey)).toBe(false);
  });

  it('refuses a hello signed for another host (the host id is part of the signed bytes)', () => {
    const key = edKey();
    const c = newChallenge(HOST, true);
    const hello = answerChallenge(c, key, META);
    expect(verifyHello(hello, 'another-host', c.nonce, hello.publicKey)).toBe(false);
  });

  it('refuses a signature checked against another public key (a second agent with the token but not the key)', () => {
    const c = newChallenge(HOST, true);
    const enrolled = answerChallenge(c, edKey(), META).publicKey;
    const intruder = answerChallenge(c, edKey(), META);
    expect(verifyHello(intruder, HOST, c.nonce, intruder.publicKey)).toBe(true);
    expect(verifyHello(intruder, HOST, c.nonce, enrolled)).toBe(false);
  });

  it('refuses a tampered signature, a truncated one and garbage', () => {
    const c = newChallenge(HOST, true);
    const hello = answerChallenge(c, edKey(), META);
    const sig = Buffer.from(hello.signature, 'base64');
    sig[0] = (sig[0] ?? 0) ^ 0x01;
    for (const signature of [sig.toString('base64'), hello.signature.slice(0, 40), '!!!not base64!!!', '']) {
      expect(verifyHello({ ...hello, signature }, HOST, c.nonce, hello.publicKey)).toBe(false);
    }
  });

  it('refuses a public key that is not Ed25519, or not a key at all', () => {
    const c = newChallenge(HOST, true);
    const hello = answerChallenge(c, edKey(), META);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(verifyHello(hello, HOST, c.nonce, ec)).toBe(false);
    expect(verifyHello(hello, HOST, c.nonce, Buffer.from('not a key').toString('base64'))).toBe(false);
  });

  it('signs the protocol, the host id and the nonce, each on its own line', () => {
    expect(signedPayload('h1', 'n1').toString('utf8')).toBe(`${TUNNEL_PROTOCOL}\nagent-auth\nh1\nn1`);
    expect(signedPayload('h1', 'n2').equals(signedPayload('h1', 'n1'))).toBe(false);
    expect(signedPayload('h2', 'n1').equals(signedPayload('h1', 'n1'))).toBe(false);
  });

  it('issues a fresh 32-byte nonce for every challenge', () => {
    const nonces = new Set(Array.from({ length: 200 }, () => newChallenge(HOST, false).nonce));
    expect(nonces.size).toBe(200);
    for (const n of nonces) expect(Buffer.from(n, 'base64url')).toHaveLength(32);
    expect(newChallenge(HOST, true)).toMatchObject({ type: 'challenge', protocol: TUNNEL_PROTOCOL, hostId: HOST, enrolled: true });
  });

  it('cuts an over-long agent version and policy name in the hello', () => {
    const hello = answerChallenge(newChallenge(HOST, false), edKey(), { agentVersion: 'v'.repeat(500), policy: 'p'.repeat(500) });
    expect([hello.agentVersion.length, hello.policy.length]).toEqual([64, 32]);
  });
});

describe('parsing', () => {
  const hello = (): Hello => answerChallenge(newChallenge(HOST, false), edKey(), META);

  it('reads a challenge from text or from a Buffer', () => {
    const c = newChallenge(HOST, false);
    expect(parseChallenge(JSON.stringify(c))).toEqual(c);
    expect(parseChallenge(Buffer.from(JSON.stringify(c)))).toEqual(c);
  });

  it('refuses a challenge of another type, another protocol, or without its fields', () => {
    const c = newChallenge(HOST, false);
    const cases: [unknown, RegExp][] = [
      [{ ...c, type: 'hello' }, /expected a challenge/],
      [{ ...c, protocol: 'portcullis-tunnel-v0' }, /unsupported tunnel protocol/],
      [{ ...c, enrolled: 'yes' }, /enrolled/],
      [{ ...c, hostId: '' }, /hostId/],
      [{ ...c, hostId: 'h'.repeat(129) }, /hostId/],
      [{ ...c, nonce: 42 }, /nonce/],
    ];
    for (const [msg, re] of cases) expect(failure(() => parseChallenge(JSON.stringify(msg))).message).toMatch(re);
  });

  it('refuses messages that are not a JSON object in text', () => {
    expect(failure(() => parseChallenge('not json')).message).toMatch(/not JSON/);
    expect(failure(() => parseChallenge('[1,2]')).message).toMatch(/not an object/);
    expect(failure(() => parseChallenge('null')).message).toMatch(/not an object/);
    expect(failure(() => parseChallenge(42)).message).toMatch(/JSON text/);
    expect(failure(() => parseHello(new Uint8Array([123, 125]))).message).toMatch(/JSON text/);
  });

  it(`accepts a handshake message of exactly ${MAX_HANDSHAKE_MESSAGE_BYTES} bytes and refuses one byte more`, () => {
    const c = newChallenge(HOST, true);
    expect(parseChallenge(sized({ ...c }, MAX_HANDSHAKE_MESSAGE_BYTES))).toEqual(c);
    expect(failure(() => parseChallenge(sized({ ...c }, MAX_HANDSHAKE_MESSAGE_BYTES + 1))).message).toMatch(/too large/);
    const h = hello();
    expect(parseHello(Buffer.from(sized({ ...h }, MAX_HANDSHAKE_MESSAGE_BYTES)))).toEqual(h);
    expect(failure(() => parseHello(Buffer.from(sized({ ...h }, MAX_HANDSHAKE_MESSAGE_BYTES + 1)))).message).toMatch(/too large/);
  });

  it('counts the limit in bytes, not characters', () => {
    const c = newChallenge(HOST, true);
    const text = JSON.stringify({ ...c, pad: '€'.repeat(2_800) });
    expect(text.length).toBeLessThan(MAX_HANDSHAKE_MESSAGE_BYTES);
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_HANDSHAKE_MESSAGE_BYTES);
    expect(failure(() => parseChallenge(text)).message).toMatch(/too large/);
  });

  it('reads a hello and keeps only its known fields', () => {
    const h = hello();
    expect(parseHello(JSON.stringify({ ...h, extra: 'ignored', signature: h.signature }))).toEqual(h);
  });

  it('refuses a hello with a missing, empty or over-long field, or of another protocol', () => {
    const h = hello();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...h, type: 'challenge' }, /expected a hello/],
      [{ ...h, protocol: 'other' }, /unsupported tunnel protocol/],
      [{ ...h, publicKey: undefined }, /publicKey/],
      [{ ...h, publicKey: 'k'.repeat(257) }, /publicKey/],
      [{ ...h, signature: '' }, /signature/],
      [{ ...h, signature: 's'.repeat(257) }, /signature/],
      [{ ...h, agentVersion: 'v'.repeat(65) }, /agentVersion/],
      [{ ...h, policy: 'p'.repeat(33) }, /policy/],
      [{ ...h, policy: ['full'] }, /policy/],
    ];
    for (const [msg, re] of cases) expect(failure(() => parseHello(JSON.stringify(msg))).message).toMatch(re);
  });

  it('reads ready, and turns a refusal from the server into a readable error', () => {
    expect(parseReady(JSON.stringify({ type: 'ready', hostId: HOST, hostName: 'edge-1' }))).toEqual({ type: 'ready', hostId: HOST, hostName: 'edge-1' });
    expect(failure(() => parseReady(JSON.stringify({ type: 'error', message: 'host revoked' }))).message).toBe('refused: host revoked');
    expect(failure(() => parseReady(JSON.stringify({ type: 'error', message: 'x'.repeat(1_000) }))).message).toHaveLength('refused: '.length + 200);
    expect(failure(() => parseReady(JSON.stringify({ type: 'challenge' }))).message).toBe('expected ready');
    expect(failure(() => parseReady(JSON.stringify({ type: 'ready', hostId: HOST }))).message).toMatch(/hostName/);
  });
});

describe('loadEd25519Key', () => {
  it('loads an Ed25519 PKCS#8 PEM key', () => {
    const pem = edKey().export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(loadEd25519Key(pem).asymmetricKeyType).toBe('ed25519');
  });

  it('refuses any other key type', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const ed448 = generateKeyPairSync('ed448').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const pem of [ec, ed448]) expect(failure(() => loadEd25519Key(pem)).message).toMatch(/must be Ed25519/);
  });
});

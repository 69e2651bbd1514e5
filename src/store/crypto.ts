// Secrets at rest: AES-256-GCM with a random 96-bit nonce, written as `v1:<b64 nonce>:<b64 ciphertext+tag>`.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`secret encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
}

/**
 * Encrypts `plain` with AES-256-GCM under `key` (32 bytes). `context` (e.g. the secret's name) is
 * bound as associated data, so a ciphertext copied to another name no longer decrypts.
 *
 * @example const enc = encryptSecret(key, 'hunter2', 'registry:ghcr.io'); // "v1:…:…"
 */
export function encryptSecret(key: Buffer, plain: string, context = ''): string {
  checkKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(`${VERSION}\n${context}`, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}:${nonce.toString('base64')}:${body.toString('base64')}`;
}

/** Decrypts a string from `encryptSecret`; throws (without echoing the input) when it is malformed or was altered. */
export function decryptSecret(key: Buffer, encoded: string, context = ''): string {
  checkKey(key);
  const parts = encoded.split(':');
  if (parts.length !== 3 || parts[0] !== VERSION) throw new Error('encrypted secret has an unknown format (expected v1:nonce:ciphertext)');
  const nonce = Buffer.from(parts[1] ?? '', 'base64');
  const body = Buffer.from(parts[2] ?? '', 'base64');
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) throw new Error('encrypted secret is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(`${VERSION}\n${context}`, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new Error('encrypted secret failed authentication (wrong key, wrong context or altered data)', { cause: err });
  }
}

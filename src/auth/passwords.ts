// Password hashing with argon2id (m=64 MiB, t=3, p=4), rehash detection, and a dummy verify for unknown users.
import { hash, verify, parseOptions, type Algorithm, type Options } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { Semaphore } from './semaphore.js';

/** The argon2id parameters every new hash uses (OWASP "m=64 MiB" profile with t=3, p=4). */
export const ARGON2_PARAMS = Object.freeze({
  memoryCost: 65536, // KiB = 64 MiB
  timeCost: 3,
  parallelism: 4,
  outputLen: 32,
});

/** Concurrent argon2 computations allowed (each takes 64 MiB and 4 threads). */
export const HASH_CONCURRENCY = 2;
/** Further callers allowed to wait before SemaphoreFullError (bounds memory under a login flood). */
export const HASH_QUEUE_LIMIT = 64;
/** Longest password accepted for hashing (bytes, UTF-8): bounds the work an attacker can make us do. */
export const MAX_PASSWORD_BYTES = 1024;

// @node-rs/argon2 declares Algorithm as an ambient const enum, which isolatedModules cannot read.
const ARGON2ID = 2 as Algorithm;
const V0x13 = 0x13;
const OPTIONS: Options = { ...ARGON2_PARAMS, algorithm: ARGON2ID };

const gate = new Semaphore(HASH_CONCURRENCY, HASH_QUEUE_LIMIT);

function checkLength(pw: string): void {
  if (Buffer.byteLength(pw, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new Error(`password longer than ${MAX_PASSWORD_BYTES} bytes`);
  }
}

// NFKC, as NIST SP 800-63B advises: "é" typed as one code point or as e + accent is the same password.
const normalize = (pw: string): string => pw.normalize('NFKC');

/** Hashes a password (NFKC-normalised) as an argon2id PHC string (`$argon2id$v=19$m=65536,t=3,p=4$…`). */
export async function hashPassword(pw: string): Promise<string> {
  checkLength(pw);
  return gate.run(() => hash(normalize(pw), OPTIONS));
}

/**
 * True when `pw` matches the PHC `storedHash`. A malformed hash or an over-long password gives false,
 * never an exception, so a login path cannot leak which case happened.
 */
export async function verifyPassword(storedHash: string, pw: string): Promise<boolean> {
  if (Buffer.byteLength(pw, 'utf8') > MAX_PASSWORD_BYTES) return false;
  return gate.run(async () => {
    try {
      return await verify(storedHash, normalize(pw));
    } catch {
      return false;
    }
  });
}

/** True when `storedHash` was made with other parameters than ARGON2_PARAMS (rehash after a successful login). */
export function needsRehash(storedHash: string): boolean {
  try {
    const p = parseOptions(storedHash);
    return (
      (p.algorithm as number) !== (ARGON2ID as number) ||
      versionNumber(p.version) !== V0x13 ||
      p.memoryCost !== ARGON2_PARAMS.memoryCost ||
      p.timeCost !== ARGON2_PARAMS.timeCost ||
      p.parallelism !== ARGON2_PARAMS.parallelism ||
      p.outputLen !== ARGON2_PARAMS.outputLen
    );
  } catch {
    return true;
  }
}

// The binding reports the version as its enum index (0 = 0x10, 1 = 0x13).
function versionNumber(v: number): number {
  return v === 1 || v === 0x13 ? 0x13 : 0x10;
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same work as verifying a real user's password, then returns false.
 * Call it when the user does not exist, so the answer takes as long as a wrong password.
 */
export async function verifyDummyPassword(pw: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  await verifyPassword(await dummyHash, pw);
  return false;
}

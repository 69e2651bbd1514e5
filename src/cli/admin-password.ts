// Passwords for `portcullis admin`: random one-time passwords and a new password read from stdin, checked against the policy.
import { randomInt } from 'node:crypto';
import { checkPasswordPolicy } from '../auth/index.js';
import { failure, usage, type AdminIo } from './admin-context.js';

/** Characters of a one-time password: letters and digits without look-alikes (0/O, 1/l/I). */
export const ONE_TIME_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
/** Length of a one-time password (24 × log2(57) ≈ 140 bits). */
export const ONE_TIME_LENGTH = 24;
const MAX_ATTEMPTS = 16;

/**
 * A random one-time password that passes the password policy for `username`.
 * @example generateOneTimePassword('alice') // 'q7LmZ2…' (24 characters)
 */
export function generateOneTimePassword(username: string): string {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let pw = '';
    for (let i = 0; i < ONE_TIME_LENGTH; i++) pw += ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)];
    if (checkPasswordPolicy(pw, username).ok) return pw;
  }
  // 16 random draws in a row failing the policy means the generator is broken; never hand out a weak password.
  throw new Error('could not generate a one-time password that passes the password policy');
}

/** Removes the one line ending that `echo` or a here-string adds; anything else is part of the password. */
export function stripLineEnding(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

/**
 * Reads a new password for `username` from stdin (a pipe, never a terminal, where it would echo) and
 * checks it against the policy; a violation fails with its name and advice, never with the password.
 */
export async function readPasswordFromStdin(io: AdminIo, username: string): Promise<string> {
  if (io.stdinIsTty) {
    throw usage(`--password-stdin reads a pipe, not a terminal: printf '%s' "$PASSWORD" | portcullis admin create-user ${username} --password-stdin`);
  }
  const pw = stripLineEnding(await io.readStdin());
  const verdict = checkPasswordPolicy(pw, username);
  if (!verdict.ok) throw failure(`password refused (${verdict.violations.join(', ')}): ${verdict.message}`);
  return pw;
}

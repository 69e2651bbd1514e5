// Password policy: length, not the username, not a common password (also after undoing leetspeak), not repetitive.
import { COMMON_PASSWORDS } from './common-passwords.js';
import { MAX_PASSWORD_BYTES } from './passwords.js';

/** Fewest characters (Unicode code points) a password may have. */
export const MIN_PASSWORD_LENGTH = 12;
/** A username shorter than this is only checked for equality, not containment ("al" would ban too much). */
export const MIN_USERNAME_CONTAINMENT = 3;
/** Fewest distinct characters ("aaaaaaaaaaab" fails). */
export const MIN_DISTINCT_CHARS = 5;

export type PasswordViolation = 'too_short' | 'too_long' | 'username' | 'common' | 'repetitive';

export type PolicyResult = { ok: true } | { ok: false; violations: PasswordViolation[]; message: string };

const MESSAGES: Record<PasswordViolation, string> = {
  too_short: `use at least ${MIN_PASSWORD_LENGTH} characters`,
  too_long: `use at most ${MAX_PASSWORD_BYTES} bytes`,
  username: 'do not use or contain the username',
  common: 'this password (or a simple variant of it) is on a list of common passwords',
  repetitive: 'use more varied characters (no long repeats or patterns)',
};

const LEET: Record<string, string> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g',
  '@': 'a', '$': 's', '!': 'i', '|': 'l', '+': 't', '€': 'e', '(': 'c',
};

/** Lower-cases, NFKC-normalises and removes whitespace — the form every comparison uses. */
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** Undoes simple leetspeak substitutions (`p@ssw0rd` → `password`). */
export function unleet(s: string): string {
  let out = '';
  for (const ch of s) out += LEET[ch] ?? ch;
  return out;
}

const LEADING = /^[^\p{L}]+/u;
const TRAILING = /[^\p{L}]+$/u;

/**
 * The candidate forms of a password checked against the common list: folded, with leading and/or trailing
 * decoration (digits, symbols) stripped — before and after undoing leetspeak, since "$up3rm@n-2019"
 * needs its suffix removed first and "!!Sunshine" its prefix.
 */
export function commonCandidates(pw: string): string[] {
  const f = fold(pw);
  const strip = (s: string): string => s.replace(LEADING, '').replace(TRAILING, '');
  const forms = new Set<string>();
  for (const base of [f, f.replace(TRAILING, ''), f.replace(LEADING, ''), strip(f)]) {
    const u = unleet(base);
    forms.add(base).add(u).add(strip(u));
  }
  forms.delete('');
  return [...forms];
}

function isCommon(pw: string): boolean {
  return commonCandidates(pw).some((c) => COMMON_PASSWORDS.has(c) || isRepeatOfCommon(c));
}

// "passwordpassword", "dragondragondragon": a whole-number repeat of a listed word.
function isRepeatOfCommon(c: string): boolean {
  for (let n = 3; n <= c.length / 2; n++) {
    if (c.length % n !== 0) continue;
    const unit = c.slice(0, n);
    if (unit.repeat(c.length / n) === c && COMMON_PASSWORDS.has(unit)) return true;
  }
  return false;
}

function isRepetitive(pw: string): boolean {
  const chars = [...fold(pw)];
  if (new Set(chars).size < MIN_DISTINCT_CHARS) return true;
  // A short unit repeated ("abcabcabcabc", "12121212xyxy" is not caught, on purpose: it has variety).
  const s = chars.join('');
  for (let n = 1; n <= 4; n++) {
    if (s.length % n === 0 && s.slice(0, n).repeat(s.length / n) === s) return true;
  }
  return false;
}

function containsUsername(pw: string, username: string): boolean {
  const u = fold(username);
  if (u.length === 0) return false;
  const p = fold(pw);
  if (p === u || unleet(p) === u) return true;
  if (u.length < MIN_USERNAME_CONTAINMENT) return false;
  const reversed = [...u].reverse().join('');
  return [p, unleet(p)].some((x) => x.includes(u) || x.includes(reversed));
}

/**
 * Checks a new password against the policy. Returns every violation found, with one message listing them.
 * @example checkPasswordPolicy('Password2024!', 'alice') // { ok: false, violations: ['common'], message: '…' }
 */
export function checkPasswordPolicy(pw: string, username: string): PolicyResult {
  const violations: PasswordViolation[] = [];
  if ([...pw].length < MIN_PASSWORD_LENGTH) violations.push('too_short');
  if (Buffer.byteLength(pw, 'utf8') > MAX_PASSWORD_BYTES) violations.push('too_long');
  if (containsUsername(pw, username)) violations.push('username');
  if (isCommon(pw)) violations.push('common');
  if (isRepetitive(pw)) violations.push('repetitive');
  if (violations.length === 0) return { ok: true };
  return { ok: false, violations, message: violations.map((v) => MESSAGES[v]).join('; ') };
}

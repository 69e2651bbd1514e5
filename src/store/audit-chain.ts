// Pure parts of the audit log: the record hash, the secrets-in-details refusal, text clean-up, row mapping.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { StoreInputError } from './errors.js';
import type { AuditLogTable } from './schema.js';
import type { ActorType, AuditRecord, AuditResult } from './types.js';

/** prev_hash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);
/** Longest actor, action, target, client IP or user agent kept (longer text is cut, not refused). */
export const MAX_AUDIT_TEXT = 1024;
/** Largest canonical details JSON accepted, in UTF-16 code units. */
export const MAX_AUDIT_DETAILS = 64 * 1024;
/** Details keys that may name a secret; their value must be the literal '[redacted]'. */
export const SECRET_KEY_PATTERN = /pass(word)?|secret|token|cookie|authorization/i;
/** A Portcullis API token anywhere in a details string. */
const TOKEN_VALUE_PATTERN = /pct_[A-Za-z0-9_-]{20,}/;
export const REDACTED = '[redacted]';

export const ACTOR_TYPES: readonly ActorType[] = ['user', 'token', 'agent', 'system'];
export const AUDIT_RESULTS: readonly AuditResult[] = ['success', 'denied', 'error'];

/** The fields a record's hash covers (everything but prev_hash and hash themselves). */
export interface HashedFields {
  seq: number;
  time: string;
  actor: string;
  actor_type: string;
  client_ip: string | null;
  user_agent: string | null;
  action: string;
  target: string | null;
  result: string;
  details: unknown;
}

/** sha256hex(prev_hash + '\n' + canonicalJson(fields)). */
export function auditHash(prevHash: string, fields: HashedFields): string {
  const body = canonicalJson({
    seq: fields.seq,
    time: fields.time,
    actor: fields.actor,
    actor_type: fields.actor_type,
    client_ip: fields.client_ip,
    user_agent: fields.user_agent,
    action: fields.action,
    target: fields.target,
    result: fields.result,
    details: fields.details,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`, 'utf8').digest('hex');
}

/**
 * Throws StoreInputError when `details` (at any depth) has a key matching SECRET_KEY_PATTERN whose
 * value is not '[redacted]', or a string value holding an API token. The message names the key path only.
 */
export function assertNoSecrets(details: unknown, path = 'details'): void {
  if (typeof details === 'string') {
    if (TOKEN_VALUE_PATTERN.test(details)) throw new StoreInputError(`audit ${path} holds an API token; record its id or prefix instead`);
    return;
  }
  if (details === null || typeof details !== 'object') return;
  if (Array.isArray(details)) {
    details.forEach((item, i) => assertNoSecrets(item, `${path}[${i}]`));
    return;
  }
  for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
    const here = `${path}.${key}`;
    if (SECRET_KEY_PATTERN.test(key) && value !== REDACTED && value !== undefined) {
      throw new StoreInputError(`audit ${here} may hold a secret; store the literal '${REDACTED}' or rename the key`);
    }
    assertNoSecrets(value, here);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Makes untrusted text storable identically in both dialects: cut to MAX_AUDIT_TEXT, NUL (which
 * PostgreSQL text refuses) and lone surrogates (which UTF-8 cannot carry) become U+FFFD. Without
 * this the hash would cover text the database then stores differently.
 */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.slice(0, MAX_AUDIT_TEXT).replace(/\u0000/g, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}

/** cleanText for nullable fields: undefined and null become null. */
export function cleanOptionalText(s: string | null | undefined): string | null {
  return s === undefined || s === null ? null : cleanText(s);
}

/** Parses stored details text; undefined when it is not a JSON object. */
export function parseDetails(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Maps a stored row to an AuditRecord (unparseable details become {} — verify() reports them). */
export function rowToAuditRecord(row: AuditLogTable): AuditRecord {
  return {
    seq: Number(row.seq),
    time: row.time,
    actor: row.actor,
    actorType: row.actor_type as ActorType,
    clientIp: row.client_ip,
    userAgent: row.user_agent,
    action: row.action,
    target: row.target,
    result: row.result as AuditResult,
    details: parseDetails(row.details) ?? {},
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Checks one stored row against the expected seq and previous hash; returns why it is bad, or undefined. */
export function checkRow(row: AuditLogTable, expectedSeq: number, prevHash: string): string | undefined {
  const seq = Number(row.seq);
  if (seq > expectedSeq) return `record ${expectedSeq} is missing (the next stored record is ${seq})`;
  if (seq !== expectedSeq) return `record order is broken: expected seq ${expectedSeq}, found ${seq}`;
  if (row.prev_hash !== prevHash) return `record ${seq} does not link to the record before it (prev_hash differs)`;
  const details = parseDetails(row.details);
  if (details === undefined) return `record ${seq} has details that are not a JSON object`;
  const expected = auditHash(prevHash, { ...row, seq, details });
  if (expected !== row.hash) return `record ${seq} was altered (its hash does not match its content)`;
  return undefined;
}

// TOTP (RFC 6238) primitives over otplib: secrets, otpauth:// URIs, QR codes as SVG data URLs, and replay-aware verification.
import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** Time step in seconds (the authenticator-app default; RFC 6238 section 4 recommends 30). */
export const TOTP_PERIOD = 30;
/** Digits of a code (what every authenticator app shows). */
export const TOTP_DIGITS = 6;
/** Bytes of a new secret: 160 bits, the HMAC-SHA-1 block RFC 4226 recommends. */
export const TOTP_SECRET_BYTES = 20;
/**
 * Accepted clock drift in seconds, past and future: one step either side (RFC 6238 section 5.2 allows a
 * step of network delay; phones drift). A wider window would give a guesser more valid codes per try.
 */
export const TOTP_DRIFT_SECONDS = 30;

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpCheck {
  /** Base32 secret. */
  secret: string;
  /** What the user typed (spaces are ignored). */
  code: string;
  /** The last step already used: a code from this step or an earlier one is refused (replay). */
  afterStep?: number | null;
  /** Unix seconds; default now. */
  epoch?: number;
}

export type TotpResult = { ok: true; step: number } | { ok: false; reason: 'malformed' | 'wrong' | 'replayed' };

/** A new random Base32 secret of TOTP_SECRET_BYTES. */
export function newTotpSecret(): string {
  return generateSecret({ length: TOTP_SECRET_BYTES });
}

/** The otpauth:// URI an authenticator app scans: `issuer` and `account` label the entry. */
export function totpUri(secret: string, issuer: string, account: string): string {
  return generateURI({ issuer, label: account, secret, digits: TOTP_DIGITS, period: TOTP_PERIOD, algorithm: 'sha1' });
}

/** The URI as a QR code in an SVG data URL (the CSP allows `img-src data:`; no external QR service sees the secret). */
export async function totpQrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/**
 * The code for `epoch` (Unix seconds). Raw secrets (RFC 6238 test seeds) go in as bytes; Base32 strings as text.
 * @example await totpCode({ secret: bytes('12345678901234567890'), epoch: 59, digits: 8 }) // '94287082'
 */
export async function totpCode(opts: { secret: string | Uint8Array; epoch?: number; digits?: 6 | 8; algorithm?: TotpAlgorithm }): Promise<string> {
  return generate({
    secret: opts.secret, period: TOTP_PERIOD, digits: opts.digits ?? TOTP_DIGITS, algorithm: opts.algorithm ?? 'sha1',
    epoch: opts.epoch ?? Math.floor(Date.now() / 1000),
  });
}

/** True for a string that can be a TOTP code (6 digits once spaces are removed). */
export function isTotpFormat(code: string): boolean {
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code.replace(/\s+/g, ''));
}

/**
 * Checks a code within ±TOTP_DRIFT_SECONDS. A code of a step at or before `afterStep` is refused as a
 * replay even when correct: the caller stores the returned step (compare-and-set) so each step logs in once.
 */
export async function verifyTotp(check: TotpCheck): Promise<TotpResult> {
  const token = check.code.replace(/\s+/g, '');
  if (!isTotpFormat(token)) return { ok: false, reason: 'malformed' };
  const base = {
    secret: check.secret, token, period: TOTP_PERIOD, digits: TOTP_DIGITS, algorithm: 'sha1' as const,
    epoch: check.epoch ?? Math.floor(Date.now() / 1000), epochTolerance: TOTP_DRIFT_SECONDS,
  };
  const after = check.afterStep ?? undefined;
  const r = await verify(after === undefined ? base : { ...base, afterTimeStep: after });
  // The functional API types HOTP and TOTP results together; only TOTP results carry timeStep.
  if (r.valid && 'timeStep' in r) return { ok: true, step: r.timeStep };
  if (after === undefined) return { ok: false, reason: 'wrong' };
  // Tell a replay from a wrong code (for the audit record only; the client gets the same answer).
  const again = await verify(base);
  return { ok: false, reason: again.valid ? 'replayed' : 'wrong' };
}

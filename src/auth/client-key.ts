// Counter keys for lockout: `user:<name>` and `ip:<address>` (IPv4-mapped IPv6 unwrapped, IPv6 grouped by /64).
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/** Usernames longer than this are keyed by their hash, so a junk login cannot store megabytes. */
const MAX_KEYED_USERNAME = 128;

/** The lockout key of an account name (lower-case, whether or not the user exists). */
export function userKey(username: string): string {
  const u = username.normalize('NFKC').toLowerCase();
  return u.length <= MAX_KEYED_USERNAME ? `user:${u}` : `user:sha256:${createHash('sha256').update(u).digest('hex')}`;
}

function expandIPv6(ip: string): string[] | undefined {
  const [head = '', tail] = ip.split('::');
  const parts = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const h = parts(head);
  const t = tail === undefined ? [] : parts(tail);
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const all = [...h, ...Array<string>(Math.max(0, fill)).fill('0'), ...t];
  return all.length === 8 ? all.map((g) => g.toLowerCase().padStart(4, '0')) : undefined;
}

/**
 * The lockout key of a client address. `::ffff:1.2.3.4` counts as `1.2.3.4`; an IPv6 address counts
 * by its /64 (one customer usually holds a whole /64, so rotating within it must not reset the counter).
 */
export function ipKey(ip: string): string {
  const addr = ip.trim().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  if (mapped?.[1] && isIPv4(mapped[1])) return `ip:${mapped[1]}`;
  if (isIPv4(addr)) return `ip:${addr}`;
  if (isIPv6(addr) && !addr.includes('.')) {
    const groups = expandIPv6(addr);
    if (groups) return `ip:${groups.slice(0, 4).join(':')}::/64`;
  }
  return `ip:${addr.slice(0, 64)}`;
}

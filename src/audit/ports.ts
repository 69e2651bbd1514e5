// Compose port syntax (short and long forms, IPv4/IPv6, ranges, protocols) and bind-address scopes.
import { BlockList, isIP } from 'node:net';
import type { PortBinding } from './types.js';

/** A port range; a single port has from === to. */
export interface PortRange {
  from: number;
  to: number;
}

/** The most ports one range may span before it is refused (protects range expansion). */
export const MAX_RANGE_SPAN = 65_535;

/** Parses `8000` or `8000-8010`; undefined when malformed. */
export function parseRange(text: string): PortRange | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > 65_535 || to > 65_535 || to < from) return undefined;
  return { from, to };
}

/** Result of parsing one `ports:` item. */
export type ParsedPort = { ok: true; binding: Omit<PortBinding, 'path' | 'interpolated'> } | { ok: false; error: string };

function fail(raw: string, why: string): ParsedPort {
  return { ok: false, error: `invalid port "${raw}": ${why}` };
}

/**
 * Parses a short-syntax port (`"3000"`, `"127.0.0.1:5432:5432"`, `"[::1]:80:80"`, `"::1:80:80"`,
 * `"8000-8010:8000-8010/udp"`, `8080` as a number).
 */
export function parseShortPort(item: string | number): ParsedPort {
  const raw = String(item).trim();
  let spec = raw;
  let protocol = 'tcp';
  const slash = spec.lastIndexOf('/');
  if (slash >= 0) {
    protocol = spec.slice(slash + 1).toLowerCase();
    spec = spec.slice(0, slash);
    if (!/^(tcp|udp|sctp)$/.test(protocol)) return fail(raw, `unknown protocol "${protocol}"`);
  }
  let hostIp = '';
  let rest: string[];
  if (spec.startsWith('[')) {
    const close = spec.indexOf(']');
    if (close < 0 || spec[close + 1] !== ':') return fail(raw, 'unterminated IPv6 bracket');
    hostIp = spec.slice(1, close);
    rest = spec.slice(close + 2).split(':');
    if (rest.length !== 2) return fail(raw, 'expected [IP]:HOST:CONTAINER');
  } else {
    const parts = spec.split(':');
    if (parts.length <= 2) rest = parts;
    else {
      rest = parts.slice(-2);
      hostIp = parts.slice(0, -2).join(':');
    }
  }
  const containerText = rest[rest.length - 1] ?? '';
  const hostText = rest.length === 2 ? (rest[0] ?? '') : '';
  const containerPort = parseRange(containerText);
  if (!containerPort) return fail(raw, `bad container port "${containerText}"`);
  let hostPort: PortRange | undefined;
  if (hostText !== '') {
    hostPort = parseRange(hostText);
    if (!hostPort) return fail(raw, `bad host port "${hostText}"`);
  }
  if (hostIp !== '' && isIP(stripBrackets(hostIp)) === 0 && hostIp !== '*') return fail(raw, `bad host address "${hostIp}"`);
  return { ok: true, binding: { hostIp: stripBrackets(hostIp), ...(hostPort ? { hostPort } : {}), containerPort, protocol, raw } };
}

/** Parses the long syntax `{target, published, host_ip, protocol, mode}`. */
export function parseLongPort(item: Record<string, unknown>): ParsedPort {
  const raw = JSON.stringify(item);
  const target = item.target;
  if (typeof target !== 'number' && typeof target !== 'string') return fail(raw, 'long syntax needs "target"');
  const containerPort = parseRange(String(target));
  if (!containerPort) return fail(raw, `bad target "${String(target)}"`);
  let hostPort: PortRange | undefined;
  const published = item.published;
  const publishedText = typeof published === 'string' || typeof published === 'number' ? String(published) : '';
  if (publishedText !== '') {
    hostPort = parseRange(publishedText);
    if (!hostPort) return fail(raw, `bad published "${publishedText}"`);
  }
  const hostIp = typeof item.host_ip === 'string' ? stripBrackets(item.host_ip) : '';
  if (hostIp !== '' && isIP(hostIp) === 0 && hostIp !== '*') return fail(raw, `bad host_ip "${hostIp}"`);
  const protocol = typeof item.protocol === 'string' ? item.protocol.toLowerCase() : 'tcp';
  const short = `${hostIp ? `${hostIp.includes(':') ? `[${hostIp}]` : hostIp}:` : ''}${hostPort ? `${rangeText(hostPort)}:` : ''}${rangeText(containerPort)}/${protocol}`;
  return { ok: true, binding: { hostIp, ...(hostPort ? { hostPort } : {}), containerPort, protocol, raw: short } };
}

function stripBrackets(ip: string): string {
  return ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}

/** `8000` or `8000-8010`. */
export function rangeText(r: PortRange): string {
  return r.from === r.to ? String(r.from) : `${r.from}-${r.to}`;
}

/** Bind scope of a host address: all interfaces, loopback only, or one specific address. */
export type BindScope = 'all' | 'loopback' | 'private' | 'public-address';

const WILDCARDS = new Set(['', '*', '0.0.0.0', '::', '::0', '0:0:0:0:0:0:0:0', '::ffff:0.0.0.0', '::ffff:0:0']);
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
const privateNets = new BlockList();
for (const [net, bits] of [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10], ['169.254.0.0', 16]] as const) {
  privateNets.addSubnet(net, bits, 'ipv4');
}
privateNets.addSubnet('fc00::', 7, 'ipv6');
privateNets.addSubnet('fe80::', 10, 'ipv6');

/** Classifies a host address (brackets allowed). */
export function bindScope(hostIp: string): BindScope {
  const ip = stripBrackets(hostIp.trim()).toLowerCase();
  if (WILDCARDS.has(ip)) return 'all';
  const family = isIP(ip);
  if (family === 0) return 'all';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(ip, type)) return 'loopback';
  if (privateNets.check(ip, type)) return 'private';
  return 'public-address';
}

/** Whether an address is in a private (RFC 1918 / ULA / link-local / CGNAT) range. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && privateNets.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** Number of ports a range spans. */
export function rangeSize(r: PortRange): number {
  return r.to - r.from + 1;
}

/** Whether `port` lies inside `r`. */
export function inRange(port: number, r: PortRange): boolean {
  return port >= r.from && port <= r.to;
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSettings, unknownPrefixedVars } from './settings.js';
import { basePath, duration, listenAddress, rate, resolveServerSettings, serverSettings, trustProxy } from './server.js';

const read = (env: Record<string, string>) => readSettings(serverSettings, env);

describe('server settings', () => {
  it('defaults to loopback, plain HTTP, SQLite in ./data and the documented limits', () => {
    const r = resolveServerSettings(read({}));
    expect(r.settings.LISTEN).toEqual({ host: '127.0.0.1', port: 18282 });
    expect(r.tls).toEqual({ mode: 'off' });
    expect(r.databaseUrl).toBe('sqlite:data/portcullis.db');
    expect(r.settings.RATE_AUTH).toEqual({ max: 5, windowMs: 15 * 60_000 });
    expect(r.settings.RATE_HOSTS).toEqual({ max: 120, windowMs: 60_000 });
    expect(r.settings.RATE_CONTAINERS).toEqual({ max: 600, windowMs: 60_000 });
    expect(r.settings.RATE_NOTIFICATIONS).toEqual({ max: 20, windowMs: 60_000 });
    expect(r.settings.RATE_WS).toEqual({ max: 120, windowMs: 60_000 });
    expect([r.settings.LOCKOUT_THRESHOLD, r.settings.LOCKOUT_WINDOW, r.settings.LOCKOUT_DURATION]).toEqual([5, 900_000, 900_000]);
    expect([r.settings.SESSION_IDLE, r.settings.SESSION_ABSOLUTE]).toEqual([30 * 60_000, 12 * 3_600_000]);
    expect(r.settings.TRUST_PROXY).toBe(false);
    expect(r.warnings).toEqual([]);
  });

  it('refuses a non-loopback listener without TLS unless --insecure-http, and then warns', () => {
    expect(() => resolveServerSettings(read({ PORTCULLIS_LISTEN: '0.0.0.0:18282' }))).toThrow(/--insecure-http/);
    const r = resolveServerSettings(read({ PORTCULLIS_LISTEN: '0.0.0.0:18282', PORTCULLIS_INSECURE_HTTP: '1' }));
    expect(r.warnings.join()).toMatch(/plain HTTP/);
    expect(resolveServerSettings(read({ PORTCULLIS_LISTEN: '0.0.0.0:1', PORTCULLIS_TLS: 'auto' })).tls).toEqual({ mode: 'auto' });
  });

  it('needs --tls-cert and --tls-key together', () => {
    expect(() => resolveServerSettings(read({ PORTCULLIS_TLS_CERT: '/c.pem' }))).toThrow(/both --tls-cert and --tls-key/);
    expect(resolveServerSettings(read({ PORTCULLIS_TLS_CERT: '/c', PORTCULLIS_TLS_KEY: '/k' })).tls).toEqual({ mode: 'files', certFile: '/c', keyFile: '/k' });
  });

  it('never repeats a database URL (which may hold a password) in an error', () => {
    expect(serverSettings.DATABASE.secret).toBe(true);
    expect(serverSettings.ADMIN_PASSWORD.secret).toBe(true);
  });

  it('parses durations, rates, listen addresses, base paths and trusted proxies with clear errors', () => {
    expect(duration('90s', 'X')).toBe(90_000);
    expect(() => duration('15', 'PORTCULLIS_SESSION_IDLE')).toThrow(/PORTCULLIS_SESSION_IDLE must be a duration/);
    expect(() => rate('5', 'R')).toThrow(/<count>\/<duration>/);
    expect(listenAddress('[::1]:8080', 'L')).toEqual({ host: '::1', port: 8080 });
    expect(() => listenAddress('localhost:99999', 'L')).toThrow(/host:port/);
    expect(basePath('/portcullis/', 'B')).toBe('/portcullis');
    expect(() => basePath('/a/../b', 'B')).toThrow(/path/);
    expect(() => basePath('no-slash', 'B')).toThrow(/path/);
    expect(trustProxy('off', 'T')).toBe(false);
    expect(trustProxy('2', 'T')).toBe(2);
    expect(trustProxy('10.0.0.0/8, ::1, loopback', 'T')).toEqual(['10.0.0.0/8', '::1', 'loopback']);
    expect(() => trustProxy('10.0.0.0/33', 'T')).toThrow(/CIDRs/);
    expect(() => trustProxy('example.com', 'T')).toThrow(/CIDRs/);
  });

  it('accepts only stdout or file: for the audit mirror', () => {
    expect(read({ PORTCULLIS_AUDIT_MIRROR: 'file:/var/log/a.jsonl' }).AUDIT_MIRROR).toBe('file:/var/log/a.jsonl');
    expect(() => read({ PORTCULLIS_AUDIT_MIRROR: 'syslog' })).toThrow(/stdout or file:/);
  });

  it('names unknown PORTCULLIS_ variables', () => {
    expect(unknownPrefixedVars([serverSettings], { PORTCULLIS_LISTEN: 'x', PORTCULLIS_TSL: 'auto' })).toEqual(['PORTCULLIS_TSL']);
  });

  it('docs/configuration.md documents every server variable and flag', () => {
    const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const specs = Object.values(serverSettings);
    const missing = [
      ...specs.map((s) => s.env).filter((env) => !doc.includes(`\`${env}\``)),
      ...specs.flatMap((s) => ('flag' in s ? [s.flag] : [])).filter((flag) => !doc.includes(`\`${flag}\``)),
    ];
    expect(missing).toEqual([]);
  });
});

import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bind, isLoopback, parseListen } from './listen.js';

describe('parseListen', () => {
  it('parses IPv4, bracketed IPv6, empty host and unix forms', () => {
    expect(parseListen('127.0.0.1:2375')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 2375 });
    expect(parseListen('[::]:2375')).toEqual({ kind: 'tcp', host: '::', port: 2375 });
    expect(parseListen(':2375')).toEqual({ kind: 'tcp', host: '0.0.0.0', port: 2375 });
    expect(parseListen('unix:/run/p.sock')).toEqual({ kind: 'unix', path: '/run/p.sock' });
  });

  it('rejects malformed values with the expected forms in the message', () => {
    for (const v of ['2375', 'host', '1.2.3.4:99999', 'unix:relative.sock', '[::1:80']) {
      expect(() => parseListen(v)).toThrow(/LISTEN=/);
    }
  });

  it('knows loopback addresses', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
  });
});

describe('bind', () => {
  it('creates a unix socket with mode 0660 and replaces a stale socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-listen-'));
    const path = join(dir, 'p.sock');
    try {
      // A stale socket file left by a killed process (python binds and exits without unlinking).
      execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', path]);
      expect(statSync(path).isSocket()).toBe(true);
      const s = createServer();
      await bind(s, { kind: 'unix', path });
      expect(statSync(path).mode & 0o777).toBe(0o660);
      await new Promise<void>((r) => s.close(() => r()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to replace a regular file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-listen-'));
    const path = join(dir, 'file');
    writeFileSync(path, 'x');
    try {
      await expect(bind(createServer(), { kind: 'unix', path })).rejects.toThrow(/not a socket/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('binds [::] dual-stack or falls back to IPv4', async () => {
    const s = createServer();
    await bind(s, { kind: 'tcp', host: '::', port: 0 }, { disableIpv6: true });
    const a = s.address();
    expect(typeof a === 'object' && a?.address).toBe('0.0.0.0');
    await new Promise<void>((r) => s.close(() => r()));
  });
});

// Tests: lockout counter keys for accounts and client addresses.
import { describe, expect, it } from 'vitest';
import { ipKey, userKey } from './client-key.js';

describe('lockout keys', () => {
  it('keys accounts by lower-cased name', () => {
    expect(userKey('Alice')).toBe('user:alice');
  });

  it('keys very long names by their hash', () => {
    expect(userKey('a'.repeat(10_000))).toMatch(/^user:sha256:[0-9a-f]{64}$/);
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(ipKey('::ffff:192.0.2.10')).toBe('ip:192.0.2.10');
    expect(ipKey('192.0.2.10')).toBe('ip:192.0.2.10');
  });

  it('counts IPv6 addresses by their /64, however they are written', () => {
    expect(ipKey('2001:db8:1:2::1')).toBe('ip:2001:0db8:0001:0002::/64');
    expect(ipKey('2001:DB8:1:2:ffff:ffff:ffff:ffff')).toBe('ip:2001:0db8:0001:0002::/64');
    expect(ipKey('2001:db8:1:3::1')).not.toBe(ipKey('2001:db8:1:2::1'));
    expect(ipKey('::1')).toBe('ip:0000:0000:0000:0000::/64');
    expect(ipKey('fe80::1%eth0')).toBe('ip:fe80:0000:0000:0000::/64');
  });

  it('bounds the length of anything else', () => {
    expect(ipKey('x'.repeat(500))).toHaveLength(3 + 64);
  });
});

// Port syntax: every short and long form Compose accepts, IPv4/IPv6, ranges, protocols, wildcard spellings.
import { describe, expect, it } from 'vitest';
import { bindScope, parseLongPort, parseShortPort } from './ports.js';

function short(item: string | number) {
  const r = parseShortPort(item);
  if (!r.ok) throw new Error(r.error);
  return r.binding;
}

describe('short port syntax', () => {
  it.each([
    ['3000', '', undefined, { from: 3000, to: 3000 }, 'tcp'],
    [3000, '', undefined, { from: 3000, to: 3000 }, 'tcp'],
    ['3000-3005', '', undefined, { from: 3000, to: 3005 }, 'tcp'],
    ['3306:3306', '', { from: 3306, to: 3306 }, { from: 3306, to: 3306 }, 'tcp'],
    ['9090-9091:8080-8081', '', { from: 9090, to: 9091 }, { from: 8080, to: 8081 }, 'tcp'],
    ['8000-9000:80', '', { from: 8000, to: 9000 }, { from: 80, to: 80 }, 'tcp'],
    ['127.0.0.1:3306:3306', '127.0.0.1', { from: 3306, to: 3306 }, { from: 3306, to: 3306 }, 'tcp'],
    ['127.0.0.1:5000-5010:5000-5010', '127.0.0.1', { from: 5000, to: 5010 }, { from: 5000, to: 5010 }, 'tcp'],
    ['127.0.0.1::5000', '127.0.0.1', undefined, { from: 5000, to: 5000 }, 'tcp'],
    ['::1:6000:6000', '::1', { from: 6000, to: 6000 }, { from: 6000, to: 6000 }, 'tcp'],
    ['[::1]:6001:6001', '::1', { from: 6001, to: 6001 }, { from: 6001, to: 6001 }, 'tcp'],
    ['[::]:80:80', '::', { from: 80, to: 80 }, { from: 80, to: 80 }, 'tcp'],
    ['6060:6060/udp', '', { from: 6060, to: 6060 }, { from: 6060, to: 6060 }, 'udp'],
    ['0.0.0.0:53:53/udp', '0.0.0.0', { from: 53, to: 53 }, { from: 53, to: 53 }, 'udp'],
    ['132:132/sctp', '', { from: 132, to: 132 }, { from: 132, to: 132 }, 'sctp'],
  ] as const)('parses %s', (input, hostIp, hostPort, containerPort, protocol) => {
    const b = short(input);
    expect(b.hostIp).toBe(hostIp);
    expect(b.hostPort).toEqual(hostPort);
    expect(b.containerPort).toEqual(containerPort);
    expect(b.protocol).toBe(protocol);
  });

  it.each(['abc', '70000:80', '80:80/icmp', '[::1:80:80', '1.2.3:80:80', '90-80:80'])('refuses %s with a message', (input) => {
    const r = parseShortPort(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(input);
  });
});

describe('long port syntax', () => {
  it('reads target, published, host_ip and protocol', () => {
    const r = parseLongPort({ target: 5432, published: '5432', host_ip: '127.0.0.1', protocol: 'tcp', mode: 'host' });
    expect(r.ok && r.binding).toMatchObject({ hostIp: '127.0.0.1', hostPort: { from: 5432, to: 5432 }, containerPort: { from: 5432, to: 5432 }, raw: '127.0.0.1:5432:5432/tcp' });
  });
  it('reads a published range and a bracketed IPv6 host_ip', () => {
    const r = parseLongPort({ target: 80, published: '8083-9000', host_ip: '[::1]' });
    expect(r.ok && r.binding).toMatchObject({ hostIp: '::1', hostPort: { from: 8083, to: 9000 } });
  });
  it('treats a missing published port as ephemeral', () => {
    const r = parseLongPort({ target: 80 });
    expect(r.ok && r.binding.hostPort).toBeUndefined();
  });
  it('refuses an entry without target', () => {
    expect(parseLongPort({ published: 80 }).ok).toBe(false);
  });
});

describe('bind scope', () => {
  it.each(['', '0.0.0.0', '::', '[::]', '::0', '::ffff:0.0.0.0', '*', '0:0:0:0:0:0:0:0'])('%s means all interfaces', (ip) => {
    expect(bindScope(ip)).toBe('all');
  });
  it.each(['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (ip) => {
    expect(bindScope(ip)).toBe('loopback');
  });
  it.each(['192.168.1.5', '10.0.0.1', '172.20.0.1', 'fd00::1'])('%s is a private address', (ip) => {
    expect(bindScope(ip)).toBe('private');
  });
  it('a public address is its own scope', () => {
    expect(bindScope('203.0.113.7')).toBe('public-address');
  });
});

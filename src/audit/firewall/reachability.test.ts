// Firewall model: Docker's default ruleset, ufw-docker, a DOCKER-USER restriction, the mistaken --dport, unknown modules, nftables.
import { describe, expect, it } from 'vitest';
import { parseShortPort } from '../ports.js';
import { auditYaml, firewallFixture } from '../../../test/fixtures/audit/support.js';
import type { PortBinding } from '../types.js';
import { parseIptablesSave, tokenize } from './iptables.js';
import { reachabilityByIptables } from './reachability.js';
import { parseFirewallSnapshot } from './snapshot.js';

function binding(spec: string): PortBinding {
  const r = parseShortPort(spec);
  if (!r.ok) throw new Error(r.error);
  return { ...r.binding, path: ['ports', 0], interpolated: false };
}

function verdict(fixture: string, spec: string) {
  return reachabilityByIptables(parseIptablesSave(firewallFixture(fixture)), binding(spec));
}

describe('iptables-save parsing', () => {
  it('reads tables, chain policies and rules in order', () => {
    const rs = parseIptablesSave(firewallFixture('docker-default.iptables'));
    expect(rs.tables.get('filter')?.get('FORWARD')?.policy).toBe('DROP');
    expect(rs.tables.get('filter')?.get('FORWARD')?.rules[0]?.target).toBe('DOCKER-USER');
    expect(rs.tables.get('nat')?.has('DOCKER')).toBe(true);
  });
  it('keeps quoted arguments together', () => {
    expect(tokenize('-A X -m comment --comment "two words" -j LOG --log-prefix "[UFW DOCKER BLOCK] "')).toEqual(['-A', 'X', '-m', 'comment', '--comment', 'two words', '-j', 'LOG', '--log-prefix', '[UFW DOCKER BLOCK] ']);
  });
  it('refuses text that is not iptables-save output', () => {
    expect(() => parseIptablesSave('hello world')).toThrow(/not iptables-save output/);
  });
});

describe('reachability', () => {
  it("Docker's default ruleset: a wildcard publish is public, decided by Docker's own chains", () => {
    const r = verdict('docker-default.iptables', '8080:80');
    expect(r.verdict).toBe('public');
    expect(r.decidedBy).toMatch(/DOCKER-ISOLATION-STAGE-1.*Docker's own rules/);
  });

  it('a loopback publish is local-only whatever the firewall', () => {
    expect(verdict('docker-default.iptables', '127.0.0.1:8080:80').verdict).toBe('local-only');
  });

  it('a DOCKER-USER restriction blocks other sources and names the rule', () => {
    const r = verdict('docker-user-restrict.iptables', '8080:80');
    expect(r.verdict).toBe('blocked');
    expect(r.decidedBy).toContain('filter/DOCKER-USER#2: -A DOCKER-USER -i eth0 ! -s 192.0.2.0/24 -j DROP');
  });

  it('ufw-docker: LAN sources pass (RFC 1918 RETURN), the internet is blocked unless a route allows the container port', () => {
    const lan = verdict('ufw-docker.iptables', '3306:3306');
    expect(lan.verdict).toBe('lan');
    expect(lan.decidedBy).toContain('192.168.1.10');
    const allowed = verdict('ufw-docker.iptables', '8443:443');
    expect(allowed.verdict).toBe('public');
    expect(allowed.decidedBy).toContain('filter/ufw-user-forward#1');
  });

  it('a DOCKER-USER --dport on the host port does not protect the container port (post-DNAT)', () => {
    expect(verdict('mistaken-dport.iptables', '8080:80').verdict).toBe('public');
    // The same rule does match when host and container ports are equal.
    expect(verdict('mistaken-dport.iptables', '8080:8080').verdict).toBe('blocked');
  });

  it('an unknown match module gives unknown, naming the rule, never a guess', () => {
    const r = verdict('unknown-module.iptables', '8080:80');
    expect(r.verdict).toBe('unknown');
    expect(r.decidedBy).toContain('filter/DOCKER-USER#1');
    expect(r.decidedBy).toContain('unknown match "-m set"');
  });

  it('a daemon with --iptables=false is not assessable', () => {
    const r = verdict('iptables-false.iptables', '8080:80');
    expect(r.verdict).toBe('unknown');
    expect(r.decidedBy).toMatch(/--iptables=false/);
  });

  it('an IPv6 binding with an IPv4 snapshot is unknown', () => {
    expect(verdict('docker-default.iptables', '[2001:db8::1]:8080:80').verdict).toBe('unknown');
  });

  it('an ip6tables-save snapshot is simulated with IPv6 sources', () => {
    const r = verdict('ip6-docker-user-restrict.ip6tables', '[::]:8080:80');
    expect(r.verdict).toBe('blocked');
    expect(r.decidedBy).toContain('2001:db8::10');
    expect(verdict('ip6-docker-user-restrict.ip6tables', '0.0.0.0:8080:80').verdict).toBe('unknown');
  });

  it('a binding on a LAN address is at most LAN-reachable', () => {
    expect(verdict('docker-default.iptables', '192.168.1.5:8080:80').verdict).toBe('lan');
  });
});

describe('nftables snapshots', () => {
  it("recognises Docker's nftables backend as not assessable", () => {
    const s = parseFirewallSnapshot(firewallFixture('nft-docker.json'));
    expect(s).toMatchObject({ kind: 'nftables', dockerBackend: true });
    const r = auditYaml('services:\n  web:\n    image: a:1.0.0\n    ports: ["8080:80"]\n', { firewallText: firewallFixture('nft-docker.json') });
    expect(r.findings.find((f) => f.ruleId === 'EXP-001')?.reachability?.verdict).toBe('unknown');
    expect(r.findings.map((f) => f.ruleId)).toContain('DMN-002');
  });
  it('an nftables ruleset without Docker tables is reported as such', () => {
    const s = parseFirewallSnapshot(firewallFixture('nft-plain.json'));
    expect(s.kind === 'nftables' && s.notAssessable).toMatch(/without Docker tables/);
  });
  it('refuses malformed JSON', () => {
    expect(() => parseFirewallSnapshot('{"nope": 1}')).toThrow(/nftables/);
  });
});

describe('firewall findings', () => {
  it('EXP-006 names the mistaken --dport rule and the fix', () => {
    const r = auditYaml('services:\n  web:\n    image: a:1.0.0\n    ports: ["8080:80"]\n', { firewallText: firewallFixture('mistaken-dport.iptables') });
    const f = r.findings.find((x) => x.ruleId === 'EXP-006');
    expect(f?.message).toContain('--ctorigdstport 8080');
    expect(f?.service).toBe('web');
  });
  it('EXP-006 flags the ufw-docker LAN-open RETURN rules', () => {
    const r = auditYaml('services:\n  web:\n    image: a:1.0.0\n', { firewallText: firewallFixture('ufw-docker.iptables') });
    expect(r.findings.filter((x) => x.ruleId === 'EXP-006').length).toBe(3);
  });
  it('EXP-005 fires when UFW is on and Docker publishes past it', () => {
    const r = auditYaml('services:\n  db:\n    image: postgres:16.4\n    ports: ["5432:5432"]\n', { firewallText: firewallFixture('ufw-plain.iptables') });
    expect(r.findings.find((x) => x.ruleId === 'EXP-005')?.message).toContain('UFW is active');
  });
  it('EXP-012 fires for an --iptables=false snapshot', () => {
    const r = auditYaml('services:\n  web:\n    image: a:1.0.0\n', { firewallText: firewallFixture('iptables-false.iptables') });
    expect(r.findings.map((x) => x.ruleId)).toContain('EXP-012');
  });
  it('a snapshot that cannot be parsed is an error (exit 2)', () => {
    expect(auditYaml('services: {}\n', { firewallText: 'garbage\n' }).errors[0]?.message).toMatch(/firewall snapshot/);
  });
});

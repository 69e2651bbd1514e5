// The seed guide's examples and severity scaling by service class and reachability.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditFixture, auditYaml, FIXTURES } from '../../test/fixtures/audit/support.js';

const rulesOf = (r: ReturnType<typeof auditYaml>, id: string) => r.findings.filter((f) => f.ruleId === id);

describe("the deployer guide's examples", () => {
  it('a MySQL published as 3306:3306 is a public datastore finding, pointed at the port item', () => {
    const r = auditFixture(join(FIXTURES, 'seed-public-mysql', 'compose.yaml'));
    const f = rulesOf(r, 'EXP-002')[0]!;
    expect(f).toMatchObject({ severity: 'high', service: 'mysql', location: { file: 'compose.yaml', line: 9, column: 9 } });
    expect(f.reachability?.verdict).toBe('public');
    expect(f.evidence).toMatchObject({ hostIp: '0.0.0.0', hostPort: '3306', containerPort: '3306', serviceClass: 'datastore' });
  });

  it('the segmented layout (Prometheus on 127.0.0.1, MySQL without ports on its own network) passes the exposure and segmentation rules', () => {
    const r = auditFixture(join(FIXTURES, 'seed-segmented', 'compose.yaml'));
    expect(r.errors).toEqual([]);
    for (const id of ['EXP-002', 'EXP-003', 'EXP-004', 'SEG-001', 'SEG-002', 'SEG-003', 'SOCK-001', 'PRIV-001', 'SEC-001', 'SEC-003']) {
      expect(rulesOf(r, id).map((f) => f.message), id).toEqual([]);
    }
    // Its deliberately public tracker ports are reported, at medium (an app), not as datastores.
    expect(rulesOf(r, 'EXP-001').map((f) => [f.service, f.severity])).toEqual([['tracker', 'medium'], ['tracker', 'medium'], ['tracker', 'medium'], ['grafana', 'medium']].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
  });
});

describe('severity scales with service class and reachability', () => {
  it('a public Postgres with trust authentication is critical', () => {
    const r = auditYaml('services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_HOST_AUTH_METHOD: trust\n    ports: ["5432:5432"]\n');
    expect(rulesOf(r, 'EXP-002')[0]?.severity).toBe('critical');
    expect(rulesOf(r, 'SEC-004')[0]?.severity).toBe('critical');
  });
  it('a loopback datastore is low, a LAN one medium', () => {
    expect(rulesOf(auditYaml('services:\n  db:\n    image: redis:7.4.1\n    ports: ["127.0.0.1:6379:6379"]\n'), 'EXP-002')[0]?.severity).toBe('low');
    expect(rulesOf(auditYaml('services:\n  db:\n    image: redis:7.4.1\n    ports: ["192.168.1.2:6379:6379"]\n'), 'EXP-002')[0]?.severity).toBe('medium');
  });
  it('a datastore is recognised by its well-known port when the image is unknown', () => {
    expect(rulesOf(auditYaml('services:\n  db:\n    image: acme/store:1.0.0\n    ports: ["27017:27017"]\n'), 'EXP-002')).toHaveLength(1);
  });
  it('a public edge proxy is informational', () => {
    const r = auditYaml('services:\n  proxy:\n    image: caddy:2.8.4\n    ports: ["80:80", "443:443"]\n');
    expect(rulesOf(r, 'EXP-001').map((f) => f.severity)).toEqual(['info', 'info']);
  });
  it('the Docker API and debug ports are critical when public', () => {
    expect(rulesOf(auditYaml('services:\n  d:\n    image: docker:27-dind\n    ports: ["2375:2375"]\n'), 'EXP-004')[0]?.severity).toBe('critical');
    expect(rulesOf(auditYaml('services:\n  n:\n    image: node:22.11.0\n    ports: ["9229:9229"]\n'), 'EXP-003')[0]?.severity).toBe('critical');
  });
  it('traefik with --api.insecure publishing 8080 is an admin endpoint', () => {
    const r = auditYaml('services:\n  t:\n    image: traefik:v3.2.1\n    command: ["--api.insecure=true"]\n    ports: ["8080:8080"]\n');
    expect(rulesOf(r, 'EXP-003')[0]?.severity).toBe('high');
  });
  it('hygiene rules stay low or info', () => {
    const r = auditYaml('services:\n  a:\n    image: acme/a:1.0.0\n');
    for (const id of ['PRIV-005', 'PRIV-006', 'PRIV-011', 'OPS-001', 'OPS-002', 'OPS-003', 'OPS-004']) {
      expect(['low', 'info'], id).toContain(rulesOf(r, id)[0]?.severity);
    }
  });
  it('an unset bind address falls back to all interfaces and is flagged', () => {
    const r = auditYaml('services:\n  db:\n    image: postgres:16.4\n    ports: ["${DB_BIND}:5432:5432"]\n');
    expect(rulesOf(r, 'EXP-002')[0]?.severity).toBe('high');
    expect(rulesOf(r, 'EXP-011')[0]?.evidence).toEqual({ variables: 'DB_BIND' });
  });
  it('ports of a host-network service are ignored by Docker, so only PRIV-002 reports it', () => {
    const r = auditYaml('services:\n  a:\n    image: acme/a:1.0.0\n    network_mode: host\n    ports: ["8080:8080"]\n');
    expect(r.findings.filter((f) => f.ruleId.startsWith('EXP-'))).toEqual([]);
    expect(rulesOf(r, 'PRIV-002')).toHaveLength(1);
  });
  it('a socket mount marked read-only is still critical', () => {
    const r = auditYaml('services:\n  w:\n    image: acme/w:1.0.0\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]\n');
    expect(rulesOf(r, 'SOCK-001')[0]).toMatchObject({ severity: 'critical', evidence: { readOnly: true } });
  });
  it('mounting /var/run (the socket\'s directory) counts as a socket mount', () => {
    expect(rulesOf(auditYaml('services:\n  w:\n    image: acme/w:1.0.0\n    volumes: ["/var/run:/host-run"]\n'), 'SOCK-001')).toHaveLength(1);
  });
});

// `portcullis audit host` against the real dockerd: risky containers (created, never publishing beyond loopback) and their findings.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectHost, auditHostSnapshot, type AuditReport } from '../../src/audit/index.js';
import { runAuditHost, type AuditIo } from '../../src/cli/audit.js';
import { DockerClient } from '../../src/docker/index.js';
import { TEST_IMAGE } from '../helpers/docker-cli.js';

const RUN = `al${process.pid}${Date.now().toString(36)}`;
const RUN_LABEL = `portcullis.test.run=${RUN}`;
const LABELS = { 'portcullis.test': '1', 'portcullis.test.run': RUN };
const FIXTURE = resolve(import.meta.dirname, '../fixtures/audit/seed-public-mysql/compose.yaml');
/** A host port for the created-only container; nothing ever listens on it (verified below). */
const UNUSED_PORT = 39_000 + (process.pid % 1000);

let docker: DockerClient;
const ids: Record<string, string> = {};

async function create(name: string, hostConfig: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const { Labels: extraLabels, ...rest } = extra as { Labels?: Record<string, string> };
  const { Id } = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ['sleep', '600'], ...rest, Labels: { ...LABELS, ...(extraLabels ?? {}) }, HostConfig: hostConfig }, { name: `${RUN}-${name}` });
  ids[name] = Id;
  return Id;
}

function io(): AuditIo & { out: string; err: string } {
  const o = { out: '', err: '' };
  return Object.assign(o, { env: {}, cwd: '/', isTty: false, isRoot: process.getuid?.() === 0, stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) });
}

function findings(r: AuditReport, ruleId: string, container: string): AuditReport['findings'] {
  return r.findings.filter((f) => f.ruleId === ruleId && f.container?.name === `${RUN}-${container}`);
}

beforeAll(async () => {
  docker = DockerClient.fromDockerHost(undefined);
  await create('priv', { Privileged: true });
  await create('sock', { Binds: ['/var/run/docker.sock:/var/run/docker.sock:ro'] });
  await create('capsys', { CapAdd: ['SYS_ADMIN'], SecurityOpt: ['seccomp=unconfined'] });
  await create('hostns', { PidMode: 'host', NetworkMode: 'host' });
  // Created, never started: PortBindings say 0.0.0.0, but a created container binds nothing.
  await create('pubdb', { PortBindings: { '3306/tcp': [{ HostIp: '0.0.0.0', HostPort: String(UNUSED_PORT) }] } }, {
    ExposedPorts: { '3306/tcp': {} },
    Labels: { 'com.docker.compose.project': RUN, 'com.docker.compose.service': 'mysql', 'com.docker.compose.project.config_files': FIXTURE },
  });
  const local = await create('local', { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] }, ReadonlyRootfs: true, CapDrop: ['ALL'] }, { ExposedPorts: { '80/tcp': {} } });
  await docker.startContainer(local);
});

afterAll(async () => {
  for (const id of Object.values(ids)) {
    try {
      await docker.removeContainer(id, { force: true, v: true });
    } catch {
      // already gone
    }
  }
  await docker.close();
});

describe('live host audit', () => {
  let report: AuditReport;
  beforeAll(async () => {
    const snap = await collectHost(docker, { labels: [RUN_LABEL] });
    expect(snap.containers).toHaveLength(6);
    report = auditHostSnapshot(snap, { hostName: 'test' });
  });

  it('the created-only container with a 0.0.0.0 binding really binds nothing', () => {
    const ss = execFileSync('ss', ['-Hltn', `sport = :${UNUSED_PORT}`], { encoding: 'utf8' });
    expect(ss.trim()).toBe('');
    const nat = execFileSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' });
    expect(nat).not.toContain(`--dport ${UNUSED_PORT}`);
  });

  it('flags the privileged container as critical', () => {
    expect(findings(report, 'PRIV-001', 'priv')[0]?.severity).toBe('critical');
  });

  it('flags the docker.sock mount, read-only or not', () => {
    expect(findings(report, 'SOCK-001', 'sock')[0]).toMatchObject({ severity: 'critical', evidence: { source: '/var/run/docker.sock', readOnly: true } });
  });

  it('flags CAP_SYS_ADMIN and seccomp=unconfined', () => {
    expect(findings(report, 'PRIV-004', 'capsys')[0]).toMatchObject({ severity: 'critical', evidence: { capability: 'SYS_ADMIN' } });
    expect(findings(report, 'PRIV-007', 'capsys')).toHaveLength(1);
  });

  it('flags host PID and host network namespaces', () => {
    expect(findings(report, 'PRIV-003', 'hostns')[0]?.evidence).toEqual({ namespace: 'pid' });
    expect(findings(report, 'PRIV-002', 'hostns')).toHaveLength(1);
  });

  it('reports the 0.0.0.0:3306 binding as a public datastore, mapped back to its compose file', () => {
    const f = findings(report, 'EXP-002', 'pubdb')[0]!;
    expect(f).toMatchObject({ severity: 'high', service: 'mysql', reachability: { verdict: 'public' } });
    expect(f.evidence).toMatchObject({ hostIp: '0.0.0.0', hostPort: String(UNUSED_PORT), containerPort: '3306' });
    expect(f.location?.file).toBe(FIXTURE);
  });

  it('a loopback publish is local-only: no exposure finding, but EXP-007 on Docker < 28', () => {
    expect(findings(report, 'EXP-001', 'local')).toEqual([]);
    const version = report.target.host?.engine ?? '';
    const major = Number.parseInt(version, 10);
    expect(findings(report, 'EXP-007', 'local')).toHaveLength(major < 28 ? 1 : 0);
    expect(findings(report, 'PRIV-005', 'local')).toEqual([]);
    expect(findings(report, 'PRIV-011', 'local')).toEqual([]);
  });

  it('reports the daemon posture and the missing firewall snapshot', () => {
    expect(report.findings.some((f) => f.ruleId === 'DMN-002')).toBe(true);
    expect(report.findings.some((f) => f.ruleId === 'DMN-001')).toBe(true);
    expect(report.errors).toEqual([]);
  });
});

describe('audit host command', () => {
  it('renders JSON for the labelled containers, maps compose labels to lines, and exits 1', async () => {
    const a = io();
    const code = await runAuditHost({ format: 'json', label: [RUN_LABEL] }, a);
    expect(a.err).toBe('');
    expect(code).toBe(1);
    const j = JSON.parse(a.out) as { target: { kind: string }; findings: { ruleId: string; location?: { file?: string; line?: number; service?: string } }[] };
    expect(j.target.kind).toBe('host');
    const db = j.findings.find((f) => f.ruleId === 'EXP-002')!;
    expect(db.location).toMatchObject({ file: FIXTURE, line: 3, service: 'mysql' });
  });

  it.skipIf(process.getuid?.() !== 0)('--collect-firewall reads this host\'s iptables and names the deciding rule', async () => {
    const a = io();
    await runAuditHost({ format: 'json', label: [RUN_LABEL], collectFirewall: true }, a);
    const j = JSON.parse(a.out) as { findings: { ruleId: string; reachability?: { verdict: string; decidedBy: string } }[] };
    const db = j.findings.find((f) => f.ruleId === 'EXP-002')!;
    expect(db.reachability?.verdict).toBe('public');
    expect(db.reachability?.decidedBy).toMatch(/^filter\/FORWARD#\d+/);
  });

  it('SARIF for a host run carries a host automation id', async () => {
    const a = io();
    await runAuditHost({ format: 'sarif', label: [RUN_LABEL] }, a);
    const s = JSON.parse(a.out) as { runs: { automationDetails: { id: string }; results: unknown[] }[] };
    expect(s.runs[0]!.automationDetails.id).toMatch(/^portcullis\/host\//);
    expect(s.runs[0]!.results.length).toBeGreaterThan(5);
  });
});

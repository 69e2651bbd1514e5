// `portcullis audit` in-process: exit codes 0/1/2, formats, --output, --firewall, --baseline and the --server refusal.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerAuditCommand, runAuditCompose, runAuditHost, type AuditIo } from './audit.js';

const FIX = resolve(import.meta.dirname, '../../test/fixtures/audit');
const tmp = mkdtempSync(join(tmpdir(), 'portcullis-audit-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface JsonReport {
  target: { files: string[] };
  findings: { ruleId: string; severity: string; location: Record<string, unknown>; evidence: Record<string, unknown>; reachability: { verdict: string } }[];
  errors: { message: string }[];
}
const parse = (text: string): JsonReport => JSON.parse(text) as JsonReport;
const find = (j: JsonReport, id: string) => j.findings.find((f) => f.ruleId === id)!;

function io(cwd: string, env: NodeJS.ProcessEnv = {}): AuditIo & { out: string; err: string } {
  const o = { out: '', err: '' };
  return Object.assign(o, { env, cwd, isTty: false, isRoot: false, stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) });
}

describe('audit compose', () => {
  it('exits 1 on the public MySQL example and 0 when --fail-on critical', async () => {
    const a = io(join(FIX, 'seed-public-mysql'));
    expect(await runAuditCompose([], {}, a)).toBe(1);
    expect(a.out).toContain('EXP-002');
    expect(await runAuditCompose([], { failOn: 'critical' }, io(join(FIX, 'seed-public-mysql')))).toBe(0);
  });

  it('discovers the override file and .env: the override publishes the database', async () => {
    const a = io(join(FIX, 'project-override'));
    expect(await runAuditCompose([], { format: 'json' }, a)).toBe(1);
    const j = parse(a.out);
    expect(j.target.files).toEqual(['docker-compose.yml', 'docker-compose.override.yml']);
    const db = find(j, 'EXP-002');
    expect(db.location).toMatchObject({ file: 'docker-compose.override.yml', line: 5, column: 9 });
    expect(find(j, 'EXP-001').evidence.hostIp).toBe('0.0.0.0');
  });

  it('exits 2 when a required variable is missing (no .env value, no environment)', async () => {
    const dir = mkdtempSync(join(tmp, 'req-'));
    writeFileSync(join(dir, 'compose.yaml'), readFileSync(join(FIX, 'project-override', 'docker-compose.yml')));
    const a = io(dir);
    expect(await runAuditCompose([], {}, a)).toBe(2);
    expect(a.out).toContain('required variable POSTGRES_PASSWORD is not set');
  });

  it('follows include: the included MariaDB without a root password is critical', async () => {
    const a = io(join(FIX, 'project-include'));
    expect(await runAuditCompose([], { format: 'json' }, a)).toBe(1);
    const j = parse(a.out);
    expect(find(j, 'EXP-002')).toMatchObject({ severity: 'critical', location: { file: 'db/compose.yaml' } });
  });

  it('exits 2 on invalid YAML and reports it, never as a finding', async () => {
    const a = io(join(FIX, 'bad-yaml'));
    expect(await runAuditCompose([], { format: 'json' }, a)).toBe(2);
    const j = parse(a.out);
    expect(j.findings).toEqual([]);
    expect(j.errors[0]!.message).toMatch(/invalid YAML/);
  });

  it('exits 2 on a bad --format, --fail-on, a missing --firewall file or no compose file', async () => {
    expect(await runAuditCompose([], { format: 'xml' }, io(FIX))).toBe(2);
    expect(await runAuditCompose([], { failOn: 'info' }, io(FIX))).toBe(2);
    const a = io(join(FIX, 'seed-public-mysql'));
    expect(await runAuditCompose([], { firewall: 'nope.txt' }, a)).toBe(2);
    expect(a.err).toContain('--firewall nope.txt: cannot read it');
    expect(await runAuditCompose([], {}, io(tmp))).toBe(2);
  });

  it('uses a firewall snapshot: the DOCKER-USER restriction turns the public MySQL into blocked', async () => {
    const a = io(join(FIX, 'seed-public-mysql'));
    const code = await runAuditCompose([], { format: 'json', firewall: join(FIX, 'firewall', 'docker-user-restrict.iptables') }, a);
    const f = find(parse(a.out), 'EXP-002');
    expect(f.reachability.verdict).toBe('blocked');
    expect(f.severity).toBe('info');
    expect(code).toBe(0);
  });

  it('writes --output and honours --baseline from a previous JSON report', async () => {
    const out = join(tmp, 'report.json');
    expect(await runAuditCompose([], { format: 'json', output: out }, io(join(FIX, 'seed-public-mysql')))).toBe(1);
    const again = io(join(FIX, 'seed-public-mysql'));
    expect(await runAuditCompose([], { baseline: out }, again)).toBe(0);
    expect(again.out).toMatch(/\d+ suppressed/);
  });

  it('renders SARIF', async () => {
    const a = io(join(FIX, 'seed-public-mysql'));
    await runAuditCompose(['compose.yaml'], { format: 'sarif' }, a);
    expect((JSON.parse(a.out) as { runs: { results: unknown[] }[] }).runs[0]!.results.length).toBeGreaterThan(0);
  });
});

describe('audit host', () => {
  it('exits 2 for --server without an API token, without --host, or with plain http to another machine', async () => {
    const a = io(tmp);
    expect(await runAuditHost({ server: 'https://portcullis.example', host: 'h1' }, a)).toBe(2);
    expect(a.err).toContain('needs an API token');
    const b = io(tmp);
    expect(await runAuditHost({ server: 'https://portcullis.example' }, b)).toBe(2);
    expect(b.err).toContain('--server and --host go together');
    const c = io(tmp, { PORTCULLIS_TOKEN: 'pct_x' });
    expect(await runAuditHost({ server: 'http://portcullis.example', host: 'h1' }, c)).toBe(2);
    expect(c.err).toContain('must be https://');
    const d = io(tmp);
    expect(await runAuditHost({ server: 'https://portcullis.example', host: 'h1', firewall: 'x' }, d)).toBe(2);
    expect(d.err).toContain('do not combine with --server');
  });

  it('exits 2 when the Docker host cannot be reached', async () => {
    const a = io(tmp);
    expect(await runAuditHost({ dockerHost: `unix://${join(tmp, 'no-such.sock')}` }, a)).toBe(2);
    expect(a.err).toContain('cannot read the Docker host');
  });

  it('exits 2 for --collect-firewall without root', async () => {
    const a = io(tmp);
    expect(await runAuditHost({ collectFirewall: true, dockerHost: `unix://${join(tmp, 'x.sock')}` }, a)).toBe(2);
    expect(a.err).toContain('needs root');
  });
});

describe('registerAuditCommand', () => {
  it('adds audit compose and audit host with the documented options', () => {
    const program = new Command();
    registerAuditCommand(program);
    const audit = program.commands.find((c) => c.name() === 'audit')!;
    const sub = (name: string) => audit.commands.find((c) => c.name() === name)!;
    const flags = (name: string) => sub(name).options.map((o) => o.long);
    for (const f of ['--format', '--fail-on', '--firewall', '--collect-firewall', '--baseline', '--output']) {
      expect(flags('compose')).toContain(f);
      expect(flags('host')).toContain(f);
    }
    expect(flags('host')).toEqual(expect.arrayContaining(['--docker-host', '--server', '--host', '--label']));
  });
});

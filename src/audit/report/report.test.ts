// Reporters: SARIF 2.1.0 (validated against the schema when installed), the JSON envelope and the text report.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { auditYaml } from '../../../test/fixtures/audit/support.js';
import { renderJson } from './json.js';
import { FINGERPRINT_KEY, renderSarif } from './sarif.js';
import { renderText } from './text.js';

const ROOT = resolve(import.meta.dirname, '../../..');
/** Ajv's draft-04 build is CommonJS: `require` yields the class itself. */
const Ajv4 = createRequire(import.meta.url)('ajv-draft-04') as typeof import('ajv-draft-04').default;

/** Where an installed package may ship the SARIF 2.1.0 JSON schema. */
const SCHEMA_CANDIDATES = [
  'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
  'node_modules/sarif-schema-2.1.0.json',
  'node_modules/@types/sarif/sarif-schema-2.1.0.json',
].map((p) => join(ROOT, p));
const schemaPath = SCHEMA_CANDIDATES.find((p) => existsSync(p));

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  locations: { physicalLocation: { region: { startLine: number } } & Record<string, unknown>; logicalLocations: unknown[] }[];
  partialFingerprints: Record<string, string>;
}
interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { rules: { id: string; properties: { tags: string[]; 'security-severity': string } }[] } };
    results: SarifResult[];
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string }[] }[];
  }[];
}
interface JsonFinding {
  ruleId: string;
  location: Record<string, unknown>;
  reachability: { verdict: string };
}

const YAML = 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: changeme\n    ports:\n      - "5432:5432" # portcullis-ignore EXP-001: n/a\n  web:\n    image: acme/web:latest\n    privileged: true\n';

describe('SARIF', () => {
  const report = auditYaml(YAML);
  const sarif = JSON.parse(renderSarif(report)) as SarifLog;

  it('validates against the SARIF 2.1.0 schema (from the devDependency @microsoft/jest-sarif)', () => {
    expect(schemaPath, 'no SARIF schema installed: npm install').toBeDefined();
    // The SARIF schema is JSON Schema draft-04 (Ajv's draft-04 build); one of its patterns is not valid as a /u regex.
    const schema = JSON.parse(readFileSync(schemaPath!, 'utf8'));
    const ajv = new Ajv4({ strict: false, allErrors: true, unicodeRegExp: false });
    (addFormats as unknown as (a: InstanceType<typeof Ajv4>) => void)(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The check can fail: a result without its required message is refused.
    expect(validate({ ...sarif, runs: [{ ...sarif.runs[0], results: [{ ruleId: 'X' }] }] })).toBe(false);
  });

  it('carries the rule table, levels, regions and fingerprints', () => {
    const run = sarif.runs[0]!;
    expect(sarif.version).toBe('2.1.0');
    expect(run.tool.driver.rules.length).toBe(report.rules.length);
    const exp = run.results.find((r) => r.ruleId === 'EXP-002')!;
    expect(exp.level).toBe('error');
    expect(exp.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'compose.yaml', uriBaseId: 'SRCROOT' }, region: { startLine: 7, startColumn: 9, endLine: 7, endColumn: 20 } });
    expect(exp.locations[0]!.logicalLocations[0]).toEqual({ name: 'db', fullyQualifiedName: 'services.db.ports.0', kind: 'resource' });
    expect(exp.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{64}$/);
    expect(run.tool.driver.rules[exp.ruleIndex]!.id).toBe('EXP-002');
    const rule = run.tool.driver.rules.find((r) => r.id === 'PRIV-001')!;
    expect(rule.properties['security-severity']).toBe('9.5');
    expect(rule.properties.tags).toContain('CIS-5.5');
  });

  it('keeps partialFingerprints stable when lines move', () => {
    const moved = JSON.parse(renderSarif(auditYaml(`# header\n# more\n${YAML}`))) as SarifLog;
    const fp = (s: SarifLog): string[] => s.runs[0]!.results.map((r) => `${r.ruleId}:${r.partialFingerprints[FINGERPRINT_KEY] ?? ''}`).sort();
    expect(fp(moved)).toEqual(fp(sarif));
    expect(moved.runs[0]!.results.find((r) => r.ruleId === 'EXP-002')!.locations[0]!.physicalLocation.region.startLine).toBe(9);
  });

  it('reports errors as tool notifications and marks the run unsuccessful', () => {
    const bad = JSON.parse(renderSarif(auditYaml('services: [\n'))) as SarifLog;
    const run = bad.runs[0]!;
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    expect(run.invocations[0]!.toolExecutionNotifications[0]!.level).toBe('error');
    expect(run.results).toEqual([]);
  });
});

describe('JSON envelope', () => {
  it('is versioned and carries summary, findings with location and evidence, and errors', () => {
    const j = JSON.parse(renderJson(auditYaml(YAML))) as { version: string; tool: { name: string }; target: unknown; summary: Record<string, number>; findings: JsonFinding[]; errors: unknown[] };
    expect(j.version).toBe('1');
    expect(j.tool.name).toBe('portcullis-audit');
    expect(j.target).toEqual({ kind: 'compose', files: ['compose.yaml'] });
    expect(j.summary.critical ?? 0).toBeGreaterThan(0);
    const f = j.findings.find((x) => x.ruleId === 'EXP-002')!;
    expect(f.location).toMatchObject({ file: 'compose.yaml', line: 7, column: 9, service: 'db', path: 'services.db.ports.0' });
    expect(f.reachability.verdict).toBe('public');
    expect(j.errors).toEqual([]);
  });
});

describe('text report', () => {
  it('groups by file and service with line:col, one fix per rule, and a verdict line', () => {
    const text = renderText(auditYaml(YAML), { color: false, failOn: 'high' });
    expect(text).toMatch(/^compose\.yaml\n {2}(db|web)\n/);
    expect(text).toMatch(/ {4}7:9 +CRITICAL +EXP-002 +datastore db publishes "5432:5432"/);
    expect(text.match(/fix PRIV-005:/g)).toHaveLength(1);
    expect(text).toMatch(/✗ FAIL · \d+ finding\(s\) ≥ high\n$/);
    expect(text).not.toContain('\x1b[');
  });
  it('says PASS when nothing reaches the threshold', () => {
    expect(renderText(auditYaml('services:\n  a:\n    image: acme/a:1.0.0\n'), { color: true, failOn: 'high' })).toMatch(/✓ PASS/);
  });
});

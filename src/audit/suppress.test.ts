// Inline suppressions and baselines: suppressed findings stay in the report but never fail the run.
import { describe, expect, it } from 'vitest';
import { auditCompose } from './audit.js';
import { exitCodeFor } from './engine.js';
import { renderJson } from './report/json.js';
import { inlineSuppressions, parseBaseline } from './suppress.js';
import { auditYaml, memoryReader } from '../../test/fixtures/audit/support.js';

describe('inline suppressions', () => {
  it('parses trailing and own-line comments with reasons', () => {
    const map = inlineSuppressions('a: 1 # portcullis-ignore EXP-001: behind a VPN\n# portcullis-ignore PRIV-001, PRIV-004: needs it\n\nb: 2\n');
    expect(map.get(1)).toEqual([{ rules: ['EXP-001'], reason: 'behind a VPN' }]);
    expect(map.get(4)).toEqual([{ rules: ['PRIV-001', 'PRIV-004'], reason: 'needs it' }]);
  });

  it('suppresses the finding on the commented line only, keeping it in the report with its reason', () => {
    const r = auditYaml('services:\n  db:\n    image: postgres:16.4\n    ports:\n      - "5432:5432" # portcullis-ignore EXP-002: firewalled upstream\n      - "5433:5432"\n');
    const exp = r.findings.filter((f) => f.ruleId === 'EXP-002');
    expect(exp.map((f) => [f.location?.line, f.suppressed])).toEqual([[5, true], [6, false]]);
    expect(exp[0]?.suppression).toEqual({ kind: 'inSource', reason: 'firewalled upstream' });
  });

  it('a comment above a service covers all its findings of that rule', () => {
    const r = auditYaml('services:\n  # portcullis-ignore PRIV-001: hardware access, reviewed\n  agent:\n    image: acme/agent:1.0.0\n    privileged: true\n');
    expect(r.findings.find((f) => f.ruleId === 'PRIV-001')?.suppressed).toBe(true);
    expect(exitCodeFor(r.findings, r.errors, 'critical')).toBe(0);
  });

  it('does not suppress other rules', () => {
    const r = auditYaml('services:\n  agent:\n    image: acme/agent:1.0.0\n    privileged: true # portcullis-ignore PRIV-002: wrong id\n');
    expect(r.findings.find((f) => f.ruleId === 'PRIV-001')?.suppressed).toBe(false);
  });
});

describe('baselines', () => {
  it('a previous JSON report suppresses the same findings, even after lines move', () => {
    const v1 = 'services:\n  db:\n    image: postgres:16.4\n    ports: ["5432:5432"]\n';
    const first = auditYaml(v1);
    const baseline = parseBaseline(renderJson(first));
    const moved = `# a new comment\n\n${v1}`;
    const second = auditCompose({ files: [], cwd: '/project', env: {}, reader: memoryReader({ '/project/compose.yaml': moved }), baseline });
    expect(second.findings.length).toBe(first.findings.length);
    expect(second.findings.every((f) => f.suppressed && f.suppression?.kind === 'baseline')).toBe(true);
    expect(second.findings.find((f) => f.ruleId === 'EXP-002')?.location?.line).toBe(6);
  });

  it('reads {"fingerprints": [...]} and refuses other JSON', () => {
    expect([...parseBaseline('{"fingerprints": ["a", "b"]}')]).toEqual(['a', 'b']);
    expect(() => parseBaseline('{"x": 1}')).toThrow(/neither/);
    expect(() => parseBaseline('nope')).toThrow(/not JSON/);
  });
});

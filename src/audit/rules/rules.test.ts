// Every rule has a fixture that must fire and one that must not (test/fixtures/audit/rules/<ID>/).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditFixture, firewallFixture, FIXTURES } from '../../../test/fixtures/audit/support.js';
import { ALL_RULES } from './index.js';

const dir = (id: string): string => join(FIXTURES, 'rules', id);

function caseFile(id: string, kind: 'fires' | 'passes'): string {
  const yaml = join(dir(id), `${kind}.yaml`);
  return existsSync(yaml) ? yaml : join(dir(id), `${kind}.json`);
}

function firewallFor(id: string, kind: 'fires' | 'passes'): string | undefined {
  const meta = join(dir(id), 'firewall.json');
  if (!existsSync(meta)) return undefined;
  const m = JSON.parse(readFileSync(meta, 'utf8')) as { firesFirewall?: string; passesFirewall?: string };
  const name = kind === 'fires' ? m.firesFirewall : m.passesFirewall;
  return name ? firewallFixture(name) : undefined;
}

describe('rule catalogue', () => {
  it('has at least 40 rules with unique, well-formed ids and complete documentation', () => {
    expect(ALL_RULES.length).toBeGreaterThanOrEqual(40);
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^(EXP|SEG|SOCK|PRIV|IMG|SEC|OPS|DMN)-\d{3}$/);
      expect(r.description.length, r.id).toBeGreaterThan(30);
      expect(r.fix.length, r.id).toBeGreaterThan(15);
      expect(r.sources.length, r.id).toBeGreaterThan(0);
      expect(r.severityText.length, r.id).toBeGreaterThan(3);
    }
  });

  for (const rule of ALL_RULES) {
    describe(rule.id, () => {
      it(`fires on its "fires" fixture`, () => {
        const report = auditFixture(caseFile(rule.id, 'fires'), firewallFor(rule.id, 'fires'));
        expect(report.errors).toEqual([]);
        expect(report.findings.map((f) => f.ruleId)).toContain(rule.id);
      });
      it(`stays silent on its "passes" fixture`, () => {
        const report = auditFixture(caseFile(rule.id, 'passes'), firewallFor(rule.id, 'passes'));
        expect(report.errors).toEqual([]);
        expect(report.findings.filter((f) => f.ruleId === rule.id).map((f) => f.message)).toEqual([]);
      });
    });
  }
});

// The rule runner: exit codes 0/1/2, rule crashes as errors (never findings), stable fingerprints.
import { describe, expect, it } from 'vitest';
import { exitCodeFor, fingerprint, runRules } from './engine.js';
import type { AuditModel, Finding, Rule } from './types.js';

const model: AuditModel = { mode: 'compose', services: [], networks: [] };
const crashing: Rule = {
  id: 'TST-001', title: 't', category: 'operations', severityText: 'x', defaultSeverity: 'low', description: 'd', fix: 'f', sources: ['s'], modes: ['compose'],
  check: () => {
    throw new Error('boom');
  },
};

function finding(severity: Finding['severity'], suppressed = false): Finding {
  return { id: 'x', ruleId: 'EXP-001', severity, category: 'exposure', title: 't', message: 'm', evidence: {}, fix: 'f', references: [], suppressed };
}

describe('runRules', () => {
  it('turns a rule crash into an error, not a finding', () => {
    const r = runRules(model, { rules: [crashing] });
    expect(r.findings).toEqual([]);
    expect(r.errors).toEqual([{ message: 'rule TST-001 crashed: boom' }]);
    expect(exitCodeFor(r.findings, r.errors, 'low')).toBe(2);
  });
  it('skips rules of the other mode', () => {
    expect(runRules({ ...model, mode: 'host' }, { rules: [crashing] }).rulesRun).toBe(0);
  });
});

describe('exit codes', () => {
  it('0 when nothing reaches --fail-on, 1 when something does, suppressed findings never count', () => {
    expect(exitCodeFor([finding('medium')], [], 'high')).toBe(0);
    expect(exitCodeFor([finding('high')], [], 'high')).toBe(1);
    expect(exitCodeFor([finding('critical')], [], 'high')).toBe(1);
    expect(exitCodeFor([finding('low')], [], 'low')).toBe(1);
    expect(exitCodeFor([finding('info')], [], 'low')).toBe(0);
    expect(exitCodeFor([finding('critical', true)], [], 'low')).toBe(0);
  });
  it('2 wins over findings when the audit could not decide', () => {
    expect(exitCodeFor([finding('critical')], [{ message: 'bad yaml' }], 'high')).toBe(2);
  });
});

describe('fingerprint', () => {
  it('depends on rule, file, service and evidence only', () => {
    const a = fingerprint('EXP-002', 'compose.yaml', 'db', '*|5432|5432|tcp');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint('EXP-002', 'compose.yaml', 'db', '*|5432|5432|tcp')).toBe(a);
    expect(fingerprint('EXP-002', 'compose.yaml', 'db2', '*|5432|5432|tcp')).not.toBe(a);
  });
});

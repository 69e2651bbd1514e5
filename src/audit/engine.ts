// Runs the rules over a model: locations, fingerprints, suppressions, and rule crashes as errors (never findings).
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { ALL_RULES } from './rules/index.js';
import { inlineSuppressions, type InlineIgnore } from './suppress.js';
import type { AuditError, AuditModel, Finding, Rule, RuleHit, Severity, SourceLoc } from './types.js';
import { SEVERITIES } from './types.js';

export interface RunOptions {
  rules?: readonly Rule[];
  /** Source texts by absolute path, for inline suppressions. */
  texts?: ReadonlyMap<string, string>;
  /** Fingerprints to mark as suppressed (baseline). */
  baseline?: ReadonlySet<string>;
  /** Directory file paths are reported relative to (and fingerprinted relative to). */
  baseDir?: string;
  /** Host identity for host-mode fingerprints of findings without a file. */
  hostName?: string;
}

export interface RunResult {
  findings: Finding[];
  errors: AuditError[];
  rulesRun: number;
}

/** Fingerprint of a finding: rule, file (or host), service and evidence key; never the message or line. */
export function fingerprint(ruleId: string, where: string, service: string, evidenceKey: string): string {
  return createHash('sha256').update(`v1|${ruleId}|${where}|${service}|${evidenceKey}`).digest('hex');
}

function relative(file: string, baseDir: string | undefined): string {
  if (!baseDir || !file.startsWith('/')) return file;
  const r = posix.relative(baseDir, file);
  return r === '' ? posix.basename(file) : r;
}

function suppressionFor(hit: RuleHit, loc: SourceLoc | undefined, ruleId: string, maps: Map<string, Map<number, InlineIgnore[]>>): InlineIgnore | undefined {
  const candidates: SourceLoc[] = [];
  if (loc) candidates.push(loc);
  if (hit.service?.declaredAt) candidates.push(hit.service.declaredAt);
  for (const c of candidates) {
    const found = maps.get(c.file)?.get(c.line)?.find((s) => s.rules.includes(ruleId));
    if (found) return found;
  }
  return undefined;
}

function toFinding(rule: Rule, hit: RuleHit, opts: RunOptions, maps: Map<string, Map<number, InlineIgnore[]>>): Finding {
  const svc = hit.service;
  const loc = (hit.path && svc?.at(hit.path)) ?? svc?.declaredAt;
  const file = loc?.file ?? svc?.file;
  const where = file ? relative(file, opts.baseDir) : `host:${opts.hostName ?? 'local'}`;
  const id = fingerprint(rule.id, where, svc?.name ?? '', hit.evidenceKey);
  const inline = suppressionFor(hit, loc, rule.id, maps);
  const baselined = !inline && opts.baseline?.has(id);
  const location = loc
    ? { ...loc, file: relative(loc.file, opts.baseDir), ...(hit.path ? { path: `services.${svc?.name ?? ''}.${hit.path.join('.')}` } : {}) }
    : file ? { file: relative(file, opts.baseDir), line: 0, column: 0, endLine: 0, endColumn: 0 } : undefined;
  return {
    id,
    ruleId: rule.id,
    severity: hit.severity,
    category: rule.category,
    title: rule.title,
    message: hit.message,
    ...(svc ? { service: svc.name } : {}),
    ...(location ? { location } : {}),
    ...(svc?.container ? { container: { id: svc.container.id, name: svc.container.name } } : {}),
    evidence: hit.evidence ?? {},
    ...(hit.reachability ? { reachability: hit.reachability } : {}),
    fix: rule.fix,
    references: rule.sources,
    suppressed: Boolean(inline) || Boolean(baselined),
    ...(inline ? { suppression: { kind: 'inSource' as const, reason: inline.reason } } : baselined ? { suppression: { kind: 'baseline' as const, reason: 'in the baseline' } } : {}),
  };
}

/** Runs every rule that applies to the model's mode. A rule that throws becomes an AuditError. */
export function runRules(model: AuditModel, opts: RunOptions = {}): RunResult {
  const rules = (opts.rules ?? ALL_RULES).filter((r) => r.modes.includes(model.mode));
  const maps = new Map<string, Map<number, InlineIgnore[]>>();
  for (const [file, text] of opts.texts ?? []) if (text.includes('portcullis-ignore')) maps.set(file, inlineSuppressions(text));
  const findings: Finding[] = [];
  const errors: AuditError[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    let hits: RuleHit[];
    try {
      hits = rule.check(model);
    } catch (err) {
      errors.push({ message: `rule ${rule.id} crashed: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    for (const hit of hits) {
      const f = toFinding(rule, hit, opts, maps);
      if (seen.has(f.id)) continue;
      seen.add(f.id);
      findings.push(f);
    }
  }
  findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (a.service ?? '').localeCompare(b.service ?? '') || a.ruleId.localeCompare(b.ruleId));
  return { findings, errors, rulesRun: rules.length };
}

/** Counts unsuppressed findings per severity, plus the suppressed ones. */
export function summarize(findings: readonly Finding[]): Record<Severity | 'suppressed', number> {
  const s: Record<Severity | 'suppressed', number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressed) s.suppressed++;
    else s[f.severity]++;
  }
  return s;
}

/** Exit code: 2 when the audit could not decide, 1 when an unsuppressed finding is at or above `failOn`, else 0. */
export function exitCodeFor(findings: readonly Finding[], errors: readonly AuditError[], failOn: Severity): 0 | 1 | 2 {
  if (errors.length > 0) return 2;
  const limit = SEVERITIES.indexOf(failOn);
  return findings.some((f) => !f.suppressed && SEVERITIES.indexOf(f.severity) <= limit) ? 1 : 0;
}

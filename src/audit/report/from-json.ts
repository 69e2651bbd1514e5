// Reads a JSON report (the versioned envelope) back into an AuditReport, e.g. the server's exposure report for the CLI.
import type { AuditReport } from '../audit.js';
import { summarize } from '../engine.js';
import { ALL_RULES } from '../rules/index.js';
import { SEVERITIES, type AuditError, type Finding, type RuleCategory, type Severity } from '../types.js';

const CATEGORIES: readonly RuleCategory[] = ['exposure', 'segmentation', 'socket', 'privilege', 'image', 'secrets', 'operations', 'daemon'];

function fail(what: string): never {
  throw new Error(`the report is not a Portcullis JSON report (${what})`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Record<string, unknown>, k: string): string => (typeof o[k] === 'string' ? o[k] : fail(`${k} is not a string`));

function finding(raw: unknown, baseline: ReadonlySet<string> | undefined): Finding {
  if (!isObj(raw)) fail('a finding is not an object');
  const severity = str(raw, 'severity') as Severity;
  if (!SEVERITIES.includes(severity)) fail(`unknown severity ${severity.slice(0, 20)}`);
  const category = str(raw, 'category') as RuleCategory;
  if (!CATEGORIES.includes(category)) fail(`unknown category ${category.slice(0, 20)}`);
  const loc = isObj(raw.location) ? raw.location : undefined;
  const id = str(raw, 'id');
  const suppressedBefore = raw.suppressed === true;
  const baselined = !suppressedBefore && baseline?.has(id) === true;
  const evidence = isObj(raw.evidence) ? (raw.evidence as Finding['evidence']) : {};
  const f: Finding = {
    id, ruleId: str(raw, 'ruleId'), severity, category, title: str(raw, 'title'), message: str(raw, 'message'), evidence,
    fix: typeof raw.remediation === 'string' ? raw.remediation : '',
    references: Array.isArray(raw.references) ? raw.references.filter((r): r is string => typeof r === 'string') : [],
    suppressed: suppressedBefore || baselined,
  };
  if (loc && typeof loc.service === 'string') f.service = loc.service;
  if (loc && isObj(loc.container) && typeof loc.container.id === 'string' && typeof loc.container.name === 'string') f.container = { id: loc.container.id, name: loc.container.name };
  if (loc && typeof loc.line === 'number' && typeof loc.column === 'number') {
    f.location = { line: loc.line, column: loc.column, ...(typeof loc.path === 'string' ? { path: loc.path } : {}) } as Finding['location'] & object;
  }
  if (isObj(raw.reachability) && typeof raw.reachability.verdict === 'string' && typeof raw.reachability.decidedBy === 'string') {
    f.reachability = raw.reachability as unknown as NonNullable<Finding['reachability']>;
  }
  if (suppressedBefore) f.suppression = { kind: raw.suppressionKind === 'baseline' ? 'baseline' : 'inSource', reason: typeof raw.suppressionReason === 'string' ? raw.suppressionReason : '' };
  else if (baselined) f.suppression = { kind: 'baseline', reason: 'in the baseline' };
  return f;
}

/**
 * Parses a JSON report (`version` "1"). Findings in `baseline` are marked suppressed; the rule table
 * comes from this build's catalogue (rule ids are stable and never reused).
 */
export function reportFromJson(text: string, baseline?: ReadonlySet<string>): AuditReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    fail('not JSON');
  }
  if (!isObj(raw)) fail('not an object');
  if (raw.version !== '1') fail(`unsupported version ${String(raw.version).slice(0, 10)}`);
  if (!isObj(raw.tool) || !isObj(raw.target) || !Array.isArray(raw.findings) || !Array.isArray(raw.errors)) fail('missing tool, target, findings or errors');
  const findings = raw.findings.map((f) => finding(f, baseline));
  const errors: AuditError[] = raw.errors.filter(isObj).map((e) => ({ message: typeof e.message === 'string' ? e.message : 'error', ...(typeof e.file === 'string' ? { file: e.file } : {}) }));
  const target = raw.target as unknown as AuditReport['target'];
  return {
    version: '1', tool: { name: str(raw.tool, 'name'), version: str(raw.tool, 'version') }, target,
    summary: summarize(findings), findings, errors, rules: ALL_RULES,
  };
}

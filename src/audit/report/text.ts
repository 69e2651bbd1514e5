// The human report: grouped by file and service, highest severity first, with line:col and one fix per rule per file.
import type { AuditReport } from '../audit.js';
import { atLeast } from '../classify.js';
import type { Finding, Severity } from '../types.js';
import { SEVERITIES } from '../types.js';

export interface TextOptions {
  color: boolean;
  failOn: Severity;
  /** Show suppressed findings too. */
  showSuppressed?: boolean;
}

const COLORS: Record<Severity, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m', info: '\x1b[2m' };
const RESET = '\x1b[0m';


/** Renders the text report. */
export function renderText(r: AuditReport, opts: TextOptions): string {
  const paint = (s: Severity, text: string): string => (opts.color ? `${COLORS[s]}${text}${RESET}` : text);
  const lines: string[] = [];
  const shown = r.findings.filter((f) => opts.showSuppressed || !f.suppressed);
  const hostLabel = `host ${r.target.host?.name ?? ''}`.trim();
  const groupKey = (f: Finding): string => f.location?.file ?? hostLabel;
  const byFile = new Map<string, Finding[]>();
  for (const f of shown) byFile.set(groupKey(f), [...(byFile.get(groupKey(f)) ?? []), f]);
  for (const [file, list] of byFile) {
    lines.push(file);
    const byService = new Map<string, Finding[]>();
    for (const f of list) byService.set(f.service ?? '(global)', [...(byService.get(f.service ?? '(global)') ?? []), f]);
    const fixes = new Map<string, string>();
    for (const [service, fs] of byService) {
      const container = fs[0]?.container ? ` (container ${fs[0].container.name})` : '';
      lines.push(`  ${service}${container}`);
      for (const f of [...fs].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))) {
        const pos = f.location && f.location.line > 0 ? `${f.location.line}:${f.location.column}` : '-';
        const sup = f.suppressed ? ` [suppressed: ${f.suppression?.reason ?? ''}]` : '';
        lines.push(`    ${pos.padEnd(8)}${paint(f.severity, f.severity.toUpperCase().padEnd(9))}${f.ruleId.padEnd(10)}${f.message}${sup}`);
        if (f.reachability) lines.push(`${' '.repeat(35)}reachability: ${f.reachability.verdict} — ${f.reachability.decidedBy}`);
        if (!fixes.has(f.ruleId)) fixes.set(f.ruleId, `${f.fix} (${f.references.join('; ')})`);
      }
    }
    for (const [id, fix] of fixes) lines.push(`  fix ${id}: ${fix}`);
    lines.push('');
  }
  for (const e of r.errors) lines.push(`error: ${e.file ? `${e.file}${e.line ? `:${e.line}:${e.column ?? 1}` : ''}: ` : ''}${e.message}`);
  const s = r.summary;
  const failing = r.findings.filter((f) => !f.suppressed && atLeast(f.severity, opts.failOn)).length;
  lines.push(`${s.critical} critical, ${s.high} high, ${s.medium} medium, ${s.low} low, ${s.info} info, ${s.suppressed} suppressed (${r.rules.length} rules)`);
  if (r.errors.length) lines.push(`✗ INCOMPLETE · ${r.errors.length} error(s): the audit could not decide`);
  else if (failing) lines.push(`✗ FAIL · ${failing} finding(s) ≥ ${opts.failOn}`);
  else lines.push(`✓ PASS · nothing ≥ ${opts.failOn}`);
  return `${lines.join('\n')}\n`;
}

// The versioned JSON envelope (`version: "1"`, additive changes only).
import type { AuditReport } from '../audit.js';

/** Renders the JSON report. */
export function renderJson(r: AuditReport): string {
  const out = {
    version: r.version,
    tool: r.tool,
    target: r.target,
    summary: r.summary,
    rulesRun: r.rules.length,
    findings: r.findings.map((f) => ({
      id: f.id, ruleId: f.ruleId, severity: f.severity, category: f.category, title: f.title, message: f.message,
      ...(f.location || f.service || f.container ? { location: { ...(f.location ?? {}), ...(f.service ? { service: f.service } : {}), ...(f.container ? { container: f.container } : {}) } } : {}),
      evidence: f.evidence,
      ...(f.reachability ? { reachability: f.reachability } : {}),
      references: f.references, remediation: f.fix,
      suppressed: f.suppressed, suppressionReason: f.suppression?.reason ?? null, ...(f.suppression ? { suppressionKind: f.suppression.kind } : {}),
    })),
    errors: r.errors,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

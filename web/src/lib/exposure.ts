// The auditor's exposure report as the UI reads it, and the per-host score shown on the dashboard.

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export interface ExposureFinding {
  id: string;
  ruleId: string;
  severity: Severity;
  category: string;
  title: string;
  message: string;
  location?: { service?: string; container?: { id: string; name: string } };
  reachability?: { verdict: string; decidedBy: string };
  remediation: string;
  references: string[];
  suppressed: boolean;
}

export interface ExposureReport {
  version: string;
  target: { kind: string; host?: { name: string; engine?: string; firewallBackend?: string } };
  summary: Record<Severity | 'suppressed', number>;
  rulesRun: number;
  findings: ExposureFinding[];
  errors: { message: string }[];
}

/** Points one open finding of each severity takes off 100. */
export const SCORE_WEIGHTS: Record<Severity, number> = { critical: 25, high: 10, medium: 3, low: 1, info: 0 };

/**
 * The host's exposure score: 100 minus the weights of its open (not suppressed) findings, never below 0.
 * One public datastore (critical) costs a quarter; hygiene findings (low) barely move it.
 * @example exposureScore({ critical: 1, high: 2, medium: 0, low: 5, info: 3, suppressed: 4 }) // 50
 */
export function exposureScore(summary: Record<Severity | 'suppressed', number>): number {
  let lost = 0;
  for (const s of Object.keys(SCORE_WEIGHTS) as Severity[]) lost += SCORE_WEIGHTS[s] * (summary[s] ?? 0);
  return Math.max(0, 100 - lost);
}

/** A colour band for the score. */
export function scoreColor(score: number): 'green' | 'yellow' | 'orange' | 'red' {
  if (score >= 90) return 'green';
  if (score >= 70) return 'yellow';
  if (score >= 40) return 'orange';
  return 'red';
}

export const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

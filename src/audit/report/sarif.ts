// SARIF 2.1.0 output with stable partialFingerprints (rule|file|service|evidence, never the line).
import type { AuditReport } from '../audit.js';
import type { Finding, Rule, Severity } from '../types.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Key of our fingerprint inside partialFingerprints; bump the suffix if the recipe changes. */
export const FINGERPRINT_KEY = 'portcullisFinding/v1';
export const INFORMATION_URI = 'https://github.com/portcullis/portcullis/blob/main/docs/audit.md';
/** GitHub keeps at most 5,000 results per run; more are cut with a notification. */
export const MAX_SARIF_RESULTS = 5000;

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SCORE: Record<Severity, string> = { critical: '9.5', high: '7.5', medium: '5.5', low: '2.0', info: '0.5' };

function ruleEntry(rule: Rule): Record<string, unknown> {
  const cis = rule.sources.filter((s) => s.startsWith('CIS Docker Benchmark')).flatMap((s) => s.replace('CIS Docker Benchmark ', '').split(/,\s*/).map((id) => `CIS-${id.trim()}`));
  return {
    id: rule.id,
    name: rule.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: `${rule.description}\n\nFix: ${rule.fix}\n\nSeverity: ${rule.severityText}\n\nSources: ${rule.sources.join('; ')}`, markdown: `${rule.description}\n\n**Fix:** ${rule.fix}\n\n**Severity:** ${rule.severityText}\n\n**Sources:** ${rule.sources.join('; ')}` },
    helpUri: `${INFORMATION_URI}#${rule.id.toLowerCase()}`,
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
    properties: { tags: [...new Set(['security', rule.category, ...cis])].slice(0, 20), 'security-severity': SCORE[rule.defaultSeverity], precision: 'high' },
  };
}

function encodeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function result(f: Finding, ruleIndex: Map<string, number>, kind: string): Record<string, unknown> {
  const loc = f.location;
  const physical = loc?.file
    ? {
        physicalLocation: {
          artifactLocation: loc.file.startsWith('/') ? { uri: `file://${encodeUri(loc.file)}` } : { uri: encodeUri(loc.file), uriBaseId: 'SRCROOT' },
          ...(loc.line > 0 ? { region: { startLine: loc.line, startColumn: loc.column, endLine: loc.endLine, endColumn: Math.max(loc.endColumn, 1) } } : {}),
        },
      }
    : {};
  const logical = f.service ? { logicalLocations: [{ name: f.service, fullyQualifiedName: loc?.path ?? `services.${f.service}`, kind: 'resource' }] } : {};
  const idx = ruleIndex.get(f.ruleId);
  return {
    ruleId: f.ruleId,
    ...(idx !== undefined ? { ruleIndex: idx } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    ...(loc?.file || f.service ? { locations: [{ ...physical, ...logical }] } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: f.id },
    properties: { severity: f.severity, 'security-severity': SCORE[f.severity], category: f.category, evidence: f.evidence, ...(f.reachability ? { reachability: f.reachability } : {}), ...(f.container ? { container: f.container } : {}), target: kind },
    ...(f.suppression ? { suppressions: [{ kind: f.suppression.kind === 'inSource' ? 'inSource' : 'external', justification: f.suppression.reason }] } : {}),
  };
}

/** Renders a SARIF 2.1.0 log with one run. */
export function renderSarif(r: AuditReport): string {
  const ruleIndex = new Map(r.rules.map((rule, i) => [rule.id, i]));
  const kept = r.findings.slice(0, MAX_SARIF_RESULTS);
  const notifications = [
    ...r.errors.map((e) => ({ level: 'error', message: { text: e.message }, ...(e.file ? { locations: [{ physicalLocation: { artifactLocation: { uri: encodeUri(e.file) }, ...(e.line ? { region: { startLine: e.line, ...(e.column ? { startColumn: e.column } : {}) } } : {}) } }] } : {}) })),
    ...(r.findings.length > MAX_SARIF_RESULTS ? [{ level: 'error', message: { text: `${r.findings.length - MAX_SARIF_RESULTS} results cut: SARIF consumers keep at most ${MAX_SARIF_RESULTS}` } }] : []),
  ];
  const host = r.target.host?.name;
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: r.tool.name, version: r.tool.version, semanticVersion: r.tool.version, informationUri: INFORMATION_URI, rules: r.rules.map(ruleEntry) } },
        automationDetails: { id: r.target.kind === 'host' ? `portcullis/host/${host ?? 'local'}/` : 'portcullis/compose/' },
        ...(r.baseDir ? { originalUriBaseIds: { SRCROOT: { uri: `file://${encodeUri(r.baseDir.endsWith('/') ? r.baseDir : `${r.baseDir}/`)}` } } } : {}),
        invocations: [{ executionSuccessful: r.errors.length === 0, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
        results: kept.map((f) => result(f, ruleIndex, r.target.kind)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

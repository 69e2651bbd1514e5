// Entry points: audit a compose project or a live host snapshot into one report (pure; I/O is injected).
import { loadCompose, type FileReader } from './compose/loader.js';
import { composeModel } from './compose/model.js';
import { runRules, summarize } from './engine.js';
import { assessReachability } from './firewall/reachability.js';
import { parseFirewallSnapshot, type FirewallSnapshot } from './firewall/snapshot.js';
import { FirewallParseError } from './firewall/iptables.js';
import { hostModel } from './live/model.js';
import type { HostSnapshot } from './live/source.js';
import { ALL_RULES } from './rules/index.js';
import type { AuditError, AuditMode, Finding, Rule, Severity, SourceLoc } from './types.js';

/** Version of the JSON envelope; changes are additive only. */
export const REPORT_VERSION = '1';
export const TOOL_NAME = 'portcullis-audit';
export const TOOL_VERSION = '0.1.0';

export interface AuditReport {
  version: string;
  tool: { name: string; version: string };
  target: { kind: AuditMode; files?: string[]; host?: { name: string; engine?: string; firewallBackend?: string } };
  summary: Record<Severity | 'suppressed', number>;
  findings: Finding[];
  errors: AuditError[];
  /** Rules that ran (for SARIF's rule table and the benchmark). */
  rules: readonly Rule[];
  /** Base directory the file paths are relative to. */
  baseDir?: string;
}

export interface CommonOptions {
  /** Firewall snapshot text (iptables-save or nft -j). */
  firewallText?: string;
  baseline?: ReadonlySet<string>;
  rules?: readonly Rule[];
}

function parseSnapshot(text: string | undefined, errors: AuditError[]): FirewallSnapshot | undefined {
  if (text === undefined) return undefined;
  try {
    return parseFirewallSnapshot(text);
  } catch (err) {
    errors.push({ message: `firewall snapshot: ${err instanceof FirewallParseError || err instanceof Error ? err.message : String(err)}` });
    return undefined;
  }
}

function report(kind: AuditMode, findings: Finding[], errors: AuditError[], rules: readonly Rule[], extra: Partial<AuditReport>): AuditReport {
  return {
    version: REPORT_VERSION, tool: { name: TOOL_NAME, version: TOOL_VERSION },
    target: extra.target ?? { kind }, summary: summarize(findings), findings, errors, rules,
    ...(extra.baseDir ? { baseDir: extra.baseDir } : {}),
  };
}

/** Audits a compose project (files, `.env`, overrides, extends, include) read through `reader`. */
export function auditCompose(opts: CommonOptions & { files: string[]; cwd: string; env: Readonly<Record<string, string | undefined>>; reader: FileReader }): AuditReport {
  const rules = (opts.rules ?? ALL_RULES).filter((r) => r.modes.includes('compose'));
  const loaded = loadCompose({ files: opts.files, cwd: opts.cwd, env: opts.env, reader: opts.reader });
  const errors = [...loaded.errors];
  const files = loaded.files.map((f) => (f.startsWith(`${opts.cwd}/`) ? f.slice(opts.cwd.length + 1) : f));
  if (loaded.files.length === 0 || errors.some((e) => e.message.startsWith('invalid YAML') || e.message.startsWith('cannot read'))) {
    return report('compose', [], errors, rules, { target: { kind: 'compose', files }, baseDir: opts.cwd });
  }
  const { services, networks } = composeModel(loaded.root, loaded.serviceFiles, loaded.serviceDirs, errors);
  const model = { mode: 'compose' as const, services, networks };
  assessReachability(model, parseSnapshot(opts.firewallText, errors));
  const run = runRules(model, { rules, texts: loaded.texts, baseDir: opts.cwd, ...(opts.baseline ? { baseline: opts.baseline } : {}) });
  return report('compose', run.findings, [...errors, ...run.errors], rules, { target: { kind: 'compose', files }, baseDir: opts.cwd });
}

export interface HostAuditOptions extends CommonOptions {
  hostName: string;
  endpoint?: string;
  /** Source texts of compose files named by container labels (for inline suppressions). */
  texts?: ReadonlyMap<string, string>;
  /** Finds where a compose service is declared, for containers carrying compose labels. */
  locate?: (file: string, service: string) => SourceLoc | undefined;
}

/** Audits a live host from what {@link collectHost} read. */
export function auditHostSnapshot(snap: HostSnapshot, opts: HostAuditOptions): AuditReport {
  const rules = (opts.rules ?? ALL_RULES).filter((r) => r.modes.includes('host'));
  const errors: AuditError[] = [];
  const { model, nets } = hostModel(snap, opts.endpoint);
  if (opts.locate) {
    const locate = opts.locate;
    model.services = model.services.map((s) => {
      const at = s.file ? locate(s.file, s.name) : undefined;
      return at ? { ...s, declaredAt: at } : s;
    });
  }
  assessReachability(model, parseSnapshot(opts.firewallText, errors), nets);
  const run = runRules(model, { rules, hostName: opts.hostName, ...(opts.texts ? { texts: opts.texts } : {}), ...(opts.baseline ? { baseline: opts.baseline } : {}) });
  const engine = model.daemon?.serverVersion;
  const fwb = model.daemon?.firewallBackend;
  return report('host', run.findings, [...errors, ...run.errors], rules, {
    target: { kind: 'host', host: { name: opts.hostName, ...(engine ? { engine } : {}), ...(fwb ? { firewallBackend: fwb } : {}) } },
  });
}

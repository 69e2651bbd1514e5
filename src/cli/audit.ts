// `portcullis audit compose|host`: reads files, env and the Docker host, renders the report, sets the exit code (0/1/2).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { DockerClient } from '../docker/index.js';
import {
  auditCompose, auditHostSnapshot, collectFirewall, collectHost, entryInfo, exitCodeFor, loadCompose, parseBaseline, renderJson, renderSarif,
  renderText, reportFromJson, SEVERITIES, type AuditReport, type FileReader, type Severity,
} from '../audit/index.js';

/** Flags shared by both subcommands. */
export interface AuditFlags {
  format?: string;
  failOn?: string;
  firewall?: string;
  collectFirewall?: boolean;
  dockerHost?: string;
  baseline?: string;
  output?: string;
  server?: string;
  host?: string;
  tokenFile?: string;
  caFile?: string;
  label?: string[];
  showSuppressed?: boolean;
}

/** The process around a run, injectable for tests. */
export interface AuditIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTty: boolean;
  isRoot: boolean;
}

/** Exit code for "could not decide". */
export const EXIT_UNDECIDED = 2;
/** Largest compose/.env/baseline/firewall file read. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

class UsageError extends Error {}

/** Reads files for the compose loader; undefined when absent (directories and oversize files count as errors). */
export const fsReader: FileReader = {
  readFile(path) {
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) return undefined;
      size = st.size;
    } catch {
      return undefined;
    }
    if (size > MAX_INPUT_BYTES) throw new UsageError(`${path} is larger than ${MAX_INPUT_BYTES} bytes`);
    return readFileSync(path, 'utf8');
  },
};

function readInput(path: string, what: string, cwd: string): string {
  const text = fsReader.readFile(resolve(cwd, path));
  if (text === undefined) throw new UsageError(`${what} ${path}: cannot read it`);
  return text;
}

function options(flags: AuditFlags): { format: 'text' | 'json' | 'sarif'; failOn: Severity } {
  const format = flags.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format ${format}: use text, json or sarif`);
  const failOn = (flags.failOn ?? 'high') as Severity;
  if (!SEVERITIES.includes(failOn) || failOn === 'info') throw new UsageError(`--fail-on ${flags.failOn ?? ''}: use critical, high, medium or low`);
  return { format, failOn };
}

function useColor(io: AuditIo, flags: AuditFlags): boolean {
  if (flags.output) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.isTty;
}

function emit(report: AuditReport, flags: AuditFlags, io: AuditIo): number {
  const { format, failOn } = options(flags);
  const text = format === 'json' ? renderJson(report) : format === 'sarif' ? renderSarif(report) : renderText(report, { color: useColor(io, flags), failOn, showSuppressed: flags.showSuppressed === true });
  if (flags.output) {
    writeFileSync(resolve(io.cwd, flags.output), text);
    if (report.errors.length) for (const e of report.errors) io.stderr(`portcullis audit: ${e.file ? `${e.file}: ` : ''}${e.message}\n`);
  } else io.stdout(text);
  return exitCodeFor(report.findings, report.errors, failOn);
}

function common(flags: AuditFlags, io: AuditIo): { firewallText?: string; baseline?: Set<string> } {
  options(flags);
  const firewallText = flags.firewall ? readInput(flags.firewall, '--firewall', io.cwd) : undefined;
  const baseline = flags.baseline ? parseBaseline(readInput(flags.baseline, '--baseline', io.cwd)) : undefined;
  return { ...(firewallText !== undefined ? { firewallText } : {}), ...(baseline ? { baseline } : {}) };
}

async function withFirewall(flags: AuditFlags, io: AuditIo, base: { firewallText?: string }): Promise<{ firewallText?: string }> {
  if (!flags.collectFirewall || base.firewallText !== undefined) return base;
  const snap = await collectFirewall(io.isRoot);
  return { firewallText: snap.text };
}

function fail(err: unknown, io: AuditIo): number {
  io.stderr(`portcullis audit: ${err instanceof Error ? err.message : String(err)}\n`);
  return EXIT_UNDECIDED;
}

/** `portcullis audit compose [files…]`; returns the exit code. */
export async function runAuditCompose(files: string[], flags: AuditFlags, io: AuditIo): Promise<number> {
  try {
    const c = common(flags, io);
    const base = { ...c, ...(await withFirewall(flags, io, c)) };
    const report = auditCompose({ ...base, files, cwd: io.cwd, env: io.env, reader: fsReader });
    return emit(report, flags, io);
  } catch (err) {
    return fail(err, io);
  }
}

/** Finds `services.<name>` in a compose file named by a container label. */
function composeLocator(io: AuditIo): { locate: (file: string, service: string) => ReturnType<NonNullable<Parameters<typeof auditHostSnapshot>[1]['locate']>>; texts: Map<string, string> } {
  const cache = new Map<string, ReturnType<typeof loadCompose> | undefined>();
  const texts = new Map<string, string>();
  return {
    texts,
    locate(file, service) {
      if (!cache.has(file)) {
        let loaded: ReturnType<typeof loadCompose> | undefined;
        try {
          loaded = loadCompose({ files: [file], cwd: dirname(file), env: io.env, reader: fsReader });
          for (const [k, v] of loaded.texts) texts.set(k, v);
        } catch {
          loaded = undefined;
        }
        cache.set(file, loaded);
      }
      const services = cache.get(file)?.root.services;
      return services ? entryInfo(services, service)?.loc : undefined;
    },
  };
}

/** Longest wait for the server's exposure report. */
export const SERVER_AUDIT_TIMEOUT_MS = 60_000;

/**
 * `audit host --server URL --host ID`: the server audits its live host (through its agent when remote)
 * and answers the JSON report; it is rendered here. The token comes from PORTCULLIS_TOKEN or --token-file.
 */
async function auditThroughServer(flags: AuditFlags, io: AuditIo): Promise<number> {
  if (!flags.server || !flags.host) throw new UsageError('--server and --host go together');
  if (flags.firewall || flags.collectFirewall || flags.dockerHost) throw new UsageError('--firewall, --collect-firewall and --docker-host audit a host directly; they do not combine with --server');
  const c = common(flags, io);
  const token = flags.tokenFile ? readInput(flags.tokenFile, '--token-file', io.cwd).trim() : (io.env.PORTCULLIS_TOKEN ?? '').trim();
  if (token === '') throw new UsageError('--server needs an API token: set PORTCULLIS_TOKEN or pass --token-file');
  let base: URL;
  try {
    base = new URL(flags.server.replace(/\/+$/, '') + '/');
  } catch {
    throw new UsageError(`--server ${flags.server.slice(0, 100)}: not a URL`);
  }
  if (base.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) throw new UsageError('--server must be https:// (plain http only to 127.0.0.1/localhost): the token would cross the network in clear text');
  const { Agent, fetch } = await import('undici');
  const dispatcher = new Agent(flags.caFile ? { connect: { ca: readInput(flags.caFile, '--ca-file', io.cwd) } } : {});
  try {
    const url = new URL(`api/v1/hosts/${encodeURIComponent(flags.host)}/exposure`, base);
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, dispatcher, signal: AbortSignal.timeout(SERVER_AUDIT_TIMEOUT_MS) });
    const text = await res.text();
    if (res.status !== 200) {
      let message = `status ${res.status}`;
      try {
        const j = JSON.parse(text) as { error?: { code?: string; message?: string } };
        if (j.error?.message) message = `${j.error.code ?? res.status}: ${j.error.message}`;
      } catch {
        // keep the status
      }
      throw new Error(`the server refused the exposure report of host ${flags.host}: ${message}`);
    }
    return emit(reportFromJson(text, c.baseline), flags, io);
  } finally {
    await dispatcher.close();
  }
}

/** `portcullis audit host`; returns the exit code. */
export async function runAuditHost(flags: AuditFlags, io: AuditIo): Promise<number> {
  if (flags.server || flags.host) {
    try {
      return await auditThroughServer(flags, io);
    } catch (err) {
      return fail(err instanceof Error && err.name === 'TimeoutError' ? new Error(`the server did not answer within ${SERVER_AUDIT_TIMEOUT_MS} ms`) : err, io);
    }
  }
  let client: DockerClient | undefined;
  try {
    const c = common(flags, io);
    const base = { ...c, ...(await withFirewall(flags, io, c)) };
    const endpoint = flags.dockerHost ?? io.env.DOCKER_HOST;
    client = DockerClient.fromDockerHost(endpoint);
    let snap;
    try {
      snap = await collectHost(client, { ...(flags.label?.length ? { labels: flags.label } : {}) });
    } catch (err) {
      throw new Error(`cannot read the Docker host ${endpoint ?? 'unix:///var/run/docker.sock'}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const locator = composeLocator(io);
    const name = typeof snap.info.Name === 'string' ? snap.info.Name : hostname();
    const report = auditHostSnapshot(snap, { ...base, hostName: name, ...(endpoint ? { endpoint } : {}), locate: locator.locate, texts: locator.texts });
    return emit(report, flags, io);
  } catch (err) {
    return fail(err, io);
  } finally {
    await client?.close();
  }
}

function processIo(): AuditIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTty: process.stdout.isTTY,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
  };
}

function addCommon(cmd: Command): Command {
  return cmd
    .option('--format <format>', 'text, json or sarif', 'text')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above: critical, high, medium, low', 'high')
    .option('--firewall <file>', 'firewall snapshot: iptables-save output or nft -j list ruleset')
    .option('--collect-firewall', 'run iptables-save / nft on this host (needs root)')
    .option('--baseline <file>', 'suppress findings listed in this file (a previous JSON report or {"fingerprints": [...]})')
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--show-suppressed', 'list suppressed findings in the text report');
}

/** Adds `audit compose [files…]` and `audit host` to the program. */
export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('find what a deployment really exposes: compose files or a live Docker host');
  addCommon(audit.command('compose').argument('[files...]', 'compose files (default: compose.yaml/docker-compose.yml and override in the current directory)'))
    .description('audit compose files before deploying')
    .action(async (files: string[], flags: AuditFlags) => {
      process.exitCode = await runAuditCompose(files, flags, processIo());
    });
  addCommon(audit.command('host'))
    .description('audit a live Docker host')
    .option('--docker-host <url>', 'Docker endpoint (unix:///path, tcp://host:2376); default DOCKER_HOST or /var/run/docker.sock')
    .option('--label <key=value...>', 'only containers with these labels')
    .option('--server <url>', 'audit a host through a Portcullis server (https://…:18282); token from PORTCULLIS_TOKEN or --token-file')
    .option('--host <id>', 'host id or name on the Portcullis server (with --server)')
    .option('--token-file <file>', 'file holding the API token for --server')
    .option('--ca-file <file>', "PEM CA to trust for --server (e.g. the server's data/tls/ca.crt)")
    .action(async (flags: AuditFlags) => {
      process.exitCode = await runAuditHost(flags, processIo());
    });
}

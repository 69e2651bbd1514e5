// `portcullis proxy`: reads the tecnativa-style environment and runs the socket proxy until SIGTERM.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { looksLikeWordTrue, proxySettings, readSettings, SECTION_VARS, SettingError, type ProxySettings } from '../config/index.js';
import { createLogger, stdoutDestination, type Logger } from '../log/index.js';
import { PolicyEngine, constraintsFromSettings, envProfile, loadPolicyFile, namedProfile, tecnativaAllows, type Decision, type Profile } from '../policy/index.js';
import { startProxy } from '../proxy/index.js';

/** Warns about values tecnativa reads as false although they look true (`CONTAINERS=true`). */
function warnWordBooleans(env: NodeJS.ProcessEnv, log: Logger): void {
  const vars = [...SECTION_VARS, 'POST', 'ALLOW_START', 'ALLOW_STOP', 'ALLOW_RESTARTS'];
  for (const v of vars) {
    if (looksLikeWordTrue(env[v])) {
      log.warn({ variable: v }, `${v}=${env[v]} is read as 0 (false), as tecnativa/HAProxy does: use ${v}=1`);
    }
  }
}

async function buildProfile(s: ProxySettings): Promise<{ profile: Profile; mode: 'enforce' | 'observe' }> {
  if (s.POLICY_FILE) {
    let text: string;
    try {
      text = readFileSync(s.POLICY_FILE, 'utf8');
    } catch (err) {
      throw new Error(`POLICY_FILE=${s.POLICY_FILE}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const loaded = await loadPolicyFile(text, constraintsFromSettings(s));
    return { profile: loaded.profile, mode: loaded.mode ?? s.MODE };
  }
  return { profile: s.PROFILE === 'env' ? envProfile(s) : namedProfile(s.PROFILE, s), mode: s.MODE };
}

/** Warns once per rule where Portcullis denies a request that tecnativa would have allowed. */
function compatWarner(s: ProxySettings, log: Logger): (method: string, target: string, d: Decision) => void {
  const seen = new Set<string>();
  return (method, target, d) => {
    if (s.PROFILE !== 'env' || s.POLICY_FILE || seen.has(d.rule)) return;
    if (!tecnativaAllows(method, target, s)) return;
    seen.add(d.rule);
    log.warn({ rule: d.rule, operation: d.operation }, 'compatibility: denied a request tecnativa/docker-socket-proxy would allow (see docs/proxy-compat.md); logged once per rule');
  };
}

export async function runProxy(env: NodeJS.ProcessEnv, flags: { listen?: string; policyFile?: string; metricsListen?: string }): Promise<void> {
  const merged = {
    ...env,
    ...(flags.listen ? { LISTEN: flags.listen } : {}),
    ...(flags.policyFile ? { POLICY_FILE: flags.policyFile } : {}),
    ...(flags.metricsListen ? { METRICS_LISTEN: flags.metricsListen } : {}),
  };
  const s = readSettings(proxySettings, merged);
  const out = stdoutDestination();
  const log = createLogger({ level: s.LOG_LEVEL, name: 'portcullis-proxy', destination: out });
  // Access-log lines are built from safe fields only (never bodies, headers or queries): no redaction pass.
  const accessLog = createLogger({ level: s.LOG_LEVEL, name: 'portcullis-proxy', destination: out, redact: false });
  warnWordBooleans(merged, log);
  const { profile, mode } = await buildProfile(s);
  const engine = new PolicyEngine({ profile, mode, allowedHosts: s.ALLOWED_HOSTS });
  const proxy = await startProxy({
    engine,
    socketPath: s.SOCKET_PATH,
    listen: s.LISTEN,
    disableIpv6: s.DISABLE_IPV6,
    ...(s.METRICS_LISTEN ? { metricsListen: s.METRICS_LISTEN } : {}),
    logger: log,
    accessLogger: accessLog,
    onDeny: compatWarner(s, log),
  });
  log.info({ listen: proxy.address, metrics: proxy.metricsAddress, upstream: s.SOCKET_PATH, profile: profile.name, mode }, 'listening');
  const stop = (signal: string): void => {
    log.info({ signal }, 'shutting down');
    proxy.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

export function registerProxyCommand(program: Command): void {
  program
    .command('proxy')
    .description('Docker socket proxy: a safe-by-default drop-in for tecnativa/docker-socket-proxy (configured by environment, see docs/proxy.md)')
    .option('--listen <addr>', 'listen address (env LISTEN; default 127.0.0.1:2375; unix:/path for a socket)')
    .option('--policy-file <file>', 'YAML policy file (env POLICY_FILE)')
    .option('--metrics-listen <addr>', 'metrics and health listener (env METRICS_LISTEN)')
    .action(async (flags: { listen?: string; policyFile?: string; metricsListen?: string }) => {
      try {
        await runProxy(process.env, flags);
      } catch (err) {
        const msg = err instanceof SettingError || err instanceof Error ? err.message : String(err);
        process.stderr.write(`portcullis proxy: ${msg}\n`);
        process.exit(2);
      }
    });
}

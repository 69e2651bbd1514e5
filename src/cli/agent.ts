// `portcullis agent`: reads its settings, loads or creates its key, dials the control plane and serves its Docker host.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { agentSettings, proxySettings, readSettings, SettingError, withFlags, type AgentSettings } from '../config/index.js';
import { Agent, createAgentMetrics, loadOrCreateAgentKey, startHealthServer } from '../agent/index.js';
import { DockerClient } from '../docker/index.js';
import { hostPolicy } from '../hosts/index.js';
import { createLogger } from '../log/index.js';
import { privateKeyFingerprint } from '../tunnel/index.js';
import { PolicyEngine, constraintsFromSettings, loadPolicyFile } from '../policy/index.js';

const VERSION = '0.1.0';
const NAMED = ['read-only', 'operator', 'full'] as const;

type AgentFlags = Partial<Record<string, string>>;

/** Merges flags over the environment (a flag wins) and checks every setting. */
export function agentSettingsFrom(env: NodeJS.ProcessEnv, flags: AgentFlags): AgentSettings {
  const s = readSettings(agentSettings, withFlags(agentSettings, env, flags));
  if (s.AGENT_TOKEN === '' && s.AGENT_TOKEN_FILE === '') throw new SettingError('AGENT_TOKEN', 'set AGENT_TOKEN_FILE (or AGENT_TOKEN) to the token shown when the host was added');
  if (s.AGENT_TOKEN !== '' && s.AGENT_TOKEN_FILE !== '') throw new SettingError('AGENT_TOKEN', 'set only one of AGENT_TOKEN and AGENT_TOKEN_FILE');
  return s;
}

/** The agent's policy: a named profile, or a YAML policy file. */
async function agentPolicy(spec: string): Promise<{ engine: PolicyEngine; name: string }> {
  if ((NAMED as readonly string[]).includes(spec)) return { engine: hostPolicy({ profile: spec as (typeof NAMED)[number] }), name: spec };
  let text: string;
  try {
    text = readFileSync(spec, 'utf8');
  } catch (err) {
    throw new SettingError('AGENT_POLICY', `AGENT_POLICY must be read-only, operator, full or a readable policy file (${spec.slice(0, 100)}: ${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const loaded = await loadPolicyFile(text, constraintsFromSettings(readSettings(proxySettings, {})));
  return { engine: new PolicyEngine({ profile: loaded.profile, mode: loaded.mode ?? 'enforce', allowedHosts: [] }), name: 'file' };
}

function tokenReader(s: AgentSettings): () => string {
  if (s.AGENT_TOKEN !== '') return () => s.AGENT_TOKEN;
  return () => {
    const t = readFileSync(s.AGENT_TOKEN_FILE, 'utf8').trim();
    if (t === '') throw new Error(`AGENT_TOKEN_FILE ${s.AGENT_TOKEN_FILE} is empty`);
    return t;
  };
}

/** Runs the agent until SIGTERM/SIGINT. */
export async function runAgent(s: AgentSettings): Promise<void> {
  const log = createLogger({ level: s.LOG_LEVEL, name: 'portcullis-agent' });
  const ca = s.AGENT_CA_FILE !== '' ? readFileSync(s.AGENT_CA_FILE, 'utf8') : undefined;
  const { key, created, path } = loadOrCreateAgentKey(s.AGENT_DATA, (m) => log.warn(m));
  const fingerprint = privateKeyFingerprint(key);
  if (created) log.info({ keyFile: path, fingerprint }, 'created the agent key (it is enrolled on the first connection; compare this fingerprint with the one the control plane shows)');
  else log.info({ keyFile: path, fingerprint }, 'loaded the agent key');
  const policy = await agentPolicy(s.AGENT_POLICY);
  const docker = DockerClient.fromDockerHost(s.DOCKER_HOST === '' ? undefined : s.DOCKER_HOST);
  const metrics = await createAgentMetrics();
  const agent = new Agent({
    url: s.CONTROL_PLANE_URL, token: tokenReader(s), ...(ca ? { ca } : {}), key, policyName: policy.name, version: VERSION, log,
    policy: policy.engine, docker,
    onDecision: (e) => {
      metrics.decisions.inc({ decision: e.decision.allow ? 'allow' : e.observed ? 'observe' : 'deny', operation: e.decision.operation });
      if (!e.decision.allow) log.warn({ operation: e.decision.operation, rule: e.decision.rule, method: e.method, path: e.path, observed: e.observed }, 'denied by the agent policy');
    },
    onState: (st) => {
      metrics.connected.set(st === 'connected' ? 1 : 0);
      if (st === 'connected') metrics.connects.inc();
    },
  });
  const health = await startHealthServer(agent, metrics, s.AGENT_LISTEN);
  log.info({ controlPlane: s.CONTROL_PLANE_URL.origin, policy: policy.name, health: health.address, docker: docker.target.description }, 'agent starting');
  agent.start();
  const stop = (signal: string): void => {
    log.info({ signal }, 'shutting down');
    void Promise.allSettled([agent.stop(), health.close(), docker.close()]).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** Registers `portcullis agent`. */
export function registerAgentCommand(program: Command): void {
  const cmd = program.command('agent').description('Run on a managed host: dial the control plane over WSS and serve this Docker host through the local policy (see docs/agents.md)');
  for (const spec of Object.values(agentSettings)) {
    if (!('flag' in spec)) continue;
    cmd.option(`${spec.flag} <value>`, `${spec.help} (env ${spec.env}${spec.default ? `; default ${spec.default}` : ''})`);
  }
  cmd.action(async (flags: AgentFlags) => {
    let s: AgentSettings;
    try {
      s = agentSettingsFrom(process.env, flags);
    } catch (err) {
      process.stderr.write(`portcullis agent: ${(err as Error).message}\n`);
      process.exit(2);
    }
    try {
      await runAgent(s);
    } catch (err) {
      process.stderr.write(`portcullis agent: ${(err as Error).message}\n`);
      process.exit(1);
    }
  });
}

// Every setting of `portcullis agent`, declared once (env var, flag, default, help, secret).
import { listenAddress } from './server.js';
import { oneOf, SettingError, type SettingSpec } from './settings.js';

const str = (raw: string | undefined): string => (raw ?? '').trim();
const G = 'Agent';

/** Parses CONTROL_PLANE_URL: wss:// anywhere, ws:// only to a loopback address (a TLS-terminating sidecar on the same host). */
export function controlPlaneUrl(raw: string | undefined, env: string): URL {
  const v = (raw ?? '').trim();
  if (v === '') throw new SettingError(env, `${env} is required (e.g. wss://portcullis.example:18282)`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new SettingError(env, `${env} must be a URL such as wss://portcullis.example:18282`);
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(u.hostname);
  if (u.protocol !== 'wss:' && !(u.protocol === 'ws:' && loopback)) {
    throw new SettingError(env, `${env} must start with wss:// (plain ws:// is accepted only for 127.0.0.1, [::1] or localhost)`);
  }
  if (u.username || u.password) throw new SettingError(env, `${env} must not carry credentials; use AGENT_TOKEN or AGENT_TOKEN_FILE`);
  // a base path (wss://host/portcullis) is kept: the connect path goes under it
  if (!u.pathname.endsWith('/agent/v1/connect')) u.pathname = `${u.pathname.replace(/\/+$/, '')}/agent/v1/connect`;
  u.search = '';
  u.hash = '';
  return u;
}

export const agentSettings = {
  CONTROL_PLANE_URL: {
    env: 'CONTROL_PLANE_URL', flag: '--control-plane-url', default: undefined, group: G,
    help: 'The control plane to dial (wss://host:18282; the path /agent/v1/connect is added when absent).', parse: controlPlaneUrl,
  },
  AGENT_TOKEN: {
    env: 'AGENT_TOKEN', default: '', group: G, secret: true,
    help: "This host's agent token (pca_…), from POST /api/v1/hosts or the UI. Prefer AGENT_TOKEN_FILE.", parse: str,
  },
  AGENT_TOKEN_FILE: {
    env: 'AGENT_TOKEN_FILE', flag: '--token-file', default: '', group: G,
    help: 'File holding the agent token (read again before every reconnect, so a rotated token only needs the file updated).', parse: str,
  },
  AGENT_MODE: {
    env: 'AGENT_MODE', default: 'websocket', group: G,
    help: 'How the agent reaches the control plane; websocket (dial out over WSS) is the only mode.', parse: oneOf(['websocket'] as const),
  },
  AGENT_CA_FILE: {
    env: 'AGENT_CA_FILE', flag: '--ca-file', default: '', group: G,
    help: "PEM CA that signed the control plane's certificate (e.g. data/tls/ca.pem of `--tls auto`); trusted instead of the system CAs. TLS is always verified.",
    parse: str,
  },
  AGENT_POLICY: {
    env: 'AGENT_POLICY', flag: '--policy', default: 'operator', group: G,
    help: 'What this host allows the control plane: read-only, operator (default: lifecycle, no create/exec), full, or a path to a policy file (YAML).', parse: str,
  },
  AGENT_DATA: {
    env: 'AGENT_DATA', flag: '--data', default: '/var/lib/portcullis-agent', group: G,
    help: "Directory for the agent's Ed25519 key (0700, key file 0600).", parse: str,
  },
  AGENT_LISTEN: {
    env: 'AGENT_LISTEN', flag: '--listen', default: '127.0.0.1:18284', group: G,
    help: 'Health (/healthz, /readyz) and Prometheus /metrics listener. Keep it on loopback or firewall it.', parse: listenAddress,
  },
  DOCKER_HOST: {
    env: 'DOCKER_HOST', default: '', group: G,
    help: 'The Docker Engine to serve (unix:///var/run/docker.sock when empty).', parse: str,
  },
  LOG_LEVEL: {
    env: 'LOG_LEVEL', default: 'info', group: G,
    help: 'debug, info, warn or error.', parse: oneOf(['debug', 'info', 'warn', 'error'] as const),
  },
} satisfies Record<string, SettingSpec<unknown>>;

export type AgentSettings = { [K in keyof typeof agentSettings]: ReturnType<(typeof agentSettings)[K]['parse']> };

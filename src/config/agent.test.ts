// Unit tests of the agent's settings: the control plane URL rules, and docs/agents.md lists every variable.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agentSettings, controlPlaneUrl } from './agent.js';
import { readSettings, SettingError } from './settings.js';

describe('agent settings', () => {
  it('accepts wss:// anywhere and adds the connect path', () => {
    expect(controlPlaneUrl('wss://cp.example:18282', 'X').href).toBe('wss://cp.example:18282/agent/v1/connect');
    expect(controlPlaneUrl('wss://cp.example/base/agent/v1/connect', 'X').pathname).toBe('/base/agent/v1/connect');
    expect(controlPlaneUrl('wss://cp.example/base/', 'X').pathname).toBe('/base/agent/v1/connect');
  });

  it('accepts plain ws:// only to a loopback address', () => {
    expect(controlPlaneUrl('ws://127.0.0.1:18282', 'X').protocol).toBe('ws:');
    expect(() => controlPlaneUrl('ws://10.0.0.5:18282', 'X')).toThrow(/wss:\/\//);
    expect(() => controlPlaneUrl('https://cp.example', 'X')).toThrow(SettingError);
  });

  it('refuses credentials in the URL and an empty URL', () => {
    expect(() => controlPlaneUrl('wss://user:pw@cp.example', 'X')).toThrow(/credentials/);
    expect(() => controlPlaneUrl('', 'CONTROL_PLANE_URL')).toThrow(/CONTROL_PLANE_URL is required/);
  });

  it('refuses any AGENT_MODE but websocket', () => {
    expect(() => readSettings(agentSettings, { CONTROL_PLANE_URL: 'wss://cp', AGENT_MODE: 'http' })).toThrow(/AGENT_MODE must be one of websocket/);
    expect(readSettings(agentSettings, { CONTROL_PLANE_URL: 'wss://cp' }).AGENT_MODE).toBe('websocket');
  });

  it('defaults to the operator policy and a loopback health listener', () => {
    const s = readSettings(agentSettings, { CONTROL_PLANE_URL: 'wss://cp' });
    expect(s.AGENT_POLICY).toBe('operator');
    expect(s.AGENT_LISTEN).toEqual({ host: '127.0.0.1', port: 18284 });
  });

  it('docs/agents.md documents every agent variable', () => {
    const doc = readFileSync(new URL('../../docs/agents.md', import.meta.url), 'utf8');
    const missing = Object.values(agentSettings).map((s) => s.env).filter((env) => !doc.includes(`\`${env}\``));
    expect(missing).toEqual([]);
  });
});

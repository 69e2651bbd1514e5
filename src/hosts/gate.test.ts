// Unit tests of the host policy gate: denials, body inspection, observe mode, operation mismatches.
import { describe, expect, it } from 'vitest';
import { HostPolicyDenied } from './errors.js';
import { encodeQuery } from '../docker/index.js';
import { gateRequest } from './gate.js';
import { hostPolicy } from './local-host.js';
import { engineRequests as R } from './requests.js';
import type { EngineRequest } from './types.js';

function denial(fn: () => unknown): HostPolicyDenied {
  try {
    fn();
  } catch (err) {
    if (err instanceof HostPolicyDenied) return err;
    throw err;
  }
  throw new Error('expected HostPolicyDenied');
}

describe('gateRequest', () => {
  it('denies a privileged create under the default host policy', () => {
    const err = denial(() => gateRequest(hostPolicy(), 'local', R.createContainer({ Image: 'busybox', HostConfig: { Privileged: true } })));
    expect(err.decision).toMatchObject({ allow: false, operation: 'container.create', rule: 'body:privileged', status: 403 });
    expect(err.hostId).toBe('local');
    expect(err.code).toBe('PC_ERR_HOST_POLICY_DENIED');
    expect(err.message).toContain('container.create');
  });

  it('denies a host bind mount and a host network namespace by default', () => {
    const bind = denial(() => gateRequest(hostPolicy(), 'h', R.createContainer({ Image: 'b', HostConfig: { Binds: ['/:/host'] } })));
    expect(bind.decision.allow).toBe(false);
    expect(bind.decision.rule).toMatch(/^body:/);
    const net = denial(() => gateRequest(hostPolicy(), 'h', R.createContainer({ Image: 'b', HostConfig: { NetworkMode: 'host' } })));
    expect(net.decision.rule).toMatch(/^body:/);
  });

  it('allows a privileged create once the operator turns ALLOW_PRIVILEGED on', () => {
    const gated = gateRequest(hostPolicy({ switches: { ALLOW_PRIVILEGED: true } }), 'h', R.createContainer({ Image: 'b', HostConfig: { Privileged: true } }));
    expect(gated.decision.allow).toBe(true);
  });

  it('sends the body the policy re-serialised, not a second serialisation of the object', () => {
    let reads = 0;
    const body = { Image: 'busybox', get Labels(): Record<string, string> {
      reads += 1;
      return { n: String(reads) };
    } };
    const gated = gateRequest(hostPolicy(), 'h', R.createContainer(body));
    expect(reads).toBe(1);
    expect(JSON.parse(gated.body!.toString('utf8'))).toMatchObject({ Image: 'busybox', Labels: { n: '1' } });
  });

  it('denies lifecycle calls a read-only policy does not allow, naming the rule', () => {
    const err = denial(() => gateRequest(hostPolicy({ profile: 'read-only' }), 'h', R.stopContainer('web')));
    expect(err.decision).toMatchObject({ operation: 'container.stop', rule: 'profile:read-only', status: 403 });
    expect(gateRequest(hostPolicy({ profile: 'read-only' }), 'h', R.listContainers()).decision.allow).toBe(true);
  });

  it('refuses an id that would make the path non-canonical', () => {
    const err = denial(() => gateRequest(hostPolicy(), 'h', R.inspectContainer('..')));
    expect(err.decision.allow).toBe(false);
  });

  it('refuses a request the policy reads as another operation than it was built for', () => {
    const forged: EngineRequest = { ...R.startContainer('web'), operation: 'container.inspect' };
    const err = denial(() => gateRequest(hostPolicy(), 'h', forged));
    expect(err.decision).toMatchObject({ rule: 'host:operation-mismatch', operation: 'container.start' });
  });

  it('lets a 403 through in observe mode and says so, but never an operation mismatch', () => {
    const observe = hostPolicy({ profile: 'read-only', mode: 'observe' });
    const gated = gateRequest(observe, 'h', R.stopContainer('web'));
    expect(gated).toMatchObject({ observed: true, decision: { allow: false, rule: 'profile:read-only' } });
    const privileged = gateRequest(hostPolicy({ mode: 'observe' }), 'h', R.createContainer({ Image: 'b', HostConfig: { Privileged: true } }));
    expect(privileged.observed).toBe(true);
    expect(() => gateRequest(observe, 'h', { ...R.listImages(), operation: 'container.list' })).toThrow(HostPolicyDenied);
    expect(() => gateRequest(observe, 'h', R.inspectContainer('..'))).toThrow(HostPolicyDenied);
  });

  it('refuses a body past the size cap with 413', () => {
    const big = { Image: 'b', Labels: { x: 'y'.repeat(2048) } };
    const err = denial(() => gateRequest(hostPolicy({ switches: { MAX_BODY_BYTES: 1024 } }), 'h', R.createContainer(big)));
    expect(err.decision).toMatchObject({ rule: 'body:too-large', status: 413 });
    expect(err.status).toBe(413);
  });
});

describe('encodeQuery', () => {
  it('writes booleans as 1/0, objects as JSON and skips undefined', () => {
    expect(encodeQuery({ a: true, b: false, c: undefined, d: 5, f: { x: ['y'] } })).toBe(`?a=1&b=0&d=5&f=${encodeURIComponent('{"x":["y"]}')}`);
    expect(encodeQuery({ c: undefined })).toBe('');
    expect(encodeQuery(undefined)).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import type { Actor } from '../../auth/index.js';
import { DockerError } from '../../docker/index.js';
import { HostFilterError, HostPolicyDenied } from '../../hosts/index.js';
import { ApiError } from '../errors.js';
import { catalogued, hostAccess, hostFailure, timeParam } from './host-access.js';

const host = { id: 'h1', name: 'web-1', tags: ['prod'] };
const actor = (grants: Actor['grants']): Actor => ({ type: 'user', id: 'u', active: true, grants });

describe('per-host access', () => {
  it('allows a permission granted on the host, its tag or all hosts', () => {
    for (const g of [{ scopeType: 'host', scopeValue: 'h1' }, { scopeType: 'tag', scopeValue: 'prod' }, { scopeType: 'all', scopeValue: null }] as const) {
      expect(hostAccess(actor([{ permissions: ['container.operate'], ...g }]), 'container.operate', host).verdict).toBe('allow');
    }
  });

  it('answers forbidden when the caller can read the host, hidden when it cannot even see it', () => {
    const reader = actor([{ permissions: ['host.read', 'container.read'], scopeType: 'host', scopeValue: 'h1' }]);
    expect(hostAccess(reader, 'container.operate', host)).toMatchObject({ verdict: 'forbidden', reason: expect.stringMatching(/container\.operate/) });
    const elsewhere = actor([{ permissions: ['host.read', 'container.operate'], scopeType: 'tag', scopeValue: 'dev' }]);
    expect(hostAccess(elsewhere, 'container.operate', host).verdict).toBe('hidden');
    expect(hostAccess({ ...reader, active: false }, 'container.read', host).verdict).toBe('hidden');
  });
});

describe('host errors as catalogue errors', () => {
  it('maps the daemon\'s status to not found, conflict, invalid, or a gateway error, keeping its message', () => {
    const e = (status: number) => hostFailure(new DockerError(`daemon says ${status}`, { statusCode: status, operation: 'container.start' }));
    expect([e(404).code, e(409).code, e(400).code, e(500).code]).toEqual(['PC_ERR_DOCKER_NOT_FOUND', 'PC_ERR_DOCKER_CONFLICT', 'PC_ERR_DOCKER_INVALID', 'PC_ERR_DOCKER_ERROR']);
    expect([e(404).status, e(500).status]).toEqual([404, 502]);
    expect(e(409).message).toBe('daemon says 409');
  });

  it('maps unreachable, timed-out and offline hosts, policy denials and bad filters', () => {
    const unreachable = hostFailure(new DockerError('cannot reach Docker', { statusCode: 0, operation: 'x', code: 'ECONNREFUSED' }));
    const timeout = hostFailure(new DockerError('slow', { statusCode: 0, operation: 'x', code: 'ETIMEDOUT' }));
    const offline = hostFailure(new DockerError('tunnel down', { statusCode: 0, operation: 'x', code: 'OFFLINE' }));
    const policy = hostFailure(new HostPolicyDenied('h1', { allow: false, operation: 'container.create', rule: 'body:privileged', reason: 'privileged', status: 403 }));
    const filter = hostFailure(new HostFilterError('filter state must be one of …'));
    expect([unreachable.code, timeout.code, offline.code, policy.code, filter.code]).toEqual([
      'PC_ERR_HOST_UNREACHABLE', 'PC_ERR_HOST_TIMEOUT', 'PC_ERR_HOST_OFFLINE', 'PC_ERR_HOST_POLICY_DENIED', 'PC_ERR_REQUEST_INVALID',
    ]);
    expect(catalogued({ code: 'PC_ERR_HOST_INTERNAL', status: 500, message: 'secret detail' })).toEqual({ code: 'PC_ERR_SYSTEM_INTERNAL', message: 'internal error (see the server log)' });
    const api = new ApiError('PC_ERR_HOST_NOT_FOUND', 'no such host');
    expect(hostFailure(api)).toBe(api);
  });
});

describe('time parameters', () => {
  it('takes Unix seconds or an RFC 3339 time and refuses anything else', () => {
    expect(timeParam.parse('1714557600')).toBe(1714557600);
    expect(timeParam.parse('1714557600.5')).toBe(1714557600.5);
    expect(timeParam.parse('2024-05-01T10:00:00Z')).toBe(1714557600);
    for (const bad of ['yesterday', '2024-05-01', '-5', '1e9', '']) expect(timeParam.safeParse(bad).success).toBe(false);
  });
});

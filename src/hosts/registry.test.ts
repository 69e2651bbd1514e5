// Unit tests of HostRegistry lookups and filter validation (no Docker call is made here).
import { describe, expect, it } from 'vitest';
import { HostConflictError, HostFilterError, HostNotFoundError, hostErrorInfo } from './errors.js';
import { LocalHost } from './local-host.js';
import { HostRegistry, dockerFilters } from './registry.js';
import { DockerError } from '../docker/index.js';

const NOWHERE = { socketPath: '/nonexistent/portcullis-test.sock' };

function registry(): HostRegistry {
  const r = new HostRegistry();
  r.add(new LocalHost({ id: 'h1', name: 'Alpha', tags: ['prod', 'eu'], docker: NOWHERE }));
  r.add(new LocalHost({ id: 'h2', name: 'beta', tags: ['dev'], docker: NOWHERE }));
  r.add(new LocalHost({ id: 'h3', name: 'gamma', tags: ['prod'], docker: NOWHERE }));
  return r;
}

describe('HostRegistry', () => {
  it('finds hosts by id, then by name without regard to case', () => {
    const r = registry();
    expect(r.get('h2')?.name).toBe('beta');
    expect(r.find('alpha')?.id).toBe('h1');
    expect(r.find('h3')?.name).toBe('gamma');
    expect(r.find('nope')).toBeUndefined();
    expect(() => r.require('nope')).toThrow(HostNotFoundError);
    expect(r.list().map((h) => h.id)).toEqual(['h1', 'h2', 'h3']);
  });

  it('refuses a second host with the same id or name', () => {
    const r = registry();
    expect(() => r.add(new LocalHost({ id: 'h1', name: 'other', docker: NOWHERE }))).toThrow(HostConflictError);
    expect(() => r.add(new LocalHost({ id: 'h9', name: 'ALPHA', docker: NOWHERE }))).toThrow(/named "ALPHA"/);
    expect(r.size).toBe(3);
  });

  it('filters by tag and by host reference, OR within a key and AND across keys', () => {
    const r = registry();
    expect(r.withTag('PROD').map((h) => h.id)).toEqual(['h1', 'h3']);
    expect(r.select({ tag: ['dev', 'eu'] }).map((h) => h.id)).toEqual(['h1', 'h2']);
    expect(r.select({ host: ['alpha', 'h2'] }).map((h) => h.id)).toEqual(['h1', 'h2']);
    expect(r.select({ host: 'beta', tag: 'prod' })).toEqual([]);
    expect(r.select({ host: 'unknown' })).toEqual([]);
    expect(r.select().length).toBe(3);
  });

  it('removes and closes a host', async () => {
    const r = registry();
    expect(await r.remove('h2')).toBe(true);
    expect(await r.remove('h2')).toBe(false);
    expect(r.find('beta')).toBeUndefined();
    await r.close();
    expect(r.size).toBe(0);
  });

  it('rejects an unknown state or an oversized filter before asking any host', async () => {
    const r = registry();
    await expect(r.aggregateContainers({ state: 'zombie' })).rejects.toThrow(HostFilterError);
    await expect(r.aggregateContainers({ name: 'x'.repeat(300) })).rejects.toThrow(/1 to 256 characters/);
    await expect(r.aggregateContainers({ label: Array.from({ length: 33 }, (_, i) => `l${i}`) })).rejects.toThrow(/at most 32/);
    await expect(r.aggregateContainers({ tag: '' })).rejects.toThrow(HostFilterError);
    await r.close();
  });
});

describe('dockerFilters', () => {
  it('maps state, name and label onto dockerd filter keys', () => {
    expect(dockerFilters({ state: ['running', 'paused'], name: 'web', label: ['a=b', 'c'] })).toEqual({
      status: ['running', 'paused'], name: ['web'], label: ['a=b', 'c'],
    });
    expect(dockerFilters({ host: 'h1', tag: 'prod' })).toEqual({});
  });
});

describe('hostErrorInfo', () => {
  it('maps daemon, transport and policy failures to PC_ERR codes', () => {
    expect(hostErrorInfo(new DockerError('No such container: x', { statusCode: 404, operation: 'container.inspect' })))
      .toEqual({ code: 'PC_ERR_HOST_DOCKER_ERROR', status: 404, message: 'No such container: x' });
    expect(hostErrorInfo(new DockerError('down', { statusCode: 0, operation: 'system.ping', code: 'ENOENT' })).code).toBe('PC_ERR_HOST_UNREACHABLE');
    expect(hostErrorInfo(new DockerError('slow', { statusCode: 0, operation: 'system.ping', code: 'ETIMEDOUT' })).status).toBe(504);
    expect(hostErrorInfo(new Error('secret stuff'))).toEqual({ code: 'PC_ERR_HOST_INTERNAL', status: 500, message: 'unexpected error while talking to the host' });
  });
});

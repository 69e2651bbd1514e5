// Unit tests of the request builders: each builds the Engine API request its policy operation names.
import { describe, expect, it } from 'vitest';
import { hostPolicy } from './local-host.js';
import { gateRequest, requestTarget } from './gate.js';
import { HOST_OPERATIONS, engineRequests as R, pathSegment, type EngineRequestName } from './requests.js';
import type { EngineRequest } from './types.js';

/** One sample request per builder, so the walk below covers every typed operation. */
const SAMPLES: Record<EngineRequestName, () => EngineRequest> = {
  ping: () => R.ping(),
  version: () => R.version(),
  info: () => R.info(),
  events: () => R.events({ since: 10, filters: { type: ['container'] } }),
  listContainers: () => R.listContainers({ all: true, filters: { status: ['running'] } }),
  inspectContainer: () => R.inspectContainer('web'),
  topContainer: () => R.topContainer('web', { psArgs: 'aux' }),
  containerLogs: () => R.containerLogs('web', { follow: true, tail: 10 }),
  containerStats: () => R.containerStats('web'),
  createContainer: () => R.createContainer({ Image: 'busybox' }, { name: 'web' }),
  startContainer: () => R.startContainer('web'),
  stopContainer: () => R.stopContainer('web', { t: 3 }),
  restartContainer: () => R.restartContainer('web', { t: 3 }),
  killContainer: () => R.killContainer('web', { killSignal: 'SIGTERM' }),
  pauseContainer: () => R.pauseContainer('web'),
  unpauseContainer: () => R.unpauseContainer('web'),
  removeContainer: () => R.removeContainer('web', { force: true, volumes: true }),
  renameContainer: () => R.renameContainer('web', 'web2'),
  createExec: () => R.createExec('web', { Cmd: ['sh'], AttachStdin: true, AttachStdout: true, Tty: true }),
  inspectExec: () => R.inspectExec('e1'),
  resizeExec: () => R.resizeExec('e1', { h: 24, w: 80 }),
  startExec: () => R.startExec('e1', true),
  listImages: () => R.listImages(),
  inspectImage: () => R.inspectImage('library/busybox:latest'),
  removeImage: () => R.removeImage('library/busybox:latest', { force: true }),
  pruneImages: () => R.pruneImages({ dangling: ['true'] }),
  pullImage: () => R.pullImage('library/busybox', 'latest', { registryAuth: 'e30=' }),
  listNetworks: () => R.listNetworks(),
  inspectNetwork: () => R.inspectNetwork('bridge'),
  createNetwork: () => R.createNetwork({ Name: 'n1' }),
  removeNetwork: () => R.removeNetwork('n1'),
  listVolumes: () => R.listVolumes(),
  inspectVolume: () => R.inspectVolume('v1'),
  removeVolume: () => R.removeVolume('v1', { force: true }),
  pruneVolumes: () => R.pruneVolumes(),
};

describe('engine request builders', () => {
  it('have a sample for every builder', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(R).sort());
  });

  it.each(Object.entries(SAMPLES))('builds %s as the operation the policy engine reads it as', (_name, build) => {
    const req = build();
    const gated = gateRequest(hostPolicy({ profile: 'full' }), 'h', req);
    expect(gated.decision).toMatchObject({ allow: true, operation: req.operation });
  });

  it.each(Object.entries(SAMPLES))('names %s in HOST_OPERATIONS with the operation it builds', (name, build) => {
    expect(HOST_OPERATIONS[name as EngineRequestName]).toBe(build().operation);
  });

  it('encodes lifecycle requests as dockerd expects them', () => {
    expect(requestTarget(R.stopContainer('web', { t: 3 }))).toBe('/containers/web/stop?t=3');
    expect(requestTarget(R.killContainer('web', { killSignal: 'SIGHUP' }))).toBe('/containers/web/kill?signal=SIGHUP');
    expect(requestTarget(R.removeContainer('web', { force: true, volumes: false }))).toBe('/containers/web?force=1&v=0');
    expect(requestTarget(R.renameContainer('web', 'new name'))).toBe('/containers/web/rename?name=new+name');
    expect(R.removeContainer('web')).toMatchObject({ operation: 'container.delete', method: 'DELETE' });
  });

  it('leaves undefined options out and sends filters as JSON', () => {
    expect(requestTarget(R.startContainer('web'))).toBe('/containers/web/start');
    expect(requestTarget(R.listContainers({ all: true, filters: { label: ['a=b'] } })))
      .toBe(`/containers/json?all=1&filters=${encodeURIComponent('{"label":["a=b"]}')}`);
    expect(requestTarget(R.containerLogs('web'))).toBe('/containers/web/logs?stdout=1&stderr=1');
  });

  it('percent-encodes ids so a slash or query character cannot change the route', () => {
    expect(pathSegment('a/b?c#d')).toBe('a%2Fb%3Fc%23d');
    expect(R.inspectContainer('x?all=1').path).toBe('/containers/x%3Fall%3D1/json');
    expect(pathSegment('registry:5000/app', true)).toBe('registry%3A5000/app');
  });

  it('marks logs, events and pulls as streams, and stats only when asked to stream', () => {
    expect(R.containerLogs('web').stream).toBe(true);
    expect(R.events().stream).toBe(true);
    expect(R.pullImage('busybox', undefined).stream).toBe(true);
    expect(R.containerStats('web').stream).toBeUndefined();
    expect(R.containerStats('web', { stream: true }).stream).toBe(true);
  });

  it('puts registry credentials in a header, never in the target', () => {
    const req = R.pullImage('busybox', 'latest', { registryAuth: 'c2VjcmV0' });
    expect(req.headers).toEqual({ 'X-Registry-Auth': 'c2VjcmV0' });
    expect(requestTarget(req)).not.toContain('c2VjcmV0');
  });
});

// Unit tests of EngineHost's call path: what reaches the channel, and that a denial sends nothing.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RawRequest, RawResponse } from '../docker/index.js';
import { EngineHost, normalizeTags } from './engine-host.js';
import { HostPolicyDenied } from './errors.js';
import { hostPolicy } from './local-host.js';
import type { DecisionEvent, EngineChannel } from './types.js';

/** A channel that records what a host sends and answers 204; it stands for "the wire", not for dockerd. */
class RecordingChannel implements EngineChannel {
  readonly target = { description: 'recording channel' };
  readonly sent: RawRequest[] = [];
  closed = false;
  request(req: RawRequest & { stream: true }): Promise<RawResponse<Readable>>;
  request(req: RawRequest & { stream?: false }): Promise<RawResponse<Buffer>>;
  request(req: RawRequest): Promise<RawResponse<Buffer> | RawResponse<Readable>> {
    this.sent.push(req);
    const body = req.stream === true ? Readable.from([]) : Buffer.alloc(0);
    return Promise.resolve({ status: 204, headers: {}, body } as RawResponse<Buffer>);
  }
  hijackRaw(): Promise<never> {
    return Promise.reject(new Error('the recording channel does not hijack'));
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

function makeHost(policy = hostPolicy()): { host: EngineHost; channel: RecordingChannel; events: DecisionEvent[] } {
  const channel = new RecordingChannel();
  const events: DecisionEvent[] = [];
  const host = new EngineHost({ id: 'h1', name: 'one', kind: 'agent', tags: [' Prod ', 'prod', 'EU'], channel, policy, onDecision: (e) => events.push(e) });
  return { host, channel, events };
}

describe('EngineHost', () => {
  it('sends nothing when the policy denies a privileged create, and throws HostPolicyDenied with the decision', async () => {
    const { host, channel, events } = makeHost();
    const err = await host.createContainer({ Image: 'busybox', HostConfig: { Privileged: true } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostPolicyDenied);
    expect((err as HostPolicyDenied).decision).toMatchObject({ operation: 'container.create', rule: 'body:privileged' });
    expect(channel.sent).toHaveLength(0);
    expect(events).toEqual([{ hostId: 'h1', method: 'POST', target: '/containers/create', decision: (err as HostPolicyDenied).decision, observed: false }]);
  });

  it('sends nothing when a read-only policy refuses a stop', async () => {
    const { host, channel } = makeHost(hostPolicy({ profile: 'read-only' }));
    await expect(host.stopContainer('web')).rejects.toThrow(/denies container\.stop/);
    await expect(host.removeContainer('web')).rejects.toBeInstanceOf(HostPolicyDenied);
    expect(channel.sent).toHaveLength(0);
  });

  it('sends an allowed lifecycle call with the checked target and no body', async () => {
    const { host, channel, events } = makeHost();
    await host.restartContainer('web', { t: 2 });
    expect(channel.sent).toEqual([{ method: 'POST', path: '/containers/web/restart?t=2', headers: {}, stream: false }]);
    expect(events[0]).toMatchObject({ decision: { allow: true, operation: 'container.restart' }, observed: false });
  });

  it('sends the body bytes the policy checked, as JSON', async () => {
    const { host, channel } = makeHost();
    await host.createContainer({ Image: 'busybox', Cmd: ['true'] }, { name: 'x' });
    const sent = channel.sent[0]!;
    expect(sent.path).toBe('/containers/create?name=x');
    expect(sent.headers).toEqual({ 'content-type': 'application/json' });
    expect(Buffer.isBuffer(sent.body)).toBe(true);
    expect(JSON.parse((sent.body as Buffer).toString('utf8'))).toEqual({ Image: 'busybox', Cmd: ['true'] });
  });

  it('passes registry credentials to the channel but not to decision listeners', async () => {
    const { host, channel, events } = makeHost();
    await host.pullImage('busybox', 'latest', { registryAuth: 'c2VjcmV0' });
    expect(channel.sent[0]!.headers).toEqual({ 'X-Registry-Auth': 'c2VjcmV0' });
    expect(channel.sent[0]!.stream).toBe(true);
    expect(JSON.stringify(events)).not.toContain('c2VjcmV0');
  });

  it('reports an unreachable status instead of throwing when a denial blocks the ping', async () => {
    const { host } = makeHost(hostPolicy({ customProfile: { name: 'none', checkRoute: () => ({ allow: false, rule: 'none', reason: 'nothing' }), constraintsFor: () => { throw new Error('unused'); } } }));
    const status = await host.status();
    expect(status).toMatchObject({ id: 'h1', name: 'one', kind: 'agent', online: false, error: { code: 'PC_ERR_HOST_POLICY_DENIED', status: 403 } });
  });

  it('normalises tags and closes its channel', async () => {
    const { host, channel } = makeHost();
    expect(host.tags).toEqual(['prod', 'eu']);
    host.setTags(['A', ' b', '']);
    expect(host.tags).toEqual(['a', 'b']);
    expect(normalizeTags(['X', 'x '])).toEqual(['x']);
    await host.close();
    expect(channel.closed).toBe(true);
  });
});

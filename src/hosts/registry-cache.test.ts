// Unit tests of the container listing cache: reused only while the host's events are followed, and never across a change.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RawRequest, RawResponse } from '../docker/index.js';
import { EngineHost } from './engine-host.js';
import { hostPolicy } from './local-host.js';
import { HostRegistry } from './registry.js';
import type { EngineChannel } from './types.js';

/** A channel whose container list names how many times it was asked (stands for "the wire", not for dockerd). */
class CountingChannel implements EngineChannel {
  readonly target = { description: 'counting channel' };
  lists = 0;
  request(req: RawRequest & { stream: true }): Promise<RawResponse<Readable>>;
  request(req: RawRequest & { stream?: false }): Promise<RawResponse<Buffer>>;
  request(req: RawRequest): Promise<RawResponse<Buffer> | RawResponse<Readable>> {
    if (req.path.startsWith('/containers/json')) {
      this.lists += 1;
      const body = Buffer.from(JSON.stringify([{ Id: `c${this.lists}`, Names: ['/web'], Image: 'busybox', State: 'running', Status: 'Up', Labels: {}, Ports: [] }]));
      return Promise.resolve({ status: 200, headers: {}, body });
    }
    const body = req.stream === true ? Readable.from([]) : Buffer.alloc(0);
    return Promise.resolve({ status: 204, headers: {}, body } as RawResponse<Buffer>);
  }
  hijackRaw(): Promise<never> {
    return Promise.reject(new Error('no hijack here'));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function setup(): { r: HostRegistry; ch: CountingChannel; ids: () => Promise<string[]> } {
  const ch = new CountingChannel();
  const r = new HostRegistry();
  r.add(new EngineHost({ id: 'h1', name: 'one', kind: 'agent', channel: ch, policy: hostPolicy() }));
  const ids = async (): Promise<string[]> => (await r.aggregateContainers()).containers.map((c) => c.container.Id);
  return { r, ch, ids };
}

describe('container listing cache', () => {
  it('asks the host every time while nobody follows its events', async () => {
    const { ch, ids } = setup();
    expect(await ids()).toEqual(['c1']);
    expect(await ids()).toEqual(['c2']);
    expect(ch.lists).toBe(2);
  });

  it('reuses a listing while the events are followed, until an event invalidates it', async () => {
    const { r, ch, ids } = setup();
    r.setFollowed('h1', true);
    expect(await ids()).toEqual(['c1']);
    expect(await ids()).toEqual(['c1']);
    expect(ch.lists).toBe(1);
    r.invalidate('h1');
    expect(await ids()).toEqual(['c2']);
  });

  it('does not reuse a listing after a write through the host, or after the follower stopped', async () => {
    const { r, ch, ids } = setup();
    r.setFollowed('h1', true);
    await ids();
    await r.get('h1')!.stopContainer('web');
    expect(await ids()).toEqual(['c2']);
    r.setFollowed('h1', false);
    expect(await ids()).toEqual(['c3']);
    expect(ch.lists).toBe(3);
  });

  it('keeps listings apart per filter and forgets them when the host goes offline', async () => {
    const { r, ids } = setup();
    r.setFollowed('h1', true);
    await ids();
    expect((await r.aggregateContainers({ state: 'running' })).containers[0]!.container.Id).toBe('c2');
    r.emitChange({ type: 'offline', hostId: 'h1' });
    expect(await ids()).toEqual(['c3']);
  });
});

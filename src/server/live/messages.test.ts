import { describe, expect, it } from 'vitest';
import { liveMessage } from './messages.js';

const host = { id: 'h1', name: 'local' };

describe('live messages', () => {
  it('turns a container stop event into a container message with its state and time', () => {
    const m = liveMessage(host, { Type: 'container', Action: 'stop', Actor: { ID: 'abc', Attributes: { name: 'web', image: 'x' } }, time: 1714557600, timeNano: 1714557600123000000 });
    expect(m).toEqual({ type: 'container', hostId: 'h1', hostName: 'local', id: 'abc', name: 'web', action: 'stop', state: 'exited', time: '2024-05-01T10:00:00.123Z' });
  });

  it('leaves out the state after a kill, which may not end the process', () => {
    expect(liveMessage(host, { Type: 'container', Action: 'kill', Actor: { ID: 'abc' }, time: 1 })).not.toHaveProperty('state');
  });

  it('drops other actions and other object types, and keeps an event without an id out', () => {
    expect(liveMessage(host, { Type: 'container', Action: 'exec_start: sh -c id', Actor: { ID: 'abc' } })).toBeUndefined();
    expect(liveMessage(host, { Type: 'container', Action: 'health_status: healthy', Actor: { ID: 'abc' } })).toBeUndefined();
    expect(liveMessage(host, { Type: 'network', Action: 'create', Actor: { ID: 'n' } })).toBeUndefined();
    expect(liveMessage(host, { Type: 'container', Action: 'start', Actor: {} })).toBeUndefined();
  });

  it('passes a hostile container name on as plain data', () => {
    const m = liveMessage(host, { Type: 'container', Action: 'rename', Actor: { ID: 'abc', Attributes: { name: '<img src=x onerror=alert(1)>' } }, time: 1 });
    expect(JSON.parse(JSON.stringify(m)).name).toBe('<img src=x onerror=alert(1)>');
  });
});

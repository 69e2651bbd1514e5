import { EventEmitter } from 'node:events';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { pump, sendPaced, type PacedSocket } from './send.js';

/** A socket whose buffer level the test sets, holding each send's completion until the test flushes it. */
class FakeSocket extends EventEmitter implements PacedSocket {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  sent: string[] = [];
  private pending: (() => void)[] = [];
  send(data: string, cb?: (err?: Error) => void): void {
    this.sent.push(data);
    if (cb) this.pending.push(() => cb());
  }
  flush(): void {
    this.bufferedAmount = 0;
    for (const p of this.pending.splice(0)) p();
  }
  closeNow(): void {
    this.readyState = WebSocket.CLOSED;
    this.emit('close');
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('paced WebSocket sends', () => {
  it('sends at once while the buffer is below the high-water mark', async () => {
    const s = new FakeSocket();
    await sendPaced(s, 'a', 10);
    expect(s.sent).toEqual(['a']);
  });

  it('stops reading the source while the socket buffer is full, and reads on once it drained', async () => {
    const s = new FakeSocket();
    let pulled = 0;
    async function* source(): AsyncGenerator<number> {
      for (let i = 0; i < 5; i++) {
        pulled++;
        yield await Promise.resolve(i);
      }
    }
    s.bufferedAmount = 1_000;
    const done = pump(s, source(), (i) => [{ i }], 100);
    await tick();
    await tick();
    expect([pulled, s.sent.length]).toEqual([1, 1]);
    s.flush();
    await tick();
    await tick();
    expect(pulled).toBe(5);
    expect(await done).toBe(true);
    expect(s.sent.map((x) => (JSON.parse(x) as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
  });

  it('ends the source (its finally runs) once the socket closes, even while waiting for a drain', async () => {
    const s = new FakeSocket();
    let finished = false;
    async function* endless(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) yield await Promise.resolve(i);
      } finally {
        finished = true;
      }
    }
    s.bufferedAmount = 1_000;
    const done = pump(s, endless(), (i) => [i], 100);
    await tick();
    s.closeNow();
    expect(await done).toBe(false);
    expect(finished).toBe(true);
    expect(s.sent.length).toBe(1);
  });
});

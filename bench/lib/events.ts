// Opens many concurrent GET /events streams through a proxy and holds them, to measure memory per stream.
import { Agent, request, type ClientRequest } from 'node:http';

/** The outcome of {@link openEventStreams}. */
export interface EventStreams {
  /** Streams that received a 200 response head. */
  opened: number;
  /** Streams that got another status, or an error, or no head before the deadline. */
  failed: number;
  /** Failure reasons (status codes, error codes, "no-response") with counts. */
  failures: Record<string, number>;
  /** Destroys every stream (and the agent's sockets). */
  close(): void;
}

/**
 * Opens `count` concurrent `GET <path>` requests to 127.0.0.1:port and waits until each has a
 * response head or `timeoutMs` passes. Bodies are drained and discarded.
 */
export async function openEventStreams(port: number, count: number, timeoutMs: number, path = '/v1.41/events'): Promise<EventStreams> {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const reqs: ClientRequest[] = [];
  const failures: Record<string, number> = {};
  let opened = 0;
  let settled = 0;
  const fail = (why: string): void => {
    failures[why] = (failures[why] ?? 0) + 1;
  };
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const done = (): void => {
      settled++;
      if (settled === count) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (let i = 0; i < count; i++) {
      let counted = false;
      const once = (fn: () => void): void => {
        if (counted) return;
        counted = true;
        fn();
        done();
      };
      const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent }, (res) => {
        res.resume();
        once(() => (res.statusCode === 200 ? opened++ : fail(`status-${res.statusCode ?? 0}`)));
      });
      req.on('error', (err: NodeJS.ErrnoException) => once(() => fail(err.code ?? err.message)));
      req.end();
      reqs.push(req);
    }
  });
  const answered = Object.values(failures).reduce((a, b) => a + b, 0) + opened;
  if (answered < count) failures['no-response'] = count - answered;
  return {
    opened,
    failed: count - opened,
    failures: { ...failures },
    close() {
      for (const r of reqs) r.destroy();
      agent.destroy();
    },
  };
}

/** One GET to 127.0.0.1:port; resolves with the status and time taken, or "no answer" after timeoutMs. */
export function probe(port: number, path: string, timeoutMs: number): Promise<{ status: number | null; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? null, ms: Date.now() - t0 }));
    });
    req.once('timeout', () => {
      req.destroy();
      resolve({ status: null, ms: Date.now() - t0 });
    });
    req.once('error', () => resolve({ status: null, ms: Date.now() - t0 }));
    req.end();
  });
}

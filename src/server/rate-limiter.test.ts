import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

const spec = { max: 2, windowMs: 1000 };
const specs = { auth: spec, hosts: spec, containers: spec, notifications: spec, ws: spec };

describe('RateLimiter', () => {
  it('refuses the hit past the limit with the time left in the window, and reports the first refusal once', () => {
    let t = 0;
    const rl = new RateLimiter(specs, () => t);
    expect(rl.hit('auth', ['ip:a']).allowed).toBe(true);
    expect(rl.hit('auth', ['ip:a']).allowed).toBe(true);
    t = 400;
    expect(rl.hit('auth', ['ip:a'])).toEqual({ allowed: false, retryAfterMs: 600, firstRefusal: true });
    expect(rl.hit('auth', ['ip:a']).firstRefusal).toBe(false);
    t = 1000;
    expect(rl.hit('auth', ['ip:a']).allowed).toBe(true);
  });

  it('counts classes and keys apart, and refuses when any of the keys is over', () => {
    const rl = new RateLimiter(specs, () => 0);
    rl.hit('auth', ['ip:a', 'user:1']);
    rl.hit('auth', ['ip:a', 'user:1']);
    expect(rl.hit('hosts', ['ip:a']).allowed).toBe(true);
    expect(rl.hit('auth', ['ip:b']).allowed).toBe(true);
    expect(rl.hit('auth', ['ip:c', 'user:1']).allowed).toBe(false);
  });
});

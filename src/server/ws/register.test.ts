import { describe, expect, it } from 'vitest';
import { originAllowed } from './register.js';

describe('WebSocket origin check', () => {
  it('accepts the server\'s own origin, default ports included, and a client that sends no Origin', () => {
    expect(originAllowed('http://127.0.0.1:18282', '127.0.0.1:18282')).toBe(true);
    expect(originAllowed('https://pc.example', 'pc.example:443')).toBe(true);
    expect(originAllowed('https://PC.example:8443', 'pc.example:8443')).toBe(true);
    expect(originAllowed(undefined, '127.0.0.1:18282')).toBe(true);
  });

  it('refuses another site, another port, a null or malformed Origin, and non-web schemes', () => {
    expect(originAllowed('http://evil.example', '127.0.0.1:18282')).toBe(false);
    expect(originAllowed('http://127.0.0.1:9999', '127.0.0.1:18282')).toBe(false);
    expect(originAllowed('http://127.0.0.1.evil.example:18282', '127.0.0.1:18282')).toBe(false);
    expect(originAllowed('null', '127.0.0.1:18282')).toBe(false);
    expect(originAllowed('file:///etc/passwd', '127.0.0.1:18282')).toBe(false);
    expect(originAllowed('http://127.0.0.1:18282', undefined)).toBe(false);
    expect(originAllowed('http://127.0.0.1:18282', 'a b')).toBe(false);
  });
});

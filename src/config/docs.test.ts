import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { proxySettings } from './proxy.js';

describe('documentation', () => {
  it('docs/proxy.md documents every proxy variable', () => {
    const doc = readFileSync(new URL('../../docs/proxy.md', import.meta.url), 'utf8');
    const missing = Object.values(proxySettings).map((s) => s.env).filter((env) => !doc.includes(`\`${env}\``));
    expect(missing).toEqual([]);
  });
});

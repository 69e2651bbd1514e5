// docs/audit.md documents every rule exactly as the code declares it (id, title, severity logic, description, fix, sources).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from './rules/index.js';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/audit.md'), 'utf8');

describe('docs/audit.md', () => {
  for (const r of ALL_RULES) {
    it(`documents ${r.id}`, () => {
      const start = doc.indexOf(`#### ${r.id}\n`);
      expect(start, `no "#### ${r.id}" heading`).toBeGreaterThan(0);
      const end = doc.indexOf('\n#### ', start + 1);
      const section = doc.slice(start, end < 0 ? undefined : end);
      expect(section).toContain(`**${r.title}**`);
      expect(section).toContain(r.severityText);
      expect(section).toContain(r.description);
      expect(section).toContain(r.fix);
      for (const s of r.sources) expect(section).toContain(s);
    });
  }
  it('documents no rule that does not exist', () => {
    const ids = [...doc.matchAll(/^#### ([A-Z]+-\d{3})$/gm)].map((m) => m[1]);
    expect(ids.sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
  });
});

// Compose interpolation: defaults, required variables, alternatives, $$ escapes, nesting, and .env parsing.
import { describe, expect, it } from 'vitest';
import { interpolate, parseDotenv } from './interpolate.js';

const env = { SET: 'value', EMPTY: '', PORT: '5432' };

describe('interpolate', () => {
  it.each([
    ['${SET}', 'value'],
    ['$SET', 'value'],
    ['${UNSET:-dflt}', 'dflt'],
    ['${EMPTY:-dflt}', 'dflt'],
    ['${EMPTY-dflt}', ''],
    ['${UNSET-dflt}', 'dflt'],
    ['${SET:+alt}', 'alt'],
    ['${UNSET:+alt}', ''],
    ['${SET+alt}', 'alt'],
    ['$${SET}', '${SET}'],
    ['a$$b', 'a$b'],
    ['${UNSET:-${SET}}', 'value'],
    ['${HOST_IP:-127.0.0.1}:${PORT}:5432', '127.0.0.1:5432:5432'],
    ['${DB:-127.0.0.1:13306}', '127.0.0.1:13306'],
    ['no dollars', 'no dollars'],
  ])('%s → %s', (input, out) => {
    expect(interpolate(input, env).value).toBe(out);
  });

  it('records unset variables without defaults', () => {
    const r = interpolate('${BIND}:5432:5432', env);
    expect(r.value).toBe(':5432:5432');
    expect(r.unresolved).toEqual(['BIND']);
    expect(r.interpolated).toBe(true);
  });

  it('fails ${VAR:?message} when unset, with the message', () => {
    expect(interpolate('${NEED:?set NEED please}', env).errors).toEqual(['required variable NEED is not set: set NEED please']);
    expect(interpolate('${EMPTY:?x}', env).errors).toHaveLength(1);
    expect(interpolate('${EMPTY?x}', env).errors).toHaveLength(0);
  });

  it('a $$ escape alone is not an interpolation', () => {
    expect(interpolate('$$HOME', env).interpolated).toBe(false);
  });
});

describe('parseDotenv', () => {
  it('reads assignments, quotes, export and comments', () => {
    const text = '# comment\nA=1\nexport B="two words"\nC=\'single\'\nD=x # trailing\n\nbad line\n';
    expect(parseDotenv(text)).toEqual({ A: '1', B: 'two words', C: 'single', D: 'x' });
  });
});

// Unit tests of one-time password generation and reading a new password from stdin.
import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from '../auth/index.js';
import { AdminError, EXIT_FAILURE, EXIT_USAGE } from './admin-context.js';
import { ONE_TIME_ALPHABET, ONE_TIME_LENGTH, generateOneTimePassword, readPasswordFromStdin, stripLineEnding } from './admin-password.js';
import { memoryIo } from './admin-test-support.js';

async function rejection(p: Promise<unknown>): Promise<AdminError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AdminError);
  return err as AdminError;
}

describe('generateOneTimePassword', () => {
  it('makes passwords of at least 20 characters from the unambiguous alphabet that pass the policy', () => {
    expect(ONE_TIME_LENGTH).toBeGreaterThanOrEqual(20);
    for (let i = 0; i < 50; i++) {
      const pw = generateOneTimePassword('alice');
      expect(pw).toHaveLength(ONE_TIME_LENGTH);
      for (const ch of pw) expect(ONE_TIME_ALPHABET).toContain(ch);
      expect(checkPasswordPolicy(pw, 'alice')).toEqual({ ok: true });
    }
  });

  it('never repeats a password', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateOneTimePassword('bob')));
    expect(seen.size).toBe(200);
  });

  it('leaves out look-alike characters', () => {
    for (const ch of '0O1lI') expect(ONE_TIME_ALPHABET).not.toContain(ch);
  });
});

describe('stripLineEnding', () => {
  it('removes exactly one trailing newline or CRLF and keeps other whitespace', () => {
    expect(stripLineEnding('secret\n')).toBe('secret');
    expect(stripLineEnding('secret\r\n')).toBe('secret');
    expect(stripLineEnding('secret\n\n')).toBe('secret\n');
    expect(stripLineEnding(' secret ')).toBe(' secret ');
  });
});

describe('readPasswordFromStdin', () => {
  it('returns a piped password that passes the policy, without its line ending', async () => {
    await expect(readPasswordFromStdin(memoryIo({ stdin: 'Violet-Harbour-Lantern-42\n' }), 'alice')).resolves.toBe('Violet-Harbour-Lantern-42');
  });

  it('refuses a terminal as bad usage, since the password would echo', async () => {
    const err = await rejection(readPasswordFromStdin(memoryIo({ tty: true }), 'alice'));
    expect(err.exitCode).toBe(EXIT_USAGE);
    expect(err.message).toMatch(/pipe/);
  });

  it('names the violated rule and never repeats the password', async () => {
    const err = await rejection(readPasswordFromStdin(memoryIo({ stdin: 'short1\n' }), 'alice'));
    expect(err.exitCode).toBe(EXIT_FAILURE);
    expect(err.message).toMatch(/too_short/);
    expect(err.message).not.toContain('short1');
  });

  it('refuses a password containing the username', async () => {
    const err = await rejection(readPasswordFromStdin(memoryIo({ stdin: 'xx-alice-Harbour-77' }), 'alice'));
    expect(err.message).toMatch(/username/);
  });

  it('refuses an empty stdin', async () => {
    const err = await rejection(readPasswordFromStdin(memoryIo({ stdin: '' }), 'alice'));
    expect(err.message).toMatch(/too_short/);
  });
});

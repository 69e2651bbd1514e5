// Tests: the secrets key file is created 0600 atomically and checked on load.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY_BYTES, loadOrCreateKey } from './key-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pc-key-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadOrCreateKey', () => {
  it('creates a 32-byte key file with mode 0600 and leaves no temp file', async () => {
    const path = join(dir, 'secrets.key');
    const r = await loadOrCreateKey(path);
    expect(r.created).toBe(true);
    expect(r.modeFixed).toBe(false);
    expect(r.key.length).toBe(KEY_BYTES);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path)).toEqual(r.key);
    expect(await readdir(dir)).toEqual(['secrets.key']);
  });

  it('loads the same key on the next call', async () => {
    const path = join(dir, 'secrets.key');
    const a = await loadOrCreateKey(path);
    const b = await loadOrCreateKey(path);
    expect(b.created).toBe(false);
    expect(b.key).toEqual(a.key);
  });

  it('gives every concurrent caller the one key that won the creation race', async () => {
    const path = join(dir, 'secrets.key');
    const all = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateKey(path)));
    const onDisk = await readFile(path);
    for (const r of all) expect(r.key).toEqual(onDisk);
    expect(await readdir(dir)).toEqual(['secrets.key']);
  });

  it('fixes a group- or world-readable key file to 0600 and says so', async () => {
    const path = join(dir, 'secrets.key');
    await loadOrCreateKey(path);
    await chmod(path, 0o644);
    const r = await loadOrCreateKey(path);
    expect(r.modeFixed).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('refuses a key file of the wrong length', async () => {
    const path = join(dir, 'secrets.key');
    await writeFile(path, Buffer.alloc(16), { mode: 0o600 });
    await expect(loadOrCreateKey(path)).rejects.toThrow(/holds 16 bytes, expected 32/);
  });

  it('refuses a symlink in place of the key file', async () => {
    const target = join(dir, 'elsewhere.key');
    await writeFile(target, Buffer.alloc(32), { mode: 0o600 });
    const path = join(dir, 'secrets.key');
    await symlink(target, path);
    await expect(loadOrCreateKey(path)).rejects.toThrow(/symlink/);
  });

  it('refuses a directory in place of the key file', async () => {
    await expect(loadOrCreateKey(dir)).rejects.toThrow(/not a regular file/);
  });
});

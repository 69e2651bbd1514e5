// The secrets-encryption key file: 32 random bytes, created atomically with mode 0600, checked on every load.
import { randomBytes } from 'node:crypto';
import { open, link, unlink } from 'node:fs/promises';
import { constants as fsc } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Length of the secrets key in bytes (AES-256). */
export const KEY_BYTES = 32;

export interface LoadedKey {
  key: Buffer;
  /** The file did not exist and was created by this call. */
  created: boolean;
  /**
   * The file was readable or writable by group/others and its mode was set to 0600 before use.
   * The caller should log a warning: the key may have been copied while it was exposed.
   */
  modeFixed: boolean;
}

/**
 * Loads the 32-byte key at `path`, creating it when missing.
 *
 * Creation is atomic and race-safe: the key is written to a temp file in the same directory
 * (O_CREAT|O_EXCL, mode 0600), fsynced, then hard-linked to `path` — link() fails if another process
 * created the key meanwhile, in which case that key is used instead of overwriting it (a rename would
 * silently replace a key that may already encrypt data).
 *
 * Loading opens with O_NOFOLLOW and checks the open descriptor: a symlink, a non-regular file, a file
 * owned by another user, or a length other than 32 bytes throws. A file readable or writable by
 * group/others is **fixed, not refused**: its mode is set to 0600 and `modeFixed` is returned so the
 * caller warns (the data dir policy of the server: "a looser existing mode is fixed and warned about").
 */
export async function loadOrCreateKey(path: string): Promise<LoadedKey> {
  const existing = await readKey(path);
  if (existing) return { ...existing, created: false };
  const created = await createKey(path);
  if (created) return { key: created, created: true, modeFixed: false };
  // Lost a creation race: another process's key is now in place.
  const raced = await readKey(path);
  if (!raced) throw new Error(`key file ${path} vanished while being created; check who else writes the data dir`);
  return { ...raced, created: false };
}

async function readKey(path: string): Promise<{ key: Buffer; modeFixed: boolean } | undefined> {
  let fh;
  try {
    fh = await open(path, fsc.O_RDONLY | fsc.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new Error(`key file ${path} is a symlink; refusing to use it`, { cause: err });
    throw new Error(`cannot open key file ${path}: ${code ?? 'error'}`, { cause: err });
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error(`key file ${path} is not a regular file`);
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) {
      throw new Error(`key file ${path} is owned by uid ${st.uid}, not by this process (uid ${uid}); fix its owner`);
    }
    if (st.size !== KEY_BYTES) throw new Error(`key file ${path} holds ${st.size} bytes, expected ${KEY_BYTES}; it is damaged`);
    let modeFixed = false;
    if ((st.mode & 0o077) !== 0) {
      await fh.chmod(0o600);
      modeFixed = true;
    }
    const key = Buffer.alloc(KEY_BYTES);
    const { bytesRead } = await fh.read(key, 0, KEY_BYTES, 0);
    if (bytesRead !== KEY_BYTES) throw new Error(`key file ${path} could not be read whole`);
    return { key, modeFixed };
  } finally {
    await fh.close();
  }
}

async function createKey(path: string): Promise<Buffer | undefined> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const key = randomBytes(KEY_BYTES);
  const fh = await open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o600);
  try {
    await fh.chmod(0o600); // the umask cannot widen it, but be explicit
    await fh.write(key, 0, KEY_BYTES, 0);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw new Error(`cannot create key file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await syncDir(dir);
  return key;
}

async function syncDir(dir: string): Promise<void> {
  const dh = await open(dir, fsc.O_RDONLY);
  try {
    await dh.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the link itself is already atomic.
  } finally {
    await dh.close();
  }
}

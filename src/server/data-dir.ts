// The data dir: created 0700, every file in it 0600; looser modes found are tightened and reported.
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Mode of the data dir and every directory in it. */
export const DATA_DIR_MODE = 0o700;
/** Mode of every file in the data dir. */
export const DATA_FILE_MODE = 0o600;
/** How deep tightenDataDir walks (the layout is flat: files and tls/). */
const MAX_DEPTH = 3;

/**
 * Creates `dir` (0700) when missing and tightens it and everything under it: directories to 0700, files to
 * 0600. Returns one message per path whose mode was looser (the caller logs them as warnings: the content
 * may have been read while it was exposed). Symlinks are reported and left alone; a data dir that is not a
 * directory is an error.
 */
export async function prepareDataDir(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: DATA_DIR_MODE });
  const st = await lstat(dir);
  if (!st.isDirectory()) throw new Error(`data dir ${dir} is not a directory; set --data (PORTCULLIS_DATA) to a directory`);
  const fixed: string[] = [];
  await tighten(dir, fixed, 0);
  return fixed;
}

async function tighten(path: string, fixed: string[], depth: number): Promise<void> {
  const st = await lstat(path);
  if (st.isSymbolicLink()) {
    fixed.push(`${path} is a symlink inside the data dir; left alone (check where it points)`);
    return;
  }
  const want = st.isDirectory() ? DATA_DIR_MODE : DATA_FILE_MODE;
  if ((st.mode & 0o077) !== 0) {
    await chmod(path, want);
    fixed.push(`${path} had mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}; set to ${want.toString(8).padStart(4, '0')}`);
  }
  if (st.isDirectory() && depth < MAX_DEPTH) {
    for (const name of await readdir(path)) await tighten(join(path, name), fixed, depth + 1);
  }
}

// The agent's identity: an Ed25519 key created on first start in the data dir (dir 0700, key 0600).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEd25519Key } from '../tunnel/index.js';

/** File name of the key inside the agent's data dir. */
export const AGENT_KEY_FILE = 'agent-key.pem';

/**
 * Loads the agent key from `dataDir`, creating the dir (0700) and a new Ed25519 key (0600) when absent.
 * A key readable by group or others is tightened to 0600 and reported through `warn`.
 */
export function loadOrCreateAgentKey(dataDir: string, warn: (msg: string) => void = () => undefined): { key: KeyObject; created: boolean; path: string } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dirMode = statSync(dataDir).mode & 0o777;
  if (dirMode & 0o077) {
    chmodSync(dataDir, 0o700);
    warn(`the agent data dir ${dataDir} was readable by others (mode ${dirMode.toString(8)}); set to 0700`);
  }
  const path = join(dataDir, AGENT_KEY_FILE);
  let created = false;
  try {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    // wx: never overwrite a key another process created in the meantime
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    chmodSync(path, 0o600);
    warn(`the agent key ${path} was readable by others (mode ${mode.toString(8)}); set to 0600`);
  }
  return { key: loadEd25519Key(readFileSync(path, 'utf8')), created, path };
}

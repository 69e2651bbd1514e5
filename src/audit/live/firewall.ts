// Collects a firewall snapshot on this host (`iptables-save`, else `nft -j list ruleset`) when running as root.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Time allowed for each firewall dump command. */
export const FIREWALL_COMMAND_TIMEOUT_MS = 10_000;
/** Largest firewall dump accepted. */
export const MAX_FIREWALL_DUMP_BYTES = 32 * 1024 * 1024;

/** Thrown when the firewall cannot be read here (not root, commands missing). */
export class FirewallCollectError extends Error {
  override readonly name = 'FirewallCollectError';
}

async function tryRun(cmd: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run(cmd, args, { timeout: FIREWALL_COMMAND_TIMEOUT_MS, maxBuffer: MAX_FIREWALL_DUMP_BYTES });
    return stdout;
  } catch {
    return undefined;
  }
}

/**
 * Returns the text of a snapshot the auditor can parse: `iptables-save` output when it holds Docker's
 * chains, otherwise `nft -j list ruleset` (which the auditor reports as not assessable when needed).
 */
export async function collectFirewall(isRoot: boolean): Promise<{ source: string; text: string }> {
  if (!isRoot) throw new FirewallCollectError('--collect-firewall needs root (iptables-save reads the kernel ruleset); run as root or pass --firewall FILE');
  const ipt = await tryRun('iptables-save', []);
  if (ipt !== undefined && /^:DOCKER/m.test(ipt)) return { source: 'iptables-save', text: ipt };
  const nft = await tryRun('nft', ['-j', 'list', 'ruleset']);
  if (nft !== undefined && nft.trim() !== '') return { source: 'nft -j list ruleset', text: nft };
  if (ipt !== undefined) return { source: 'iptables-save', text: ipt };
  throw new FirewallCollectError('neither iptables-save nor nft could be run on this host');
}

// Reads a firewall snapshot (iptables-save text or `nft -j list ruleset` JSON) and derives facts about Docker's rules.
import { FirewallParseError, parseIptablesSave, ruleName, type IptRule, type IptRuleset } from './iptables.js';

/** A parsed snapshot. nftables snapshots are recognised but not simulated. */
export type FirewallSnapshot =
  | { kind: 'iptables'; rules: IptRuleset }
  | { kind: 'nftables'; dockerBackend: boolean; tables: string[]; notAssessable: string };

interface NftItem {
  table?: { family?: string; name?: string };
  chain?: { family?: string; table?: string; name?: string; hook?: string; prio?: number; policy?: string };
}

/** Parses `nft -j list ruleset` output far enough to say what it is. */
export function parseNftJson(text: string): FirewallSnapshot {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FirewallParseError(`not JSON: ${(err as Error).message}`);
  }
  const items = (doc as { nftables?: unknown }).nftables;
  if (!Array.isArray(items)) throw new FirewallParseError('not `nft -j list ruleset` output: no "nftables" array');
  const tables: string[] = [];
  const chains: string[] = [];
  for (const it of items as NftItem[]) {
    if (it.table) tables.push(`${it.table.family ?? '?'} ${it.table.name ?? '?'}`);
    if (it.chain?.name) chains.push(it.chain.name);
  }
  const dockerBackend = tables.some((t) => t.endsWith(' docker-bridges'));
  const translated = chains.includes('DOCKER-USER') || chains.includes('DOCKER');
  const notAssessable = dockerBackend
    ? "Docker's nftables firewall backend (tables docker-bridges): reachability is not simulated for it yet; review the forward-hook chains by hand"
    : translated
      ? 'an nftables listing of iptables-nft rules: pass `iptables-save` output instead, which Portcullis simulates'
      : 'an nftables ruleset without Docker tables: Docker is not managing this firewall (iptables=false?) or the listing is from another host';
  return { kind: 'nftables', dockerBackend, tables, notAssessable };
}

/** Parses either snapshot format (JSON = nft, anything else = iptables-save). */
export function parseFirewallSnapshot(text: string): FirewallSnapshot {
  const t = text.trimStart();
  if (t.startsWith('{')) return parseNftJson(t);
  return { kind: 'iptables', rules: parseIptablesSave(text) };
}

/** All rules reachable from a chain by jumps (in order), for DOCKER-USER analysis. */
export function rulesFrom(rs: IptRuleset, chain: string, seen = new Set<string>()): IptRule[] {
  if (seen.has(chain)) return [];
  seen.add(chain);
  const c = rs.tables.get('filter')?.get(chain);
  if (!c) return [];
  const out: IptRule[] = [];
  for (const r of c.rules) {
    out.push(r);
    if (r.target && rs.tables.get('filter')?.has(r.target)) out.push(...rulesFrom(rs, r.target, seen));
  }
  return out;
}

/** Whether Docker manages NAT in this snapshot (a nat/DOCKER chain exists). */
export function hasDockerNat(rs: IptRuleset): boolean {
  return rs.tables.get('nat')?.has('DOCKER') ?? false;
}

/** Whether UFW / firewalld chains are present. */
export function hostFirewalls(rs: IptRuleset): { ufw: boolean; firewalld: boolean } {
  const chains = [...(rs.tables.get('filter')?.keys() ?? [])];
  return {
    ufw: chains.some((c) => c.startsWith('ufw-') || c.startsWith('ufw6-')),
    firewalld: chains.some((c) => c.startsWith('FWD') || c === 'INPUT_direct' || c === 'FORWARD_direct'),
  };
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** DOCKER-USER rules that let private sources through (the ufw-docker default). */
export function lanOpenRules(rs: IptRuleset): string[] {
  return rulesFrom(rs, 'DOCKER-USER')
    .filter((r) => (r.target === 'RETURN' || r.target === 'ACCEPT') && r.conds.some((c) => c.kind === 'src' && !c.neg && PRIVATE.includes(c.cidr)))
    .map(ruleName);
}

/** External interface names the ruleset mentions (not docker bridges, veths or loopback). */
export function externalInterfaces(rs: IptRuleset): string[] {
  const names = new Set<string>();
  for (const chain of rs.tables.get('filter')?.values() ?? []) {
    for (const r of chain.rules) {
      for (const c of r.conds) {
        if (c.kind !== 'in') continue;
        const n = c.iface;
        if (n === 'lo' || n.startsWith('docker') || n.startsWith('br-') || n.startsWith('veth') || n.endsWith('+')) continue;
        names.add(n);
      }
    }
  }
  return [...names].sort();
}

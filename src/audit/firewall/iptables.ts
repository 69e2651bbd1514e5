// Parses `iptables-save` output into tables → chains → ordered rules with typed match conditions.
import type { PortRange } from '../ports.js';

/** One match condition of a rule; `unknown` stops any decision that depends on it. */
export type Cond =
  | { kind: 'in' | 'out'; neg: boolean; iface: string }
  | { kind: 'src' | 'dst' | 'ctorigdst' | 'ctorigsrc'; neg: boolean; cidr: string }
  | { kind: 'srcrange' | 'dstrange'; neg: boolean; from: string; to: string }
  | { kind: 'proto'; neg: boolean; proto: string }
  | { kind: 'dport' | 'sport' | 'ctorigdstport'; neg: boolean; ranges: PortRange[] }
  | { kind: 'state'; neg: boolean; states: string[] }
  | { kind: 'addrtype'; neg: boolean; which: 'src' | 'dst'; type: string }
  | { kind: 'ctdir'; neg: boolean; dir: string }
  | { kind: 'limit' }
  | { kind: 'unknown'; text: string };

export interface IptRule {
  table: string;
  chain: string;
  /** 1-based position inside its chain. */
  index: number;
  /** The rule as written (`-A DOCKER-USER …`). */
  text: string;
  conds: Cond[];
  target?: string;
  targetArgs: string[];
}

export interface IptChain {
  name: string;
  policy?: string;
  rules: IptRule[];
}

export interface IptRuleset {
  family: 'ipv4' | 'ipv6';
  tables: Map<string, Map<string, IptChain>>;
}

/** Thrown for input that is not iptables-save output. */
export class FirewallParseError extends Error {
  override readonly name = 'FirewallParseError';
}

/** Splits a rule line into words, honouring double quotes. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === '\\' && quoted && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      has = true;
    } else if (!quoted && /\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += c;
  }
  if (has || cur) out.push(cur);
  return out;
}

function ranges(text: string): PortRange[] {
  return text.split(',').map((p) => {
    const [a = '', b] = p.split(':');
    const from = Number(a === '' ? 0 : a);
    const to = b === undefined ? from : Number(b === '' ? 65535 : b);
    return { from, to };
  });
}

/** Options taking one value each, per known match module. */
const MODULE_OPTS: Record<string, string[]> = {
  tcp: ['--dport', '--destination-port', '--sport', '--source-port', '--tcp-flags', '--syn', '--tcp-option'],
  udp: ['--dport', '--destination-port', '--sport', '--source-port'],
  multiport: ['--dports', '--destination-ports', '--sports', '--source-ports', '--ports'],
  conntrack: ['--ctstate', '--ctorigdst', '--ctorigdstport', '--ctorigsrc', '--ctdir', '--ctproto'],
  state: ['--state'],
  iprange: ['--src-range', '--dst-range'],
  addrtype: ['--src-type', '--dst-type', '--limit-iface-in', '--limit-iface-out'],
  comment: ['--comment'],
  limit: ['--limit', '--limit-burst'],
};

/** Parses the words after `-A CHAIN`. */
export function parseRuleArgs(words: string[]): { conds: Cond[]; target?: string; targetArgs: string[] } {
  const conds: Cond[] = [];
  let target: string | undefined;
  const targetArgs: string[] = [];
  let neg = false;
  let module = '';
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const v = words[i + 1] ?? '';
    if (w === '!') {
      neg = true;
      continue;
    }
    if (target !== undefined) {
      targetArgs.push(w);
      continue;
    }
    let consumed = true;
    switch (w) {
      case '-i': case '--in-interface': conds.push({ kind: 'in', neg, iface: v }); break;
      case '-o': case '--out-interface': conds.push({ kind: 'out', neg, iface: v }); break;
      case '-s': case '--source': conds.push({ kind: 'src', neg, cidr: v }); break;
      case '-d': case '--destination': conds.push({ kind: 'dst', neg, cidr: v }); break;
      case '-p': case '--protocol': conds.push({ kind: 'proto', neg, proto: v.toLowerCase() }); module = v.toLowerCase(); break;
      case '-m': case '--match': module = v; if (!(v in MODULE_OPTS)) conds.push({ kind: 'unknown', text: `-m ${v}` }); break;
      case '-j': case '--jump': case '-g': case '--goto': target = v; break;
      default: consumed = false;
    }
    if (consumed) {
      i++;
      neg = false;
      continue;
    }
    if (!w.startsWith('--')) {
      conds.push({ kind: 'unknown', text: w });
      continue;
    }
    if (!(MODULE_OPTS[module] ?? []).includes(w)) {
      // An option of an unknown module (already reported) or one we do not model.
      if (!conds.some((c) => c.kind === 'unknown' && c.text === `-m ${module}`)) conds.push({ kind: 'unknown', text: `${w} ${v}` });
      if (!v.startsWith('-')) i++;
      neg = false;
      continue;
    }
    if (w === '--syn') {
      neg = false;
      continue;
    }
    i++;
    switch (w) {
      case '--dport': case '--destination-port': case '--dports': case '--destination-ports':
        conds.push({ kind: 'dport', neg, ranges: ranges(v) }); break;
      case '--sport': case '--source-port': case '--sports': case '--source-ports':
        conds.push({ kind: 'sport', neg, ranges: ranges(v) }); break;
      case '--ports':
        conds.push({ kind: 'unknown', text: `--ports ${v}` }); break;
      case '--ctstate': case '--state': conds.push({ kind: 'state', neg, states: v.toUpperCase().split(',') }); break;
      case '--ctorigdst': conds.push({ kind: 'ctorigdst', neg, cidr: v }); break;
      case '--ctorigsrc': conds.push({ kind: 'ctorigsrc', neg, cidr: v }); break;
      case '--ctorigdstport': conds.push({ kind: 'ctorigdstport', neg, ranges: ranges(v) }); break;
      case '--ctdir': conds.push({ kind: 'ctdir', neg, dir: v.toUpperCase() }); break;
      case '--src-range': case '--dst-range': {
        const [from = '', to = ''] = v.split('-');
        conds.push({ kind: w === '--src-range' ? 'srcrange' : 'dstrange', neg, from, to });
        break;
      }
      case '--src-type': case '--dst-type': conds.push({ kind: 'addrtype', neg, which: w === '--src-type' ? 'src' : 'dst', type: v.toUpperCase() }); break;
      case '--limit': case '--limit-burst': if (!conds.some((c) => c.kind === 'limit')) conds.push({ kind: 'limit' }); break;
      case '--ctproto': conds.push({ kind: 'proto', neg, proto: v.toLowerCase() }); break;
      case '--tcp-flags': i++; conds.push({ kind: 'unknown', text: `--tcp-flags ${v} ${words[i] ?? ''}` }); break;
      default: break; // --comment and other no-ops
    }
    neg = false;
  }
  return { conds, ...(target !== undefined ? { target } : {}), targetArgs };
}

/** Parses a full `iptables-save` (or `ip6tables-save`) text. */
export function parseIptablesSave(text: string): IptRuleset {
  const tables = new Map<string, Map<string, IptChain>>();
  let family: IptRuleset['family'] = /ip6tables-save/.test(text) ? 'ipv6' : 'ipv4';
  let table: Map<string, IptChain> | undefined;
  let tableName = '';
  let lineNo = 0;
  for (const raw of text.split(/\r?\n/)) {
    lineNo++;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      tableName = line.slice(1);
      table = tables.get(tableName) ?? new Map<string, IptChain>();
      tables.set(tableName, table);
    } else if (line === 'COMMIT') {
      table = undefined;
    } else if (line.startsWith(':')) {
      if (!table) throw new FirewallParseError(`line ${lineNo}: chain declared outside a table`);
      const [name = '', policy = '-'] = line.slice(1).split(/\s+/);
      table.set(name, { name, ...(policy !== '-' ? { policy } : {}), rules: table.get(name)?.rules ?? [] });
    } else if (line.startsWith('-A ') || line.startsWith('-I ')) {
      if (!table) throw new FirewallParseError(`line ${lineNo}: rule outside a table`);
      const words = tokenize(line);
      const chainName = words[1] ?? '';
      const chain = table.get(chainName) ?? { name: chainName, rules: [] };
      table.set(chainName, chain);
      const parsed = parseRuleArgs(words.slice(2));
      if (parsed.conds.some((c) => (c.kind === 'src' || c.kind === 'dst') && c.cidr.includes(':'))) family = 'ipv6';
      chain.rules.push({ table: tableName, chain: chainName, index: chain.rules.length + 1, text: line, ...parsed });
    } else {
      throw new FirewallParseError(`line ${lineNo}: not iptables-save output: "${line.slice(0, 60)}"`);
    }
  }
  if (tables.size === 0) throw new FirewallParseError('no tables found: expected `iptables-save` output (*filter … COMMIT)');
  return { family, tables };
}

/** `filter/DOCKER-USER#3: -A DOCKER-USER …`, the way findings name a rule. */
export function ruleName(r: IptRule): string {
  return `${r.table}/${r.chain}#${r.index}: ${r.text}`;
}

// Walks filter/FORWARD with a synthetic post-DNAT packet; three-valued matching so nothing is guessed.
import { BlockList, isIP } from 'node:net';
import { inRange } from '../ports.js';
import { ruleName, type Cond, type IptRule, type IptRuleset } from './iptables.js';

/** A forwarded packet as DOCKER-USER sees it: already DNATed to the container. */
export interface SimPacket {
  inIface: string;
  /** The container's bridge (`docker0`, `br-…`); undefined when unknown (compose mode). */
  outIface?: string;
  src: string;
  /** Container address, or undefined = somewhere in {@link ASSUMED_POOL}. */
  dst?: string;
  proto: string;
  dport: number;
  /** Host address the client dialled; undefined = "one of the host's addresses" (wildcard bind). */
  origDst?: string;
  origDport: number;
}

/** Docker's default address pool, assumed for container addresses when they are not known. */
export const ASSUMED_POOL = { net: '172.16.0.0', bits: 12 };

export type SimResult =
  | { decision: 'accept' | 'drop'; by: string }
  | { decision: 'unknown'; by: string };

type Tri = 'yes' | 'no' | 'maybe';
const DOCKER_CHAINS = new Set(['DOCKER', 'DOCKER-FORWARD', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER-CT', 'DOCKER-BRIDGE', 'DOCKER-INTERNAL', 'DOCKER-INGRESS']);
const NON_TERMINAL = new Set(['LOG', 'NFLOG', 'ULOG', 'MARK', 'CONNMARK', 'TRACE', 'AUDIT', 'NFQUEUE_BYPASS', 'CT', 'CLASSIFY', 'DSCP', 'TOS', 'TCPMSS']);
/** Maximum chain jump depth (guards loops in hand-written rulesets). */
export const MAX_JUMP_DEPTH = 32;

function parseCidr(cidr: string): { net: string; bits: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [net = '', b] = cidr.split('/');
  const fam = isIP(net);
  if (fam === 0) return undefined;
  const max = fam === 4 ? 32 : 128;
  const bits = b === undefined ? max : Number(b);
  return { net, bits, family: fam === 4 ? 'ipv4' : 'ipv6' };
}

function inCidr(ip: string, cidr: string): boolean | undefined {
  const c = parseCidr(cidr);
  const fam = isIP(ip);
  if (!c || fam === 0) return undefined;
  if ((fam === 4 ? 'ipv4' : 'ipv6') !== c.family) return false;
  const bl = new BlockList();
  bl.addSubnet(c.net, c.bits, c.family);
  return bl.check(ip, c.family);
}

/** Relation of the assumed pool to a rule CIDR: fully inside, disjoint, or partial. */
function poolVs(cidr: string): Tri {
  const c = parseCidr(cidr);
  if (!c) return 'maybe';
  // IPv6 container addresses come from user-configured subnets: nothing to assume.
  if (c.family === 'ipv6') return c.bits === 0 ? 'yes' : 'maybe';
  if (c.bits <= ASSUMED_POOL.bits) return inCidr(ASSUMED_POOL.net, cidr) ? 'yes' : 'no';
  return inCidr(c.net, `${ASSUMED_POOL.net}/${ASSUMED_POOL.bits}`) ? 'maybe' : 'no';
}

function ifaceMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

function neg(t: Tri, n: boolean): Tri {
  if (!n || t === 'maybe') return t;
  return t === 'yes' ? 'no' : 'yes';
}

function ip(t: boolean | undefined): Tri {
  return t === undefined ? 'maybe' : t ? 'yes' : 'no';
}

function condMatch(c: Cond, p: SimPacket, rule: IptRule): Tri {
  switch (c.kind) {
    case 'in': return neg(ifaceMatches(c.iface, p.inIface) ? 'yes' : 'no', c.neg);
    case 'out': {
      if (p.outIface !== undefined) return neg(ifaceMatches(c.iface, p.outIface) ? 'yes' : 'no', c.neg);
      const couldBeBridge = ifaceMatches(c.iface, 'docker0') || ifaceMatches(c.iface, 'br-0123456789ab') || c.iface === 'br-+';
      return neg(c.iface === '+' ? 'yes' : couldBeBridge ? 'maybe' : 'no', c.neg);
    }
    case 'src': return neg(ip(inCidr(p.src, c.cidr)), c.neg);
    case 'dst': return neg(p.dst === undefined ? poolVs(c.cidr) : ip(inCidr(p.dst, c.cidr)), c.neg);
    case 'ctorigdst': {
      if (p.origDst === undefined) return neg(c.cidr === '0.0.0.0/0' ? 'yes' : 'maybe', c.neg);
      return neg(ip(inCidr(p.origDst, c.cidr)), c.neg);
    }
    case 'ctorigsrc': return neg(ip(inCidr(p.src, c.cidr)), c.neg);
    case 'srcrange': case 'dstrange': return 'maybe';
    case 'proto': return neg(c.proto === 'all' || c.proto === p.proto ? 'yes' : 'no', c.neg);
    case 'dport': return neg(c.ranges.some((r) => inRange(p.dport, r)) ? 'yes' : 'no', c.neg);
    case 'sport': return 'maybe';
    case 'ctorigdstport': return neg(c.ranges.some((r) => inRange(p.origDport, r)) ? 'yes' : 'no', c.neg);
    case 'state': return neg(c.states.includes('NEW') || c.states.includes('DNAT') ? 'yes' : 'no', c.neg);
    case 'ctdir': return neg(c.dir === 'ORIGINAL' ? 'yes' : 'no', c.neg);
    case 'addrtype': return neg(c.type === 'LOCAL' && c.which === 'dst' ? 'no' : c.type === 'UNICAST' ? 'yes' : 'maybe', c.neg);
    case 'limit': return NON_TERMINAL.has(rule.target ?? '') ? 'yes' : 'maybe';
    case 'unknown': return 'maybe';
  }
}

function ruleMatch(rule: IptRule, p: SimPacket): { tri: Tri; why?: string } {
  let out: Tri = 'yes';
  let why: string | undefined;
  for (const c of rule.conds) {
    const t = condMatch(c, p, rule);
    if (t === 'no') return { tri: 'no' };
    if (t === 'maybe') {
      out = 'maybe';
      why ??= c.kind === 'unknown' ? `unknown match "${c.text}"` : `cannot evaluate ${c.kind}`;
    }
  }
  return why === undefined ? { tri: out } : { tri: out, why };
}

type Walk = SimResult | { decision: 'return' };

function walk(rs: IptRuleset, chainName: string, p: SimPacket, depth: number): Walk {
  const chain = rs.tables.get('filter')?.get(chainName);
  if (!chain) return { decision: 'return' };
  if (depth > MAX_JUMP_DEPTH) return { decision: 'unknown', by: `jumps nested deeper than ${MAX_JUMP_DEPTH} at chain ${chainName}` };
  for (const rule of chain.rules) {
    const target = rule.target;
    if (target === undefined || NON_TERMINAL.has(target)) continue;
    const m = ruleMatch(rule, p);
    if (m.tri === 'no') continue;
    if (m.tri === 'maybe') return { decision: 'unknown', by: `${ruleName(rule)} (${m.why ?? 'undecidable'})` };
    if (target === 'ACCEPT') return { decision: 'accept', by: ruleName(rule) };
    if (target === 'DROP' || target === 'REJECT') return { decision: 'drop', by: ruleName(rule) };
    if (target === 'RETURN') return { decision: 'return' };
    if (DOCKER_CHAINS.has(target)) return { decision: 'accept', by: `${ruleName(rule)} (Docker's own rules accept published ports)` };
    const sub = walk(rs, target, p, depth + 1);
    if (sub.decision !== 'return') return sub;
  }
  return { decision: 'return' };
}

/** Simulates filter/FORWARD for one packet. */
export function simulateForward(rs: IptRuleset, p: SimPacket): SimResult {
  const forward = rs.tables.get('filter')?.get('FORWARD');
  if (!forward) return { decision: 'unknown', by: 'the snapshot has no filter/FORWARD chain' };
  const r = walk(rs, 'FORWARD', p, 0);
  if (r.decision !== 'return') return r;
  const policy = forward.policy ?? 'ACCEPT';
  return { decision: policy === 'ACCEPT' ? 'accept' : 'drop', by: `filter/FORWARD policy ${policy}` };
}

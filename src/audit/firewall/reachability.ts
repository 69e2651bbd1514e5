// Decides each published binding's reachability (public, lan, local-only, blocked, unknown) and the firewall facts.
import { isIP } from 'node:net';
import { bindScope, rangeText } from '../ports.js';
import type { AuditModel, FirewallFacts, PortBinding, Reachability, Service } from '../types.js';
import { ruleName, type IptRuleset } from './iptables.js';
import { simulateForward, type SimPacket, type SimResult } from './simulate.js';
import { externalInterfaces, hasDockerNat, hostFirewalls, lanOpenRules, rulesFrom, type FirewallSnapshot } from './snapshot.js';

/** Synthetic sources: a documentation-range public address and a LAN address. */
export const PUBLIC_SOURCE = '203.0.113.10';
export const LAN_SOURCE = '192.168.1.10';
/** The same for an ip6tables-save snapshot (documentation prefix and a ULA address). */
export const PUBLIC_SOURCE_V6 = '2001:db8::10';
export const LAN_SOURCE_V6 = 'fd00::10';

/** Reachability from the bind address alone (no firewall snapshot). */
export function reachabilityByBind(b: PortBinding): Reachability {
  const ip = b.hostIp === '' ? '0.0.0.0/::' : b.hostIp;
  switch (bindScope(b.hostIp)) {
    case 'loopback':
      return { verdict: 'local-only', decidedBy: `bind address ${ip} (loopback)` };
    case 'private':
      return { verdict: 'lan', decidedBy: `bind address ${ip} (a private address)` };
    case 'public-address':
      return { verdict: 'public', decidedBy: `bind address ${ip} (a public address); no firewall snapshot given` };
    default:
      return { verdict: 'public', decidedBy: `bind address ${ip} (all interfaces); Docker's NAT rules bypass host firewalls such as UFW; no firewall snapshot given` };
  }
}

function describe(r: SimResult, iface: string, src: string): string {
  return `${r.by} [packet from ${src} on ${iface}]`;
}

/** Simulates one binding against an iptables ruleset. */
export function reachabilityByIptables(rs: IptRuleset, b: PortBinding, container?: { ip?: string; bridge?: string }): Reachability {
  const scope = bindScope(b.hostIp);
  if (scope === 'loopback') return reachabilityByBind(b);
  if (!hasDockerNat(rs)) {
    return { verdict: 'unknown', decidedBy: 'no nat/DOCKER chain in the snapshot: the daemon runs with --iptables=false (or the snapshot is from another host); ports are then served by docker-proxy and container addresses may be routable' };
  }
  if (isIP(b.hostIp) === 6 && rs.family === 'ipv4') {
    return { verdict: 'unknown', decidedBy: `bind address ${b.hostIp} is IPv6 and the snapshot covers IPv4 only (pass ip6tables-save output)` };
  }
  if (isIP(b.hostIp) === 4 && rs.family === 'ipv6') {
    return { verdict: 'unknown', decidedBy: `bind address ${b.hostIp} is IPv4 and the snapshot covers IPv6 only (pass iptables-save output)` };
  }
  const [pubSrc, lanSrc] = rs.family === 'ipv6' ? [PUBLIC_SOURCE_V6, LAN_SOURCE_V6] : [PUBLIC_SOURCE, LAN_SOURCE];
  const ifaces = externalInterfaces(rs);
  const candidates = ifaces.length ? ifaces : ['eth0'];
  const hostPort = b.hostPort?.from ?? 32768;
  const packet = (src: string, inIface: string): SimPacket => ({
    inIface,
    ...(container?.bridge ? { outIface: container.bridge } : {}),
    src,
    ...(container?.ip && isIP(container.ip) === (rs.family === 'ipv6' ? 6 : 4) ? { dst: container.ip } : {}),
    proto: b.protocol,
    dport: b.containerPort.from,
    ...(scope === 'all' ? {} : { origDst: b.hostIp }),
    origDport: hostPort,
  });
  let best: Reachability | undefined;
  const rank = { public: 4, unknown: 3, lan: 2, blocked: 1, 'local-only': 0 } as const;
  for (const iface of candidates) {
    const pub = simulateForward(rs, packet(pubSrc, iface));
    const lan = simulateForward(rs, packet(lanSrc, iface));
    let r: Reachability;
    if (pub.decision === 'unknown') r = { verdict: 'unknown', decidedBy: describe(pub, iface, pubSrc) };
    else if (pub.decision === 'accept') r = { verdict: scope === 'private' ? 'lan' : 'public', decidedBy: describe(pub, iface, pubSrc) };
    else if (lan.decision === 'unknown') r = { verdict: 'unknown', decidedBy: describe(lan, iface, lanSrc) };
    else if (lan.decision === 'accept') r = { verdict: 'lan', decidedBy: describe(lan, iface, lanSrc) };
    else r = { verdict: 'blocked', decidedBy: describe(pub, iface, pubSrc) };
    if (!best || rank[r.verdict] > rank[best.verdict]) best = r;
  }
  return best ?? reachabilityByBind(b);
}

/** DOCKER-USER rules that match a binding's host port or host address, which DOCKER-USER never sees (post-DNAT). */
export function ineffectiveRules(rs: IptRuleset, services: Service[]): FirewallFacts['ineffective'] {
  const out: FirewallFacts['ineffective'] = [];
  const rules = rulesFrom(rs, 'DOCKER-USER');
  for (const svc of services) {
    for (const b of svc.ports) {
      if (!b.hostPort || (b.hostPort.from === b.containerPort.from && b.hostPort.to === b.containerPort.to)) continue;
      const hp = b.hostPort;
      for (const r of rules) {
        if (r.conds.some((c) => c.kind === 'ctorigdstport')) continue;
        const hitsHost = r.conds.some((c) => c.kind === 'dport' && !c.neg && c.ranges.some((x) => x.from <= hp.from && x.to >= hp.from));
        const hitsCtr = r.conds.some((c) => c.kind === 'dport' && c.ranges.some((x) => x.from <= b.containerPort.from && x.to >= b.containerPort.from));
        if (hitsHost && !hitsCtr) {
          out.push({
            rule: ruleName(r),
            service: svc.name,
            reason: `matches --dport ${rangeText(hp)} (the host port of ${b.raw}), but DOCKER-USER sees packets after DNAT, with the container port ${rangeText(b.containerPort)}; use -m conntrack --ctorigdstport ${rangeText(hp)}`,
          });
        }
      }
      if (bindScope(b.hostIp) !== 'all' && b.hostIp !== '') {
        for (const r of rules) {
          if (r.conds.some((c) => c.kind === 'dst' && !c.neg && c.cidr.split('/')[0] === b.hostIp)) {
            out.push({ rule: ruleName(r), service: svc.name, reason: `matches -d ${b.hostIp} (the host address), but after DNAT the destination is the container; use -m conntrack --ctorigdst ${b.hostIp}` });
          }
        }
      }
    }
  }
  return out;
}

/** Per-container facts the live collector knows: address and bridge by service name. */
export type ContainerNet = Map<string, { ip?: string; bridge?: string }>;

/**
 * Sets `reachability` on every binding of the model and fills `model.firewall` from the snapshot.
 * Without a snapshot, the bind address decides (Docker's default DNAT, which host firewalls do not see).
 */
export function assessReachability(model: AuditModel, snapshot?: FirewallSnapshot, nets: ContainerNet = new Map()): void {
  if (snapshot?.kind === 'iptables') {
    const rs = snapshot.rules;
    const fw = hostFirewalls(rs);
    model.firewall = {
      kind: 'iptables', dockerNat: hasDockerNat(rs), ufwActive: fw.ufw, firewalldActive: fw.firewalld,
      ineffective: ineffectiveRules(rs, model.services), lanOpen: lanOpenRules(rs),
    };
  } else if (snapshot?.kind === 'nftables') {
    model.firewall = { kind: 'nftables', notAssessable: snapshot.notAssessable, dockerNat: snapshot.dockerBackend, ufwActive: false, firewalldActive: snapshot.tables.some((t) => t.endsWith(' firewalld')), ineffective: [], lanOpen: [] };
  }
  for (const svc of model.services) {
    for (const b of svc.ports) {
      if (svc.networkMode === 'host') {
        b.reachability = { verdict: 'unknown', decidedBy: 'network_mode: host ignores published ports; listeners are filtered by the host firewall (INPUT)' };
      } else if (snapshot?.kind === 'iptables') {
        b.reachability = reachabilityByIptables(snapshot.rules, b, nets.get(svc.name));
      } else if (snapshot?.kind === 'nftables' && bindScope(b.hostIp) !== 'loopback') {
        b.reachability = { verdict: 'unknown', decidedBy: snapshot.notAssessable };
      } else {
        b.reachability = reachabilityByBind(b);
      }
    }
  }
}

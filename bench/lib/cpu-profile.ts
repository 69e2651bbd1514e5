// Summarises a V8 .cpuprofile (from `node --cpu-prof`) into its top self-time functions.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of the profile. */
export interface SelfTimeEntry {
  fn: string;
  location: string;
  selfMs: number;
  percent: number;
}

/** Reads a .cpuprofile and returns the `top` functions by self time (idle and GC entries included). */
export function topSelfTime(file: string, top = 10): SelfTimeEntry[] {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>(prof.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, { fn: string; location: string; us: number }>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = prof.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const location = url ? `${url.replace(/^file:\/\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName}|${location}`;
    const entry = selfUs.get(key) ?? { fn: functionName || '(anonymous)', location, us: 0 };
    entry.us += dt;
    selfUs.set(key, entry);
    total += dt;
  });
  return [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ fn: e.fn, location: e.location, selfMs: Math.round(e.us / 100) / 10, percent: total ? Math.round((e.us / total) * 1000) / 10 : 0 }));
}

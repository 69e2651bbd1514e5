// Shape checks of what a host answers: an agent host may be hostile, so its lists are checked before anyone maps them.
import type { ContainerSummary, JsonObject, PortSummary } from '../docker/index.js';

/** Most containers one host may list; a longer answer is that host's error, not the caller's problem. */
export const MAX_CONTAINERS_PER_HOST = 10_000;

const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max = 4096): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);

function ports(v: unknown): PortSummary[] {
  if (!Array.isArray(v)) return [];
  const out: PortSummary[] = [];
  for (const p of v.slice(0, 1024)) {
    if (!isObj(p) || typeof p.PrivatePort !== 'number' || typeof p.Type !== 'string') continue;
    out.push({
      PrivatePort: p.PrivatePort, Type: p.Type.slice(0, 8),
      ...(typeof p.PublicPort === 'number' ? { PublicPort: p.PublicPort } : {}), ...(str(p.IP, 64) !== undefined ? { IP: p.IP as string } : {}),
    });
  }
  return out;
}

function labels(v: unknown): Record<string, string> {
  if (!isObj(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v).slice(0, 1024)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** One container summary with the fields the control plane relies on in their types, or undefined when it has no usable id. */
export function checkContainerSummary(raw: unknown): ContainerSummary | undefined {
  if (!isObj(raw)) return undefined;
  const id = str(raw.Id, 128);
  if (id === undefined || id === '') return undefined;
  const names = Array.isArray(raw.Names) ? raw.Names.filter((n): n is string => typeof n === 'string' && n.length <= 512).slice(0, 16) : [];
  return {
    ...raw, Id: id, Names: names, Image: str(raw.Image) ?? '', State: str(raw.State, 32) ?? 'unknown', Status: str(raw.Status, 256) ?? '',
    Labels: labels(raw.Labels), Ports: ports(raw.Ports),
    ...(typeof raw.Created === 'number' ? { Created: raw.Created } : {}),
  };
}

/** Checks a whole container list answer; throws a plain Error (reported as that host's error) when it is not one. */
export function checkContainerList(raw: unknown): ContainerSummary[] {
  if (!Array.isArray(raw)) throw new Error('the host answered the container list with something that is not a list');
  if (raw.length > MAX_CONTAINERS_PER_HOST) throw new Error(`the host listed more than ${MAX_CONTAINERS_PER_HOST} containers`);
  const out: ContainerSummary[] = [];
  for (const c of raw) {
    const ok = checkContainerSummary(c);
    if (ok) out.push(ok);
  }
  return out;
}

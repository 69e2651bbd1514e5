// HostRegistry: the hosts the control plane knows, looked up by id, name or tag, and listed together.
import type { ContainerSummary, Filters } from '../docker/index.js';
import { checkContainerList } from './validate.js';
import { HostConflictError, HostFilterError, HostNotFoundError, hostErrorInfo } from './errors.js';
import type { Host, HostErrorInfo, HostKind, HostStatus } from './types.js';

/** Container states dockerd accepts in the `status` filter. */
export const CONTAINER_STATES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'] as const;
export type ContainerState = (typeof CONTAINER_STATES)[number];

/**
 * While a host's Docker events are followed (the live hub does so whenever a UI is open), its container
 * listing is reused for up to this long unless the host changed meanwhile: a write through it (start,
 * stop, remove…), any container event (the follower calls {@link HostRegistry.invalidate}), or its tunnel
 * going up or down. A host whose events nobody follows is asked every time.
 */
export const CONTAINER_LIST_CACHE_MS = 2_000;

/** Time one host gets to answer a listing before its entry reports a timeout. */
export const DEFAULT_HOST_LIST_TIMEOUT_MS = 10_000;
/** Most values one filter key takes, and the longest value. */
export const MAX_FILTER_VALUES = 32;
export const MAX_FILTER_VALUE_LENGTH = 256;

type Many = string | readonly string[];

/**
 * Filters of {@link HostRegistry.aggregateContainers}. Values of one key are OR-ed, keys are AND-ed,
 * except `label`, where (as in dockerd) every label must match. `host` matches an id or a name.
 */
export interface ContainerFilters {
  host?: Many;
  tag?: Many;
  state?: Many;
  name?: Many;
  label?: Many;
}

/** One host's part of an aggregated listing: its containers, or the error that kept it out. */
export interface HostListing {
  hostId: string;
  hostName: string;
  kind: HostKind;
  tags: string[];
  containers: ContainerSummary[];
  error?: HostErrorInfo;
}

/** A container with the host it lives on. */
export interface HostedContainer {
  hostId: string;
  hostName: string;
  container: ContainerSummary;
}

/** Result of {@link HostRegistry.aggregateContainers}. */
export interface AggregateResult {
  hosts: HostListing[];
  containers: HostedContainer[];
}

const many = (v: Many | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);

function checkValues(key: string, values: string[]): string[] {
  if (values.length > MAX_FILTER_VALUES) throw new HostFilterError(`filter ${key} takes at most ${MAX_FILTER_VALUES} values`);
  for (const v of values) {
    if (v === '' || v.length > MAX_FILTER_VALUE_LENGTH) throw new HostFilterError(`filter ${key} values must be 1 to ${MAX_FILTER_VALUE_LENGTH} characters`);
  }
  return values;
}

/** Validates the filters and turns state/name/label into dockerd's `filters` map. */
export function dockerFilters(f: ContainerFilters): Filters {
  const state = checkValues('state', many(f.state));
  for (const s of state) {
    if (!(CONTAINER_STATES as readonly string[]).includes(s)) {
      throw new HostFilterError(`filter state must be one of ${CONTAINER_STATES.join(', ')} (got "${s.slice(0, 40)}")`);
    }
  }
  const out: Filters = {};
  if (state.length) out.status = state;
  const name = checkValues('name', many(f.name));
  if (name.length) out.name = name;
  const label = checkValues('label', many(f.label));
  if (label.length) out.label = label;
  return out;
}

/** A change in the registry: a host added or removed, or an agent host's tunnel up or down. */
export interface HostChange {
  type: 'added' | 'removed' | 'online' | 'offline';
  hostId: string;
}

/** Told about every {@link HostChange}. */
export type HostChangeListener = (change: HostChange) => void;

/** Holds the hosts by id; names are unique too (case-insensitive). */
export class HostRegistry {
  private readonly hosts = new Map<string, Host>();
  private readonly listeners = new Set<HostChangeListener>();
  private readonly listings = new Map<string, { key: string; epoch: number; writes: number; at: number; containers: ContainerSummary[] }>();
  private readonly epochs = new Map<string, number>();

  private readonly followed = new Set<string>();

  /** Says whether the host's container events are being followed (and reported through invalidate); only then are listings reused. */
  setFollowed(hostId: string, on: boolean): void {
    if (on) this.followed.add(hostId);
    else {
      this.followed.delete(hostId);
      this.invalidate(hostId);
    }
  }

  /** Forgets the cached container listing of a host (its containers changed). */
  invalidate(hostId: string): void {
    this.epochs.set(hostId, (this.epochs.get(hostId) ?? 0) + 1);
    this.listings.delete(hostId);
  }

  /** The host's containers for these dockerd filters: a fresh cached listing, or a new one. */
  private async listFor(host: Host, filters: Filters, signal: AbortSignal): Promise<ContainerSummary[]> {
    const key = JSON.stringify(filters);
    const epoch = this.epochs.get(host.id) ?? 0;
    const writes = host.writes ?? -1;
    const hit = this.listings.get(host.id);
    if (hit && this.followed.has(host.id) && hit.key === key && hit.epoch === epoch && hit.writes === writes && writes >= 0 && Date.now() - hit.at < CONTAINER_LIST_CACHE_MS) return hit.containers;
    const containers = checkContainerList(await host.listContainers({ all: true, filters, signal }));
    // kept only if nothing changed while it was taken
    if (this.followed.has(host.id) && writes >= 0 && (this.epochs.get(host.id) ?? 0) === epoch && host.writes === writes) this.listings.set(host.id, { key, epoch, writes, at: Date.now(), containers });
    return containers;
  }

  /** Calls `listener` on every change until the returned function is called. */
  onChange(listener: HostChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every listener about `change` (a listener that throws does not stop the others). */
  emitChange(change: HostChange): void {
    this.invalidate(change.hostId);
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch {
        // a listener's failure is its own business
      }
    }
  }

  /** Adds a host; throws HostConflictError when its id or name is taken. */
  add(host: Host): void {
    if (this.hosts.has(host.id)) throw new HostConflictError(`a host with id "${host.id}" is already registered`);
    if (this.byName(host.name)) throw new HostConflictError(`a host named "${host.name}" is already registered`);
    this.hosts.set(host.id, host);
    this.emitChange({ type: 'added', hostId: host.id });
  }

  /** Removes a host and closes it; false when no host had that id. */
  async remove(id: string): Promise<boolean> {
    const host = this.hosts.get(id);
    if (!host) return false;
    this.hosts.delete(id);
    await host.close();
    this.emitChange({ type: 'removed', hostId: id });
    return true;
  }

  get size(): number {
    return this.hosts.size;
  }

  /** The host with this id. */
  get(id: string): Host | undefined {
    return this.hosts.get(id);
  }

  /** The host with this id, else with this name (case-insensitive). */
  find(idOrName: string): Host | undefined {
    return this.hosts.get(idOrName) ?? this.byName(idOrName);
  }

  /** Like {@link find}, but throws HostNotFoundError. */
  require(idOrName: string): Host {
    const host = this.find(idOrName);
    if (!host) throw new HostNotFoundError(idOrName);
    return host;
  }

  /** Every host, in the order they were added. */
  list(): Host[] {
    return [...this.hosts.values()];
  }

  /** The hosts carrying `tag` (compared in lower case). */
  withTag(tag: string): Host[] {
    const t = tag.trim().toLowerCase();
    return this.list().filter((h) => h.tags.includes(t));
  }

  /** The hosts matching any of `host` (id or name) and any of `tag`; an absent key matches all. */
  select(f: Pick<ContainerFilters, 'host' | 'tag'> = {}): Host[] {
    const refs = checkValues('host', many(f.host));
    const tags = checkValues('tag', many(f.tag)).map((t) => t.trim().toLowerCase());
    const wanted = new Set(refs.map((r) => this.find(r)).filter((h): h is Host => h !== undefined));
    return this.list().filter((h) => (refs.length === 0 || wanted.has(h)) && (tags.length === 0 || tags.some((t) => h.tags.includes(t))));
  }

  /**
   * Lists containers (all states) across the selected hosts, at once. A host that is down, too slow
   * (`timeoutMs`, default 10 s) or whose policy refuses reports its error in its entry; the others
   * are listed as usual. Throws HostFilterError on a malformed filter before asking any host.
   */
  async aggregateContainers(filters: ContainerFilters = {}, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<AggregateResult> {
    const docker = dockerFilters(filters);
    const hosts = this.select(filters);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_HOST_LIST_TIMEOUT_MS;
    const hostListings = await Promise.all(hosts.map(async (host): Promise<HostListing> => {
      const base = { hostId: host.id, hostName: host.name, kind: host.kind, tags: [...host.tags] };
      const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(opts.signal ? [opts.signal] : [])]);
      try {
        const containers = await this.listFor(host, docker, signal);
        return { ...base, containers };
      } catch (err) {
        const error = signal.aborted && !opts.signal?.aborted
          ? { code: 'PC_ERR_HOST_TIMEOUT', status: 504, message: `host "${host.name}" did not answer within ${timeoutMs} ms` }
          : hostErrorInfo(err);
        return { ...base, containers: [], error };
      }
    }));
    const containers = hostListings.flatMap((l) => l.containers.map((container) => ({ hostId: l.hostId, hostName: l.hostName, container })));
    return { hosts: hostListings, containers };
  }

  /** The status of every selected host, at once (a host's status never throws). */
  statuses(f: Pick<ContainerFilters, 'host' | 'tag'> = {}): Promise<HostStatus[]> {
    return Promise.all(this.select(f).map((h) => h.status()));
  }

  /** Closes every host and empties the registry. */
  async close(): Promise<void> {
    const all = this.list();
    this.hosts.clear();
    await Promise.allSettled(all.map((h) => h.close()));
  }

  private byName(name: string): Host | undefined {
    const n = name.toLowerCase();
    return this.list().find((h) => h.name.toLowerCase() === n);
  }
}

// The live collector: reads a Docker host through a small LiveSource interface (the only I/O of src/audit besides firewall collection).

type Json = Record<string, unknown>;

/** What the collector needs from a Docker client; DockerClient from src/docker satisfies it. */
export interface LiveSource {
  listContainers(opts: { all?: boolean; filters?: Record<string, string[]> }): Promise<{ Id: string }[]>;
  inspectContainer(id: string): Promise<Json>;
  info(): Promise<Json>;
  listNetworks?(): Promise<Json[]>;
  inspectImage?(ref: string): Promise<Json>;
}

/** Everything read from one host, ready for the pure model builder. */
export interface HostSnapshot {
  containers: Json[];
  info: Json;
  networks: Json[];
  /** Image reference → id it points to now. */
  imageIds: Record<string, string>;
  /** Containers that vanished between list and inspect (not an error). */
  vanished: number;
}

export interface CollectOptions {
  /** Only containers with these labels (`key=value` or `key`). */
  labels?: string[];
  /** Parallel inspect calls. */
  concurrency?: number;
}

/** Default parallelism of inspect calls. */
export const DEFAULT_CONCURRENCY = 16;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  return out;
}

function statusOf(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown }).statusCode;
  return typeof s === 'number' ? s : undefined;
}

/**
 * Reads containers (all states), their inspect data, /info, networks and the current ids of the
 * images they reference. Errors reaching the daemon propagate (the CLI turns them into exit 2).
 */
export async function collectHost(source: LiveSource, opts: CollectOptions = {}): Promise<HostSnapshot> {
  const filters = opts.labels?.length ? { label: opts.labels } : undefined;
  const [list, info, networks] = await Promise.all([
    source.listContainers({ all: true, ...(filters ? { filters } : {}) }),
    source.info(),
    source.listNetworks ? source.listNetworks() : Promise.resolve([]),
  ]);
  let vanished = 0;
  const inspected = await mapLimit(list, opts.concurrency ?? DEFAULT_CONCURRENCY, async (c) => {
    try {
      return await source.inspectContainer(c.Id);
    } catch (err) {
      if (statusOf(err) === 404) {
        vanished++;
        return undefined;
      }
      throw err;
    }
  });
  const containers = inspected.filter((c): c is Json => c !== undefined);
  const refs = [...new Set(containers.map((c) => (c.Config as Json | undefined)?.Image).filter((r): r is string => typeof r === 'string' && !r.startsWith('sha256:')))];
  const imageIds: Record<string, string> = {};
  if (source.inspectImage) {
    const inspectImage = source.inspectImage.bind(source);
    await mapLimit(refs, opts.concurrency ?? DEFAULT_CONCURRENCY, async (ref) => {
      try {
        const img = await inspectImage(ref);
        if (typeof img.Id === 'string') imageIds[ref] = img.Id;
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    });
  }
  return { containers, info, networks, imageIds, vanished };
}

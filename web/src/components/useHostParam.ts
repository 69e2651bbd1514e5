// The host chosen on a per-host page (images, networks, volumes, events): the first readable host until one is picked.
import { useState } from 'react';
import { useHosts, usePermissions } from '../api/queries';
import type { Host } from '../api/types';

/** The chosen host (undefined until hosts are loaded) and a setter; only hosts holding `permission` are offered first. */
export function useHostParam(permission: string): [Host | undefined, (id: string | null) => void] {
  const { data } = useHosts();
  const perms = usePermissions();
  const [chosen, setChosen] = useState<string | null>(null);
  const hosts = data ?? [];
  const host = hosts.find((h) => h.id === chosen) ?? hosts.find((h) => perms.can(permission, h)) ?? hosts[0];
  return [host, setChosen];
}

/** Reads the first present field of a Docker object whose casing varies between endpoints (Id / id). */
export function field<T>(o: Record<string, unknown>, ...keys: string[]): T | undefined {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k] as T;
  return undefined;
}

// TanStack Query hooks for the API: one place for query keys, fetchers and the current user's permissions.
import { queryOptions, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, ApiError, setCsrfToken } from './client';
import { can, canSomewhere, type HostScope } from './permissions';
import type { ContainerList, Host, Me } from './types';

/** /auth/me, or null when nobody is logged in. Also keeps the session's CSRF token in memory. */
export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    try {
      const me = await api<Me>('/api/v1/auth/me');
      setCsrfToken(me.csrfToken);
      return me;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setCsrfToken(undefined);
        return null;
      }
      throw err;
    }
  },
  staleTime: 60_000,
});

/** The logged-in user (the app layout guarantees one). */
export function useMe(): Me {
  const { data } = useQuery(meQuery);
  if (!data) throw new Error('not logged in');
  return data;
}

/** Permission checks for the current user. */
export interface Permissions {
  can(permission: string, host?: HostScope): boolean;
  canSomewhere(permission: string): boolean;
}

/** The current user's permission checks (mirrors the server's authorize; the server still decides). */
export function usePermissions(): Permissions {
  const me = useMe();
  return useMemo(() => ({
    can: (p: string, h?: HostScope) => can(me.grants, p, h),
    canSomewhere: (p: string) => canSomewhere(me.grants, p),
  }), [me.grants]);
}

export const hostsQuery = queryOptions({
  queryKey: ['hosts'],
  queryFn: async () => (await api<{ hosts: Host[] }>('/api/v1/hosts')).hosts,
  // Host changes also arrive over the live socket; the API's hosts rate class (30/min by default) stays far away.
  staleTime: 30_000,
  refetchInterval: 30_000,
});

/** The hosts the user may read. */
export function useHosts() {
  return useQuery(hostsQuery);
}

/** A lookup of hosts by id and by name (permission checks need the tags). */
export function useHostIndex(): Map<string, Host> {
  const { data } = useHosts();
  return useMemo(() => {
    const m = new Map<string, Host>();
    for (const h of data ?? []) {
      m.set(h.id, h);
      m.set(h.name, h);
    }
    return m;
  }, [data]);
}

/** Filters of the containers list, as the API takes them. */
export interface ContainerFilters {
  host?: string[];
  state?: string[];
  name?: string;
  label?: string[];
  tag?: string[];
}

/** Query options of the cross-host containers list. */
export function containersQuery(f: ContainerFilters = {}) {
  return queryOptions({
    queryKey: ['containers', f],
    queryFn: ({ signal }) => api<ContainerList>('/api/v1/containers', { query: { ...f }, signal }),
    staleTime: 2_000,
  });
}

/** Refetches every containers list soon (after an action or a live create/destroy). */
export function invalidateContainers(qc: QueryClient): Promise<void> {
  return qc.invalidateQueries({ queryKey: ['containers'] });
}

/** The query client (re-exported so pages import one module). */
export { useQueryClient };

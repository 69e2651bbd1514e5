// Container actions: the permission each needs, which states they make sense in, and the API call.
import { api } from '../../api/client';
import type { BulkResult, Container, ContainerAction } from '../../api/types';

/** The permission the server checks for each action. */
export const ACTION_PERMISSION: Record<ContainerAction, string> = {
  start: 'container.operate', stop: 'container.operate', restart: 'container.operate', kill: 'container.operate',
  pause: 'container.operate', unpause: 'container.operate', remove: 'container.delete',
};

export const ACTIONS: ContainerAction[] = ['start', 'stop', 'restart', 'pause', 'unpause', 'kill', 'remove'];

/** Whether an action makes sense in a state (the server still decides; this keeps the buttons relevant). */
export function fitsState(action: ContainerAction, state: string): boolean {
  switch (action) {
    case 'start': return state === 'created' || state === 'exited' || state === 'dead';
    case 'stop': case 'kill': case 'restart': return state === 'running' || state === 'restarting' || (action === 'restart' && state === 'exited');
    case 'pause': return state === 'running';
    case 'unpause': return state === 'paused';
    case 'remove': return state !== 'removing';
  }
}

const path = (c: Pick<Container, 'hostId' | 'id'>): string => `/api/v1/hosts/${encodeURIComponent(c.hostId)}/containers/${encodeURIComponent(c.id)}`;

/** The API path of one container. */
export function containerPath(hostId: string, id: string): string {
  return path({ hostId, id });
}

/** Runs one action on one container. */
export async function runAction(c: Pick<Container, 'hostId' | 'id'>, action: ContainerAction, opts: { force?: boolean } = {}): Promise<void> {
  if (action === 'remove') await api(path(c), { method: 'DELETE', query: { force: opts.force ? 'true' : undefined } });
  else await api(`${path(c)}/${action}`, { method: 'POST' });
}

/** Most targets per bulk request (the API's limit). */
export const BULK_MAX = 100;

/** Runs an action on many containers, in API-sized batches; one result per target. */
export async function runBulk(action: ContainerAction, targets: Pick<Container, 'hostId' | 'id'>[]): Promise<BulkResult[]> {
  const out: BulkResult[] = [];
  for (let i = 0; i < targets.length; i += BULK_MAX) {
    const batch = targets.slice(i, i + BULK_MAX).map((t) => ({ host: t.hostId, id: t.id }));
    const r = await api<{ results: BulkResult[] }>('/api/v1/containers/bulk', { method: 'POST', body: { action, targets: batch } });
    out.push(...r.results);
  }
  return out;
}

// The messages of /api/v1/live, made from Docker container events (pure).
import type { DockerEvent } from '../../docker/index.js';

/** Container actions forwarded to live sockets (others, such as exec_start or health_status, are not). */
export const LIVE_ACTIONS = ['create', 'start', 'die', 'stop', 'pause', 'unpause', 'destroy', 'rename', 'kill', 'restart'] as const;
export type LiveAction = (typeof LIVE_ACTIONS)[number];

/** The container's state once the action is done, where it is certain (a kill may not end the process). */
const STATE_AFTER: Partial<Record<LiveAction, string>> = {
  create: 'created', start: 'running', restart: 'running', unpause: 'running', pause: 'paused', die: 'exited', stop: 'exited', destroy: 'removed',
};

/** A container change as live sockets receive it. Docker's strings are data, never markup. */
export interface LiveContainerMessage {
  type: 'container';
  hostId: string;
  hostName: string;
  id: string;
  name: string;
  action: LiveAction;
  state?: string;
  /** RFC 3339 time of the event. */
  time: string;
}

/** Nanoseconds of an event (dockerd sends timeNano; older ones only time in seconds). */
export function eventNanos(ev: DockerEvent): number {
  return typeof ev.timeNano === 'number' ? ev.timeNano : (typeof ev.time === 'number' ? ev.time : 0) * 1e9;
}

/** The live message of a Docker event, or undefined for events the live feed does not carry. */
export function liveMessage(host: { id: string; name: string }, ev: DockerEvent): LiveContainerMessage | undefined {
  if ((ev.Type ?? 'container') !== 'container') return undefined;
  // Actions such as "exec_start: sh -c …" carry a suffix; the bare verb decides.
  const action = (ev.Action ?? ev.status ?? '').split(':', 1)[0] as LiveAction;
  if (!(LIVE_ACTIONS as readonly string[]).includes(action)) return undefined;
  const id = ev.Actor?.ID ?? ev.id;
  if (typeof id !== 'string' || id === '') return undefined;
  const state = STATE_AFTER[action];
  return {
    type: 'container', hostId: host.id, hostName: host.name, id, name: ev.Actor?.Attributes?.name ?? '', action,
    ...(state !== undefined ? { state } : {}), time: new Date(Math.floor(eventNanos(ev) / 1e6)).toISOString(),
  };
}

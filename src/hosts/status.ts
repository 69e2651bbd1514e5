// A host's status: reachable or not, Docker version and object counts, read through the host's own calls.
import { performance } from 'node:perf_hooks';
import { hostErrorInfo } from './errors.js';
import type { CallOpts, Host, HostStatus } from './types.js';

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Pings the host (online when it answers), then reads /version and /info for the Docker version and
 * counts; either may be missing when the policy refuses it. Never throws: a failed ping becomes
 * `online: false` with the error.
 */
export async function readHostStatus(host: Pick<Host, 'id' | 'name' | 'kind' | 'tags' | 'ping' | 'version' | 'info'>, opts: CallOpts = {}): Promise<HostStatus> {
  const base = { id: host.id, name: host.name, kind: host.kind, tags: [...host.tags], checkedAt: new Date().toISOString() };
  const started = performance.now();
  try {
    await host.ping(opts);
  } catch (err) {
    return { ...base, online: false, error: hostErrorInfo(err) };
  }
  const latencyMs = Math.round(performance.now() - started);
  const [version, info] = await Promise.allSettled([host.version(opts), host.info(opts)]);
  const v = version.status === 'fulfilled' ? version.value : undefined;
  const i = info.status === 'fulfilled' ? info.value : undefined;
  const status: HostStatus = { ...base, online: true, latencyMs };
  if (v || i) {
    status.docker = {
      version: str(v?.Version ?? i?.ServerVersion), apiVersion: str(v?.ApiVersion), os: str(i?.OperatingSystem ?? v?.Os),
      arch: str(i?.Architecture ?? v?.Arch), kernel: str(i?.KernelVersion ?? v?.KernelVersion),
    };
  }
  if (i) {
    status.counts = {
      containers: num(i.Containers), running: num(i.ContainersRunning), paused: num(i.ContainersPaused),
      stopped: num(i.ContainersStopped), images: num(i.Images),
    };
  }
  return status;
}

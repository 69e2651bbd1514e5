// Describes the machine and the software versions a benchmark ran on.
import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { haproxyDefaultThreads, haproxyVersion } from './haproxy.js';

/** CPUs, memory, kernel, Node, dockerd and haproxy versions, and haproxy's default threading. */
export function machineInfo(): Record<string, unknown> {
  const dv = execFileSync('docker', ['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'], { encoding: 'utf8' }).trim().split(' ');
  return {
    cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memTotalMB: Math.round(totalmem() / 2 ** 20), kernel: release(),
    node: process.version, dockerVersion: dv[0], dockerApiVersion: dv[1], haproxyVersion: haproxyVersion(),
    haproxyThreads: `haproxy default (no nbthread in the config, as tecnativa): ${haproxyDefaultThreads() ?? '?'} threads`,
    note: 'load generator (autocannon, in the benchmark process), proxy, haproxy and dockerd share the same CPUs',
  };
}

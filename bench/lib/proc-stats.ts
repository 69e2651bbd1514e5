// Reads memory and CPU figures of benchmarked processes from /proc (Linux only).
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

function statusFieldKb(pid: number, field: string): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
  if (!m?.[1]) throw new Error(`/proc/${pid}/status has no ${field} line`);
  return Number(m[1]);
}

/** Resident set size (VmRSS) of a process in MB (1 MB = 1024 kB). */
export function readRssMB(pid: number): number {
  return round1(statusFieldKb(pid, 'VmRSS') / 1024);
}

/** Peak resident set size (VmHWM) of a process in MB. */
export function readPeakRssMB(pid: number): number {
  return round1(statusFieldKb(pid, 'VmHWM') / 1024);
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function ownCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the line.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS_PER_SECOND;
}

/** User+system CPU seconds used so far by a process and its direct children (haproxy's master + worker). */
export function cpuSeconds(pid: number): number {
  let total = ownCpuSeconds(pid);
  for (const child of childPids(pid)) {
    try {
      total += ownCpuSeconds(child);
    } catch {
      // the child exited between listing and reading
    }
  }
  return total;
}

/** Rounds to one decimal place. */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Busy CPU seconds of the whole machine since boot (all CPUs; /proc/stat minus idle and iowait). */
export function systemBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND;
}

/** Pids whose /proc/<pid>/comm equals `name` (e.g. dockerd, containerd). */
export function pidsByName(name: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** RSS of a process plus its direct children in MB (haproxy: master + worker). */
export function treeRssMB(pid: number): number {
  let total = readRssMB(pid);
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    for (const k of kids) total += readRssMB(Number(k));
  } catch {
    // no children file: the process alone
  }
  return round1(total);
}

// Shared benchmark helpers: process launchers (Portcullis, haproxy-as-tecnativa), load runs, /proc stats.
export { combine, type Measured } from './aggregate.js';
export { startChild, tail, waitForOutput, type BenchChild } from './child.js';
export { withContention, type Contention } from './contention.js';
export { topSelfTime, type SelfTimeEntry } from './cpu-profile.js';
export { openEventStreams, probe, type EventStreams } from './events.js';
export { haproxyDefaultThreads, haproxyVersion, startTecnativaHaproxy, type HaproxyInstance } from './haproxy.js';
export { runHttpLoad } from './http-load.js';
export { cpuMsPer1k, runFigures, runLoad, type LoadResult, type RunFigures, type LoadSettings, type LoadTarget, type Scenario } from './load.js';
export { machineInfo } from './machine.js';
export { freePort, waitForPort } from './net.js';
export { startBaselineProxy, startPortcullis, type PortcullisInstance, type PortcullisOptions } from './portcullis.js';
export { cpuSeconds, pidsByName, readPeakRssMB, readRssMB, round1, systemBusySeconds, treeRssMB } from './proc-stats.js';

/**
 * Samples the harness side once a second during the load, from /proc in the harness process:
 * k6's CPU, the CPU of processes outside the harness's tree, CPU pressure, load, other runs on
 * the machine, and how late the sampler's own tick came (the harness's process stalled).
 */
import os from 'node:os';
import { liveChildren } from '../util/process.ts';
import { liveOtherHolders } from '../util/run-lock.ts';
import { cpuPressureMicros, loadAverage1, machineBusySeconds, processTable, treeOf, type ProcStat } from './proc.ts';
import type { HealthInterval } from './types.ts';

/** Sampling period, ms: 1 Hz costs a read of /proc/<pid>/stat per process, a few ms. */
export const SAMPLE_PERIOD_MS = 1000;

export type RawInterval = Omit<HealthInterval, 'stackLoopLag' | 'scrapes' | 'scrapeSeconds' | 'dropped' | 'starved' | 'why'>;

export interface HealthSampler {
  /** Stops sampling; the intervals sampled so far. */
  stop(): RawInterval[];
  /** Other harness runs seen during the load (their lock files). */
  otherRuns(): string[];
}

/** Other live harness runs holding a lock file, described by pid and command. */
export function otherHarnessRuns(): string[] {
  return liveOtherHolders().map((h) => `pid ${h.pid} \`${h.command}\``);
}

function cpuDelta(pids: Iterable<number>, now: Map<number, ProcStat>, before: Map<number, ProcStat>): number {
  let sum = 0;
  for (const pid of pids) {
    const a = now.get(pid);
    if (!a) continue;
    // A process born during the interval spent all its CPU in it.
    sum += Math.max(0, a.cpuSeconds - (before.get(pid)?.cpuSeconds ?? 0));
  }
  return sum;
}

export function startHealthSampler(): HealthSampler {
  const intervals: RawInterval[] = [];
  const others = new Set<string>();
  let prev = { at: Date.now(), table: processTable(), busy: machineBusySeconds(), pressure: cpuPressureMicros() };
  const tick = (): void => {
    const at = Date.now();
    const table = processTable();
    const busy = machineBusySeconds();
    const pressure = cpuPressureMicros();
    const seconds = (at - prev.at) / 1000;
    const tree = treeOf(process.pid, table);
    const k6 = liveChildren().filter((c) => c.name === 'k6').map((c) => c.pid);
    const machine = busy !== null && prev.busy !== null ? (busy - prev.busy) / seconds : null;
    const own = cpuDelta(tree, table, prev.table) / seconds;
    const runs = otherHarnessRuns();
    for (const r of runs) others.add(r);
    intervals.push({
      t: prev.at / 1000,
      seconds,
      k6Cpu: cpuDelta(k6, table, prev.table) / seconds,
      otherCpu: machine === null ? null : Math.max(0, machine - own),
      machineCpu: machine,
      cpuPressure: pressure !== null && prev.pressure !== null ? Math.min(1, (pressure - prev.pressure) / 1e6 / seconds) : null,
      load1: loadAverage1(),
      otherRuns: runs.length,
    });
    prev = { at, table, busy, pressure };
  };
  const timer = setInterval(tick, SAMPLE_PERIOD_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return intervals;
    },
    otherRuns: () => [...others],
  };
}

export const CORES = os.availableParallelism();

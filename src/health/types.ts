/**
 * The harness side's health over a run (verdict.health): the load generator, the machine, the
 * embedded stack's event loop, Prometheus's scrapes and other runs on the machine, one interval
 * per second of load, each flagged `starved` with the reasons. Rows that broke while the harness
 * was starved are judged `inconclusive` (blame.ts), never `fail`.
 */

/** One second of the load (a sample of /proc, joined with what Prometheus recorded). */
export interface HealthInterval {
  /** Interval start, epoch s; the interval ends at the next sample. */
  t: number;
  /** Length of the interval, s (longer than the sampling period when the harness itself stalled). */
  seconds: number;
  /** CPU of every k6 process, cores (1 = one core busy all the interval). */
  k6Cpu: number | null;
  /** CPU of processes outside the harness's own process tree, cores. */
  otherCpu: number | null;
  /** CPU of the whole machine, cores. */
  machineCpu: number | null;
  /** Share of the interval some task waited for a CPU (/proc/pressure/cpu `some`), 0..1. */
  cpuPressure: number | null;
  /** One-minute load average at the end of the interval. */
  load1: number | null;
  /** Longest event-loop delay of the embedded stack in the interval, s (its /metrics). */
  stackLoopLag: number | null;
  /** Scrapes of the stack that landed in the interval, against those due. */
  scrapes: { got: number; due: number } | null;
  /** Longest scrape of the stack in the interval, s (Prometheus's `scrape_duration_seconds`). */
  scrapeSeconds: number | null;
  /** Iterations k6 dropped in the interval (no VU free to start them). */
  dropped: number | null;
  /** Other harness runs active on the machine (the run lock's folder). */
  otherRuns: number;
  starved: boolean;
  /** Why the interval counts as starved, e.g. `k6 at 1.9 of 2 cores`. */
  why: string[];
}

export interface HarnessHealth {
  /** Sampling period, s. */
  periodSeconds: number;
  cores: number;
  /** Each k6 process's end: exit code, or the signal that ended it. */
  k6: Array<{ exitCode: number | null; signal: string | null }>;
  /** Iterations k6 could not start (all its VUs busy), from its summary. */
  droppedIterations: number | null;
  /** A component of the run that died during the load, named, or null. */
  crash: string | null;
  /** Other harness runs that shared the machine. */
  otherRuns: string[];
  intervals: HealthInterval[];
  /** Merged starved spans, epoch s. */
  starvedSpans: Array<[number, number]>;
  /** One line: the worst figures of the run. */
  summary: string;
}

/**
 * One step of the rate search: a full harness run (`runProfile`, the same code path as
 * `npm run peak`) of bench/profiles/flat.ts at one rate, with the embedded stack, Prometheus,
 * k6 with remote write, the live view and the verdict. The bench only watches from outside:
 * wall clock, the k6 summary the run exported and the CPU of every process involved.
 */
import path from 'node:path';
import { runProfile } from '../../src/run/index.ts';
import { queriesSent } from '../../src/metrics/client.ts';
import type { Verdict } from '../../src/controller/types.ts';
import { CpuSampler, loadAverage, round, type CpuWindow } from './cpu.ts';
import { readLoadFigures, type LoadFigures } from './k6-summary.ts';
import { HealthProbe } from './probe.ts';
import { K6Progress, steadyWindow, type SteadyWindow } from './k6-progress.ts';
import { FLAT_SHAPE, flatStages } from '../profiles/flat.ts';

export const FLAT_PROFILE = path.join(import.meta.dirname, '..', 'profiles', 'flat.ts');

export interface HarnessStep {
  /** Gateway rate asked for, req/s. */
  targetRps: number;
  /** The harness's own verdict: pass means sustained. */
  verdict: Verdict['status'];
  /** Why the verdict is not pass, one line each. */
  reasons: string[];
  /** Judged by Prometheus (the harness's numbers). */
  p99Ms: number | null;
  droppedPct: number | null;
  errorPct: number | null;
  /** From k6's own summary: requests, achieved rate, dropped, p99. */
  k6: LoadFigures | null;
  /** Wall time of the whole step and its phases, s. */
  wall: { totalSeconds: number; setupSeconds: number; loadSeconds: number; judgeSeconds: number };
  /** Inside the hold, past k6's start-up: achieved rate and CPU split at a flat load. */
  steady: SteadyWindow | null;
  /** CPU while k6 ran (the load window the verdict judged, k6 start-up included). */
  cpuLoad: CpuWindow;
  /** CPU over the whole step, start-up and judging included. */
  cpuStep: CpuWindow;
  loadAverage: { start: [number, number, number]; end: [number, number, number] };
  /** PromQL queries per second while k6 ran: the live view's (nothing else queries then). */
  liveQueriesPerSecond: number | null;
  runDir: string;
}

function sloObserved(v: Verdict, id: string): number | null {
  return v.slos.find((s) => s.id === id)?.observed ?? null;
}

export async function harnessStep(rate: number, opts: { sampler: CpuSampler; runsDir: string; signal: AbortSignal; log: (l: string) => void }): Promise<HarnessStep> {
  const loadStart = loadAverage();
  opts.sampler.sample();
  const progress = new K6Progress();
  const probe = new HealthProbe();
  const t0 = Date.now();
  const queries: Array<[number, number]> = [];
  const counting = setInterval(() => queries.push([Date.now(), queriesSent()]), 250);
  const result = await runProfile({
    profile: FLAT_PROFILE,
    scale: 1,
    timeScale: 1,
    autoscale: false,
    stagesOverride: flatStages(rate),
    runsDir: opts.runsDir,
    signal: opts.signal,
    onK6Line: (l) => progress.feed(l),
    log: (l) => {
      // runProfile names the stack's URL once it is up: start the heartbeat there.
      const url = /^embedded \S+ stack at (http:\/\/\S+)/.exec(l)?.[1];
      if (url) probe.start(url);
      opts.log(l);
    },
  }).finally(() => {
    probe.stop();
    clearInterval(counting);
  });
  opts.sampler.sample();
  const t1 = Date.now();
  const v = result.verdict;
  const winStart = v.startedAt * 1000;
  const winEnd = v.endedAt * 1000;
  const k6 = await readLoadFigures(path.join(result.runDir, 'k6-summary.json'), rate, FLAT_SHAPE.rampSeconds, FLAT_SHAPE.holdSeconds);
  const dropped = sloObserved(v, 'dropped');
  const errors = sloObserved(v, 'errors');
  const p99 = sloObserved(v, 'all-p99');
  return {
    targetRps: rate,
    verdict: v.status,
    reasons: v.reasons,
    p99Ms: p99 === null ? null : round(p99, 1),
    droppedPct: dropped === null ? null : round(dropped * 100, 3),
    errorPct: errors === null ? null : round(errors * 100, 3),
    k6,
    wall: {
      totalSeconds: round((t1 - t0) / 1000, 1),
      setupSeconds: round((winStart - t0) / 1000, 1),
      loadSeconds: round((winEnd - winStart) / 1000, 1),
      judgeSeconds: round((t1 - winEnd) / 1000, 1),
    },
    steady: steadyWindow(progress, opts.sampler, {
      spawnedAtMs: winStart,
      rampSeconds: FLAT_SHAPE.rampSeconds,
      holdSeconds: FLAT_SHAPE.holdSeconds,
      requestsPerIteration: k6 && k6.iterations > 0 ? k6.requests / k6.iterations : 1,
      probe,
    }),
    cpuLoad: opts.sampler.window(winStart, winEnd),
    cpuStep: opts.sampler.window(t0, t1),
    loadAverage: { start: loadStart, end: loadAverage() },
    liveQueriesPerSecond: queryRate(queries, winStart, winEnd),
    runDir: result.runDir,
  };
}

/** Queries per second between two times, from (time, running count) samples. */
export function queryRate(samples: Array<[number, number]>, fromMs: number, toMs: number): number | null {
  const inside = samples.filter(([t]) => t >= fromMs && t <= toMs);
  const first = inside[0];
  const last = inside.at(-1);
  if (!first || !last || last[0] - first[0] < 1000) return null;
  return round((last[1] - first[1]) / ((last[0] - first[0]) / 1000), 2);
}

/**
 * Reads k6's once-a-second progress lines (`running (12.4s), 0120/1313 VUs, 9876 complete and
 * 0 interrupted iterations`) as they are printed, to learn when the load really started (after
 * VU initialisation) and how many iterations had completed at any instant. That gives a steady
 * window inside the hold, free of k6's start-up and of the ramp.
 */
import { peakCores, round, type CpuSampler, type CpuWindow, type PeakCores } from './cpu.ts';
import type { HealthProbe, ProbeStats } from './probe.ts';

interface Point {
  /** Epoch ms when the line was read. */
  t: number;
  /** k6's own elapsed time, s. */
  elapsed: number;
  complete: number;
}

const RUNNING = /running \((?:(\d+)m)?(\d+(?:\.\d+)?)s\), \d+\/\d+ VUs, (\d+) complete/;

export class K6Progress {
  private readonly points: Point[] = [];

  /** Feeds one output line (prefixes are fine); `now` is when it was read, epoch ms. */
  feed(line: string, now = Date.now()): void {
    const m = RUNNING.exec(line);
    if (!m) return;
    this.points.push({ t: now, elapsed: Number(m[1] ?? 0) * 60 + Number(m[2]), complete: Number(m[3]) });
  }

  /** When k6 started executing iterations, epoch ms (null before the first progress line). */
  startMs(): number | null {
    // The earliest line is the least delayed by a busy pipe or event loop.
    let best: number | null = null;
    for (const p of this.points) {
      const s = p.t - p.elapsed * 1000;
      if (best === null || s < best) best = s;
    }
    return best;
  }

  /** Slowest completion rate between two consecutive progress lines inside [from, to], iterations/s. */
  worstRate(fromMs: number, toMs: number): number | null {
    let worst: number | null = null;
    for (let i = 1; i < this.points.length; i++) {
      const a = this.points[i - 1]!;
      const b = this.points[i]!;
      if (a.t < fromMs || b.t > toMs || b.t <= a.t) continue;
      const r = ((b.complete - a.complete) * 1000) / (b.t - a.t);
      if (worst === null || r < worst) worst = r;
    }
    return worst;
  }

  /** Iterations completed at an instant, interpolated between progress lines. */
  completeAt(tMs: number): number | null {
    const pts = this.points;
    if (pts.length === 0) return null;
    const first = pts[0]!;
    const last = pts[pts.length - 1]!;
    if (tMs <= first.t) return first.complete;
    if (tMs >= last.t) return last.complete;
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1]!;
      const b = pts[i]!;
      if (tMs <= b.t) return a.complete + ((b.complete - a.complete) * (tMs - a.t)) / Math.max(1, b.t - a.t);
    }
    return last.complete;
  }
}

/** The part of the hold where load is flat and k6 is past its start-up. */
export interface SteadyWindow {
  /** Seconds after the first iteration: the window is [from, to]. */
  fromSeconds: number;
  toSeconds: number;
  /** Requests/s completed in the window (iterations × requests per iteration of the run). */
  achievedRps: number | null;
  /**
   * Slowest second in the window, req/s (from k6's progress lines): far below achievedRps means
   * completions stalled, which exhausts pre-allocated VUs and drops iterations.
   */
  worstSecondRps: number | null;
  /** The stack's /health heartbeat in the window: slow beats mean its event loop stalled. */
  stackHeartbeat: ProbeStats | null;
  cpu: CpuWindow;
  /** Busiest second of each role (and of everyone else on the machine) in the window, cores. */
  peakCores: PeakCores;
  /** From spawning k6 to its first iteration (VU initialisation), s, and k6's CPU in it. */
  k6Init: { seconds: number; k6CpuSeconds: number };
}

/**
 * The steady window of one k6 run: from 2 s after the ramp to 1 s before the end of the hold.
 * Null when k6 printed no progress (it never started iterating).
 */
export function steadyWindow(
  progress: K6Progress,
  sampler: CpuSampler,
  o: { spawnedAtMs: number; rampSeconds: number; holdSeconds: number; requestsPerIteration: number; probe?: HealthProbe },
): SteadyWindow | null {
  const start = progress.startMs();
  if (start === null) return null;
  const fromSeconds = o.rampSeconds + 2;
  const toSeconds = o.rampSeconds + o.holdSeconds - 1;
  const from = start + fromSeconds * 1000;
  const to = start + toSeconds * 1000;
  const a = progress.completeAt(from);
  const b = progress.completeAt(to);
  const init = sampler.window(o.spawnedAtMs, start);
  const worst = progress.worstRate(from, to);
  return {
    fromSeconds,
    toSeconds,
    achievedRps: a === null || b === null ? null : round(((b - a) * o.requestsPerIteration) / (toSeconds - fromSeconds)),
    worstSecondRps: worst === null ? null : round(worst * o.requestsPerIteration),
    stackHeartbeat: o.probe ? o.probe.stats(from, to) : null,
    cpu: sampler.window(from, to),
    peakCores: peakCores(sampler, from, to),
    k6Init: { seconds: round((start - o.spawnedAtMs) / 1000, 1), k6CpuSeconds: init.cpuSeconds.k6 },
  };
}

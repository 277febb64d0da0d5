/**
 * The autoscaler's own measurements over its evaluation window: latency percentiles from
 * log-bucketed histograms kept in time slices, and utilization from busy/ready slot-second
 * integrals sampled over time. Memory stays bounded at any request rate.
 */
import type { Clock } from './random.ts';

/** Bucket i holds latencies in [MIN_MS·GROWTH^i, MIN_MS·GROWTH^(i+1)): 5 % resolution. */
const MIN_MS = 0.5;
const GROWTH = 1.05;
const BUCKETS = Math.ceil(Math.log(600_000 / MIN_MS) / Math.log(GROWTH));
/** Slices per window: the window slides in steps of 1/SLICES of its length. */
const SLICES = 12;

interface Slice {
  start: number;
  counts: Uint32Array;
  total: number;
}

/** Rolling latency histograms per key (a route, or a whole service). */
export class LatencyWindow {
  private readonly slices = new Map<string, Slice[]>();
  private readonly sliceSeconds: number;

  /** @param windowSeconds evaluation window on the wall clock, s */
  constructor(
    private readonly windowSeconds: number,
    private readonly clock: Clock,
  ) {
    this.sliceSeconds = windowSeconds / SLICES;
  }

  record(key: string, ms: number): void {
    const now = this.clock();
    let list = this.slices.get(key);
    if (!list) this.slices.set(key, (list = []));
    let slice = list[list.length - 1];
    if (!slice || now - slice.start >= this.sliceSeconds) {
      slice = { start: now, counts: new Uint32Array(BUCKETS), total: 0 };
      list.push(slice);
      this.prune(list, now);
    }
    const i = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log(ms / MIN_MS) / Math.log(GROWTH)));
    slice.counts[i] = (slice.counts[i] ?? 0) + 1;
    slice.total++;
  }

  /** The percentile (0..100) of the last window, ms; null when nothing was recorded. */
  percentile(key: string, p: number): number | null {
    const list = this.slices.get(key);
    if (!list) return null;
    const now = this.clock();
    this.prune(list, now);
    const merged = new Float64Array(BUCKETS);
    let total = 0;
    for (const s of list) {
      if (s.start < now - this.windowSeconds) continue;
      total += s.total;
      for (let i = 0; i < BUCKETS; i++) merged[i] = (merged[i] ?? 0) + (s.counts[i] ?? 0);
    }
    if (total === 0) return null;
    const rank = (p / 100) * total;
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += merged[i] ?? 0;
      // Report the bucket's upper edge: a percentile is never under-stated.
      if (seen >= rank) return MIN_MS * GROWTH ** (i + 1);
    }
    return MIN_MS * GROWTH ** BUCKETS;
  }

  private prune(list: Slice[], now: number): void {
    while (list.length > 0 && (list[0]?.start ?? now) < now - this.windowSeconds - this.sliceSeconds) list.shift();
  }
}

interface Sample {
  t: number;
  busy: number;
  ready: number;
}

/** Utilization over the window from monotonic busy / ready slot-second integrals. */
export class UtilizationWindow {
  private readonly samples: Sample[] = [];

  constructor(
    private readonly windowSeconds: number,
    private readonly clock: Clock,
    private readonly integrals: () => { busySlotSeconds: number; readySlotSeconds: number },
  ) {
    this.sample();
  }

  /**
   * Busy fraction (0..1) over the last window (or since the start when that is shorter). Call it
   * at least once per window (the autoscaler does, every sync) so samples exist near its start.
   */
  utilization(): number {
    const now = this.sample();
    // The oldest sample kept is the last one at or before the window start (see sample()).
    const from = this.samples[0] ?? now;
    const ready = now.ready - from.ready;
    if (ready <= 0) return 0;
    return (now.busy - from.busy) / ready;
  }

  private sample(): Sample {
    const { busySlotSeconds, readySlotSeconds } = this.integrals();
    const s = { t: this.clock(), busy: busySlotSeconds, ready: readySlotSeconds };
    this.samples.push(s);
    // Keep one sample at or before the window start so the window is always full.
    while (this.samples.length > 2 && (this.samples[1]?.t ?? s.t) <= s.t - this.windowSeconds) this.samples.shift();
    return s;
  }
}

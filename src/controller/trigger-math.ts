/**
 * Pure trigger logic on time series: when a condition held, when it fired (held for its `for`
 * window), when replicas rose, and which outcome that makes. Times are epoch seconds.
 */
export type Points = Array<[number, number]>;

/**
 * Intervals during which `v op threshold` held at consecutive samples. NaN breaks an interval.
 * Each sample stands for the sampling step around it (half a step each side): n consecutive
 * samples above the threshold make a hold of n steps, so a hold the autoscaler saw for 5 s,
 * sampled every 0.5 s, is judged 5 s (10 samples) or 5.5 s (11), never 4.5 s.
 */
export function heldIntervals(points: Points, op: '>' | '<', threshold: number, step = 0): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start: number | null = null;
  let last: number | null = null;
  const close = (): void => {
    if (start !== null && last !== null) out.push([start - step / 2, last + step / 2]);
    start = null;
    last = null;
  };
  for (const [t, v] of points) {
    const holds = Number.isFinite(v) && (op === '>' ? v > threshold : v < threshold);
    if (!holds) {
      close();
      continue;
    }
    start ??= t;
    last = t;
  }
  close();
  return out;
}

/**
 * Fire times: a trigger fires once its condition has held for `forSeconds`; the hold clock
 * restarts after each fire (the autoscaler acts, then needs the condition to hold again).
 */
export function fireTimes(intervals: Array<[number, number]>, forSeconds: number, minGap = 0): number[] {
  const fires: number[] = [];
  for (const [a, b] of intervals) {
    let from = a;
    while (from + forSeconds <= b) {
      const t = from + forSeconds;
      fires.push(t);
      // A trigger that held with `for = 0` fires once per interval, not at every sample.
      if (forSeconds <= 0) break;
      from = t + minGap;
    }
  }
  return fires;
}

export interface ReplicaChange {
  time: number;
  from: number;
  to: number;
}

/** Every change of the replica count, in time order. */
export function replicaChanges(points: Points): ReplicaChange[] {
  const out: ReplicaChange[] = [];
  let prev: number | null = null;
  for (const [t, v] of points) {
    if (!Number.isFinite(v)) continue;
    if (prev !== null && v !== prev) out.push({ time: t, from: prev, to: v });
    prev = v;
  }
  return out;
}

/** The value at or just before `t` (the first value if none is before). */
export function valueAt(points: Points, t: number): number | null {
  let v: number | null = null;
  for (const [pt, pv] of points) {
    if (!Number.isFinite(pv)) continue;
    if (pt <= t) v = pv;
    else return v ?? pv;
  }
  return v;
}

/**
 * When a trigger may legitimately cause scaling: from the moment its condition had held for its
 * window (less the early slack) until a grace period after the condition ended. An autoscaler
 * may act again during that span (after its own cool-down), so every scale-up in it is explained.
 * Dips of at most `bridge` seconds do not end the condition here: the signal is a rate over one
 * evaluation window, and an autoscaler sampling it at its own instants need not see such a dip.
 */
export function activeSpans(intervals: Array<[number, number]>, forSeconds: number, earlySlack: number, grace: number, bridge = 0): Array<[number, number]> {
  const joined: Array<[number, number]> = [];
  for (const [a, b] of intervals) {
    const prev = joined.at(-1);
    if (prev && a - prev[1] <= bridge) prev[1] = Math.max(prev[1], b);
    else joined.push([a, b]);
  }
  return joined.filter(([a, b]) => b - a >= forSeconds - earlySlack).map(([a, b]) => [a + forSeconds - earlySlack, b + grace]);
}

/** Scale-ups outside every active span of the deployment's triggers. */
export function unexplainedScaleUps(replicas: Points, spans: Array<[number, number]>): ReplicaChange[] {
  return replicaChanges(replicas).filter((c) => c.to > c.from && !spans.some(([a, b]) => c.time >= a && c.time <= b));
}

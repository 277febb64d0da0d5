/**
 * Pure trigger logic on time series: when a condition held, when it fired (held for its `for`
 * window), when replicas rose, and which outcome that makes. Times are epoch seconds.
 */
import type { TriggerOutcome } from './types.ts';

export type Points = Array<[number, number]>;

/** Intervals during which `v op threshold` held at consecutive samples. NaN breaks an interval. */
export function heldIntervals(points: Points, op: '>' | '<', threshold: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start: number | null = null;
  let last: number | null = null;
  for (const [t, v] of points) {
    const holds = Number.isFinite(v) && (op === '>' ? v > threshold : v < threshold);
    if (holds) {
      if (start === null) start = t;
      last = t;
    } else if (start !== null && last !== null) {
      out.push([start, last]);
      start = null;
      last = null;
    }
  }
  if (start !== null && last !== null) out.push([start, last]);
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
 * Flapping: the count went down and back up again at least `minCycles` times within
 * `windowSeconds` of each down step.
 */
export function flapCycles(changes: ReplicaChange[], windowSeconds: number): number {
  let cycles = 0;
  changes.forEach((c, i) => {
    if (c.to >= c.from) return;
    const back = changes.slice(i + 1).find((d) => d.to > d.from);
    if (back && back.time - c.time <= windowSeconds) cycles++;
  });
  return cycles;
}

export interface ClassifyInput {
  action: 'add-instances' | 'add-workers' | 'alert' | 'hpa';
  fires: number[];
  replicas: Points;
  /** Promised step, for add-instances / add-workers. */
  step: number | null;
  maxReplicas: number;
  graceSeconds: number;
  /** How long before a computed fire a scale-up still counts as its response, s. */
  earlySlackSeconds: number;
  flapWindowSeconds: number;
}

export interface Classification {
  outcome: TriggerOutcome;
  firedAt: number | null;
  scaledAt: number | null;
  lagSeconds: number | null;
  replicasBefore: number | null;
  replicasAfter: number | null;
  detail: string;
}

export function classify(input: ClassifyInput): Classification {
  const changes = replicaChanges(input.replicas);
  const ups = changes.filter((c) => c.to > c.from);
  const firedAt = input.fires[0] ?? null;
  const none: Classification = { outcome: 'not-fired', firedAt: null, scaledAt: null, lagSeconds: null, replicasBefore: null, replicasAfter: null, detail: 'condition never held for its window' };
  if (firedAt === null) return none;
  const before = valueAt(input.replicas, firedAt - input.earlySlackSeconds - 0.001);
  if (input.action === 'alert') {
    return { ...none, outcome: 'alert-only-fired', firedAt, replicasBefore: before, replicasAfter: before, detail: 'alert condition held for its window; no scaling is promised' };
  }
  const cycles = flapCycles(changes, input.flapWindowSeconds);
  const response = ups.find((c) => c.time >= firedAt - input.earlySlackSeconds);
  if (!response) {
    if (before !== null && before >= input.maxReplicas) {
      return { ...none, outcome: 'max-replicas-reached', firedAt, replicasBefore: before, replicasAfter: before, detail: `already at max replicas (${input.maxReplicas}) when it fired` };
    }
    return { ...none, outcome: 'fired-not-scaled', firedAt, replicasBefore: before, replicasAfter: before, detail: `fired but replicas stayed at ${before ?? '?'}` };
  }
  const lag = Math.max(0, response.time - firedAt);
  // Replicas reached within one grace period of the first step (steps may land in two scrapes).
  const after = Math.max(
    response.to,
    ...changes.filter((c) => c.time >= response.time && c.time <= response.time + input.graceSeconds && c.to > c.from).map((c) => c.to),
  );
  const from = before ?? response.from;
  const base: Classification = { outcome: 'fired-and-scaled', firedAt, scaledAt: response.time, lagSeconds: lag, replicasBefore: from, replicasAfter: after, detail: '' };
  if (cycles >= 2) return { ...base, outcome: 'flapping', detail: `replicas went down and back up ${cycles} times` };
  if (lag > input.graceSeconds) return { ...base, outcome: 'scaled-late', detail: `scaled ${lag.toFixed(1)} s after firing; grace ${input.graceSeconds.toFixed(1)} s` };
  const expected = input.step === null ? 1 : Math.min(input.step, input.maxReplicas - from);
  if (after - from < expected) {
    return { ...base, outcome: 'wrong-step', detail: `replicas ${from} -> ${after}: step ${after - from}, promised ${input.step ?? 'an increase'}` };
  }
  if (after >= input.maxReplicas) {
    return { ...base, outcome: 'max-replicas-reached', detail: `scaled ${from} -> ${after} in ${lag.toFixed(1)} s and reached max replicas` };
  }
  return { ...base, detail: `replicas ${from} -> ${after} ${lag.toFixed(1)} s after firing (grace ${input.graceSeconds.toFixed(1)} s)` };
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

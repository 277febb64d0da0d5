/**
 * The planned arrival rate of one scenario, as k6's ramping-arrival-rate executor runs it: at
 * t = 0 the rate is `startRate`; each stage ramps linearly from the previous target to its own
 * over its duration (a 0 s stage is a jump); the executor starts no iteration after the last
 * stage ends, so the rate is 0 before the start and after the end. At the end instant itself the
 * rate is the last target (k6 may still start an iteration exactly there).
 */
import type { PlanScenario } from './types.ts';

export type RateCurve = Pick<PlanScenario, 'startRate' | 'stages'>;

/** Total length of the curve, s. */
export function curveSeconds(c: RateCurve): number {
  return c.stages.reduce((s, st) => s + st.durationSeconds, 0);
}

/**
 * Planned iterations/s `t` seconds after the scenario started. At a stage boundary the value is
 * that of the stage that starts there, so a 0 s stage's jump has already happened.
 */
export function plannedRate(c: RateCurve, t: number): number {
  if (!(t >= 0) || t > curveSeconds(c)) return 0;
  let from = c.startRate;
  let t0 = 0;
  for (const st of c.stages) {
    const t1 = t0 + st.durationSeconds;
    if (t < t1) return from + ((st.target - from) * (t - t0)) / st.durationSeconds;
    from = st.target;
    t0 = t1;
  }
  return from;
}

/** Iterations the curve asks for between `from` and `to` seconds (its integral; 0 outside the run). */
export function plannedIterations(c: RateCurve, from = 0, to = Infinity): number {
  let t0 = 0;
  let r0 = c.startRate;
  let total = 0;
  for (const st of c.stages) {
    const t1 = t0 + st.durationSeconds;
    const a = Math.max(from, t0);
    const b = Math.min(to, t1);
    if (b > a) {
      const rate = (t: number) => r0 + ((st.target - r0) * (t - t0)) / st.durationSeconds;
      total += ((rate(a) + rate(b)) / 2) * (b - a);
    }
    t0 = t1;
    r0 = st.target;
  }
  return total;
}

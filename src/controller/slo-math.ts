/** Pure helpers for SLO judgement: target iterations from the plan, worst windows, bounds. */
import type { Scope } from '../plan/schema.ts';
import type { Plan, PlanScenario, PlanStage } from '../plan/types.ts';
import type { WindowValue } from './types.ts';

export function scenarioMatches(s: PlanScenario, scope: Scope): boolean {
  return (!scope.journey || s.journey === scope.journey) && (!scope.service || s.service === scope.service) && (!scope.cohort || s.cohort === scope.cohort);
}

/**
 * Iterations a ramping-arrival-rate scenario is asked for between `from` and `to` seconds after
 * its start: the integral of the piecewise-linear rate (startRate, then each stage's target).
 */
export function stageIntegral(startRate: number, stages: PlanStage[], from: number, to: number): number {
  let t0 = 0;
  let r0 = startRate;
  let total = 0;
  for (const st of stages) {
    const t1 = t0 + st.durationSeconds;
    const a = Math.max(from, t0);
    const b = Math.min(to, t1);
    if (b > a && st.durationSeconds > 0) {
      const rate = (t: number) => r0 + ((st.target - r0) * (t - t0)) / st.durationSeconds;
      total += ((rate(a) + rate(b)) / 2) * (b - a);
    }
    t0 = t1;
    r0 = st.target;
  }
  return total;
}

/** Iterations the plan asks for, for the scenarios in `scope`, between two offsets (s). */
export function targetIterations(plan: Plan, scope: Scope, from = 0, to = Infinity): number {
  let total = 0;
  for (const s of plan.scenarios) if (scenarioMatches(s, scope)) total += stageIntegral(s.startRate, s.stages, from, to);
  return total;
}

/** Target request rate (req/s) at an offset, for the scenarios in scope. */
export function targetRateAt(plan: Plan, scope: Scope, t: number): number {
  let total = 0;
  for (const s of plan.scenarios) {
    if (!scenarioMatches(s, scope)) continue;
    let t0 = 0;
    let r0 = s.startRate;
    for (const st of s.stages) {
      const t1 = t0 + st.durationSeconds;
      if (t >= t0 && t <= t1 && st.durationSeconds > 0) {
        total += (r0 + ((st.target - r0) * (t - t0)) / st.durationSeconds) * s.requestsPerIteration;
        break;
      }
      t0 = t1;
      r0 = st.target;
    }
  }
  return total;
}

/**
 * The worst point of a range series, where each point at time t is the value of the window
 * [t - windowSeconds, t]. NaN points (no data in that window) are skipped.
 */
export function worstWindow(points: Array<[number, number]>, windowSeconds: number, worst: 'max' | 'min'): WindowValue | null {
  let best: WindowValue | null = null;
  for (const [t, v] of points) {
    if (!Number.isFinite(v)) continue;
    if (!best || (worst === 'max' ? v > best.value : v < best.value)) best = { value: v, start: t - windowSeconds, end: t };
  }
  return best;
}

/** True when `value` is within the bound (`max` = upper bound, `min` = lower bound). */
export function within(value: number, threshold: number, kind: 'max' | 'min'): boolean {
  return kind === 'max' ? value <= threshold : value >= threshold;
}

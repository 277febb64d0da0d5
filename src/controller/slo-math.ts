/** Pure helpers for SLO judgement: target iterations from the plan, worst windows, bounds. */
import type { Scope } from '../plan/schema.ts';
import type { Plan, PlanScenario } from '../plan/types.ts';
import { plannedIterations, plannedRate } from '../plan/rate.ts';
import type { WindowValue } from './types.ts';

export function scenarioMatches(s: PlanScenario, scope: Scope): boolean {
  return (!scope.journey || s.journey === scope.journey) && (!scope.service || s.service === scope.service) && (!scope.cohort || s.cohort === scope.cohort);
}

/** Iterations the plan asks for, for the scenarios in `scope`, between two offsets (s). */
export function targetIterations(plan: Plan, scope: Scope, from = 0, to = Infinity): number {
  let total = 0;
  for (const s of plan.scenarios) if (scenarioMatches(s, scope)) total += plannedIterations(s, from, to);
  return total;
}

/** Target request rate (req/s) at an offset, for the scenarios in scope. */
export function targetRateAt(plan: Plan, scope: Scope, t: number): number {
  let total = 0;
  for (const s of plan.scenarios) if (scenarioMatches(s, scope)) total += plannedRate(s, t) * s.requestsPerIteration;
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

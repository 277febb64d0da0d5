/**
 * VUs per scenario by Little's law: VUs busy = iterations/s × time per iteration. Pre-allocated
 * VUs cost k6 start-up time and ~0.45 MiB each (1.5 s × rate took 1,125 VUs and 434 MiB at
 * 1,500 req/s on the flat mix); too few cost dropped iterations, because k6 starts the missing
 * ones one at a time while iterations are due.
 *
 * - A plan where the stack has room: the journey's modeled mean service and database times,
 *   added up per route of the stack module, times HEADROOM. Measured at 1,500 req/s on the flat
 *   mix (scale 1): at most 170 VUs busy against 156 by the mean.
 * - A plan that pushes the stack past a trigger or to its break: requests queue until the
 *   autoscaler catches up, which the mean does not see (`run spike --quick`: 221 VUs busy
 *   against 62 by the mean; mean × 3 dropped 95 iterations, 5 % of one window). Those plans keep
 *   iterations of QUEUED_ITERATION_SECONDS, which dropped none.
 */
import type { StackModule } from '../stack/module.ts';
import { routeKey } from '../stack/spec.ts';

/** Pre-allocated VUs over the modeled mean need. */
export const HEADROOM = 2;
/** VUs over HEADROOM × the need, for a small pool's bursts. */
export const SPARE = 10;
/** Iteration time where a journey's routes have no model (a route missing from the stack), s. */
const UNMODELED_SECONDS = 1.5;
/** Iteration time a plan that queues the stack is sized for, s. */
const QUEUED_ITERATION_SECONDS = 1.5;
/** maxVUs: iterations of this long, s: the pool k6 may grow to when the target slows down. */
const MAX_ITERATION_SECONDS = 4;

/** The journey's mean iteration time, its routes' modeled means added up, s. */
export function iterationSeconds(stack: Pick<StackModule, 'routes'>, routes: string[]): number {
  let ms = 0;
  for (const route of routes) {
    const r = stack.routes.find((x) => routeKey(x) === route);
    if (!r) return UNMODELED_SECONDS;
    ms += r.service.meanMs + (r.db?.time.meanMs ?? 0);
  }
  return routes.length === 0 ? UNMODELED_SECONDS : ms / 1000;
}

/**
 * VUs for `peak` iterations/s of a journey whose iteration takes `seconds` on average: HEADROOM
 * times the mean need, plus SPARE for the bursts of a small pool (`run peak --quick` dropped an
 * iteration with login's 5 VUs for a mean need of 2).
 */
export function vusFor(peak: number, seconds: number): { preAllocatedVUs: number; maxVUs: number } {
  return pool(Math.ceil(peak * seconds * HEADROOM) + SPARE, peak, MAX_ITERATION_SECONDS);
}

/** VUs of a plan that queues the stack: iterations of QUEUED_ITERATION_SECONDS. */
export function queuedVus(peak: number): { preAllocatedVUs: number; maxVUs: number } {
  return pool(Math.max(5, Math.ceil(peak * QUEUED_ITERATION_SECONDS)), peak, MAX_ITERATION_SECONDS);
}

/** At most 3,000 pre-allocated; maxVUs: twice that, iterations of `maxSeconds`, at least 20, at most 8,000. */
function pool(pre: number, peak: number, maxSeconds: number): { preAllocatedVUs: number; maxVUs: number } {
  const preAllocatedVUs = Math.min(3000, pre);
  return { preAllocatedVUs, maxVUs: Math.min(8000, Math.max(20, 2 * preAllocatedVUs, Math.ceil(peak * maxSeconds))) };
}

/**
 * VUs of a shaped (slow-link) cohort: its network, not the stack's model, sets its iteration
 * time, so the pool stays sized for iterations of 12 s (pre-allocated) and 32 s (max).
 */
export function shapedVus(peak: number): { preAllocatedVUs: number; maxVUs: number } {
  return pool(Math.max(5, Math.ceil(peak * 12)), peak, 32);
}

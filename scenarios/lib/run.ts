/**
 * The per-iteration entry shared by every scenario file: run the journey the plan assigned.
 * Kept to one Map lookup per iteration: the scenario's name comes from its own environment
 * (`__ENV.SCALE_HARNESS_SCENARIO`, set per scenario in plan.ts; `exec.scenario` builds an
 * object on every read), response bytes per cohort from what k6 already counts (data_received,
 * tagged by scenario), errors from http_req_failed.
 */
import type { Plan, PlanScenario } from '../../src/plan/types.ts';
import { JOURNEYS, routeJourney, type Journey } from './journeys.ts';
import { scenarioByName } from './plan.ts';

const ROUTED = new Map<string, { s: PlanScenario; fn: Journey }>();

export function runJourney(plan: Plan): void {
  const name = __ENV.SCALE_HARNESS_SCENARIO ?? '';
  let r = ROUTED.get(name);
  if (!r) {
    const s = scenarioByName(plan, name);
    r = { s, fn: JOURNEYS[plan.stack]?.[s.journey] ?? routeJourney };
    ROUTED.set(name, r);
  }
  r.fn(r.s);
}

/** The per-iteration entry shared by every scenario file: run the journey the plan assigned. */
import exec from 'k6/execution';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import type { Plan } from '../../src/plan/types.ts';
import { JOURNEYS, routeJourney } from './journeys.ts';
import { scenarioByName } from './plan.ts';

const responseBytes = new Counter('journey_response_bytes');

export function runJourney(plan: Plan): void {
  const s = scenarioByName(plan, exec.scenario.name);
  const fn = JOURNEYS[plan.stack]?.[s.journey] ?? routeJourney;
  for (const r of fn(s)) {
    const len = Number(r.headers['Content-Length'] ?? 0);
    responseBytes.add(len, { journey: s.journey, cohort: s.cohort });
    const budget = s.maxResponseBytes;
    if (budget !== undefined) check(len, { 'response within byte budget': (n) => n <= budget });
  }
}

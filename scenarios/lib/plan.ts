/**
 * Reads the resolved plan the Node side wrote (PLAN_FILE) and turns it into k6 options.
 * Runs inside k6: no Node imports. No load numbers live here; they all come from the plan.
 */
import type { Options, Scenario } from 'k6/options';
import type { Plan, PlanScenario } from '../../src/plan/types.ts';

export function loadPlan(): Plan {
  const file = __ENV.PLAN_FILE;
  if (!file) throw new Error('PLAN_FILE is not set: run scenarios through the harness (npm run spike), which resolves the plan');
  return JSON.parse(open(file)) as Plan;
}

function toScenario(s: PlanScenario): Scenario {
  return {
    executor: 'ramping-arrival-rate',
    exec: 'journey',
    startRate: Math.round(s.startRate * s.timeUnitSeconds),
    timeUnit: `${s.timeUnitSeconds}s`,
    preAllocatedVUs: s.preAllocatedVUs,
    maxVUs: s.maxVUs,
    stages: s.stages.map((st) => ({ duration: `${Math.max(0.001, st.durationSeconds).toFixed(3)}s`, target: Math.round(st.target * s.timeUnitSeconds) })),
    gracefulStop: '5s',
    tags: { journey: s.journey, service: s.service, cohort: s.cohort },
    env: { SCALE_HARNESS_SCENARIO: s.name },
  };
}

export function optionsFor(plan: Plan): Options {
  const scenarios: Record<string, Scenario> = {};
  for (const s of plan.scenarios) scenarios[s.name] = toScenario(s);
  return {
    scenarios,
    // Only the tags something reads: expected_response (errors), scenario (the overview
    // dashboard), status (a 5xx in Grafana Explore). No URL, name, method or group: each tag on
    // each sample is k6 CPU (about 7 % of it at 1,500 req/s with the four dropped), and raw URLs
    // would be unbounded series (search queries vary).
    systemTags: ['status', 'scenario', 'expected_response'],
    summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max', 'count'],
    // Bodies are not kept (k6 spends its CPU on them); sizes come from Content-Length.
    discardResponseBodies: true,
    noConnectionReuse: false,
    // Load goes only where the plan's allow-list let it: a redirect could lead anywhere.
    maxRedirects: 0,
  };
}

export function scenarioByName(plan: Plan, name: string): PlanScenario {
  const s = plan.scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`scenario ${name} is not in the plan`);
  return s;
}

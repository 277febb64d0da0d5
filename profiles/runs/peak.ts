/**
 * The 10,000 TPS peak at the gateway with the traffic mix, held: the plan's current peak
 * capacity. The stack is sized to carry it at about 60 % utilization, so no scale-up trigger
 * should fire. `--scale` runs a fraction with per-instance capacity scaled alike.
 */
import { defineProfile } from '../../src/plan/schema.ts';
import { MEQENET_CAPACITY_PLAN, peakStages } from '../capacity.ts';
import meqenet from '../stacks/meqenet.ts';
import { capacityTargetRate } from '../../src/plan/capacity.ts';

const peak = capacityTargetRate('current');

export default defineProfile({
  name: 'peak',
  description: `ramp to the current peak (${peak} req/s at the gateway) and hold`,
  stack: 'meqenet',
  stages: peakStages(peak),
  mix: MEQENET_CAPACITY_PLAN.mix,
  slos: [
    { id: 'login-p95', objective: 'latency', percentile: 95, maxMs: 500, scope: { journey: 'login' } },
    { id: 'search-p95', objective: 'latency', percentile: 95, maxMs: 1000, scope: { journey: 'search' } },
    { id: 'checkout-p95', objective: 'latency', percentile: 95, maxMs: 1500, scope: { journey: 'checkout' } },
    { id: 'errors', objective: 'error-rate', max: 0.01 },
    { id: 'checkout-errors', objective: 'error-rate', max: 0.01, scope: { journey: 'checkout' } },
    { id: 'achieved', objective: 'achieved-rate', min: 0.97 },
    { id: 'dropped', objective: 'dropped-iterations', max: 0.005 },
  ],
  sloWindow: '1m',
  // Sized for the peak at about 60 % utilization: no row may fire (none did in a quick peak).
  expect: Object.fromEntries(meqenet.triggers.map((t) => [t.id, 'quiet' as const])),
  quick: { scale: 0.02, timeScale: 15 },
});

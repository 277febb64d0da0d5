/**
 * Breakpoint: ramp the gateway rate until an SLO breaks (the autoscaler adds replicas up to its
 * maximums on the way), then report the sustainable rate and its headroom against the capacity
 * plan's holiday target (current peak x seasonal factor, 20,000 req/s). The plan's full future
 * capacity is printed by `npm run plan`.
 */
import { defineProfile } from '../../src/plan/schema.ts';
import { MEQENET_CAPACITY_PLAN } from '../capacity.ts';
import { capacityTargetRate } from '../../src/plan/capacity.ts';

const required = capacityTargetRate('seasonal');

export default defineProfile({
  name: 'breakpoint',
  description: `ramp until an SLO breaks; headroom against ${required} req/s`,
  stack: 'meqenet',
  stages: [{ duration: '40m', target: 4 * required }],
  mix: MEQENET_CAPACITY_PLAN.mix,
  slos: [
    { id: 'all-p95', objective: 'latency', percentile: 95, maxMs: 2_000 },
    { id: 'errors', objective: 'error-rate', max: 0.05 },
  ],
  sloWindow: '1m',
  breakpoint: { stopOn: ['all-p95', 'errors'], breakWindows: 2, requiredRate: required },
  quick: { scale: 0.01, timeScale: 40 },
});

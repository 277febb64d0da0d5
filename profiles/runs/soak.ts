/**
 * Soak: steady load at 80 % of the current peak for four hours, watching for drift: the slope
 * of the p95, error creep from the first third of the run to the last, and the growth of the
 * stack's memory. `--duration` shortens it (e.g. `--duration 30m`).
 */
import { defineProfile } from '../../src/plan/schema.ts';
import { MEQENET_CAPACITY_PLAN } from '../capacity.ts';
import meqenet from '../stacks/meqenet.ts';
import { capacityTargetRate } from '../../src/plan/capacity.ts';

const rate = 0.8 * capacityTargetRate('current');

export default defineProfile({
  name: 'soak',
  description: `steady ${rate} req/s for 4 h, judging latency slope, error creep and memory growth`,
  stack: 'meqenet',
  stages: [
    { duration: '5m', target: rate },
    { duration: '235m', target: rate },
  ],
  mix: MEQENET_CAPACITY_PLAN.mix,
  slos: [
    { id: 'all-p95', objective: 'latency', percentile: 95, maxMs: 1_000 },
    { id: 'errors', objective: 'error-rate', max: 0.01 },
    { id: 'p95-slope', objective: 'latency-slope', maxMsPerHour: 50 },
    { id: 'error-creep', objective: 'error-creep', max: 0.005 },
    { id: 'memory-growth', objective: 'memory-growth', maxPercentPerHour: 5 },
  ],
  sloWindow: '5m',
  // 80 % of the peak the stack carries at about 60 % utilization: no row may fire (none did in
  // a quick soak), so a fault on any of them is reported as never exercised.
  expect: Object.fromEntries(meqenet.triggers.map((t) => [t.id, 'quiet' as const])),
  quick: { scale: 0.02, timeScale: 90 },
});

/**
 * Customers on slow rural mobile links: cohorts routed through Toxiproxy with the network
 * presets of profiles/network.ts (2G/EDGE, rural 3G, urban 4G), per-cohort latency SLOs, and
 * a byte budget for the cohorts that ask for the lighter payload (`Save-Data: on`).
 */
import { defineProfile } from '../../src/plan/schema.ts';
import { MEQENET_CAPACITY_PLAN } from '../capacity.ts';
import meqenet from '../stacks/meqenet.ts';

export default defineProfile({
  name: 'rural',
  description: 'mixed network cohorts at 20 % of the current peak: 2G/EDGE, rural 3G, urban 4G',
  stack: 'meqenet',
  stages: [
    { duration: '2m', target: 2_000 },
    { duration: '8m', target: 2_000 },
  ],
  mix: MEQENET_CAPACITY_PLAN.mix,
  cohorts: [
    { name: 'edge-2g', share: 0.15, network: '2g-edge', saveData: true, maxResponseBytes: 4_000 },
    { name: 'rural-3g', share: 0.35, network: 'rural-3g', saveData: true, maxResponseBytes: 4_000 },
    { name: 'urban-4g', share: 0.5, network: 'urban-4g' },
  ],
  slos: [
    { id: 'urban-4g-p95', objective: 'latency', percentile: 95, maxMs: 1_500, scope: { cohort: 'urban-4g' } },
    { id: 'rural-3g-p95', objective: 'latency', percentile: 95, maxMs: 3_000, scope: { cohort: 'rural-3g' } },
    { id: 'edge-2g-p95', objective: 'latency', percentile: 95, maxMs: 6_000, scope: { cohort: 'edge-2g' } },
    { id: 'edge-2g-bytes', objective: 'response-bytes', maxBytes: 4_000, scope: { cohort: 'edge-2g' } },
    { id: 'rural-3g-bytes', objective: 'response-bytes', maxBytes: 4_000, scope: { cohort: 'rural-3g' } },
    { id: 'errors', objective: 'error-rate', max: 0.01 },
    { id: 'achieved', objective: 'achieved-rate', min: 0.9 },
  ],
  sloWindow: '1m',
  // At 20 % of the peak the stack runs far below every threshold: every row must stay quiet
  // (none fired in two quick runs), so a fault injected on one is reported as never exercised.
  expect: Object.fromEntries(meqenet.triggers.map((t) => [t.id, 'quiet' as const])),
  quick: { scale: 0.01, timeScale: 10 },
});

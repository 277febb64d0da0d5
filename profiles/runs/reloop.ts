/**
 * ReLoop under its HPA (CPU 70 %, memory 80 %, 2..10 replicas): a community campaign doubles
 * the traffic of the embedded ReLoop stack's reference peak (1,200 req/s, see
 * profiles/stacks/reloop.ts) within five minutes, with the journey mix of ReLoop's growth plan.
 * The HPA must add replicas on CPU; the plan's phases are printed by `npm run plan`.
 */
import { defineProfile } from '../../src/plan/schema.ts';
import { RELOOP_PHASE_PLAN } from '../capacity.ts';
import reloopStack from '../stacks/reloop.ts';

const reference = reloopStack.referencePeakRps;

export default defineProfile({
  name: 'reloop',
  description: `ReLoop campaign: ${reference} to ${2 * reference} req/s in 5 minutes, held`,
  stack: 'reloop',
  scenario: 'spike',
  startRate: reference / 2,
  stages: [
    { duration: '2m', target: reference },
    { duration: '5m', target: 2 * reference },
    { duration: '8m', target: 2 * reference },
  ],
  mix: RELOOP_PHASE_PLAN.mix,
  slos: [
    { id: 'all-p95', objective: 'latency', percentile: 95, maxMs: 2_000 },
    { id: 'errors', objective: 'error-rate', max: 0.01, windowMax: 0.1 },
    { id: 'achieved', objective: 'achieved-rate', min: 0.95 },
  ],
  sloWindow: '2m',
  expect: { 'backend-cpu': 'fire' },
  quick: { scale: 0.05, timeScale: 15 },
});

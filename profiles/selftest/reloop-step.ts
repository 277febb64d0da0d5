/**
 * For the self-test's late cases on the ReLoop HPA row: the backend's CPU steps from about 32 %
 * to about 89 % (0.8x to 2.2x the stack's reference peak) and holds, so it crosses the band
 * around the HPA's acting point (77 %, 73.2 to 80.9 %) at once and stays beyond it until the HPA
 * answers: ceil(3 x 89 / 70) = 4 replicas, about 67 % after. On the campaign profile the CPU
 * plateaus near 81 %, at the band's far edge, where lateness is not judged by design.
 */
import { defineProfile } from '../../src/plan/schema.ts';
import { RELOOP_PHASE_PLAN } from '../capacity.ts';
import reloopStack from '../stacks/reloop.ts';
import campaign from '../runs/reloop.ts';

const reference = reloopStack.referencePeakRps;

export default defineProfile({
  name: 'reloop-step',
  description: `ReLoop backend CPU steps from ~32 % to ~89 % (${0.8 * reference} to ${2.2 * reference} req/s) and holds`,
  stack: 'reloop',
  scenario: 'spike',
  startRate: 0.8 * reference,
  stages: [
    { duration: '1m', target: 0.8 * reference },
    { duration: '5s', target: 2.2 * reference },
    { duration: '8m', target: 2.2 * reference },
  ],
  mix: RELOOP_PHASE_PLAN.mix,
  // The campaign's own SLOs: the step must pass them when the HPA answers in time.
  slos: campaign.slos,
  sloWindow: campaign.sloWindow,
  expect: { 'backend-cpu': 'fire' },
  quick: { scale: 0.05, timeScale: 15 },
});

/**
 * Bench profile: flat open-model load at the Meqenet gateway with the capacity plan's mix, a
 * short ramp and a hold. `bench/run.ts` replaces the stages per step (runProfile's
 * `stagesOverride`) with `FLAT_SHAPE` at the step's rate; the stages below are the 1,000 req/s
 * step, so that `npm run spike -- --profile bench/profiles/flat.ts` style runs also work.
 *
 * The SLOs are the issue's: p99 within the spike profile's bound (4,000 ms, all requests) and
 * fewer than 0.5 % dropped iterations; errors are held to the spike profile's 1 % so that a
 * step answered by 503s does not count as sustained.
 */
import { defineProfile } from '../../src/plan/schema.ts';
import { MEQENET_CAPACITY_PLAN } from '../../profiles/capacity.ts';

/** Ramp and hold of one step, s (time scale 1). */
export const FLAT_SHAPE = { rampSeconds: 5, holdSeconds: 15 } as const;

/** The stages of one step at `rate` gateway req/s (scale 1.0). */
export function flatStages(rate: number): { startRate: number; stages: Array<{ duration: number; target: number }> } {
  return {
    startRate: 0,
    stages: [
      { duration: FLAT_SHAPE.rampSeconds, target: rate },
      { duration: FLAT_SHAPE.holdSeconds, target: rate },
    ],
  };
}

export default defineProfile({
  name: 'bench-flat',
  description: 'bench: flat open-model load at the gateway, Meqenet mix, short ramp and hold',
  stack: 'meqenet',
  scenario: 'spike',
  ...flatStages(1000),
  mix: MEQENET_CAPACITY_PLAN.mix,
  slos: [
    { id: 'all-p99', objective: 'latency', percentile: 99, maxMs: 4000 },
    { id: 'dropped', objective: 'dropped-iterations', max: 0.005 },
    { id: 'errors', objective: 'error-rate', max: 0.01 },
  ],
  sloWindow: '10s',
  timeScale: 1,
  scale: 1,
});

import { describe, expect, it } from 'vitest';
import { resolvePlan } from '../../src/plan/resolve.ts';
import { parseProfile } from '../../src/plan/load.ts';
import { HEADROOM, SPARE, iterationSeconds, queuedVus, shapedVus, vusFor } from '../../src/plan/vus.ts';
import meqenet from '../../profiles/stacks/meqenet.ts';

const profile = (extra: Record<string, unknown>) =>
  parseProfile('inline', {
    name: 'p',
    description: 'test',
    stages: [{ duration: '1m', target: 1000 }],
    mix: { login: 0.2, search: 0.4, checkout: 0.4 },
    ...extra,
  });
const opts = { runId: 'r', file: 'inline', targetUrl: 'http://127.0.0.1:9' };
const vus = (p: ReturnType<typeof profile>) => Object.fromEntries(resolvePlan(p, opts).scenarios.map((s) => [s.journey, [s.preAllocatedVUs, s.maxVUs]]));

describe("VUs by Little's law", () => {
  it("adds up the modeled mean service and database times of a journey's routes", () => {
    // credit-decision 240 + its database 20, checkout 40.
    expect(iterationSeconds(meqenet, ['POST /payments/credit-decision', 'POST /payments/checkout'])).toBeCloseTo(0.3, 9);
    expect(iterationSeconds(meqenet, ['GET /marketplace/search'])).toBeCloseTo(0.12, 9);
    // A route the stack does not model: the conservative iteration time.
    expect(iterationSeconds(meqenet, ['GET /nowhere'])).toBe(1.5);
  });

  it('sizes a plan where the stack has room by the mean, with headroom; max stays 4 s of iterations', () => {
    // 1000 req/s: login 200/s × 48 ms, search 400/s × 120 ms, checkout 200 it/s × 300 ms.
    expect(vus(profile({ expect: { 'auth-cpu': 'quiet' } }))).toEqual({
      login: [Math.ceil(200 * 0.048 * HEADROOM) + SPARE, 800],
      search: [Math.ceil(400 * 0.12 * HEADROOM) + SPARE, 1600],
      checkout: [Math.ceil(200 * 0.3 * HEADROOM) + SPARE, 800],
    });
  });

  it('keeps 1.5 s per iteration where the plan pushes the stack past a trigger or to its break', () => {
    const queued = { login: [300, 800], search: [600, 1600], checkout: [300, 800] };
    expect(vus(profile({ expect: { 'auth-cpu': 'fire' } }))).toEqual(queued);
    const slos = [{ id: 'all-p95', objective: 'latency', percentile: 95, maxMs: 2000 }];
    expect(vus(profile({ slos, breakpoint: { stopOn: ['all-p95'], breakWindows: 2, requiredRate: 1000 } }))).toEqual(queued);
  });

  it('sizes a shaped cohort for its slow link, not for the model', () => {
    expect(shapedVus(10)).toEqual({ preAllocatedVUs: 120, maxVUs: 320 });
    const p = profile({ expect: {}, cohorts: [{ name: 'slow', share: 1, network: 'rural-3g', saveData: true }] });
    const plan = resolvePlan(p, { ...opts, networkPresets: ['rural-3g', 'direct'] });
    expect(plan.scenarios.map((s) => s.preAllocatedVUs)).toEqual([2400, 3000, 2400]);
  });

  it('bounds every pool: at least 5 pre-allocated (SPARE more by the mean) and 20 max, at most 3,000 and 8,000', () => {
    expect(vusFor(0.1, 0.05)).toEqual({ preAllocatedVUs: 11, maxVUs: 22 });
    expect(queuedVus(0.1)).toEqual({ preAllocatedVUs: 5, maxVUs: 20 });
    expect(vusFor(1e6, 1)).toEqual({ preAllocatedVUs: 3000, maxVUs: 8000 });
    expect(queuedVus(100)).toEqual({ preAllocatedVUs: 150, maxVUs: 400 });
  });
});

import { describe, expect, it } from 'vitest';
import { targetIterations, targetRateAt, worstWindow, within } from '../../src/controller/slo-math.ts';
import { crossCheck } from '../../src/controller/verdict.ts';
import { combine } from '../../src/controller/types.ts';
import type { Plan } from '../../src/plan/types.ts';

describe('SLO math', () => {
  it('integrates ramping-arrival-rate stages, partially too', () => {
    const stages = [
      { durationSeconds: 10, target: 100 },
      { durationSeconds: 10, target: 100 },
    ];
    const plan = { scenarios: [{ journey: 'login', service: 'auth', cohort: 'direct', startRate: 0, requestsPerIteration: 1, stages }] } as unknown as Plan;
    expect(targetIterations(plan, {})).toBe(500 + 1000);
    expect(targetIterations(plan, {}, 5, 15)).toBe(((50 + 100) / 2) * 5 + 500);
    expect(targetIterations(plan, {}, 30, 40)).toBe(0);
    expect(targetIterations(plan, { journey: 'checkout' })).toBe(0);
  });

  it('gives the target request rate at an offset, counting requests per iteration', () => {
    const plan = { scenarios: [{ journey: 'checkout', service: 'payments', cohort: 'direct', startRate: 0, requestsPerIteration: 2, stages: [{ durationSeconds: 10, target: 50 }] }] } as unknown as Plan;
    expect(targetRateAt(plan, {}, 5)).toBe(50);
    expect(targetRateAt(plan, { journey: 'login' }, 5)).toBe(0);
    // The executor is over after its last stage: no planned rate, not the last target.
    expect(targetRateAt(plan, {}, 10)).toBe(100);
    expect(targetRateAt(plan, {}, 11)).toBe(0);
  });

  it('finds the worst window and skips windows without data', () => {
    const pts: Array<[number, number]> = [
      [10, 100],
      [11, NaN],
      [12, 450],
      [13, 200],
    ];
    expect(worstWindow(pts, 5, 'max')).toEqual({ value: 450, start: 7, end: 12 });
    expect(worstWindow(pts, 5, 'min')).toEqual({ value: 100, start: 5, end: 10 });
    expect(worstWindow([[1, NaN]], 5, 'max')).toBeNull();
  });

  it('judges bounds in both directions', () => {
    expect(within(100, 100, 'max')).toBe(true);
    expect(within(100.1, 100, 'max')).toBe(false);
    expect(within(0.94, 0.95, 'min')).toBe(false);
  });

  it('cross-checks request counts with a 1 % tolerance', () => {
    expect(crossCheck(1000, 1005).status).toBe('pass');
    expect(crossCheck(1000, 1020).status).toBe('inconclusive');
    expect(crossCheck(null, 1000).status).toBe('inconclusive');
  });

  it('combines statuses: fail beats inconclusive beats pass', () => {
    expect(combine(['pass', 'inconclusive', 'fail'])).toBe('fail');
    expect(combine(['pass', 'inconclusive'])).toBe('inconclusive');
    expect(combine(['pass'])).toBe('pass');
  });
});

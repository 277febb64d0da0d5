import { describe, expect, it } from 'vitest';
import {
  capacityTargetRate,
  futureCapacity,
  serviceTargets,
  type CapacityInputsInput,
} from '../../src/plan/capacity.ts';
import { phaseTargetRate, phaseTargets, usersToRate } from '../../src/plan/phases.ts';
import { formatPlan } from '../../src/plan/capacity-format.ts';
import { InputError } from '../../src/errors.ts';
import { MEQENET_CAPACITY_PLAN, RELOOP_PHASE_PLAN } from '../../profiles/capacity.ts';
import { builtInStack } from '../../src/stack/stacks.ts';

const base: CapacityInputsInput = {
  currentPeakRps: 10_000,
  dailyActiveUsers: 100_000,
  monthlyGrowth: 0.05,
  months: 6,
  seasonalFactor: 2,
  featureInteractionFactor: 1.3,
  safetyFactor: 2,
};
const BASE_RATE = 10_000 * 1.05 ** 6 * 2 * 1.3 * 2;

describe('futureCapacity', () => {
  it('applies the plan formula to the seed numbers', () => {
    const f = futureCapacity(base);
    expect(f.rate).toBeCloseTo(BASE_RATE, 6);
    expect(f.rate).toBeCloseTo(69_684.97, 1);
    expect(f.factors.map((x) => x.key)).toEqual([
      'currentPeakRps',
      'growth',
      'seasonalFactor',
      'featureInteractionFactor',
      'safetyFactor',
    ]);
    expect(f.factors[1]?.value).toBeCloseTo(1.05 ** 6, 12);
    expect(f.factors.at(-1)?.rateAfter).toBeCloseTo(f.rate, 9);
    expect(f.warnings).toEqual([]);
  });

  it.each([
    ['currentPeakRps', 12_500, 12_500 / 10_000],
    ['seasonalFactor', 3, 3 / 2],
    ['featureInteractionFactor', 1.5, 1.5 / 1.3],
    ['safetyFactor', 2.5, 2.5 / 2],
    ['monthlyGrowth', 0.1, 1.1 ** 6 / 1.05 ** 6],
    ['months', 12, 1.05 ** 12 / 1.05 ** 6],
  ] as const)('changing %s to %s scales the target by exactly its factor', (key, value, ratio) => {
    const f = futureCapacity({ ...base, [key]: value });
    expect(f.rate / BASE_RATE).toBeCloseTo(ratio, 12);
  });

  it('uses documented defaults for omitted inputs', () => {
    const f = futureCapacity({ currentPeakRps: 10_000 });
    expect(f.inputs).toMatchObject({ monthlyGrowth: 0.05, months: 6, seasonalFactor: 2, featureInteractionFactor: 1.3, safetyFactor: 2 });
    expect(f.rate).toBeCloseTo(BASE_RATE, 6);
  });

  it('zero growth or zero months leaves only the multipliers', () => {
    expect(futureCapacity({ ...base, months: 0 }).rate).toBeCloseTo(10_000 * 5.2, 9);
    expect(futureCapacity({ ...base, monthlyGrowth: 0 }).rate).toBeCloseTo(10_000 * 5.2, 9);
  });

  it('rejects negative and non-numeric inputs, naming key and value', () => {
    expect(() => futureCapacity({ ...base, monthlyGrowth: -0.1 })).toThrow(InputError);
    expect(() => futureCapacity({ ...base, monthlyGrowth: -0.1 })).toThrow('capacity inputs: monthlyGrowth: must be zero or more (got -0.1)');
    expect(() => futureCapacity({ ...base, currentPeakRps: '10k' as unknown as number })).toThrow(
      'capacity inputs: currentPeakRps: must be a number more than 0 (got "10k")',
    );
    expect(() => futureCapacity({ ...base, seasonalFactor: 0 })).toThrow('seasonalFactor: must be more than 0 (got 0)');
    expect(() => futureCapacity({ ...base, months: 2.5 })).toThrow('months: must be a whole number of months (got 2.5)');
    expect(() => futureCapacity({ ...base, tps: 1 } as CapacityInputsInput)).toThrow('capacity inputs: tps: unknown key');
  });

  it('warns, but does not fail, on a safety factor outside 2..3', () => {
    expect(futureCapacity({ ...base, safetyFactor: 1.5 }).warnings).toEqual([
      "safetyFactor 1.5 is outside the plan's typical 2.0-3.0",
    ]);
    expect(futureCapacity({ ...base, safetyFactor: 3.5 }).warnings).toHaveLength(1);
    expect(futureCapacity({ ...base, safetyFactor: 3 }).warnings).toEqual([]);
  });
});

describe('serviceTargets', () => {
  const journeys = builtInStack('meqenet').journeys;
  const mix = { login: 0.15, search: 0.5, checkout: 0.2, rewards: 0.15 };

  it('splits the gateway rate by the mix; checkout sends 2 requests per iteration', () => {
    const t = serviceTargets(10_000, mix, journeys);
    expect(t.services.auth?.reqPerSec).toBeCloseTo(1500, 9);
    expect(t.services.marketplace?.reqPerSec).toBeCloseTo(5000, 9);
    expect(t.services.payments?.reqPerSec).toBeCloseTo(2000, 9);
    expect(t.services.payments?.itersPerSec).toBeCloseTo(1000, 9);
    expect(t.journeys.checkout).toMatchObject({ service: 'payments', requestsPerIteration: 2 });
    const total = Object.values(t.services).reduce((a, s) => a + s.reqPerSec, 0);
    expect(total).toBeCloseTo(10_000, 9);
  });

  it('normalises weights', () => {
    const t = serviceTargets(1000, { login: 1, search: 3 }, journeys);
    expect(t.journeys.login?.share).toBe(0.25);
    expect(t.journeys.search?.reqPerSec).toBe(750);
  });

  it('rejects unknown journeys, negative shares and an all-zero mix', () => {
    expect(() => serviceTargets(1, { browse: 1 }, journeys)).toThrow(
      'mix: browse: unknown journey; valid: login, search, checkout, rewards (got 1)',
    );
    expect(() => serviceTargets(1, { login: -1 }, journeys)).toThrow('mix: login: a share must be zero or more (got -1)');
    expect(() => serviceTargets(1, { login: 0 }, journeys)).toThrow('must add up to more than 0');
    expect(() => serviceTargets(-5, mix, journeys)).toThrow('rate: must be zero or more req/s (got -5)');
  });
});

describe('growth phases (ReLoop)', () => {
  it('converts users to req/s with the documented assumption', () => {
    expect(usersToRate(10_000, { peakConcurrentShare: 0.02, requestsPerUserPerMinute: 6 })).toBeCloseTo(20, 12);
  });

  it('sizes each phase for its upper end, the open phase for its start', () => {
    const t = phaseTargets(RELOOP_PHASE_PLAN);
    expect(t.map((p) => [p.id, p.designUsers, p.rate])).toEqual([
      ['phase1', 10_000, 20],
      ['phase2', 50_000, 100],
      ['phase3', 200_000, 400],
      ['phase4', 200_000, 400],
    ]);
    expect(t[3]?.openEnded).toBe(true);
    expect(t[1]?.resources.servers).toBe('3');
    expect(phaseTargetRate('phase2')).toBe(100);
    expect(() => phaseTargetRate('phase9')).toThrow('unknown phase "phase9"; valid: phase1, phase2, phase3, phase4');
  });

  it('rejects a phase whose users go backwards', () => {
    const bad = { ...RELOOP_PHASE_PLAN, phases: [{ ...RELOOP_PHASE_PLAN.phases[0]!, usersTo: 500 }] };
    expect(() => phaseTargets(bad)).toThrow('phase plan: phases[0].usersTo: usersTo must be more than usersFrom (got 500)');
  });
});

describe('capacityTargetRate and formatPlan', () => {
  it('gives load profiles their targets from the plan', () => {
    expect(capacityTargetRate('current')).toBe(10_000);
    expect(capacityTargetRate('seasonal')).toBe(20_000);
    expect(capacityTargetRate('future')).toBeCloseTo(BASE_RATE, 6);
  });

  it('prints inputs, the formula with numbers and per-service targets', () => {
    const text = formatPlan(MEQENET_CAPACITY_PLAN, RELOOP_PHASE_PLAN);
    expect(text).toContain('= 10,000 x (1 + 0.05)^6 x 2 x 1.3 x 2');
    expect(text).toContain('= 69,685 req/s');
    expect(text).toMatch(/payments\s+2,500 \(1,250 it\/s\)/);
    expect(text).toMatch(/phase3\s+18-36\s+50,000-200,000/);
    expect(formatPlan(MEQENET_CAPACITY_PLAN, null)).not.toContain('Growth phases');
  });
});

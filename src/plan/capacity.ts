/**
 * Capacity plans: the Meqenet formula (seed 000, §2) and ReLoop's growth phases (seed 002), turned
 * into gateway, per-journey and per-service target rates. Pure functions over validated data
 * from profiles/capacity.ts; `formatPlan` renders what `npm run plan` prints.
 *
 *   Future Capacity = Current Peak x (1 + monthly growth)^months x Seasonal x Feature Interaction x Safety
 *
 * Safety outside the plan's 2.0-3.0 is a warning, not an error: a lower factor is a deliberate
 * choice someone may make for a test, and the plan says "typically". Negative, zero (for the
 * multipliers) or non-numeric inputs are errors naming the key and the value.
 */
import { z } from 'zod';
import { inputError, parseInput } from '../errors.ts';
import { StackNameSchema } from './schema.ts';
import type { JourneySpec } from '../stack/module.ts';
import { MEQENET_CAPACITY_PLAN } from '../../profiles/capacity.ts';

export const num = (rule: string) => z.number({ error: `must be a number ${rule}` });
const multiplier = () => num('more than 0').positive('must be more than 0');

/** Defaults for the optional inputs, in one place. */
export const CAPACITY_DEFAULTS = {
  /** 5 % a month: a conservative middle for a young BNPL product; the plan gives no forecast. */
  monthlyGrowth: 0.05,
  months: 6,
  seasonalFactor: 2.0,
  featureInteractionFactor: 1.3,
  safetyFactor: 2.0,
} as const;

/** The plan's typical safety range; outside it is a warning. */
export const SAFETY_RANGE = [2, 3] as const;

export const CapacityInputsSchema = z.strictObject({
  /** Measured peak at the API gateway, req/s (one gateway request = one transaction). */
  currentPeakRps: num('more than 0').positive('must be more than 0 req/s'),
  /** Daily active users; informational, shown in the plan. */
  dailyActiveUsers: num('of users').int('must be a whole number').nonnegative('must be zero or more').optional(),
  /** Projected growth per month as a fraction (0.05 = 5 %). @default 0.05 */
  monthlyGrowth: num('(a fraction, 0.05 = 5 %)')
    .nonnegative('must be zero or more')
    .default(CAPACITY_DEFAULTS.monthlyGrowth),
  /** Planning horizon, months. @default 6 */
  months: num('of months')
    .int('must be a whole number of months')
    .nonnegative('must be zero or more')
    .default(CAPACITY_DEFAULTS.months),
  /** Multiplier for Ethiopian peak seasons (holidays). @default 2.0 */
  seasonalFactor: multiplier().default(CAPACITY_DEFAULTS.seasonalFactor),
  /** Multiplier for cross-feature usage. @default 1.3 */
  featureInteractionFactor: multiplier().default(CAPACITY_DEFAULTS.featureInteractionFactor),
  /** Buffer for unexpected surges, typically 2.0-3.0. @default 2.0 */
  safetyFactor: multiplier().default(CAPACITY_DEFAULTS.safetyFactor),
});
export type CapacityInputs = z.infer<typeof CapacityInputsSchema>;
export type CapacityInputsInput = z.input<typeof CapacityInputsSchema>;

/** Share of gateway requests per journey (weights, normalised to sum 1). */
export const MixSchema = z.record(z.string(), num('(a share)').nonnegative('a share must be zero or more'));
export type Mix = z.infer<typeof MixSchema>;

export const CapacityPlanSchema = z.strictObject({
  stack: StackNameSchema,
  /** Where the numbers come from, quoted in the plan. */
  source: z.string(),
  inputs: CapacityInputsSchema,
  mix: MixSchema,
});
export type CapacityPlan = z.infer<typeof CapacityPlanSchema>;
export type CapacityPlanInput = z.input<typeof CapacityPlanSchema>;


export interface CapacityFactor {
  key: 'currentPeakRps' | 'growth' | 'seasonalFactor' | 'featureInteractionFactor' | 'safetyFactor';
  label: string;
  /** The factor's multiplier; for `currentPeakRps`, the starting rate in req/s. */
  value: number;
  /** Rate after this factor and all before it, req/s. */
  rateAfter: number;
}

export interface FutureCapacity {
  inputs: CapacityInputs;
  /** Future capacity, gateway req/s. */
  rate: number;
  factors: CapacityFactor[];
  warnings: string[];
}

/** Applies the plan's formula; throws an InputError naming any bad key and value. */
export function futureCapacity(inputs: CapacityInputsInput, where = 'capacity inputs'): FutureCapacity {
  const i = parseInput(CapacityInputsSchema, inputs, where);
  const steps: Array<[CapacityFactor['key'], string, number]> = [
    ['currentPeakRps', 'current peak', i.currentPeakRps],
    ['growth', `growth (1 + ${i.monthlyGrowth})^${i.months}`, (1 + i.monthlyGrowth) ** i.months],
    ['seasonalFactor', 'seasonal', i.seasonalFactor],
    ['featureInteractionFactor', 'feature interaction', i.featureInteractionFactor],
    ['safetyFactor', 'safety', i.safetyFactor],
  ];
  let rate = 1;
  const factors = steps.map(([key, label, value]) => {
    rate *= value;
    return { key, label, value, rateAfter: rate };
  });
  const warnings: string[] = [];
  const [lo, hi] = SAFETY_RANGE;
  if (i.safetyFactor < lo || i.safetyFactor > hi) {
    warnings.push(`safetyFactor ${i.safetyFactor} is outside the plan's typical ${lo}.0-${hi}.0`);
  }
  for (const key of ['seasonalFactor', 'featureInteractionFactor'] as const) {
    if (i[key] < 1) warnings.push(`${key} ${i[key]} is below 1 and lowers the target`);
  }
  if (i.monthlyGrowth >= 1) {
    warnings.push(`monthlyGrowth ${i.monthlyGrowth} is a fraction per month: it means ${i.monthlyGrowth * 100} % a month`);
  }
  return { inputs: i, rate, factors, warnings };
}

export interface JourneyTarget {
  journey: string;
  service: string;
  /** Normalised share of gateway requests, 0..1. */
  share: number;
  requestsPerIteration: number;
  reqPerSec: number;
  itersPerSec: number;
}

export interface ServiceTarget {
  service: string;
  reqPerSec: number;
  itersPerSec: number;
  journeys: string[];
}

export interface ServiceTargets {
  /** Gateway rate split, req/s. */
  rate: number;
  journeys: Record<string, JourneyTarget>;
  services: Record<string, ServiceTarget>;
}

/**
 * Splits a gateway rate (req/s) by the traffic mix into per-journey req/s and iterations/s
 * (req/s divided by the journey's requests per iteration) and per-service sums.
 */
export function serviceTargets(
  rate: number,
  mix: Mix,
  journeys: Record<string, JourneySpec>,
  where = 'mix',
): ServiceTargets {
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
    throw inputError(where, 'rate', rate, 'must be zero or more req/s');
  }
  const shares = parseInput(MixSchema, mix, where);
  const valid = Object.keys(journeys);
  for (const name of Object.keys(shares)) {
    if (!journeys[name]) {
      throw inputError(where, name, shares[name], `unknown journey; valid: ${valid.join(', ')}`);
    }
  }
  const total = Object.values(shares).reduce((a, b) => a + b, 0);
  if (total <= 0) throw inputError(where, '(root)', mix, 'the shares must add up to more than 0');
  const out: ServiceTargets = { rate, journeys: {}, services: {} };
  for (const [name, weight] of Object.entries(shares)) {
    const spec = journeys[name] as JourneySpec;
    const share = weight / total;
    const reqPerSec = rate * share;
    const itersPerSec = reqPerSec / spec.requests;
    const service = spec.service;
    out.journeys[name] = { journey: name, service, share, requestsPerIteration: spec.requests, reqPerSec, itersPerSec };
    const svc = (out.services[service] ??= { service, reqPerSec: 0, itersPerSec: 0, journeys: [] });
    svc.reqPerSec += reqPerSec;
    svc.itersPerSec += itersPerSec;
    svc.journeys.push(name);
  }
  return out;
}

/**
 * A gateway target rate for load profiles, req/s at scale 1: `current` is the measured peak,
 * `seasonal` the peak on a holiday (current x seasonal), `future` the full formula.
 */
export function capacityTargetRate(
  kind: 'current' | 'seasonal' | 'future',
  plan: CapacityPlanInput = MEQENET_CAPACITY_PLAN,
): number {
  const f = futureCapacity(plan.inputs);
  if (kind === 'current') return f.inputs.currentPeakRps;
  if (kind === 'seasonal') return f.inputs.currentPeakRps * f.inputs.seasonalFactor;
  return f.rate;
}

/** The capacity plan's seasonal factor (2.0), the default holiday surge. */
export function defaultSeasonalFactor(plan: CapacityPlanInput = MEQENET_CAPACITY_PLAN): number {
  return futureCapacity(plan.inputs).inputs.seasonalFactor;
}

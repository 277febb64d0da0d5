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
import { InputError, formatValue } from '../errors.ts';
import { StackNameSchema } from './schema.ts';
import type { JourneySpec } from '../../profiles/journeys.ts';
import { MEQENET_CAPACITY_PLAN, RELOOP_PHASE_PLAN } from '../../profiles/capacity.ts';

const num = (rule: string) => z.number({ error: `must be a number ${rule}` });
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

const PhaseSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
    /** Months since launch, as the plan states them, e.g. `6-18`. */
    months: z.string(),
    usersFrom: num('of users').int('must be a whole number').positive('must be more than 0'),
    /** Upper end of the phase; null when the plan leaves it open (200K+). */
    usersTo: num('of users').int('must be a whole number').positive('must be more than 0').nullable(),
    practices: z.array(z.string()),
    /** The plan's resource requirements, verbatim. */
    resources: z.strictObject({
      servers: z.string(),
      cpu: z.string(),
      memory: z.string(),
      storage: z.string(),
      bandwidth: z.string(),
    }),
  })
  .refine((p) => p.usersTo === null || p.usersTo > p.usersFrom, {
    message: 'usersTo must be more than usersFrom',
    path: ['usersTo'],
  });

export const PhasePlanSchema = z.strictObject({
  stack: StackNameSchema,
  source: z.string(),
  /** How registered users become gateway req/s at the daily peak. */
  conversion: z.strictObject({
    /** Fraction of registered users in the app at once at the daily peak, 0..1. */
    peakConcurrentShare: num('from 0 to 1').gt(0, 'must be more than 0').max(1, 'must be at most 1'),
    /** API requests one active user sends per minute. */
    requestsPerUserPerMinute: num('more than 0').positive('must be more than 0'),
  }),
  mix: MixSchema,
  phases: z.array(PhaseSchema).min(1, 'needs at least one phase'),
});
export type PhasePlan = z.infer<typeof PhasePlanSchema>;
export type PhasePlanInput = z.input<typeof PhasePlanSchema>;

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
  const i = parse(CapacityInputsSchema, inputs, where);
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
    throw new InputError(`${where}: rate: must be zero or more req/s (got ${formatValue(rate)})`);
  }
  const shares = parse(MixSchema, mix, where);
  const valid = Object.keys(journeys);
  for (const name of Object.keys(shares)) {
    if (!journeys[name]) {
      const got = formatValue(shares[name]);
      throw new InputError(`${where}: ${name}: unknown journey; valid: ${valid.join(', ')} (got ${got})`);
    }
  }
  const total = Object.values(shares).reduce((a, b) => a + b, 0);
  if (total <= 0) throw new InputError(`${where}: the shares must add up to more than 0 (got ${formatValue(mix)})`);
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

export interface PhaseTarget {
  id: string;
  months: string;
  usersFrom: number;
  usersTo: number | null;
  /** Users the phase must carry: its upper end, or its start when open-ended. */
  designUsers: number;
  openEnded: boolean;
  peakConcurrentUsers: number;
  /** Gateway req/s at the phase's start. */
  entryRate: number;
  /** Gateway req/s at `designUsers`: the phase's target. */
  rate: number;
  practices: string[];
  resources: PhasePlan['phases'][number]['resources'];
}

/** Registered users to gateway req/s at the daily peak: users x concurrent share x req/user/min / 60. */
export function usersToRate(users: number, conversion: PhasePlan['conversion']): number {
  return (users * conversion.peakConcurrentShare * conversion.requestsPerUserPerMinute) / 60;
}

/** Each growth phase's target rate; a phase is sized for its upper end (it must carry it). */
export function phaseTargets(plan: PhasePlanInput = RELOOP_PHASE_PLAN, where = 'phase plan'): PhaseTarget[] {
  const p = parse(PhasePlanSchema, plan, where);
  return p.phases.map((ph) => {
    const designUsers = ph.usersTo ?? ph.usersFrom;
    return {
      id: ph.id,
      months: ph.months,
      usersFrom: ph.usersFrom,
      usersTo: ph.usersTo,
      designUsers,
      openEnded: ph.usersTo === null,
      peakConcurrentUsers: designUsers * p.conversion.peakConcurrentShare,
      entryRate: usersToRate(ph.usersFrom, p.conversion),
      rate: usersToRate(designUsers, p.conversion),
      practices: ph.practices,
      resources: ph.resources,
    };
  });
}

/** One phase's target gateway rate, req/s; throws an InputError listing the phase ids. */
export function phaseTargetRate(phaseId: string, plan: PhasePlanInput = RELOOP_PHASE_PLAN): number {
  const targets = phaseTargets(plan);
  const found = targets.find((t) => t.id === phaseId);
  if (!found) {
    throw new InputError(`unknown phase ${JSON.stringify(phaseId)}; valid: ${targets.map((t) => t.id).join(', ')}`);
  }
  return found.rate;
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

export function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const lines = r.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.') || '(root)';
    if (issue.code === 'unrecognized_keys') {
      return `${where}: ${issue.keys.map((k) => (key === '(root)' ? k : `${key}.${k}`)).join(', ')}: unknown key`;
    }
    return `${where}: ${key}: ${issue.message} (got ${formatValue(at(value, issue.path))})`;
  });
  throw new InputError(lines.join('\n'));
}

function at(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

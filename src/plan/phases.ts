/**
 * ReLoop's growth phases as a second capacity plan: each phase's user range, the plan's
 * resources, and the gateway rate it must carry (users converted to req/s at the daily peak).
 */
import { z } from 'zod';
import { InputError, parseInput } from '../errors.ts';
import { StackNameSchema } from './schema.ts';
import { MixSchema, num } from './capacity.ts';
import { RELOOP_PHASE_PLAN } from '../../profiles/capacity.ts';

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
  const p = parseInput(PhasePlanSchema, plan, where);
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

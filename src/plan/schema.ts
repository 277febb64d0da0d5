/**
 * The one schema for profiles, SLOs and scaling triggers. It gives the runtime check (zod),
 * the TypeScript types and, through `z.toJSONSchema`, a JSON Schema for editors.
 * Every object is strict: an unknown key is an error, not something quietly ignored.
 */
import { z } from 'zod';

/** A duration: seconds as a number, or a string such as `90s`, `5m`, `1.5h`, `500ms`. */
export const DurationSchema = z.union([
  z.number().nonnegative('must be zero or more seconds'),
  z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'must look like 500ms, 30s, 5m or 1h'),
]);
export type Duration = z.infer<typeof DurationSchema>;

/** Converts a duration to seconds. */
export function toSeconds(d: Duration): number {
  if (typeof d === 'number') return d;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d);
  if (!m) throw new Error(`not a duration: ${d}`);
  const n = Number(m[1]);
  const unit = m[2];
  return unit === 'ms' ? n / 1000 : unit === 's' ? n : unit === 'm' ? n * 60 : n * 3600;
}

/** A stack's name (its module's `name`): open, so that a user's own stack needs no change here. */
export const StackNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');
export type StackName = z.infer<typeof StackNameSchema>;

/** One load stage: reach `target` gateway requests/s (at scale 1.0) over `duration`. */
export const StageSchema = z.strictObject({
  /** Stage length at time scale 1. */
  duration: DurationSchema,
  /** Gateway request rate to reach by the end of the stage, req/s at scale 1.0. */
  target: z.number().nonnegative('a rate must be zero or more req/s'),
});
export type Stage = z.infer<typeof StageSchema>;

/** A client cohort: a share of the traffic that reaches the gateway through a network preset. */
export const CohortSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  /** Fraction of all traffic, 0..1; the shares of a profile add up to 1. */
  share: z.number().gt(0, 'must be more than 0').max(1, 'must be at most 1'),
  /** A network preset name from profiles/network.ts, or `direct` for no shaping. */
  network: z.string().default('direct'),
  /** Ask the stack for its lighter payload (`Save-Data: on`). */
  saveData: z.boolean().default(false),
  /** Largest response body a request of this cohort may bring, bytes (checked in k6). */
  maxResponseBytes: z.number().positive().optional(),
});
export type Cohort = z.infer<typeof CohortSchema>;

const ScopeSchema = z.strictObject({
  journey: z.string().optional(),
  service: z.string().optional(),
  cohort: z.string().optional(),
});
export type Scope = z.infer<typeof ScopeSchema>;

/**
 * A service-level objective, judged from Prometheus over the whole run and over the worst
 * sliding window of `sloWindow`.
 */
export const SloSchema = z.discriminatedUnion('objective', [
  z.strictObject({
    id: z.string(),
    objective: z.literal('latency'),
    /** Percentile, e.g. 95 or 99. */
    percentile: z.number().gt(0).lt(100),
    /** Upper bound, ms. */
    maxMs: z.number().positive('must be more than 0 ms'),
    /** Upper bound for the worst sliding window, ms; defaults to `maxMs`. */
    windowMaxMs: z.number().positive('must be more than 0 ms').optional(),
    scope: ScopeSchema.default({}),
  }),
  z.strictObject({
    id: z.string(),
    objective: z.literal('error-rate'),
    /** Upper bound on failed/total requests, 0..1. */
    max: z.number().min(0).max(1),
    /** Upper bound for the worst sliding window, 0..1; defaults to `max`. */
    windowMax: z.number().min(0).max(1).optional(),
    scope: ScopeSchema.default({}),
  }),
  z.strictObject({
    id: z.string(),
    objective: z.literal('achieved-rate'),
    /** Lower bound on achieved/target iterations, 0..1. */
    min: z.number().min(0).max(1),
    scope: ScopeSchema.default({}),
  }),
  z.strictObject({
    id: z.string(),
    objective: z.literal('dropped-iterations'),
    /** Upper bound on dropped/scheduled iterations, 0..1. */
    max: z.number().min(0).max(1),
    scope: ScopeSchema.default({}),
  }),
  /** Mean response body per request (the byte budget of slow links), bytes. */
  z.strictObject({
    id: z.string(),
    objective: z.literal('response-bytes'),
    maxBytes: z.number().positive(),
    scope: ScopeSchema.default({}),
  }),
  /** Soak drift: slope of the windowed p95 over the run, ms per hour (at time scale 1). */
  z.strictObject({
    id: z.string(),
    objective: z.literal('latency-slope'),
    maxMsPerHour: z.number().nonnegative(),
    scope: ScopeSchema.default({}),
  }),
  /** Soak drift: error ratio of the last third of the run minus that of the first third. */
  z.strictObject({
    id: z.string(),
    objective: z.literal('error-creep'),
    max: z.number().min(0).max(1),
    scope: ScopeSchema.default({}),
  }),
  /** Soak drift: growth of the stack's memory per hour (at time scale 1), % of its start. */
  z.strictObject({
    id: z.string(),
    objective: z.literal('memory-growth'),
    maxPercentPerHour: z.number().nonnegative(),
    /** Deployment whose memory is watched; all of them when omitted. */
    scope: ScopeSchema.default({}),
  }),
]);
export type Slo = z.infer<typeof SloSchema>;

/** What a trigger promises to do when its condition has held for its `for` window. */
export const TriggerActionSchema = z.discriminatedUnion('type', [
  /** Add `count` replicas to the trigger's service. */
  z.strictObject({ type: z.literal('add-instances'), count: z.number().int().positive() }),
  /** Add `count` queue workers (replicas of a consumer deployment). */
  z.strictObject({
    type: z.literal('add-workers'),
    count: z.number().int().positive(),
    deployment: z.string(),
  }),
  /** Page a human; no scaling is expected (e.g. the primary database: investigate). */
  z.strictObject({ type: z.literal('alert'), note: z.string() }),
  /**
   * Kubernetes HPA on a utilization target: desired = ceil(current * observed / threshold),
   * so any scale-up counts, bounded by min/max replicas.
   */
  z.strictObject({ type: z.literal('hpa') }),
]);
export type TriggerAction = z.infer<typeof TriggerActionSchema>;

export const SignalSchema = z.enum(['cpu', 'memory', 'latency', 'queue']);
export type Signal = z.infer<typeof SignalSchema>;

/** One row of a plan's scaling-trigger table. */
export const TriggerSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  /** Deployment the condition is measured on. */
  service: z.string(),
  signal: SignalSchema,
  /** For `latency`: the route, e.g. `POST /auth/login`; omitted means all of the service. */
  route: z.string().optional(),
  /** For `latency`: the percentile judged. */
  percentile: z.number().gt(0).lt(100).default(95),
  /** For `queue`: the queue or topic name. */
  queue: z.string().optional(),
  op: z.enum(['>', '<']).default('>'),
  /** In the signal's unit: % for cpu and memory, ms for latency, messages for queue. */
  threshold: z.number().nonnegative(),
  /** How long the condition must hold before the trigger fires, at time scale 1. */
  for: DurationSchema.default(0),
  action: TriggerActionSchema,
  minReplicas: z.number().int().positive().default(1),
  maxReplicas: z.number().int().positive().default(10),
  /** Where the promise comes from, quoted for reports. */
  source: z.string(),
});
export type Trigger = z.infer<typeof TriggerSchema>;
export type TriggerInput = z.input<typeof TriggerSchema>;

/** Which triggers a profile expects to fire (`fire`), not to fire (`quiet`), or ignores. */
export const ExpectationSchema = z.enum(['fire', 'quiet', 'any']);
export type Expectation = z.infer<typeof ExpectationSchema>;

export const ProfileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  description: z.string(),
  /** A built-in stack's name (profiles/stacks/) or a path to a stack module, relative to this file. */
  stack: z.string().min(1).default('meqenet'),
  /** k6 script in scenarios/ (without .ts); defaults to the profile's name. */
  scenario: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).optional(),
  /** Run the evening of this holiday (see src/plan/calendar.ts) instead of `stages`. */
  holiday: z.strictObject({ name: z.string(), year: z.number().int().min(1901).max(2098) }).optional(),
  /** Gateway rate when the load starts, req/s at scale 1.0 (the first stage ramps from it). */
  startRate: z.number().nonnegative('a rate must be zero or more req/s').default(0),
  /** Open-model load at the gateway, req/s at scale 1.0. */
  stages: z.array(StageSchema).min(1, 'needs at least one stage'),
  /** Share of gateway requests per journey (weights; normalised). */
  mix: z.record(z.string(), z.number().nonnegative('a share must be zero or more')),
  cohorts: z.array(CohortSchema).min(1).default([{ name: 'direct', share: 1, network: 'direct', saveData: false }]),
  slos: z.array(SloSchema).default([]),
  /** Sliding window for worst-window SLO judgement, at time scale 1. */
  sloWindow: DurationSchema.default('1m'),
  /** Expected outcome per trigger id; triggers not named are `any`. */
  expect: z.record(z.string(), ExpectationSchema).default({}),
  /** Default time compression; `--time-scale` overrides. */
  timeScale: z.number().positive().default(1),
  /**
   * Rate/capacity scale; `--scale` overrides. When omitted: 1, except for full runs against
   * the embedded stack, which use a rate one machine can generate (see src/run).
   */
  scale: z.number().positive().optional(),
  /**
   * Breakpoint profiles ramp until an SLO breaks: k6 is stopped once any of these SLOs has
   * been broken for `breakWindows` consecutive windows, and the verdict reports the
   * sustainable rate and its headroom against `requiredRate` (gateway req/s at scale 1).
   */
  breakpoint: z
    .strictObject({
      stopOn: z.array(z.string()).min(1),
      breakWindows: z.number().int().positive().default(2),
      requiredRate: z.number().positive(),
    })
    .optional(),
  /** Fraction of the quick run kept (for `--quick`): stages are compressed to fit 60 s. */
  quick: z
    .strictObject({
      timeScale: z.number().positive(),
      scale: z.number().positive(),
    })
    .optional(),
});
export type Profile = z.infer<typeof ProfileSchema>;
export type ProfileInput = z.input<typeof ProfileSchema>;

/** Helper for profile files: typed input, validated later by the loader. */
export function defineProfile(p: ProfileInput): ProfileInput {
  return p;
}

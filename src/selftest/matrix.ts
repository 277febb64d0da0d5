/**
 * The self-test's fault matrix, as data: each case is one quick run against the embedded stack
 * with the faults it injects and the detection the finished harness must give (a row and its
 * outcome), or `pass` for a clean run. `quick: true` cases form the reduced matrix of
 * `selftest --quick`. A late fault's delay may be written in graces (`late:<trigger>:2xgrace`):
 * it is converted to wall seconds from the grace the controller derives for that trigger's row.
 */
import { z } from 'zod';

/** What a row must say: `trigger:<id>` with a trigger outcome, or `slo:<id>` with `fail`. */
export const ExpectedSchema = z.union([
  z.literal('pass'),
  z.strictObject({
    row: z.string().regex(/^(trigger|slo):[a-z0-9][a-z0-9-]*$/, 'must be trigger:<id> or slo:<id>'),
    outcome: z.string().min(1),
  }),
]);
export type Expected = z.infer<typeof ExpectedSchema>;

export const SelftestCaseSchema = z.strictObject({
  /** Unique, used for folder names. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  /** What the case exercises, for grouping: a signal kind, the autoscaler switched off, a stack fault, nothing. */
  kind: z.enum(['cpu', 'latency', 'queue', 'hpa', 'no-autoscale', 'stack', 'clean']),
  /** A profile name (profiles/runs) or a path. */
  profile: z.string().min(1),
  /** `--fault` texts; `late:<trigger>:<n>xgrace` is n graces of that trigger's row. */
  faults: z.array(z.string().min(1)).default([]),
  /** Runs with `--no-autoscale`. */
  noAutoscale: z.boolean().default(false),
  /** More `run` flags, e.g. `--duration 10m`. */
  args: z.array(z.string()).default([]),
  expect: ExpectedSchema,
  /** Part of the reduced matrix (`--quick`). */
  quick: z.boolean().default(false),
  /** Why the expectation holds, one line. */
  why: z.string().default(''),
});
export type SelftestCase = z.infer<typeof SelftestCaseSchema>;
export type SelftestCaseInput = z.input<typeof SelftestCaseSchema>;

export const MatrixSchema = z
  .array(SelftestCaseSchema)
  .min(1)
  .superRefine((cases, ctx) => {
    const seen = new Set<string>();
    cases.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `case id "${c.id}" is used twice` });
      seen.add(c.id);
    });
  });

const fired = (id: string, outcome: string): Expected => ({ row: `trigger:${id}`, outcome });
const slo = (id: string): Expected => ({ row: `slo:${id}`, outcome: 'fail' });

/** One autoscaler signal kind: its trigger, its profile and the step a short fault gives. */
interface SignalRow {
  kind: 'cpu' | 'latency' | 'queue' | 'hpa';
  trigger: string;
  profile: string;
  /**
   * The profile of the late cases when not `profile`: one whose signal crosses its measurement
   * band at once and holds beyond it, so that lateness is judged (inside the band it is not).
   */
  lateProfile?: string;
  /**
   * The delay, in graces, that must still pass. The grace adds up the worst case of each
   * measurement term (sync, scrapes, windows), and a clean run already uses part of it: a
   * delay passes for sure only while it and the run's own measured lag stay under the grace.
   */
  tolerated: { graces: number; label: string; why: string };
  /** `short:<trigger>:<n>` and what the row then says. */
  short: { count: number; outcome: string };
  /** The one case of this row in the reduced matrix. */
  quickCase: string;
}

const HALF = { graces: 0.5, label: 'half-grace', why: 'half a grace late is within the grace: clean lags on this row stay under a third of it' };
// Measured on the step profiles: clean lags of 0.6-0.8 s of auth-cpu's 1.5 s grace and 0.8-1.8 s
// of backend-cpu's 3.0 s (the HPA syncs once a second of wall clock at time scale 15).
const QUARTER = { graces: 0.25, label: 'quarter-grace', why: 'a quarter grace late is within the grace: clean lags on this row use up to 60 % of it' };

const SIGNALS: SignalRow[] = [
  { kind: 'cpu', trigger: 'auth-cpu', profile: 'spike', lateProfile: 'profiles/selftest/auth-cpu-step.ts', tolerated: QUARTER, short: { count: 1, outcome: 'wrong-step' }, quickCase: 'ignore' },
  { kind: 'latency', trigger: 'marketplace-search-latency', profile: 'spike', tolerated: HALF, short: { count: 1, outcome: 'wrong-step' }, quickCase: 'flap' },
  { kind: 'queue', trigger: 'payments-queue', profile: 'spike', tolerated: HALF, short: { count: 1, outcome: 'wrong-step' }, quickCase: 'late-4-graces' },
  // The HPA row promises no step: a step of 0 is the HPA not acting.
  { kind: 'hpa', trigger: 'backend-cpu', profile: 'reloop', lateProfile: 'profiles/selftest/reloop-step.ts', tolerated: QUARTER, short: { count: 0, outcome: 'fired-not-scaled' }, quickCase: 'ignore' },
];

function autoscalerCases(s: SignalRow): SelftestCaseInput[] {
  const c = (id: string, fault: string, expect: Expected, why: string, profile = s.profile): SelftestCaseInput => ({
    id: `${s.trigger}-${id}`,
    kind: s.kind,
    profile,
    faults: [fault],
    expect,
    quick: id === s.quickCase,
    why,
  });
  const late = s.lateProfile ?? s.profile;
  return [
    c('ignore', `ignore:${s.trigger}`, fired(s.trigger, 'fired-not-scaled'), 'the autoscaler never acts on the row'),
    c(`late-${s.tolerated.label}`, `late:${s.trigger}:${s.tolerated.graces}xgrace`, 'pass', s.tolerated.why, late),
    c('late-2-graces', `late:${s.trigger}:2xgrace`, fired(s.trigger, 'scaled-late'), 'twice the grace late', late),
    c('late-4-graces', `late:${s.trigger}:4xgrace`, fired(s.trigger, 'scaled-late'), 'four graces late', late),
    c(`short-${s.short.count}`, `short:${s.trigger}:${s.short.count}`, fired(s.trigger, s.short.outcome), `scales by ${s.short.count}`),
    c('flap', `flap:${s.trigger}`, fired(s.trigger, 'flapping'), 'scales down again at the next sync'),
  ];
}

const STACK_CASES: SelftestCaseInput[] = [
  { id: 'no-autoscale-spike', kind: 'no-autoscale', profile: 'spike', noAutoscale: true, expect: fired('marketplace-search-latency', 'fired-not-scaled'), quick: true, why: 'autoscaler off: the first row the surge fires is not acted on' },
  { id: 'no-autoscale-reloop', kind: 'no-autoscale', profile: 'reloop', noAutoscale: true, expect: fired('backend-cpu', 'fired-not-scaled'), why: 'HPA off' },
  { id: 'slow-checkout-route', kind: 'stack', profile: 'spike', faults: ['slow:/payments/checkout:3000'], expect: slo('checkout-p95'), quick: true, why: "half of checkout's requests 3 s slower: its p95 passes 2.5 s; no trigger watches that route" },
  { id: 'errors-checkout', kind: 'stack', profile: 'spike', faults: ['errors:checkout:0.03'], expect: slo('checkout-errors'), quick: true, why: "3 % of checkout's requests fail: the journey's error SLO, not only the all-traffic one" },
  { id: 'leak-soak', kind: 'stack', profile: 'soak', faults: ['leak:database:20'], expect: slo('memory-growth'), quick: true, why: "20 MiB per minute on the database's 4.6 GiB stack total is ~26 %/h against 5 %/h" },
  { id: 'proxy-down-rural', kind: 'stack', profile: 'rural', faults: ['proxy-down:rural-3g'], expect: slo('errors'), quick: true, why: 'a 35 % cohort refused for the last two thirds of the load' },
];

const CLEAN_CASES: SelftestCaseInput[] = [
  ...[1, 2, 3].map((n): SelftestCaseInput => ({ id: `clean-spike-${n}`, kind: 'clean', profile: 'spike', expect: 'pass', quick: n === 1, why: 'no fault' })),
  ...[1, 2].map((n): SelftestCaseInput => ({ id: `clean-reloop-${n}`, kind: 'clean', profile: 'reloop', expect: 'pass', quick: n === 1, why: 'no fault' })),
  // The late cases' own profiles, without a fault.
  ...SIGNALS.flatMap((s) => (s.lateProfile ? [{ id: `clean-${s.trigger}-step`, kind: 'clean' as const, profile: s.lateProfile, expect: 'pass' as const, why: 'no fault' }] : [])),
  { id: 'clean-rural', kind: 'clean', profile: 'rural', expect: 'pass', why: 'no fault' },
  { id: 'clean-soak', kind: 'clean', profile: 'soak', expect: 'pass', why: 'no fault' },
];

/** The full matrix; `--quick` keeps the cases marked quick. */
export const MATRIX: SelftestCase[] = MatrixSchema.parse([...SIGNALS.flatMap(autoscalerCases), ...STACK_CASES, ...CLEAN_CASES]);

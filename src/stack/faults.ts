/**
 * Fault switches: ways to break the stack on purpose, so tests and `selftest` can prove the
 * controller catches them. Autoscaler faults (ignore, late, short, flap: at most one per
 * trigger) break the scaling; stack faults (slow, errors, leak) break a route, a journey or a
 * deployment's memory; `proxy-down` takes a cohort's Toxiproxy link away mid-run.
 */
import { z } from 'zod';
import { InputError, formatValue, inputError, parseInput } from '../errors.ts';

const Name = z.string().min(1);

export const FaultSchema = z.discriminatedUnion('kind', [
  /** Never acts on the trigger. */
  z.strictObject({ kind: z.literal('ignore'), trigger: Name }),
  /** Acts `delaySeconds` (wall clock) later than it should. */
  z.strictObject({ kind: z.literal('late'), trigger: Name, delaySeconds: z.number().positive() }),
  /** Scales by `count` instead of the promised step. */
  z.strictObject({ kind: z.literal('short'), trigger: Name, count: z.number().int().nonnegative() }),
  /** After each scale-up, scales back down at the next sync; up again when it re-fires. */
  z.strictObject({ kind: z.literal('flap'), trigger: Name }),
  /** A latency regression: the route (`METHOD /path` or a path) answers `delayMs` later. */
  z.strictObject({ kind: z.literal('slow'), route: Name, delayMs: z.number().positive().max(60_000) }),
  /** An error burst: `ratio` of the journey's requests answer 500 (after doing their work). */
  z.strictObject({ kind: z.literal('errors'), journey: Name, ratio: z.number().positive().max(1) }),
  /** A memory leak: each ready replica of the deployment grows by `mbPerMinute` MiB per plan minute. */
  z.strictObject({ kind: z.literal('leak'), service: Name, mbPerMinute: z.number().positive() }),
  /** The cohort's Toxiproxy proxy is disabled about a third into the load (connections refused). */
  z.strictObject({ kind: z.literal('proxy-down'), cohort: Name }),
]);
/** Any fault, autoscaler or stack side. */
export type AnyFault = z.infer<typeof FaultSchema>;
/** An autoscaler fault: the autoscaler keys these by trigger. */
export type Fault = Extract<AnyFault, { kind: 'ignore' | 'late' | 'short' | 'flap' }>;

const TRIGGER_KINDS: ReadonlySet<string> = new Set(['ignore', 'late', 'short', 'flap']);
export const isTriggerFault = (f: AnyFault): f is Fault => TRIGGER_KINDS.has(f.kind);

const USAGE =
  'must look like ignore:<trigger>, late:<trigger>:<seconds>, short:<trigger>:<count>, flap:<trigger>, ' +
  'slow:<route>:<ms>, errors:<journey>:<ratio>, leak:<service>:<MiB per min> or proxy-down:<cohort>';

/** What each kind's argument must be, for the one-line error. */
const ARG_RULES: Record<string, string> = {
  late: 'late needs a delay in seconds, more than 0',
  short: 'short needs a whole count of 0 or more',
  slow: 'slow needs a delay in ms, more than 0 and at most 60000',
  errors: 'errors needs a ratio more than 0 and at most 1',
  leak: 'leak needs MiB per plan minute, more than 0',
};

/** Parses one `--fault` text (see USAGE); throws an InputError quoting the text. */
export function parseFault(text: string): AnyFault {
  const [kind = '', name, arg, ...rest] = text.split(':');
  const bad = (why: string): InputError => new InputError(`--fault: ${why} (got ${formatValue(text)})`);
  if (!name || rest.length > 0) throw bad(USAGE);
  const n = arg === undefined || arg.trim() === '' ? NaN : Number(arg);
  const raw: Record<string, unknown> | null =
    kind === 'ignore' || kind === 'flap' ? { kind, trigger: name }
    : kind === 'proxy-down' ? { kind, cohort: name }
    : kind === 'late' ? { kind, trigger: name, delaySeconds: n }
    : kind === 'short' ? { kind, trigger: name, count: n }
    : kind === 'slow' ? { kind, route: name, delayMs: n }
    : kind === 'errors' ? { kind, journey: name, ratio: n }
    : kind === 'leak' ? { kind, service: name, mbPerMinute: n }
    : null;
  if (!raw) throw bad(`unknown kind "${kind}": use ignore, late, short, flap, slow, errors, leak or proxy-down`);
  if (!(kind in ARG_RULES) && arg !== undefined) throw bad(`${kind} takes no argument`);
  const parsed = FaultSchema.safeParse(raw);
  if (!parsed.success) throw bad(ARG_RULES[kind] ?? USAGE);
  return parsed.data;
}

/** The names a fault may point at: the stack's and the profile's. */
export interface FaultTargets {
  triggers: readonly string[];
  /** Route keys, `METHOD /path`. */
  routes: readonly string[];
  journeys: readonly string[];
  /** Deployments. */
  services: readonly string[];
  /** Cohorts that go through Toxiproxy. */
  cohorts: readonly string[];
}

/** The names a fault may point at in a stack module and a profile's cohorts. */
export function faultTargets(
  stack: { triggers: ReadonlyArray<{ id: string }>; routes: ReadonlyArray<{ method: string; path: string }>; journeys: Readonly<Record<string, unknown>>; deployments: ReadonlyArray<{ name: string }> },
  cohorts: ReadonlyArray<{ name: string; network: string }>,
): FaultTargets {
  return {
    triggers: stack.triggers.map((t) => t.id),
    routes: stack.routes.map((r) => `${r.method} ${r.path}`),
    journeys: Object.keys(stack.journeys),
    services: stack.deployments.map((d) => d.name),
    cohorts: cohorts.filter((c) => c.network !== 'direct').map((c) => c.name),
  };
}

/** The route key a `slow` fault names: a key, or a path served by exactly one route. */
export function resolveRoute(route: string, routes: readonly string[]): string | null {
  if (routes.includes(route)) return route;
  const byPath = routes.filter((k) => k.slice(k.indexOf(' ') + 1) === route);
  return byPath.length === 1 ? byPath[0]! : null;
}

/** A fault's target that the stack or profile does not have: the key, the value and the names there are. */
export interface FaultTargetError {
  key: 'trigger' | 'route' | 'journey' | 'service' | 'cohort';
  value: string;
  /** e.g. `trigger`, `single route`, `shaped cohort`. */
  noun: string;
  known: readonly string[];
}

/** What is wrong with a fault's target, or null when it names something that exists. */
export function faultTargetError(f: AnyFault, t: FaultTargets): FaultTargetError | null {
  if (isTriggerFault(f)) return t.triggers.includes(f.trigger) ? null : { key: 'trigger', value: f.trigger, noun: 'trigger', known: t.triggers };
  switch (f.kind) {
    case 'slow':
      return resolveRoute(f.route, t.routes) ? null : { key: 'route', value: f.route, noun: 'single route', known: t.routes };
    case 'errors':
      return t.journeys.includes(f.journey) ? null : { key: 'journey', value: f.journey, noun: 'journey', known: t.journeys };
    case 'leak':
      return t.services.includes(f.service) ? null : { key: 'service', value: f.service, noun: 'deployment', known: t.services };
    case 'proxy-down':
      return t.cohorts.includes(f.cohort) ? null : { key: 'cohort', value: f.cohort, noun: 'shaped cohort', known: t.cohorts };
  }
}

/** What a fault applies to (its key and value); a second fault on the same one conflicts. */
function faultSlot(f: AnyFault): { key: string; value: string } {
  if (isTriggerFault(f)) return { key: 'trigger', value: f.trigger };
  switch (f.kind) {
    case 'slow':
      return { key: 'route', value: f.route };
    case 'errors':
      return { key: 'journey', value: f.journey };
    case 'leak':
      return { key: 'service', value: f.service };
    case 'proxy-down':
      return { key: 'cohort', value: f.cohort };
  }
}

/**
 * Checks each fault's shape and target, one fault per trigger (or route, journey, deployment,
 * cohort); returns them parsed. Throws an InputError naming `where`, the key and the value.
 */
export function checkFaults(faults: readonly unknown[], targets: Partial<FaultTargets>, where = 'stack options'): AnyFault[] {
  const t: FaultTargets = { triggers: [], routes: [], journeys: [], services: [], cohorts: [], ...targets };
  const seen = new Set<string>();
  return faults.map((raw, i) => {
    const f = parseInput(FaultSchema, raw, where, ['faults', i]);
    const err = faultTargetError(f, t);
    if (err) throw inputError(where, `faults[${i}].${err.key}`, err.value, `no ${err.noun} "${err.value}"; known: ${err.known.join(', ') || 'none'}`);
    const { key, value } = faultSlot(f);
    const slot = `${f.kind === 'slow' || f.kind === 'errors' || f.kind === 'leak' ? f.kind : key} ${value}`;
    if (seen.has(slot)) throw inputError(where, `faults[${i}].${key}`, value, `already has a fault; one fault per ${key}`);
    seen.add(slot);
    return f;
  });
}

/**
 * Checks every fault (triggers alone, or all the names a fault may point at); returns the
 * autoscaler's faults by trigger id.
 */
export function faultsByTrigger(faults: readonly unknown[], targets: readonly string[] | Partial<FaultTargets>, where = 'stack options'): Map<string, Fault> {
  const t = Array.isArray(targets) ? { triggers: targets as readonly string[] } : (targets as Partial<FaultTargets>);
  return new Map(checkFaults(faults, t, where).filter(isTriggerFault).map((f) => [f.trigger, f]));
}

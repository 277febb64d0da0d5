/**
 * Resolves a validated profile into the plan a run executes: iteration rates per journey and
 * cohort (scaled), wall-clock stage lengths (time-compressed), the triggers of the stack with
 * their expectations, and SLO windows. Cross-references (journeys, cohorts, services, trigger
 * ids, network presets) are checked here, before any process starts.
 */
import { inputError as bad } from '../errors.ts';
import { builtInStack } from '../stack/stacks.ts';
import type { StackModule } from '../stack/module.ts';
import { toSeconds, type Profile, type Trigger } from './schema.ts';
import { planTrigger, round3 } from './trigger.ts';
import { noiseSafeTimeScale } from '../health/quick.ts';
import type { Plan, PlanScenario } from './types.ts';
import { iterationSeconds, queuedVus, shapedVus, vusFor } from './vus.ts';

export { planTrigger } from './trigger.ts';

/** Longest wall-clock load of a `--quick` run, s. */
export const QUICK_MAX_SECONDS = 60;
/** Shortest sliding window for worst-window SLO judgement, wall-clock s. */
export const MIN_WINDOW_SECONDS = 5;

export interface ResolveOptions {
  runId: string;
  file: string;
  /** The profile's stack module. @default the built-in stack the profile names */
  stack?: StackModule & { ref?: string };
  /** Overrides the profile's scale. */
  scale?: number;
  /** Overrides the profile's time scale. */
  timeScale?: number;
  /** Total load duration at time scale 1, s: stages are stretched to fit. */
  durationSeconds?: number;
  quick?: boolean;
  targetUrl: string;
  /** Base URL per cohort (Toxiproxy listeners); cohorts not named use targetUrl. */
  cohortUrls?: Record<string, string>;
  /** Network presets known to the harness; cohorts naming others are errors. */
  networkPresets?: string[];
  inputs?: Record<string, unknown>;
  now?: Date;
}

/** The trigger table of a built-in stack. */
export function stackTriggers(stack: string): Trigger[] {
  return builtInStack(stack).triggers;
}

/** Deployments a profile may scope SLOs to: those that serve a journey or carry a trigger. */
export function stackServices(stack: StackModule): string[] {
  const set = new Set<string>();
  for (const j of Object.values(stack.journeys)) set.add(j.service);
  for (const t of stack.triggers) set.add(t.service);
  return [...set].sort();
}

function validateRefs(p: Profile, stack: StackModule, file: string, presets: string[] | undefined): void {
  const journeys = stack.journeys;
  const services = stackServices(stack);
  const triggers = new Set(stack.triggers.map((t) => t.id));
  const cohorts = new Set(p.cohorts.map((c) => c.name));
  for (const [j, w] of Object.entries(p.mix)) {
    if (!journeys[j]) throw bad(file, `mix.${j}`, w, `unknown journey for stack ${stack.name}; known: ${Object.keys(journeys).join(', ')}`);
  }
  if (Object.values(p.mix).reduce((a, b) => a + b, 0) <= 0) throw bad(file, 'mix', p.mix, 'the shares add up to zero');
  const shareSum = p.cohorts.reduce((a, c) => a + c.share, 0);
  if (Math.abs(shareSum - 1) > 1e-6) throw bad(file, 'cohorts', shareSum, 'cohort shares must add up to 1');
  if (cohorts.size !== p.cohorts.length) throw bad(file, 'cohorts', [...cohorts], 'cohort names must be unique');
  p.cohorts.forEach((c, i) => {
    if (presets && !presets.includes(c.network)) {
      throw bad(file, `cohorts[${i}].network`, c.network, `unknown network preset; known: ${presets.join(', ')}`);
    }
  });
  p.slos.forEach((s, i) => {
    const { journey, service, cohort } = s.scope;
    if (journey && !journeys[journey]) throw bad(file, `slos[${i}].scope.journey`, journey, 'unknown journey');
    if (service && !services.includes(service)) throw bad(file, `slos[${i}].scope.service`, service, `unknown service; known: ${services.join(', ')}`);
    if (cohort && !cohorts.has(cohort)) throw bad(file, `slos[${i}].scope.cohort`, cohort, 'unknown cohort');
  });
  if (p.breakpoint) {
    p.breakpoint.stopOn.forEach((id, i) => {
      if (!p.slos.some((s) => s.id === id)) throw bad(file, `breakpoint.stopOn[${i}]`, id, 'names no SLO of this profile');
    });
  }
  const ids = new Set<string>();
  p.slos.forEach((s, i) => {
    if (ids.has(s.id)) throw bad(file, `slos[${i}].id`, s.id, 'duplicate SLO id');
    ids.add(s.id);
  });
  for (const [id, e] of Object.entries(p.expect)) {
    if (!triggers.has(id)) throw bad(file, `expect.${id}`, e, `unknown trigger for stack ${stack.name}; known: ${[...triggers].join(', ')}`);
  }
}

function scenarioName(journey: string, cohort: string): string {
  return `${journey}_${cohort}`.replace(/-/g, '_');
}

export function resolvePlan(profile: Profile, opts: ResolveOptions): Plan {
  const file = opts.file;
  const stack = opts.stack ?? builtInStack(profile.stack, `${file}: stack`);
  validateRefs(profile, stack, file, opts.networkPresets);
  const scale = opts.scale ?? (opts.quick && profile.quick ? profile.quick.scale : (profile.scale ?? 1));
  let timeScale = opts.timeScale ?? (opts.quick && profile.quick ? profile.quick.timeScale : profile.timeScale);
  if (!(scale > 0)) throw bad(file, '--scale', scale, 'must be more than 0');
  if (!(timeScale > 0)) throw bad(file, '--time-scale', timeScale, 'must be more than 0');

  let stageSeconds = profile.stages.map((s) => toSeconds(s.duration));
  const total = stageSeconds.reduce((a, b) => a + b, 0);
  if (total <= 0) throw bad(file, 'stages', profile.stages, 'the stages last zero seconds');
  if (opts.durationSeconds !== undefined) {
    if (!(opts.durationSeconds > 0)) throw bad(file, '--duration', opts.durationSeconds, 'must be more than 0 s');
    const k = opts.durationSeconds / total;
    stageSeconds = stageSeconds.map((s) => s * k);
  }
  let loadSeconds = stageSeconds.reduce((a, b) => a + b, 0);
  if (opts.quick) {
    // Quick runs compress time only as far as the noise rule allows (src/health/quick.ts); a plan
    // longer than QUICK_MAX_SECONDS at that time scale runs as a proportional slice of itself.
    const safe = noiseSafeTimeScale(stack.triggers.map((t) => toSeconds(t.for)));
    if (opts.timeScale === undefined) timeScale = Math.min(timeScale, safe);
    if (loadSeconds / timeScale > QUICK_MAX_SECONDS) timeScale = Math.min(loadSeconds / QUICK_MAX_SECONDS, Math.max(timeScale, safe));
    if (loadSeconds / timeScale > QUICK_MAX_SECONDS) {
      const k = (QUICK_MAX_SECONDS * timeScale) / loadSeconds;
      stageSeconds = stageSeconds.map((s) => s * k);
      loadSeconds = QUICK_MAX_SECONDS * timeScale;
    }
  }

  const journeys = stack.journeys;
  const mixTotal = Object.values(profile.mix).reduce((a, b) => a + b, 0);
  const peakGateway = Math.max(profile.startRate, ...profile.stages.map((s) => s.target)) * scale;
  const scenarios: PlanScenario[] = [];
  // A plan that means to push the stack past a trigger (or to its break) makes it queue.
  const saturates = profile.breakpoint !== undefined || Object.values(profile.expect).includes('fire');
  for (const [journey, weight] of Object.entries(profile.mix)) {
    if (weight <= 0) continue;
    const spec = journeys[journey];
    if (!spec) continue;
    for (const cohort of profile.cohorts) {
      // Gateway req/s -> this journey's iterations/s for this cohort.
      const k = ((weight / mixTotal) * cohort.share * scale) / spec.requests;
      const raw = profile.stages.map((s) => s.target * k);
      const unit = timeUnitFor([...raw, profile.startRate * k]);
      const stages = profile.stages.map((_, i) => ({
        durationSeconds: (stageSeconds[i] ?? 0) / timeScale,
        target: Math.round((raw[i] ?? 0) * unit) / unit,
      }));
      const peak = Math.max(profile.startRate * k, ...stages.map((s) => s.target));
      scenarios.push({
        name: scenarioName(journey, cohort.name),
        journey,
        service: spec.service,
        cohort: cohort.name,
        baseUrl: opts.cohortUrls?.[cohort.name] ?? opts.targetUrl,
        saveData: cohort.saveData,
        ...(cohort.maxResponseBytes !== undefined ? { maxResponseBytes: cohort.maxResponseBytes } : {}),
        requestsPerIteration: spec.requests,
        routes: spec.routes,
        timeUnitSeconds: unit,
        startRate: Math.round(profile.startRate * k * unit) / unit,
        stages,
        ...(cohort.network !== 'direct' ? shapedVus(peak) : saturates ? queuedVus(peak) : vusFor(peak, iterationSeconds(stack, spec.routes ?? []))),
      });
    }
  }
  if (scenarios.length === 0) throw bad(file, 'mix', profile.mix, 'no journey has a positive share');

  const triggers = stack.triggers.map((t) => planTrigger(t, { scale, timeScale, expect: profile.expect[t.id] ?? 'any' }));

  return {
    runId: opts.runId,
    profile: profile.name,
    profileFile: file,
    description: profile.description,
    stack: stack.name,
    ...(stack.ref !== undefined && stack.ref !== stack.name ? { stackRef: stack.ref } : {}),
    createdAt: (opts.now ?? new Date()).toISOString(),
    scale,
    timeScale: round3(timeScale),
    quick: opts.quick ?? false,
    durationSeconds: round3(loadSeconds / timeScale),
    targetUrl: opts.targetUrl,
    peakRate: round3(peakGateway),
    scenarios,
    slos: profile.slos,
    // k6 pushes every second: a window shorter than 5 s would judge a handful of samples.
    sloWindowSeconds: round3(Math.max(MIN_WINDOW_SECONDS, toSeconds(profile.sloWindow) / timeScale)),
    triggers,
    ...(profile.breakpoint ? { breakpoint: profile.breakpoint } : {}),
    inputs: opts.inputs ?? {},
  };
}

/** The plan bound to the environment's URLs: the gateway, and each shaped cohort's listener. */
export function bindTargets(plan: Plan, targetUrl: string, cohortUrls: Record<string, string>): Plan {
  return { ...plan, targetUrl, scenarios: plan.scenarios.map((s) => ({ ...s, baseUrl: cohortUrls[s.cohort] ?? targetUrl })) };
}

/**
 * k6 wants whole iterations per timeUnit: the unit (1, 10, 100 or 1000 s) is the shortest that
 * keeps the rounding of every positive rate within 0.5 %.
 */
export function timeUnitFor(rates: number[]): number {
  const positive = rates.filter((r) => r > 0);
  for (const unit of [1, 10, 100, 1000]) {
    if (positive.every((r) => Math.abs(Math.round(r * unit) - r * unit) <= 0.005 * r * unit)) return unit;
  }
  return 1000;
}

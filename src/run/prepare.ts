/**
 * Prepare: profile + flags + scale policy -> the plan a run executes. Every input error of a
 * run is raised here, before any process or run folder exists. The plan is resolved once; the
 * environment only binds its URLs (bindTargets).
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { resolveMapping, type TargetMapping } from '../../profiles/targets.ts';
import { InputError } from '../errors.ts';
import { presetNames } from '../network/presets.ts';
import { holidayEvening } from '../plan/holiday-slice.ts';
import { loadProfile } from '../plan/load.ts';
import { resolvePlan } from '../plan/resolve.ts';
import type { Profile } from '../plan/schema.ts';
import type { Plan } from '../plan/types.ts';
import { parseFault } from '../stack/faults.ts';
import type { LoadedStack } from '../stack/stacks.ts';
import { assertAllowed, assertReachable, DEFAULT_ALLOW } from '../util/net.ts';
import { SCENARIOS_DIR } from '../util/paths.ts';
import type { RunOptions } from './options.ts';
import { newRunId } from './run-id.ts';

/** Default scale of a full (not `--quick`) run against the embedded stack. */
export const EMBEDDED_DEFAULT_SCALE = 0.04;

/** Stands in for the gateway URL until the environment is up. */
const UNBOUND_URL = 'http://127.0.0.1:0';

export interface PreparedRun {
  /** Resolved once; its URLs are bound when the environment is up. */
  plan: Plan;
  /** The profile as run (holiday and stage overrides applied). */
  profile: Profile;
  stack: LoadedStack;
  /** The k6 script. */
  scenario: string;
  mapping: TargetMapping;
  mappingName: string;
  namespace: string;
  /** A real stack instead of the embedded one. */
  target: string | null;
  /** Prometheus that already scrapes the target. */
  prometheus: string | null;
  /** Hosts the harness may talk to (redirects included). */
  allow: string[];
}

/** Hosts load and queries may go to: loopback plus `--allow-host`. */
export function allowList(opts: RunOptions): string[] {
  return [...DEFAULT_ALLOW, ...(opts.allowHosts ?? [])];
}

function targetFlags(opts: RunOptions): { target: string | null; prometheus: string | null } {
  const allow = allowList(opts);
  if (opts.target) assertAllowed(opts.target, allow, '--target');
  if (opts.prometheus) assertAllowed(opts.prometheus, allow, '--prometheus');
  if (opts.target && !opts.prometheus) throw new InputError('--target: needs --prometheus URL too (the Prometheus that scrapes the target)');
  return { target: opts.target ?? null, prometheus: opts.prometheus ?? null };
}

/**
 * The embedded stack is about behaviour, not raw capacity: unless told otherwise a full run
 * against it goes at a rate one machine can generate, capacities scaled alike (bench/: ~2,000 req/s).
 */
function scalePolicy(opts: RunOptions, profile: Profile): number | undefined {
  return opts.scale ?? (!opts.target && !opts.quick && profile.scale === undefined ? EMBEDDED_DEFAULT_SCALE : undefined);
}

export async function prepareRun(opts: RunOptions): Promise<PreparedRun> {
  const loaded = await loadProfile(opts.profile);
  const { target, prometheus } = targetFlags(opts);
  const holiday = opts.holiday ?? loaded.profile.holiday;
  const evening = holiday ? holidayEvening(holiday.name, holiday.year, opts.holiday ? '--holiday' : `${loaded.file}: holiday.name`) : null;
  const override = opts.stagesOverride ?? (evening ? { startRate: evening.startRate, stages: evening.stages } : undefined);
  const profile = override ? { ...loaded.profile, ...override } : loaded.profile;
  const mappingName = opts.mapping ?? (target ? loaded.stack.targetMapping : 'embedded');
  const mapping = resolveMapping(mappingName, opts.queueNamespace);
  const scale = scalePolicy(opts, loaded.profile);
  const plan = resolvePlan(profile, {
    runId: newRunId(profile.name),
    file: loaded.file,
    stack: loaded.stack,
    quick: opts.quick ?? false,
    inputs: { ...(evening ? { holiday: evening.inputs } : {}), ...opts.inputs },
    ...(scale !== undefined ? { scale } : {}),
    ...(opts.timeScale !== undefined ? { timeScale: opts.timeScale } : {}),
    ...(opts.durationSeconds !== undefined ? { durationSeconds: opts.durationSeconds } : {}),
    targetUrl: target ?? UNBOUND_URL,
    networkPresets: presetNames(),
  });
  const namespace = opts.namespace ?? 'default';
  // The record of what was broken on purpose travels with the plan into the verdict and reports.
  const faults = (opts.faults ?? []).map(parseFault);
  if (faults.length > 0) plan.faults = faults;
  plan.mapping = { name: mappingName, namespace };
  const scenarioName = opts.scenario ?? profile.scenario ?? profile.name;
  const scenario = path.join(SCENARIOS_DIR, `${scenarioName}.ts`);
  if (!(await access(scenario).then(() => true, () => false))) {
    throw new InputError(`${loaded.file}: scenario: no k6 script scenarios/${scenarioName}.ts (got ${JSON.stringify(scenarioName)})`);
  }
  if (target) await assertReachable(target, '--target', allowList(opts));
  if (prometheus) await assertReachable(`${prometheus.replace(/\/+$/, '')}/-/ready`, '--prometheus', allowList(opts));
  await opts.onPrepared?.(plan);
  return { plan, profile, stack: loaded.stack, scenario, mapping, mappingName, namespace, target, prometheus, allow: allowList(opts) };
}

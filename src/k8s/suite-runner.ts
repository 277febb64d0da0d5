/**
 * `gate` and `signoff` on k6-operator: each run of the suite goes through the same path as
 * `run --engine k6-operator` (src/k8s/run.ts), into the suite's folder. A profile whose cohorts
 * use network presets cannot run there (Toxiproxy must sit beside k6, runner pods have none):
 * it runs on this machine through `runProfile`, against the same target and Prometheus, and
 * says so. Such a profile's load is small (the rural cohorts: 20 % of the current peak).
 */
import { loadProfile } from '../plan/load.ts';
import type { Profile } from '../plan/schema.ts';
import { runProfile } from '../run/index.ts';
import type { RunOptions, RunOutcome } from '../run/options.ts';
import { assertReachable, DEFAULT_ALLOW } from '../util/net.ts';
import { checkEngine, runOnKubernetes, type OperatorEngineOptions } from './run.ts';

/** The engine's settings shared by every run of a suite. */
export type EngineSettings = Omit<OperatorEngineOptions, 'profile' | 'quick' | 'stagesOverride' | 'inputs' | 'runsDir' | 'signal' | 'log'>;

export const needsLocalNetwork = (p: Profile): boolean => p.cohorts.some((c) => c.network !== 'direct');

/**
 * Checked before the suite starts, so a long fleet run is not followed by a refusal: the
 * engine's input, and the target reachable from this machine for the profiles that run here.
 */
export async function checkSuiteOnEngine(profiles: string[], engine: EngineSettings, log: (l: string) => void): Promise<void> {
  await checkEngine(engine);
  for (const name of profiles) {
    if (!needsLocalNetwork((await loadProfile(name)).profile)) continue;
    log(`k6-operator: ${name} has network cohorts (Toxiproxy beside k6): it runs on this machine against ${engine.target}`);
    await assertReachable(engine.target, '--target', [...DEFAULT_ALLOW, ...(engine.allowHosts ?? [])]);
  }
}

/** Runs one suite entry on k6-operator (or here, for network cohorts). */
export function operatorSuiteRunner(engine: EngineSettings): (options: RunOptions) => Promise<RunOutcome> {
  return async (options) => {
    const loaded = await loadProfile(options.profile);
    if (needsLocalNetwork(loaded.profile)) return runProfile({ ...options, target: engine.target, prometheus: engine.prometheus });
    return runOnKubernetes({
      ...engine,
      profile: options.profile,
      ...(options.quick !== undefined ? { quick: options.quick } : {}),
      ...(options.stagesOverride ? { stagesOverride: options.stagesOverride } : {}),
      ...(options.inputs ? { inputs: options.inputs } : {}),
      ...(options.runsDir ? { runsDir: options.runsDir } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  };
}

/**
 * What the run commands check before anything starts, beyond each flag's own bounds: the
 * resolved plan's time bounds and fault switches, the run folder, and the machine's run lock.
 */
import path from 'node:path';
import { InputError, formatValue } from '../errors.ts';
import { scrapeIntervalFor } from '../metrics/prometheus.ts';
import { loadProfile } from '../plan/load.ts';
import type { Plan } from '../plan/types.ts';
import { checkFaults, faultTargetError, faultTargets, parseFault, type FaultTargets } from '../stack/faults.ts';
import { PROJECT_ROOT } from '../util/paths.ts';
import { assertWritableDir, writeJson, RUN_FILES } from '../report/run-folder.ts';
import type { Verdict } from '../controller/types.ts';
import { acquireRunLock, type RunLock } from '../util/run-lock.ts';

/** Least wall-clock load a run judges, s: two of the shortest (5 s) SLO windows. */
export const MIN_WALL_SECONDS = 10;
/** Most wall-clock load, s: the run's own Prometheus keeps two days of data. */
export const MAX_WALL_SECONDS = 2 * 86_400;
/** Largest `--scale`: ten times the profile's own rates. */
export const MAX_SCALE = 10;
/** Largest `--time-scale` whatever the profile. */
export const MAX_TIME_SCALE = 1000;

/** Parses each `--fault` (syntax only; triggers are checked against the plan's stack). */
export function parseFaults(faults: string[]): void {
  for (const f of faults) parseFault(f);
}

/** `value` must be an http(s) URL. */
export function checkUrl(flag: string, value: string | undefined): void {
  if (value === undefined) return;
  let ok: boolean;
  try {
    ok = ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw new InputError(`${flag}: must be an http(s) URL such as http://127.0.0.1:9090 (got ${formatValue(value)})`);
}

/**
 * The largest time scale at which a `for` window of `forSeconds` still spans one scrape
 * (the scrape interval shrinks with the time scale: scrapeIntervalFor).
 */
export function maxTimeScaleFor(forSeconds: number): number {
  if (forSeconds / scrapeIntervalFor(20) >= 20) return forSeconds / scrapeIntervalFor(20);
  if (forSeconds / scrapeIntervalFor(5) >= 5) return Math.min(19.99, forSeconds / scrapeIntervalFor(5));
  return Math.min(4.99, forSeconds / scrapeIntervalFor(1));
}

/**
 * Checks a resolved plan's time bounds and the fault switches against its triggers. `flags`
 * says which values came from flags (else the message names the profile's key).
 */
export async function checkPlan(plan: Plan, faults: string[], flags: { timeScale?: boolean; duration?: boolean } = {}): Promise<void> {
  const timeScaleFrom = flags.timeScale ? '--time-scale' : `${plan.profileFile}: timeScale`;
  const windowed = plan.triggers.filter((t) => t.forSeconds > 0).sort((a, b) => a.forSeconds - b.forSeconds);
  const shortest = windowed[0];
  if (shortest && shortest.forWallSeconds < scrapeIntervalFor(plan.timeScale)) {
    const max = Math.floor(maxTimeScaleFor(shortest.forSeconds) * 100) / 100;
    throw new InputError(
      `${timeScaleFrom}: at most ${max} for ${plan.profile}: trigger ${shortest.id}'s ${shortest.forSeconds} s window must span at least one scrape (got ${plan.timeScale})`,
    );
  }
  if (plan.durationSeconds < MIN_WALL_SECONDS || plan.durationSeconds > MAX_WALL_SECONDS) {
    const from = [...(flags.duration ? ['--duration'] : []), ...(flags.timeScale ? ['--time-scale'] : [])].join(' with ') || `${plan.profileFile}: stages`;
    throw new InputError(
      `${from}: the load must last ${MIN_WALL_SECONDS} s to ${MAX_WALL_SECONDS / 3600} h on the wall clock (the run's Prometheus keeps 2 days) (got ${plan.durationSeconds} s at time scale ${plan.timeScale})`,
    );
  }
  if (faults.length === 0) return;
  const loaded = await loadProfile(path.isAbsolute(plan.profileFile) ? plan.profileFile : path.join(PROJECT_ROOT, plan.profileFile));
  checkFaultTriggers(faults, plan.stack, { ...faultTargets(loaded.stack, loaded.profile.cohorts), triggers: plan.triggers.map((t) => t.id) });
}

/** Each `--fault` parses and names a trigger, route, journey, deployment or shaped cohort of the run, one fault each. */
export function checkFaultTriggers(faults: string[], stack: string, targets: FaultTargets): void {
  const parsed = faults.map(parseFault);
  parsed.forEach((f, i) => {
    const e = faultTargetError(f, targets);
    if (e) throw new InputError(`--fault: no ${e.noun} ${JSON.stringify(e.value)} (known: ${e.known.join(', ') || 'none'}) in the ${stack} stack (got ${formatValue(faults[i])})`);
  });
  try {
    checkFaults(parsed, targets);
  } catch (err) {
    const m = /^[^:]*: faults\[(\d+)\][^:]*: (.*) \(got [^)]*\)$/.exec((err as Error).message);
    throw new InputError(`--fault: ${m?.[2] ?? (err as Error).message} in the ${stack} stack (got ${formatValue(faults[Number(m?.[1] ?? 0)])})`);
  }
}

/** The machine's run lock for one command, taken when its first run is ready to start. */
export class CommandLock {
  private lock: RunLock | null = null;
  constructor(
    private readonly command: string,
    private readonly allowConcurrent: boolean,
    private readonly log: (line: string) => void,
  ) {}

  /** Checks the run folder can be written, then takes the lock (once); records other runs in the plan. */
  async acquire(runsDir: string, plan?: Plan): Promise<void> {
    await assertWritableDir(runsDir);
    this.lock ??= acquireRunLock({ command: this.command, allowConcurrent: this.allowConcurrent, log: this.log });
    const others = this.lock.concurrentWith();
    if (plan && others.length) plan.inputs = { ...plan.inputs, concurrentRuns: others };
  }

  /** Says in the verdict (and its file) that other runs shared the machine. */
  async note(runDir: string, verdict: Verdict): Promise<void> {
    const others = this.lock?.concurrentWith() ?? [];
    if (others.length === 0) return;
    verdict.reasons.push(`other runs shared this machine (--allow-concurrent): ${others.join('; ')}; their load competed for the same cores`);
    await writeJson(runDir, RUN_FILES.verdict, verdict);
  }

  release(): void {
    this.lock?.release();
    this.lock = null;
  }
}

/**
 * The rule that keeps time-compressed runs from flaking: every trigger's `for` window, on the
 * wall clock, must outlast the stalls of a shared machine several times over and span enough
 * scrapes, so one stall cannot fill a window (at time scale 240 a 0.4 s stall is 96 s of plan
 * time: a 3 min window would be half full). `--quick` picks its time scale by this rule.
 */
import type { PlanTrigger } from '../plan/types.ts';

/** Longest stall of a shared machine a quick run must absorb, wall s (0.4 s seen on 2 shared cores). */
export const NOISE_SECONDS = 0.5;
/** A window lasts this many stalls, so one stall fills at most a quarter of it. */
export const NOISE_MARGIN = 4;
/** A window spans at least this many scrapes. */
export const MIN_WINDOW_SCRAPES = 8;

/** Shortest wall-clock `for` window (or grace) that machine noise cannot fill, s. */
export function minWindowWallSeconds(scrapeIntervalSeconds: number): number {
  return Math.max(NOISE_SECONDS * NOISE_MARGIN, MIN_WINDOW_SCRAPES * scrapeIntervalSeconds);
}

/**
 * Largest time scale at which the shortest non-zero `for` window (plan s) keeps the rule, or
 * Infinity when no trigger has a window. Scrapes at time scale 20 and above are 0.25 s, so the
 * noise term (2 s) is the binding one.
 */
export function noiseSafeTimeScale(forSeconds: number[]): number {
  const windows = forSeconds.filter((s) => s > 0);
  if (windows.length === 0) return Infinity;
  return Math.min(...windows) / minWindowWallSeconds(0.25);
}

/** The rule and where this run stands, one line for the start of the load. */
export function quickRuleLine(triggers: Pick<PlanTrigger, 'id' | 'forSeconds' | 'forWallSeconds'>[], timeScale: number, scrapeIntervalSeconds: number): string {
  const min = minWindowWallSeconds(scrapeIntervalSeconds);
  const rule = `noise rule: every \`for\` window lasts >= ${min.toFixed(1)} s wall (${NOISE_MARGIN} x a ${NOISE_SECONDS} s machine stall, ${MIN_WINDOW_SCRAPES} scrapes of ${scrapeIntervalSeconds} s)`;
  const shortest = triggers.filter((t) => t.forSeconds > 0).sort((a, b) => a.forSeconds - b.forSeconds)[0];
  if (!shortest) return `${rule}; no trigger here has a window`;
  const at = `shortest: ${shortest.id} ${shortest.forSeconds} s / time scale ${timeScale} = ${shortest.forWallSeconds.toFixed(2)} s`;
  return shortest.forWallSeconds + 1e-9 >= min ? `${rule}; ${at}` : `${rule}; ${at}: BELOW the rule, a machine stall can fill it (time scale <= ${(shortest.forSeconds / min).toFixed(0)} keeps it)`;
}

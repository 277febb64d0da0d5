/**
 * Every firing of one row, judged against the scale-ups credited to that row alone: the first
 * of its own scale-ups at or after the firing (less the early slack) answers it. After an answer
 * the hold clock restarts (the autoscaler needs the condition to hold for its window again),
 * and the next firing is not due before the autoscaler's cool-down has passed. A firing is
 * enumerated where the signal may have held (beyond the near edge of its measurement band) and
 * is due, for lateness and for a missing answer, only once it surely held (beyond the far edge)
 * for its whole window.
 */
import type { Action } from './trigger-attribution.ts';
import { valueAt, type Points } from './trigger-math.ts';
import type { TriggerOutcome } from './types.ts';

export interface FiringInput {
  action: 'add-instances' | 'add-workers' | 'alert' | 'hpa';
  /**
   * Intervals the condition may have held for the autoscaler: the signal beyond the threshold's
   * near edge of the measurement band (heldIntervals), epoch s.
   */
  held: Array<[number, number]>;
  /**
   * Intervals the condition surely held for the autoscaler too: the signal beyond the band's far
   * edge. The autoscaler reads the signal through its own window and sampling, so a value inside
   * the band may read either side of the threshold there, and may restart its hold clock. Without
   * them, `held` is taken as sure.
   */
  sure?: Array<[number, number]>;
  forSeconds: number;
  /** Promised step, for add-instances / add-workers. */
  step: number | null;
  maxReplicas: number;
  graceSeconds: number;
  /** How long before a computed firing a scale-up still counts as its answer, s. */
  earlySlackSeconds: number;
  /** The autoscaler's cool-down after acting, s (wall). */
  cooldownSeconds: number;
  /**
   * How long the condition must still hold after a firing became due for a missing answer to
   * count, s: a hold that ends sooner may not have been seen by the autoscaler's own sampling.
   */
  settleSeconds: number;
  replicas: Points;
  /** This row's own scale-ups, in time order. */
  ups: readonly Action[];
  /** End of the judged range, epoch s: a firing whose grace runs past it cannot be judged unanswered. */
  windowEnd: number;
}

export interface Firing {
  at: number;
  outcome: TriggerOutcome;
  scaledAt: number | null;
  lagSeconds: number | null;
  before: number | null;
  after: number | null;
  detail: string;
}

/** Firings not judged (a hold too short to be sure of, or too near the end) are left out. */
export function judgeFirings(input: FiringInput): Firing[] {
  const out: Firing[] = [];
  const used = new Set<number>();
  let lastAction = -Infinity;
  const sure = input.sure ?? input.held;
  for (const [a, b] of input.held) {
    let from = a;
    while (from + input.forSeconds <= b + 1e-9) {
      const f = from + input.forSeconds;
      // The latest the autoscaler can have fired: once the condition held beyond the band for
      // its whole window; null when it never did (the firing may not have happened at all).
      const latest = latestFiring(sure, from, b, input.forSeconds);
      const due = Math.max(latest ?? f, lastAction + input.cooldownSeconds);
      // Reported as fired where it surely had (a firing never sure of is reported at its earliest).
      const at = latest ?? f;
      const before = valueAt(input.replicas, at);
      // Sure: the condition held beyond the band for its window, still held a settling time after
      // the firing became due, and its grace ends inside the judged range. A firing the autoscaler
      // may not have seen is judged only when answered within its grace after the hold ended; one
      // whose hold ended before the cool-down let it act is no firing at all.
      const certain = latest !== null && b >= due + input.settleSeconds && due + input.graceSeconds <= input.windowEnd;
      const i = input.action === 'alert' || b < due ? -1 : input.ups.findIndex((x, k) => !used.has(k) && x.time >= f - input.earlySlackSeconds);
      const u = i >= 0 && (certain || input.ups[i]!.time <= b + input.graceSeconds) ? input.ups[i] : undefined;
      if (input.action === 'alert') {
        out.push({ at, outcome: 'alert-only-fired', scaledAt: null, lagSeconds: null, before, after: before, detail: 'alert condition held for its window; no scaling is promised' });
      } else if (u) {
        used.add(i);
        lastAction = u.time;
        out.push(answered(input, at, latest === null ? null : due, u));
      } else if (before !== null && before >= input.maxReplicas && b >= due) {
        out.push({ at, outcome: 'max-replicas-reached', scaledAt: null, lagSeconds: null, before, after: before, detail: `already at max replicas (${input.maxReplicas}) when it fired` });
      } else if (certain) {
        out.push({ at, outcome: 'fired-not-scaled', scaledAt: null, lagSeconds: null, before, after: before, detail: `fired but replicas stayed at ${before ?? '?'}` });
      }
      if (input.forSeconds <= 0) break;
      from = u ? Math.max(f, u.time) : f;
    }
  }
  return out;
}

/** Where the first stretch of `sure` inside [from, end] long enough for the window ends its window; null: none is. */
function latestFiring(sure: ReadonlyArray<[number, number]>, from: number, end: number, forSeconds: number): number | null {
  for (const [a, b] of sure) {
    const start = Math.max(a, from);
    if (Math.min(b, end) - start + 1e-9 >= forSeconds) return start + forSeconds;
  }
  return null;
}

/**
 * `due` null: the signal never held beyond its measurement band for the window, so the lag is
 * measured from the earliest firing and no lateness is judged.
 */
function answered(input: FiringInput, f: number, due: number | null, u: Action): Firing {
  const lag = Math.max(0, u.time - (due ?? f));
  const after = u.from + u.delta;
  const waited = due !== null && due > f ? ` its cool-down ended (${(due - f).toFixed(1)} s after firing)` : due === null ? ' its earliest firing' : ' firing';
  const unsure = due === null ? '; the signal stayed inside its measurement band, so no lateness is judged' : '';
  const shared = u.shared.length > 0 ? `, shared with ${u.shared.join(', ')}` : '';
  const base: Firing = { at: f, outcome: 'fired-and-scaled', scaledAt: u.time, lagSeconds: lag, before: u.from, after, detail: '' };
  if (due !== null && lag > input.graceSeconds) return { ...base, outcome: 'scaled-late', detail: `scaled ${lag.toFixed(1)} s after${waited}; grace ${input.graceSeconds.toFixed(1)} s` };
  const expected = input.step === null ? 1 : Math.min(input.step, input.maxReplicas - u.from);
  if (u.delta < expected) return { ...base, outcome: 'wrong-step', detail: `replicas ${u.from} -> ${after}: step ${u.delta}, promised ${input.step ?? 'an increase'}${shared}` };
  if (after >= input.maxReplicas) return { ...base, outcome: 'max-replicas-reached', detail: `scaled ${u.from} -> ${after} in ${lag.toFixed(1)} s and reached max replicas` };
  return { ...base, detail: `replicas ${u.from} -> ${after} ${lag.toFixed(1)} s after${waited} (grace ${input.graceSeconds.toFixed(1)} s${shared})${unsure}` };
}

/** Worst first: the row's outcome is its worst firing's. */
const SEVERITY: TriggerOutcome[] = ['fired-not-scaled', 'scaled-late', 'wrong-step'];

/** The row's outcome from all its firings: its worst failing firing, else its first. */
export function rowOutcome(firings: readonly Firing[], flapCycles: number): Firing | null {
  const first = firings[0];
  if (!first) return null;
  const worst = SEVERITY.map((o) => firings.find((x) => x.outcome === o)).find((x) => x !== undefined);
  if (flapCycles >= 2) return { ...(worst ?? first), outcome: 'flapping', detail: `its own replicas went down and back up ${flapCycles} times` };
  if (!worst) return firings.length > 1 ? { ...first, detail: `${first.detail}; ${firings.length} firings judged, none failed` } : first;
  return firings.length > 1 ? { ...worst, detail: `firing ${firings.indexOf(worst) + 1} of ${firings.length}: ${worst.detail}` } : worst;
}

/**
 * Blame the right side: a row that broke while the harness side was starved (k6 saturated, the
 * machine busy with other work, the stack's event loop or Prometheus's scrapes stalled, another
 * run on the machine) is `inconclusive` with the figures, never `fail`; a k6, Prometheus or
 * stack that died makes the whole run `inconclusive`, naming it.
 */
import { flapWindowSeconds } from '../controller/trigger-attribution.ts';
import type { SloResult, TriggerResult, Verdict } from '../controller/types.ts';
import type { Plan } from '../plan/types.ts';
import type { HarnessHealth, HealthInterval } from './types.ts';

/** Starved share of a breach interval that explains it (besides at least one whole sample). */
export const BLAME_SHARE = 0.05;

/** The starved intervals within [a, b] when they explain a breach there, else empty. */
export function starvedWithin(health: HarnessHealth, a: number, b: number): HealthInterval[] {
  const hit = health.intervals.filter((i) => i.starved && i.t < b && i.t + i.seconds > a);
  const overlap = hit.reduce((s, i) => s + Math.min(b, i.t + i.seconds) - Math.max(a, i.t), 0);
  return overlap >= Math.min(health.periodSeconds, b - a) * 0.99 && overlap >= BLAME_SHARE * (b - a) ? hit : [];
}

/** When an SLO row broke: its worst window, else the whole load. */
function sloBreach(s: SloResult, v: Verdict): [number, number] {
  return s.worstWindow ? [s.worstWindow.start, s.worstWindow.end] : [v.startedAt, v.endedAt];
}

/** When a trigger row broke: from a `for` window before its first event to a grace after its last. */
function triggerBreach(t: TriggerResult, v: Verdict, plan: Plan): [number, number] {
  const forWall = plan.triggers.find((p) => p.id === t.id)?.forWallSeconds ?? 0;
  const times = [...t.heldIntervals.flat(), ...(t.firedAt !== null ? [t.firedAt] : []), ...(t.scaledAt !== null ? [t.scaledAt] : [])];
  if (times.length === 0) return [v.startedAt, v.endedAt];
  return [Math.max(v.startedAt, Math.min(...times) - forWall), Math.min(v.endedAt + t.graceSeconds, Math.max(...times) + t.graceSeconds)];
}

/**
 * The cycles of a flapping row that the harness's trouble may explain: a scale-down after the
 * row's condition had cleared, with the harness side starved between a flap window before it and
 * the scale-up back (a starved k6 offers less load; an autoscaler that sees less scales down).
 * A scale-down while the condition surely held is the autoscaler's own doing, starved or not.
 */
function starvedFlaps(t: TriggerResult, health: HarnessHealth, timeScale: number): { explained: number; hit: HealthInterval[] } {
  const lead = flapWindowSeconds(timeScale);
  const hits = (t.flapCycles ?? []).map((c) => (c.heldAtDown ? [] : starvedWithin(health, c.down - lead, c.back)));
  return { explained: hits.filter((h) => h.length > 0).length, hit: [...new Set(hits.flat())] };
}

/** The figures of the starved seconds, one short clause. */
export function describeStarved(hit: HealthInterval[]): string {
  const why = [...new Set(hit.flatMap((i) => i.why.map((w) => w.replace(/ \(.*\)| [\d.]+ s$/, ''))))];
  const worst = hit.flatMap((i) => i.why).slice(0, 3);
  return `harness side starved ${hit.length} s of it (${why.join('; ')}; e.g. ${worst.join(', ')})`;
}

/** The verdict with its health recorded and the rows the harness's own trouble explains turned `inconclusive`. */
export function applyBlame(verdict: Verdict, health: HarnessHealth, plan: Plan): Verdict {
  const v: Verdict = { ...verdict, health, reasons: [...verdict.reasons] };
  const blame = (kind: string, id: string, [a, b]: [number, number]): string | null => {
    const hit = starvedWithin(health, a, b);
    if (hit.length === 0) return null;
    const why = describeStarved(hit);
    v.reasons.push(`${kind} ${id}: inconclusive, not fail: it broke in ${(a - v.startedAt).toFixed(0)}-${(b - v.startedAt).toFixed(0)} s while the ${why}`);
    return why;
  };
  // Flapping takes two cycles: it still fails on two the harness's trouble cannot explain.
  const blameFlaps = (t: TriggerResult): TriggerResult => {
    const { explained, hit } = starvedFlaps(t, health, v.timeScale);
    if (explained === 0) return t;
    const cycles = t.flapCycles?.length ?? 0;
    const clause = `${explained} of its ${cycles} cycles came after its condition cleared while the ${describeStarved(hit)}`;
    if (cycles - explained >= 2) return { ...t, detail: `${t.detail}; ${clause}, the other ${cycles - explained} still flap` };
    v.reasons.push(`trigger ${t.id}: inconclusive, not fail: ${clause}`);
    return { ...t, status: 'inconclusive', detail: `${t.detail}; ${clause}` };
  };
  v.slos = v.slos.map((s) => {
    const why = s.status === 'fail' ? blame('SLO', s.id, sloBreach(s, v)) : null;
    return why ? { ...s, status: 'inconclusive', detail: `${s.detail}; ${why}` } : s;
  });
  v.triggers = v.triggers.map((t) => {
    if (t.status === 'fail' && t.outcome === 'flapping' && t.flapCycles) return blameFlaps(t);
    const why = t.status === 'fail' ? blame('trigger', t.id, triggerBreach(t, v, plan)) : null;
    return why ? { ...t, status: 'inconclusive', detail: `${t.detail}; ${why}` } : t;
  });
  if (health.crash) v.reasons.unshift(`${health.crash} during the load: the run could not finish, so it is inconclusive`);
  const stillFails = [...v.slos, ...v.triggers].some((r) => r.status === 'fail') || v.breakpoint?.status === 'fail';
  if (health.crash || (v.status === 'fail' && !stillFails)) v.status = 'inconclusive';
  return v;
}

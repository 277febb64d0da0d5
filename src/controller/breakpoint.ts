/**
 * Breakpoint runs ramp until an SLO breaks. The break time is when one of the `stopOn` SLOs
 * had been out of bounds for `breakWindows` consecutive windows; the sustainable rate is the
 * target gateway rate one window before that, reported at scale 1 with its headroom against
 * the capacity plan's required rate.
 */
import type { MetricSource } from '../metrics/client.ts';
import type { Plan } from '../plan/types.ts';
import { errorRatioRate, k6Selector, latencyOver } from './queries.ts';
import { targetRateAt } from './slo-math.ts';
import type { RunWindow } from './slo.ts';
import type { BreakpointResult, Status } from './types.ts';

export type { BreakpointResult };


/** First time a series breaks its bound for `n` consecutive points. */
export function firstBreak(points: Array<[number, number]>, bound: number, n: number): number | null {
  let run = 0;
  for (const [t, v] of points) {
    run = Number.isFinite(v) && v > bound ? run + 1 : 0;
    if (run >= n) return t;
  }
  return null;
}

async function sloSeries(source: MetricSource, plan: Plan, id: string, from: number, to: number, step: number): Promise<{ points: Array<[number, number]>; bound: number } | null> {
  const slo = plan.slos.find((s) => s.id === id);
  if (!slo) return null;
  const win = plan.sloWindowSeconds;
  if (slo.objective === 'latency') {
    const r = await source.queryRange(latencyOver(slo.percentile, k6Selector(plan.runId, slo.scope), win, '', 'rate'), from, to, step);
    return { points: r[0]?.values ?? [], bound: slo.maxMs };
  }
  if (slo.objective === 'error-rate') {
    const r = await source.queryRange(errorRatioRate(plan.runId, slo.scope, win), from, to, step);
    return { points: r[0]?.values ?? [], bound: slo.max };
  }
  return null;
}

interface BreakSearch {
  brk: { at: number; slo: string } | null;
  /** Stop-on SLOs with no finite point to judge (too short a run, no data, an unwatchable objective). */
  noData: string[];
}

async function searchBreak(source: MetricSource, plan: Plan, bp: NonNullable<Plan['breakpoint']>, w: RunWindow): Promise<BreakSearch> {
  const step = Math.max(1, Math.round(plan.sloWindowSeconds / 2));
  const from = w.start + plan.sloWindowSeconds + 2;
  if (from >= w.end) return { brk: null, noData: [...bp.stopOn] };
  let brk: BreakSearch['brk'] = null;
  const noData: string[] = [];
  for (const id of bp.stopOn) {
    const s = await sloSeries(source, plan, id, from, w.end, step);
    if (!s || !s.points.some(([, v]) => Number.isFinite(v))) {
      noData.push(id);
      continue;
    }
    const at = firstBreak(s.points, s.bound, bp.breakWindows);
    if (at !== null && (!brk || at < brk.at)) brk = { at, slo: id };
  }
  return { brk, noData };
}

export async function findBreak(source: MetricSource, plan: Plan, w: RunWindow): Promise<{ at: number; slo: string } | null> {
  return plan.breakpoint ? (await searchBreak(source, plan, plan.breakpoint, w)).brk : null;
}

export async function judgeBreakpoint(source: MetricSource, plan: Plan, w: RunWindow): Promise<BreakpointResult | null> {
  const bp = plan.breakpoint;
  if (!bp) return null;
  const { brk, noData } = await searchBreak(source, plan, bp, w);
  const heldUntil = brk ? brk.at - plan.sloWindowSeconds * bp.breakWindows - w.start : w.end - w.start;
  const sustainable = targetRateAt(plan, {}, Math.max(0, heldUntil)) / plan.scale;
  const headroom = sustainable / bp.requiredRate;
  // Without a break, the headroom holds only if every stop-on SLO was watched: no data never passes.
  const status: Status = !brk && noData.length > 0 ? 'inconclusive' : headroom >= 1 ? 'pass' : 'fail';
  const detail = brk
    ? `${brk.slo} broke at ${Math.round(targetRateAt(plan, {}, brk.at - w.start) / plan.scale)} req/s (scale 1); held ${Math.round(sustainable)} req/s, ${(headroom * 100).toFixed(0)} % of the required ${bp.requiredRate} req/s`
    : status === 'inconclusive'
      ? `no data to judge ${noData.join(', ')}: cannot tell whether ${Math.round(sustainable)} req/s (scale 1) held`
      : `no SLO broke up to ${Math.round(sustainable)} req/s (scale 1), ${(headroom * 100).toFixed(0)} % of the required ${bp.requiredRate} req/s`;
  return { brokeAt: brk?.at ?? null, brokenSlo: brk?.slo ?? null, sustainableRate: Math.round(sustainable), requiredRate: bp.requiredRate, headroom, status, detail };
}

/** Polls during a breakpoint run and calls `onBreak` once an SLO has broken. */
export function watchBreakpoint(source: MetricSource, plan: Plan, start: number, onBreak: (slo: string) => void): { stop(): void } {
  let done = false;
  const timer = setInterval(() => {
    if (done) return;
    void findBreak(source, plan, { start, end: Date.now() / 1000 }).then(
      (b) => {
        if (b && !done) {
          done = true;
          onBreak(b.slo);
        }
      },
      () => undefined,
    );
  }, Math.max(1000, (plan.sloWindowSeconds * 1000) / 2));
  return { stop: () => clearInterval(timer) };
}

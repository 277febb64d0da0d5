/**
 * Soak drift: the slope of the windowed p95, the creep of the error ratio from the first third
 * of the run to the last, and the growth of the stack's memory. Slopes are reported per hour
 * of plan time (wall time multiplied by the time scale).
 */
import type { MetricSource } from '../metrics/client.ts';
import type { Slo } from '../plan/schema.ts';
import type { Plan } from '../plan/types.ts';
import { counterTotal, k6Selector, latencyOver } from './queries.ts';
import type { RunWindow } from './slo.ts';
import { windowStep } from './recording.ts';

/** Least-squares slope of y over x (per unit of x); null with fewer than 3 finite points. */
export function slope(points: Array<[number, number]>): number | null {
  const pts = points.filter(([, y]) => Number.isFinite(y));
  if (pts.length < 3) return null;
  const n = pts.length;
  const mx = pts.reduce((a, [x]) => a + x, 0) / n;
  const my = pts.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of pts) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

/** Converts a per-wall-second slope into per plan hour. */
export function perPlanHour(slopePerWallSecond: number, timeScale: number): number {
  return (slopePerWallSecond * 3600) / timeScale;
}

type DriftSlo = Extract<Slo, { objective: 'latency-slope' | 'error-creep' | 'memory-growth' }>;

export async function driftValue(source: MetricSource, plan: Plan, slo: DriftSlo, w: RunWindow): Promise<number | null> {
  const win = plan.sloWindowSeconds;
  const step = windowStep(win, w.end - w.start, 2);
  const from = w.start + win + 2;
  if (from >= w.end) return null;
  if (slo.objective === 'latency-slope') {
    const r = await source.queryRange(latencyOver(95, k6Selector(plan.runId, slo.scope), win, '', 'rate'), from, w.end, step);
    const s = slope(r[0]?.values ?? []);
    return s === null ? null : perPlanHour(s, plan.timeScale);
  }
  if (slo.objective === 'memory-growth') {
    const sel = slo.scope.service ? `{deployment="${slo.scope.service}"}` : '';
    const r = await source.queryRange(`sum(stack_memory_bytes${sel})`, w.start, w.end, step);
    const values = r[0]?.values ?? [];
    const first = values.find(([, v]) => Number.isFinite(v) && v > 0)?.[1];
    const s = slope(values);
    if (s === null || !first) return null;
    return perPlanHour((s / first) * 100, plan.timeScale);
  }
  // error-creep: ratio of the last third minus ratio of the first third.
  const third = (w.end - w.start) / 3;
  const sel = k6Selector(plan.runId, slo.scope);
  const failedSel = k6Selector(plan.runId, slo.scope, { expected_response: 'false' });
  const at = async (expr: string, t: number) => (await source.query(expr, t))[0]?.value[1] ?? 0;
  const part = async (a: number, b: number) => {
    const reqs = (await at(counterTotal('k6_http_reqs_total', sel, b - w.start + 5), b)) - (a > w.start ? await at(counterTotal('k6_http_reqs_total', sel, a - w.start + 5), a) : 0);
    const failed = (await at(counterTotal('k6_http_reqs_total', failedSel, b - w.start + 5), b)) - (a > w.start ? await at(counterTotal('k6_http_reqs_total', failedSel, a - w.start + 5), a) : 0);
    return reqs > 0 ? failed / reqs : null;
  };
  const early = await part(w.start, w.start + third);
  const late = await part(w.end - third, w.end);
  return early === null || late === null ? null : late - early;
}

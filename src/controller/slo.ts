/**
 * Judges each SLO from Prometheus over the whole run and over the worst sliding window.
 * No data never passes: it is `inconclusive`.
 */
import type { MetricSource } from '../metrics/client.ts';
import type { Slo } from '../plan/schema.ts';
import type { Plan } from '../plan/types.ts';
import { counterTotal, errorRatioRate, k6Selector, latencyOver, windowIncrease } from './queries.ts';
import { targetIterations, within, worstWindow } from './slo-math.ts';
import { driftValue } from './drift.ts';
import { windowStep } from './recording.ts';
import { wholeRunPercentileMs } from './histograms.ts';
import type { SloResult, Status, WindowValue } from './types.ts';

export interface RunWindow {
  /** Load start and end, epoch s. */
  start: number;
  end: number;
}

/** Objectives judged over sliding windows too (drift and byte budgets are whole-run only). */
const WINDOWED: Slo['objective'][] = ['latency', 'error-rate', 'achieved-rate', 'dropped-iterations'];

/** Windows with fewer target iterations than this are too small to judge a rate on. */
const MIN_WINDOW_ITERATIONS = 20;

async function scalar(source: MetricSource, expr: string, time: number): Promise<number | null> {
  const r = await source.query(expr, time);
  const v = r[0]?.value[1];
  return v === undefined || !Number.isFinite(v) ? null : v;
}

type Unit = SloResult['unit'];

interface Bound {
  bound: string;
  threshold: number;
  unit: Unit;
  kind: 'max' | 'min';
  windowBound: string;
  windowThreshold: number;
}

function describe(slo: Slo): Bound {
  const d = describeRun(slo);
  if (slo.objective === 'latency' && slo.windowMaxMs !== undefined) {
    return { ...d, windowThreshold: slo.windowMaxMs, windowBound: `window p${slo.percentile} <= ${slo.windowMaxMs} ms` };
  }
  if (slo.objective === 'error-rate' && slo.windowMax !== undefined) {
    return { ...d, windowThreshold: slo.windowMax, windowBound: `window errors <= ${(slo.windowMax * 100).toFixed(2)} %` };
  }
  return { ...d, windowThreshold: d.threshold, windowBound: d.bound };
}

function describeRun(slo: Slo): Omit<Bound, 'windowBound' | 'windowThreshold'> {
  switch (slo.objective) {
    case 'latency':
      return { bound: `p${slo.percentile} <= ${slo.maxMs} ms`, threshold: slo.maxMs, unit: 'ms', kind: 'max' };
    case 'error-rate':
      return { bound: `errors <= ${(slo.max * 100).toFixed(2)} %`, threshold: slo.max, unit: 'ratio', kind: 'max' };
    case 'achieved-rate':
      return { bound: `achieved >= ${(slo.min * 100).toFixed(1)} % of target`, threshold: slo.min, unit: 'ratio', kind: 'min' };
    case 'dropped-iterations':
      return { bound: `dropped <= ${(slo.max * 100).toFixed(2)} %`, threshold: slo.max, unit: 'ratio', kind: 'max' };
    case 'response-bytes':
      return { bound: `mean response <= ${slo.maxBytes} B`, threshold: slo.maxBytes, unit: 'bytes', kind: 'max' };
    case 'latency-slope':
      return { bound: `p95 slope <= ${slo.maxMsPerHour} ms/h`, threshold: slo.maxMsPerHour, unit: 'ms/h', kind: 'max' };
    case 'error-creep':
      return { bound: `error creep <= ${(slo.max * 100).toFixed(2)} pp`, threshold: slo.max, unit: 'ratio', kind: 'max' };
    case 'memory-growth':
      return { bound: `memory growth <= ${slo.maxPercentPerHour} %/h`, threshold: slo.maxPercentPerHour, unit: '%/h', kind: 'max' };
  }
}

function scopeText(slo: Slo): string {
  const parts = Object.entries(slo.scope).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(',') : 'all traffic';
}

async function wholeRun(source: MetricSource, plan: Plan, slo: Slo, w: RunWindow): Promise<number | null> {
  const range = w.end - w.start + 5;
  const sel = k6Selector(plan.runId, slo.scope);
  const at = w.end;
  if (slo.objective === 'latency') {
    const fromHistograms = await wholeRunPercentileMs(source, plan.runId, slo.scope, slo.percentile, range, at);
    return fromHistograms !== undefined ? fromHistograms : scalar(source, latencyOver(slo.percentile, sel, range), at);
  }
  if (slo.objective === 'latency-slope' || slo.objective === 'error-creep' || slo.objective === 'memory-growth') return driftValue(source, plan, slo, w);
  const reqs = await scalar(source, counterTotal('k6_http_reqs_total', sel, range), at);
  if (slo.objective === 'response-bytes') {
    if (reqs === null || reqs === 0) return null;
    // What k6 itself counts per scenario tag set: bytes received, response headers included.
    const bytes = await scalar(source, counterTotal('k6_data_received_total', sel, range), at);
    return bytes === null ? null : bytes / reqs;
  }
  if (slo.objective === 'error-rate') {
    if (reqs === null || reqs === 0) return null;
    const failedSel = k6Selector(plan.runId, slo.scope, { expected_response: 'false' });
    const failed = (await scalar(source, counterTotal('k6_http_reqs_total', failedSel, range), at)) ?? 0;
    return failed / reqs;
  }
  const iterations = await scalar(source, counterTotal('k6_iterations_total', sel, range), at);
  if (iterations === null) return null;
  const dropped = (await scalar(source, counterTotal('k6_dropped_iterations_total', sel, range), at)) ?? 0;
  if (slo.objective === 'dropped-iterations') return iterations + dropped > 0 ? dropped / (iterations + dropped) : null;
  const target = targetIterations(plan, slo.scope);
  return target > 0 ? iterations / target : null;
}

/** The query an SLO's whole-run value starts from: named when it returned no data. */
export function dataExpr(plan: Plan, slo: Slo, w: RunWindow): string {
  const range = w.end - w.start + 5;
  const sel = k6Selector(plan.runId, slo.scope);
  if (slo.objective === 'latency') return latencyOver(slo.percentile, sel, range);
  if (slo.objective === 'latency-slope') return latencyOver(95, sel, range);
  if (slo.objective === 'memory-growth') return `memory series of ${scopeText(slo)}`;
  const metric = slo.objective === 'achieved-rate' || slo.objective === 'dropped-iterations' ? 'k6_iterations_total' : 'k6_http_reqs_total';
  return counterTotal(metric, sel, range);
}

async function worst(source: MetricSource, plan: Plan, slo: Slo, w: RunWindow, kind: 'max' | 'min'): Promise<WindowValue | null> {
  if (!WINDOWED.includes(slo.objective)) return null;
  const win = plan.sloWindowSeconds;
  // Skip the first seconds: k6 series appear with its first push, and increase()/rate() over a
  // window that starts before a series existed under-counts.
  const from = w.start + win + 2;
  if (from > w.end) return null;
  const step = windowStep(win, w.end - from);
  const sel = k6Selector(plan.runId, slo.scope);
  if (slo.objective === 'latency') {
    const r = await source.queryRange(latencyOver(slo.percentile, sel, win, '', 'rate'), from, w.end, step);
    return worstWindow(r[0]?.values ?? [], win, kind);
  }
  if (slo.objective === 'error-rate') {
    const r = await source.queryRange(errorRatioRate(plan.runId, slo.scope, win), from, w.end, step);
    return worstWindow(r[0]?.values ?? [], win, kind);
  }
  const it = await source.queryRange(windowIncrease('k6_iterations_total', sel, win), from, w.end, step);
  const dr = await source.queryRange(windowIncrease('k6_dropped_iterations_total', sel, win), from, w.end, step);
  const dropped = new Map((dr[0]?.values ?? []).map(([t, v]) => [t, v]));
  const points: Array<[number, number]> = [];
  for (const [t, done] of it[0]?.values ?? []) {
    const target = targetIterations(plan, slo.scope, t - win - w.start, t - w.start);
    if (target < MIN_WINDOW_ITERATIONS) continue;
    const d = dropped.get(t) ?? 0;
    // In a window, iterations still in flight are late, not missing (latency SLOs judge them);
    // what the open model failed to deliver is what k6 dropped.
    points.push([t, slo.objective === 'achieved-rate' ? Math.max(0, target - d) / target : done + d > 0 ? d / (done + d) : 0]);
  }
  return worstWindow(points, win, kind);
}

function fmt(v: number, unit: Unit): string {
  if (unit === 'ratio') return `${(v * 100).toFixed(2)} %`;
  if (unit === 'ms') return `${Math.round(v)} ms`;
  return `${v.toFixed(1)} ${unit === 'bytes' ? 'B' : unit}`;
}

export async function judgeSlo(source: MetricSource, plan: Plan, slo: Slo, w: RunWindow): Promise<SloResult> {
  const d = describe(slo);
  const observed = await wholeRun(source, plan, slo, w);
  const win = await worst(source, plan, slo, w, d.kind);
  let status: Status;
  let detail: string;
  if (observed === null) {
    status = 'inconclusive';
    detail = `no data for ${scopeText(slo)}: ${dataExpr(plan, slo, w)}`;
  } else if (!within(observed, d.threshold, d.kind)) {
    status = 'fail';
    detail = `whole run ${fmt(observed, d.unit)} breaks ${d.bound}`;
  } else if (win && !within(win.value, d.windowThreshold, d.kind)) {
    status = 'fail';
    detail = `worst ${Math.round(plan.sloWindowSeconds)} s window ${fmt(win.value, d.unit)} breaks ${d.windowBound}`;
  } else {
    status = 'pass';
    const windowed = WINDOWED.includes(slo.objective);
    detail = `whole run ${fmt(observed, d.unit)}${win ? `, worst window ${fmt(win.value, d.unit)}` : windowed ? ', no full window to judge' : ''}`;
  }
  return {
    id: slo.id,
    objective: slo.objective,
    scope: { ...slo.scope },
    bound: d.bound,
    threshold: d.threshold,
    unit: d.unit,
    observed,
    worstWindow: win,
    status,
    detail,
  };
}

export async function judgeSlos(source: MetricSource, plan: Plan, w: RunWindow): Promise<SloResult[]> {
  const out: SloResult[] = [];
  for (const slo of plan.slos) out.push(await judgeSlo(source, plan, slo, w));
  return out;
}

/**
 * PromQL for the verdict, built in one place. k6 series carry `testid` and the scenario tags
 * `journey`, `service`, `cohort`; every aggregate sums over k6 runners (label `runner`), which
 * is what per-runner k6 thresholds cannot do.
 */
import type { Scope } from '../plan/schema.ts';

/** Escapes a label value for a PromQL string literal. */
export function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

export function k6Selector(runId: string, scope: Scope = {}, extra: Record<string, string> = {}): string {
  const parts = [`testid="${esc(runId)}"`];
  for (const key of ['journey', 'service', 'cohort'] as const) {
    const v = scope[key];
    if (v) parts.push(`${key}="${esc(v)}"`);
  }
  for (const [k, v] of Object.entries(extra)) parts.push(`${k}="${esc(v)}"`);
  return `{${parts.join(',')}}`;
}

/** Range as PromQL duration, whole seconds, at least 1 s. */
export function dur(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}

/**
 * Total of a k6 counter over the run: k6 counters start at 0 for each series when the run
 * starts, so the last value of each series is its total (increase() would lose the first push).
 */
export function counterTotal(metric: string, sel: string, rangeSeconds: number, by = ''): string {
  const grouping = by ? ` by (${by})` : '';
  return `sum${grouping} (max_over_time(${metric}${sel}[${dur(rangeSeconds)}]))`;
}

/** Latency percentile over a range from k6's native histogram, in ms. */
export function latencyOver(percentile: number, sel: string, rangeSeconds: number, by = '', fn: 'increase' | 'rate' = 'increase'): string {
  const grouping = by ? ` by (${by})` : '';
  return `histogram_quantile(${percentile / 100}, sum${grouping} (${fn}(k6_http_req_duration_seconds${sel}[${dur(rangeSeconds)}]))) * 1000`;
}

/** Failed / all requests in each window of `rangeSeconds` (for range queries). */
export function errorRatioRate(runId: string, scope: Scope, rangeSeconds: number): string {
  const all = k6Selector(runId, scope);
  const failed = k6Selector(runId, scope, { expected_response: 'false' });
  return `(sum(rate(k6_http_reqs_total${failed}[${dur(rangeSeconds)}])) or vector(0)) / sum(rate(k6_http_reqs_total${all}[${dur(rangeSeconds)}]))`;
}

/** Increase of a counter in each window, summed (0 when the series does not exist). */
export function windowIncrease(metric: string, sel: string, rangeSeconds: number): string {
  return `sum(increase(${metric}${sel}[${dur(rangeSeconds)}])) or vector(0)`;
}

/**
 * Whole-run latency percentiles from one query. Each whole-run percentile used to be its own
 * `histogram_quantile(…increase(k6_http_req_duration_seconds[run]))`, and each of those reads
 * every histogram sample of the run (3.5 s apiece for a 24 h soak, seven of them). Instead k6's
 * request-duration histograms are summed over the run once per (journey, service, cohort) and
 * fetched; every percentile of every scope and grouping is then computed here, as Prometheus's
 * histogram_quantile does for native histograms (linear within the bucket, as 2.42 does; later
 * versions interpolate exponentially, which differs by less than a bucket's width, 9 %).
 * A source without histogram queries gets `undefined`: the caller falls back to PromQL.
 */
import type { HistogramSample, HistogramValue, MetricSource } from '../metrics/client.ts';
import type { Scope } from '../plan/schema.ts';
import { dur, k6Selector } from './queries.ts';

const SCOPE_LABELS = ['journey', 'service', 'cohort'] as const;
type ScopeLabel = (typeof SCOPE_LABELS)[number];

/** One fetch per source, run, range and time: SLOs and traffic rows share it. */
const fetched = new WeakMap<MetricSource, Map<string, Promise<HistogramSample[]>>>();

function runHistograms(source: MetricSource, runId: string, rangeSeconds: number, at: number): Promise<HistogramSample[]> | undefined {
  const query = source.queryHistograms?.bind(source);
  if (!query) return undefined;
  const key = `${runId}\u0000${dur(rangeSeconds)}\u0000${at}`;
  const bySource = fetched.get(source) ?? new Map<string, Promise<HistogramSample[]>>();
  fetched.set(source, bySource);
  let p = bySource.get(key);
  if (!p) {
    p = query(`sum by (${SCOPE_LABELS.join(', ')}) (increase(k6_http_req_duration_seconds${k6Selector(runId)}[${dur(rangeSeconds)}]))`, at);
    // A failed fetch is not kept: the next caller asks again (and sees the error itself).
    p.catch(() => bySource.delete(key));
    bySource.set(key, p);
  }
  return p;
}

/** Sum of histograms with the same bucket layout (buckets matched by their bounds). */
export function mergeHistograms(hs: HistogramValue[]): HistogramValue {
  const buckets = new Map<string, [number, number, number]>();
  let count = 0;
  let sum = 0;
  for (const h of hs) {
    count += h.count;
    sum += h.sum;
    for (const [lo, hi, n] of h.buckets) {
      const k = `${lo}|${hi}`;
      const b = buckets.get(k);
      if (b) b[2] += n;
      else buckets.set(k, [lo, hi, n]);
    }
  }
  return { count, sum, buckets: [...buckets.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]) };
}

/** Quantile q (0..1) of a native histogram, as histogram_quantile; NaN when it is empty. */
export function histogramQuantile(q: number, h: HistogramValue): number {
  if (!(h.count > 0) || h.buckets.length === 0) return NaN;
  const rank = q * h.count;
  let cum = 0;
  let bucket: [number, number, number] = h.buckets[0]!;
  for (const b of h.buckets) {
    bucket = b;
    cum += b[2];
    if (cum >= rank) break;
  }
  let [lo] = bucket;
  const [, hi, n] = bucket;
  // The zero bucket straddles 0; latencies have no negative buckets, so it starts at 0.
  if (lo < 0 && hi > 0) lo = 0;
  cum = Math.min(cum, h.count);
  if (cum < rank) return hi;
  return lo + (hi - lo) * ((rank - (cum - n)) / n);
}

function matches(metric: Record<string, string>, scope: Scope): boolean {
  return SCOPE_LABELS.every((k) => !scope[k] || metric[k] === scope[k]);
}

/** Whole-run percentile in ms for a scope; null without data; undefined: ask PromQL instead. */
export async function wholeRunPercentileMs(source: MetricSource, runId: string, scope: Scope, percentile: number, rangeSeconds: number, at: number): Promise<number | null | undefined> {
  const hs = runHistograms(source, runId, rangeSeconds, at);
  if (!hs) return undefined;
  const merged = mergeHistograms((await hs).filter((s) => matches(s.metric, scope)).map((s) => s.histogram));
  const v = histogramQuantile(percentile / 100, merged) * 1000;
  return Number.isFinite(v) ? v : null;
}

/** Whole-run percentile in ms per value of `label`; undefined: ask PromQL instead. */
export async function wholeRunPercentilesBy(source: MetricSource, runId: string, label: ScopeLabel, percentile: number, rangeSeconds: number, at: number): Promise<Map<string, number> | undefined> {
  const hs = runHistograms(source, runId, rangeSeconds, at);
  if (!hs) return undefined;
  const groups = new Map<string, HistogramValue[]>();
  for (const s of await hs) {
    const key = s.metric[label];
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), s.histogram]);
  }
  const out = new Map<string, number>();
  for (const [key, list] of groups) {
    const v = histogramQuantile(percentile / 100, mergeHistograms(list)) * 1000;
    if (Number.isFinite(v)) out.set(key, v);
  }
  return out;
}

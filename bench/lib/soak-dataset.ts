/**
 * A synthetic run at the real sample density, for judging benchmarks: k6's series as its
 * remote-write output sends them every 1 s (native histograms for the 7 HTTP trends and the
 * iteration duration, counters and rates, tagged with testid, scenario, journey, service,
 * cohort, route and status, one error series) and the embedded stack's series as Prometheus
 * scrapes them every 1 s (classic duration buckets, CPU, memory, replicas, queues). Request
 * counts follow the plan's rate curve, so the totals are known exactly for the cross-check.
 * Written in time order by remote write: Prometheus takes samples from the past without an
 * out-of-order window, native histograms included (promtool 2.42 cannot backfill those).
 */
import { targetIterations } from '../../src/controller/slo-math.ts';
import type { Plan } from '../../src/plan/types.ts';
import { DURATION_BUCKETS } from '../../src/stack/metrics.ts';
import { remoteWrite, type NativeHistogram, type WriteSeries } from './remote-write.ts';

/** k6's native histogram schema (bucket growth 2^(1/8)). */
const SCHEMA = 3;
/** Share of the first journey's requests answered 503 (the run's one error series). */
const ERROR_SHARE = 0.001;

/** Lognormal latency, median in s and spread sigma (ln). */
interface Shape {
  median: number;
  sigma: number;
}

const K6_TRENDS: Record<string, Shape> = {
  k6_http_req_duration_seconds: { median: 0.02, sigma: 0.6 },
  k6_http_req_waiting_seconds: { median: 0.019, sigma: 0.6 },
  k6_http_req_blocked_seconds: { median: 4e-6, sigma: 0.5 },
  k6_http_req_connecting_seconds: { median: 1e-6, sigma: 0.3 },
  k6_http_req_sending_seconds: { median: 2e-5, sigma: 0.5 },
  k6_http_req_receiving_seconds: { median: 5e-5, sigma: 0.5 },
  k6_http_req_tls_handshaking_seconds: { median: 1e-6, sigma: 0.3 },
};

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26, |error| < 1.5e-7: plenty for bucket shares.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496735) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

function cdf(s: Shape, v: number): number {
  return v <= 0 ? 0 : 0.5 * (1 + erf(Math.log(v / s.median) / (s.sigma * Math.SQRT2)));
}

/** Shares of native buckets (index i covers (2^((i-1)/8), 2^(i/8)]) holding 99.99 % of the mass. */
function nativeShares(s: Shape): { first: number; shares: number[] } {
  const lo = Math.floor(Math.log2(s.median * Math.exp(-4 * s.sigma)) * 8);
  const hi = Math.ceil(Math.log2(s.median * Math.exp(4 * s.sigma)) * 8);
  const shares: number[] = [];
  for (let i = lo; i <= hi; i++) shares.push(cdf(s, 2 ** (i / 8)) - cdf(s, 2 ** ((i - 1) / 8)));
  return { first: lo, shares };
}

interface HistSeries {
  labels: Record<string, string>;
  /** Cumulative requests at offset t, s. */
  count: (t: number) => number;
  first: number;
  shares: number[];
  mean: number;
}

interface FloatSeries {
  labels: Record<string, string>;
  value: (t: number) => number;
}

export interface SyntheticRun {
  hist: HistSeries[];
  floats: FloatSeries[];
  /** Exact request total, what k6's summary would say. */
  httpReqs: number;
  iterations: number;
}

function histSample(h: HistSeries, t: number, ms: number): NativeHistogram {
  const n = h.count(t);
  // floor(n * share) per bucket keeps every bucket monotonic; the count is their sum.
  const counts = h.shares.map((p) => Math.floor(n * p));
  const count = counts.reduce((a, b) => a + b, 0);
  return { timestamp: ms, count, sum: count * h.mean, schema: SCHEMA, firstBucket: h.first, counts };
}

/** Whole iterations done by each second of the run, computed once per scope. */
function curve(plan: Plan, scope: { journey: string; cohort?: string; service?: string }): (t: number) => number {
  const out = new Float64Array(plan.durationSeconds + 2);
  for (let t = 0; t < out.length; t++) out[t] = Math.floor(targetIterations(plan, scope, 0, t));
  return (t) => out[Math.min(out.length - 1, Math.max(0, Math.floor(t)))] ?? 0;
}

/** The series of a run of `plan` (load from offset 0 to plan.durationSeconds). */
export function syntheticRun(plan: Plan): SyntheticRun {
  const hist: HistSeries[] = [];
  const floats: FloatSeries[] = [];
  const base = { testid: plan.runId, runner: '1' };
  const end = plan.durationSeconds;
  let httpReqs = 0;
  let iterations = 0;
  plan.scenarios.forEach((s, si) => {
    const scope = { journey: s.journey, cohort: s.cohort };
    const iters = curve(plan, scope);
    const tags = { ...base, scenario: s.name, journey: s.journey, service: s.service, cohort: s.cohort };
    iterations += iters(end);
    for (const [ri, route] of (s.routes ?? ['GET /']).entries()) {
      const [method = 'GET'] = route.split(' ');
      const errorShare = si === 0 && ri === 0 ? ERROR_SHARE : 0;
      const variants: Array<{ labels: Record<string, string>; share: number }> = [
        { labels: { status: '200', expected_response: 'true' }, share: 1 - errorShare },
        ...(errorShare > 0 ? [{ labels: { status: '503', expected_response: 'false', error_code: '1503' }, share: errorShare }] : []),
      ];
      for (const v of variants) {
        const labels = { ...tags, method, name: route, route, ...v.labels };
        const reqs = (t: number) => Math.floor(iters(t) * v.share);
        for (const [metric, shape] of Object.entries(K6_TRENDS)) {
          const { first, shares } = nativeShares(shape);
          const h: HistSeries = { labels: { __name__: metric, ...labels, k6_feature_native_histograms: 'true' }, count: reqs, first, shares, mean: shape.median * Math.exp((shape.sigma * shape.sigma) / 2) };
          hist.push(h);
          // k6_http_reqs_total counts what the duration histogram counts.
          if (metric === 'k6_http_req_duration_seconds') {
            floats.push({ labels: { __name__: 'k6_http_reqs_total', ...labels }, value: (t) => histSample(h, t, 0).count });
            httpReqs += histSample(h, end, 0).count;
          }
        }
        floats.push({ labels: { __name__: 'k6_http_req_failed_rate', ...labels }, value: () => (v.labels.expected_response === 'false' ? 1 : 0) });
      }
    }
    const it = nativeShares({ median: 0.021, sigma: 0.6 });
    hist.push({ labels: { __name__: 'k6_iteration_duration_seconds', ...tags, k6_feature_native_histograms: 'true' }, count: iters, first: it.first, shares: it.shares, mean: 0.025 });
    floats.push({ labels: { __name__: 'k6_iterations_total', ...tags }, value: iters });
    floats.push({ labels: { __name__: 'k6_data_received_total', ...tags }, value: (t) => iters(t) * 1100 * s.requestsPerIteration });
    floats.push({ labels: { __name__: 'k6_data_sent_total', ...tags }, value: (t) => iters(t) * 240 * s.requestsPerIteration });
    floats.push({ labels: { __name__: 'k6_checks_rate', ...tags }, value: () => 1 });
  });
  floats.push({ labels: { __name__: 'k6_vus', ...base }, value: () => 40 });
  floats.push({ labels: { __name__: 'k6_vus_max', ...base }, value: () => 400 });
  stackSeries(plan, floats);
  return { hist, floats, httpReqs, iterations };
}

/** The embedded stack's series, as scraped (job "stack"): quiet, steady, no scaling. */
function stackSeries(plan: Plan, floats: FloatSeries[]): void {
  const job = { job: 'stack', instance: '127.0.0.1:8080' };
  const add = (name: string, labels: Record<string, string>, value: (t: number) => number) => floats.push({ labels: { __name__: name, ...job, ...labels }, value });
  const shape: Shape = { median: 0.015, sigma: 0.6 };
  const deployments = new Set<string>(['database', 'rewards-worker']);
  for (const s of plan.scenarios) {
    deployments.add(s.service);
    for (const route of s.routes ?? []) {
      const reqs = curve(plan, { journey: s.journey, service: s.service });
      const labels = { service: s.service, route };
      for (const le of DURATION_BUCKETS) add('stack_http_request_duration_seconds_bucket', { ...labels, le: String(le) }, (t) => Math.floor(reqs(t) * cdf(shape, le)));
      add('stack_http_request_duration_seconds_bucket', { ...labels, le: '+Inf' }, reqs);
      add('stack_http_request_duration_seconds_count', labels, reqs);
      add('stack_http_request_duration_seconds_sum', labels, (t) => reqs(t) * 0.018);
      add('stack_http_requests_total', { ...labels, status: '200' }, reqs);
      add('stack_response_bytes_total', labels, (t) => reqs(t) * 900);
    }
  }
  for (const d of deployments) {
    const lbl = { deployment: d };
    add('stack_cpu_seconds_total', lbl, (t) => t * 0.6);
    add('stack_cpu_cores', lbl, () => 2);
    add('stack_memory_bytes', lbl, (t) => 4e8 + (t % 600) * 1e4);
    add('stack_memory_limit_bytes', lbl, () => 2e9);
    for (const k of ['kube_deployment_spec_replicas', 'kube_deployment_status_replicas', 'kube_deployment_status_replicas_available']) add(k, lbl, () => 2);
    add('stack_inflight_requests', { service: d }, () => 3);
    add('stack_requests_rejected_total', { service: d }, () => 0);
  }
  for (const q of new Set(plan.triggers.flatMap((t) => (t.queue ? [t.queue] : [])))) {
    add('stack_queue_depth', { queue: q }, () => 1);
    add('stack_queue_processed_total', { queue: q }, (t) => t * 10);
  }
  for (const k of ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added']) add(k, {}, () => 1);
}

/**
 * Writes the run into Prometheus from `startMs` on, `chunkSeconds` at a time, in time order
 * (two requests in flight, over disjoint series). Returns the samples written.
 */
export async function writeRun(url: string, run: SyntheticRun, startMs: number, durationSeconds: number, chunkSeconds = 60, progress?: (doneSeconds: number) => void): Promise<number> {
  let written = 0;
  const halves: Array<{ hist: HistSeries[]; floats: FloatSeries[] }> = [
    { hist: run.hist.filter((_, i) => i % 2 === 0), floats: run.floats.filter((_, i) => i % 2 === 0) },
    { hist: run.hist.filter((_, i) => i % 2 === 1), floats: run.floats.filter((_, i) => i % 2 === 1) },
  ];
  for (let t0 = 0; t0 <= durationSeconds; t0 += chunkSeconds) {
    const ts: number[] = [];
    for (let t = t0; t < Math.min(t0 + chunkSeconds, durationSeconds + 1); t++) ts.push(t);
    await Promise.all(
      halves.map((half) => {
        const series: WriteSeries[] = [
          ...half.hist.map((h) => ({ labels: h.labels, histograms: ts.map((t) => histSample(h, t, startMs + t * 1000)) })),
          ...half.floats.map((f) => ({ labels: f.labels, samples: ts.map((t): [number, number] => [startMs + t * 1000, f.value(t)]) })),
        ];
        written += ts.length * (half.hist.length + half.floats.length);
        return remoteWrite(url, series);
      }),
    );
    if (progress && Math.floor((t0 + chunkSeconds) / 3600) > Math.floor(t0 / 3600)) progress(t0 + chunkSeconds);
  }
  return written;
}

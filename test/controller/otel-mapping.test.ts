/**
 * The OTEL target mapping against a real Prometheus, with request histograms written the way
 * the OpenTelemetry Collector's Prometheus exporter writes them (http_server_request_duration_seconds
 * with http_request_method, http_route, http_response_status_code; job "<namespace>/<service>";
 * the pod's namespace as k8s_namespace_name). The KUBERNETES mapping is blind to these series;
 * OTEL reads the route's latency and ignores the other method of the same route. Then whole
 * clusters (kube-state-metrics and cAdvisor as test/fixtures/export/kube-cluster.ts writes them,
 * request histograms the OTel way) are judged with OTEL as the embedded stack is judged: a
 * healthy run passes, a slow login that gets its 2 replicas passes, one that does not fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeTriggers, signalExpr } from '../../src/controller/triggers.ts';
import type { TriggerResult } from '../../src/controller/types.ts';
import { remoteWrite, type ResultSeries } from '../../src/grafana/results.ts';
import { PrometheusClient } from '../../src/metrics/client.ts';
import { parseProfile } from '../../src/plan/load.ts';
import { resolvePlan } from '../../src/plan/resolve.ts';
import { KUBERNETES, OTEL } from '../../profiles/targets.ts';
import { EXPECTED_P95_MS, LATENCY_BUCKETS, clusterSeries, meqenetCluster } from '../fixtures/export/kube-cluster.ts';
import { startPrometheus, type TestPrometheus } from '../grafana/prom-helper.ts';

const SECONDS = 60;
const RPS = 50;

function otelHistogram(start: number, labels: Record<string, string>, buckets: Array<[string, number]>): ResultSeries[] {
  return buckets.map(([le, share]) => ({
    labels: { __name__: 'http_server_request_duration_seconds_bucket', ...labels, le },
    samples: Array.from({ length: SECONDS }, (_, i) => ({ timestamp: (start + i) * 1000, value: Math.round(i * RPS * share) })),
  }));
}

describe('the OTEL mapping on a real Prometheus', () => {
  let prom: TestPrometheus;
  let client: PrometheusClient;
  const start = Math.floor(Date.now() / 1000) - SECONDS - 2;
  const file = 'test/controller/otel-mapping.test.ts';
  const profile = parseProfile(file, { name: 'otel', description: 'otel-labelled', stack: 'meqenet', stages: [{ duration: '10m', target: 100 }], mix: { login: 1 } });
  const plan = resolvePlan(profile, { runId: 'otel', file, targetUrl: 'http://127.0.0.1:1' });
  const authLatency = plan.triggers.find((t) => t.id === 'auth-latency')!;

  beforeAll(async () => {
    prom = await startPrometheus();
    client = new PrometheusClient(prom.url);
    const base = { job: 'meqenet/auth', instance: 'auth-7d9f-abcde', k8s_namespace_name: 'shop', http_route: '/auth/login', http_response_status_code: '200', url_scheme: 'http' };
    // The route under test, and a decoy: GET on the same route, every request over 1 s.
    const slow: Array<[string, number]> = LATENCY_BUCKETS.map(([le]) => [le, le === '+Inf' || le === '2.5' ? 1 : 0]);
    await remoteWrite(prom.remoteWriteUrl, [...otelHistogram(start, { ...base, http_request_method: 'POST' }, LATENCY_BUCKETS), ...otelHistogram(start, { ...base, http_request_method: 'GET' }, slow)]);
  });

  afterAll(async () => {
    await prom?.stop();
  });

  const at = () => start + SECONDS - 5;
  const value = async (expr: string) => (await client.query(expr, at()))[0]?.value[1];

  it('reads the route latency from http_route and http_request_method, not the other method', async () => {
    expect(authLatency.route).toBe('POST /auth/login');
    expect(await value(signalExpr(authLatency, OTEL, 10, 'shop'))).toBeCloseTo(EXPECTED_P95_MS, 0);
  });

  it('is blind where the KUBERNETES mapping looks for route="POST /auth/login"', async () => {
    expect(await value(signalExpr(authLatency, KUBERNETES, 10, 'shop'))).toBeUndefined();
  });

  it('reads nothing from another namespace', async () => {
    expect(await value(signalExpr(authLatency, OTEL, 10, 'elsewhere'))).toBeUndefined();
  });
});

/** 150 one-second samples; POST /auth/login turns slow at SLOW_FROM (p95 ~ 975 ms > 500 ms). */
const CLUSTER_SECONDS = 150;
const SLOW_FROM = 40;
/** auth-latency holds from SLOW_FROM and fires 12 s later (3 min / 15); the grace is ~6 s, so replicas rise in time here. */
const SCALE_AT = 55;
/** Every request of a second between 0.5 s and 1 s. */
const SLOW_BUCKETS: Array<[string, number]> = LATENCY_BUCKETS.map(([le]) => [le, Number(le) >= 1 || le === '+Inf' ? 1 : 0]);

/** A route's histogram as the Collector's Prometheus exporter writes it; `slow(i)`: second i's requests were slow. */
function otelRoute(ns: string, start: number, service: string, route: string, rps: number, slow: (i: number) => boolean): ResultSeries[] {
  const [method, path] = route.split(' ') as [string, string];
  // `namespace` is the Collector's own (target labels of its scrape), not the service's.
  const labels = { job: `meqenet/${service}`, instance: `${service}-7d9f-abcde`, namespace: 'observability', k8s_namespace_name: ns, http_request_method: method, http_route: path, http_response_status_code: '200' };
  return LATENCY_BUCKETS.map(([le], b) => {
    let count = 0;
    const samples = Array.from({ length: CLUSTER_SECONDS }, (_, i) => {
      if (i > 0) count += Math.round(rps * (slow(i) ? SLOW_BUCKETS : LATENCY_BUCKETS)[b]![1]);
      return { timestamp: (start + i) * 1000, value: count };
    });
    return { labels: { __name__: 'http_server_request_duration_seconds_bucket', ...labels, le }, samples };
  });
}

describe('a target labelled the OpenTelemetry way, judged with --mapping otel', () => {
  let prom: TestPrometheus;
  let client: PrometheusClient;
  const start = Math.floor(Date.now() / 1000) - CLUSTER_SECONDS - 2;
  const window = { start, end: start + CLUSTER_SECONDS - 1 };
  const file = 'test/controller/otel-mapping.test.ts';
  const profile = parseProfile(file, { name: 'otel-run', description: 'otel-labelled cluster', stack: 'meqenet', stages: [{ duration: '40m', target: 100 }], mix: { login: 1 } });
  const plan = resolvePlan(profile, { runId: 'otel-run', file, targetUrl: 'http://127.0.0.1:1', timeScale: 15 });
  const cases = {
    healthy: { replicas: () => 2, slow: () => false },
    'slow-scaled': { replicas: (i: number) => (i < SCALE_AT ? 2 : 4), slow: (i: number) => i >= SLOW_FROM && i < SCALE_AT + 4 },
    'slow-not-scaled': { replicas: () => 2, slow: (i: number) => i >= SLOW_FROM },
  };
  const results = new Map<string, TriggerResult[]>();

  beforeAll(async () => {
    prom = await startPrometheus();
    client = new PrometheusClient(prom.url);
    for (const [ns, c] of Object.entries(cases)) {
      const cluster = meqenetCluster(ns, start, CLUSTER_SECONDS, { replicas: c.replicas, cpuCores: () => 0.3 });
      const series = [
        ...clusterSeries({ ...cluster, routes: [] }),
        ...cluster.routes.flatMap((r) => otelRoute(ns, start, r.service, r.route, r.rps, r.route === 'POST /auth/login' ? c.slow : () => false)),
      ];
      for (let i = 0; i < series.length; i += 25) await remoteWrite(prom.remoteWriteUrl, series.slice(i, i + 25));
      results.set(ns, await judgeTriggers(client, plan, window, { mapping: OTEL, namespace: ns, scrapeIntervalSeconds: 1 }));
    }
  });

  afterAll(async () => {
    await prom?.stop();
  });

  const outcomes = (ns: string) => Object.fromEntries((results.get(ns) ?? []).map((r) => [r.id, `${r.outcome} ${r.status}`]));
  const quiet = Object.fromEntries(plan.triggers.map((t) => [t.id, 'not-exercised pass']));

  it('passes a healthy run: every trigger read, none fired', () => {
    expect(outcomes('healthy')).toEqual(quiet);
  });

  it('passes a slow login that gets its 2 replicas', () => {
    expect(outcomes('slow-scaled')).toEqual({ ...quiet, 'auth-latency': 'fired-and-scaled pass' });
    const r = results.get('slow-scaled')!.find((x) => x.id === 'auth-latency')!;
    expect([r.replicasBefore, r.replicasAfter]).toEqual([2, 4]);
  });

  it('fails a slow login that is not scaled', () => {
    expect(outcomes('slow-not-scaled')).toEqual({ ...quiet, 'auth-latency': 'fired-not-scaled fail' });
    const r = results.get('slow-not-scaled')!.find((x) => x.id === 'auth-latency')!;
    // A hold starts half a sampling step (0.5 s) before its first sample above the threshold.
    expect(r.firedAt! - start).toBeGreaterThanOrEqual(SLOW_FROM + 11.5);
    expect(r.firedAt! - start).toBeLessThanOrEqual(SLOW_FROM + 16);
    expect(r.detail).toContain('stayed at 2');
  });

  it('with the KUBERNETES mapping the slow login goes unseen: the mapping must match the labels', async () => {
    const rs = await judgeTriggers(client, plan, window, { mapping: KUBERNETES, namespace: 'slow-not-scaled', scrapeIntervalSeconds: 1 });
    const r = rs.find((x) => x.id === 'auth-latency')!;
    expect([r.outcome, r.detail]).toEqual(['not-exercised', 'never fired, and the profile asks nothing of it: no evidence either way']);
  });
});

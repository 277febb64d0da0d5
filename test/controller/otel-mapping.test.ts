/**
 * The OTEL target mapping against a real Prometheus, with request histograms written the way
 * the OpenTelemetry Collector's Prometheus exporter writes them (http_server_request_duration_seconds
 * with http_request_method, http_route, http_response_status_code; job "<namespace>/<service>";
 * the pod's namespace as k8s_namespace_name). The KUBERNETES mapping is blind to these series;
 * OTEL reads the route's latency and ignores the other method of the same route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalExpr } from '../../src/controller/triggers.ts';
import { remoteWrite, type ResultSeries } from '../../src/grafana/results.ts';
import { PrometheusClient } from '../../src/metrics/client.ts';
import { parseProfile } from '../../src/plan/load.ts';
import { resolvePlan } from '../../src/plan/resolve.ts';
import { KUBERNETES, OTEL } from '../../profiles/targets.ts';
import { EXPECTED_P95_MS, LATENCY_BUCKETS } from '../fixtures/export/kube-cluster.ts';
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

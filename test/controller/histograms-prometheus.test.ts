/**
 * Whole-run percentiles computed from fetched native-histogram buckets agree with Prometheus's
 * own histogram_quantile over the same data (real Prometheus 2.42, native histograms written as
 * k6 writes them), for every grouping and for a scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wholeRunPercentileMs, wholeRunPercentilesBy } from '../../src/controller/histograms.ts';
import { PrometheusClient } from '../../src/metrics/client.ts';
import { writeSyntheticRun } from '../fixtures/grafana/synthetic.ts';
import { startPrometheus, type TestPrometheus } from '../grafana/prom-helper.ts';

describe('whole-run percentiles from one histogram query', () => {
  let prom: TestPrometheus;
  let client: PrometheusClient;
  let at: number;
  let range: number;
  const testid = 'histograms-run';

  beforeAll(async () => {
    prom = await startPrometheus();
    client = new PrometheusClient(prom.url);
    const run = await writeSyntheticRun(prom.remoteWriteUrl, testid);
    at = run.end;
    range = run.end - run.start + 5;
  });

  afterAll(async () => {
    await prom?.stop();
  });

  const server = async (p: number, by: string, scope = ''): Promise<Map<string, number>> => {
    const r = await client.query(`histogram_quantile(${p / 100}, sum by (${by}) (increase(k6_http_req_duration_seconds{testid="${testid}"${scope}}[${range}s]))) * 1000`, at);
    return new Map(r.map((s) => [s.metric[by] ?? '', s.value[1]]));
  };

  for (const label of ['journey', 'service', 'cohort'] as const) {
    it(`p50, p95, p99 by ${label} equal Prometheus's`, async () => {
      for (const p of [50, 95, 99]) {
        const want = await server(p, label);
        const got = await wholeRunPercentilesBy(client, testid, label, p, range, at);
        expect(want.size).toBe(2);
        expect([...got!.keys()].sort()).toEqual([...want.keys()].sort());
        for (const [k, v] of want) expect(got!.get(k)).toBeCloseTo(v, 6);
      }
    });
  }

  it('a scoped percentile and the all-traffic one equal Prometheus’s', async () => {
    const scoped = (await server(95, 'cohort', ',cohort="rural-3g"')).get('rural-3g');
    expect(await wholeRunPercentileMs(client, testid, { cohort: 'rural-3g' }, 95, range, at)).toBeCloseTo(scoped!, 6);
    const all = await client.query(`histogram_quantile(0.99, sum (increase(k6_http_req_duration_seconds{testid="${testid}"}[${range}s]))) * 1000`, at);
    expect(await wholeRunPercentileMs(client, testid, {}, 99, range, at)).toBeCloseTo(all[0]!.value[1], 6);
    expect(await wholeRunPercentileMs(client, testid, { journey: 'no-such' }, 99, range, at)).toBeNull();
  });
});

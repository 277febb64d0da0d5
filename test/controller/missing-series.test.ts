/**
 * No data, no pass, on a real Prometheus: cluster series are remote-written with the trigger's
 * metric left out (the live check before the load stops the run naming the expression) or cut
 * off half-way (the row is `no-data`, inconclusive, naming the expression). Each case has its
 * own namespace so their series never mix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRowData } from '../../src/controller/evidence.ts';
import { judgeTriggers } from '../../src/controller/triggers.ts';
import { checkLiveData } from '../../src/controller/validate.ts';
import { InputError } from '../../src/errors.ts';
import { remoteWrite, type ResultSeries } from '../../src/grafana/results.ts';
import { PrometheusClient } from '../../src/metrics/client.ts';
import { parseProfile } from '../../src/plan/load.ts';
import { resolvePlan } from '../../src/plan/resolve.ts';
import { KUBERNETES } from '../../profiles/targets.ts';
import { clusterSeries, meqenetCluster } from '../fixtures/export/kube-cluster.ts';
import { startPrometheus, type TestPrometheus } from '../grafana/prom-helper.ts';

/** 120 one-second samples ending now, so an instant query at "now" sees them. */
const SECONDS = 120;
/** In the `vanish` namespace auth's cAdvisor CPU series stop at this second. */
const CUT_AT = 50;

const file = 'test/controller/missing-series.test.ts';
const plan = resolvePlan(
  parseProfile(file, { name: 'missing', description: 'synthetic cluster', stack: 'meqenet', stages: [{ duration: '40m', target: 100 }], mix: { login: 1 } }),
  { runId: 'missing', file, targetUrl: 'http://127.0.0.1:1', timeScale: 15 },
);

async function push(url: string, all: ResultSeries[]): Promise<void> {
  for (let i = 0; i < all.length; i += 25) await remoteWrite(url, all.slice(i, i + 25));
}

const isAuthCpu = (s: ResultSeries): boolean => s.labels.__name__ === 'container_cpu_usage_seconds_total' && (s.labels.pod ?? '').startsWith('auth-');

describe('a target whose series are missing, on a real Prometheus', () => {
  let prom: TestPrometheus;
  let client: PrometheusClient;
  const start = Math.floor(Date.now() / 1000) - SECONDS + 1;
  const window = { start: start + 10, end: start + SECONDS - 1 };

  beforeAll(async () => {
    prom = await startPrometheus();
    client = new PrometheusClient(prom.url);
    const cluster = (ns: string) => clusterSeries(meqenetCluster(ns, start, SECONDS, { replicas: () => 2, cpuCores: () => 0.4 }));
    await push(prom.remoteWriteUrl, cluster('complete'));
    // No cAdvisor at all: the CPU signal matches nothing.
    await push(prom.remoteWriteUrl, cluster('nocpu').filter((s) => s.labels.__name__ !== 'container_cpu_usage_seconds_total'));
    const vanish = cluster('vanish').map((s) => (isAuthCpu(s) ? { ...s, samples: s.samples.slice(0, CUT_AT) } : s));
    await push(prom.remoteWriteUrl, vanish);
  });

  afterAll(async () => {
    await prom?.stop();
  });

  it('the live check before the load passes when every signal and replica query has data', async () => {
    await expect(checkLiveData(client, plan, KUBERNETES, 'kubernetes', 'complete', { scrapeIntervalSeconds: 1, timeoutMs: 3000 })).resolves.toBeUndefined();
  });

  it('the live check stops a run whose CPU signal matches nothing, naming file, key and expression', async () => {
    const err = await checkLiveData(client, plan, KUBERNETES, 'kubernetes', 'nocpu', { scrapeIntervalSeconds: 1, timeoutMs: 1500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(
      /^profiles\/targets\.ts: kubernetes\.signals\.cpu: matches no series in Prometheus \(trigger auth-cpu\) \(got "100 \* sum\(rate\(container_cpu_usage_seconds_total\{namespace=\\"nocpu\\",container!=.*owner_name=\\"auth\\"/,
    );
    expect((err as Error).message).not.toContain('\n');
  });

  it('a row whose signal vanishes mid-run is no-data and inconclusive, naming the expression', async () => {
    const rows = await judgeTriggers(client, plan, window, { mapping: KUBERNETES, namespace: 'vanish', scrapeIntervalSeconds: 1 });
    const checked = await checkRowData(client, plan, window, rows, { mapping: KUBERNETES, namespace: 'vanish', scrapeIntervalSeconds: 1 });
    const auth = checked.find((r) => r.id === 'auth-cpu')!;
    expect(auth.outcome).toBe('no-data');
    expect(auth.status).toBe('inconclusive');
    expect(auth.detail).toMatch(/^signal query returned no data after \+\d+ s of \d+ s: 100 \* sum\(rate\(container_cpu_usage_seconds_total\{namespace="vanish",container!=.*owner_name="auth"/);
    // The database's CPU series never stopped: its row keeps its own judgement.
    expect(checked.find((r) => r.id === 'database-cpu')!.outcome).not.toBe('no-data');
  });

  it('rows with data over the whole run keep their judgement', async () => {
    const rows = await judgeTriggers(client, plan, window, { mapping: KUBERNETES, namespace: 'complete', scrapeIntervalSeconds: 1 });
    const checked = await checkRowData(client, plan, window, rows, { mapping: KUBERNETES, namespace: 'complete', scrapeIntervalSeconds: 1 });
    expect(checked.filter((r) => r.outcome === 'no-data').map((r) => r.detail)).toEqual([]);
    expect(checked).toEqual(rows);
  });
});

/**
 * The KUBERNETES target mapping against a real Prometheus: synthetic kube-state-metrics,
 * cAdvisor, request-histogram and Kafka-exporter series are remote-written, then the
 * controller's own queries (signalExpr, replicasExpr) and judgeTriggers run over them.
 * Each case has its own namespace so their series never mix. Real-cluster conventions: pods
 * are a workload's by their owners (`rewards` next to a busy `rewards-worker`), the database is
 * a StatefulSet, and in `shop` the Kafka exporter runs in its own namespace `kafka`, with a
 * `kafka-staging` exporter whose lag on the same topics would fire the queue triggers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeTriggers, replicasExpr, signalExpr } from '../../src/controller/triggers.ts';
import type { TriggerResult } from '../../src/controller/types.ts';
import { remoteWrite, type ResultSeries } from '../../src/grafana/results.ts';
import { PrometheusClient } from '../../src/metrics/client.ts';
import { parseProfile } from '../../src/plan/load.ts';
import { resolvePlan } from '../../src/plan/resolve.ts';
import type { Plan } from '../../src/plan/types.ts';
import { KUBERNETES, resolveMapping } from '../../profiles/targets.ts';
import { EXPECTED_P95_MS, clusterSeries, meqenetCluster } from '../fixtures/export/kube-cluster.ts';
import { startPrometheus, type TestPrometheus } from '../grafana/prom-helper.ts';

/** Synthetic time: 150 one-second samples ending just before now. */
const SECONDS = 150;
/** auth's CPU demand rises from 30 % to 85 % of its two pods' requests (2 x 0.5 core) at this second. */
const HIGH_FROM = 40;
/** The spec asks for more auth replicas at this second: a few seconds after the fire (~HIGH_FROM + 3 + 20). */
const SCALE_AT = 66;
/** T = 15: auth-cpu's 5 min `for` is 20 s of wall clock. */
const TIME_SCALE = 15;

const authCpu = (i: number) => (i < HIGH_FROM ? 0.3 : 0.85);

function meqenetPlan(runId: string): Plan {
  const file = 'test/controller/kubernetes-mapping.test.ts';
  const profile = parseProfile(file, {
    name: 'k8s-mapping',
    description: 'synthetic cluster',
    stack: 'meqenet',
    stages: [{ duration: '40m', target: 100 }],
    mix: { login: 1 },
    expect: { 'auth-cpu': 'fire' },
  });
  return resolvePlan(profile, { runId, file, targetUrl: 'http://127.0.0.1:1', timeScale: TIME_SCALE });
}

async function push(url: string, all: ResultSeries[]): Promise<void> {
  for (let i = 0; i < all.length; i += 25) await remoteWrite(url, all.slice(i, i + 25));
}

describe('the KUBERNETES mapping on a real Prometheus', () => {
  let prom: TestPrometheus;
  let client: PrometheusClient;
  const start = Math.floor(Date.now() / 1000) - SECONDS - 2;
  const window = { start, end: start + SECONDS - 1 };
  const plan = meqenetPlan('k8s-mapping');
  const results = new Map<string, TriggerResult[]>();

  const cases: Record<string, (i: number) => number> = {
    scaled: (i) => (i < SCALE_AT ? 2 : 4),
    'not-scaled': () => 2,
    'one-step': (i) => (i < SCALE_AT ? 2 : 3),
  };

  beforeAll(async () => {
    prom = await startPrometheus();
    client = new PrometheusClient(prom.url);
    for (const [ns, replicas] of Object.entries(cases)) {
      await push(prom.remoteWriteUrl, clusterSeries(meqenetCluster(ns, start, SECONDS, { replicas, cpuCores: authCpu })));
    }
    const quiet = { replicas: () => 2, cpuCores: () => 0.3 };
    await push(prom.remoteWriteUrl, clusterSeries(meqenetCluster('shop', start, SECONDS, quiet, 'kafka')));
    const staging = meqenetCluster('staging', start, SECONDS, quiet, 'kafka-staging');
    await push(prom.remoteWriteUrl, clusterSeries({ ...staging, lag: { 'payment-processing': 50_000, 'transaction.completed': 90_000 } }));
  });

  afterAll(async () => {
    await prom?.stop();
  });

  async function judged(ns: string): Promise<TriggerResult[]> {
    const cached = results.get(ns);
    if (cached) return cached;
    const r = await judgeTriggers(client, plan, window, { mapping: KUBERNETES, namespace: ns, scrapeIntervalSeconds: 1 });
    results.set(ns, r);
    return r;
  }

  const byId = (rs: TriggerResult[], id: string): TriggerResult => {
    const r = rs.find((x) => x.id === id);
    if (!r) throw new Error(`no result for ${id}`);
    return r;
  };

  it('reads each signal in its unit, ignoring pod-cgroup, pause-container and other-namespace series', async () => {
    const at = start + 30;
    const value = async (expr: string) => (await client.query(expr, at))[0]?.value[1];
    const t = (id: string) => plan.triggers.find((x) => x.id === id)!;
    const sig = (id: string) => signalExpr(t(id), KUBERNETES, 10, 'scaled');
    expect(await value(sig('auth-cpu'))).toBeCloseTo(30, 1);
    expect(await value(sig('database-cpu'))).toBeCloseTo(40, 1);
    expect(await value(signalExpr({ ...t('auth-cpu'), signal: 'memory' }, KUBERNETES, 10, 'scaled'))).toBeCloseTo((100 * 300) / 512, 1);
    expect(await value(sig('auth-latency'))).toBeCloseTo(EXPECTED_P95_MS, 0);
    expect(await value(sig('payments-queue'))).toBe(20);
    expect(await value(sig('eventbus-lag'))).toBe(300);
    expect(await value(replicasExpr('auth', KUBERNETES, 'scaled'))).toBe(2);
    expect(await value(replicasExpr('auth', KUBERNETES, 'nowhere'))).toBeUndefined();
  });

  it('matches pods by their owners: rewards is not rewards-worker, the database is a StatefulSet', async () => {
    const at = start + 30;
    const value = async (expr: string) => (await client.query(expr, at))[0]?.value[1];
    const cpu = plan.triggers.find((x) => x.id === 'auth-cpu')!;
    // rewards: 2 pods x 0.5 core at 20 %; rewards-worker: 2 pods x 0.25 core at 90 %.
    expect(await value(signalExpr({ ...cpu, service: 'rewards' }, KUBERNETES, 10, 'scaled'))).toBeCloseTo(20, 1);
    expect(await value(signalExpr({ ...cpu, service: 'rewards-worker' }, KUBERNETES, 10, 'scaled'))).toBeCloseTo(90, 1);
    // The decoy bites: a name prefix mixes both workloads, (0.2 + 0.45) / 1.5 cores.
    const byPrefix =
      '100 * sum(rate(container_cpu_usage_seconds_total{namespace="scaled",pod=~"rewards-.*",container!="",container!="POD"}[10s])) / sum(kube_pod_container_resource_requests{namespace="scaled",pod=~"rewards-.*",resource="cpu"})';
    expect(await value(byPrefix)).toBeCloseTo((100 * 0.65) / 1.5, 1);
    // The database: a StatefulSet (pod database-0), read through kube_statefulset_*.
    expect(await value(replicasExpr('database', KUBERNETES, 'scaled'))).toBe(1);
    expect(await value(KUBERNETES.availableReplicas.replace(/\$namespace/g, 'scaled').replace(/\$deployment/g, 'database'))).toBe(1);
    expect(await value(signalExpr({ ...cpu, service: 'database' }, KUBERNETES, 10, 'scaled'))).toBeCloseTo(40, 1);
    expect(await value('kube_deployment_spec_replicas{namespace="scaled",deployment="database"}')).toBeUndefined();
  });

  it('reads a Kafka exporter in its own namespace with --queue-namespace, and nothing of another one', async () => {
    const at = start + 30;
    const value = async (expr: string) => (await client.query(expr, at))[0]?.value[1];
    const t = (id: string) => plan.triggers.find((x) => x.id === id)!;
    const kafka = resolveMapping('kubernetes', 'kafka');
    expect(await value(signalExpr(t('payments-queue'), kafka, 10, 'shop'))).toBe(20);
    expect(await value(signalExpr(t('eventbus-lag'), kafka, 10, 'shop'))).toBe(300);
    // Without it the app's namespace has no lag series: blind, not wrong.
    expect(await value(signalExpr(t('payments-queue'), KUBERNETES, 10, 'shop'))).toBeUndefined();
    // The whole judgement: kafka-staging's 50,000 pending would fire payments-queue (threshold 500).
    const rs = await judgeTriggers(client, plan, window, { mapping: kafka, namespace: 'shop', scrapeIntervalSeconds: 1 });
    for (const id of ['payments-queue', 'eventbus-lag']) expect([id, byId(rs, id).outcome, byId(rs, id).status]).toEqual([id, 'not-exercised', 'pass']);
    const wrong = await judgeTriggers(client, plan, window, { mapping: resolveMapping('kubernetes', 'kafka-staging'), namespace: 'shop', scrapeIntervalSeconds: 1 });
    expect([byId(wrong, 'payments-queue').outcome, byId(wrong, 'payments-queue').status]).toEqual(['fired-not-scaled', 'fail']);
  });

  it('judges auth-cpu fired-and-scaled when replicas rise by 2 a few seconds after the fire', async () => {
    const rs = await judged('scaled');
    const r = byId(rs, 'auth-cpu');
    expect(r.outcome, r.detail).toBe('fired-and-scaled');
    expect(r.status).toBe('pass');
    // Held from ~3 s after the rise (the 4 s rate window fills); fired 20 s after the signal was
    // past the far edge of its measurement band (73.5 %), which the filling window reaches 1 s later.
    expect(r.heldIntervals[0]![0] - start).toBeGreaterThanOrEqual(HIGH_FROM);
    expect(r.heldIntervals[0]![0] - start).toBeLessThanOrEqual(HIGH_FROM + 5);
    expect(r.firedAt! - r.heldIntervals[0]![0]).toBeCloseTo(21, 5);
    expect(r.scaledAt).toBe(start + SCALE_AT);
    expect(r.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(r.lagSeconds).toBeLessThan(r.graceSeconds);
    expect([r.replicasBefore, r.replicasAfter, r.expectedStep]).toEqual([2, 4, 2]);
    // With four pods the demand is 42.5 % of requests: the condition stops holding.
    expect(r.heldIntervals.at(-1)![1] - start).toBeLessThan(SCALE_AT + 10);
  });

  it('judges every other Meqenet trigger from the cluster data: quiet, conclusive, passing', async () => {
    const rs = await judged('scaled');
    expect(rs.map((r) => r.id).sort()).toEqual(plan.triggers.map((t) => t.id).sort());
    for (const r of rs.filter((x) => x.id !== 'auth-cpu')) {
      expect([r.id, r.outcome, r.status]).toEqual([r.id, 'not-exercised', 'pass']);
    }
  });

  it('judges fired-not-scaled (fail) when replicas never rise', async () => {
    const r = byId(await judged('not-scaled'), 'auth-cpu');
    expect(r.outcome, r.detail).toBe('fired-not-scaled');
    expect(r.status).toBe('fail');
    expect(r.firedAt! - start).toBeGreaterThan(HIGH_FROM + 20);
    expect(r.firedAt! - start).toBeLessThan(SCALE_AT);
    expect(r.replicasBefore).toBe(2);
    expect(r.detail).toContain('stayed at 2');
  });

  it('judges wrong-step (fail) when replicas rise by 1 instead of 2', async () => {
    const r = byId(await judged('one-step'), 'auth-cpu');
    expect(r.outcome, r.detail).toBe('wrong-step');
    expect(r.status).toBe('fail');
    expect([r.replicasBefore, r.replicasAfter]).toEqual([2, 3]);
    expect(r.detail).toContain('promised 2');
  });
});

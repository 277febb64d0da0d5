/**
 * Per-trigger evidence: each scale-up is credited to the trigger that caused it (the embedded
 * autoscaler's record, or step and timing where a target keeps none), every firing is judged,
 * flapping is counted per trigger. The worlds are written out sample by sample.
 */
import { describe, expect, it } from 'vitest';
import { graceFor, judgeTriggers } from '../../src/controller/triggers.ts';
import type { TriggerResult } from '../../src/controller/types.ts';
import type { Plan, PlanTrigger } from '../../src/plan/types.ts';
import { EMBEDDED, KUBERNETES } from '../../profiles/targets.ts';
import { FakeWorld, judgePlan } from './fake-world.ts';

const T0 = 1000;
/** Time scale 60, scrape 1 s: the window is 4 scrapes, the cool-down 3 s, the flap window 5 s. */
const TS = 60;

function row(id: string, service: string, over: Partial<PlanTrigger>): PlanTrigger {
  const forSeconds = over.forSeconds ?? 0;
  return { id, service, signal: 'cpu', percentile: 95, op: '>', threshold: 70, action: { type: 'add-instances', count: 2 }, minReplicas: 2, maxReplicas: 10, expect: 'any', source: 'test', ...over, forSeconds, forWallSeconds: forSeconds / TS };
}

const AUTH_CPU = row('auth-cpu', 'auth', { forSeconds: 300 });
const AUTH_LATENCY = row('auth-latency', 'auth', { signal: 'latency', route: 'POST /auth/login', threshold: 500, forSeconds: 180 });
const PAY_QUEUE = row('payments-queue', 'payments', { signal: 'queue', queue: 'payment-processing', threshold: 500, action: { type: 'add-instances', count: 3 } });
const PAY_LATENCY = row('payments-credit-latency', 'payments', { signal: 'latency', route: 'POST /payments/credit-decision', threshold: 1000, forSeconds: 300 });

/** One sample a second from T0 for `n` s; `f` gives the value at second i. */
const per = (n: number, f: (i: number) => number): Array<[number, number]> => Array.from({ length: n }, (_, i) => [T0 + i, f(i)]);
const high = (from: number, to: number, hi: number, lo: number): Array<[number, number]> => per(60, (i) => (i >= from && i <= to ? hi : lo));
/** A step series: `value` from each listed second on. */
const steps = (start: number, changes: Array<[number, number]>): Array<[number, number]> => per(60, (i) => changes.filter(([at]) => at <= i).at(-1)?.[1] ?? start);

async function judge(triggers: PlanTrigger[], ranges: Array<[string, Array<[number, number]>]>, mapping = EMBEDDED): Promise<Map<string, TriggerResult>> {
  const plan: Plan = judgePlan({ timeScale: TS, triggers });
  const rows = await judgeTriggers(new FakeWorld(plan, { requests: {}, latencyMs: null, ranges }), plan, { start: T0, end: T0 + 59 }, { mapping, scrapeIntervalSeconds: 1 });
  return new Map(rows.map((r) => [r.id, r]));
}

const rec = (id: string, direction: 'up' | 'down'): string => `trigger="${id}",direction="${direction}"`;

describe('a scale-up is credited to the trigger that caused it', () => {
  // auth-cpu holds from 10 s (fires at 14.5 s); auth-latency holds 20..30 s (fires at 22.5 s)
  // and the stack adds 2 at 24 s because of auth-latency: auth-cpu's action was ignored.
  const ignored: Array<[string, Array<[number, number]>]> = [
    ['stack_cpu_seconds_total', high(10, 40, 90, 30)],
    ['POST /auth/login', high(20, 30, 800, 100)],
    ['kube_deployment_spec_replicas{deployment="auth"}', steps(3, [[24, 5]])],
    [rec('auth-latency', 'up'), steps(0, [[24, 2]])],
    [rec('auth-latency', 'down'), steps(0, [])],
    [rec('auth-cpu', 'up'), steps(0, [])],
    [rec('auth-cpu', 'down'), steps(0, [])],
  ];

  it("ignore:auth-cpu: auth-latency's +2 is not auth-cpu's, which fired and was not scaled", async () => {
    const r = await judge([AUTH_CPU, AUTH_LATENCY], ignored);
    expect(r.get('auth-cpu')).toMatchObject({ outcome: 'fired-not-scaled', status: 'fail', firedAt: T0 + 14.5 });
    expect(r.get('auth-latency')).toMatchObject({ outcome: 'fired-and-scaled', status: 'pass', firedAt: T0 + 22.5, scaledAt: T0 + 24, lagSeconds: 1.5, replicasBefore: 3, replicasAfter: 5 });
    expect(r.get('auth-latency')!.detail).toMatch(/autoscaler's record/);
  });

  it('without a record (a Kubernetes target) the step and timing give the same credit', async () => {
    const k8s = ignored.map(([k, v]): [string, Array<[number, number]>] => [k.replace('stack_cpu', 'container_cpu_usage').replace('{deployment', '{namespace="default",deployment'), v]);
    const r = await judge([AUTH_CPU, AUTH_LATENCY], k8s, KUBERNETES);
    expect(r.get('auth-cpu')!.outcome).toBe('fired-not-scaled');
    expect(r.get('auth-latency')).toMatchObject({ outcome: 'fired-and-scaled', scaledAt: T0 + 24 });
    expect(r.get('auth-latency')!.detail).toMatch(/step and timing/);
  });

  it("late:payments-queue:20 reports payments-queue's own lag and step, not the credit latency's +2", async () => {
    // The queue holds from 10 s (fires at 9.5 s); credit latency holds 12..20 s (fires at 16.5 s)
    // and adds 2 at 18 s; the queue's +3 comes 20 s late, at 30 s.
    const r = await judge(
      [PAY_QUEUE, PAY_LATENCY],
      [
        ['stack_queue_depth', high(10, 50, 900, 10)],
        ['POST /payments/credit-decision', high(12, 20, 1500, 200)],
        ['kube_deployment_spec_replicas{deployment="payments"}', steps(3, [[18, 5], [30, 8]])],
        [rec('payments-credit-latency', 'up'), steps(0, [[18, 2]])],
        [rec('payments-credit-latency', 'down'), steps(0, [])],
        [rec('payments-queue', 'up'), steps(0, [[30, 3]])],
        [rec('payments-queue', 'down'), steps(0, [])],
      ],
    );
    expect(r.get('payments-queue')).toMatchObject({ outcome: 'scaled-late', firedAt: T0 + 9.5, scaledAt: T0 + 30, lagSeconds: 20.5, replicasBefore: 5, replicasAfter: 8 });
    expect(r.get('payments-credit-latency')).toMatchObject({ outcome: 'fired-and-scaled', scaledAt: T0 + 18, replicasBefore: 3, replicasAfter: 5 });
  });
});

describe('every firing is judged and flapping is counted per trigger', () => {
  it('flap:auth-cpu fails auth-cpu only; auth-latency, which behaved, passes', async () => {
    const r = await judge(
      [AUTH_CPU, AUTH_LATENCY],
      [
        ['stack_cpu_seconds_total', high(10, 40, 90, 30)],
        ['POST /auth/login', high(20, 30, 800, 100)],
        ['kube_deployment_spec_replicas{deployment="auth"}', steps(3, [[16, 5], [17, 3], [22, 5], [23, 3], [24, 5], [28, 7], [29, 5], [34, 7], [35, 5]])],
        [rec('auth-cpu', 'up'), steps(0, [[16, 2], [22, 4], [28, 6], [34, 8]])],
        [rec('auth-cpu', 'down'), steps(0, [[17, 2], [23, 4], [29, 6], [35, 8]])],
        [rec('auth-latency', 'up'), steps(0, [[24, 2]])],
        [rec('auth-latency', 'down'), steps(0, [])],
      ],
    );
    expect(r.get('auth-cpu')).toMatchObject({ outcome: 'flapping', status: 'fail' });
    // Each cycle with its times; the CPU held at 90 % through every down (blame.ts keeps those).
    expect(r.get('auth-cpu')!.flapCycles).toEqual([17, 23, 29].map((d) => ({ down: T0 + d, back: T0 + d + 5, heldAtDown: true })));
    expect(r.get('auth-latency')!.flapCycles).toBeUndefined();
    expect(r.get('auth-latency')).toMatchObject({ outcome: 'fired-and-scaled', status: 'pass', scaledAt: T0 + 24 });
  });

  it('marks the cycles whose scale-down came after the condition cleared', async () => {
    const r = await judge(
      [AUTH_CPU],
      [
        ['stack_cpu_seconds_total', high(10, 26, 90, 30)],
        ['POST /auth/login', high(0, -1, 800, 100)],
        ['kube_deployment_spec_replicas{deployment="auth"}', steps(3, [[16, 5], [17, 3], [22, 5], [29, 3], [33, 5]])],
        [rec('auth-cpu', 'up'), steps(0, [[16, 2], [22, 4], [33, 6]])],
        [rec('auth-cpu', 'down'), steps(0, [[17, 2], [29, 4]])],
      ],
    );
    expect(r.get('auth-cpu')!.flapCycles).toEqual([
      { down: T0 + 17, back: T0 + 22, heldAtDown: true },
      { down: T0 + 29, back: T0 + 33, heldAtDown: false },
    ]);
  });

  // auth-latency holds 10..25 s with a 3 s window: it fires at 12.5 s, and again 3 s after
  // each scale-up while the condition still holds.
  const latencyHeld: Array<[string, Array<[number, number]>]> = [
    ['stack_cpu_seconds_total', high(0, -1, 90, 30)],
    ['POST /auth/login', high(10, 25, 800, 100)],
  ];
  const withUps = (ups: number[]): Array<[string, Array<[number, number]>]> => [
    ...latencyHeld,
    ['kube_deployment_spec_replicas{deployment="auth"}', steps(3, ups.map((at, k) => [at, 5 + 2 * k]))],
    [rec('auth-latency', 'up'), steps(0, ups.map((at, k) => [at, 2 * (k + 1)]))],
    [rec('auth-latency', 'down'), steps(0, [])],
    [rec('auth-cpu', 'up'), steps(0, [])],
    [rec('auth-cpu', 'down'), steps(0, [])],
  ];

  it('a second firing left unanswered fails the row, naming the firing', async () => {
    const r = (await judge([AUTH_CPU, AUTH_LATENCY], withUps([14]))).get('auth-latency')!;
    expect(r).toMatchObject({ outcome: 'fired-not-scaled', status: 'fail', firedAt: T0 + 17 });
    expect(r.detail).toMatch(/^firing 2 of 3: fired but replicas stayed at 5/);
  });

  it('every firing answered: the row passes and reports its first firing', async () => {
    const r = (await judge([AUTH_CPU, AUTH_LATENCY], withUps([14, 18, 22]))).get('auth-latency')!;
    expect(r).toMatchObject({ outcome: 'fired-and-scaled', status: 'pass', firedAt: T0 + 12.5, scaledAt: T0 + 14 });
    expect(r.detail).toMatch(/3 firings judged, none failed/);
  });
});

describe('a hold that ends inside the cool-down is no firing', () => {
  it("the queue's brief return at 13 s is not matched to the scale-up that answers its return at 16 s", async () => {
    // Cool-down 3 s after the +3 at 11 s: the hold at 12.5..13.5 s ends before 14 s.
    const r = await judge(
      [PAY_QUEUE],
      [
        ['stack_queue_depth', per(60, (i) => ((i >= 10 && i <= 11) || i === 13 || (i >= 16 && i <= 24) ? 900 : 10))],
        ['kube_deployment_spec_replicas{deployment="payments"}', steps(3, [[11, 6], [18, 9]])],
        [rec('payments-queue', 'up'), steps(0, [[11, 3], [18, 6]])],
        [rec('payments-queue', 'down'), steps(0, [])],
      ],
    );
    expect(r.get('payments-queue')).toMatchObject({ outcome: 'fired-and-scaled', status: 'pass', firedAt: T0 + 9.5, scaledAt: T0 + 11 });
    expect(r.get('payments-queue')!.detail).toMatch(/2 firings judged, none failed/);
  });
});

describe('the grace in plan time', () => {
  const plan = (timeScale: number): Plan => judgePlan({ timeScale, triggers: [PAY_QUEUE] });

  it('a quick spike (time scale 66, scrape 0.25 s) has 34.5 s of plan terms + 2 scrapes: under a 1.2 s late fault', () => {
    // 15 s sync + a quarter of the 1 s window x 66 + half of (66 s - the autoscaler's 60 s) = 34.5 s plan = 0.523 s, + 0.5 s of scrapes.
    const g = graceFor(PAY_QUEUE, plan(66), EMBEDDED, 0.25);
    expect(g.seconds).toBeCloseTo(1.0227, 3);
    expect(g.derivation).toMatch(/sync 15 s \+ window skew 16\.5 s \+ window mismatch 3 s \(66 s vs the autoscaler's 60 s\)/);
  });

  it('a full run (time scale 1, scrape 1 s): 15 s sync + 15 s skew + 2 s of scrapes, the windows alike', () => {
    const g = graceFor(PAY_QUEUE, plan(1), EMBEDDED, 1);
    expect(g.seconds).toBeCloseTo(32, 5);
    expect(g.derivation).not.toMatch(/mismatch/);
  });

  it('a quick spike judged through a Prometheus scraping every 1 s allows for its 4 s window against the autoscaler\'s 0.9 s', () => {
    // Window max(60/66, 4 x 1) = 4 s wall = 264 s plan; mismatch (264 - 60) / 2 = 102 s plan.
    const g = graceFor(PAY_QUEUE, plan(66), EMBEDDED, 1);
    expect(g.seconds).toBeCloseTo((15 + 66 + 102) / 66 + 2, 5);
    expect(g.derivation).toMatch(/window mismatch 102 s \(264 s vs the autoscaler's 60 s\)/);
  });

  it('a mapping that does not know its autoscaler\'s window adds no mismatch', () => {
    const { evaluationWindowSeconds: _unknown, ...rest } = EMBEDDED;
    expect(graceFor(PAY_QUEUE, plan(66), rest, 1).seconds).toBeCloseTo((15 + 66) / 66 + 2, 5);
  });
});

describe('an HPA acts beyond its 10 % tolerance', () => {
  it('backend-cpu at 70 % fires where CPU passes 77 %, not 70 %', async () => {
    const hpa = row('backend-cpu', 'backend', { action: { type: 'hpa' } });
    const r = await judge(
      [hpa],
      [
        ['stack_cpu_seconds_total', per(60, (i) => (i < 10 ? 60 : i < 14 ? 74 : i < 30 ? 85 : 50))],
        ['kube_deployment_spec_replicas{deployment="backend"}', steps(2, [[15, 3]])],
        [rec('backend-cpu', 'up'), steps(0, [[15, 1]])],
        [rec('backend-cpu', 'down'), steps(0, [])],
      ],
    );
    expect(r.get('backend-cpu')).toMatchObject({ outcome: 'fired-and-scaled', firedAt: T0 + 13.5, lagSeconds: 1.5 });
    expect(r.get('backend-cpu')!.condition).toMatch(/fires at 77 %/);
  });
});

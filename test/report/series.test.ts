import { describe, expect, it } from 'vitest';
import type { InstantSample, MetricSource, RangeSeries } from '../../src/metrics/client.ts';
import { collectSeries, rateWindowFor, seriesQueries, stepFor, targetSeries } from '../../src/report/series.ts';
import { plannedRate } from '../../src/plan/rate.ts';
import { DURATION, T0, makePlan, makeVerdict } from '../fixtures/report/synthetic.ts';

class FakeSource implements MetricSource {
  calls: Array<{ expr: string; start: number; end: number; step: number }> = [];
  constructor(private readonly answer: (expr: string) => RangeSeries[]) {}
  async query(): Promise<InstantSample[]> {
    return [];
  }
  async queryRange(expr: string, start: number, end: number, step: number): Promise<RangeSeries[]> {
    this.calls.push({ expr, start, end, step });
    return this.answer(expr);
  }
}

describe('resolution', () => {
  it('aims at about 300 points, never finer than 1 s, rate window at least 5 s', () => {
    expect(stepFor(120)).toBe(1);
    expect(stepFor(301)).toBe(2);
    expect(stepFor(3600)).toBe(12);
    expect(rateWindowFor(1)).toBe(5);
    expect(rateWindowFor(12)).toBe(48);
  });
});

describe('target rate', () => {
  const sc = makePlan().scenarios[0];
  if (!sc) throw new Error('fixture has no scenario');
  it('follows ramping-arrival-rate stages', () => {
    expect(plannedRate(sc, -1)).toBe(0);
    expect(plannedRate(sc, 0)).toBe(3);
    expect(plannedRate(sc, 75)).toBeCloseTo(16.5);
    expect(plannedRate(sc, 90)).toBe(30);
    expect(plannedRate(sc, 270)).toBe(15);
    expect(plannedRate(sc, 301)).toBe(0);
  });
  it('multiplies iterations/s by requests per iteration and sums cohorts of a journey', () => {
    const plan = makePlan();
    const checkout = plan.scenarios.find((s) => s.journey === 'checkout');
    if (!checkout) throw new Error('no checkout');
    plan.scenarios.push({ ...checkout, name: 'checkout_rural', cohort: 'rural' });
    const series = targetSeries(plan, T0, T0, T0 + DURATION, 1).find((s) => s.id === 'target_rps:checkout');
    expect(series?.points.find(([t]) => t === T0 + 100)?.[1]).toBe(2 * 2 * 10);
  });
});

describe('collectSeries', () => {
  it('queries every family with the run id, drops NaN samples and reports failed queries', async () => {
    const source = new FakeSource((expr) => {
      if (expr.includes('stack_queue_depth')) throw new Error('bad_data: parse error');
      if (expr.startsWith('sum by (journey) (rate(k6_http_reqs_total')) {
        return [{ metric: { journey: 'login' }, values: [[T0, 1], [T0 + 1, NaN], [T0 + 2, 3]] }];
      }
      // The server-side families the plan's triggers lean on answer; the k6 percentiles do not.
      if (/stack_http_request_duration|kube_deployment|stack_cpu/.test(expr)) return [{ metric: {}, values: [[T0, 1]] }];
      return [];
    });
    const plan = makePlan();
    const run = await collectSeries(source, plan, makeVerdict(), { start: T0, end: T0 + 600 });
    expect(run.step).toBe(2);
    expect(source.calls).toHaveLength(seriesQueries(plan.runId, 8).length);
    expect(source.calls.every((c) => c.step === 2 && c.start === T0 && c.end === T0 + 600)).toBe(true);
    const k6 = source.calls.filter((c) => c.expr.includes('k6_'));
    expect(k6.every((c) => c.expr.includes(`testid="${plan.runId}"`) && c.expr.includes('[8s]'))).toBe(true);
    expect(run.series.find((s) => s.id === 'achieved_rps:login')?.points).toEqual([[T0, 1], [T0 + 2, 3]]);
    expect(run.series.filter((s) => s.id.startsWith('target_rps:'))).toHaveLength(4);
    expect(run.errors).toEqual([expect.objectContaining({ family: 'queue_depth', message: 'bad_data: parse error' })]);
    expect(run.markers.map((m) => m.label)).toEqual(['load start', 'payments-queue fired', 'auth-cpu fired', 'auth-cpu scaled (+12 s)', 'payments-queue scaled (+41 s)', 'load end']);
  });

  it('a family the verdict leans on that returns no data is an error naming its expression', async () => {
    // The fixture plan has no triggers: the server's latency is required, replicas and CPU are not.
    const source = new FakeSource((expr) => (/stack_http_request_duration|stack_cpu|kube_deployment/.test(expr) ? [] : [{ metric: {}, values: [[T0, 1]] }]));
    const run = await collectSeries(source, makePlan(), makeVerdict(), { start: T0, end: T0 + 600 });
    expect(run.errors.map((e) => e.family)).toEqual(['server_p95_ms']);
    expect(run.errors[0]!.message).toBe('returned no data over the run: histogram_quantile(0.95, sum by (service, le) (rate(stack_http_request_duration_seconds_bucket[8s]))) * 1000');
  });

  it('reads the server-side series from the plan\'s target mapping', async () => {
    const source = new FakeSource(() => [{ metric: {}, values: [[T0, 1]] }]);
    await collectSeries(source, makePlan({ mapping: { name: 'kubernetes', namespace: 'shop' } }), makeVerdict(), { start: T0, end: T0 + 600 });
    const exprs = source.calls.map((c) => c.expr);
    expect(exprs.some((e) => e.includes('stack_'))).toBe(false);
    expect(exprs).toContain('sum by (deployment) (kube_deployment_spec_replicas{namespace="shop"})');
    expect(exprs.some((e) => e.startsWith('histogram_quantile(0.95, sum by (service, le) (rate(http_server_request_duration_seconds_bucket{namespace="shop"}[8s]))'))).toBe(true);
  });
});

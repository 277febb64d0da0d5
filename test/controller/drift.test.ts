import { describe, expect, it } from 'vitest';
import { driftValue, perPlanHour, slope } from '../../src/controller/drift.ts';
import type { InstantSample, MetricSource, RangeSeries } from '../../src/metrics/client.ts';
import { judgePlan } from './fake-world.ts';

/** Answers range queries with `range(expr, start, step)` and instant ones with `at(expr, t)`. */
function source(range: (expr: string, start: number, step: number) => number[] | null, at: (expr: string, t: number) => number | null = () => null): MetricSource & { ranges: string[] } {
  const ranges: string[] = [];
  return {
    ranges,
    async query(expr: string, t?: number): Promise<InstantSample[]> {
      const v = at(expr, t ?? 0);
      return v === null ? [] : [{ metric: {}, value: [t ?? 0, v] }];
    },
    async queryRange(expr: string, start: number, _end: number, step: number): Promise<RangeSeries[]> {
      ranges.push(`${expr} @${start}/${step}`);
      const values = range(expr, start, step);
      return values === null ? [] : [{ metric: {}, values: values.map((v, i) => [start + i * step, v]) }];
    },
  };
}

const W = { start: 1000, end: 1060 };

/** Samples as (time s, value) pairs, written flat: t0, v0, t1, v1, ... */
const pts = (...flat: number[]): Array<[number, number]> => flat.flatMap((x, i) => (i % 2 === 0 ? [[x, flat[i + 1]!] as [number, number]] : []));

describe('slope', () => {
  it('fits a least-squares line and skips points without data', () => {
    expect(slope(pts(0, 1, 1, 3, 2, 5))).toBe(2);
    expect(slope(pts(0, 1, 1, NaN, 2, 5, 4, 9))).toBe(2);
    expect(slope(pts(0, 0, 1, 1, 2, 0, 3, 1))).toBeCloseTo(0.2, 12);
  });

  it('has no slope with fewer than 3 points or one x', () => {
    expect(slope(pts(0, 1, 1, 2))).toBeNull();
    expect(slope(pts(0, 1, 1, NaN, 2, NaN, 3, 4))).toBeNull();
    expect(slope(pts(5, 1, 5, 2, 5, 3))).toBeNull();
  });

  it('converts a per-second slope to per plan hour', () => {
    expect(perPlanHour(2, 1)).toBe(7200);
    expect(perPlanHour(2, 60)).toBe(120);
  });
});

describe('driftValue', () => {
  it('gives the p95 slope per plan hour from windows that start one window in', async () => {
    const plan = judgePlan({ timeScale: 60 });
    // Windows every 5 s from 1012: 100, 110, 120 ms is 2 ms/s, 7200 ms per wall hour, 120 per plan hour at time scale 60.
    const s = source((expr) => (expr.includes('histogram_quantile(0.95') ? [100, 110, 120] : null));
    expect(await driftValue(s, plan, { id: 'slope', objective: 'latency-slope', maxMsPerHour: 50, scope: {} }, W)).toBe(120);
    expect(s.ranges[0]?.endsWith('@1012/5')).toBe(true);
  });

  it('gives memory growth in % of the first sample per plan hour, per deployment', async () => {
    const plan = judgePlan({ timeScale: 60 });
    // 1.0, 1.1, 1.2 MB 5 s apart: 20 kB/s is 2 %/s of 1 MB, 7200 %/h wall, 120 %/h plan.
    const s = source((expr) => (expr === 'sum(stack_memory_bytes{deployment="auth"})' ? [1e6, 1.1e6, 1.2e6] : null));
    expect(await driftValue(s, plan, { id: 'mem', objective: 'memory-growth', maxPercentPerHour: 10, scope: { service: 'auth' } }, W)).toBeCloseTo(120, 9);
  });

  it('gives the error creep from the first third to the last', async () => {
    const plan = judgePlan();
    // Cumulative requests 10/s; failures 2 by 20 s, 10 by 40 s, 30 by 60 s: 1 % early, 10 % late.
    const failedBy: Record<number, number> = { 1020: 2, 1040: 10, 1060: 30 };
    const s = source(
      () => null,
      (expr, t) => (expr.includes('expected_response="false"') ? (failedBy[t] ?? null) : 10 * (t - 1000)),
    );
    expect(await driftValue(s, plan, { id: 'creep', objective: 'error-creep', max: 0.05, scope: {} }, W)).toBeCloseTo(0.09, 12);
  });

  it('has no value without data or in a run shorter than a window', async () => {
    const plan = judgePlan();
    const empty = source(() => null);
    expect(await driftValue(empty, plan, { id: 'slope', objective: 'latency-slope', maxMsPerHour: 50, scope: {} }, W)).toBeNull();
    expect(await driftValue(empty, plan, { id: 'mem', objective: 'memory-growth', maxPercentPerHour: 10, scope: {} }, W)).toBeNull();
    expect(await driftValue(empty, plan, { id: 'creep', objective: 'error-creep', max: 0.05, scope: {} }, W)).toBeNull();
    const full = source(() => [100, 110, 120]);
    expect(await driftValue(full, plan, { id: 'slope', objective: 'latency-slope', maxMsPerHour: 50, scope: {} }, { start: 1000, end: 1012 })).toBeNull();
  });
});

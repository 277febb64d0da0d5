import { describe, expect, it } from 'vitest';
import { firstBreak, judgeBreakpoint } from '../../src/controller/breakpoint.ts';
import { judgeRun } from '../../src/controller/verdict.ts';
import type { Plan } from '../../src/plan/types.ts';
import { FakeWorld, judgePlan, type World } from './fake-world.ts';

describe('firstBreak', () => {
  it('returns the time of the n-th consecutive point over the bound', () => {
    const pts: Array<[number, number]> = [[1, 600], [2, 400], [3, 600], [4, 700], [5, 800]];
    expect(firstBreak(pts, 500, 1)).toBe(1);
    expect(firstBreak(pts, 500, 2)).toBe(4);
    expect(firstBreak(pts, 500, 3)).toBe(5);
    expect(firstBreak(pts, 500, 4)).toBeNull();
  });

  it('does not count a point at the bound or a point without data', () => {
    expect(firstBreak([[1, 500], [2, 500]], 500, 1)).toBeNull();
    expect(firstBreak([[1, 600], [2, NaN], [3, 600], [4, 600]], 500, 2)).toBe(4);
    expect(firstBreak([], 500, 1)).toBeNull();
  });
});

// One journey ramping 0 -> 100 req/s over 100 s, so the target rate at t s is t req/s.
// Break windows are judged every 5 s (half the 10 s window) from 12 s after the start.
const W = { start: 1000, end: 1100 };
function bpPlan(requiredRate: number): Plan {
  const base = judgePlan();
  const login = { ...base.scenarios[0]!, stages: [{ durationSeconds: 100, target: 100 }] };
  return { ...base, durationSeconds: 100, peakRate: 100, scenarios: [login], breakpoint: { stopOn: ['p95'], breakWindows: 2, requiredRate } };
}
const world = (windowLatencyMs: number[] | undefined, latencyMs = 200): World => ({ requests: { login: 5000 }, latencyMs, windowLatencyMs });

describe('judgeBreakpoint', () => {
  it('takes the rate one break length before the break as sustainable', async () => {
    const plan = bpPlan(50);
    // Points at 12, 17, 22, 27, 32, 37 s: the second bad window in a row ends at 37 s.
    const r = await judgeBreakpoint(new FakeWorld(plan, world([100, 200, 600, 300, 700, 800, 900])), plan, W);
    // Held until 37 - 2 x 10 = 17 s, where the target is 17 req/s: 34 % of 50.
    expect(r).toEqual({
      brokeAt: 1037,
      brokenSlo: 'p95',
      sustainableRate: 17,
      requiredRate: 50,
      headroom: 0.34,
      status: 'fail',
      detail: 'p95 broke at 37 req/s (scale 1); held 17 req/s, 34 % of the required 50 req/s',
    });
  });

  it('passes with the end rate when no SLO broke', async () => {
    const plan = bpPlan(50);
    const r = await judgeBreakpoint(new FakeWorld(plan, world([100, 200, 300])), plan, W);
    expect(r).toMatchObject({ brokeAt: null, sustainableRate: 100, headroom: 2, status: 'pass', detail: 'no SLO broke up to 100 req/s (scale 1), 200 % of the required 50 req/s' });
  });

  it('is inconclusive when a stop-on SLO had no data, or the run was too short for one window', async () => {
    const plan = bpPlan(50);
    const none = await judgeBreakpoint(new FakeWorld(plan, world(undefined)), plan, W);
    expect(none).toMatchObject({ status: 'inconclusive', detail: 'no data to judge p95: cannot tell whether 100 req/s (scale 1) held' });
    const gaps = await judgeBreakpoint(new FakeWorld(plan, world([NaN, NaN])), plan, W);
    expect(gaps?.status).toBe('inconclusive');
    const short = await judgeBreakpoint(new FakeWorld(plan, world([100])), plan, { start: 1000, end: 1012 });
    expect(short?.status).toBe('inconclusive');
  });

  it('lets the stop-on SLO break in the verdict: the headroom decides', async () => {
    const plan = bpPlan(15);
    const v = await judgeRun(new FakeWorld(plan, world([100, 200, 600, 300, 700, 800], 700)), plan, {
      window: W,
      k6Summary: { httpReqs: 5000, iterations: 5000, droppedIterations: 0, failedRate: 0, unreadable: [] },
      k6ExitCode: 0,
      interrupted: false,
      scrapeIntervalSeconds: 1,
      target: 'embedded',
    });
    expect(v.slos[0]).toMatchObject({ status: 'pass', detail: 'breakpoint: whole run 700 ms breaks p95 <= 500 ms' });
    expect(v.breakpoint).toMatchObject({ sustainableRate: 17, status: 'pass' });
    expect(v.status).toBe('pass');
    expect(v.reasons).toEqual([]);
  });
});

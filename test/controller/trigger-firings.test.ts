/**
 * A firing is due for lateness and for a missing answer only once its signal held beyond the
 * far edge of its measurement band for its whole window; a hold inside the band may be seen
 * otherwise by the autoscaler, so an answer to it is credited but its absence fails nothing.
 */
import { describe, expect, it } from 'vitest';
import { judgeFirings, type FiringInput } from '../../src/controller/trigger-firings.ts';
import { bandEdges, MEASUREMENT_BAND } from '../../src/controller/triggers.ts';
import { heldIntervals, type Points } from '../../src/controller/trigger-math.ts';

const T0 = 1000;
const FOR = 4;
const GRACE = 1;

/** CPU sampled every 0.25 s: `value(t)` for t seconds after T0, over 20 s. */
const cpu = (value: (t: number) => number): Points => Array.from({ length: 80 }, (_, i) => [T0 + i / 4, value(i / 4)]);
const replicas: Points = Array.from({ length: 80 }, (_, i) => [T0 + i / 4, 3]);
const up = (at: number) => ({ time: T0 + at, from: 3, delta: 2, shared: [] });

function firings(points: Points, ups: FiringInput['ups']) {
  const [near, far] = bandEdges({ action: { type: 'add-instances', count: 2 }, op: '>', threshold: 70, signal: 'cpu' });
  return judgeFirings({
    action: 'add-instances',
    held: heldIntervals(points, '>', near, 0.25),
    sure: heldIntervals(points, '>', far, 0.25),
    forSeconds: FOR,
    step: 2,
    maxReplicas: 10,
    graceSeconds: GRACE,
    earlySlackSeconds: GRACE,
    cooldownSeconds: 0,
    settleSeconds: 1,
    replicas,
    ups,
    windowEnd: T0 + 20,
  });
}

describe('the measurement band of a CPU row at 70 %', () => {
  it('is 5 % of the threshold either side', () => {
    expect(MEASUREMENT_BAND.cpu).toBe(0.05);
    expect(bandEdges({ action: { type: 'add-instances', count: 2 }, op: '>', threshold: 70, signal: 'cpu' })).toEqual([66.5, 73.5]);
    // An HPA's band sits around its acting threshold, 77 %.
    const [near, far] = bandEdges({ action: { type: 'hpa' }, op: '>', threshold: 70, signal: 'cpu' });
    expect([near, far].map((x) => Math.round(x * 100) / 100)).toEqual([73.15, 80.85]);
  });

  it('a signal well above from 2 s fires at 6 s; a scale-up 2.5 s later is late', () => {
    const [f] = firings(cpu((t) => (t >= 2 ? 90 : 40)), [up(8.5)]);
    expect(f).toMatchObject({ outcome: 'scaled-late', at: T0 + 6 - 0.125 });
    expect(f!.lagSeconds).toBeCloseTo(2.625, 5);
  });

  it('72 % from 2 s, then 90 % from 5 s: the hold is due from 5 s, so a scale-up at 9.5 s is on time', () => {
    // Before the band's far edge the autoscaler may have read 72 % as under 70 % and restarted its clock.
    const [f] = firings(cpu((t) => (t >= 5 ? 90 : t >= 2 ? 72 : 40)), [up(9.5)]);
    expect(f).toMatchObject({ outcome: 'fired-and-scaled', at: T0 + 9 - 0.125 });
    expect(f!.lagSeconds).toBeCloseTo(0.625, 5);
  });

  it('the same hold answered 3 s after its due time is late', () => {
    const [f] = firings(cpu((t) => (t >= 5 ? 90 : t >= 2 ? 72 : 40)), [up(12)]);
    expect(f?.outcome).toBe('scaled-late');
  });

  it('a hold only inside the band, unanswered, fails nothing; answered, it counts as fired and on time', () => {
    const inside = cpu((t) => (t >= 2 && t < 12 ? 72 : 40));
    expect(firings(inside, [])).toEqual([]);
    // Answered 4.125 s after its earliest firing (1.875 + 4 s), more than its grace: not late.
    const [f] = firings(inside, [up(10)]);
    expect(f).toMatchObject({ outcome: 'fired-and-scaled', at: T0 + 5.875 });
    expect(f!.lagSeconds).toBeCloseTo(4.125, 5);
    expect(f!.detail).toMatch(/after its earliest firing .*inside its measurement band, so no lateness is judged/);
  });

  it('a hold beyond the band for its window, unanswered, is fired-not-scaled', () => {
    const [f] = firings(cpu((t) => (t >= 2 && t < 14 ? 90 : 40)), []);
    expect(f?.outcome).toBe('fired-not-scaled');
  });

  it('without band intervals the near hold is taken as sure (the rule before the band)', () => {
    const points = cpu((t) => (t >= 2 && t < 14 ? 72 : 40));
    const [f] = judgeFirings({
      action: 'add-instances', held: heldIntervals(points, '>', 70, 0.25), forSeconds: FOR, step: 2, maxReplicas: 10, graceSeconds: GRACE, earlySlackSeconds: GRACE,
      cooldownSeconds: 0, settleSeconds: 1, replicas, ups: [], windowEnd: T0 + 20,
    });
    expect(f?.outcome).toBe('fired-not-scaled');
  });
});

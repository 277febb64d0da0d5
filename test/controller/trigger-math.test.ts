import { describe, expect, it } from 'vitest';
import { activeSpans, classify, fireTimes, flapCycles, heldIntervals, replicaChanges, unexplainedScaleUps, type Points } from '../../src/controller/trigger-math.ts';

/** A series sampled every second from t=0 with the given values. */
const series = (values: number[]): Points => values.map((v, i) => [i, v]);

describe('condition intervals and fire times', () => {
  it('finds intervals where the condition held and breaks on NaN', () => {
    const pts = series([10, 80, 90, NaN, 75, 60, 71, 72]);
    expect(heldIntervals(pts, '>', 70)).toEqual([
      [1, 2],
      [4, 4],
      [6, 7],
    ]);
    expect(heldIntervals(pts, '<', 70)).toEqual([
      [0, 0],
      [5, 5],
    ]);
  });

  it('fires only after the for window and restarts the clock after each fire', () => {
    expect(fireTimes([[10, 30]], 5)).toEqual([15, 20, 25, 30]);
    expect(fireTimes([[10, 14]], 5)).toEqual([]);
    expect(fireTimes([[10, 30]], 0)).toEqual([10]);
  });
});

const base = { action: 'add-instances' as const, step: 2, maxReplicas: 10, graceSeconds: 3, earlySlackSeconds: 1, flapWindowSeconds: 20 };

describe('classify', () => {
  it('fired-and-scaled with its lag', () => {
    const reps = series([2, 2, 2, 2, 2, 2, 4, 4, 4]);
    const c = classify({ ...base, fires: [4], replicas: reps });
    expect(c).toMatchObject({ outcome: 'fired-and-scaled', firedAt: 4, scaledAt: 6, lagSeconds: 2, replicasBefore: 2, replicasAfter: 4 });
  });
  it('fired-not-scaled when replicas never rise', () => {
    expect(classify({ ...base, fires: [4], replicas: series([2, 2, 2, 2, 2, 2, 2]) }).outcome).toBe('fired-not-scaled');
  });
  it('scaled-late beyond the grace period', () => {
    const c = classify({ ...base, fires: [1], replicas: series([2, 2, 2, 2, 2, 2, 2, 4]) });
    expect(c.outcome).toBe('scaled-late');
    expect(c.lagSeconds).toBe(6);
  });
  it('wrong-step when fewer replicas were added than promised', () => {
    const c = classify({ ...base, fires: [2], replicas: series([2, 2, 2, 3, 3, 3, 3, 3]) });
    expect(c.outcome).toBe('wrong-step');
    expect(c.detail).toMatch(/step 1, promised 2/);
  });
  it('a step capped by max replicas is not a wrong step', () => {
    const c = classify({ ...base, maxReplicas: 3, fires: [2], replicas: series([2, 2, 2, 3, 3, 3]) });
    expect(c.outcome).toBe('max-replicas-reached');
  });
  it('flapping when replicas go down and up repeatedly', () => {
    const reps = series([2, 2, 4, 2, 4, 2, 4, 2, 4]);
    expect(flapCycles(replicaChanges(reps), 20)).toBe(3);
    expect(classify({ ...base, fires: [1], replicas: reps }).outcome).toBe('flapping');
  });
  it('an alert trigger reports alert-only, never a missed scale-up', () => {
    const c = classify({ ...base, action: 'alert', step: null, fires: [3], replicas: series([1, 1, 1, 1, 1]) });
    expect(c.outcome).toBe('alert-only-fired');
  });
  it('not-fired without fires', () => {
    expect(classify({ ...base, fires: [], replicas: series([2, 2]) }).outcome).toBe('not-fired');
  });
  it('finds scale-ups no held condition explains', () => {
    const reps = series([2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 6]);
    // Held 0..3 with a 1 s window: active from 0 (1 - 1 slack) to 3 + 3 grace.
    const spans = activeSpans([[0, 3]], 1, 1, 3);
    expect(spans).toEqual([[0, 6]]);
    expect(unexplainedScaleUps(reps, spans)).toEqual([{ time: 10, from: 4, to: 6 }]);
    // A condition that never held for its window explains nothing.
    expect(activeSpans([[0, 3]], 10, 1, 3)).toEqual([]);
  });

  it('bridges dips no longer than one evaluation window when explaining a scale-up', () => {
    // Held with 0.75 s and 0.5 s dips; for 4.5 s less 2.25 s slack needs 2.25 s held; grace 3 s.
    const held: Array<[number, number]> = [[20.5, 22], [22.75, 24.75], [25.25, 27.75]];
    expect(activeSpans(held, 4.5, 2.25, 3)).toEqual([[27.5, 30.75]]);
    expect(activeSpans(held, 4.5, 2.25, 3, 1)).toEqual([[22.75, 30.75]]);
    // A longer dip still ends the condition.
    expect(activeSpans([[0, 3], [4.5, 6]], 4, 1, 1, 1)).toEqual([[3, 4]]);
  });
});

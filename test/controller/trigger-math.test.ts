import { describe, expect, it } from 'vitest';
import { activeSpans, fireTimes, heldIntervals, unexplainedScaleUps, type Points } from '../../src/controller/trigger-math.ts';

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

  it('counts the sampling step at both ends: n samples held make a hold of n steps', () => {
    // A 5 s hold sampled every 0.5 s: 10 samples from 10.0 to 14.5.
    const pts: Points = Array.from({ length: 30 }, (_, i) => [i * 0.5, i * 0.5 >= 10 && i * 0.5 <= 14.5 ? 90 : 10]);
    expect(heldIntervals(pts, '>', 70, 0.5)).toEqual([[9.75, 14.75]]);
    // Long enough for a 4.55 s window (it would be 4.5 s from first to last sample).
    expect(fireTimes(heldIntervals(pts, '>', 70, 0.5), 4.55)).toEqual([14.3]);
    expect(fireTimes(heldIntervals(pts, '>', 70), 4.55)).toEqual([]);
  });

  it('fires only after the for window and restarts the clock after each fire', () => {
    expect(fireTimes([[10, 30]], 5)).toEqual([15, 20, 25, 30]);
    expect(fireTimes([[10, 14]], 5)).toEqual([]);
    expect(fireTimes([[10, 30]], 0)).toEqual([10]);
  });
});

describe('explaining scale-ups', () => {
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

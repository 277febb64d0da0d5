import { describe, expect, it } from 'vitest';
import { histogramQuantile, mergeHistograms } from '../../src/controller/histograms.ts';

describe('native histogram quantiles computed from fetched buckets', () => {
  const h = { count: 4, sum: 5, buckets: [[0, 1, 2], [1, 2, 2]] as Array<[number, number, number]> };

  it('interpolates linearly inside the bucket that holds the rank', () => {
    // rank 2 ends the first bucket; rank 3 is half-way through the second.
    expect(histogramQuantile(0.5, h)).toBe(1);
    expect(histogramQuantile(0.75, h)).toBe(1.5);
    expect(histogramQuantile(1, h)).toBe(2);
  });

  it('starts the zero bucket at 0 and is NaN for an empty histogram', () => {
    expect(histogramQuantile(0.5, { count: 2, sum: 0, buckets: [[-1e-128, 1e-128, 2]] })).toBe(5e-129);
    expect(histogramQuantile(0.5, { count: 0, sum: 0, buckets: [] })).toBeNaN();
  });

  it('adds buckets with the same bounds and keeps them in order', () => {
    const m = mergeHistograms([h, { count: 3, sum: 9, buckets: [[2, 4, 1], [0, 1, 2]] }]);
    expect(m).toEqual({ count: 7, sum: 14, buckets: [[0, 1, 4], [1, 2, 2], [2, 4, 1]] });
    // rank 5.6 of 7: past the first two buckets (6 > 5.6): (5.6 - 4) / 2 of the way through (1, 2].
    expect(histogramQuantile(0.8, m)).toBeCloseTo(1.8, 10);
  });
});

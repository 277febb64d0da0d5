import { describe, expect, it } from 'vitest';
import { queryRate } from '../../bench/lib/harness-step.ts';

describe('the live view query rate the bench reports', () => {
  it('counts queries per second inside the window only', () => {
    // One query a second during the load, a burst of 50 (the judge) after it.
    const samples: Array<[number, number]> = [];
    for (let t = 0; t <= 20_000; t += 250) samples.push([t, Math.floor(t / 1000) + (t > 15_000 ? 50 : 0)]);
    expect(queryRate(samples, 2_000, 12_000)).toBe(1);
    expect(queryRate(samples, 2_000, 20_000)).toBeCloseTo((70 - 2) / 18, 2);
  });

  it('says nothing for a window under a second', () => {
    expect(queryRate([[0, 0], [500, 3]], 0, 600)).toBeNull();
    expect(queryRate([], 0, 10_000)).toBeNull();
  });
});

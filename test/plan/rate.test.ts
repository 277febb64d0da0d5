import { describe, expect, it } from 'vitest';
import { curveSeconds, plannedIterations, plannedRate } from '../../src/plan/rate.ts';

// startRate 4 it/s; ramp to 10 over 60 s; hold 10 for 30 s; jump to 20 (0 s); ramp down to 0 over 10 s.
const curve = {
  startRate: 4,
  stages: [
    { durationSeconds: 60, target: 10 },
    { durationSeconds: 30, target: 10 },
    { durationSeconds: 0, target: 20 },
    { durationSeconds: 10, target: 0 },
  ],
};

describe('plannedRate', () => {
  it('is 0 before the start and startRate at t = 0', () => {
    expect(plannedRate(curve, -0.001)).toBe(0);
    expect(plannedRate(curve, 0)).toBe(4);
  });

  it('ramps linearly inside a stage', () => {
    expect(plannedRate(curve, 30)).toBe(7);
    expect(plannedRate(curve, 45)).toBe(8.5);
  });

  it('at a stage boundary takes the value of the stage that starts there', () => {
    expect(plannedRate(curve, 60)).toBe(10);
    expect(plannedRate(curve, 75)).toBe(10);
    // 90 s is where the 0 s stage jumps to 20 it/s.
    expect(plannedRate(curve, 89.999)).toBe(10);
    expect(plannedRate(curve, 90)).toBe(20);
    expect(plannedRate(curve, 95)).toBe(10);
  });

  it('holds the last target at the end instant and is 0 after it', () => {
    expect(curveSeconds(curve)).toBe(100);
    const hold = { startRate: 0, stages: [{ durationSeconds: 10, target: 5 }] };
    expect(plannedRate(hold, 10)).toBe(5);
    expect(plannedRate(hold, 10.001)).toBe(0);
    expect(plannedRate(hold, 500)).toBe(0);
    expect(plannedRate(curve, 100)).toBe(0);
  });

  it('is startRate only at t = 0 for a scenario with no stages', () => {
    const none = { startRate: 3, stages: [] };
    expect(plannedRate(none, 0)).toBe(3);
    expect(plannedRate(none, 1)).toBe(0);
  });
});

describe('plannedIterations', () => {
  it('integrates the whole curve', () => {
    // 60 s from 4 to 10 = 420; 30 s at 10 = 300; the jump adds nothing; 10 s from 20 to 0 = 100.
    expect(plannedIterations(curve)).toBe(820);
  });

  it('integrates a window, clipped to the run', () => {
    expect(plannedIterations(curve, 30, 60)).toBe(255); // (7 + 10) / 2 x 30
    expect(plannedIterations(curve, 85, 95)).toBe(50 + 75); // 5 s at 10, then 20 -> 10 over 5 s
    expect(plannedIterations(curve, -10, 10)).toBe(45); // (4 + 5) / 2 x 10
    expect(plannedIterations(curve, 100, 200)).toBe(0);
  });
});

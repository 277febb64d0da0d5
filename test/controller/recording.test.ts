import { describe, expect, it } from 'vitest';
import { clientTimeoutMs, signalStep, windowStep } from '../../src/controller/recording.ts';
import { rateWindowFor } from '../../src/report/series.ts';

describe('query cost sized to the run', () => {
  it('keeps a quarter-window step for runs up to 400 steps long', () => {
    // 5-minute window over 4 h: 14,400 s / 75 s = 192 points, under the cap.
    expect(windowStep(300, 14_400)).toBe(75);
    expect(windowStep(300, 14_400, 2)).toBe(150);
    // A quick run's 10 s window: 3 s steps (rounded), never below 1 s.
    expect(windowStep(10, 60)).toBe(3);
    expect(windowStep(1, 60)).toBe(1);
  });

  it('coarsens the step of a day-long run to 400 points, never past the window', () => {
    expect(windowStep(300, 86_400)).toBe(216);
    expect(windowStep(60, 86_400)).toBe(60);
  });

  it('tiles report rate windows from a 1-minute step on', () => {
    expect(rateWindowFor(59)).toBe(236);
    expect(rateWindowFor(288)).toBe(288);
  });

  it('grows the client timeout with the hours a query reads, up to 10 minutes', () => {
    expect(clientTimeoutMs(60)).toBe(25_000);
    expect(clientTimeoutMs(4 * 3600)).toBe(55_000);
    expect(clientTimeoutMs(24 * 3600)).toBe(255_000);
    expect(clientTimeoutMs(1000 * 3600)).toBe(600_000);
  });
});

describe('trigger signal step', () => {
  it('stays at the scrape step up to one 11,000-point query, then coarsens', () => {
    expect(signalStep(0.25, 60)).toBe(0.25);
    expect(signalStep(1, 10_999)).toBe(1);
    expect(signalStep(1, 4 * 3600)).toBe(2);
    expect(signalStep(1, 86_400)).toBe(8);
  });
});

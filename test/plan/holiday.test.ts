import { describe, expect, it } from 'vitest';
import { holidayDay } from '../../src/plan/holiday.ts';
import { StageSchema, type Stage } from '../../src/plan/schema.ts';

const sum = (stages: { duration: number }[]) => stages.reduce((a, s) => a + s.duration, 0);
const max = (stages: { target: number }[]) => Math.max(...stages.map((s) => s.target));

describe('holidayDay', () => {
  it('surges to base x seasonal, bursts above it, and spans 24 h by default', () => {
    const d = holidayDay({ baseRate: 1000, seasonalFactor: 2 });
    expect(d.surgeRate).toBe(2000);
    expect(d.burstRate).toBe(3000);
    expect(d.burstRate).toBeGreaterThan(d.surgeRate);
    expect(max(d.stages)).toBe(d.burstRate);
    expect(sum(d.stages)).toBeCloseTo(86_400, 6);
    const surge = d.segments.find((s) => s.name === 'evening-surge');
    expect(surge).toMatchObject({ startEat: '17:00', endEat: '20:00', toRate: 2000 });
    const sale = d.segments.find((s) => s.name === 'flash-sale');
    expect(sale).toMatchObject({ startEat: '20:00', endEat: '20:15', fromRate: 2000, toRate: 3000, durationSeconds: 900 });
    // A normal day's peak (the base rate) is reached at midday.
    expect(d.segments.find((s) => s.name === 'midday-rise')?.toRate).toBe(1000);
    expect(d.startRate).toBeLessThan(1000);
  });

  it('defaults to the capacity plan: current peak 10,000 req/s, seasonal 2.0', () => {
    const d = holidayDay();
    expect(d.baseRate).toBe(10_000);
    expect(d.surgeRate).toBe(20_000);
  });

  it.each([60, 300, 3600])('compresses the same shape into %i s', (total) => {
    const full = holidayDay({ baseRate: 100, seasonalFactor: 2.5 });
    const quick = holidayDay({ baseRate: 100, seasonalFactor: 2.5, totalSeconds: total });
    expect(sum(quick.stages)).toBeCloseTo(total, 6);
    expect(quick.stages.map((s) => s.target)).toEqual(full.stages.map((s) => s.target));
    quick.segments.forEach((seg, i) => {
      expect(seg.durationSeconds).toBeCloseTo((full.segments[i]?.durationSeconds ?? 0) * (total / 86_400), 2);
    });
  });

  it('segments tile the day and point at their stages', () => {
    const d = holidayDay({ totalSeconds: 600 });
    let t = 0;
    for (const seg of d.segments) {
      expect(seg.startSeconds).toBeCloseTo(t, 6);
      expect(sum(seg.stages.map((i) => d.stages[i]!))).toBeCloseTo(seg.durationSeconds, 6);
      t += seg.durationSeconds;
    }
    expect(d.segments.at(-1)?.endEat).toBe('24:00');
  });

  it('shifts Ramadan activity to after iftar', () => {
    const d = holidayDay({ holiday: 'Ramadan', baseRate: 1000, seasonalFactor: 2 });
    expect(d.shape).toBe('after-sunset');
    expect(d.holiday).toBe('ramadan');
    const surge = d.segments.find((s) => s.name === 'after-iftar-surge');
    expect(surge).toMatchObject({ startEat: '18:45', toRate: 2000 });
    expect(d.segments.find((s) => s.name === 'flash-sale')?.startEat).toBe('21:00');
    expect(holidayDay({ holiday: 'genna' }).shape).toBe('feast');
  });

  it('gives stages the plan schema accepts', () => {
    const stages: Stage[] = holidayDay({ totalSeconds: 120 }).stages;
    for (const s of stages) expect(StageSchema.parse(s)).toEqual(s);
  });

  it('rejects bad options with the key and value', () => {
    expect(() => holidayDay({ baseRate: -1 })).toThrow('holiday day: baseRate: must be a number more than 0 (got -1)');
    expect(() => holidayDay({ burstFactor: 1 })).toThrow('burstFactor: must be more than 1 (got 1)');
    expect(() => holidayDay({ totalSeconds: 0 })).toThrow('totalSeconds');
    expect(() => holidayDay({ holiday: 'christmas-eve' })).toThrow('unknown holiday "christmas-eve"');
  });
});

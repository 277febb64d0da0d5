import { describe, expect, it } from 'vitest';
import { holidayEvening, rateAt, sliceDay, spikeStages, SPIKE_WINDOW } from '../../src/plan/holiday-slice.ts';
import { holidayDay } from '../../src/plan/holiday.ts';

describe('holiday evening slices', () => {
  it('cuts the evening out of the day, keeps the rates and compresses the durations', () => {
    const day = holidayDay({ baseRate: 10_000 });
    const s = sliceDay(day, '16:30', '22:00', 5);
    const total = s.stages.reduce((a, x) => a + x.duration, 0);
    expect(total).toBeCloseTo((5.5 * 3600) / 5, 0);
    expect(s.startRate).toBe(rateAt(day.startRate, day.stages, 16.5 * 3600));
    expect(Math.max(...s.stages.map((x) => x.target))).toBe(day.burstRate);
    expect(s.marks.map((m) => m.name)).toEqual(['evening-surge', 'flash-sale', 'after-sale', 'decay']);
  });

  it('the spike takes the surge to the seasonal factor and the burst above it', () => {
    const e = spikeStages();
    expect(e.startRate).toBe(10_000);
    expect(Math.max(...e.stages.map((s) => s.target))).toBe(30_000);
    expect(e.stages.some((s) => s.target === 20_000)).toBe(true);
    expect(SPIKE_WINDOW.compress).toBe(5);
  });

  it('names the holiday, its date and shape for the plan', () => {
    const m = holidayEvening('meskel', 2027, '--holiday');
    expect(m.inputs).toMatchObject({ id: 'meskel', date: '2027-09-28', shape: 'feast' });
    const r = holidayEvening('ramadan', 2027, '--holiday');
    expect(r.inputs).toMatchObject({ shape: 'after-sunset' });
    expect(r.stages).not.toEqual(m.stages);
    expect(() => holidayEvening('thanksgiving', 2027, '--holiday')).toThrow(/^--holiday: /);
  });
});

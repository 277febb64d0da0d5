/**
 * A window of a holiday day's load stages (the busiest 5.5 h of its shape: a feast's evening,
 * a civic day off's midday), compressed by a factor: spike profiles run the part of the day
 * that moves the autoscaler, at a length that a time-compressed run can still judge against 3
 * to 10 minute trigger windows.
 */
import { InputError } from '../errors.ts';
import { findHoliday } from './calendar.ts';
import { capacityTargetRate } from './capacity.ts';
import { holidayDay, type HolidayDay, type HolidayDayOptions } from './holiday.ts';
import { BUSY_WINDOWS, type DayShapeName } from '../../profiles/holidays.ts';

export interface DaySlice {
  /** Rate at the start of the window, req/s (the profile's startRate). */
  startRate: number;
  stages: Array<{ duration: number; target: number }>;
  /** Segment names with their offsets in the slice (plan-time seconds). */
  marks: Array<{ name: string; atSeconds: number; eat: string }>;
}

function hhmmToSeconds(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 3600 + (m ?? 0) * 60;
}

/** Rate of a piecewise-linear stage list at time t (s). */
export function rateAt(startRate: number, stages: Array<{ duration: number; target: number }>, t: number): number {
  let t0 = 0;
  let r0 = startRate;
  for (const s of stages) {
    if (t <= t0 + s.duration) return s.duration > 0 ? r0 + ((s.target - r0) * (t - t0)) / s.duration : s.target;
    t0 += s.duration;
    r0 = s.target;
  }
  return r0;
}

/** Cuts [from, to] (EAT `HH:MM`) out of a 24 h day and divides its durations by `compress`. */
export function sliceDay(day: HolidayDay, from: string, to: string, compress: number): DaySlice {
  const scale = day.totalSeconds / 86_400;
  const a = hhmmToSeconds(from) * scale;
  const b = hhmmToSeconds(to) * scale;
  const cuts = new Set<number>([a, b]);
  let t = 0;
  for (const s of day.stages) {
    t += s.duration;
    if (t > a && t < b) cuts.add(t);
  }
  const points = [...cuts].sort((x, y) => x - y);
  const stages: DaySlice['stages'] = [];
  for (let i = 1; i < points.length; i++) {
    const d = points[i]! - points[i - 1]!;
    if (d <= 0) continue;
    stages.push({ duration: Math.round((d / compress) * 1000) / 1000, target: Math.round(rateAt(day.startRate, day.stages, points[i]!) * 1000) / 1000 });
  }
  const marks = day.segments
    .filter((s) => s.startSeconds >= a && s.startSeconds < b)
    .map((s) => ({ name: s.name, atSeconds: Math.round((s.startSeconds - a) / compress), eat: s.startEat }));
  return { startRate: Math.round(rateAt(day.startRate, day.stages, a) * 1000) / 1000, stages, marks };
}

/** The window of a feast day the spike runs, EAT, and how much it is compressed in plan time. */
export const SPIKE_WINDOW = { ...BUSY_WINDOWS.feast, compress: 5 } as const;

/** The window the spike runs for a day shape: its busiest 5.5 h (profiles/holidays.ts). */
export function spikeWindow(shape: DayShapeName): { from: string; to: string; compress: number } {
  return { ...BUSY_WINDOWS[shape], compress: SPIKE_WINDOW.compress };
}

/** The spike's stages for a holiday (or a generic feast day), from the current peak. */
export function spikeStages(options: HolidayDayOptions = {}): DaySlice & { day: HolidayDay; window: string } {
  const day = holidayDay({ baseRate: capacityTargetRate('current'), ...options });
  const w = spikeWindow(day.shape);
  return { day, window: `${w.from}-${w.to} EAT, compressed ${w.compress}x`, ...sliceDay(day, w.from, w.to, w.compress) };
}

/**
 * A named holiday's busy window as load stages (the evening for a feast, midday for a civic
 * day off), with its Gregorian date and shape recorded for the
 * plan's inputs. `where` names the flag or profile key in errors.
 */
export function holidayEvening(name: string, year: number, where: string): { startRate: number; stages: Array<{ duration: number; target: number }>; inputs: Record<string, unknown> } {
  let h;
  try {
    h = findHoliday(name, year);
  } catch (err) {
    throw new InputError(`${where}: ${(err as Error).message}`);
  }
  const evening = spikeStages({ holiday: h.id });
  return {
    startRate: evening.startRate,
    stages: evening.stages,
    inputs: {
      id: h.id,
      name: h.name,
      date: h.date,
      ...(h.endDate ? { endDate: h.endDate } : {}),
      shape: evening.day.shape,
      window: evening.window,
      surgeRate: evening.day.surgeRate,
      burstRate: evening.day.burstRate,
      segments: evening.marks.map((m) => `${m.eat} ${m.name} (+${m.atSeconds} s)`),
    },
  };
}

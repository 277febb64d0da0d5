/**
 * One Ethiopian holiday day as load stages, in East Africa Time (UTC+3, no DST).
 *
 * The day is a piecewise-linear rate over 24 h built from a shape in profiles/holidays.ts:
 * overnight baseline, a midday rise, an evening surge at base x seasonal factor, a short
 * flash-sale burst above it, and decay. Stages follow k6's ramping-arrival-rate semantics: the
 * rate moves linearly from the previous stage's target (or `startRate`) to this stage's target.
 * `totalSeconds` compresses the 24 h proportionally, so a quick run shows the same shape.
 */
import { InputError } from '../errors.ts';
import {
  DAY_SHAPES,
  DAY_SHAPE_NAMES,
  DEFAULT_BURST_FACTOR,
  HOLIDAYS,
  type DayShapeName,
  type HolidayId,
  type ShapeLevel,
} from '../../profiles/holidays.ts';
import { resolveHolidayId } from './calendar.ts';
import { capacityTargetRate, defaultSeasonalFactor } from './capacity.ts';

const DAY_SECONDS = 86_400;

export interface HolidayDayOptions {
  /** A normal day's peak gateway rate, req/s at scale 1. @default capacityTargetRate('current') */
  baseRate?: number;
  /** Evening surge as a multiple of `baseRate`. @default the capacity plan's seasonal factor (2.0) */
  seasonalFactor?: number;
  /** Holiday name or alias (see profiles/holidays.ts); picks the day's shape. @default a generic feast */
  holiday?: string;
  /** Shape to use instead of the holiday's own. */
  shape?: DayShapeName;
  /** Flash-sale burst as a multiple of the surge, more than 1. @default 1.5 */
  burstFactor?: number;
  /** Length of the whole day's stages, seconds at time scale 1. @default 86,400 (24 h) */
  totalSeconds?: number;
}

/** A stage compatible with `Stage` in src/plan/schema.ts. */
export interface HolidayStage {
  /** Seconds at time scale 1 (already compressed to `totalSeconds`). */
  duration: number;
  /** Gateway req/s at scale 1 reached at the end of the stage. */
  target: number;
}

export interface HolidaySegment {
  name: string;
  /** EAT clock time the segment starts and ends, `HH:MM` (the last ends at `24:00`). */
  startEat: string;
  endEat: string;
  /** Offset of the segment's start from the start of the stages, seconds (compressed). */
  startSeconds: number;
  durationSeconds: number;
  /** Rate at the segment's start and the level it reaches, req/s. */
  fromRate: number;
  toRate: number;
  /** Indexes into `stages` that make up the segment. */
  stages: number[];
}

export interface HolidayDay {
  shape: DayShapeName;
  holiday?: HolidayId;
  baseRate: number;
  seasonalFactor: number;
  burstFactor: number;
  /** base x seasonal, req/s. */
  surgeRate: number;
  /** surge x burst factor, req/s: the day's maximum. */
  burstRate: number;
  /** Rate at 00:00 EAT, req/s (k6 `startRate` at scale 1). */
  startRate: number;
  totalSeconds: number;
  stages: HolidayStage[];
  segments: HolidaySegment[];
}

/** Builds a holiday day's load stages and the named segments that reports label. */
export function holidayDay(options: HolidayDayOptions = {}): HolidayDay {
  const holiday = options.holiday === undefined ? undefined : resolveHolidayId(options.holiday);
  const shape = options.shape ?? (holiday ? HOLIDAYS[holiday].shape : 'feast');
  if (!DAY_SHAPE_NAMES.includes(shape)) {
    throw new InputError(`holiday day: shape: must be one of ${DAY_SHAPE_NAMES.join(', ')} (got ${JSON.stringify(shape)})`);
  }
  const baseRate = positive('baseRate', options.baseRate ?? capacityTargetRate('current'));
  const seasonalFactor = positive('seasonalFactor', options.seasonalFactor ?? defaultSeasonalFactor());
  const burstFactor = options.burstFactor ?? DEFAULT_BURST_FACTOR;
  if (!Number.isFinite(burstFactor) || burstFactor <= 1) {
    throw new InputError(`holiday day: burstFactor: must be more than 1 (got ${String(burstFactor)})`);
  }
  const totalSeconds = positive('totalSeconds', options.totalSeconds ?? DAY_SECONDS);

  const surgeRate = baseRate * seasonalFactor;
  const burstRate = surgeRate * burstFactor;
  const rateOf = (level: ShapeLevel): number =>
    level === 'surge' ? surgeRate : level === 'burst' ? burstRate : baseRate * level;
  const k = totalSeconds / DAY_SECONDS;
  // Stage boundaries on the compressed clock, rounded to ms; the last one is exactly the total.
  const at = (clockSeconds: number): number =>
    clockSeconds >= DAY_SECONDS ? totalSeconds : Math.round(clockSeconds * k * 1000) / 1000;

  const template = DAY_SHAPES[shape];
  const first = template[0];
  if (!first) throw new Error(`day shape ${shape} has no segments`);
  const startRate = rateOf(first.level);
  const stages: HolidayStage[] = [];
  const segments: HolidaySegment[] = [];
  let rate = startRate;
  template.forEach((seg, i) => {
    const start = clockSeconds(seg.start);
    const next = template[i + 1];
    const end = next ? clockSeconds(next.start) : DAY_SECONDS;
    const rampEnd = Math.min(end, start + seg.rampMinutes * 60);
    const target = rateOf(seg.level);
    const indexes: number[] = [];
    if (rampEnd > start) {
      indexes.push(stages.push({ duration: at(rampEnd) - at(start), target }) - 1);
    }
    if (end > rampEnd) {
      indexes.push(stages.push({ duration: at(end) - at(rampEnd), target }) - 1);
    }
    segments.push({
      name: seg.name,
      startEat: seg.start,
      endEat: next ? next.start : '24:00',
      startSeconds: at(start),
      durationSeconds: at(end) - at(start),
      fromRate: rate,
      toRate: target,
      stages: indexes,
    });
    rate = target;
  });

  return {
    shape,
    ...(holiday ? { holiday } : {}),
    baseRate,
    seasonalFactor,
    burstFactor,
    surgeRate,
    burstRate,
    startRate,
    totalSeconds,
    stages,
    segments,
  };
}

function clockSeconds(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`day shape: not an HH:MM time: ${hhmm}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60;
}

function positive(key: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InputError(`holiday day: ${key}: must be a number more than 0 (got ${JSON.stringify(value)})`);
  }
  return value;
}

/**
 * The Ethiopian holidays and fasts that move Meqenet's traffic, and the shape of such a day in
 * East Africa Time (UTC+3, no DST), as data. src/plan/calendar.ts computes the dates;
 * src/plan/holiday.ts turns a day shape into load stages.
 *
 * The levels below are this harness's assumptions (the Meqenet plan gives only the 2.0x
 * seasonal factor): a normal day peaks at the base rate around midday; a holiday evening
 * surges to base x seasonal; a flash sale bursts above that for 15 minutes.
 */

export const HOLIDAY_IDS = [
  'enkutatash',
  'meskel',
  'genna',
  'timkat',
  'fasika',
  'eid-al-fitr',
  'eid-al-adha',
  'abiy-tsom',
  'tsome-nebiyat',
  'filseta',
  'ramadan',
] as const;
export type HolidayId = (typeof HOLIDAY_IDS)[number];

/** A feast is one day; a fast is a period (`endDate` is set). */
export type HolidayKind = 'feast' | 'fast';

export const DAY_SHAPE_NAMES = ['feast', 'after-sunset'] as const;
export type DayShapeName = (typeof DAY_SHAPE_NAMES)[number];

export interface HolidaySpec {
  /** Display name. */
  name: string;
  kind: HolidayKind;
  /** Other names accepted by `findHoliday` (matched case-insensitively, spaces as dashes). */
  aliases: string[];
  /** The shape of one day of it, for src/plan/holiday.ts. */
  shape: DayShapeName;
}

export const HOLIDAYS: Record<HolidayId, HolidaySpec> = {
  enkutatash: {
    name: 'Enkutatash (Ethiopian New Year)',
    kind: 'feast',
    aliases: ['new-year', 'ethiopian-new-year', 'enqutatash'],
    shape: 'feast',
  },
  meskel: { name: 'Meskel', kind: 'feast', aliases: ['meskal', 'finding-of-the-true-cross'], shape: 'feast' },
  genna: { name: 'Genna (Christmas)', kind: 'feast', aliases: ['gena', 'ganna', 'christmas', 'ledet'], shape: 'feast' },
  timkat: { name: 'Timkat (Epiphany)', kind: 'feast', aliases: ['timket', 'epiphany'], shape: 'feast' },
  fasika: { name: 'Fasika (Easter)', kind: 'feast', aliases: ['easter', 'tinsae', 'tinsaye'], shape: 'feast' },
  'eid-al-fitr': { name: 'Eid al-Fitr', kind: 'feast', aliases: ['eid-fitr', 'id-al-fitr', 'eidfitr'], shape: 'feast' },
  'eid-al-adha': {
    name: 'Eid al-Adha',
    kind: 'feast',
    aliases: ['eid-adha', 'id-al-adha', 'eidadha', 'arafa'],
    shape: 'feast',
  },
  'abiy-tsom': {
    name: 'Abiy Tsom (Great Lent)',
    kind: 'fast',
    aliases: ['abiy-tsome', 'great-lent', 'hudade', 'lent'],
    shape: 'feast',
  },
  'tsome-nebiyat': {
    name: 'Tsome Nebiyat (Advent fast)',
    kind: 'fast',
    aliases: ['tsom-nebiyat', 'nebiyat', 'advent'],
    shape: 'feast',
  },
  filseta: { name: 'Filseta (Assumption fast)', kind: 'fast', aliases: ['tsome-filseta', 'filsata'], shape: 'feast' },
  // Ramadan days (and so the eve of Eid al-Fitr, its last day) move activity to after iftar.
  ramadan: { name: 'Ramadan', kind: 'fast', aliases: ['ramadhan', 'ramazan'], shape: 'after-sunset' },
};

/** A rate level: a multiple of the base rate, the evening surge or the flash-sale burst. */
export type ShapeLevel = number | 'surge' | 'burst';

export interface ShapeSegment {
  /** Name shown in reports. */
  name: string;
  /** EAT clock time the segment starts, `HH:MM`; it ends where the next one starts (the last at 24:00). */
  start: string;
  /**
   * Rate reached in this segment: a multiple of the base rate, `surge` (base x seasonal factor)
   * or `burst` (surge x burst factor).
   */
  level: ShapeLevel;
  /** Minutes spent ramping linearly from the previous level; the rest of the segment holds. */
  rampMinutes: number;
}

/** Flash-sale burst as a multiple of the evening surge, unless the caller chooses. */
export const DEFAULT_BURST_FACTOR = 1.5;

/**
 * Sunset in Addis Ababa (9° N) stays between about 18:20 and 18:50 EAT all year, so iftar is
 * taken as 18:45 every day; the observed time moves by a few minutes and by region.
 */
export const DAY_SHAPES: Record<DayShapeName, ShapeSegment[]> = {
  /** A feast day: quiet night, morning church and family time, an evening surge and a sale. */
  feast: [
    { name: 'overnight', start: '00:00', level: 0.2, rampMinutes: 0 },
    { name: 'morning', start: '06:00', level: 0.5, rampMinutes: 240 },
    { name: 'midday-rise', start: '10:00', level: 1.0, rampMinutes: 180 },
    { name: 'evening-surge', start: '17:00', level: 'surge', rampMinutes: 90 },
    { name: 'flash-sale', start: '20:00', level: 'burst', rampMinutes: 2 },
    { name: 'after-sale', start: '20:15', level: 'surge', rampMinutes: 2 },
    { name: 'decay', start: '21:30', level: 0.2, rampMinutes: 150 },
  ],
  /** A Ramadan day (and Eid eve): subdued while fasting, a lull before iftar, a late surge. */
  'after-sunset': [
    { name: 'overnight', start: '00:00', level: 0.3, rampMinutes: 0 },
    { name: 'fasting-day', start: '05:00', level: 0.6, rampMinutes: 300 },
    { name: 'pre-iftar-lull', start: '17:00', level: 0.4, rampMinutes: 60 },
    { name: 'after-iftar-surge', start: '18:45', level: 'surge', rampMinutes: 45 },
    { name: 'flash-sale', start: '21:00', level: 'burst', rampMinutes: 2 },
    { name: 'after-sale', start: '21:15', level: 'surge', rampMinutes: 2 },
    { name: 'decay', start: '23:00', level: 0.3, rampMinutes: 60 },
  ],
};

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
  'siklet',
  'mawlid',
  'adwa',
  'labour-day',
  'patriots-day',
  'derg-downfall',
] as const;
export type HolidayId = (typeof HOLIDAY_IDS)[number];

/**
 * A feast is one day; a fast is a period (`endDate` is set); a holy day is one day of religious
 * observance that is not a feast (Siklet); a public holiday is a civic day off.
 */
export type HolidayKind = 'feast' | 'fast' | 'holy-day' | 'public';

export const DAY_SHAPE_NAMES = ['feast', 'after-sunset', 'day-off', 'church-fast'] as const;
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
  // Good Friday: services from morning to mid-afternoon, fasting, no sale on a day of mourning.
  siklet: { name: 'Siklet (Good Friday)', kind: 'holy-day', aliases: ['good-friday', 'seklet', 'siqlet'], shape: 'church-fast' },
  // Prayers in the mosque by day, the family meal and gatherings in the evening, like an Eid.
  mawlid: { name: 'Mawlid (Birth of the Prophet)', kind: 'feast', aliases: ['mawlid-an-nabi', 'mawlud', 'moulid', 'milad-un-nabi'], shape: 'feast' },
  // The civic holidays are daytime days off: no feast evening; people shop and pay by day.
  adwa: { name: 'Adwa Victory Day', kind: 'public', aliases: ['adwa-victory-day', 'adwa-day', 'victory-of-adwa'], shape: 'day-off' },
  'labour-day': { name: 'Labour Day', kind: 'public', aliases: ['labor-day', 'may-day', 'workers-day'], shape: 'day-off' },
  'patriots-day': {
    name: "Patriots' Victory Day",
    kind: 'public',
    aliases: ['patriots-victory-day', 'patriots', 'liberation-day'],
    shape: 'day-off',
  },
  'derg-downfall': {
    name: 'Downfall of the Derg',
    kind: 'public',
    aliases: ['downfall-of-the-derg', 'derg', 'ginbot-20'],
    shape: 'day-off',
  },
};

/** The civic public holidays on fixed Gregorian dates, `MM-DD`. */
export const FIXED_DATES: Partial<Record<HolidayId, string>> = {
  adwa: '03-02',
  'labour-day': '05-01',
  'patriots-day': '05-05',
  'derg-downfall': '05-28',
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
  /**
   * A civic day off: no work and no feast meal, so people go out, shop and pay by day; the peak
   * is at midday and the evening is an ordinary one.
   */
  'day-off': [
    { name: 'overnight', start: '00:00', level: 0.2, rampMinutes: 0 },
    { name: 'late-morning', start: '07:00', level: 0.5, rampMinutes: 120 },
    { name: 'daytime-rise', start: '09:00', level: 'surge', rampMinutes: 150 },
    { name: 'flash-sale', start: '13:00', level: 'burst', rampMinutes: 2 },
    { name: 'after-sale', start: '13:15', level: 'surge', rampMinutes: 2 },
    { name: 'afternoon-ease', start: '14:00', level: 1.0, rampMinutes: 150 },
    { name: 'evening', start: '19:00', level: 0.6, rampMinutes: 120 },
    { name: 'night', start: '22:00', level: 0.2, rampMinutes: 120 },
  ],
  /**
   * Siklet: a strict fast with services in church from the morning to about 15:00; after that
   * people buy for Fasika and break the fast in the evening, at 1.5x a normal peak, with no
   * sale on a day of mourning.
   */
  'church-fast': [
    { name: 'overnight', start: '00:00', level: 0.2, rampMinutes: 0 },
    { name: 'in-church', start: '06:00', level: 0.4, rampMinutes: 120 },
    { name: 'after-service', start: '15:00', level: 1.0, rampMinutes: 120 },
    { name: 'evening-shopping', start: '17:30', level: 1.5, rampMinutes: 90 },
    { name: 'decay', start: '21:00', level: 0.2, rampMinutes: 150 },
  ],
};

/**
 * The busiest 5.5 h of each shape, EAT, which the spike runs (compressed 5x into 66 minutes of
 * plan time). Every window is 5.5 h long, so a spike lasts as long whatever the holiday.
 */
export const BUSY_WINDOWS: Record<DayShapeName, { from: string; to: string }> = {
  feast: { from: '16:30', to: '22:00' },
  'after-sunset': { from: '16:30', to: '22:00' },
  'day-off': { from: '08:45', to: '14:15' },
  'church-fast': { from: '14:30', to: '20:00' },
};

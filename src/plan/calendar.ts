/**
 * The Ethiopian holidays and fasts that move traffic, as Gregorian dates for one year.
 *
 * Where dates come from:
 * - Ethiopian-calendar dates (Enkutatash = Meskerem 1, Meskel = Meskerem 17, Timkat = Tir 11,
 *   Filseta = Nehase 1-15, Tsome Nebiyat from Hidar 15) are converted with `kenat`'s `toGC`,
 *   checked in test/plan/calendar.test.ts against known dates.
 * - Computed here instead of taken from kenat, because kenat is wrong or unsuitable there:
 *   - Fasika: kenat's Bahire Hasab throws when the year's Metqi is 0 (it builds day 0 instead of
 *     day 30), once every 19 years (e.g. 2033, 2052). Fasika here is the Julian computus, which
 *     the tests check against kenat for every year kenat can compute, and against known dates.
 *   - Genna: kenat always uses Tahsas 29, which is 8 January in the Ethiopian year after a leap
 *     year (e.g. 2024, 2028). The church keeps the Nativity on Tahsas 28 in those years, so the
 *     national holiday stays on 7 January (Julian 25 December); only Lalibela keeps Tahsas 29.
 *   - Abiy Tsom: kenat ends it on Siklet (Good Friday), 54 days; the fast is 55 days and runs
 *     through Holy Saturday, so here it is Fasika - 55 .. Fasika - 1.
 *   - Filseta: kenat ends it on Nehase 14; the fast runs to Nehase 15 (7-21 August), with the
 *     feast of the Assumption on Nehase 16.
 *   - Siklet (Good Friday) is two days before that Fasika.
 *   - Islamic dates (src/plan/hijri.ts): kenat uses ICU's astronomical `islamic` calendar in the process's local
 *     time zone (so results depend on TZ), which no authority publishes. Here they come from the
 *     Umm al-Qura calendar (Saudi Arabia's official tabulation, ICU `islamic-umalqura`) read in
 *     UTC. Ethiopia's Islamic Affairs Supreme Council announces Eid by moon sighting, so the
 *     observed day can be one day later (or earlier) than the one given.
 *
 * - The civic public holidays (Adwa, Labour Day, Patriots' Victory Day, Downfall of the Derg)
 *   are fixed Gregorian dates, listed in profiles/holidays.ts.
 *
 * Supported years: 1901-2098, where the Julian calendar runs 13 days behind the Gregorian and
 * kenat's new-year rule (12 September before a Gregorian leap year, else 11) holds.
 */
import { toGC } from 'kenat';
import { InputError } from '../errors.ts';
import { FIXED_DATES, HOLIDAYS, HOLIDAY_IDS, type HolidayId, type HolidayKind } from '../../profiles/holidays.ts';
import { islamicDatesIn } from './hijri.ts';

export const FIRST_YEAR = 1901;
export const LAST_YEAR = 2098;

export interface Holiday {
  id: HolidayId;
  name: string;
  kind: HolidayKind;
  /** First (or only) day, Gregorian `YYYY-MM-DD`; East Africa Time. */
  date: string;
  /** Last day of a fast, inclusive, Gregorian `YYYY-MM-DD`. */
  endDate?: string;
  /** Ethiopian-calendar date of `date`, `YYYY-MM-DD` (Ethiopian year, month 1-13). */
  ethiopianDate?: string;
  /** Why the date may differ in practice (moon sighting, local custom). */
  note?: string;
}

// Also for Mawlid (12 Rabi' al-awwal).
const EID_NOTE =
  'Umm al-Qura calendar; the observed day follows moon sighting and can be one day off';
const RAMADAN_NOTE =
  'Umm al-Qura calendar; the observed start and end follow moon sighting and can be one day off';

/**
 * Holidays and fasts starting in `gregorianYear`, ordered by date. A fast that starts in one
 * year and ends in the next (Tsome Nebiyat) belongs to the year it starts in. An Islamic feast
 * can occur twice in one Gregorian year (e.g. 2033); both are listed.
 */
export function holidaysFor(gregorianYear: number): Holiday[] {
  checkYear(gregorianYear);
  const gy = gregorianYear;
  // The Ethiopian year that starts in September of gy, and the one in progress on 1 January.
  const eyAutumn = gy - 7;
  const eySpring = gy - 8;
  const fasika = julianComputusEaster(gy);
  const islamic = islamicDatesIn(gy);
  const out: Holiday[] = [
    fromEthiopian('enkutatash', eyAutumn, 1, 1),
    fromEthiopian('meskel', eyAutumn, 1, 17),
    genna(gy),
    fromEthiopian('timkat', eySpring, 5, 11),
    make('fasika', fasika),
    ...islamic.fitr.map((d) => ({ ...make('eid-al-fitr', d), note: EID_NOTE })),
    ...islamic.adha.map((d) => ({ ...make('eid-al-adha', d), note: EID_NOTE })),
    ...islamic.mawlid.map((d) => ({ ...make('mawlid', d), note: EID_NOTE })),
    // Good Friday, two days before Fasika by the same (Julian) computus.
    make('siklet', addDays(fasika, -2)),
    ...Object.entries(FIXED_DATES).map(([id, mmdd]) => make(id as HolidayId, `${gy}-${mmdd}`)),
    { ...make('abiy-tsom', addDays(fasika, -55)), endDate: addDays(fasika, -1) },
    {
      ...fromEthiopian('tsome-nebiyat', eyAutumn, 3, 15),
      endDate: addDays(genna(gy + 1).date, -1),
    },
    { ...fromEthiopian('filseta', eySpring, 12, 1), endDate: gregorianOf(eySpring, 12, 15) },
    ...islamic.ramadan.map((r) => ({ ...make('ramadan', r.start), endDate: r.end, note: RAMADAN_NOTE })),
  ];
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * One holiday by name or alias (case-insensitive; spaces, underscores and dashes alike), e.g.
 * `Enkutatash`, `new-year`, `eid al-fitr`. Throws an InputError listing the valid names.
 * If it occurs twice in the year, the first occurrence is returned.
 */
export function findHoliday(name: string, gregorianYear: number): Holiday {
  const id = resolveHolidayId(name);
  const found = holidaysFor(gregorianYear).find((h) => h.id === id);
  if (!found) throw new InputError(`holiday ${JSON.stringify(name)} does not occur in ${gregorianYear}`);
  return found;
}

/** The canonical id for a holiday name or alias; throws an InputError listing valid names. */
export function resolveHolidayId(name: string): HolidayId {
  const key = normalise(name);
  for (const id of HOLIDAY_IDS) {
    if (id === key || HOLIDAYS[id].aliases.some((a) => normalise(a) === key)) return id;
  }
  const valid = HOLIDAY_IDS.map((id) => [id, ...HOLIDAYS[id].aliases].join('|')).join(', ');
  throw new InputError(`unknown holiday ${JSON.stringify(name)}; valid names: ${valid}`);
}

/** Orthodox Easter (Fasika) by the Julian computus (Meeus), as a Gregorian `YYYY-MM-DD`. */
export function julianComputusEaster(gregorianYear: number): string {
  const y = gregorianYear;
  const a = y % 4;
  const b = y % 7;
  const c = y % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  // Julian to Gregorian: 13 days in 1900-2099.
  return addDays(isoDate(y, month, day), 13);
}

function genna(gy: number): Holiday {
  const ey = gy - 8;
  // Tahsas 28 in the year after an Ethiopian leap year (whose Pagume had 6 days), else Tahsas 29.
  const day = isEthiopianLeapYear(ey - 1) ? 28 : 29;
  const h = fromEthiopian('genna', ey, 4, day);
  return day === 28 ? { ...h, note: 'Tahsas 28 this year; Lalibela keeps Tahsas 29, the next day' } : h;
}

function isEthiopianLeapYear(ey: number): boolean {
  return ey % 4 === 3;
}

function fromEthiopian(id: HolidayId, ey: number, month: number, day: number): Holiday {
  return { ...make(id, gregorianOf(ey, month, day)), ethiopianDate: ethiopianIso({ year: ey, month, day }) };
}

function make(id: HolidayId, date: string): Holiday {
  return { id, name: HOLIDAYS[id].name, kind: HOLIDAYS[id].kind, date };
}

function gregorianOf(ey: number, month: number, day: number): string {
  const g = toGC(ey, month, day);
  return isoDate(g.year, g.month, g.day);
}

const DAY_MS = 86_400_000;

/** Adds whole days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * DAY_MS;
  return new Date(t).toISOString().slice(0, 10);
}

function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function ethiopianIso(e: { year: number; month: number; day: number }): string {
  return isoDate(e.year, e.month, e.day);
}

function normalise(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[\s_]+/g, '-');
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new InputError(
      `holiday calendar: year must be a whole Gregorian year from ${FIRST_YEAR} to ${LAST_YEAR} (got ${String(year)})`,
    );
  }
}

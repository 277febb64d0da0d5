import { describe, expect, it } from 'vitest';
import { findHoliday, holidaysFor } from '../../src/plan/calendar.ts';
import { holidayEvening, rateAt } from '../../src/plan/holiday-slice.ts';
import { holidayDay } from '../../src/plan/holiday.ts';
import { formatHolidays } from '../../src/plan/capacity-format.ts';

// Written out by hand: Orthodox Easter 2026-04-12 and 2027-05-02, Siklet the Friday before; the
// civic holidays on their fixed dates; Mawlid (12 Rabi' al-awwal) by Umm al-Qura, observed in
// Ethiopia by moon sighting, so 2026-08-25 or 26 and 2027-08-14 or 15 (+/- 1 day).
const PINNED: Array<[string, number, string, string, string]> = [
  ['siklet', 2026, '2026-04-10', 'holy-day', 'church-fast'],
  ['siklet', 2027, '2027-04-30', 'holy-day', 'church-fast'],
  ['mawlid', 2026, '2026-08-25', 'feast', 'feast'],
  ['mawlid', 2027, '2027-08-14', 'feast', 'feast'],
  ['adwa', 2026, '2026-03-02', 'public', 'day-off'],
  ['adwa', 2027, '2027-03-02', 'public', 'day-off'],
  ['labour-day', 2026, '2026-05-01', 'public', 'day-off'],
  ['labour-day', 2027, '2027-05-01', 'public', 'day-off'],
  ['patriots-day', 2026, '2026-05-05', 'public', 'day-off'],
  ['patriots-day', 2027, '2027-05-05', 'public', 'day-off'],
  ['derg-downfall', 2026, '2026-05-28', 'public', 'day-off'],
  ['derg-downfall', 2027, '2027-05-28', 'public', 'day-off'],
];

describe('public holidays, Siklet and Mawlid', () => {
  it.each(PINNED)('%s %i is %s (%s, shape %s)', (id, year, date, kind, shape) => {
    const h = findHoliday(id, year);
    expect(h).toMatchObject({ id, date, kind });
    expect(holidayEvening(id, year, '--holiday').inputs).toMatchObject({ date, shape });
  });

  it('Siklet is the Friday two days before Fasika', () => {
    for (const y of [2026, 2027, 2033, 2052]) {
      const s = Date.parse(findHoliday('siklet', y).date);
      expect(Date.parse(findHoliday('fasika', y).date) - s).toBe(2 * 86_400_000);
      expect(new Date(s).getUTCDay()).toBe(5);
    }
  });

  it('Mawlid carries the moon-sighting note', () => {
    expect(findHoliday('mawlid', 2026).note).toMatch(/moon sighting/);
  });

  it.each([
    ['Good Friday', 'siklet'],
    ['Mawlid an-Nabi', 'mawlid'],
    ['Adwa Victory Day', 'adwa'],
    ['May Day', 'labour-day'],
    ["Patriots' Victory Day", 'patriots-day'],
    ['Ginbot 20', 'derg-downfall'],
  ])('accepts the name %s (%s), as --holiday does', (name, id) => {
    expect(findHoliday(name, 2027).id).toBe(id);
  });

  it('a civic day off peaks by day, not in the evening like a feast', () => {
    const off = holidayDay({ holiday: 'adwa', baseRate: 100 });
    const feast = holidayDay({ holiday: 'meskel', baseRate: 100 });
    const at = (d: typeof off, h: number) => rateAt(d.startRate, d.stages, h * 3600);
    expect(at(off, 12)).toBe(200);
    expect(at(off, 20)).toBeLessThan(100);
    expect(at(feast, 12)).toBeLessThan(100);
    expect(at(feast, 19)).toBe(200);
  });

  it('the spike of a civic holiday runs its midday, of a feast its evening', () => {
    expect(holidayEvening('labour-day', 2027, '--holiday').inputs.window).toBe('08:45-14:15 EAT, compressed 5x');
    expect(holidayEvening('meskel', 2027, '--holiday').inputs.window).toBe('16:30-22:00 EAT, compressed 5x');
    const adwa = holidayEvening('adwa', 2027, '--holiday');
    // 10,000 req/s current peak: the day off's surge (x2) and sale (x1.5) fall inside the window.
    expect(Math.max(...adwa.stages.map((s) => s.target))).toBe(30_000);
    expect(adwa.inputs.segments).toEqual(expect.arrayContaining([expect.stringMatching(/^13:00 flash-sale/)]));
  });

  it('Siklet is subdued while in church and has no flash sale', () => {
    const s = holidayDay({ holiday: 'siklet', baseRate: 100 });
    expect(rateAt(s.startRate, s.stages, 11 * 3600)).toBe(40);
    expect(Math.max(...s.stages.map((x) => x.target))).toBe(150);
    const spike = holidayEvening('siklet', 2026, '--holiday');
    expect(spike.inputs.window).toBe('14:30-20:00 EAT, compressed 5x');
  });

  it('the plan lists every holiday of 2027 with its date', () => {
    const text = formatHolidays(2027);
    for (const [id, year, date] of PINNED.filter((p) => p[1] === 2027)) {
      const line = text.split('\n').find((l) => l.includes(findHoliday(id, year).name));
      expect(line, id).toContain(date);
    }
    expect(text.split('\n')).toHaveLength(holidaysFor(2027).length + 2);
  });
});

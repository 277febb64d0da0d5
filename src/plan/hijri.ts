/**
 * Islamic dates from the Umm al-Qura calendar (Saudi Arabia's official tabulation, ICU
 * `islamic-umalqura`), read in UTC so that results do not depend on the process's time zone.
 */
export interface IslamicDates {
  fitr: string[];
  adha: string[];
  /** Mawlid an-Nabi, 12 Rabi' al-awwal. */
  mawlid: string[];
  ramadan: Array<{ start: string; end: string }>;
}

const DAY_MS = 86_400_000;
const islamicCache = new Map<number, IslamicDates>();
let umalqura: Intl.DateTimeFormat | undefined;

/**
 * Eid al-Fitr (1 Shawwal), Eid al-Adha (10 Dhu al-Hijjah), Mawlid (12 Rabi' al-awwal) and
 * Ramadan starting in gy.
 */
export function islamicDatesIn(gy: number): IslamicDates {
  const cached = islamicCache.get(gy);
  if (cached) return cached;
  const result: IslamicDates = { fitr: [], adha: [], mawlid: [], ramadan: [] };
  let ramadanStart: string | undefined;
  // Scan past 31 December so that a Ramadan starting in December gets its end.
  for (let t = Date.UTC(gy, 0, 1); t < Date.UTC(gy + 1, 1, 1); t += DAY_MS) {
    const { month, day } = hijri(t);
    const date = new Date(t).toISOString().slice(0, 10);
    const inYear = new Date(t).getUTCFullYear() === gy;
    if (month === 9 && day === 1 && inYear) ramadanStart = date;
    if (month === 10 && day === 1) {
      if (ramadanStart) result.ramadan.push({ start: ramadanStart, end: new Date(t - DAY_MS).toISOString().slice(0, 10) });
      ramadanStart = undefined;
      if (inYear) result.fitr.push(date);
    }
    if (month === 12 && day === 10 && inYear) result.adha.push(date);
    if (month === 3 && day === 12 && inYear) result.mawlid.push(date);
  }
  islamicCache.set(gy, result);
  return result;
}

function hijri(epochMs: number): { month: number; day: number } {
  if (!umalqura) {
    const f = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura', {
      timeZone: 'UTC',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    if (f.resolvedOptions().calendar !== 'islamic-umalqura') {
      throw new Error('this Node.js has no Umm al-Qura calendar (needs full ICU) for the Islamic holidays');
    }
    umalqura = f;
  }
  let month = 0;
  let day = 0;
  for (const p of umalqura.formatToParts(new Date(epochMs))) {
    if (p.type === 'month') month = Number(p.value);
    if (p.type === 'day') day = Number(p.value);
  }
  return { month, day };
}

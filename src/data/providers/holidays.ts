/**
 * Full-day closures of the New York exchanges (NYSE and Nasdaq rules since 2022, earlier years by the same rules
 * where they applied), used only to avoid asking a provider for a holiday at the edge of a request. Other exchanges
 * are treated as closed on weekends only: a request may then ask once more for a holiday, which costs a request and
 * nothing else.
 */

import { epochDay, weekdayOf, ymdOf } from '../../core/dates.js';

const cache = new Map<number, Set<number>>();

/** Easter Sunday of `year` (Gregorian, anonymous algorithm), as a day number. */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return epochDay(year, month, day);
}

/** The n-th (1-based) weekday `w` (0 Sunday) of a month, or the last one when n is -1. */
function nthWeekday(year: number, month: number, w: number, n: number): number {
  if (n === -1) {
    const last = epochDay(year, month + 1, 1) - 1;
    return last - ((weekdayOf(last) - w + 7) % 7);
  }
  const first = epochDay(year, month, 1);
  return first + ((w - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
}

/** A fixed-date holiday moved to Friday when on Saturday and to Monday when on Sunday. */
function observed(day: number): number {
  const w = weekdayOf(day);
  return w === 6 ? day - 1 : w === 0 ? day + 1 : day;
}

/** The NYSE full-day holidays of `year`. */
export function nyseHolidays(year: number): Set<number> {
  let set = cache.get(year);
  if (set !== undefined) return set;
  const days = [
    // New Year's Day: not moved back to the previous Friday (NYSE rule).
    weekdayOf(epochDay(year, 1, 1)) === 6 ? Number.NaN : observed(epochDay(year, 1, 1)),
    nthWeekday(year, 1, 1, 3), // Martin Luther King Jr. Day
    nthWeekday(year, 2, 1, 3), // Washington's Birthday
    easterSunday(year) - 2, // Good Friday
    nthWeekday(year, 5, 1, -1), // Memorial Day
    year >= 2022 ? observed(epochDay(year, 6, 19)) : Number.NaN, // Juneteenth
    observed(epochDay(year, 7, 4)),
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 11, 4, 4), // Thanksgiving
    observed(epochDay(year, 12, 25)),
  ];
  set = new Set(days.filter((d) => !Number.isNaN(d)));
  cache.set(year, set);
  return set;
}

/** True when `day` is a full-day holiday of the exchange in `timeZone` (known for America/New_York only). */
export function isExchangeHoliday(day: number, timeZone: string): boolean {
  if (timeZone !== 'America/New_York' && timeZone !== 'US/Eastern') return false;
  return nyseHolidays(ymdOf(day).year).has(day);
}

/**
 * Day-range arithmetic for the cache: what part of a request the stored coverage does not hold.
 */

import type { DayRange } from '../cache/index.js';
import { isWeekday } from './calendar.js';
import { isExchangeHoliday } from './holidays.js';

/** The parts of `range` outside every range of `covered` (sorted, disjoint), in order. */
export function subtractRanges(range: DayRange, covered: readonly DayRange[]): DayRange[] {
  const out: DayRange[] = [];
  let from = range.fromDay;
  for (const c of covered) {
    if (c.toDay < from) continue;
    if (c.fromDay > range.toDay) break;
    if (c.fromDay > from) out.push({ fromDay: from, toDay: Math.min(c.fromDay - 1, range.toDay) });
    from = Math.max(from, c.toDay + 1);
    if (from > range.toDay) return out;
  }
  if (from <= range.toDay) out.push({ fromDay: from, toDay: range.toDay });
  return out;
}

/**
 * True when a range could hold a session: it has a weekday that is not a known holiday of the exchange in
 * `timeZone`. Gaps of weekends and holidays only are not missing data.
 */
export function couldHoldSession(range: DayRange, timeZone: string): boolean {
  for (let d = range.fromDay; d <= range.toDay; d++) {
    if (isWeekday(d) && !isExchangeHoliday(d, timeZone)) return true;
  }
  return false;
}

/**
 * Calendar-month returns of a NAV series: for each month with a NAV, the last NAV of the month over the last NAV
 * before the month, minus 1 (the first month runs from the first NAV, and is left out when it holds only that one). Works for any frequency from daily to
 * monthly; on monthly data each month's return is its period return.
 */

import { ymdOf } from '../../core/dates.js';

/** One calendar month's return. */
export interface MonthReturn {
  readonly year: number;
  /** 1 to 12. */
  readonly month: number;
  readonly value: number;
}

/**
 * Monthly returns of `nav` on `dates` (day numbers, ascending); NaN NAVs are skipped. Dates are taken as they are:
 * a monthly sample dated on the 1st gives each month the return of the period that ends on that date.
 */
export function monthlyReturns(dates: ArrayLike<number>, nav: ArrayLike<number>): MonthReturn[] {
  const out: MonthReturn[] = [];
  let previous = Number.NaN;
  let key = -1;
  let last = Number.NaN;
  let year = 0;
  let month = 0;
  let first = true;
  let count = 0;
  const flush = (): void => {
    if (key >= 0 && (!first || count >= 2)) out.push({ year, month, value: last / previous - 1 });
  };
  for (let t = 0; t < nav.length; t++) {
    const v = nav[t] as number;
    if (Number.isNaN(v)) continue;
    const ymd = ymdOf(dates[t] as number);
    const k = ymd.year * 12 + ymd.month;
    if (k !== key) {
      flush();
      first = key < 0;
      count = 0;
      previous = first ? v : last;
      key = k;
      year = ymd.year;
      month = ymd.month;
    }
    last = v;
    count++;
  }
  flush();
  return out;
}

/**
 * Exchange-local dates and the "settled" boundary of the cache: which days can no longer change.
 */

import { epochDay, weekdayOf } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import { isExchangeHoliday } from './holidays.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        hourCycle: 'h23',
      });
    } catch {
      throw new ValidationError(
        `unknown time zone ${JSON.stringify(timeZone)}; expected an IANA name such as America/New_York`,
      );
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local calendar day (days since 1970-01-01) and hour of the instant `epochMs` in the IANA zone `timeZone`. */
export function localDayAndHour(epochMs: number, timeZone: string): { day: number; hour: number } {
  const parts = formatter(timeZone).formatToParts(new Date(epochMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return { day: epochDay(get('year'), get('month'), get('day')), hour: get('hour') };
}

/**
 * The exchange-local trading date of a session that starts at `epochMs` (Yahoo's timestamps are session opens in
 * UTC). Uses the zone's rules on that date, not today's offset, so Sydney's sessions (the previous day in UTC) and
 * daylight-saving changes come out right.
 */
export function localDay(epochMs: number, timeZone: string): number {
  return localDayAndHour(epochMs, timeZone).day;
}

/** True for Monday to Friday. */
export function isWeekday(day: number): boolean {
  const w = weekdayOf(day);
  return w !== 0 && w !== 6;
}

/** Local hour after which the day's session counts as completed and its data as published (default 18:00). */
export const SESSION_SETTLED_HOUR = 18;

/**
 * The last settled day at time `nowMs` on an exchange in `timeZone`: every day up to it has either a completed
 * session (a final bar) or no session at all. It is today (local) when today is a weekend day or the local time is
 * past {@link SESSION_SETTLED_HOUR}, or today is a known holiday, else yesterday. Bars on later days are provisional and expire.
 */
export function settledDay(nowMs: number, timeZone: string, settledHour = SESSION_SETTLED_HOUR): number {
  const { day, hour } = localDayAndHour(nowMs, timeZone);
  return !isWeekday(day) || isExchangeHoliday(day, timeZone) || hour >= settledHour ? day : day - 1;
}

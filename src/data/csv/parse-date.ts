/**
 * Reading one date cell of a CSV file. Year-first and month-name dates are read at once; numeric dates such as
 * 03/04/2000 need the file's day/month order, so under `auto` they are returned as their parts for `DateColumn` to
 * finish once the whole column has been seen.
 */

import { daysInMonth, epochDay, isValidYmd } from '../../core/dates.js';
import type { DateFormat } from './options.js';

/** A date cell as read: a day number, the parts of a numeric date waiting for the file's order, or the problem. */
export type DateCell =
  | { readonly kind: 'day'; readonly day: number }
  | { readonly kind: 'numeric'; readonly first: number; readonly second: number; readonly year: number }
  | { readonly kind: 'invalid'; readonly expected: string; readonly advice?: string };

/** A date cell read to the end: its day number, or the problem. */
export type ReadDate = Exclude<DateCell, { kind: 'numeric' }>;

/** Day/month order of a numeric date: month first (US) or day first (European). */
export type NumericOrder = 'mdy' | 'dmy';

/** YYYY-MM-DD, YYYY/MM/DD or YYYY.MM.DD, optionally followed by a time (`T` or a space, then hh:mm[:ss[.f]][zone]). */
const YEAR_FIRST =
  /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
/** Jan 2 2000, January 2, 2000, Jan-02-2000. */
const MONTH_NAME_FIRST = /^([a-z]{3,9})\.?[\s/-]+(\d{1,2}),?[\s/-]+(\d+)$/i;
/** 2 Jan 2000, 02-Jan-2000, 2 January, 2000. */
const DAY_FIRST_MONTH_NAME = /^(\d{1,2})[\s/-]+([a-z]{3,9})\.?,?[\s/-]+(\d+)$/i;
/** 03/04/2000, 03.04.2000, 03-04-2000 (the same separator twice). */
const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d+)$/;

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const MONTHS = new Map<string, number>();
MONTH_NAMES.forEach((name, i) => {
  MONTHS.set(name.toLowerCase(), i + 1);
  MONTHS.set(name.slice(0, 3).toLowerCase(), i + 1);
});
MONTHS.set('sept', 9);

/** What an unreadable date cell should have been. */
export const DATE_FORMS = 'a date (YYYY-MM-DD, MM/DD/YYYY, DD/MM/YYYY, DD.MM.YYYY or Jan 2 2000)';

/**
 * Reads a date cell (surrounding whitespace ignored). `format` as in the reader options: under `iso` only year-first
 * dates are accepted; under `mdy`/`dmy` numeric dates are read in that order; under `auto` a numeric date comes back
 * as its parts (`kind: 'numeric'`) unless its numbers already make it impossible.
 */
export function parseDateCell(text: string, format: DateFormat): DateCell {
  const t = text.trim();
  if (t.length === 0) return { kind: 'invalid', expected: 'a date' };
  let m = YEAR_FIRST.exec(t);
  if (m) return calendarDay(Number(m[1]), Number(m[3]), Number(m[4]));
  if (format === 'iso') return { kind: 'invalid', expected: "a date written YYYY-MM-DD (the date format is 'iso')" };
  m = NUMERIC.exec(t);
  if (m) {
    const year = m[4] as string;
    if (year.length !== 4) return yearProblem(year);
    const first = Number(m[1]);
    const second = Number(m[3]);
    const parts = { kind: 'numeric', first, second, year: Number(year) } as const;
    if (format === 'mdy' || format === 'dmy') {
      return numericDay(parts, format, `the date format '${format}' reads ${ORDER_NAMES[format]}`);
    }
    const impossible =
      first === 0 || second === 0
        ? 'Days and months are numbered from 1'
        : first > 31 || second > 31
          ? `${Math.max(first, second)} is neither a day nor a month`
          : first > 12 && second > 12
            ? `Neither ${first} nor ${second} is a month`
            : undefined;
    return impossible === undefined ? parts : { kind: 'invalid', expected: 'a real calendar date', advice: impossible };
  }
  m = MONTH_NAME_FIRST.exec(t);
  if (m) return namedMonthDay(m[1] as string, m[2] as string, m[3] as string);
  m = DAY_FIRST_MONTH_NAME.exec(t);
  if (m) return namedMonthDay(m[2] as string, m[1] as string, m[3] as string);
  return { kind: 'invalid', expected: DATE_FORMS };
}

/** How each order reads a numeric date, for messages. */
export const ORDER_NAMES: Readonly<Record<NumericOrder, string>> = {
  mdy: 'month first, MM/DD/YYYY',
  dmy: 'day first, DD/MM/YYYY',
};

/**
 * The day of a numeric date's parts read in `order`, or the reason it is not a calendar date in that order;
 * `why` (why this order applies) is appended to that reason.
 */
export function numericDay(
  parts: { readonly first: number; readonly second: number; readonly year: number },
  order: NumericOrder,
  why: string,
): ReadDate {
  const month = order === 'mdy' ? parts.first : parts.second;
  const day = order === 'mdy' ? parts.second : parts.first;
  const cell = calendarDay(parts.year, month, day);
  return cell.kind === 'invalid' ? { ...cell, advice: `${cell.advice} (${why})` } : cell;
}

function namedMonthDay(monthName: string, day: string, year: string): DateCell {
  const month = MONTHS.get(monthName.toLowerCase());
  if (month === undefined) return { kind: 'invalid', expected: DATE_FORMS };
  if (year.length !== 4) return yearProblem(year);
  return calendarDay(Number(year), month, Number(day));
}

function yearProblem(year: string): DateCell {
  return {
    kind: 'invalid',
    expected: 'a four-digit year',
    advice:
      year.length === 2
        ? `A two-digit year (${year}) could be 19${year} or 20${year}; write the year in full`
        : 'Write the year with four digits',
  };
}

function calendarDay(year: number, month: number, day: number): ReadDate {
  if (isValidYmd(year, month, day)) return { kind: 'day', day: epochDay(year, month, day) };
  let advice: string;
  if (month < 1 || month > 12) advice = `There is no month ${month}`;
  else if (year < 1000) advice = 'Years before 1000 are not supported';
  else advice = `${MONTH_NAMES[month - 1]} ${year} has ${daysInMonth(year, month)} days`;
  return { kind: 'invalid', expected: 'a real calendar date', advice };
}

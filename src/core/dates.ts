/**
 * Calendar dates as whole days since 1970-01-01 (UTC), the representation every dated series in pfopt uses.
 * A day number is a plain integer, so dates compare, subtract and store (Int32Array) cheaply; no time zones apply.
 */

import { ValidationError } from './errors.js';

const MS_PER_DAY = 86_400_000;

/** Day number of the calendar date year-month-day (month 1-12). No range check: use `isValidYmd` first. */
export function epochDay(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

/** True when year-month-day is a real calendar date (for example 2021-02-29 is not) with a four-digit year. */
export function isValidYmd(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** Number of days in the month (1-12) of the year, leap years included. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Calendar parts of a day number. */
export function ymdOf(day: number): { year: number; month: number; day: number } {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO 8601 text (YYYY-MM-DD) of a day number. */
export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day of the week of a day number: 0 Sunday ... 6 Saturday. */
export function weekdayOf(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((day + 4) % 7) + 7) % 7;
}

/** Day number of a strict ISO date `YYYY-MM-DD`; throws ValidationError naming `what` when it is not one. */
export function parseIsoDate(text: string, what = 'date'): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (isValidYmd(y, mo, d)) return epochDay(y, mo, d);
  }
  throw new ValidationError(`${what} must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(text)}`);
}

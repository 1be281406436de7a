/**
 * Periods per year and the risk-free rate per period: the one place these conventions are defined.
 */

import { weekdayOf } from './dates.js';
import { ValidationError } from './errors.js';

/** Periods per year of daily trading data (trading days). */
export const TRADING_DAYS_PER_YEAR = 252;

/** The sampling frequencies pfopt recognises, as periods per year. */
export const KNOWN_FREQUENCIES = { daily: 252, weekly: 52, monthly: 12, quarterly: 4, annual: 1 } as const;

/**
 * Periods per year implied by a sorted list of day numbers, from the median spacing between consecutive dates:
 * at most 4 calendar days is daily (252 trading days a year, or 365 when more than a fifth of the dates fall on a
 * weekend, as for crypto-currencies), 5-10 weekly (52), 26-35 monthly (12), 85-95 quarterly (4), 350-380 annual (1).
 * Throws ValidationError when there are fewer than two dates or the spacing fits none of these.
 */
export function inferPeriodsPerYear(dates: ArrayLike<number>): number {
  const n = dates.length;
  if (n < 2) {
    throw new ValidationError(
      `cannot infer the data frequency from ${n} date${n === 1 ? '' : 's'}; give periods per year (--frequency N)`,
    );
  }
  const gaps = new Float64Array(n - 1);
  let weekend = 0;
  for (let i = 1; i < n; i++) gaps[i - 1] = (dates[i] as number) - (dates[i - 1] as number);
  for (let i = 0; i < n; i++) {
    const wd = weekdayOf(dates[i] as number);
    if (wd === 0 || wd === 6) weekend++;
  }
  gaps.sort();
  const mid = gaps.length >> 1;
  const median =
    gaps.length % 2 === 1 ? (gaps[mid] as number) : ((gaps[mid - 1] as number) + (gaps[mid] as number)) / 2;
  if (median <= 4) return weekend / n > 0.2 ? 365 : TRADING_DAYS_PER_YEAR;
  if (median >= 5 && median <= 10) return 52;
  if (median >= 26 && median <= 35) return 12;
  if (median >= 85 && median <= 95) return 4;
  if (median >= 350 && median <= 380) return 1;
  throw new ValidationError(
    `cannot infer the data frequency: the median spacing of the dates is ${median} days, which is not daily, ` +
      'weekly, monthly, quarterly or annual; give periods per year (--frequency N)',
  );
}

/** Checks a user-given periods-per-year value: a finite number greater than 0. */
export function validatePeriodsPerYear(periods: number, what = 'periods per year'): number {
  if (!Number.isFinite(periods) || periods <= 0) {
    throw new ValidationError(`${what} must be a positive number (252 daily, 52 weekly, 12 monthly), got ${periods}`);
  }
  return periods;
}

/**
 * Per-period risk-free rate equivalent to an annual rate: `(1 + annualRate)^(1 / periodsPerYear) - 1`.
 * `annualRate` is an annual decimal (0.02 is 2% a year); the result is a per-period decimal.
 */
export function riskFreePerPeriod(annualRate: number, periodsPerYear: number): number {
  if (!Number.isFinite(annualRate) || annualRate <= -1) {
    throw new ValidationError(`the risk-free rate must be an annual decimal above -1 (0.02 is 2%), got ${annualRate}`);
  }
  validatePeriodsPerYear(periodsPerYear);
  return Math.expm1(Math.log1p(annualRate) / periodsPerYear);
}

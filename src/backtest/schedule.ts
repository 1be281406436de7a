/**
 * When a backtest rebalances: the last trading date of each calendar period in the price index (weekly, monthly,
 * quarterly, annual), never the index's final date, from the first date with enough history.
 */

import { ValidationError } from '../core/errors.js';
import { periodKey, type ResampleFrequency } from '../core/resample.js';

/** Calendar rebalancing frequencies; `'none'` rebalances only on the first date (and on drift, when set). */
export const REBALANCE_FREQUENCIES = ['weekly', 'monthly', 'quarterly', 'annual', 'none'] as const;
export type RebalanceFrequency = (typeof REBALANCE_FREQUENCIES)[number];

/** Checks a frequency name, with a message listing the allowed ones. */
export function parseRebalanceFrequency(name: string): RebalanceFrequency {
  if ((REBALANCE_FREQUENCIES as readonly string[]).includes(name)) return name as RebalanceFrequency;
  throw new ValidationError(
    `unknown rebalancing frequency ${JSON.stringify(name)}; use one of ${REBALANCE_FREQUENCIES.join(', ')}`,
  );
}

/**
 * Rows of the calendar rebalancing dates of a date index (day numbers, increasing), ascending:
 * - row i is a period end when it is the last row of its calendar period (weeks Monday to Sunday, calendar months,
 *   quarters and years; `periodKey` of core/resample.ts), except the final row of the index (a partial last period is
 *   not rebalanced at its end);
 * - the first rebalance is the first period end with at least `lookback` returns up to it inclusive, i.e. row
 *   `i >= lookback` (row i closes the i-th return of the index);
 * - `'none'`: the single row `lookback` (the first date with enough history), when it is not the final row.
 * Throws ValidationError when `lookback` is not a whole number >= 0.
 */
export function rebalanceRows(dates: ArrayLike<number>, frequency: RebalanceFrequency, lookback: number): Int32Array {
  if (!Number.isInteger(lookback) || lookback < 0) {
    throw new ValidationError(`the lookback must be a whole number of returns >= 0, got ${lookback}`);
  }
  const n = dates.length;
  if (frequency === 'none') return lookback < n - 1 ? Int32Array.of(lookback) : new Int32Array(0);
  const rows: number[] = [];
  const f: ResampleFrequency = frequency;
  for (let i = Math.max(lookback, 0); i < n - 1; i++) {
    if (periodKey(dates[i] as number, f) !== periodKey(dates[i + 1] as number, f)) rows.push(i);
  }
  return Int32Array.from(rows);
}

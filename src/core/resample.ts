/**
 * Resampling prices to a lower frequency: one row per calendar period that has data.
 */

import { DatedMatrix } from './dated-matrix.js';
import { weekdayOf, ymdOf } from './dates.js';
import { KNOWN_FREQUENCIES } from './periods.js';

/** Target frequencies of `resamplePrices`. */
export type ResampleFrequency = 'weekly' | 'monthly' | 'quarterly' | 'annual';

/**
 * Key of the calendar period holding a day number: weeks run Monday to Sunday, quarters are calendar quarters.
 */
export function periodKey(day: number, frequency: ResampleFrequency): number {
  switch (frequency) {
    case 'weekly':
      // The day number of the Monday that starts the week, divided by 7: one key per Monday..Sunday week.
      return Math.floor((day - ((weekdayOf(day) + 6) % 7)) / 7);
    case 'monthly': {
      const { year, month } = ymdOf(day);
      return year * 12 + (month - 1);
    }
    case 'quarterly': {
      const { year, month } = ymdOf(day);
      return year * 4 + Math.floor((month - 1) / 3);
    }
    case 'annual':
      return ymdOf(day).year;
  }
}

/**
 * Resamples a price matrix: each calendar period present in the dates becomes one row, dated by the last date of
 * that period in the index, holding for each ticker its last price inside the period (NaN when the ticker has no
 * price in the period: nothing is carried over from an earlier period). The result's periods per year is 52, 12, 4
 * or 1.
 */
export function resamplePrices(prices: DatedMatrix, frequency: ResampleFrequency): DatedMatrix {
  const n = prices.rowCount;
  const m = prices.columnCount;
  // Row ranges [start, end) of each period, in date order.
  const starts: number[] = [];
  let prevKey = Number.NaN;
  for (let i = 0; i < n; i++) {
    const key = periodKey(prices.dates[i] as number, frequency);
    if (key !== prevKey) starts.push(i);
    prevKey = key;
  }
  const k = starts.length;
  const dates = new Int32Array(k);
  const values = new Float64Array(k * m);
  for (let p = 0; p < k; p++) {
    const end = p + 1 < k ? (starts[p + 1] as number) : n;
    dates[p] = prices.dates[end - 1] as number;
  }
  for (let j = 0; j < m; j++) {
    const col = prices.column(j);
    for (let p = 0; p < k; p++) {
      const start = starts[p] as number;
      const end = p + 1 < k ? (starts[p + 1] as number) : n;
      let v = Number.NaN;
      for (let i = end - 1; i >= start; i--) {
        const x = col[i] as number;
        if (!Number.isNaN(x)) {
          v = x;
          break;
        }
      }
      values[j * k + p] = v;
    }
  }
  const periodsPerYear = frequency === 'annual' ? KNOWN_FREQUENCIES.annual : KNOWN_FREQUENCIES[frequency];
  return new DatedMatrix(dates, prices.tickers, values, { periodsPerYear });
}

/**
 * The latest value of each ticker: what an allocation prices shares at.
 */

import type { DatedMatrix } from './dated-matrix.js';
import { DataError } from './errors.js';

/** A ticker's last non-missing value and its date (day number). */
export interface LatestValue {
  readonly ticker: string;
  readonly value: number;
  readonly day: number;
}

/**
 * The last non-NaN value of each ticker in `tickers` (default: all), with its date. Throws DataError naming a ticker
 * that has no value at all or is not in the matrix.
 */
export function latestValues(matrix: DatedMatrix, tickers: readonly string[] = matrix.tickers): LatestValue[] {
  return tickers.map((ticker) => {
    const col = matrix.indexOf(ticker);
    const row = matrix.lastValidRow(col);
    if (row < 0) throw new DataError(`${JSON.stringify(ticker)} has no value at all`);
    return { ticker, value: matrix.get(row, col), day: matrix.dates[row] as number };
  });
}

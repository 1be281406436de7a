/**
 * The estimation sample of the model-based stress tests (factor shocks, propagated shocks, the reverse stress test):
 * the per-period returns of the chosen assets, and of the market when one is needed, on the dates on which every one
 * of them has a return. Nothing is filled: other dates are left out.
 */

import type { DatedMatrix } from '../../core/dated-matrix.js';
import { isoDate } from '../../core/dates.js';
import { DataError } from '../../core/errors.js';
import type { BenchmarkSeries } from '../report.js';
import { onDates } from '../report.js';

/** Per-period returns of some assets (and the market) on their common dates. */
export interface EstimationSample {
  readonly tickers: readonly string[];
  /** Dates (day numbers) of the T common periods. */
  readonly dates: Int32Array;
  /** Column-major T x n: asset j on period t is `values[j * rowCount + t]` (fractions per period, no NaN). */
  readonly values: Float64Array;
  readonly rowCount: number;
  readonly columnCount: number;
  /** The market's returns on the same T dates, when a market was given. */
  readonly market?: Float64Array;
  /** Dates of the input left out because one of the series had no return on them. */
  readonly droppedDates: number;
}

/**
 * The returns of `tickers` (columns of `returns`) and of `market` (aligned by date: a left join on the dates of
 * `returns`) on the dates where all have a return. Throws DataError when fewer than `minimum` dates remain
 * (default 2: a covariance needs two).
 */
export function estimationSample(
  returns: DatedMatrix,
  tickers: readonly string[],
  market?: BenchmarkSeries,
  minimum = 2,
): EstimationSample {
  const cols = tickers.map((ticker) => returns.indexOf(ticker));
  const t = returns.rowCount;
  const x = returns.values;
  const m = market === undefined ? undefined : onDates(market, returns.dates);
  const rows: number[] = [];
  for (let i = 0; i < t; i++) {
    if (m !== undefined && Number.isNaN(m[i] as number)) continue;
    if (cols.every((j) => !Number.isNaN(x[j * t + i] as number))) rows.push(i);
  }
  if (rows.length < minimum) {
    const who = [...tickers, ...(market === undefined ? [] : [market.name])];
    throw new DataError(
      `only ${rows.length} date${rows.length === 1 ? '' : 's'} of ${t} have a return for every one of ` +
        `${who.slice(0, 12).join(', ')}${who.length > 12 ? ', ...' : ''}; the stress model needs at least ${minimum}` +
        (t > 0
          ? ` (the data run from ${isoDate(returns.dates[0] as number)} to ${isoDate(returns.dates[t - 1] as number)})`
          : ''),
    );
  }
  const n = cols.length;
  const T = rows.length;
  const values = new Float64Array(T * n);
  cols.forEach((j, k) => {
    for (let s = 0; s < T; s++) values[k * T + s] = x[j * t + (rows[s] as number)] as number;
  });
  const dates = Int32Array.from(rows, (i) => returns.dates[i] as number);
  const sample = { tickers: [...tickers], dates, values, rowCount: T, columnCount: n, droppedDates: t - T };
  return m === undefined ? sample : { ...sample, market: Float64Array.from(rows, (i) => m[i] as number) };
}

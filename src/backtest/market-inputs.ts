/**
 * The market inputs of a backtest besides prices, aligned on the price dates: the interest earned by cash on each
 * date, and the share of the day's volume a trade takes (for slippage by participation).
 */

import { type DatedMatrix, lowerBound } from '../core/dated-matrix.js';
import { ValidationError } from '../core/errors.js';
import { riskFreePerPeriod } from '../core/periods.js';
import type { CostOptions } from './costs.js';

/**
 * Per-period cash return on each row t (applied from row t - 1 to t): `(1 + r)^(1/P) - 1` with r the annual rate in
 * force on row t - 1's date (row 0: 0).
 */
export function cashReturns(prices: DatedMatrix, rate: number | DatedMatrix | undefined, P: number): Float64Array {
  const n = prices.rowCount;
  const out = new Float64Array(n);
  if (rate === undefined) return out;
  if (typeof rate === 'number') {
    out.fill(riskFreePerPeriod(rate, P));
    out[0] = 0;
    return out;
  }
  if (rate.columnCount !== 1) {
    throw new ValidationError(`the cash rate series must have one column, got ${rate.columnCount}`);
  }
  const values = rate.column(0);
  for (let t = 1; t < n; t++) {
    let k = lowerBound(rate.dates, (prices.dates[t - 1] as number) + 1) - 1;
    while (k >= 0 && Number.isNaN(values[k] as number)) k--;
    out[t] = k < 0 ? 0 : riskFreePerPeriod(values[k] as number, P);
  }
  return out;
}

/** Participation (shares / volume) of each ticker's trade on a row, or NaN without a positive volume. */
export function volumeLookup(
  prices: DatedMatrix,
  costs: CostOptions,
): (row: number, j: number, shares: number) => number {
  const model = costs.volumeSlippage;
  if (model === undefined) return () => Number.NaN;
  const v = model.volumes;
  const cols = prices.tickers.map((t) => (v.has(t) ? v.indexOf(t) : -1));
  const rows = Array.from(prices.dates, (d) => {
    const k = lowerBound(v.dates, d);
    return k < v.rowCount && v.dates[k] === d ? k : -1;
  });
  return (row, j, shares) => {
    const r = rows[row] as number;
    const c = cols[j] as number;
    if (r < 0 || c < 0) return Number.NaN;
    const volume = v.get(r, c);
    return volume > 0 ? Math.abs(shares) / volume : Number.NaN;
  };
}

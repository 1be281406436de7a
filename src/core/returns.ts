/**
 * Returns from prices, each asset over its own history: a date on which an asset has no price (before its listing,
 * after its delisting, or in a gap) has no return, never a fake zero.
 */

import { DatedMatrix, type DatedMatrixOptions } from './dated-matrix.js';
import { isoDate } from './dates.js';
import { DataError } from './errors.js';

/**
 * How a return is formed across a missing price inside an asset's history.
 * - `'nan'` (default): the return on date t uses the prices of rows t-1 and t only ("consecutive price rows"); when
 *   either is missing the return is NaN. The move across the gap is lost, but every return spans exactly one period.
 * - `'span'`: when the price of row t exists and row t-1's does not, the return on t runs from the last earlier price
 *   (so it compounds over the gap and the product of 1 + r still equals the asset's total price change).
 * Leading gaps (before the first price) give NaN under both policies.
 */
export type GapPolicy = 'nan' | 'span';

/** Options of `simpleReturns` and `logReturns`. */
export interface ReturnsOptions {
  /** Treatment of missing prices inside an asset's history; default `'nan'`. */
  readonly gaps?: GapPolicy;
}

/**
 * Simple (arithmetic) returns per period: `r_t = p_t / p_{t-1} - 1`, as fractions (0.01 is 1%).
 * The result has one row fewer than `prices` (dated from the second price date) and keeps periods per year.
 * Throws DataError when a price is zero, negative or infinite.
 */
export function simpleReturns(prices: DatedMatrix, options: ReturnsOptions = {}): DatedMatrix {
  return priceChanges(prices, options.gaps ?? 'nan', (p1, p0) => p1 / p0 - 1);
}

/**
 * Log (continuously compounded) returns per period: `r_t = ln(p_t / p_{t-1})`.
 * Same shape and gap handling as `simpleReturns`.
 */
export function logReturns(prices: DatedMatrix, options: ReturnsOptions = {}): DatedMatrix {
  return priceChanges(prices, options.gaps ?? 'nan', (p1, p0) => Math.log(p1 / p0));
}

function priceChanges(prices: DatedMatrix, gaps: GapPolicy, change: (p1: number, p0: number) => number): DatedMatrix {
  const n = prices.rowCount;
  const m = prices.columnCount;
  const rows = Math.max(0, n - 1);
  const out = new Float64Array(rows * m);
  const span = gaps === 'span';
  for (let j = 0; j < m; j++) {
    const p = prices.column(j);
    const base = j * rows;
    let last = Number.NaN; // last valid price seen (for 'span')
    for (let i = 0; i < n; i++) {
      const pi = p[i] as number;
      if (Number.isNaN(pi)) {
        if (i > 0) out[base + i - 1] = Number.NaN;
        continue;
      }
      if (!(pi > 0) || pi === Number.POSITIVE_INFINITY) {
        throw new DataError(
          `price of ${JSON.stringify(prices.tickers[j])} on ${isoDate(prices.dates[i] as number)} is ${pi}; ` +
            'prices must be positive finite numbers (leave the cell empty when there is no price)',
        );
      }
      if (i > 0) {
        const prev = p[i - 1] as number;
        const p0 = Number.isNaN(prev) ? (span ? last : Number.NaN) : prev;
        out[base + i - 1] = Number.isNaN(p0) ? Number.NaN : change(pi, p0);
      }
      last = pi;
    }
  }
  return new DatedMatrix(prices.dates.slice(1), prices.tickers, out, carriedPeriods(prices));
}

/** Periods per year of `source` to carry into a derived series: given, or inferred from `source` when possible. */
export function carriedPeriods(source: DatedMatrix): DatedMatrixOptions {
  if (source.hasExplicitPeriodsPerYear) return source.derivedOptions;
  try {
    return { periodsPerYear: source.periodsPerYear };
  } catch {
    return {}; // not inferable from the source either; the derived matrix will say so when asked
  }
}

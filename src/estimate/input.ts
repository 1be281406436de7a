/**
 * What every estimator does with its input first: returns from prices, periods per year, and the per-asset checks
 * (finite returns, at least two of them) with each asset's count and mean over its own history.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';
import { DataError } from '../core/errors.js';
import { validatePeriodsPerYear } from '../core/periods.js';
import { simpleReturns } from '../core/returns.js';
import type { EstimatorOptions, PriceInputOptions } from './types.js';

/** Simple returns of `prices` under the options' gap policy: the bridge from the price layer to the return layer. */
export function returnsOfPrices(prices: DatedMatrix, options: PriceInputOptions): DatedMatrix {
  return simpleReturns(prices, options.gaps === undefined ? {} : { gaps: options.gaps });
}

/** The periods per year to annualise with: the option when given (validated), else the matrix's. */
export function resolvePeriods(returns: DatedMatrix, options: EstimatorOptions): number {
  return options.periodsPerYear === undefined
    ? returns.periodsPerYear
    : validatePeriodsPerYear(options.periodsPerYear, 'periodsPerYear');
}

/** Per-asset counts and means of the returns, each over the asset's own non-NaN values. */
export interface AssetMoments {
  /** Number of returns of each asset. */
  readonly counts: Int32Array;
  /** Arithmetic mean return per period of each asset. */
  readonly means: Float64Array;
  /** True when no return is missing at all (every asset has a return on every date). */
  readonly complete: boolean;
}

/**
 * Counts and means per asset. Throws DataError when the matrix has no asset, when a return is infinite, or when an
 * asset has fewer than two returns (naming it).
 */
export function assetMoments(returns: DatedMatrix): AssetMoments {
  const t = returns.rowCount;
  const n = returns.columnCount;
  if (n === 0) throw new DataError('the return matrix has no assets; give at least one ticker');
  const counts = new Int32Array(n);
  const means = new Float64Array(n);
  const x = returns.values;
  let complete = true;
  for (let j = 0; j < n; j++) {
    const base = j * t;
    let count = 0;
    let sum = 0;
    for (let i = 0; i < t; i++) {
      const v = x[base + i] as number;
      if (!Number.isNaN(v)) {
        if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
          throw new DataError(
            `the return of ${JSON.stringify(returns.tickers[j])} on ${isoDate(returns.dates[i] as number)} is ${v}; ` +
              'returns must be finite numbers (leave the cell empty, NaN, when there is none)',
          );
        }
        count++;
        sum += v;
      }
    }
    if (count < 2) throw tooFewReturns(returns.tickers[j] as string, count);
    if (count < t) complete = false;
    counts[j] = count;
    means[j] = sum / count;
  }
  return { counts, means, complete };
}

/** DataError for an asset with fewer than two returns. */
export function tooFewReturns(ticker: string, count: number): DataError {
  return new DataError(
    `${JSON.stringify(ticker)} has ${count} return${count === 1 ? '' : 's'}; estimators need at least 2 returns ` +
      '(3 prices in a row) per asset: drop the ticker or load a longer history',
  );
}

/** DataError for a pair of assets with fewer than two return dates in common. */
export function tooFewCommon(a: string, b: string, count: number): DataError {
  return new DataError(
    `${JSON.stringify(a)} and ${JSON.stringify(b)} have ${count} return date${count === 1 ? '' : 's'} in common; ` +
      'their covariance needs at least 2: drop one of them or load a longer history',
  );
}

/** Rows (ascending) on which every asset has a return. */
export function completeRows(returns: DatedMatrix): Int32Array {
  const t = returns.rowCount;
  const n = returns.columnCount;
  const ok = new Uint8Array(t).fill(1);
  const x = returns.values;
  for (let j = 0; j < n; j++) {
    const base = j * t;
    for (let i = 0; i < t; i++) if (Number.isNaN(x[base + i] as number)) ok[i] = 0;
  }
  let count = 0;
  for (let i = 0; i < t; i++) count += ok[i] as number;
  const rows = new Int32Array(count);
  for (let i = 0, k = 0; i < t; i++) if (ok[i] === 1) rows[k++] = i;
  return rows;
}

/**
 * The returns as a column-major `rows x n` matrix centered per column: each asset minus `means[j]`, NaN replaced by
 * 0 (so a missing value adds nothing to a sum of products). `rows` selects and orders the dates (all when absent).
 */
export function centeredColumns(returns: DatedMatrix, means: Float64Array, rows?: Int32Array): Float64Array {
  const t = returns.rowCount;
  const n = returns.columnCount;
  const x = returns.values;
  const m = rows === undefined ? t : rows.length;
  const out = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    const base = j * t;
    const o = j * m;
    const mean = means[j] as number;
    for (let k = 0; k < m; k++) {
      const v = x[base + (rows === undefined ? k : (rows[k] as number))] as number;
      out[o + k] = Number.isNaN(v) ? 0 : v - mean;
    }
  }
  return out;
}

/** Multiplies every entry of a by `factor` in place and returns it. */
export function scaled(a: Float64Array, factor: number): Float64Array {
  for (let k = 0; k < a.length; k++) a[k] = (a[k] as number) * factor;
  return a;
}

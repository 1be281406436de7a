/**
 * The semicovariance matrix: co-movement below a benchmark return only (Estrada's heuristic semicovariance,
 * "Mean-semivariance optimization: a heuristic approach", Journal of Applied Finance, 2008; PyPortfolioOpt's
 * `semicovariance`).
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { ValidationError } from '../core/errors.js';
import { gram } from '../core/linalg/gram.js';
import { assetMoments, resolvePeriods, returnsOfPrices, scaled } from './input.js';
import type { CovarianceMatrix, EstimatorOptions, PriceInputOptions } from './types.js';

/** Options of the semicovariance. */
export interface SemicovarianceOptions extends EstimatorOptions {
  /** Benchmark return b PER PERIOD (not annual) below which a return counts as a shortfall; default 0. */
  readonly benchmark?: number;
}

/** Annual semicovariance from prices: `semicovarianceFromReturns(simpleReturns(prices))`. */
export function semicovariance(
  prices: DatedMatrix,
  options: SemicovarianceOptions & PriceInputOptions = {},
): CovarianceMatrix {
  return semicovarianceFromReturns(returnsOfPrices(prices, options), options);
}

/**
 * Annual semicovariance of per-period returns against a per-period benchmark b (default 0):
 *
 *   d_it = min(r_it - b, 0)   (0 when r_it is missing),    S_ij = P / T * sum_t d_it d_jt,
 *
 * T the number of return dates on which at least one asset has a return (dates with no return at all are left out,
 * as PyPortfolioOpt's `returns_from_prices` drops them), P the periods per year. No centering; positive semidefinite
 * by construction. Throws DataError when an asset has fewer than 2 returns, ValidationError for a non-finite b.
 */
export function semicovarianceFromReturns(returns: DatedMatrix, options: SemicovarianceOptions = {}): CovarianceMatrix {
  const b = options.benchmark ?? 0;
  if (!Number.isFinite(b)) throw new ValidationError(`the semicovariance benchmark must be a finite number, got ${b}`);
  const periods = resolvePeriods(returns, options);
  assetMoments(returns);
  const t = returns.rowCount;
  const n = returns.columnCount;
  const x = returns.values;
  const d = new Float64Array(t * n);
  const anyReturn = new Uint8Array(t);
  for (let j = 0; j < n; j++) {
    const base = j * t;
    for (let i = 0; i < t; i++) {
      const v = x[base + i] as number;
      if (Number.isNaN(v)) continue;
      anyReturn[i] = 1;
      const shortfall = v - b;
      d[base + i] = shortfall < 0 ? shortfall : 0;
    }
  }
  let dates = 0;
  for (let i = 0; i < t; i++) dates += anyReturn[i] as number;
  const g = gram(d, t, n);
  return {
    tickers: returns.tickers,
    values: scaled(g, periods / dates),
    warnings: [],
    periodsPerYear: periods,
    method: 'semicovariance',
  };
}

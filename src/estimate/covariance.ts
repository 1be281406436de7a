/**
 * The sample covariance matrix, each pair of assets over the dates both have (pandas `DataFrame.cov()` semantics).
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { gram } from '../core/linalg/gram.js';
import {
  type AssetMoments,
  assetMoments,
  centeredColumns,
  resolvePeriods,
  returnsOfPrices,
  scaled,
  tooFewCommon,
} from './input.js';
import { repairPsd } from './psd.js';
import type { CovarianceMatrix, EstimatorOptions, PriceInputOptions } from './types.js';

/** Options of the sample covariance. */
export type SampleCovarianceOptions = EstimatorOptions;

/**
 * Annual sample covariance from prices: `sampleCovarianceFromReturns(simpleReturns(prices))`.
 */
export function sampleCovariance(
  prices: DatedMatrix,
  options: SampleCovarianceOptions & PriceInputOptions = {},
): CovarianceMatrix {
  return sampleCovarianceFromReturns(returnsOfPrices(prices, options), options);
}

/**
 * Annual sample covariance of per-period returns, pairwise with ddof 1 (exactly pandas `DataFrame.cov()`): for each
 * pair (i, j), over the set C_ij of dates on which both have a return (n_ij of them),
 *
 *   S_ij = P / (n_ij - 1) * sum_{t in C_ij} (r_it - m_i^ij) (r_jt - m_j^ij),   m_i^ij = mean of r_i over C_ij,
 *
 * P the periods per year. Fractions squared per year. When no return is missing, the columns are centered once and
 * S = P X'X / (T - 1) comes from one blocked Gram product. Otherwise each column is centered by its own mean
 * (a shift, for accuracy) with missing values as 0, and with M the 0/1 matrix of present values, one Gram product of
 * [X M] gives every pair's sum of products, sums and count: `S_ij = P (X'X - (X'M)_ij (X'M)_ji / n_ij) / (n_ij - 1)`.
 * A pairwise matrix need not be positive semidefinite; it is then repaired by `repairPsd` (spectral clipping), with a
 * warning giving the most negative eigenvalue.
 *
 * Throws DataError when an asset has fewer than 2 returns or a pair fewer than 2 common dates (naming them).
 */
export function sampleCovarianceFromReturns(
  returns: DatedMatrix,
  options: SampleCovarianceOptions = {},
): CovarianceMatrix {
  const periods = resolvePeriods(returns, options);
  const moments = assetMoments(returns);
  const n = returns.columnCount;
  const base = { tickers: returns.tickers, periodsPerYear: periods, method: 'sample' as const, warnings: [] };
  if (moments.complete) {
    const t = returns.rowCount;
    const g = gram(centeredColumns(returns, moments.means), t, n);
    return { ...base, values: scaled(g, periods / (t - 1)) };
  }
  return repairPsd({ ...base, values: scaled(pairwiseCovariance(returns, moments), periods) });
}

/**
 * Per-period pairwise covariance (ddof 1) of returns with missing values, n x n row-major. Throws DataError for a pair
 * with fewer than 2 common dates.
 */
function pairwiseCovariance(returns: DatedMatrix, moments: AssetMoments): Float64Array {
  const t = returns.rowCount;
  const n = returns.columnCount;
  const z = new Float64Array(t * 2 * n);
  z.set(centeredColumns(returns, moments.means), 0);
  const x = returns.values;
  for (let k = 0; k < t * n; k++) z[t * n + k] = Number.isNaN(x[k] as number) ? 0 : 1;
  const g = gram(z, t, 2 * n);
  const w = 2 * n;
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const count = g[(n + i) * w + n + j] as number;
      if (count < 2) throw tooFewCommon(returns.tickers[i] as string, returns.tickers[j] as string, count);
      const sumI = g[i * w + n + j] as number; // sum of x_i over the dates where j is present (and i, else x_i = 0)
      const sumJ = g[j * w + n + i] as number;
      const v = ((g[i * w + j] as number) - (sumI * sumJ) / count) / (count - 1);
      s[i * n + j] = v;
      s[j * n + i] = v;
    }
  }
  return s;
}

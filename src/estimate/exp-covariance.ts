/**
 * The exponentially weighted covariance matrix (PyPortfolioOpt's `exp_cov`).
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { gram } from '../core/linalg/gram.js';
import { NEGLIGIBLE_WEIGHT, spanDecay } from './ewm.js';
import {
  type AssetMoments,
  assetMoments,
  centeredColumns,
  resolvePeriods,
  returnsOfPrices,
  tooFewCommon,
} from './input.js';
import { repairPsd } from './psd.js';
import type { CovarianceMatrix, EstimatorOptions, PriceInputOptions } from './types.js';

/** Options of the exponentially weighted covariance. */
export interface ExpCovarianceOptions extends EstimatorOptions {
  /** Span of the weighting, in periods (>= 1): alpha = 2 / (span + 1). Default 180, as PyPortfolioOpt. */
  readonly span?: number;
}

/** Annual exponentially weighted covariance from prices: `expCovarianceFromReturns(simpleReturns(prices))`. */
export function expCovariance(
  prices: DatedMatrix,
  options: ExpCovarianceOptions & PriceInputOptions = {},
): CovarianceMatrix {
  return expCovarianceFromReturns(returnsOfPrices(prices, options), options);
}

/**
 * Annual exponentially weighted covariance of per-period returns. Each asset is centered by its own full-history mean
 * m_i; for each pair, over the dates C_ij both have a return, taken from the last backwards (k = 0, 1, ...):
 *
 *   S_ij = P * sum_k q^k (r_i - m_i)(r_j - m_j)_k / sum_k q^k,   q = 1 - alpha,  alpha = 2 / (span + 1),
 *
 * P the periods per year: pandas `((r_i - m_i) * (r_j - m_j)).ewm(span=span).mean()` at the last date, times P, as
 * PyPortfolioOpt's `exp_cov`, with no bias correction. The weights count the pair's common dates only (as if the
 * other dates were removed), which equals pandas whenever the common dates are consecutive rows (e.g. leading gaps).
 *
 * Fast paths: when every asset has returns on every date, S = P (X'WX) / sum(w) from one blocked Gram product of the
 * rows scaled by sqrt(w_t); when each asset's returns are one unbroken run to the last date (late listings), the same
 * product with missing values as 0, each pair divided by the weights from its later start. Otherwise pair by pair.
 * A matrix of pairs with different dates need not be positive semidefinite; it is then repaired by `repairPsd`, with
 * a warning. Throws DataError for an asset with fewer than 2 returns or a pair with fewer than 2 common dates,
 * ValidationError for a span below 1.
 */
export function expCovarianceFromReturns(returns: DatedMatrix, options: ExpCovarianceOptions = {}): CovarianceMatrix {
  const decay = spanDecay(options.span ?? 180);
  const periods = resolvePeriods(returns, options);
  const moments = assetMoments(returns);
  const starts = runStarts(returns);
  const values =
    starts === undefined ? pairByPair(returns, moments, decay) : weightedGram(returns, moments, decay, starts);
  for (let k = 0; k < values.length; k++) values[k] = (values[k] as number) * periods;
  const cov = {
    tickers: returns.tickers,
    values,
    warnings: [],
    periodsPerYear: periods,
    method: 'exponential' as const,
  };
  // With every date present the result is a weighted Gram matrix: positive semidefinite by construction.
  return moments.complete ? cov : repairPsd(cov);
}

/** First row of each asset when its returns are one unbroken run ending on the last row; undefined otherwise. */
function runStarts(returns: DatedMatrix): Int32Array | undefined {
  const t = returns.rowCount;
  const n = returns.columnCount;
  const x = returns.values;
  const starts = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const base = j * t;
    let i = 0;
    while (i < t && Number.isNaN(x[base + i] as number)) i++;
    starts[j] = i;
    for (let k = i; k < t; k++) if (Number.isNaN(x[base + k] as number)) return undefined;
  }
  return starts;
}

/** Per-period EW covariance when each asset's returns run unbroken from starts[j] to the last row. */
function weightedGram(returns: DatedMatrix, moments: AssetMoments, decay: number, starts: Int32Array): Float64Array {
  const t = returns.rowCount;
  const n = returns.columnCount;
  // Weights q^(T-1-t); rows whose weight is negligible are left out of the product.
  let first = 0;
  const weights = new Float64Array(t);
  for (let i = 0; i < t; i++) {
    const w = decay ** (t - 1 - i);
    weights[i] = w;
    if (w < NEGLIGIBLE_WEIGHT) first = i + 1;
  }
  const rows = new Int32Array(t - first);
  for (let k = 0; k < rows.length; k++) rows[k] = first + k;
  const z = centeredColumns(returns, moments.means, rows);
  const m = rows.length;
  for (let j = 0; j < n; j++) {
    const o = j * m;
    for (let k = 0; k < m; k++) z[o + k] = (z[o + k] as number) * Math.sqrt(weights[first + k] as number);
  }
  const g = gram(z, m, n);
  // suffix[i] = sum of the weights from row i to the last.
  const suffix = new Float64Array(t + 1);
  for (let i = t - 1; i >= 0; i--) suffix[i] = (suffix[i + 1] as number) + (weights[i] as number);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const start = Math.max(starts[i] as number, starts[j] as number);
      if (t - start < 2) throw tooFewCommon(returns.tickers[i] as string, returns.tickers[j] as string, t - start);
      const v = (g[i * n + j] as number) / (suffix[start] as number);
      g[i * n + j] = v;
      g[j * n + i] = v;
    }
  }
  return g;
}

/** Per-period EW covariance pair by pair, weights counting each pair's common dates from the last one back. */
function pairByPair(returns: DatedMatrix, moments: AssetMoments, decay: number): Float64Array {
  const t = returns.rowCount;
  const n = returns.columnCount;
  const x = returns.values;
  const means = moments.means;
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const bi = i * t;
    const mi = means[i] as number;
    for (let j = i; j < n; j++) {
      const bj = j * t;
      const mj = means[j] as number;
      let num = 0;
      let den = 0;
      let w = 1;
      let count = 0;
      for (let k = t - 1; k >= 0; k--) {
        const a = x[bi + k] as number;
        const b = x[bj + k] as number;
        if (Number.isNaN(a) || Number.isNaN(b)) continue;
        count++;
        if (w === 0) continue;
        num += w * (a - mi) * (b - mj);
        den += w;
        w *= decay;
        if (w < NEGLIGIBLE_WEIGHT) w = 0;
      }
      if (count < 2) throw tooFewCommon(returns.tickers[i] as string, returns.tickers[j] as string, count);
      const v = num / den;
      s[i * n + j] = v;
      s[j * n + i] = v;
    }
  }
  return s;
}

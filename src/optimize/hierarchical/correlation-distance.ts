/**
 * What the hierarchical allocators cluster on: pairwise Pearson correlations of returns (each pair over the dates
 * both have), the pairwise sample covariance from the same sums, and the correlation distance
 * `d_ij = sqrt((1 - rho_ij) / 2)` (López de Prado 2016), which is 0 for perfectly correlated assets, 1/sqrt(2) for
 * uncorrelated ones and 1 for perfectly anti-correlated ones.
 */

import type { DatedMatrix } from '../../core/dated-matrix.js';
import { DataError, ValidationError } from '../../core/errors.js';
import { gram } from '../../core/linalg/gram.js';
import { assetMoments, centeredColumns, resolvePeriods, tooFewCommon } from '../../estimate/input.js';
import type { EstimatorOptions } from '../../estimate/types.js';

/** Pairwise moments of a return matrix. */
export interface PairwiseMoments {
  readonly tickers: readonly string[];
  /**
   * Annual sample covariance, n x n row-major, each pair over its common dates with ddof 1 (pandas `DataFrame.cov()`),
   * times the periods per year; not repaired to be positive semidefinite.
   */
  readonly covariance: Float64Array;
  /** Pearson correlation, n x n row-major, each pair over its common dates (pandas `DataFrame.corr()`); diagonal 1. */
  readonly correlation: Float64Array;
  /** Periods per year used to annualise the covariance. */
  readonly periodsPerYear: number;
}

/**
 * Pairwise covariance and Pearson correlation of per-period returns, each pair (i, j) over the set C_ij of dates on
 * which both have a return (n_ij of them), with means m_i^ij over C_ij:
 *
 *   S_ij = P / (n_ij - 1) * sum_{t in C_ij} (r_it - m_i^ij)(r_jt - m_j^ij)
 *   rho_ij = sum (r_it - m_i^ij)(r_jt - m_j^ij) / sqrt(sum (r_it - m_i^ij)^2 * sum (r_jt - m_j^ij)^2)   (over C_ij)
 *
 * P the periods per year (S annual, fractions squared; rho a pure number). A variance S_ii uses the asset's own
 * history. Without missing returns both come from one Gram product of the centred returns; with gaps, from one Gram
 * product of [X, X.^2, M] (X the returns centred by each asset's own mean, missing as 0; M the 0/1 presence matrix),
 * which gives every pair's sums of products, sums, sums of squares and counts.
 *
 * Throws DataError when an asset has fewer than 2 returns, a pair fewer than 2 common dates, or an asset no
 * variation on a pair's common dates (its correlation is undefined).
 */
export function pairwiseMoments(returns: DatedMatrix, options: EstimatorOptions = {}): PairwiseMoments {
  const periods = resolvePeriods(returns, options);
  const moments = assetMoments(returns);
  const n = returns.columnCount;
  const t = returns.rowCount;
  const tickers = returns.tickers;
  const covariance = new Float64Array(n * n);
  const correlation = new Float64Array(n * n);
  const x = centeredColumns(returns, moments.means);
  if (moments.complete) {
    const g = gram(x, t, n);
    const factor = periods / (t - 1);
    for (let i = 0; i < n; i++) {
      const gii = g[i * n + i] as number;
      if (!(gii > 0)) throw constant(tickers[i] as string);
    }
    for (let i = 0; i < n; i++) {
      const gii = g[i * n + i] as number;
      for (let j = i; j < n; j++) {
        const gij = g[i * n + j] as number;
        const c = gij * factor; // as sampleCovarianceFromReturns scales it
        covariance[i * n + j] = c;
        covariance[j * n + i] = c;
        const r = i === j ? 1 : gij / Math.sqrt(gii * (g[j * n + j] as number));
        correlation[i * n + j] = r;
        correlation[j * n + i] = r;
      }
    }
    return { tickers, covariance, correlation, periodsPerYear: periods };
  }
  const w = 3 * n;
  const z = new Float64Array(t * w);
  z.set(x, 0);
  const values = returns.values;
  for (let k = 0; k < t * n; k++) {
    const v = x[k] as number;
    z[t * n + k] = v * v;
    z[2 * t * n + k] = Number.isNaN(values[k] as number) ? 0 : 1;
  }
  const g = gram(z, t, w);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const count = g[(2 * n + i) * w + 2 * n + j] as number;
      if (count < 2) throw tooFewCommon(tickers[i] as string, tickers[j] as string, count);
      const sumI = g[i * w + 2 * n + j] as number; // sum of x_i over the common dates
      const sumJ = g[j * w + 2 * n + i] as number;
      const sqI = g[(n + i) * w + 2 * n + j] as number; // sum of x_i^2 over the common dates
      const sqJ = g[(n + j) * w + 2 * n + i] as number;
      const cross = (g[i * w + j] as number) - (sumI * sumJ) / count;
      const c = (cross / (count - 1)) * periods; // as sampleCovarianceFromReturns
      covariance[i * n + j] = c;
      covariance[j * n + i] = c;
      if (i === j) {
        if (!(cross > 0)) throw constant(tickers[i] as string);
        correlation[i * n + i] = 1;
        continue;
      }
      const vi = sqI - (sumI * sumI) / count;
      const vj = sqJ - (sumJ * sumJ) / count;
      if (!(vi > 0)) throw constantOnCommon(tickers[i] as string, tickers[j] as string);
      if (!(vj > 0)) throw constantOnCommon(tickers[j] as string, tickers[i] as string);
      const r = cross / Math.sqrt(vi * vj);
      correlation[i * n + j] = r;
      correlation[j * n + i] = r;
    }
  }
  return { tickers, covariance, correlation, periodsPerYear: periods };
}

/**
 * The correlation matrix of a covariance: `rho_ij = S_ij / sqrt(S_ii S_jj)` (n x n row-major, diagonal exactly 1).
 * Throws ValidationError for a non-positive variance.
 */
export function correlationOfCovariance(covariance: ArrayLike<number>, n: number): Float64Array {
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = covariance[i * n + i] as number;
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new ValidationError(`variance number ${i + 1} is ${String(v)}; variances must be positive finite numbers`);
    }
    sd[i] = Math.sqrt(v);
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[i * n + j] = i === j ? 1 : (covariance[i * n + j] as number) / ((sd[i] as number) * (sd[j] as number));
    }
  }
  return out;
}

/**
 * The condensed correlation distance of an n x n correlation matrix (row-major; the upper triangle is read): entry
 * (i, j), i < j, at `condensedIndex(n, i, j)`, is `d_ij = sqrt(clip((1 - rho_ij) / 2, 0, 1))` (a pure number in
 * [0, 1]; the clip only absorbs rounding when |rho| exceeds 1 by an ulp). Throws ValidationError for a correlation
 * that is not a number in [-1, 1] (beyond 1e-12).
 */
export function correlationDistance(correlation: ArrayLike<number>, n: number): Float64Array {
  if (correlation.length !== n * n) {
    throw new ValidationError(`the correlation matrix has ${correlation.length} entries; ${n} assets need ${n * n}`);
  }
  const out = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const r = correlation[i * n + j] as number;
      if (!(Math.abs(r) <= 1 + 1e-12)) {
        throw new ValidationError(`correlation (${i + 1}, ${j + 1}) is ${String(r)}; correlations lie in [-1, 1]`);
      }
      const h = (1 - r) / 2;
      out[k++] = Math.sqrt(h < 0 ? 0 : h > 1 ? 1 : h);
    }
  }
  return out;
}

function constant(ticker: string): DataError {
  return new DataError(
    `${JSON.stringify(ticker)} has returns without variation; its correlations are undefined: drop the ticker`,
  );
}

function constantOnCommon(ticker: string, other: string): DataError {
  return new DataError(
    `${JSON.stringify(ticker)} has no variation on the dates it shares with ${JSON.stringify(other)}; their ` +
      'correlation is undefined: drop one of them or load a longer history',
  );
}

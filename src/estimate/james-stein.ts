/**
 * James-Stein expected returns: each asset's mean pulled towards the grand mean by a data-driven amount.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { DataError, ValidationError } from '../core/errors.js';
import { choleskySolve, tryCholesky } from '../core/linalg/cholesky.js';
import { sampleCovarianceFromReturns } from './covariance.js';
import { assetMoments, resolvePeriods, returnsOfPrices } from './input.js';
import type { CovarianceMatrix, EstimatorOptions, JamesSteinReturns, PriceInputOptions } from './types.js';

/** Options of the James-Stein estimator. */
export interface JamesSteinOptions extends EstimatorOptions {
  /**
   * The covariance Sigma in the shrinkage formula, annual, for the same tickers in the same order and the same
   * periods per year (e.g. a Ledoit-Wolf estimate when the sample covariance is singular). Default: the sample
   * covariance of the same returns (`sampleCovarianceFromReturns`).
   */
  readonly covariance?: CovarianceMatrix;
}

/** Annual James-Stein expected returns from prices: `jamesSteinReturnFromReturns(simpleReturns(prices))`. */
export function jamesSteinReturn(
  prices: DatedMatrix,
  options: JamesSteinOptions & PriceInputOptions = {},
): JamesSteinReturns {
  return jamesSteinReturnFromReturns(returnsOfPrices(prices, options), options);
}

/**
 * Annual positive-part James-Stein estimate of the mean (James & Stein 1961, "Estimation with quadratic loss"),
 * shrinking towards the grand mean, in the form used for portfolio selection by DeMiguel, Martin-Utrera & Nogales
 * (2013), "Size matters: optimal calibration of shrinkage estimators for portfolio selection", Journal of Banking &
 * Finance 37:
 *
 *   mu_JS = (1 - c) mu + c mu_bar 1,   c = min(1, ((n - 2) / T) / ((mu - mu_bar 1)' Sigma^-1 (mu - mu_bar 1))),
 *
 * with mu the per-period arithmetic means (each asset over its own history), mu_bar their average, Sigma the
 * per-period covariance of returns (ddof 1), n the number of assets and T the number of observations, here the
 * smallest per-asset count of returns (the least-informed mean sets the precision). c is clamped to [0, 1] (0 when
 * n <= 2; 1 when every mean is equal). The result is annualised as `P mu_JS`, P the periods per year; `shrinkage` is
 * c. Throws DataError when an asset has fewer than 2 returns or Sigma is not positive definite, including a sample
 * covariance from T <= n returns (give a shrinkage covariance in `covariance` then), ValidationError when
 * `covariance` does not match the tickers or their periods per year.
 */
export function jamesSteinReturnFromReturns(returns: DatedMatrix, options: JamesSteinOptions = {}): JamesSteinReturns {
  const periods = resolvePeriods(returns, options);
  const { means, counts } = assetMoments(returns);
  const n = means.length;
  let observations = counts[0] as number;
  for (let i = 1; i < n; i++) observations = Math.min(observations, counts[i] as number);
  let grand = 0;
  for (let i = 0; i < n; i++) grand += means[i] as number;
  grand /= n;
  // With n <= 2 the factor n - 2 makes c = 0: no covariance is needed.
  const c = n <= 2 ? 0 : intensity(returns, options, periods, means, grand, observations);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = periods * ((1 - c) * (means[i] as number) + c * grand);
  return {
    tickers: returns.tickers,
    values,
    periodsPerYear: periods,
    method: 'james-stein',
    shrinkage: c,
    grandMean: grand * periods,
    observations,
  };
}

/** c = min(1, ((n - 2) / T) / (d' Sigma^-1 d)), d = mu - mu_bar 1 (1 when d' Sigma^-1 d is 0). */
function intensity(
  returns: DatedMatrix,
  options: JamesSteinOptions,
  periods: number,
  means: Float64Array,
  grand: number,
  observations: number,
): number {
  const n = means.length;
  if (options.covariance === undefined && observations <= n) {
    throw new DataError(
      `the sample covariance is singular with ${observations} returns for ${n} assets (at most ` +
        `${observations - 1} independent directions); pass a shrinkage estimate (e.g. ledoitWolf) as the covariance option`,
    );
  }
  const sigma = perPeriodCovariance(returns, periods, options.covariance);
  const factor = tryCholesky(sigma, n);
  if (factor === undefined) {
    throw new DataError(
      `the covariance of the ${n} assets is not positive definite, so the James-Stein distance cannot be formed; ` +
        'pass a shrinkage estimate (e.g. ledoitWolf) as the covariance option',
    );
  }
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = (means[i] as number) - grand;
  const solved = choleskySolve(factor, n, dev);
  let distance = 0;
  for (let i = 0; i < n; i++) distance += (dev[i] as number) * (solved[i] as number);
  return distance > 0 ? Math.min(1, (n - 2) / observations / distance) : 1;
}

/** Sigma per period: the given annual matrix divided by P after checking it matches, else the sample covariance. */
function perPeriodCovariance(returns: DatedMatrix, periods: number, given: CovarianceMatrix | undefined): Float64Array {
  const n = returns.columnCount;
  const cov = given ?? sampleCovarianceFromReturns(returns, { periodsPerYear: periods });
  if (given !== undefined) {
    const same = given.tickers.length === n && given.tickers.every((t, i) => t === returns.tickers[i]);
    if (!same || given.values.length !== n * n) {
      throw new ValidationError(
        `the covariance given to James-Stein is for ${given.tickers.join(', ')}; it must be for the returns' tickers ` +
          `in the same order (${returns.tickers.join(', ')})`,
      );
    }
    if (given.periodsPerYear !== periods) {
      throw new ValidationError(
        `the covariance given to James-Stein is annualised with ${given.periodsPerYear} periods per year, the ` +
          `returns with ${periods}; estimate both with the same periodsPerYear`,
      );
    }
  }
  const sigma = new Float64Array(n * n);
  for (let k = 0; k < sigma.length; k++) sigma[k] = (cov.values[k] as number) / periods;
  return sigma;
}

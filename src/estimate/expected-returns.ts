/**
 * Historical expected returns per asset, each over its own history: arithmetic mean, geometric (CAGR) and
 * exponentially weighted mean.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';
import { DataError } from '../core/errors.js';
import { ewmLast, spanDecay } from './ewm.js';
import { assetMoments, resolvePeriods, returnsOfPrices } from './input.js';
import type { EstimatorOptions, ExpectedReturns, PriceInputOptions } from './types.js';

/** Annual arithmetic mean returns from prices: `meanReturnFromReturns(simpleReturns(prices))`. */
export function meanReturn(prices: DatedMatrix, options: EstimatorOptions & PriceInputOptions = {}): ExpectedReturns {
  return meanReturnFromReturns(returnsOfPrices(prices, options), options);
}

/**
 * Annual arithmetic mean return of each asset over its own non-NaN per-period returns r_1..r_N:
 * `mu_i = P * (1/N) sum_t r_t`, P the periods per year; fractions per year (PyPortfolioOpt's
 * `mean_historical_return(compounding=False)`). Throws DataError when an asset has fewer than 2 returns.
 */
export function meanReturnFromReturns(returns: DatedMatrix, options: EstimatorOptions = {}): ExpectedReturns {
  const periods = resolvePeriods(returns, options);
  const { means } = assetMoments(returns);
  const values = new Float64Array(means.length);
  for (let j = 0; j < values.length; j++) values[j] = (means[j] as number) * periods;
  return { tickers: returns.tickers, values, periodsPerYear: periods, method: 'mean' };
}

/** Annual geometric (compound annual growth) returns from prices: `geometricReturnFromReturns(simpleReturns(prices))`. */
export function geometricReturn(
  prices: DatedMatrix,
  options: EstimatorOptions & PriceInputOptions = {},
): ExpectedReturns {
  return geometricReturnFromReturns(returnsOfPrices(prices, options), options);
}

/**
 * Annual geometric mean (CAGR) of each asset over its own non-NaN per-period returns r_1..r_N:
 * `mu_i = prod_t (1 + r_t)^(P / N) - 1`, P the periods per year; fractions per year (PyPortfolioOpt's
 * `mean_historical_return`, compounding=True). Computed as `expm1((P / N) sum_t log1p(r_t))`. Throws DataError when an
 * asset has fewer than 2 returns or a return of -100% or less.
 */
export function geometricReturnFromReturns(returns: DatedMatrix, options: EstimatorOptions = {}): ExpectedReturns {
  const periods = resolvePeriods(returns, options);
  const { counts } = assetMoments(returns);
  const t = returns.rowCount;
  const x = returns.values;
  const values = new Float64Array(counts.length);
  for (let j = 0; j < values.length; j++) {
    let logGrowth = 0;
    for (let i = 0; i < t; i++) {
      const r = x[j * t + i] as number;
      if (Number.isNaN(r)) continue;
      if (!(r > -1)) {
        throw new DataError(
          `the return of ${JSON.stringify(returns.tickers[j])} on ${isoDate(returns.dates[i] as number)} is ${r}; ` +
            'a geometric mean needs every return above -1 (-100%)',
        );
      }
      logGrowth += Math.log1p(r);
    }
    values[j] = Math.expm1((periods / (counts[j] as number)) * logGrowth);
  }
  return { tickers: returns.tickers, values, periodsPerYear: periods, method: 'geometric' };
}

/** Options of the exponentially weighted mean return. */
export interface EmaReturnOptions extends EstimatorOptions {
  /** Span in periods (>= 1): alpha = 2 / (span + 1). Default 500, as PyPortfolioOpt. */
  readonly span?: number;
  /**
   * false (default): `P * ewm`, the arithmetic annualisation. true: `(1 + ewm)^P - 1`, PyPortfolioOpt's default for
   * `ema_historical_return`.
   */
  readonly compounding?: boolean;
}

/** Annual exponentially weighted mean returns from prices: `emaReturnFromReturns(simpleReturns(prices))`. */
export function emaReturn(prices: DatedMatrix, options: EmaReturnOptions & PriceInputOptions = {}): ExpectedReturns {
  return emaReturnFromReturns(returnsOfPrices(prices, options), options);
}

/**
 * Annual exponentially weighted mean return of each asset over its own non-NaN per-period returns, the most recent
 * weighted most: with v_0 the last return, v_1 the one before, ..., `ewm = sum_k q^k v_k / sum_k q^k`,
 * `q = 1 - alpha`, `alpha = 2 / (span + 1)` (pandas `ewm(span=span, adjust=True).mean()` of the series with NaNs
 * dropped, last value); `mu_i = P * ewm` (or `(1 + ewm)^P - 1` with `compounding`), P the periods per year. This is
 * PyPortfolioOpt's `ema_historical_return` for histories without interior gaps; across an interior gap pandas'
 * default (ignore_na=False) would still decay the earlier weights for the missing dates, pfopt does not.
 * Throws DataError when an asset has fewer than 2 returns, ValidationError for a span below 1.
 */
export function emaReturnFromReturns(returns: DatedMatrix, options: EmaReturnOptions = {}): ExpectedReturns {
  const decay = spanDecay(options.span ?? 500);
  const periods = resolvePeriods(returns, options);
  assetMoments(returns);
  const t = returns.rowCount;
  const values = new Float64Array(returns.columnCount);
  for (let j = 0; j < values.length; j++) {
    const ewm = ewmLast(returns.values, j * t, t, decay);
    values[j] = options.compounding === true ? (1 + ewm) ** periods - 1 : ewm * periods;
  }
  return { tickers: returns.tickers, values, periodsPerYear: periods, method: 'ema' };
}

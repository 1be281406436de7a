/**
 * Allocations by a closed-form rule: equal weight, inverse volatility, inverse variance and market-capitalisation
 * weight. Long-only and fully invested (weights are fractions of capital summing to 1). Each reports the volatility
 * and risk contributions when a covariance is known (annual, n x n row-major), the expected return when expected
 * returns are given (annual), and the Sharpe ratio when both are.
 */

import { ValidationError } from '../core/errors.js';
import {
  type AllocationResult,
  buildAllocation,
  checkCovariance,
  checkTickers,
  expectedReturnsOf,
  type LabelledCovariance,
  type PerformanceOptions,
  riskFreeRateOf,
} from './allocation-result.js';

/** Options of the allocators whose rule needs no covariance: one may still be given for the risk figures. */
export interface SimpleAllocatorOptions extends PerformanceOptions {
  /** Annual covariance in ticker order (n x n row-major), for the volatility, Sharpe ratio and risk contributions. */
  readonly covariance?: ArrayLike<number>;
}

/** Options of `marketCapWeight`. */
export interface MarketCapOptions extends SimpleAllocatorOptions {
  /** The tickers to hold, in this order; default every key of the market-cap map, in its order. */
  readonly tickers?: readonly string[];
}

/**
 * Equal weight: `w_i = 1 / n` for each of the n tickers (fractions of capital). Throws ValidationError for no or
 * repeated tickers, or invalid optional estimates.
 */
export function equalWeight(
  tickers: readonly string[],
  options: SimpleAllocatorOptions = {},
): AllocationResult & { readonly method: 'equal-weight' } {
  checkTickers(tickers);
  const n = tickers.length;
  return finish(
    'equal-weight',
    tickers,
    new Float64Array(n).fill(1 / n),
    options,
    optionalCovariance(options, tickers),
  );
}

/**
 * Inverse volatility: `w_i = (1 / sigma_i) / sum_j (1 / sigma_j)` with `sigma_i = sqrt(S_ii)` the annual
 * volatility from the covariance's diagonal (pure weights, fractions summing to 1). Throws ValidationError for an
 * invalid covariance (non-positive variance, asymmetry, a correlation above 1).
 */
export function inverseVolatility(
  covariance: LabelledCovariance,
  options: PerformanceOptions = {},
): AllocationResult & { readonly method: 'inverse-volatility' } {
  const tickers = checkTickers(covariance.tickers);
  const s = checkCovariance(covariance.values, tickers);
  const n = tickers.length;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 1 / Math.sqrt(s[i * n + i] as number);
  return finish('inverse-volatility', tickers, normalized(w), options, s);
}

/**
 * Inverse variance: `w_i = (1 / S_ii) / sum_j (1 / S_jj)` (the minimum-variance portfolio when the assets are
 * uncorrelated), S_ii the annual variance. Throws ValidationError for an invalid covariance.
 */
export function inverseVariance(
  covariance: LabelledCovariance,
  options: PerformanceOptions = {},
): AllocationResult & { readonly method: 'inverse-variance' } {
  const tickers = checkTickers(covariance.tickers);
  const s = checkCovariance(covariance.values, tickers);
  const n = tickers.length;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 1 / (s[i * n + i] as number);
  return finish('inverse-variance', tickers, normalized(w), options, s);
}

/**
 * Market-capitalisation weight: `w_i = c_i / sum_j c_j` with c_i the market capitalisation of ticker i (any one
 * currency; only ratios matter). `options.tickers` selects and orders the holdings (every one needs a market cap);
 * by default every ticker of the map is held, in the map's order. Throws ValidationError for a missing,
 * non-positive or non-finite market cap.
 */
export function marketCapWeight(
  marketCaps: Readonly<Record<string, number>>,
  options: MarketCapOptions = {},
): AllocationResult & { readonly method: 'market-cap' } {
  if (marketCaps === null || typeof marketCaps !== 'object') {
    throw new ValidationError('the market caps must be a map from ticker to market capitalisation');
  }
  const tickers = checkTickers(options.tickers ?? Object.keys(marketCaps), 'the market-cap weighting');
  const w = new Float64Array(tickers.length);
  tickers.forEach((t, i) => {
    const c = Object.hasOwn(marketCaps, t) ? marketCaps[t] : undefined;
    if (c === undefined) throw new ValidationError(`no market cap for ${JSON.stringify(t)}; give one for every ticker`);
    if (typeof c !== 'number' || !Number.isFinite(c) || !(c > 0)) {
      throw new ValidationError(`the market cap of ${JSON.stringify(t)} is ${String(c)}; it must be a positive number`);
    }
    w[i] = c;
  });
  return finish('market-cap', tickers, normalized(w), options, optionalCovariance(options, tickers));
}

/** Divides w by its sum in place and returns it (`w_i / sum_j w_j`). */
function normalized(w: Float64Array): Float64Array {
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i] as number;
  for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) / sum;
  return w;
}

function optionalCovariance(options: SimpleAllocatorOptions, tickers: readonly string[]): Float64Array | undefined {
  return options.covariance === undefined ? undefined : checkCovariance(options.covariance, tickers);
}

function finish<M extends AllocationResult['method']>(
  method: M,
  tickers: readonly string[],
  w: Float64Array,
  options: PerformanceOptions,
  covariance: Float64Array | undefined,
): AllocationResult & { readonly method: M } {
  const riskFreeRate = riskFreeRateOf(options);
  const expectedReturns = expectedReturnsOf(options, tickers.length);
  return buildAllocation(method, tickers, w, {
    riskFreeRate,
    ...(covariance === undefined ? {} : { covariance }),
    ...(expectedReturns === undefined ? {} : { expectedReturns }),
  });
}

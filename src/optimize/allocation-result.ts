/**
 * The result every allocator of this family returns (simple allocators, risk budgeting, hierarchical risk parity and
 * HERC), the inputs they share, and the checks and performance figures common to them.
 *
 * Units: weights are fractions of capital summing to 1 (long-only), the covariance S is annual (per-period
 * covariance times the periods per year, fractions squared), expected returns mu and the risk-free rate rf are
 * annual fractions, volatilities are annual standard deviations.
 */

import { ValidationError } from '../core/errors.js';
import { fmt } from './format.js';

/** The allocation rules of this family. */
export type AllocationMethod =
  | 'equal-weight'
  | 'inverse-volatility'
  | 'inverse-variance'
  | 'market-cap'
  | 'risk-budgeting'
  | 'equal-risk-contribution'
  | 'hrp'
  | 'herc';

/** A covariance matrix labelled by its tickers (the estimators' `CovarianceMatrix` fits). */
export interface LabelledCovariance {
  readonly tickers: readonly string[];
  /** Annual covariance, n x n row-major: entry (i, j) is `values[i * n + j]`. */
  readonly values: ArrayLike<number>;
}

/** Inputs of the performance figures reported with an allocation. */
export interface PerformanceOptions {
  /** Annual expected return of each asset, in ticker order: the expected return and Sharpe ratio need them. */
  readonly expectedReturns?: ArrayLike<number>;
  /** Annual risk-free rate (fraction per year) of the Sharpe ratio; default 0. */
  readonly riskFreeRate?: number;
}

/** Each asset's share of the portfolio risk (Euler decomposition of the volatility). */
export interface RiskContributions {
  /**
   * Absolute contributions `w_i (S w)_i / sqrt(w'Sw)`, annual volatility units; they sum to the volatility
   * sqrt(w'Sw). All zero when the volatility is zero.
   */
  readonly absolute: Float64Array;
  /** Relative contributions `w_i (S w)_i / (w'Sw)`, fractions summing to 1. All zero when the volatility is zero. */
  readonly relative: Float64Array;
}

/** An allocation: weights by ticker, with the performance figures the given estimates allow. */
export interface AllocationResult {
  readonly method: AllocationMethod;
  readonly tickers: readonly string[];
  /** Weights (fractions of capital, summing to 1), in ticker order. */
  readonly weights: Float64Array;
  /** The same weights by ticker. */
  readonly weightsByTicker: Readonly<Record<string, number>>;
  /** Expected annual return mu'w; present when expected returns were given. */
  readonly expectedReturn?: number;
  /** Annual volatility sqrt(w'Sw); present when a covariance was given or used. */
  readonly volatility?: number;
  /** Sharpe ratio (mu'w - rf) / sqrt(w'Sw) (0 at zero volatility); present when both mu and S are known. */
  readonly sharpe?: number;
  /** The annual risk-free rate of the Sharpe ratio. */
  readonly riskFreeRate: number;
  /** Risk contributions of the assets; present when a covariance was given or used. */
  readonly riskContributions?: RiskContributions;
  /** Notes on how the result was obtained (an estimate's warnings, a bound that shaped a split). */
  readonly notes: readonly string[];
}

/**
 * Checks a list of tickers: at least one, none empty, none repeated. Returns it. Throws ValidationError otherwise.
 */
export function checkTickers(tickers: readonly string[], what = 'the allocation'): readonly string[] {
  if (!Array.isArray(tickers) || tickers.length === 0) {
    throw new ValidationError(`${what} needs at least one ticker`);
  }
  const seen = new Set<string>();
  for (const t of tickers) {
    if (typeof t !== 'string' || t.length === 0) throw new ValidationError('a ticker name is empty');
    if (seen.has(t)) throw new ValidationError(`ticker ${JSON.stringify(t)} appears twice`);
    seen.add(t);
  }
  return tickers;
}

/**
 * Validates an annual covariance for the allocators: n x n numbers (row-major), finite, symmetric to 1e-10 relative
 * to the diagonal scale, every variance positive, and every correlation S_ij / sqrt(S_ii S_jj) within [-1, 1] up to
 * 1e-10 (the 2 x 2 principal minors non-negative; the full positive-semidefiniteness proof, O(n^3), is left to the
 * estimators). Returns the matrix as a Float64Array, exactly symmetric: the input itself when it already is one
 * (it is only read), else a copy with each pair replaced by its mean. Throws ValidationError naming the entry at
 * fault.
 */
export function checkCovariance(values: ArrayLike<number>, tickers: readonly string[]): Float64Array {
  const n = tickers.length;
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new ValidationError(`the covariance must be an array of ${n * n} numbers (${n} x ${n}, row-major)`);
  }
  if (values.length !== n * n) {
    throw new ValidationError(
      `the covariance has ${values.length} entries; ${n} tickers need ${n * n} (${n} x ${n}, row-major)`,
    );
  }
  let s = values instanceof Float64Array ? values : Float64Array.from(values);
  let copied = s !== values;
  for (let i = 0; i < n; i++) {
    const sii = s[i * n + i] as number;
    if (!Number.isFinite(sii) || !(sii > 0)) {
      throw new ValidationError(
        `the variance of ${JSON.stringify(tickers[i])} is ${sii}; every variance must be a positive finite number ` +
          '(drop an asset without price moves)',
      );
    }
  }
  // Squared comparisons (no square roots): |a - b| <= 1e-10 sqrt(S_ii S_jj) and |S_ij| <= (1 + 1e-10) sqrt(S_ii S_jj).
  const asymmetry = 1e-20;
  const excess = (1 + 1e-10) ** 2;
  for (let i = 0; i < n; i++) {
    const sii = s[i * n + i] as number;
    for (let j = 0; j < i; j++) {
      const a = s[i * n + j] as number;
      const b = s[j * n + i] as number;
      const product = sii * (s[j * n + j] as number);
      if (a !== b || !(a * a <= excess * product)) {
        if (!Number.isFinite(a) || !Number.isFinite(b)) {
          throw new ValidationError(
            `the covariance of ${JSON.stringify(tickers[i])} and ${JSON.stringify(tickers[j])} is not a finite number`,
          );
        }
        if ((a - b) * (a - b) > asymmetry * product) {
          throw new ValidationError(
            `the covariance is not symmetric: entry (${tickers[i]}, ${tickers[j]}) is ${a} but (${tickers[j]}, ` +
              `${tickers[i]}) is ${b}`,
          );
        }
        const v = (a + b) / 2;
        if (v * v > excess * product) {
          throw new ValidationError(
            `the covariance is not positive semidefinite: |cov(${tickers[i]}, ${tickers[j]})| = ${fmt(Math.abs(v))} ` +
              `exceeds the product of their volatilities ${fmt(Math.sqrt(product))} (a correlation above 1)`,
          );
        }
        if (!copied) {
          s = Float64Array.from(s);
          copied = true;
        }
        s[i * n + j] = v;
        s[j * n + i] = v;
      }
    }
  }
  return s;
}

/** The annual risk-free rate of the options (default 0), checked to be finite. */
export function riskFreeRateOf(options: PerformanceOptions): number {
  const rf = options.riskFreeRate ?? 0;
  if (typeof rf !== 'number' || !Number.isFinite(rf)) {
    throw new ValidationError(`the risk-free rate must be a finite number (annual, e.g. 0.02), got ${String(rf)}`);
  }
  return rf;
}

/** The expected returns of the options as a checked Float64Array of n finite numbers, or undefined when absent. */
export function expectedReturnsOf(options: PerformanceOptions, n: number): Float64Array | undefined {
  const mu = options.expectedReturns;
  if (mu === undefined) return undefined;
  if (mu === null || typeof mu !== 'object' || mu.length !== n) {
    throw new ValidationError(`the expected returns must be ${n} numbers (one per ticker)`);
  }
  const out = Float64Array.from(mu);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i] as number)) {
      throw new ValidationError(`expected return number ${i + 1} is ${String(mu[i])}; it must be a finite number`);
    }
  }
  return out;
}

/** The product `S w` of an n x n row-major matrix and a vector (units of S times those of w), into `out` (returned). */
export function multiply(
  s: Float64Array,
  n: number,
  w: ArrayLike<number>,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let a = 0;
    let b = 0;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      a += (s[row + j] as number) * (w[j] as number);
      b += (s[row + j + 1] as number) * (w[j + 1] as number);
    }
    if (j < n) a += (s[row + j] as number) * (w[j] as number);
    out[i] = a + b;
  }
  return out;
}

/**
 * Risk contributions of weights w under the covariance S (n x n row-major, annual): with V = w'Sw,
 * absolute `RC_i = w_i (S w)_i / sqrt(V)` (volatility units, summing to sqrt(V)) and relative `w_i (S w)_i / V`
 * (fractions summing to 1). Both all zero when V = 0. Also returns V.
 */
export function riskContributionsOf(
  s: Float64Array,
  w: ArrayLike<number>,
): RiskContributions & { readonly variance: number } {
  const n = w.length;
  const sw = multiply(s, n, w);
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (w[i] as number) * (sw[i] as number);
  const absolute = new Float64Array(n);
  const relative = new Float64Array(n);
  if (variance > 0) {
    const vol = Math.sqrt(variance);
    for (let i = 0; i < n; i++) {
      const c = (w[i] as number) * (sw[i] as number);
      absolute[i] = c / vol;
      relative[i] = c / variance;
    }
  }
  return { absolute, relative, variance: Math.max(variance, 0) };
}

/**
 * Assembles an AllocationResult: weights by ticker; with the covariance S, the volatility sqrt(w'Sw) and the risk
 * contributions; with the expected returns mu, mu'w; with both, the Sharpe ratio (mu'w - rf) / sqrt(w'Sw) (0 at
 * zero volatility).
 */
export function buildAllocation<M extends AllocationMethod>(
  method: M,
  tickers: readonly string[],
  weights: Float64Array,
  estimates: { covariance?: Float64Array; expectedReturns?: Float64Array; riskFreeRate: number },
  notes: readonly string[] = [],
): AllocationResult & { readonly method: M } {
  const byTicker: Record<string, number> = {};
  tickers.forEach((t, i) => {
    byTicker[t] = weights[i] as number;
  });
  const out: {
    -readonly [K in keyof AllocationResult]: AllocationResult[K];
  } = {
    method,
    tickers,
    weights,
    weightsByTicker: byTicker,
    riskFreeRate: estimates.riskFreeRate,
    notes,
  };
  let ret: number | undefined;
  if (estimates.expectedReturns !== undefined) {
    ret = 0;
    for (let i = 0; i < weights.length; i++) ret += (estimates.expectedReturns[i] as number) * (weights[i] as number);
    out.expectedReturn = ret;
  }
  if (estimates.covariance !== undefined) {
    const rc = riskContributionsOf(estimates.covariance, weights);
    const vol = Math.sqrt(rc.variance);
    out.volatility = vol;
    out.riskContributions = { absolute: rc.absolute, relative: rc.relative };
    if (ret !== undefined) out.sharpe = vol > 0 ? (ret - estimates.riskFreeRate) / vol : 0;
  }
  return out as AllocationResult & { readonly method: M };
}

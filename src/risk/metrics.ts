/**
 * Performance and risk metrics of one series of per-period simple returns (fractions: 0.01 is 1%).
 *
 * Conventions shared by every function here:
 * - NaN periods are skipped, never treated as zero returns: n is the number of non-NaN periods and every sum, mean
 *   and count runs over them only.
 * - P is the number of periods per year; annualised figures use it (times P for means, sqrt(P) for volatilities and
 *   Sharpe-type ratios, `^(P / n)` for compounding). The annual risk-free rate rf is `rf_p = (1 + rf)^(1/P) - 1` per
 *   period (`riskFreePerPeriod` of core/periods.ts, the one definition).
 * - Undefined values are NaN, never a division by zero: a ratio whose denominator is 0 (zero volatility, no downside,
 *   no drawdown) and a statistic with too few periods are NaN (null in JSON, "undefined" in the command line's tables).
 *   A constant series has a standard deviation of exactly 0.
 * - Standard deviations are sample standard deviations (ddof 1): `s = sqrt(sum (x - mean)^2 / (n - 1))`.
 */

import { riskFreePerPeriod, validatePeriodsPerYear } from '../core/periods.js';
import { type DrawdownStats, drawdownStats } from './drawdown.js';
import { excessKurtosisOf, isConstant, mean, quantile, sampleStd, skewnessOf, validValues } from './stats.js';

/** Options of the series metrics. */
export interface MetricsOptions {
  /** Periods per year P (252 daily, 52 weekly, 12 monthly). */
  readonly periodsPerYear: number;
  /** Annual risk-free rate as a decimal (0.02 is 2% a year); default 0. */
  readonly riskFreeRate?: number;
  /** Per-period target return of the Sortino ratio; default the per-period risk-free rate rf_p. */
  readonly sortinoTarget?: number;
  /**
   * Per-period threshold of the Omega ratio; default the per-period risk-free rate rf_p (quantstats measures Omega on
   * returns in excess of rf; with rf = 0 this is empyrical's default Omega at 0).
   */
  readonly omegaThreshold?: number;
}

/** Total compounded return over the non-NaN periods: `prod(1 + r) - 1` (a fraction); NaN when there is none. */
export function totalReturn(returns: ArrayLike<number>): number {
  const r = validValues(returns);
  if (r.length === 0) return Number.NaN;
  return growth(r) - 1;
}

function growth(r: Float64Array): number {
  let g = 1;
  for (let i = 0; i < r.length; i++) g *= 1 + (r[i] as number);
  return g;
}

/**
 * Compound annual growth rate: `prod(1 + r)^(P / n) - 1` (an annual fraction), n the number of non-NaN periods.
 * NaN when n = 0, or when the growth factor is negative (a loss beyond -100%); -1 after a total loss.
 */
export function cagr(returns: ArrayLike<number>, periodsPerYear: number): number {
  validatePeriodsPerYear(periodsPerYear);
  const r = validValues(returns);
  if (r.length === 0) return Number.NaN;
  const g = growth(r);
  return g < 0 ? Number.NaN : g ** (periodsPerYear / r.length) - 1;
}

/** Annualised volatility: the sample standard deviation (ddof 1) of the returns times sqrt(P). NaN when n < 2. */
export function annualVolatility(returns: ArrayLike<number>, periodsPerYear: number): number {
  validatePeriodsPerYear(periodsPerYear);
  return sampleStd(validValues(returns)) * Math.sqrt(periodsPerYear);
}

/**
 * Annualised Sharpe ratio: `mean(e) / s(e) * sqrt(P)` with excess returns `e_t = r_t - rf_p` and s the sample standard
 * deviation (ddof 1). NaN when n < 2 or s(e) = 0.
 */
export function sharpeRatio(returns: ArrayLike<number>, options: MetricsOptions): number {
  const { periods, rfPeriod } = resolve(options);
  const r = validValues(returns);
  const e = r.map((x) => x - rfPeriod);
  return ratio(mean(e), sampleStd(e)) * Math.sqrt(periods);
}

/**
 * Annualised Sortino ratio: `(mean(r) - T) / DD * sqrt(P)` with the downside deviation
 * `DD = sqrt(sum_t min(r_t - T, 0)^2 / n)` over all n non-NaN periods (Sortino & Price 1994; the form of empyrical and
 * quantstats), T the per-period target (default rf_p). NaN when n = 0 or DD = 0 (no period below the target).
 */
export function sortinoRatio(returns: ArrayLike<number>, options: MetricsOptions): number {
  const { periods, rfPeriod } = resolve(options);
  const target = options.sortinoTarget ?? rfPeriod;
  const r = validValues(returns);
  if (r.length === 0) return Number.NaN;
  let squares = 0;
  for (let i = 0; i < r.length; i++) {
    const d = Math.min((r[i] as number) - target, 0);
    squares += d * d;
  }
  return ratio(mean(r) - target, Math.sqrt(squares / r.length)) * Math.sqrt(periods);
}

/**
 * Calmar ratio: `cagr / |maxDrawdown|` (empyrical's and quantstats' definition, over the whole series). NaN when the
 * maximum drawdown is 0.
 */
export function calmarRatio(returns: ArrayLike<number>, periodsPerYear: number): number {
  const dd = drawdownStats(returns).maxDrawdown;
  return ratio(cagr(returns, periodsPerYear), Math.abs(dd));
}

/**
 * Omega ratio at the per-period threshold tau (Keating & Shadwick 2002, empyrical's estimator):
 * `sum_t max(r_t - tau, 0) / sum_t max(tau - r_t, 0)`. NaN when no period is below tau.
 */
export function omegaRatio(returns: ArrayLike<number>, threshold = 0): number {
  const r = validValues(returns);
  let gains = 0;
  let losses = 0;
  for (let i = 0; i < r.length; i++) {
    const d = (r[i] as number) - threshold;
    if (d > 0) gains += d;
    else losses -= d;
  }
  return ratio(gains, losses);
}

/**
 * Sample skewness, bias-corrected (adjusted Fisher-Pearson G1, as pandas `Series.skew()` and quantstats):
 * `G1 = sqrt(n (n - 1)) / (n - 2) * m3 / m2^(3/2)`, `mk = sum (r - mean)^k / n`. NaN when n < 3 or m2 = 0.
 */
export function skewness(returns: ArrayLike<number>): number {
  return skewnessOf(validValues(returns));
}

/**
 * Sample excess kurtosis, bias-corrected (G2, as pandas `Series.kurt()` and quantstats; 0 for normal data):
 * `G2 = (n - 1) / ((n - 2) (n - 3)) * ((n + 1) (m4 / m2^2 - 3) + 6)`. NaN when n < 4 or m2 = 0.
 */
export function excessKurtosis(returns: ArrayLike<number>): number {
  return excessKurtosisOf(validValues(returns));
}

/**
 * Tail ratio: `|Q(0.95)| / |Q(0.05)|` with Q the empirical quantile with linear interpolation (numpy's default
 * percentile, as in empyrical and quantstats). NaN when Q(0.05) = 0 or n = 0.
 */
export function tailRatio(returns: ArrayLike<number>): number {
  const r = validValues(returns);
  if (r.length === 0) return Number.NaN;
  return ratio(Math.abs(quantile(r, 0.95)), Math.abs(quantile(r, 0.05)));
}

/** Hit rate: the fraction of non-NaN periods with a positive return, `#{r_t > 0} / n`. NaN when n = 0. */
export function hitRate(returns: ArrayLike<number>): number {
  const r = validValues(returns);
  if (r.length === 0) return Number.NaN;
  let hits = 0;
  for (let i = 0; i < r.length; i++) if ((r[i] as number) > 0) hits++;
  return hits / r.length;
}

/**
 * Stability (empyrical's `stability_of_timeseries`): the R-squared of the least-squares line of the cumulative log
 * returns `y_k = sum_{j <= k} ln(1 + r_j)` on `k = 0 .. n-1` (k counts non-NaN periods),
 * `R^2 = S_ky^2 / (S_kk S_yy)` with `S_ab = sum (a - mean a)(b - mean b)` (at most 1: rounding above 1 is cut to 1).
 * NaN when n < 2, when y is constant (every return 0), or when a return is -1 or below.
 */
export function stability(returns: ArrayLike<number>): number {
  const r = validValues(returns);
  const n = r.length;
  if (n < 2) return Number.NaN;
  const y = new Float64Array(n);
  let acc = 0;
  for (let k = 0; k < n; k++) {
    acc += Math.log1p(r[k] as number);
    y[k] = acc;
  }
  if (!Number.isFinite(acc) || isConstant(y)) return Number.NaN;
  const ym = mean(y);
  const km = (n - 1) / 2;
  let sky = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    const dy = (y[k] as number) - ym;
    sky += (k - km) * dy;
    syy += dy * dy;
  }
  const skk = (n * (n * n - 1)) / 12;
  return Math.min(1, (sky * sky) / (skk * syy));
}

/** Every metric of one return series; `SeriesMetrics` documents each field. */
export interface SeriesMetrics extends DrawdownStats {
  /** Number of non-NaN periods n. */
  readonly periods: number;
  /** Periods per year P used to annualise. */
  readonly periodsPerYear: number;
  /** The annual risk-free rate used (decimal). */
  readonly riskFreeRate: number;
  /** `prod(1 + r) - 1`, a fraction over the whole series. */
  readonly totalReturn: number;
  /** Compound annual growth rate `prod(1 + r)^(P / n) - 1`, an annual fraction. */
  readonly cagr: number;
  /** The same number as `cagr`, under the name reports use. */
  readonly annualReturn: number;
  /** Arithmetic mean return per period. */
  readonly meanReturn: number;
  /** Sample standard deviation (ddof 1) per period. */
  readonly volatility: number;
  /** `volatility * sqrt(P)`. */
  readonly annualVolatility: number;
  /** Annualised Sharpe ratio (see `sharpeRatio`). */
  readonly sharpe: number;
  /** Annualised Sortino ratio (see `sortinoRatio`). */
  readonly sortino: number;
  /** `cagr / |maxDrawdown|` (see `calmarRatio`). */
  readonly calmar: number;
  /** Omega ratio at the per-period threshold (see `omegaRatio`). */
  readonly omega: number;
  /** Bias-corrected sample skewness G1. */
  readonly skewness: number;
  /** Bias-corrected sample excess kurtosis G2. */
  readonly excessKurtosis: number;
  /** Highest and lowest single-period return (fractions). */
  readonly bestPeriod: number;
  readonly worstPeriod: number;
  /** `#{r > 0} / n`. */
  readonly hitRate: number;
  /** `|Q(0.95)| / |Q(0.05)|`. */
  readonly tailRatio: number;
  /** R-squared of the cumulative log returns on time. */
  readonly stability: number;
}

/**
 * All series metrics at once (the definitions are those of the functions of this module and `drawdownStats`).
 * Indices in the drawdown fields refer to positions in `returns`.
 */
export function seriesMetrics(returns: ArrayLike<number>, options: MetricsOptions): SeriesMetrics {
  const { periods: P, rfPeriod, rf } = resolve(options);
  const r = validValues(returns);
  const n = r.length;
  const drawdown = drawdownStats(returns);
  const growthRate = cagr(r, P);
  const volatility = sampleStd(r);
  let best = Number.NaN;
  let worst = Number.NaN;
  for (let i = 0; i < n; i++) {
    const x = r[i] as number;
    if (!(x <= best)) best = x;
    if (!(x >= worst)) worst = x;
  }
  return {
    periods: n,
    periodsPerYear: P,
    riskFreeRate: rf,
    totalReturn: totalReturn(r),
    cagr: growthRate,
    annualReturn: growthRate,
    meanReturn: mean(r),
    volatility,
    annualVolatility: volatility * Math.sqrt(P),
    sharpe: sharpeRatio(r, options),
    sortino: sortinoRatio(r, options),
    calmar: ratio(growthRate, Math.abs(drawdown.maxDrawdown)),
    omega: omegaRatio(r, options.omegaThreshold ?? rfPeriod),
    ...drawdown,
    skewness: skewnessOf(r),
    excessKurtosis: excessKurtosisOf(r),
    bestPeriod: best,
    worstPeriod: worst,
    hitRate: hitRate(r),
    tailRatio: tailRatio(r),
    stability: stability(r),
  };
}

/** The numeric options resolved: P validated, the annual rf and its per-period equivalent. */
function resolve(options: MetricsOptions): { periods: number; rf: number; rfPeriod: number } {
  const periods = validatePeriodsPerYear(options.periodsPerYear);
  const rf = options.riskFreeRate ?? 0;
  return { periods, rf, rfPeriod: riskFreePerPeriod(rf, periods) };
}

/** `a / b`, or NaN when b is 0 or either is NaN (an undefined ratio, never an infinity). */
export function ratio(a: number, b: number): number {
  return b === 0 || Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : a / b;
}

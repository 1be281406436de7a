/**
 * Tail and downside risk measures of a portfolio over equally likely return scenarios, computed from the weights
 * alone (the optimisers report these, never their solvers' auxiliary variables).
 *
 * With scenario returns r_t (per period, t = 1..T) and weights w, the portfolio returns are x_t = r_t'w and the losses
 * L_t = -x_t. With beta the confidence level and k = T (1 - beta) the number of tail scenarios (not necessarily whole):
 *
 * - VaR_beta: the smallest a with #{t : L_t > a} <= k, i.e. the (floor(k) + 1)-th largest loss (k within 1e-9 of a
 *   whole number counts as that number);
 * - CVaR_beta = min_a { a + (1 / k) sum_t max(L_t - a, 0) } = VaR + (1 / k) sum_t max(L_t - VaR, 0) (Rockafellar &
 *   Uryasev 2000): the mean loss over the worst fraction 1 - beta of the scenarios, splitting the boundary scenario;
 * - drawdowns of the cumulative uncompounded return C_t = x_1 + ... + x_t (C_0 = 0): D_t = max_{s <= t} C_s - C_t,
 *   t = 1..T; DaR and CDaR (Chekhlov, Uryasev & Zabarankin 2005) are VaR and CVaR of the D_t at beta; the maximum
 *   drawdown is max_t D_t;
 * - MAD = (1 / T) sum_t |x_t - mean(x)| (mean absolute deviation);
 * - semivariance below a per-period benchmark b: (P / T) sum_t min(x_t - b, 0)^2, annualised by the P periods per
 *   year (as PyPortfolioOpt's EfficientSemivariance); the semideviation is its square root.
 *
 * VaR, CVaR, DaR, CDaR, the maximum drawdown and MAD are per period (fractions of capital, a loss positive); the
 * semivariance is annual (squared fractions) and the semideviation annual.
 */

import { ValidationError } from '../../core/errors.js';

/** Every tail measure of one portfolio. */
export interface TailMeasures {
  /** Confidence beta of VaR, CVaR, DaR and CDaR. */
  readonly confidence: number;
  /** Value at risk (per period, a loss positive). */
  readonly valueAtRisk: number;
  /** Conditional value at risk (per period, a loss positive). */
  readonly cvar: number;
  /** Drawdown at risk (fraction of capital, uncompounded). */
  readonly drawdownAtRisk: number;
  /** Conditional drawdown at risk (fraction of capital, uncompounded). */
  readonly cdar: number;
  /** Largest drawdown of the cumulative uncompounded return. */
  readonly maxDrawdown: number;
  /** Mean absolute deviation of the portfolio return from its mean (per period). */
  readonly mad: number;
  /** Benchmark return per period b of the semivariance. */
  readonly benchmark: number;
  /** Semivariance below b, annual: (P / T) sum min(x_t - b, 0)^2. */
  readonly semivariance: number;
  /** Square root of the annual semivariance. */
  readonly semideviation: number;
  /** Mean portfolio return per period, (1 / T) sum x_t. */
  readonly meanReturn: number;
}

/** The tail (top k) mean of the values `v` taken as losses: VaR and CVaR at confidence beta (see the module comment). */
export function tailOfLosses(losses: ArrayLike<number>, confidence: number): { var: number; cvar: number } {
  checkConfidence(confidence);
  const T = losses.length;
  if (T === 0) throw new ValidationError('no scenarios');
  const sorted = Float64Array.from(losses).sort().reverse();
  const k = tailCount(T, confidence);
  const idx = Math.min(T - 1, Math.floor(k));
  const v = sorted[idx] as number;
  let excess = 0;
  for (let i = 0; i < idx; i++) excess += (sorted[i] as number) - v;
  return { var: v, cvar: v + excess / k };
}

/** k = T (1 - beta), snapped to the nearest whole number when within 1e-9 of it. */
export function tailCount(T: number, confidence: number): number {
  const k = T * (1 - confidence);
  const r = Math.round(k);
  return Math.abs(k - r) <= 1e-9 * Math.max(1, k) && r > 0 ? r : k;
}

/** Checks 0 < beta < 1. */
export function checkConfidence(confidence: number): number {
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new ValidationError(
      `the confidence level must be a fraction strictly between 0 and 1 (e.g. 0.95), got ${String(confidence)}`,
    );
  }
  return confidence;
}

/** The portfolio return of each scenario, x_t = sum_j R[j * T + t] w_j, from column-major scenarios (T rows). */
export function portfolioReturns(R: Float64Array, T: number, weights: ArrayLike<number>): Float64Array {
  const n = weights.length;
  if (R.length !== T * n) throw new ValidationError(`${R.length} scenario values for ${T} scenarios x ${n} weights`);
  const x = new Float64Array(T);
  for (let j = 0; j < n; j++) {
    const wj = weights[j] as number;
    if (wj === 0) continue;
    const base = j * T;
    for (let t = 0; t < T; t++) x[t] = (x[t] as number) + wj * (R[base + t] as number);
  }
  return x;
}

/** Drawdowns D_t = max(0, max_{s <= t} C_s) - C_t of the cumulative sums C_t of x (per period, uncompounded). */
export function drawdowns(x: ArrayLike<number>): Float64Array {
  const d = new Float64Array(x.length);
  let c = 0;
  let peak = 0;
  for (let t = 0; t < x.length; t++) {
    c += x[t] as number;
    if (c > peak) peak = c;
    d[t] = peak - c;
  }
  return d;
}

/** Mean absolute deviation (1 / T) sum |x_t - mean(x)|. */
export function meanAbsoluteDeviation(x: ArrayLike<number>): number {
  const T = x.length;
  let s = 0;
  for (let t = 0; t < T; t++) s += x[t] as number;
  const mean = s / T;
  let m = 0;
  for (let t = 0; t < T; t++) m += Math.abs((x[t] as number) - mean);
  return m / T;
}

/** Per-period semivariance (1 / T) sum min(x_t - b, 0)^2. */
export function periodSemivariance(x: ArrayLike<number>, benchmark: number): number {
  let s = 0;
  for (let t = 0; t < x.length; t++) {
    const d = (x[t] as number) - benchmark;
    if (d < 0) s += d * d;
  }
  return s / x.length;
}

/** Options of `tailRiskMeasures`. */
export interface TailMeasureOptions {
  /** Confidence beta of VaR, CVaR, DaR and CDaR; default 0.95. */
  readonly confidence?: number;
  /** Benchmark return per period of the semivariance; default 0. */
  readonly benchmark?: number;
}

/**
 * Every measure of the module comment for the portfolio `weights` over column-major scenarios `R` (T rows, one
 * column per weight) with P = `periodsPerYear` (for the annual semivariance).
 */
export function tailRiskMeasures(
  R: Float64Array,
  T: number,
  weights: ArrayLike<number>,
  periodsPerYear: number,
  options: TailMeasureOptions = {},
): TailMeasures {
  const confidence = checkConfidence(options.confidence ?? 0.95);
  const benchmark = options.benchmark ?? 0;
  if (!Number.isFinite(benchmark)) throw new ValidationError(`the benchmark return must be finite, got ${benchmark}`);
  const x = portfolioReturns(R, T, weights);
  const losses = Float64Array.from(x, (v) => -v);
  const tail = tailOfLosses(losses, confidence);
  const dd = drawdowns(x);
  const ddTail = tailOfLosses(dd, confidence);
  let maxDrawdown = 0;
  let sum = 0;
  for (let t = 0; t < T; t++) {
    maxDrawdown = Math.max(maxDrawdown, dd[t] as number);
    sum += x[t] as number;
  }
  const semivariance = periodsPerYear * periodSemivariance(x, benchmark);
  return {
    confidence,
    valueAtRisk: tail.var,
    cvar: tail.cvar,
    drawdownAtRisk: ddTail.var,
    cdar: ddTail.cvar,
    maxDrawdown,
    mad: meanAbsoluteDeviation(x),
    benchmark,
    semivariance,
    semideviation: Math.sqrt(semivariance),
    meanReturn: sum / T,
  };
}

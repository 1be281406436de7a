/**
 * Metrics of a return series against a benchmark: CAPM beta and alpha, correlation, tracking error, information and
 * Treynor ratios, up and down capture.
 *
 * Both series are per-period simple returns (fractions) on the same dates, position by position; only the periods on
 * which both are non-NaN count (m of them). P is the periods per year and `rf_p = (1 + rf)^(1/P) - 1` the per-period
 * risk-free rate. Covariances and standard deviations are sample ones (ddof 1) over the m common periods; a ratio with
 * a zero denominator is NaN (undefined), never an infinity.
 */

import { ValidationError } from '../core/errors.js';
import { riskFreePerPeriod, validatePeriodsPerYear } from '../core/periods.js';
import { cagr, ratio } from './metrics.js';
import { isConstant, mean, sampleStd } from './stats.js';

/** Options of the benchmark metrics. */
export interface BenchmarkMetricsOptions {
  /** Periods per year P. */
  readonly periodsPerYear: number;
  /** Annual risk-free rate as a decimal; default 0. */
  readonly riskFreeRate?: number;
}

/** The metrics of a series against its benchmark. */
export interface BenchmarkMetrics {
  /** Number m of periods on which both series have a return. */
  readonly periods: number;
  /** CAPM beta: `cov(e_p, e_b) / var(e_b)` of the excess returns `e = r - rf_p`. */
  readonly beta: number;
  /** Per-period CAPM alpha, the regression intercept: `mean(e_p) - beta * mean(e_b)`. */
  readonly alphaPerPeriod: number;
  /** Annualised alpha by compounding (empyrical's `alpha`): `(1 + alphaPerPeriod)^P - 1`, an annual fraction. */
  readonly alpha: number;
  /** Pearson correlation of the two series: `cov(r_p, r_b) / (s_p s_b)`. */
  readonly correlation: number;
  /** R-squared of the CAPM regression: the squared correlation. */
  readonly rSquared: number;
  /** Annualised tracking error: `s(r_p - r_b) * sqrt(P)`. */
  readonly trackingError: number;
  /**
   * Annualised information ratio: `mean(r_p - r_b) / s(r_p - r_b) * sqrt(P)`, the annualised active return over the
   * tracking error (empyrical's `excess_sharpe` and quantstats' `information_ratio` are the per-period ratio, this
   * divided by sqrt(P)).
   */
  readonly informationRatio: number;
  /**
   * Treynor ratio: annualised arithmetic excess return over beta, `mean(e_p) * P / beta` (an annual fraction per unit
   * of beta, consistent with the arithmetic Sharpe ratio).
   */
  readonly treynor: number;
  /**
   * Up capture (empyrical's `up_capture`): over the periods with `r_b > 0` (k of them), the ratio of the two CAGRs
   * `(prod(1 + r_p)^(P/k) - 1) / (prod(1 + r_b)^(P/k) - 1)`.
   */
  readonly upCapture: number;
  /** Down capture: the same ratio over the periods with `r_b < 0`. */
  readonly downCapture: number;
}

/**
 * Metrics of `returns` against `benchmark` (arrays of equal length, aligned by position; see `BenchmarkMetrics` for
 * each definition). Throws ValidationError when the lengths differ.
 */
export function benchmarkMetrics(
  returns: ArrayLike<number>,
  benchmark: ArrayLike<number>,
  options: BenchmarkMetricsOptions,
): BenchmarkMetrics {
  if (returns.length !== benchmark.length) {
    throw new ValidationError(
      `a series and its benchmark must be aligned on the same dates: ${returns.length} returns against ${benchmark.length}`,
    );
  }
  const P = validatePeriodsPerYear(options.periodsPerYear);
  const rfPeriod = riskFreePerPeriod(options.riskFreeRate ?? 0, P);
  const pairs: number[] = [];
  for (let i = 0; i < returns.length; i++) {
    if (!Number.isNaN(returns[i] as number) && !Number.isNaN(benchmark[i] as number)) pairs.push(i);
  }
  const m = pairs.length;
  const ep = Float64Array.from(pairs, (i) => (returns[i] as number) - rfPeriod);
  const eb = Float64Array.from(pairs, (i) => (benchmark[i] as number) - rfPeriod);
  const active = Float64Array.from(pairs, (i) => (returns[i] as number) - (benchmark[i] as number));
  const { spb, spp, sbb } = coMoments(ep, eb);
  const beta = ratio(spb, sbb);
  const meanP = mean(ep);
  const alphaPerPeriod = meanP - beta * mean(eb);
  const correlation = ratio(spb, Math.sqrt(spp * sbb));
  const te = sampleStd(active);
  const capture = (keep: (b: number) => boolean): number => {
    const p: number[] = [];
    const b: number[] = [];
    for (const i of pairs) {
      const bi = benchmark[i] as number;
      if (keep(bi)) {
        p.push(returns[i] as number);
        b.push(bi);
      }
    }
    return p.length === 0 ? Number.NaN : ratio(cagr(p, P), cagr(b, P));
  };
  return {
    periods: m,
    beta,
    alphaPerPeriod,
    alpha: (1 + alphaPerPeriod) ** P - 1,
    correlation,
    rSquared: correlation * correlation,
    trackingError: te * Math.sqrt(P),
    informationRatio: ratio(mean(active), te) * Math.sqrt(P),
    treynor: ratio(meanP * P, beta),
    upCapture: capture((b) => b > 0),
    downCapture: capture((b) => b < 0),
  };
}

/** Sums of centred cross-products `S_pb`, `S_pp`, `S_bb` (exactly 0 for a constant series); NaN when m < 2. */
function coMoments(p: Float64Array, b: Float64Array): { spb: number; spp: number; sbb: number } {
  const m = p.length;
  if (m < 2) return { spb: Number.NaN, spp: Number.NaN, sbb: Number.NaN };
  const mp = mean(p);
  const mb = mean(b);
  const constP = isConstant(p);
  const constB = isConstant(b);
  let spb = 0;
  let spp = 0;
  let sbb = 0;
  for (let t = 0; t < m; t++) {
    const dp = constP ? 0 : (p[t] as number) - mp;
    const db = constB ? 0 : (b[t] as number) - mb;
    spb += dp * db;
    spp += dp * dp;
    sbb += db * db;
  }
  return { spb, spp, sbb };
}

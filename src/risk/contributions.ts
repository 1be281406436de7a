/**
 * Risk contributions: how much of a portfolio's volatility (or VaR, CVaR) each asset and each sector accounts for.
 * By Euler's theorem for risk measures homogeneous of degree 1 in the weights, the contributions `w_i dRisk/dw_i` sum
 * exactly to the total.
 */

import { ValidationError } from '../core/errors.js';
import { validatePeriodsPerYear } from '../core/periods.js';
import { isConstant, mean } from './stats.js';
import type { AssetReturnMatrix } from './types.js';

/** Each asset's contribution to the portfolio volatility. */
export interface VolatilityContributions {
  readonly tickers: readonly string[];
  readonly weights: Float64Array;
  /** Annualised portfolio volatility `sigma_p = sqrt(P w' S w)`, S the per-period sample covariance (ddof 1). */
  readonly volatility: number;
  /** Marginal volatility `d sigma_p / d w_i = P (S w)_i / sigma_p` (annual, per unit of weight). */
  readonly marginal: Float64Array;
  /** Contributions `w_i P (S w)_i / sigma_p` (annual fractions), summing to `volatility`. */
  readonly contributions: Float64Array;
  /** Shares `contributions_i / volatility` (summing to 1; they may be negative for hedges). */
  readonly shares: Float64Array;
}

/**
 * Volatility contributions of the portfolio with weights w over per-period asset returns (T x n, no NaN), annualised
 * with P periods per year. The covariance is never formed: with c_ti the returns centred by their means and
 * `d_t = sum_i w_i c_ti`, `(S w)_i = sum_t c_ti d_t / (T - 1)` and `w' S w = sum_t d_t^2 / (T - 1)`.
 * With zero portfolio volatility (or T < 2) the marginals, contributions and shares are NaN (undefined).
 */
export function volatilityContributions(
  assets: AssetReturnMatrix,
  weights: ArrayLike<number>,
  periodsPerYear: number,
): VolatilityContributions {
  validatePeriodsPerYear(periodsPerYear);
  const n = assets.columnCount;
  const t = assets.rowCount;
  if (weights.length !== n) throw new ValidationError(`${weights.length} weights for ${n} assets`);
  const w = Float64Array.from(weights);
  const centred = new Float64Array(t * n);
  const d = new Float64Array(t);
  for (let i = 0; i < n; i++) {
    const col = assets.values.subarray(i * t, (i + 1) * t);
    if (isConstant(col)) continue;
    const m = mean(col);
    const wi = w[i] as number;
    for (let s = 0; s < t; s++) {
      const c = (col[s] as number) - m;
      centred[i * t + s] = c;
      d[s] = (d[s] as number) + wi * c;
    }
  }
  let ss = 0;
  for (let s = 0; s < t; s++) ss += (d[s] as number) ** 2;
  const variance = ss / (t - 1);
  const sigma = Math.sqrt(variance);
  const marginal = new Float64Array(n).fill(Number.NaN);
  if (sigma > 0) {
    for (let i = 0; i < n; i++) {
      let a = 0;
      for (let s = 0; s < t; s++) a += (centred[i * t + s] as number) * (d[s] as number);
      marginal[i] = (Math.sqrt(periodsPerYear) * a) / ((t - 1) * sigma);
    }
  }
  const volatility = sigma * Math.sqrt(periodsPerYear);
  const contributions = marginal.map((m, i) => m * (w[i] as number));
  const shares = contributions.map((c) => c / volatility);
  return { tickers: assets.tickers, weights: w, volatility, marginal, contributions, shares };
}

/**
 * Volatility contributions from a covariance matrix S (n x n row-major, in any consistent units, e.g. annual):
 * `sigma = sqrt(w' S w)`, `contributions_i = w_i (S w)_i / sigma`, summing to sigma; NaN when sigma is 0.
 */
export function volatilityContributionsFromCovariance(
  covariance: Float64Array,
  weights: ArrayLike<number>,
  tickers: readonly string[],
): VolatilityContributions {
  const n = weights.length;
  if (covariance.length !== n * n) throw new ValidationError(`a ${n}-asset covariance needs ${n * n} entries`);
  if (tickers.length !== n) throw new ValidationError(`${tickers.length} tickers for ${n} weights`);
  const w = Float64Array.from(weights);
  const sw = new Float64Array(n);
  let variance = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (covariance[i * n + j] as number) * (w[j] as number);
    sw[i] = s;
    variance += (w[i] as number) * s;
  }
  const sigma = Math.sqrt(variance);
  const marginal = sw.map((v) => (sigma > 0 ? v / sigma : Number.NaN));
  const contributions = marginal.map((m, i) => m * (w[i] as number));
  return {
    tickers,
    weights: w,
    volatility: sigma,
    marginal,
    contributions,
    shares: contributions.map((c) => c / sigma),
  };
}

/** The name under which `sectorTotals` groups tickers that the sector map does not name. */
export const UNASSIGNED_SECTOR = 'unassigned';

/**
 * Sums per-asset figures (weights, contributions) by sector: `total_S = sum_{i in S} values_i`. Tickers absent from
 * the map are grouped under `UNASSIGNED_SECTOR`. Sectors appear in order of their first ticker. Since every asset is in
 * exactly one sector, the sector totals sum to the asset total.
 */
export function sectorTotals(
  tickers: readonly string[],
  values: ArrayLike<number>,
  sectors: Readonly<Record<string, string>>,
): Record<string, number> {
  if (values.length !== tickers.length)
    throw new ValidationError(`${values.length} values for ${tickers.length} tickers`);
  const out: Record<string, number> = {};
  tickers.forEach((t, i) => {
    const s = Object.hasOwn(sectors, t) ? (sectors[t] as string) : UNASSIGNED_SECTOR;
    out[s] = (out[s] ?? 0) + (values[i] as number);
  });
  return out;
}

/**
 * Factor stress tests: the market moves by X and each asset by its beta times X, with the residual uncertainty as a
 * band.
 *
 * The single-index (market) model is fitted by least squares on the per-period returns of the T dates on which every
 * asset and the market have a return (sample.ts): with the market's returns m_t and centred values
 * `dm_t = m_t - mean(m)`,
 *
 *   beta_i = sum_t (r_i,t - mean(r_i)) dm_t / sum_t dm_t^2,   alpha_i = mean(r_i) - beta_i mean(m)   (per period),
 *   e_i,t = r_i,t - alpha_i - beta_i m_t,                     Omega_ij = sum_t e_i,t e_j,t / (T - 1)  (per period).
 *
 * Omega, the residual covariance, is divided by T - 1 so that it is exactly the covariance of the assets conditional
 * on the market under the sample covariance S (ddof 1): `Omega = S_AA - S_Am S_mA / S_mm`, the same matrix the
 * propagated scenarios of shocks.ts condition with (the unbiased regression estimator divides by T - 2 instead; the
 * ratio, (T - 1) / (T - 2), is below 1% for T > 100).
 *
 * A market move X (a fraction over a horizon of h periods) moves asset i by `beta_i X` and the portfolio by
 * `beta_p X` with `beta_p = sum_i w_i beta_i`; alpha is not added (a stress move, not a forecast), and the beta of
 * per-period returns is applied to the h-period move. The residuals over h periods, independent from period to period,
 * have covariance `h Omega`, so the two-sided band at confidence c is
 *
 *   asset:     beta_i X +/- z sqrt(h Omega_ii),     portfolio:  beta_p X +/- z sqrt(h w' Omega w),
 *
 * with `z = Phi^-1((1 + c) / 2)` (1.959964 for c = 0.95). All moves and bands are fractions over the horizon.
 */

import { ValidationError } from '../../core/errors.js';
import { gram } from '../../core/linalg/gram.js';
import { checkHorizon } from '../monte-carlo.js';
import { normalQuantile } from '../normal.js';
import { isConstant, mean } from '../stats.js';
import type { EstimationSample } from './sample.js';

/** The single-index model of some assets on the market, per period. */
export interface MarketModel {
  readonly tickers: readonly string[];
  /** Dates (day numbers) of the T estimation periods. */
  readonly dates: Int32Array;
  readonly periods: number;
  /** `beta_i`, per asset. */
  readonly betas: Float64Array;
  /** `alpha_i`, per period (fractions). */
  readonly alphas: Float64Array;
  /** Residual covariance Omega (n x n row-major, per period, divided by T - 1). */
  readonly residualCovariance: Float64Array;
  /** Sample variance of the market's returns (ddof 1), per period. */
  readonly marketVariance: number;
}

/**
 * Fits the market model of every asset of `sample` (which must hold the market's returns) by least squares (see the
 * module comment). Throws ValidationError without a market, with fewer than 2 periods, or when the market's returns
 * are constant (beta undefined).
 */
export function marketModel(sample: EstimationSample): MarketModel {
  const m = sample.market;
  if (m === undefined) throw new ValidationError('a market model needs the market returns (give a benchmark)');
  const t = sample.rowCount;
  const n = sample.columnCount;
  if (t < 2) throw new ValidationError(`a market model needs at least 2 periods, got ${t}`);
  const mm = mean(m);
  const dm = new Float64Array(t);
  if (!isConstant(m)) for (let s = 0; s < t; s++) dm[s] = (m[s] as number) - mm;
  let smm = 0;
  for (let s = 0; s < t; s++) smm += (dm[s] as number) ** 2;
  if (smm === 0) {
    throw new ValidationError('the market returns are constant over the estimation dates, so beta is undefined');
  }
  const betas = new Float64Array(n);
  const alphas = new Float64Array(n);
  const residuals = new Float64Array(t * n);
  for (let j = 0; j < n; j++) {
    const col = sample.values.subarray(j * t, (j + 1) * t);
    const mj = mean(col);
    const constant = isConstant(col);
    let sjm = 0;
    if (!constant) for (let s = 0; s < t; s++) sjm += ((col[s] as number) - mj) * (dm[s] as number);
    const beta = sjm / smm;
    betas[j] = beta;
    alphas[j] = mj - beta * mm;
    if (constant) continue; // beta 0 and residuals exactly 0
    for (let s = 0; s < t; s++) residuals[j * t + s] = (col[s] as number) - mj - beta * (dm[s] as number);
  }
  const omega = gram(residuals, t, n);
  for (let k = 0; k < omega.length; k++) omega[k] = (omega[k] as number) / (t - 1);
  return {
    tickers: sample.tickers,
    dates: sample.dates,
    periods: t,
    betas,
    alphas,
    residualCovariance: omega,
    marketVariance: smm / (t - 1),
  };
}

/** Options of the factor shock. */
export interface FactorShockOptions {
  /** Horizon h of the market move, in periods of the data (whole number >= 1); default 1. */
  readonly horizon?: number;
  /** Confidence c of the two-sided band, in (0, 1); default 0.95. */
  readonly confidence?: number;
}

/** One asset under a factor shock (fractions over the horizon). */
export interface FactorAssetMove {
  readonly ticker: string;
  readonly weight: number;
  readonly beta: number;
  /** `beta_i X`. */
  readonly move: number;
  /** `w_i beta_i X`, the asset's part of the portfolio's move. */
  readonly contribution: number;
  /** Residual volatility over the horizon, `sqrt(h Omega_ii)`. */
  readonly residualVolatility: number;
  readonly lower: number;
  readonly upper: number;
}

/** A portfolio under a factor shock (fractions over the horizon). */
export interface FactorShock {
  /** The market move X. */
  readonly marketMove: number;
  readonly horizon: number;
  readonly confidence: number;
  /** `Phi^-1((1 + c) / 2)`. */
  readonly z: number;
  /** `beta_p = sum_i w_i beta_i`. */
  readonly beta: number;
  /** `beta_p X`. */
  readonly move: number;
  /** `sqrt(h w' Omega w)`. */
  readonly residualVolatility: number;
  /** `move - z residualVolatility`. */
  readonly lower: number;
  /** `move + z residualVolatility`. */
  readonly upper: number;
  readonly assets: readonly FactorAssetMove[];
}

/**
 * The portfolio with `weights` (one per asset of `model`, in its order) under a market move X (see the module comment
 * for the moves and bands). Throws ValidationError for X not a finite number of at least -1, a bad horizon or
 * confidence, or a weight count that does not match.
 */
export function factorShock(
  model: MarketModel,
  weights: ArrayLike<number>,
  marketMove: number,
  options: FactorShockOptions = {},
): FactorShock {
  checkMove(marketMove, 'the market move');
  const n = model.tickers.length;
  if (weights.length !== n) throw new ValidationError(`${weights.length} weights for ${n} assets`);
  const h = options.horizon ?? 1;
  checkHorizon(h);
  const c = options.confidence ?? 0.95;
  const z = bandZ(c);
  const omega = model.residualCovariance;
  let beta = 0;
  let variance = 0;
  const assets: FactorAssetMove[] = [];
  for (let i = 0; i < n; i++) {
    const wi = weights[i] as number;
    const bi = model.betas[i] as number;
    beta += wi * bi;
    let row = 0;
    for (let j = 0; j < n; j++) row += (omega[i * n + j] as number) * (weights[j] as number);
    variance += wi * row;
    const move = bi * marketMove;
    const vol = Math.sqrt(h * Math.max(0, omega[i * n + i] as number));
    assets.push({
      ticker: model.tickers[i] as string,
      weight: wi,
      beta: bi,
      move,
      contribution: wi * move,
      residualVolatility: vol,
      lower: move - z * vol,
      upper: move + z * vol,
    });
  }
  const move = beta * marketMove;
  const vol = Math.sqrt(h * Math.max(0, variance));
  return {
    marketMove,
    horizon: h,
    confidence: c,
    z,
    beta,
    move,
    residualVolatility: vol,
    lower: move - z * vol,
    upper: move + z * vol,
    assets,
  };
}

/** `Phi^-1((1 + c) / 2)`, the half-width in standard deviations of a two-sided band at confidence c in (0, 1). */
export function bandZ(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) {
    throw new ValidationError(`the band confidence must be between 0 and 1 (0.95 is 95%), got ${confidence}`);
  }
  return normalQuantile((1 + confidence) / 2);
}

/** Throws ValidationError unless `move` is a finite fraction of at least -1 (a price cannot fall below zero). */
export function checkMove(move: number, what: string): void {
  if (!Number.isFinite(move) || move < -1) {
    throw new ValidationError(`${what} must be a finite fraction of at least -1 (-0.2 is a 20% fall), got ${move}`);
  }
}

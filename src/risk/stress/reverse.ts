/**
 * Reverse stress test: the most plausible market move that costs the portfolio a given loss.
 *
 * With Sigma_h = h S the covariance of the assets' moves over h periods (S the per-period sample covariance, ddof 1,
 * of the held assets' simple returns on the dates where all have one) and w the weights, the move x (a vector of
 * fractions over the horizon) that loses L (`w'x = -L`, L > 0 a fraction of the portfolio value) with the smallest
 * Mahalanobis norm `x' Sigma_h^-1 x` is, by a Lagrange multiplier,
 *
 *   x* = -L Sigma_h w / (w' Sigma_h w),     its Mahalanobis distance  d = L / sqrt(w' Sigma_h w) = L / sigma_h,
 *
 * sigma_h the portfolio's volatility over the horizon. x* lies in the range of Sigma_h, so neither needs Sigma_h to be
 * invertible (with a singular Sigma_h, x*' Sigma_h^+ x* = d^2 with the pseudo-inverse). Under a zero-mean normal
 * distribution of the moves with covariance Sigma_h, x* is the most likely move on the hyperplane of that loss, and the
 * implied probability of losing at least L over the horizon is `P(w'R <= -L) = Phi(-d)`. Each asset's move is also
 * given in its own standard deviations over the horizon, `x*_i / sqrt(h S_ii)`.
 *
 * A portfolio without volatility (`w' S w = 0`: every held asset constant, or positions that cancel exactly) has no
 * move along the covariance that loses anything, so the test is refused with a ValidationError.
 */

import { ValidationError } from '../../core/errors.js';
import { checkHorizon, sampleMoments } from '../monte-carlo.js';
import type { AssetReturnMatrix } from '../types.js';
import { normalCdf } from './normal-cdf.js';

/** Options of the reverse stress test. */
export interface ReverseStressOptions {
  /** Horizon h in periods of the data; default 1. */
  readonly horizon?: number;
}

/** The reverse stress test of a portfolio (fractions over the horizon). */
export interface ReverseStress {
  /** The loss L, a positive fraction of the portfolio value. */
  readonly loss: number;
  readonly horizon: number;
  readonly tickers: readonly string[];
  readonly weights: Float64Array;
  /** `sigma_h = sqrt(h w' S w)`. */
  readonly volatility: number;
  /** `d = L / sigma_h`. */
  readonly mahalanobisDistance: number;
  /** `Phi(-d)`: the probability of losing at least L under a zero-mean normal. */
  readonly probability: number;
  /** `x*_i = -L (Sigma_h w)_i / (w' Sigma_h w)`. */
  readonly moves: Float64Array;
  /** `x*_i / sqrt(h S_ii)`, each move in its asset's standard deviations (NaN for a constant asset). */
  readonly movesInSigmas: Float64Array;
}

/**
 * The reverse stress test from a per-period covariance S (n x n row-major, symmetric positive semidefinite) and the
 * weights w (see the module comment). Throws ValidationError when L is not a positive finite number, the sizes do not
 * match, or the portfolio has zero variance `w' S w` (no move along the covariance loses anything).
 */
export function reverseStressFromCovariance(
  covariance: ArrayLike<number>,
  tickers: readonly string[],
  weights: ArrayLike<number>,
  loss: number,
  options: ReverseStressOptions = {},
): ReverseStress {
  const n = tickers.length;
  if (covariance.length !== n * n) throw new ValidationError(`a covariance of ${n} assets needs ${n * n} values`);
  if (weights.length !== n) throw new ValidationError(`${weights.length} weights for ${n} assets`);
  if (!(Number.isFinite(loss) && loss > 0)) {
    throw new ValidationError(`the reverse stress loss must be a positive fraction (0.3 is a 30% loss), got ${loss}`);
  }
  const h = options.horizon ?? 1;
  checkHorizon(h);
  const sw = new Float64Array(n);
  let wsw = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (covariance[i * n + j] as number) * (weights[j] as number);
    sw[i] = s;
    wsw += (weights[i] as number) * s;
  }
  if (!(wsw > 0)) {
    throw new ValidationError(
      `the portfolio's variance w'Sw over the estimation dates is ${wsw}, so no market move along the historical ` +
        'covariance produces a loss: the reverse stress test needs a portfolio that holds at least one asset whose ' +
        'returns vary (and positions that do not cancel exactly)',
    );
  }
  const volatility = Math.sqrt(h * wsw);
  const d = loss / volatility;
  // Sigma_h w / (w' Sigma_h w) = S w / (w' S w): the horizon cancels in the moves.
  const moves = Float64Array.from(sw, (s) => (-loss * s) / wsw);
  const movesInSigmas = Float64Array.from(moves, (x, i) => {
    const sd = Math.sqrt(h * (covariance[i * n + i] as number));
    return sd > 0 ? x / sd : Number.NaN;
  });
  return {
    loss,
    horizon: h,
    tickers,
    weights: Float64Array.from(weights),
    volatility,
    mahalanobisDistance: d,
    probability: normalCdf(-d),
    moves,
    movesInSigmas,
  };
}

/**
 * The reverse stress test of the portfolio `weights` (one per asset) on per-period asset returns without gaps (T x n,
 * as `portfolioReturns(...).assets`): S is their sample covariance (ddof 1) and the rest as
 * `reverseStressFromCovariance`. Throws ValidationError with fewer than 2 periods.
 */
export function reverseStress(
  assets: AssetReturnMatrix,
  weights: ArrayLike<number>,
  loss: number,
  options: ReverseStressOptions = {},
): ReverseStress {
  if (assets.rowCount < 2) throw new ValidationError(`a covariance needs at least 2 periods, got ${assets.rowCount}`);
  for (let k = 0; k < assets.values.length; k++) {
    if (!Number.isFinite(assets.values[k] as number)) {
      throw new ValidationError('the reverse stress test needs asset returns without gaps');
    }
  }
  const { cov } = sampleMoments(assets.values, assets.rowCount, assets.columnCount);
  return reverseStressFromCovariance(cov, assets.tickers, weights, loss, options);
}

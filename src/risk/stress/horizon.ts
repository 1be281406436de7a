/**
 * The distribution of a portfolio's value at a horizon by Monte Carlo simulation.
 *
 * The assets' h-period returns R_i are simulated by `simulateAssetReturns` (monte-carlo.ts: per-period draws from the
 * normal, Student-t or bootstrap model, compounded over the h periods; seeded and reproducible). The portfolio is
 * bought at the weights and held, so the value of 1 invested is, on each path,
 *
 *   V = 1 + sum_i w_i R_i          (cash, 1 - sum w, keeps its value),
 *
 * as the horizon VaR of var.ts. Reported: the percentiles of V (1, 5, 25, 50, 75, 95 and 99 by default) as the
 * empirical quantile with linear interpolation (numpy's default, stats.ts `quantile`), the mean of V, and for each loss
 * threshold k the probability of a loss beyond it, `P(1 - V > k)`, the fraction of paths whose loss exceeds k.
 */

import { ValidationError } from '../../core/errors.js';
import { fitStudentTDegreesOfFreedom, type SimulationModel, simulateAssetReturns } from '../monte-carlo.js';
import { excessKurtosisOf, mean, quantile } from '../stats.js';
import type { AssetReturnMatrix } from '../types.js';

/** The default percentiles of the value, in percent. */
export const DEFAULT_PERCENTILES: readonly number[] = Object.freeze([1, 5, 25, 50, 75, 95, 99]);

/** The default loss thresholds, as fractions of the value invested. */
export const DEFAULT_LOSS_THRESHOLDS: readonly number[] = Object.freeze([0.05, 0.1, 0.2, 0.3]);

/** Options of `horizonDistribution`. */
export interface HorizonDistributionOptions {
  /** Simulation model; default 'normal'. */
  readonly model?: SimulationModel;
  /** Horizon h in periods of the data; default 1. */
  readonly horizon?: number;
  /** Number of paths; default 10,000. */
  readonly paths?: number;
  /** Seed; default 0. */
  readonly seed?: number | bigint;
  /**
   * Degrees of freedom of the Student-t model (> 2); default fitted to the excess kurtosis K of the portfolio's
   * per-period returns, `nu = 4 + 6 / K` (the normal when K <= 0), as var.ts does.
   */
  readonly degreesOfFreedom?: number;
  /** Percentiles of V in percent, each in [0, 100]; default `DEFAULT_PERCENTILES`. */
  readonly percentiles?: readonly number[];
  /** Loss thresholds k (fractions, finite); default `DEFAULT_LOSS_THRESHOLDS`. */
  readonly lossThresholds?: readonly number[];
}

/** The simulated distribution of the value of 1 invested at the horizon. */
export interface HorizonDistribution {
  readonly model: SimulationModel;
  readonly horizon: number;
  readonly paths: number;
  readonly seed: number | bigint;
  /** Degrees of freedom used by the Student-t model (Infinity: normal); absent for the other models. */
  readonly degreesOfFreedom?: number;
  /** `{ percentile, value }` in the order asked: the value of 1 invested at that percentile. */
  readonly percentiles: readonly { readonly percentile: number; readonly value: number }[];
  /** Mean of V over the paths. */
  readonly mean: number;
  /** `{ threshold, probability }`: the fraction of paths with `1 - V > threshold`. */
  readonly lossProbabilities: readonly { readonly threshold: number; readonly probability: number }[];
  /** V on every path, for histograms. */
  readonly values: Float64Array;
}

/**
 * The distribution of the value at the horizon of 1 invested in the portfolio `weights` (one per asset of `assets`,
 * per-period simple returns without gaps; see the module comment). Throws ValidationError for a percentile outside
 * [0, 100], a non-finite threshold, a weight count that does not match, or the simulation's own invalid options.
 */
export function horizonDistribution(
  assets: AssetReturnMatrix,
  weights: ArrayLike<number>,
  options: HorizonDistributionOptions = {},
): HorizonDistribution {
  const n = assets.columnCount;
  if (weights.length !== n) throw new ValidationError(`${weights.length} weights for ${n} assets`);
  const percentiles = options.percentiles ?? DEFAULT_PERCENTILES;
  for (const p of percentiles) {
    if (!(p >= 0 && p <= 100)) throw new ValidationError(`a percentile must be from 0 to 100, got ${p}`);
  }
  const thresholds = options.lossThresholds ?? DEFAULT_LOSS_THRESHOLDS;
  for (const k of thresholds) {
    if (!Number.isFinite(k)) throw new ValidationError(`a loss threshold must be a finite fraction, got ${k}`);
  }
  const model = options.model ?? 'normal';
  const horizon = options.horizon ?? 1;
  const paths = options.paths ?? 10_000;
  const seed = options.seed ?? 0;
  let nu: number | undefined;
  if (model === 'student-t')
    nu = options.degreesOfFreedom ?? fitStudentTDegreesOfFreedom(portfolioKurtosis(assets, weights));
  const sim = simulateAssetReturns(assets, model, {
    paths,
    horizon,
    seed,
    ...(nu === undefined ? {} : { degreesOfFreedom: nu }),
  });
  const v = new Float64Array(paths).fill(1);
  for (let i = 0; i < n; i++) {
    const wi = weights[i] as number;
    if (wi === 0) continue;
    const base = i * paths;
    for (let p = 0; p < paths; p++) v[p] = (v[p] as number) + wi * (sim.values[base + p] as number);
  }
  const sorted = Float64Array.from(v).sort();
  return {
    model,
    horizon,
    paths,
    seed,
    ...(nu === undefined ? {} : { degreesOfFreedom: nu }),
    percentiles: percentiles.map((p) => ({ percentile: p, value: quantile(sorted, p / 100) })),
    mean: mean(v),
    lossProbabilities: thresholds.map((k) => ({ threshold: k, probability: countAbove(sorted, k) / paths })),
    values: v,
  };
}

/** Number of values V of the ascending array with `1 - V > k`, i.e. `V < 1 - k`. */
function countAbove(sorted: Float64Array, k: number): number {
  let count = 0;
  for (let p = 0; p < sorted.length && 1 - (sorted[p] as number) > k; p++) count++;
  return count;
}

/** Excess kurtosis of the portfolio's per-period returns `sum_i w_i r_i,t`. */
function portfolioKurtosis(assets: AssetReturnMatrix, weights: ArrayLike<number>): number {
  const t = assets.rowCount;
  const r = new Float64Array(t);
  for (let i = 0; i < assets.columnCount; i++) {
    const wi = weights[i] as number;
    for (let s = 0; s < t; s++) r[s] = (r[s] as number) + wi * (assets.values[i * t + s] as number);
  }
  return excessKurtosisOf(r);
}

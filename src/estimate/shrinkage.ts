/**
 * Shrinkage covariance estimators: Ledoit-Wolf towards a constant variance, a single factor or a constant
 * correlation, and Oracle Approximating Shrinkage. All use the dates on which every asset has a return.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';
import { DataError, ValidationError } from '../core/errors.js';
import { gram } from '../core/linalg/gram.js';
import { assetMoments, centeredColumns, completeRows, resolvePeriods, returnsOfPrices } from './input.js';
import {
  type CenteredData,
  constantCorrelation,
  constantVariance,
  oracleApproximating,
  type Shrinkage,
  singleFactor,
} from './shrinkage-targets.js';
import type { EstimatorOptions, PriceInputOptions, ShrinkageTarget, ShrunkCovariance } from './types.js';

/** Options of the Ledoit-Wolf estimator. */
export interface LedoitWolfOptions extends EstimatorOptions {
  /** The target to shrink towards; default 'constant-variance' (scikit-learn's `ledoit_wolf`, PyPortfolioOpt's default). */
  readonly target?: ShrinkageTarget;
}

/** Annual Ledoit-Wolf covariance from prices: `ledoitWolfFromReturns(simpleReturns(prices))`. */
export function ledoitWolf(prices: DatedMatrix, options: LedoitWolfOptions & PriceInputOptions = {}): ShrunkCovariance {
  return ledoitWolfFromReturns(returnsOfPrices(prices, options), options);
}

/**
 * Annual Ledoit-Wolf shrinkage covariance of per-period returns: `P (delta F + (1 - delta) S)`, P the periods per
 * year, S the covariance with ddof 0 (`X'X / T`, X centered over the dates used) and F the target:
 * - 'constant-variance': `mu I`, mu the average variance; delta as scikit-learn's `ledoit_wolf` (Ledoit & Wolf 2004,
 *   "A well-conditioned estimator for large-dimensional covariance matrices"); equals `P * sklearn.covariance.
 *   ledoit_wolf(X)[0]`.
 * - 'single-factor': the covariance implied by one factor, the equal-weighted market (Ledoit & Wolf 2003, published
 *   covMarket.m).
 * - 'constant-correlation': every correlation set to the average (Ledoit & Wolf 2004, "Honey, I shrunk the sample
 *   covariance matrix", published covCor.m).
 * The formulas are in `shrinkage-targets.ts`. Because S has ddof 0, delta = 0 gives `(T - 1) / T` times the ddof-1
 * `sampleCovariance` of the same dates. Only dates on which every asset has a return are used (PyPortfolioOpt instead
 * fills missing returns with 0); when some are left out, a warning says how many. The intensity is `shrinkage`.
 * Throws DataError when an asset has fewer than 2 returns, fewer than 2 dates are complete, or (per target) a
 * variance is 0.
 */
export function ledoitWolfFromReturns(returns: DatedMatrix, options: LedoitWolfOptions = {}): ShrunkCovariance {
  const target = options.target ?? 'constant-variance';
  const formula = TARGETS[target];
  if (formula === undefined) {
    throw new ValidationError(
      `unknown shrinkage target ${JSON.stringify(target)}; use constant-variance, single-factor or constant-correlation`,
    );
  }
  return shrunk(returns, options, 'ledoit-wolf', target, formula);
}

/** Annual Oracle Approximating Shrinkage covariance from prices: `oracleApproximatingShrinkageFromReturns(simpleReturns(prices))`. */
export function oracleApproximatingShrinkage(
  prices: DatedMatrix,
  options: EstimatorOptions & PriceInputOptions = {},
): ShrunkCovariance {
  return oracleApproximatingShrinkageFromReturns(returnsOfPrices(prices, options), options);
}

/**
 * Annual Oracle Approximating Shrinkage covariance of per-period returns (Chen, Wiesel, Eldar & Hero 2010):
 * `P (delta mu I + (1 - delta) S)`, S = X'X / T (ddof 0) over the dates on which every asset has a return, mu the
 * average variance, delta as scikit-learn's `oas`; equals `P * sklearn.covariance.oas(X)[0]`. Same data rules and
 * errors as `ledoitWolfFromReturns`.
 */
export function oracleApproximatingShrinkageFromReturns(
  returns: DatedMatrix,
  options: EstimatorOptions = {},
): ShrunkCovariance {
  return shrunk(returns, options, 'oas', 'constant-variance', oracleApproximating);
}

const TARGETS: Readonly<Record<ShrinkageTarget, (d: CenteredData) => Shrinkage>> = {
  'constant-variance': constantVariance,
  'single-factor': singleFactor,
  'constant-correlation': constantCorrelation,
};

function shrunk(
  returns: DatedMatrix,
  options: EstimatorOptions,
  method: 'ledoit-wolf' | 'oas',
  target: ShrinkageTarget,
  formula: (d: CenteredData) => Shrinkage,
): ShrunkCovariance {
  const periods = resolvePeriods(returns, options);
  const { complete } = assetMoments(returns);
  const rows = complete ? undefined : completeRows(returns);
  const t = rows === undefined ? returns.rowCount : rows.length;
  if (t < 2) throw tooFewCompleteDates(returns, t);
  const data = centeredData(returns, rows);
  const { intensity, target: f } = formula(data);
  const n = data.n;
  const values = new Float64Array(n * n);
  const s = data.s;
  for (let k = 0; k < values.length; k++) {
    values[k] = periods * (intensity * (f[k] as number) + (1 - intensity) * (s[k] as number));
  }
  const warnings =
    rows === undefined
      ? []
      : [
          `used the ${t} of ${returns.rowCount} return dates on which every asset has a return ` +
            `(from ${isoDate(returns.dates[rows[0] as number] as number)})`,
        ];
  return {
    tickers: returns.tickers,
    values,
    warnings,
    periodsPerYear: periods,
    method,
    target,
    shrinkage: intensity,
    observations: t,
  };
}

/** The selected rows centered by their own means (ddof-0 moments over exactly these dates), with S = X'X / T. */
function centeredData(returns: DatedMatrix, rows: Int32Array | undefined): CenteredData {
  const n = returns.columnCount;
  const t = rows === undefined ? returns.rowCount : rows.length;
  const means = new Float64Array(n);
  const x = returns.values;
  const total = returns.rowCount;
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let k = 0; k < t; k++) sum += x[j * total + (rows === undefined ? k : (rows[k] as number))] as number;
    means[j] = sum / t;
  }
  const centered = centeredColumns(returns, means, rows);
  const s = gram(centered, t, n);
  for (let k = 0; k < s.length; k++) s[k] = (s[k] as number) / t;
  return { x: centered, t, n, s, tickers: returns.tickers };
}

function tooFewCompleteDates(returns: DatedMatrix, t: number): DataError {
  let latest = 0;
  for (let j = 1; j < returns.columnCount; j++) {
    if (returns.firstValidRow(j) > returns.firstValidRow(latest)) latest = j;
  }
  return new DataError(
    `only ${t} return date${t === 1 ? '' : 's'} on which all ${returns.columnCount} assets have a return; ` +
      `shrinkage estimators need at least 2 (${JSON.stringify(returns.tickers[latest])} starts latest): ` +
      'drop late-listed tickers or load a longer history',
  );
}

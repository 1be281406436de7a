/**
 * Hierarchical risk parity (López de Prado 2016, "Building Diversified Portfolios that Outperform Out of Sample",
 * Journal of Portfolio Management 42(4)), long-only and fully invested:
 *
 * 1. tree clustering: the condensed correlation distance `d_ij = sqrt((1 - rho_ij) / 2)` is clustered directly
 *    (as PyPortfolioOpt and Riskfolio-Lib do; the paper clusters a Euclidean distance between columns of d) with
 *    SciPy's `linkage` (single linkage by default, as in the paper);
 * 2. quasi-diagonalisation: the assets in the dendrogram's leaf order (SciPy's `leaves_list`);
 * 3. recursive bisection: starting from the whole ordered list with weight 1, each list of m > 1 assets is split
 *    into its first floor(m / 2) assets and the rest; with V_1, V_2 the variances of the two halves under
 *    inverse-variance weights inside each (`w'S w`, w_i proportional to 1 / S_ii), the left half receives the share
 *    `alpha = 1 - V_1 / (V_1 + V_2)` of the parent's weight W and the right half `1 - alpha`.
 *
 * Weight bounds L_i <= w_i <= U_i (optional) follow the bounded bisection of Riskfolio-Lib's HCPortfolio (after
 * Pfitzinger & Katzke 2019, "A constrained hierarchical risk parity algorithm with cluster-based capital
 * allocation"): at each split the left half's weight alpha W is clipped into
 * `[max(L_1, W - U_2), min(U_1, W - L_2)]`, with L_k and U_k the sums of the bounds in half k. When
 * sum L <= 1 <= sum U this interval is never empty and each half's weight stays within the sums of its bounds, so
 * at the leaves every weight is within its own bounds.
 */

import type { DatedMatrix } from '../../core/dated-matrix.js';
import { InfeasibleError, ValidationError } from '../../core/errors.js';
import { buildAllocation, expectedReturnsOf, type LabelledCovariance, riskFreeRateOf } from '../allocation-result.js';
import { fmt } from '../format.js';
import type { WeightBounds } from '../problem.js';
import {
  clusterVariance,
  estimatesFromReturns,
  type HierarchicalOptions,
  type HierarchicalResult,
  type HierarchicalReturnsOptions,
  nonPositiveCluster,
  prepareTree,
} from './common.js';

/** Options of hierarchical risk parity. */
export interface HrpOptions extends HierarchicalOptions {
  /**
   * Weight bounds: one [lower, upper] pair for every asset, or lower and upper values per asset (in ticker order);
   * 0 <= lower <= upper. Default [0, 1]. Infeasible when the lower bounds sum above 1 or the upper ones below 1.
   */
  readonly bounds?: WeightBounds;
}

/** A hierarchical-risk-parity allocation. */
export interface HrpResult extends HierarchicalResult {
  readonly method: 'hrp';
  /** Number of splits at which the bounds moved the share alpha (0 without bounds). */
  readonly boundedSplits: number;
}

/**
 * Hierarchical risk parity weights for the annual covariance S (see the module comment): tree on the correlation
 * distance `sqrt((1 - rho) / 2)` (rho from `options.correlation`, else `S_ij / sqrt(S_ii S_jj)`), leaves in
 * dendrogram order, recursive bisection into halves with `alpha = 1 - V_1 / (V_1 + V_2)` (inverse-variance cluster
 * variances, annual), bounds by clipping each split. Weights are fractions of capital summing to 1; the result
 * carries the tree, the order, the volatility sqrt(w'Sw), the risk contributions, and the expected return and
 * Sharpe ratio (mu'w - rf) / sqrt(w'Sw) when expected returns are given.
 *
 * Throws ValidationError for invalid input (covariance, correlation, bounds, linkage name), InfeasibleError when
 * the bounds cannot hold together (sum of lower bounds above 1 or of upper bounds below 1).
 */
export function hierarchicalRiskParity(covariance: LabelledCovariance, options: HrpOptions = {}): HrpResult {
  const prepared = prepareTree(covariance, options, 'single');
  const { tickers, n, covariance: s, tree, order } = prepared;
  const riskFreeRate = riskFreeRateOf(options);
  const expectedReturns = expectedReturnsOf(options, n);
  const bounds = options.bounds === undefined ? undefined : boundsOf(options.bounds, tickers);
  // Weights by position in the order; lower/upper prefix sums along the order give each half's bound sums.
  const byPosition = new Float64Array(n);
  let lowerPrefix: Float64Array | undefined;
  let upperPrefix: Float64Array | undefined;
  if (bounds !== undefined) {
    lowerPrefix = new Float64Array(n + 1);
    upperPrefix = new Float64Array(n + 1);
    for (let p = 0; p < n; p++) {
      const i = order[p] as number;
      lowerPrefix[p + 1] = (lowerPrefix[p] as number) + (bounds.lower[i] as number);
      upperPrefix[p + 1] = (upperPrefix[p] as number) + (bounds.upper[i] as number);
    }
  }
  let boundedSplits = 0;
  // Depth-first over the segments [start, start + count) of the order, each with its weight W.
  const stack: number[] = [0, n, 1];
  while (stack.length > 0) {
    const weight = stack.pop() as number;
    const count = stack.pop() as number;
    const start = stack.pop() as number;
    if (count === 1) {
      byPosition[start] = weight;
      continue;
    }
    const half = Math.floor(count / 2);
    const v1 = clusterVariance(s, n, order, start, half);
    const v2 = clusterVariance(s, n, order, start + half, count - half);
    if (!(v1 > 0)) throw nonPositiveCluster(tickers, order, start, half);
    if (!(v2 > 0)) throw nonPositiveCluster(tickers, order, start + half, count - half);
    const alpha = 1 - v1 / (v1 + v2);
    let left = alpha * weight;
    let right = (1 - alpha) * weight;
    if (lowerPrefix !== undefined && upperPrefix !== undefined) {
      const mid = start + half;
      const end = start + count;
      const l1 = (lowerPrefix[mid] as number) - (lowerPrefix[start] as number);
      const u1 = (upperPrefix[mid] as number) - (upperPrefix[start] as number);
      const l2 = (lowerPrefix[end] as number) - (lowerPrefix[mid] as number);
      const u2 = (upperPrefix[end] as number) - (upperPrefix[mid] as number);
      const lo = Math.max(l1, weight - u2);
      const hi = Math.min(u1, weight - l2);
      const clipped = Math.min(Math.max(left, lo), hi);
      if (clipped !== left) {
        boundedSplits++;
        left = clipped;
        right = weight - clipped;
      }
    }
    stack.push(start + half, count - half, right, start, half, left);
  }
  const w = new Float64Array(n);
  for (let p = 0; p < n; p++) w[order[p] as number] = byPosition[p] as number;
  if (bounds !== undefined) {
    // Clipping can leave a weight an ulp or so outside its bound: put it on the bound.
    for (let i = 0; i < n; i++) {
      w[i] = Math.min(Math.max(w[i] as number, bounds.lower[i] as number), bounds.upper[i] as number);
    }
  }
  const base = buildAllocation(
    'hrp',
    tickers,
    w,
    { covariance: s, riskFreeRate, ...(expectedReturns === undefined ? {} : { expectedReturns }) },
    boundedSplits > 0 ? [`the weight bounds moved the split at ${boundedSplits} of ${n - 1} bisections`] : [],
  );
  return {
    ...base,
    method: 'hrp',
    volatility: base.volatility as number,
    riskContributions: base.riskContributions as HrpResult['riskContributions'],
    linkage: tree.method,
    tree,
    order,
    orderedTickers: Array.from(order, (i) => tickers[i] as string),
    boundedSplits,
  };
}

/**
 * Hierarchical risk parity from per-period returns: the tree on the pairwise Pearson correlation (each pair over its
 * common dates, so late listings are fine), the bisection on the annual pairwise sample covariance (or on
 * `options.covariance` when given). Otherwise as `hierarchicalRiskParity`; also throws DataError for returns that
 * cannot be estimated from (see `pairwiseMoments`).
 */
export function hierarchicalRiskParityFromReturns(
  returns: DatedMatrix,
  options: Omit<HrpOptions, 'correlation'> & HierarchicalReturnsOptions = {},
): HrpResult {
  const { covariance, correlation } = estimatesFromReturns(returns, options);
  return hierarchicalRiskParity(covariance, { ...options, correlation });
}

/** Bounds per asset, checked: 0 <= lower <= upper, finite lower, and sum lower <= 1 <= sum upper (to 1e-12). */
function boundsOf(bounds: WeightBounds, tickers: readonly string[]): { lower: Float64Array; upper: Float64Array } {
  const n = tickers.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const fill = (target: Float64Array, value: number | ArrayLike<number>, what: string): void => {
    if (typeof value === 'number') {
      target.fill(value);
      return;
    }
    if (value === null || typeof value !== 'object' || value.length !== n) {
      throw new ValidationError(`the ${what} bounds must be one number or ${n} numbers (one per ticker)`);
    }
    for (let i = 0; i < n; i++) target[i] = value[i] as number;
  };
  if (Array.isArray(bounds)) {
    if (bounds.length !== 2) throw new ValidationError('bounds must be a [lower, upper] pair');
    fill(lower, bounds[0] as number, 'lower');
    fill(upper, bounds[1] as number, 'upper');
  } else if (bounds !== null && typeof bounds === 'object' && 'lower' in bounds && 'upper' in bounds) {
    fill(lower, bounds.lower, 'lower');
    fill(upper, bounds.upper, 'upper');
  } else {
    throw new ValidationError('bounds must be a [lower, upper] pair or { lower, upper }');
  }
  let sumLower = 0;
  let sumUpper = 0;
  for (let i = 0; i < n; i++) {
    const lo = lower[i] as number;
    const hi = upper[i] as number;
    if (typeof lo !== 'number' || !Number.isFinite(lo) || lo < 0 || typeof hi !== 'number' || Number.isNaN(hi)) {
      throw new ValidationError(
        `the bounds of ${JSON.stringify(tickers[i])} are [${lo}, ${hi}]; hierarchical risk parity is long-only: ` +
          'lower bounds must be finite and >= 0',
      );
    }
    if (hi < lo) {
      throw new ValidationError(
        `the upper bound of ${JSON.stringify(tickers[i])} (${hi}) is below its lower bound (${lo})`,
      );
    }
    upper[i] = Math.min(hi, 1); // a long-only weight summing to 1 never exceeds 1 (and sums stay finite)
    sumLower += lo;
    sumUpper += upper[i] as number;
  }
  if (sumLower > 1 + 1e-12) {
    throw new InfeasibleError(`the lower bounds sum to ${fmt(sumLower)}, above the budget 1: lower some of them`);
  }
  if (sumUpper < 1 - 1e-12) {
    throw new InfeasibleError(`the upper bounds sum to ${fmt(sumUpper)}, below the budget 1: raise some of them`);
  }
  return { lower, upper };
}

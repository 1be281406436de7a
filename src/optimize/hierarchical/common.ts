/**
 * What hierarchical risk parity and HERC share: their options and result, the input checks, the tree over the
 * correlation distance, and the inverse-variance cluster variance.
 */

import type { DatedMatrix } from '../../core/dated-matrix.js';
import { ValidationError } from '../../core/errors.js';
import type { EstimatorOptions } from '../../estimate/types.js';
import {
  type AllocationResult,
  checkCovariance,
  checkTickers,
  type LabelledCovariance,
  type PerformanceOptions,
  type RiskContributions,
} from '../allocation-result.js';
import { correlationDistance, correlationOfCovariance, pairwiseMoments } from './correlation-distance.js';
import { type Linkage, type LinkageMethod, leavesList, linkage } from './linkage.js';

/** Options shared by the hierarchical allocators. */
export interface HierarchicalOptions extends PerformanceOptions {
  /** Linkage criterion of the tree (SciPy's names); default 'single' for HRP, 'ward' for HERC. */
  readonly linkage?: LinkageMethod;
  /**
   * Correlation matrix the tree is built on (n x n row-major, in ticker order); default the covariance's
   * `S_ij / sqrt(S_ii S_jj)`. The `...FromReturns` functions pass the pairwise Pearson correlation of the returns.
   */
  readonly correlation?: ArrayLike<number>;
}

/** Options of the `...FromReturns` variants: estimation, and an optional covariance estimate to allocate with. */
export interface HierarchicalReturnsOptions extends EstimatorOptions {
  /**
   * Annual covariance to allocate with (same tickers in the same order as the returns), e.g. a shrinkage estimate;
   * default the pairwise sample covariance of the returns. The tree always uses their pairwise Pearson correlation.
   */
  readonly covariance?: LabelledCovariance;
}

/** A hierarchical allocation with its tree. */
export interface HierarchicalResult extends AllocationResult {
  readonly method: 'hrp' | 'herc';
  /** Annual volatility sqrt(w'Sw). */
  readonly volatility: number;
  readonly riskContributions: RiskContributions;
  /** The linkage criterion of the tree. */
  readonly linkage: LinkageMethod;
  /** The dendrogram over the correlation distance, as SciPy's linkage matrix (asset i is leaf i). */
  readonly tree: Linkage;
  /** The dendrogram's leaves left to right (the quasi-diagonal order), as asset indices. */
  readonly order: Int32Array;
  /** The tickers in that order. */
  readonly orderedTickers: readonly string[];
}

/** Checked inputs: covariance, tree and order. */
export interface PreparedTree {
  readonly tickers: readonly string[];
  readonly n: number;
  readonly covariance: Float64Array;
  readonly tree: Linkage;
  readonly order: Int32Array;
  /** The condensed correlation distance the tree was built on. */
  readonly distances: Float64Array;
}

/**
 * Validates the covariance (and correlation when given), and builds the tree: condensed correlation distance
 * `sqrt((1 - rho) / 2)`, linkage with SciPy's conventions, leaves left to right.
 */
export function prepareTree(
  covariance: LabelledCovariance,
  options: HierarchicalOptions,
  defaultLinkage: LinkageMethod,
): PreparedTree {
  const tickers = checkTickers(covariance.tickers, 'the hierarchical allocation');
  const n = tickers.length;
  const s = checkCovariance(covariance.values, tickers);
  const rho = options.correlation ?? correlationOfCovariance(s, n);
  if (rho === null || typeof rho !== 'object' || rho.length !== n * n) {
    throw new ValidationError(`the correlation matrix must hold ${n * n} numbers (${n} x ${n}, row-major)`);
  }
  const distances = correlationDistance(rho, n);
  const tree = linkage(distances, options.linkage ?? defaultLinkage);
  return { tickers, n, covariance: s, tree, order: leavesList(tree), distances };
}

/**
 * The covariance and correlation for the `...FromReturns` variants: pairwise moments of the returns, with the
 * given covariance (checked to carry the same tickers in the same order) replacing the sample one.
 */
export function estimatesFromReturns(
  returns: DatedMatrix,
  options: HierarchicalReturnsOptions,
): { covariance: LabelledCovariance; correlation: Float64Array } {
  const moments = pairwiseMoments(returns, options);
  const given = options.covariance;
  if (given === undefined) {
    return { covariance: { tickers: moments.tickers, values: moments.covariance }, correlation: moments.correlation };
  }
  const same =
    given.tickers.length === moments.tickers.length && given.tickers.every((t, i) => t === moments.tickers[i]);
  if (!same) {
    throw new ValidationError(
      'the covariance given must have the tickers of the returns in the same order ' +
        `(${moments.tickers.slice(0, 5).join(', ')}${moments.tickers.length > 5 ? ', ...' : ''})`,
    );
  }
  return { covariance: given, correlation: moments.correlation };
}

/**
 * Variance of a cluster under inverse-variance weights (López de Prado 2016, getClusterVar): for the members
 * `order[start .. start + count - 1]`, `w_i = (1 / S_ii) / sum_j (1 / S_jj)` and the variance `w' S_cc w`
 * (annual, fractions squared). Writes the weights to `weights[start ..]` when given.
 */
export function clusterVariance(
  s: Float64Array,
  n: number,
  order: Int32Array,
  start: number,
  count: number,
  weights?: Float64Array,
): number {
  let total = 0;
  for (let p = start; p < start + count; p++) {
    const i = order[p] as number;
    total += 1 / (s[i * n + i] as number);
  }
  let variance = 0;
  for (let p = start; p < start + count; p++) {
    const i = order[p] as number;
    const wi = 1 / (s[i * n + i] as number) / total;
    if (weights !== undefined) weights[p] = wi;
    const row = i * n;
    let acc = 0;
    for (let q = start; q < start + count; q++) {
      const j = order[q] as number;
      acc += (s[row + j] as number) / (s[j * n + j] as number);
    }
    variance += (wi * acc) / total;
  }
  return variance;
}

/** ValidationError for a cluster whose variance is not positive (a covariance that is not PSD). */
export function nonPositiveCluster(tickers: readonly string[], order: Int32Array, start: number, count: number) {
  const names = Array.from(order.subarray(start, start + Math.min(count, 6)), (i) => tickers[i]).join(', ');
  return new ValidationError(
    `the cluster ${names}${count > 6 ? ', ...' : ''} has a non-positive variance under inverse-variance weights: ` +
      'the covariance is not positive semidefinite; use a repaired or shrinkage covariance estimate',
  );
}

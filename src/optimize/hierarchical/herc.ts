/**
 * Hierarchical equal risk contribution (Raffinot 2018, "The Hierarchical Equal Risk Contribution Portfolio", SSRN
 * 3237540), in the variant of Riskfolio-Lib's HERC with the variance as risk measure, long-only and fully invested:
 *
 * 1. tree: the condensed correlation distance `sqrt((1 - rho) / 2)` clustered with SciPy's `linkage` (Ward by
 *    default, as in the paper);
 * 2. clusters: the tree is cut into k clusters by undoing its last k - 1 merges (the k subtrees hanging below them;
 *    SciPy's `cut_tree` for a tree without tied heights). k is given, or chosen by the two-order difference of the
 *    within-cluster dispersion (the rule of Riskfolio-Lib's `two_diff_gap_stat`, after Yue, Wang & Wei 2008):
 *    with W_k the sum over the k clusters of the population standard deviation of the pairwise distances inside
 *    each cluster (a cluster of one asset adds nothing), k is the first maximiser of
 *    `W_{k+2} + W_k - 2 W_{k+1}` over k = 1 .. min(maxClusters, n - 2) (k = 1 when n <= 2);
 * 3. top-down allocation along the dendrogram: the risk of a cluster is its variance `w'S w` under inverse-variance
 *    weights inside it (naive risk parity for the variance), the risk of a node the sum of its clusters' risks; each
 *    of the last k - 1 merges splits its weight W into `alpha W` for its left child and `(1 - alpha) W` for its
 *    right child, `alpha = 1 - R_left / (R_left + R_right)`;
 * 4. within each cluster, its weight is shared by inverse variance (w_i proportional to 1 / S_ii).
 *
 * With k = 1 this is the inverse-variance portfolio; HERC does not depend on the order of the assets.
 */

import type { DatedMatrix } from '../../core/dated-matrix.js';
import { ValidationError } from '../../core/errors.js';
import { buildAllocation, expectedReturnsOf, type LabelledCovariance, riskFreeRateOf } from '../allocation-result.js';
import {
  clusterVariance,
  estimatesFromReturns,
  type HierarchicalOptions,
  type HierarchicalResult,
  type HierarchicalReturnsOptions,
  nonPositiveCluster,
  prepareTree,
} from './common.js';
import { type Linkage, nodeSpans } from './linkage.js';

/** Options of HERC. */
export interface HercOptions extends HierarchicalOptions {
  /** Number of clusters k, 1 <= k <= n; default chosen by the two-order difference gap rule (module comment). */
  readonly clusters?: number;
  /** Largest k the gap rule may choose; default 10. */
  readonly maxClusters?: number;
}

/** A HERC allocation. */
export interface HercResult extends HierarchicalResult {
  readonly method: 'herc';
  /** Number of clusters k. */
  readonly clusters: number;
  /** How k was set: given, or by the two-order difference gap rule. */
  readonly clusterSelection: 'given' | 'gap-statistic';
  /** Cluster of each asset (ticker order), numbered 0 .. k - 1 from left to right along the dendrogram. */
  readonly clusterOf: Int32Array;
}

/**
 * HERC weights for the annual covariance S (see the module comment): tree on the correlation distance
 * `sqrt((1 - rho) / 2)` (rho from `options.correlation`, else `S_ij / sqrt(S_ii S_jj)`), k clusters from the last
 * k - 1 merges, each merge's weight split by `alpha = 1 - R_left / (R_left + R_right)` with R the summed
 * inverse-variance cluster variances (annual), inverse-variance weights inside each cluster. Weights are fractions
 * of capital summing to 1; the result carries the tree, the order, the clusters, the volatility sqrt(w'Sw), the
 * risk contributions, and the expected return and Sharpe ratio (mu'w - rf) / sqrt(w'Sw) when expected returns are
 * given. Throws ValidationError for invalid input (covariance, correlation, k, linkage name).
 */
export function hierarchicalEqualRiskContribution(
  covariance: LabelledCovariance,
  options: HercOptions = {},
): HercResult {
  const prepared = prepareTree(covariance, options, 'ward');
  const { tickers, n, covariance: s, tree, order, distances } = prepared;
  const riskFreeRate = riskFreeRateOf(options);
  const expectedReturns = expectedReturnsOf(options, n);
  const maxClusters = options.maxClusters ?? 10;
  if (!Number.isInteger(maxClusters) || maxClusters < 1) {
    throw new ValidationError(`maxClusters must be a positive whole number, got ${String(maxClusters)}`);
  }
  let k: number;
  if (options.clusters === undefined) {
    k = gapClusters(tree, order, distances, maxClusters);
  } else {
    k = options.clusters;
    if (!Number.isInteger(k) || k < 1 || k > n) {
      throw new ValidationError(`the number of clusters must be a whole number from 1 to ${n}, got ${String(k)}`);
    }
  }
  const spans = nodeSpans(tree, order);
  const roots = clusterRoots(tree, k);
  // Risk of every node at or above the cut: cluster variances, summed up the tree (merges in index order).
  const risk = new Float64Array(2 * n - 1);
  const withinWeights = new Float64Array(n); // by position in the order
  for (const root of roots) {
    const start = spans.start[root] as number;
    const count = spans.count[root] as number;
    const v = clusterVariance(s, n, order, start, count, withinWeights);
    if (!(v > 0)) throw nonPositiveCluster(tickers, order, start, count);
    risk[root] = v;
  }
  const z = tree.merges;
  const firstCut = n - k; // merges firstCut .. n - 2 are undone by the cut
  for (let m = firstCut; m < n - 1; m++) {
    risk[n + m] = (risk[z[4 * m] as number] as number) + (risk[z[4 * m + 1] as number] as number);
  }
  const share = new Float64Array(2 * n - 1);
  share[k === 1 ? (roots[0] as number) : 2 * n - 2] = 1;
  for (let m = n - 2; m >= firstCut; m--) {
    const left = z[4 * m] as number;
    const right = z[4 * m + 1] as number;
    const rl = risk[left] as number;
    const rr = risk[right] as number;
    const alpha = 1 - rl / (rl + rr);
    const w = share[n + m] as number;
    share[left] = alpha * w;
    share[right] = (1 - alpha) * w;
  }
  const w = new Float64Array(n);
  const clusterOf = new Int32Array(n);
  const sortedRoots = [...roots].sort((a, b) => (spans.start[a] as number) - (spans.start[b] as number));
  sortedRoots.forEach((root, c) => {
    const start = spans.start[root] as number;
    const count = spans.count[root] as number;
    const weight = share[root] as number;
    for (let p = start; p < start + count; p++) {
      const i = order[p] as number;
      w[i] = weight * (withinWeights[p] as number);
      clusterOf[i] = c;
    }
  });
  const base = buildAllocation('herc', tickers, w, {
    covariance: s,
    riskFreeRate,
    ...(expectedReturns === undefined ? {} : { expectedReturns }),
  });
  return {
    ...base,
    method: 'herc',
    volatility: base.volatility as number,
    riskContributions: base.riskContributions as HercResult['riskContributions'],
    linkage: tree.method,
    tree,
    order,
    orderedTickers: Array.from(order, (i) => tickers[i] as string),
    clusters: k,
    clusterSelection: options.clusters === undefined ? 'gap-statistic' : 'given',
    clusterOf,
  };
}

/**
 * HERC from per-period returns: the tree on the pairwise Pearson correlation (each pair over its common dates), the
 * allocation on the annual pairwise sample covariance (or on `options.covariance` when given). Otherwise as
 * `hierarchicalEqualRiskContribution`; also throws DataError for returns that cannot be estimated from.
 */
export function hierarchicalEqualRiskContributionFromReturns(
  returns: DatedMatrix,
  options: Omit<HercOptions, 'correlation'> & HierarchicalReturnsOptions = {},
): HercResult {
  const { covariance, correlation } = estimatesFromReturns(returns, options);
  return hierarchicalEqualRiskContribution(covariance, { ...options, correlation });
}

/**
 * The k cluster roots of a cut that undoes the last k - 1 merges: the children of merges n - k .. n - 2 that were
 * formed before merge n - k (points, or clusters of earlier merges); the root itself when k = 1.
 */
export function clusterRoots(tree: Linkage, k: number): number[] {
  const n = tree.n;
  if (k === 1) return [n === 1 ? 0 : 2 * n - 2];
  const z = tree.merges;
  const limit = 2 * n - k; // ids below it exist after the cut
  const roots: number[] = [];
  for (let m = n - k; m < n - 1; m++) {
    for (const child of [z[4 * m] as number, z[4 * m + 1] as number]) if (child < limit) roots.push(child);
  }
  return roots;
}

/**
 * The two-order difference gap rule for the number of clusters (module comment): W_k = sum over the clusters of the
 * cut into k of the population standard deviation of their within-cluster distances, for k = 1 .. min(maxClusters,
 * n - 2) + 2, and the first k maximising `W_{k+2} + W_k - 2 W_{k+1}`; 1 when n <= 2. Going from k to k + 1
 * clusters undoes merge n - 1 - k, so W_{k+1} = W_k - std(that cluster) + std(its two children).
 */
export function gapClusters(tree: Linkage, order: Int32Array, distances: Float64Array, maxClusters: number): number {
  const n = tree.n;
  const last = Math.min(maxClusters, n - 2);
  if (last < 1) return 1;
  const spans = nodeSpans(tree, order);
  const z = tree.merges;
  const spread = (node: number): number =>
    withinStd(distances, n, order, spans.start[node] as number, spans.count[node] as number);
  const known = new Map<number, number>([[2 * n - 2, spread(2 * n - 2)]]);
  const dispersion = new Float64Array(last + 3); // dispersion[k] = W_k
  dispersion[1] = known.get(2 * n - 2) as number;
  for (let k = 1; k <= last + 1; k++) {
    const m = n - 1 - k;
    const left = z[4 * m] as number;
    const right = z[4 * m + 1] as number;
    const sl = spread(left);
    const sr = spread(right);
    known.set(left, sl);
    known.set(right, sr);
    dispersion[k + 1] = (dispersion[k] as number) - (known.get(n + m) as number) + sl + sr;
  }
  let best = 1;
  let bestGap = Number.NEGATIVE_INFINITY;
  for (let k = 1; k <= last; k++) {
    const gap = (dispersion[k + 2] as number) + (dispersion[k] as number) - 2 * (dispersion[k + 1] as number);
    if (gap > bestGap) {
      bestGap = gap;
      best = k;
    }
  }
  return best;
}

/**
 * Population standard deviation of the distances between the members `order[start .. start + count - 1]` of a
 * cluster (two passes: mean, then mean squared deviation); 0 for fewer than 2 members.
 */
function withinStd(distances: Float64Array, n: number, order: Int32Array, start: number, count: number): number {
  if (count < 2) return 0;
  const end = start + count;
  let sum = 0;
  for (let p = start; p < end; p++) {
    const i = order[p] as number;
    for (let q = p + 1; q < end; q++) {
      const j = order[q] as number;
      const a = i < j ? i : j;
      const b = i < j ? j : i;
      sum += distances[n * a - ((a * (a + 1)) >> 1) + b - a - 1] as number;
    }
  }
  const pairs = (count * (count - 1)) / 2;
  const mean = sum / pairs;
  let sq = 0;
  for (let p = start; p < end; p++) {
    const i = order[p] as number;
    for (let q = p + 1; q < end; q++) {
      const j = order[q] as number;
      const a = i < j ? i : j;
      const b = i < j ? j : i;
      const e = (distances[n * a - ((a * (a + 1)) >> 1) + b - a - 1] as number) - mean;
      sq += e * e;
    }
  }
  return Math.sqrt(sq / pairs);
}

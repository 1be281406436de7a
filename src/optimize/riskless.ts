/**
 * Zero-variance portfolios of a singular covariance. When S is singular, some feasible w may have w'Sw = 0 (to
 * rounding); if one of them also earns more than the risk-free hurdle rf b, the Sharpe ratio (mu'w - rf b) /
 * sqrt(w'Sw) has no maximum (it grows without bound towards that portfolio), whatever the weight bounds.
 */

import { InfeasibleError } from '../core/errors.js';
import { symmetricEigen } from '../core/linalg/eigen.js';
import { fmt } from './format.js';
import type { NormalizedProblem } from './problem.js';
import { PSD_ROUNDING } from './psd.js';
import { hasLeverageRow, linearRows } from './rows.js';
import { solveSegmentLp } from './solvers/segment-lp.js';

/**
 * The largest expected return mu'w (annual) of a feasible portfolio without risk, w'Sw = 0, or undefined when no
 * feasible portfolio is riskless. "Riskless" means w lies in the span of the eigenvectors of S whose eigenvalues are
 * at most PSD_ROUNDING * N eps lambda_max (the rounding level the positive-semidefiniteness check accepts as zero,
 * psd.ts): a linear program maximising mu'w under the problem's constraints with w orthogonal to every other
 * eigenvector. O(N^3) (the eigendecomposition) plus a small LP; called only for a singular covariance.
 */
export function risklessMaxReturn(p: NormalizedProblem): number | undefined {
  const { n } = p;
  const { values, vectors } = symmetricEigen(p.cov, n);
  const top = Math.max(values[n - 1] as number, 0);
  const zero = PSD_ROUNDING * n * Number.EPSILON * top;
  const risky: number[] = [];
  for (let k = 0; k < n; k++) if ((values[k] as number) > zero) risky.push(k);
  if (risky.length === n) return undefined;
  const base = linearRows(p, false, false);
  const m = base.m + risky.length;
  const A = new Float64Array(m * n);
  A.set(base.A.subarray(0, base.m * n));
  risky.forEach((k, r) => {
    A.set(vectors.subarray(k * n, (k + 1) * n), (base.m + r) * n);
  });
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  lower.set(base.lower);
  upper.set(base.upper);
  const cost = new Float64Array(n);
  for (let i = 0; i < n; i++) cost[i] = -(p.mu[i] as number);
  const lp = solveSegmentLp(
    n,
    cost,
    p.lower,
    p.upper,
    { m, A, lower, upper },
    {
      center: p.currentWeights,
      maxTurnover: p.maxTurnover,
      maxLeverage: hasLeverageRow(p) ? p.maxLeverage : undefined,
    },
  );
  if (lp.status === 'infeasible') return undefined;
  if (lp.status === 'unbounded') return Number.POSITIVE_INFINITY;
  return -lp.objective;
}

/**
 * Throws InfeasibleError when the maximum Sharpe ratio is unbounded because the covariance is singular and a
 * riskless feasible portfolio beats the risk-free hurdle rf b (by more than 1e-10 relative to the returns). Without
 * transaction costs only (with costs the excess would be net of them, which this linear program does not model).
 */
export function assertSharpeBounded(p: NormalizedProblem): void {
  if (p.transactionCost > 0 || p.l2 > 0) return;
  const best = risklessMaxReturn(p);
  if (best === undefined) return;
  const hurdle = p.riskFreeRate * p.budget;
  let scale = Math.abs(hurdle);
  for (let i = 0; i < p.n; i++) scale = Math.max(scale, Math.abs(p.mu[i] as number));
  if (!(best - hurdle > 1e-10 * Math.max(scale, 1e-300))) return;
  throw new InfeasibleError(
    `the maximum Sharpe ratio is unbounded: the covariance is singular and a riskless combination of the assets ` +
      `(zero variance) within the constraints earns ${Number.isFinite(best) ? fmt(best) : 'an unbounded return'}, ` +
      `above the risk-free hurdle ${fmt(hurdle)}, so the Sharpe ratio grows without limit: estimate the covariance ` +
      'on a longer window (more returns than assets), use a shrinkage risk model such as ledoit-wolf, or long-only ' +
      'bounds',
  );
}

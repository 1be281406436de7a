/**
 * Positive-semidefiniteness check of a covariance matrix, by the semidefinite-tolerant Cholesky factorisation of
 * core/linalg (blocked, WebAssembly SIMD where available), which tolerates (and reports) exact singularity.
 */

import { ValidationError } from '../core/errors.js';
import { semidefiniteCholesky } from '../core/linalg/cholesky.js';

/** How thoroughly to check the covariance: 'full' (Cholesky, O(N^3)) or 'fast' (O(N^2) necessary conditions). */
export type CovarianceCheck = 'full' | 'fast';

/**
 * Checks that the symmetric N x N row-major matrix `s` is positive semidefinite.
 *
 * 'full': factorises S = L L' (`semidefiniteCholesky` of core/linalg, O(N^3), blocked, WebAssembly SIMD where
 * available). With rel = max(1e-11, 16 N eps) and tol_j = rel * S_jj, a pivot d_j = S_jj - sum_k L_jk^2 below -tol_j
 * proves a negative eigenvalue (ValidationError naming asset j); |d_j| <= tol_j marks asset j as a linear
 * combination of the earlier ones (the matrix is singular: result 'singular'), which is accepted only if the rest of
 * column j vanishes too, every residual S_ij - sum_k L_ik L_jk within 8 sqrt(rel S_jj S_ii) (else ValidationError
 * naming asset j and the asset i it still covaries with). Otherwise 'definite'. Of several failures, the one a
 * row-by-row factorisation meets first is reported.
 *
 * 'fast': checks |S_ij| <= sqrt(S_ii S_jj) (every 2 x 2 principal minor non-negative) and returns 'unchecked'.
 */
export function checkPositiveSemidefinite(
  s: Float64Array,
  n: number,
  tickers: readonly string[],
  mode: CovarianceCheck,
): 'definite' | 'singular' | 'unchecked' {
  if (mode === 'fast') {
    for (let i = 0; i < n; i++) {
      const sii = s[i * n + i] as number;
      for (let j = 0; j < i; j++) {
        const sij = s[i * n + j] as number;
        const sjj = s[j * n + j] as number;
        if (sij * sij > sii * sjj * (1 + 1e-10) + 1e-300) {
          throw new ValidationError(
            `the covariance is not positive semidefinite: |cov(${tickers[i]}, ${tickers[j]})| = ${Math.abs(sij)} exceeds ` +
              `the product of their volatilities ${Math.sqrt(sii * sjj)} (a correlation above 1)`,
          );
        }
      }
    }
    return 'unchecked';
  }
  const outcome = semidefiniteCholesky(s, n, { tolerance: Math.max(1e-11, 16 * n * Number.EPSILON) });
  switch (outcome.status) {
    case 'negative-pivot':
      throw new ValidationError(
        `the covariance is not positive semidefinite: its Cholesky factorisation fails at ${tickers[outcome.index]} (pivot ${outcome.pivot.toExponential(3)} ` +
          `against variance ${outcome.diagonal.toExponential(3)}), so some portfolio would have negative variance; estimate it from ` +
          'complete data or use a shrinkage estimator',
      );
    case 'dependent-residual':
      throw new ValidationError(
        `the covariance is not positive semidefinite: ${tickers[outcome.column]} is a combination of earlier assets yet still ` +
          `covaries with ${tickers[outcome.row]} (residual ${outcome.residual.toExponential(3)}); estimate it from complete data or use a ` +
          'shrinkage estimator',
      );
    default:
      return outcome.status;
  }
}

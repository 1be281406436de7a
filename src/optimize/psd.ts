/**
 * Positive-semidefiniteness check of a covariance matrix, by the semidefinite-tolerant Cholesky factorisation of
 * core/linalg (blocked, WebAssembly SIMD where available), which tolerates (and reports) exact singularity.
 */

import { ValidationError } from '../core/errors.js';
import { semidefiniteCholesky } from '../core/linalg/cholesky.js';

/**
 * The constant c of the absolute pivot tolerance c N eps max_i S_ii of the 'full' check: an allowance for the factor
 * (r + 1)(1 + ||W||_2)^2 / N of Higham's error bound (see `checkPositiveSemidefinite`).
 */
export const PSD_ROUNDING = 2 ** 16;

/** How thoroughly to check the covariance: 'full' (Cholesky, O(N^3)) or 'fast' (O(N^2) necessary conditions). */
export type CovarianceCheck = 'full' | 'fast';

/**
 * Checks that the symmetric N x N row-major matrix `s` is positive semidefinite.
 *
 * 'full': factorises S = L L' (`semidefiniteCholesky` of core/linalg, O(N^3), blocked, WebAssembly SIMD where
 * available). With rel = max(1e-11, 16 N eps) and tol_j = max(rel * S_jj, PSD_ROUNDING * N eps max_i S_ii), a pivot
 * d_j = S_jj - sum_k L_jk^2 below -tol_j proves a negative eigenvalue (ValidationError naming asset j); |d_j| <= tol_j
 * marks asset j as a linear combination of the earlier ones (the matrix is singular: result 'singular'), which is
 * accepted only if the rest of column j vanishes too, every residual S_ij - sum_k L_ik L_jk within
 * 8 sqrt(tol_j S_ii) (else ValidationError naming asset j and the asset i it still covaries with). Otherwise
 * 'definite'. Of several failures, the one a row-by-row factorisation meets first is reported.
 *
 * Why the absolute part: for a positive semidefinite S of rank r, the computed Schur complements of Cholesky err by
 * up to about 2 (r + 1) u ||S||_2 (1 + ||W||_2)^2 (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed.,
 * Thm. 10.14; u = eps / 2, W = S11^-1 S12 of the leading r x r block), and the same holds for the rounding in the
 * estimate itself (a Gram matrix is PSD only up to errors of order T u sqrt(S_ii S_jj)). The error thus scales with
 * ||S||_2 <= N max_i S_ii, not with the pivot's own S_jj: a pivot of an asset whose variance is small next to the
 * others can come out at -8e-13 against a variance of 5e-3 although S is PSD exactly (a semicovariance of 28 assets
 * over 30 returns). With r + 1 <= N the bound is N eps max_i S_ii times N (1 + ||W||_2)^2; PSD_ROUNDING = 2^16 allows
 * that factor up to 65536 (||W||_2 up to about 47 at N = 28), while a genuine negative eigenvalue of -1e-6 relative
 * stays rejected up to N of about 70,000 (tol / max S_ii = 2^16 N eps).
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
  let maxDiagonal = 0;
  for (let i = 0; i < n; i++) maxDiagonal = Math.max(maxDiagonal, s[i * n + i] as number);
  const outcome = semidefiniteCholesky(s, n, {
    tolerance: Math.max(1e-11, 16 * n * Number.EPSILON),
    absoluteTolerance: PSD_ROUNDING * n * Number.EPSILON * maxDiagonal,
  });
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

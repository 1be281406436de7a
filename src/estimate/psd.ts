/**
 * Positive semidefinite repair by spectral clipping: the covariance of each pair over its own common dates (assets
 * with different histories) need not be a valid covariance matrix, and an optimizer needs one.
 */

import { tryCholesky } from '../core/linalg/cholesky.js';
import { symmetricEigen } from '../core/linalg/eigen.js';
import { addOuterProduct, symmetrize } from '../core/linalg/symmetric.js';
import type { CovarianceMatrix } from './types.js';

/** Outcome of `clipToPsd`. */
export interface PsdRepair {
  /** The matrix: the input itself (same array) when it was positive semidefinite, else a repaired copy. */
  readonly values: Float64Array;
  /** True when eigenvalues were clipped. */
  readonly repaired: boolean;
  /** Smallest eigenvalue of the input, or undefined when a Cholesky factorisation proved it positive definite. */
  readonly minEigenvalue: number | undefined;
  /** Number of negative eigenvalues that were clipped to 0. */
  readonly clipped: number;
  /** Largest eigenvalue of the input, or undefined when the eigenvalues were not computed. */
  readonly maxEigenvalue: number | undefined;
}

/**
 * Spectral PSD repair (Higham 1988, "Computing a nearest symmetric positive semidefinite matrix": the nearest PSD
 * matrix in the Frobenius norm), in the units of the input (e.g. annual covariance):
 *
 *   A = V diag(lambda) V'  ->  A+ = V diag(max(lambda, 0)) V',  symmetrised.
 *
 * First a Cholesky factorisation is tried; when it succeeds A is positive definite and returned unchanged. Otherwise
 * the eigenvalues are computed; when the smallest is >= -n * 2^-52 * max|lambda| (a positive semidefinite matrix
 * up to rounding, such as a singular Gram matrix) A is also returned unchanged, else every negative eigenvalue is set
 * to 0. The repaired matrix is formed as `A - sum_{lambda_k < 0} lambda_k v_k v_k'` (or `sum_{lambda_k > 0} lambda_k
 * v_k v_k'` when fewer eigenvalues are positive), equal to V diag(max(lambda, 0)) V'. Reads the upper triangle of A.
 */
export function clipToPsd(a: Float64Array, n: number): PsdRepair {
  if (tryCholesky(a, n) !== undefined) {
    return { values: a, repaired: false, minEigenvalue: undefined, maxEigenvalue: undefined, clipped: 0 };
  }
  const { values: lambda, vectors } = symmetricEigen(a, n);
  const min = n === 0 ? 0 : (lambda[0] as number);
  const max = n === 0 ? 0 : (lambda[n - 1] as number);
  if (min >= -n * 2 ** -52 * Math.max(Math.abs(min), Math.abs(max))) {
    return { values: a, repaired: false, minEigenvalue: min, maxEigenvalue: max, clipped: 0 };
  }
  let negatives = 0;
  while (negatives < n && (lambda[negatives] as number) < 0) negatives++;
  let out: Float64Array;
  if (negatives <= n - negatives) {
    out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) out[i * n + j] = a[i * n + j] as number;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[j * n + i] = out[i * n + j] as number;
    for (let k = 0; k < negatives; k++) addOuterProduct(out, n, -(lambda[k] as number), vectors, k * n);
  } else {
    out = new Float64Array(n * n);
    for (let k = negatives; k < n; k++) addOuterProduct(out, n, lambda[k] as number, vectors, k * n);
  }
  return { values: symmetrize(out, n), repaired: true, minEigenvalue: min, maxEigenvalue: max, clipped: negatives };
}

/**
 * The covariance matrix made positive semidefinite by `clipToPsd` (spectral clipping of negative eigenvalues to 0),
 * same units (annual). When a repair happens, a warning saying so and giving the most negative eigenvalue is appended
 * to `warnings`; otherwise the input is returned as it is.
 */
export function repairPsd<C extends CovarianceMatrix>(cov: C): C {
  const n = cov.tickers.length;
  const r = clipToPsd(cov.values, n);
  if (!r.repaired) return cov;
  return { ...cov, values: r.values, warnings: [...cov.warnings, psdWarning(r, n)] };
}

/** The warning text of a repair (eigenvalues to 4 significant digits). */
function psdWarning(r: PsdRepair, n: number): string {
  const fmt = (x: number | undefined) => String(Number((x ?? Number.NaN).toPrecision(4)));
  return (
    `the covariance matrix was not positive semidefinite (most negative eigenvalue ${fmt(r.minEigenvalue)}, ` +
    `largest ${fmt(r.maxEigenvalue)}; ${r.clipped} of ${n} eigenvalues below 0); the negative eigenvalues were ` +
    'clipped to 0 (spectral repair)'
  );
}

/**
 * Cholesky factorisation of a symmetric positive definite matrix (strict) or positive semidefinite one (tolerant,
 * reporting dependent columns), and solves with the factor. One blocked implementation serves both: see
 * cholesky-blocked.ts.
 */

import { DataError, ValidationError } from '../errors.js';
import { checkSquare } from './checks.js';
import { factorBlocked } from './cholesky-blocked.js';
import { type CholeskyKernels, scalarKernels } from './cholesky-kernels.js';
import { simdKernels } from './cholesky-simd.js';
import { solveLower, solveUpperTransposed } from './triangular.js';

/** The matrix handed to `cholesky` is not positive definite: `pivot` (0-based) is where the factorisation broke down. */
export class NotPositiveDefiniteError extends DataError {
  /** 0-based row at which the factorisation failed. */
  readonly pivot: number;
  /** The value that should have been positive: `a[k][k] - sum_{j<k} L[k][j]^2` (NaN when the input held a NaN). */
  readonly value: number;
  constructor(pivot: number, value: number, size: number) {
    super(
      `the ${size} x ${size} matrix is not positive definite: the Cholesky factorisation failed at row ${pivot + 1}, ` +
        `where the remaining diagonal value is ${value} (it must be > 0); repair it (e.g. clip its negative ` +
        'eigenvalues) or add a small ridge to the diagonal',
    );
    this.pivot = pivot;
    this.value = value;
  }
}

/** Options of the Cholesky factorisations. */
export interface CholeskyOptions {
  /**
   * Use the WebAssembly SIMD kernels when the runtime supports them (default true); false forces the scalar
   * JavaScript kernels. Both accumulate every entry in the same order, so they agree to the last bit or so.
   */
  readonly simd?: boolean;
}

/**
 * The lower-triangular Cholesky factor L of a symmetric positive definite n x n row-major matrix A: `A = L L'`,
 * `L[j][j] = sqrt(A[j][j] - sum_{k<j} L[j][k]^2)`, `L[i][j] = (A[i][j] - sum_{k<j} L[i][k] L[j][k]) / L[j][j]`.
 * Reads only the lower triangle of A (and its diagonal); returns L as a new n x n row-major array with zeros above
 * the diagonal. Blocked (cholesky-blocked.ts): about n^3/3 flops, most of them in WebAssembly SIMD 4 x 4 tiles when
 * available (`options.simd`), else in scalar JavaScript; each sum is subtracted 32 terms at a time (panel by panel),
 * so its rounding differs from a plain left-to-right sum, within the same error bound.
 * Throws NotPositiveDefiniteError (a DataError) naming the first row whose diagonal value was not positive (or NaN).
 */
export function cholesky(a: Float64Array, n: number, options: CholeskyOptions = {}): Float64Array {
  checkSquare(a, n, 'cholesky');
  const l = new Float64Array(n * n);
  const outcome = factorBlocked(a, n, undefined, l, kernelsFor(options));
  if (outcome.kind === 'pivot') throw new NotPositiveDefiniteError(outcome.index, outcome.value, n);
  return l;
}

/** The Cholesky factor of A as `cholesky` computes it, or undefined when A is not positive definite. */
export function tryCholesky(a: Float64Array, n: number, options: CholeskyOptions = {}): Float64Array | undefined {
  checkSquare(a, n, 'cholesky');
  const l = new Float64Array(n * n);
  return factorBlocked(a, n, undefined, l, kernelsFor(options)).kind === 'factored' ? l : undefined;
}

/** Options of `semidefiniteCholesky`. */
export interface SemidefiniteCholeskyOptions extends CholeskyOptions {
  /**
   * The relative pivot tolerance `rel` (default `max(1e-11, 16 n eps)`): a pivot within `rel * A[j][j]` of zero
   * marks a dependent column, one below `-rel * A[j][j]` a negative eigenvalue.
   */
  readonly tolerance?: number;
  /**
   * An absolute floor of the pivot tolerance (default 0): tol_j = max(rel * A[j][j], absoluteTolerance). A scale-aware
   * check passes a multiple of `n eps max_i A[i][i]` here (see optimize/psd.ts), since the rounding errors of the
   * Schur complements scale with the norm of A, not with the diagonal entry of the pivot's own row.
   */
  readonly absoluteTolerance?: number;
  /** Also return the factor L (default false: only the verdict, which saves writing n^2 / 2 values). */
  readonly factor?: boolean;
}

/** What `semidefiniteCholesky` found; indices are 0-based rows / columns of A. */
export type SemidefiniteCholesky =
  /**
   * A is positive semidefinite (to the tolerance): 'definite' when no pivot was zero, 'singular' when the columns
   * in `dependent` (ascending) are linear combinations of earlier ones. `factor` is L (zero columns where dependent)
   * when it was asked for.
   */
  | {
      readonly status: 'definite' | 'singular';
      readonly dependent: readonly number[];
      readonly factor: Float64Array | undefined;
    }
  /** A has a negative eigenvalue: the pivot of row `index` is `pivot` < -tol (see `semidefiniteCholesky`); `diagonal` = A[index][index]. */
  | { readonly status: 'negative-pivot'; readonly index: number; readonly pivot: number; readonly diagonal: number }
  /**
   * A is not positive semidefinite: column `column` had a zero pivot (it is a combination of the earlier columns),
   * yet row `row` keeps a residual `residual` = A[row][column] - sum_{k<column} L[row][k] L[column][k] above
   * 8 sqrt(tol_column A[row][row]).
   */
  | { readonly status: 'dependent-residual'; readonly column: number; readonly row: number; readonly residual: number };

/**
 * The semidefinite-tolerant Cholesky factorisation `A = L L'` of a symmetric n x n row-major matrix (reading its
 * lower triangle and diagonal), which proves A positive semidefinite or finds why it is not. Each pivot
 * `d_j = A[j][j] - sum_{k<j} L[j][k]^2` is compared with `tol_j = max(rel * A[j][j], absoluteTolerance)`:
 * `d_j < -tol_j` proves a negative eigenvalue ('negative-pivot'); `|d_j| <= tol_j` marks column j as dependent
 * (L[.][j] = 0), accepted only if every residual below it, `r_ij = A[i][j] - sum_{k<j} L[i][k] L[j][k]`, satisfies
 * `|r_ij| <= 8 sqrt(tol_j A[i][i])`
 * ('dependent-residual' otherwise); else `L[j][j] = sqrt(d_j)`. A NaN pivot or residual passes these tests (NaN
 * propagates into L). The failure reported is the first a row-by-row factorisation meets (lowest row; within it, a
 * dependent column's residual before the row's own pivot). Same blocked kernels and cost as `cholesky`.
 */
export function semidefiniteCholesky(
  a: Float64Array,
  n: number,
  options: SemidefiniteCholeskyOptions = {},
): SemidefiniteCholesky {
  checkSquare(a, n, 'semidefiniteCholesky');
  const rel = options.tolerance ?? Math.max(1e-11, 16 * n * Number.EPSILON);
  if (!(rel >= 0)) throw new ValidationError(`semidefiniteCholesky: the tolerance must be >= 0, got ${rel}`);
  const floor = options.absoluteTolerance ?? 0;
  if (!(floor >= 0)) {
    throw new ValidationError(`semidefiniteCholesky: the absolute tolerance must be >= 0, got ${floor}`);
  }
  const factor = options.factor === true ? new Float64Array(n * n) : undefined;
  const outcome = factorBlocked(a, n, rel, factor, kernelsFor(options), floor);
  switch (outcome.kind) {
    case 'pivot':
      return {
        status: 'negative-pivot',
        index: outcome.index,
        pivot: outcome.value,
        diagonal: a[outcome.index * n + outcome.index] as number,
      };
    case 'residual':
      return { status: 'dependent-residual', column: outcome.column, row: outcome.row, residual: outcome.residual };
    default:
      return {
        status: outcome.dependent.length > 0 ? 'singular' : 'definite',
        dependent: outcome.dependent,
        factor,
      };
  }
}

/** The kernels `options` asks for: SIMD unless `simd: false` or unavailable, then scalar. */
function kernelsFor(options: CholeskyOptions): CholeskyKernels {
  return (options.simd === false ? undefined : simdKernels()) ?? scalarKernels;
}

/**
 * Solves `A x = b` given the Cholesky factor L of A (`A = L L'`): forward substitution `L y = b`, then back
 * substitution `L' x = y`. Returns x as a new array; b is not changed.
 */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveUpperTransposed(l, n, solveLower(l, n, b));
}

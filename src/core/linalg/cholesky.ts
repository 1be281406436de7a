/**
 * Cholesky factorisation of a symmetric positive definite matrix, and solves with the factor.
 */

import { DataError } from '../errors.js';
import { checkSquare } from './checks.js';
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

/**
 * The lower-triangular Cholesky factor L of a symmetric positive definite n x n row-major matrix A: `A = L L'`,
 * `L[i][j] = (A[i][j] - sum_{k<j} L[i][k] L[j][k]) / L[j][j]`, `L[j][j] = sqrt(A[j][j] - sum_{k<j} L[j][k]^2)`.
 * Reads only the lower triangle of A (and its diagonal); returns L as an n x n row-major array with zeros above the
 * diagonal. About n^3/3 flops, every inner loop a contiguous dot product of two rows.
 * Throws NotPositiveDefiniteError (a DataError) naming the row where a diagonal value was not positive.
 */
export function cholesky(a: Float64Array, n: number): Float64Array {
  checkSquare(a, n, 'cholesky');
  const l = new Float64Array(a);
  const failed = factorInPlace(l, n);
  if (failed >= 0) throw new NotPositiveDefiniteError(failed, pivotValue(a, l, n, failed), n);
  return l;
}

/** The Cholesky factor of A as `cholesky` computes it, or undefined when A is not positive definite. */
export function tryCholesky(a: Float64Array, n: number): Float64Array | undefined {
  checkSquare(a, n, 'cholesky');
  const l = new Float64Array(a);
  return factorInPlace(l, n) >= 0 ? undefined : l;
}

/**
 * Solves `A x = b` given the Cholesky factor L of A (`A = L L'`): forward substitution `L y = b`, then back
 * substitution `L' x = y`. Returns x as a new array; b is not changed.
 */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveUpperTransposed(l, n, solveLower(l, n, b));
}

/**
 * Row-oriented (Cholesky-Crout) factorisation in place, two rows at a time: rows i and i+1 are formed together
 * against rows j and j+1 of L, so each value loaded feeds two multiply-adds (a 2 x 2 register tile).
 * On return the lower triangle holds L and the upper is zero. Returns -1 on success, else the 0-based row whose
 * diagonal value was not positive (or was NaN).
 */
function factorInPlace(l: Float64Array, n: number): number {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const q0 = j * n;
      const q1 = q0 + n;
      let a00 = 0;
      let a01 = 0;
      let a10 = 0;
      let a11 = 0;
      for (let k = 0; k < j; k++) {
        const x0 = l[r0 + k] as number;
        const x1 = l[r1 + k] as number;
        const y0 = l[q0 + k] as number;
        const y1 = l[q1 + k] as number;
        a00 += x0 * y0;
        a01 += x0 * y1;
        a10 += x1 * y0;
        a11 += x1 * y1;
      }
      const ljj = l[q0 + j] as number;
      const v00 = ((l[r0 + j] as number) - a00) / ljj;
      const v10 = ((l[r1 + j] as number) - a10) / ljj;
      l[r0 + j] = v00;
      l[r1 + j] = v10;
      const lj1j = l[q1 + j] as number;
      const lj1j1 = l[q1 + j + 1] as number;
      l[r0 + j + 1] = ((l[r0 + j + 1] as number) - a01 - v00 * lj1j) / lj1j1;
      l[r1 + j + 1] = ((l[r1 + j + 1] as number) - a11 - v10 * lj1j) / lj1j1;
    }
    if (j < i) {
      const q0 = j * n;
      const ljj = l[q0 + j] as number;
      l[r0 + j] = ((l[r0 + j] as number) - dot(l, r0, q0, j)) / ljj;
      l[r1 + j] = ((l[r1 + j] as number) - dot(l, r1, q0, j)) / ljj;
    }
    let s00 = 0;
    let s10 = 0;
    let s11 = 0;
    for (let k = 0; k < i; k++) {
      const x0 = l[r0 + k] as number;
      const x1 = l[r1 + k] as number;
      s00 += x0 * x0;
      s10 += x1 * x0;
      s11 += x1 * x1;
    }
    const d0 = (l[r0 + i] as number) - s00;
    if (!(d0 > 0)) return i;
    const lii = Math.sqrt(d0);
    l[r0 + i] = lii;
    const v = ((l[r1 + i] as number) - s10) / lii;
    l[r1 + i] = v;
    const d1 = (l[r1 + i + 1] as number) - s11 - v * v;
    if (!(d1 > 0)) return i + 1;
    l[r1 + i + 1] = Math.sqrt(d1);
    l.fill(0, r0 + i + 1, r0 + n);
    l.fill(0, r1 + i + 2, r1 + n);
  }
  if (i < n) {
    // The last row when n is odd.
    const rowI = i * n;
    for (let j = 0; j < i; j++) {
      const rowJ = j * n;
      l[rowI + j] = ((l[rowI + j] as number) - dot(l, rowI, rowJ, j)) / (l[rowJ + j] as number);
    }
    const s = (l[rowI + i] as number) - dot(l, rowI, rowI, i);
    if (!(s > 0)) return i;
    l[rowI + i] = Math.sqrt(s);
  }
  return -1;
}

/** sum_{k<len} l[a+k] l[b+k] with four partial sums (keeps the adder busy; the order of rounding differs slightly). */
function dot(l: Float64Array, a: number, b: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += (l[a + k] as number) * (l[b + k] as number);
    s1 += (l[a + k + 1] as number) * (l[b + k + 1] as number);
    s2 += (l[a + k + 2] as number) * (l[b + k + 2] as number);
    s3 += (l[a + k + 3] as number) * (l[b + k + 3] as number);
  }
  for (; k < len; k++) s0 += (l[a + k] as number) * (l[b + k] as number);
  return s0 + s1 + (s2 + s3);
}

/** The failing pivot's value, recomputed from A and the row of L formed before the failure (for the message). */
function pivotValue(a: Float64Array, l: Float64Array, n: number, i: number): number {
  return (a[i * n + i] as number) - dot(l, i * n, i * n, i);
}

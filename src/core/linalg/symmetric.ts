/**
 * Helpers for symmetric n x n matrices stored row-major in a Float64Array.
 */

import { checkLength, checkSquare } from './checks.js';

/** Makes a exactly symmetric in place: `a[i][j] = a[j][i] = (a[i][j] + a[j][i]) / 2`. Returns a. */
export function symmetrize(a: Float64Array, n: number): Float64Array {
  checkSquare(a, n, 'symmetrize');
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = ((a[i * n + j] as number) + (a[j * n + i] as number)) / 2;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** Copies the upper triangle onto the lower one in place (`a[j][i] = a[i][j]` for i < j). Returns a. */
export function mirrorUpper(a: Float64Array, n: number): Float64Array {
  checkSquare(a, n, 'mirrorUpper');
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[j * n + i] = a[i * n + j] as number;
  return a;
}

/** The product `y = A x` of an n x n row-major matrix and a vector (`y[i] = sum_j A[i][j] x[j]`), as a new array. */
export function matVec(a: Float64Array, n: number, x: ArrayLike<number>): Float64Array {
  checkSquare(a, n, 'matVec');
  checkLength(x, n, 'matVec');
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += (a[row + j] as number) * (x[j] as number);
    y[i] = s;
  }
  return y;
}

/** The quadratic form `x' A x = sum_ij x[i] A[i][j] x[j]` of an n x n row-major matrix. */
export function quadraticForm(a: Float64Array, n: number, x: ArrayLike<number>): number {
  const y = matVec(a, n, x);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] as number) * (y[i] as number);
  return s;
}

/**
 * Adds `alpha v v'` to the symmetric n x n row-major matrix a in place (`a[i][j] += alpha v[i] v[j]`, both
 * triangles), where v is `n` values of `source` starting at `offset`. Returns a.
 */
export function addOuterProduct(
  a: Float64Array,
  n: number,
  alpha: number,
  source: Float64Array,
  offset = 0,
): Float64Array {
  checkSquare(a, n, 'addOuterProduct');
  for (let i = 0; i < n; i++) {
    const vi = alpha * (source[offset + i] as number);
    const row = i * n;
    for (let j = i; j < n; j++) a[row + j] = (a[row + j] as number) + vi * (source[offset + j] as number);
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[j * n + i] = a[i * n + j] as number;
  return a;
}

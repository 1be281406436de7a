/**
 * Triangular solves with a lower-triangular row-major matrix and with its transpose.
 */

import { checkLength, checkSquare } from './checks.js';

/**
 * Solves `L y = b` by forward substitution for a lower-triangular n x n row-major L with a non-zero diagonal:
 * `y[i] = (b[i] - sum_{k<i} L[i][k] y[k]) / L[i][i]`. Reads only the lower triangle. Returns a new array.
 */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  checkSquare(l, n, 'solveLower');
  checkLength(b, n, 'solveLower');
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[row + k] as number) * (y[k] as number);
    y[i] = s / (l[row + i] as number);
  }
  return y;
}

/**
 * Solves `L' x = y` by back substitution for a lower-triangular n x n row-major L with a non-zero diagonal:
 * `x[i] = (y[i] - sum_{k>i} L[k][i] x[k]) / L[i][i]`, computed row by row of L (column-oriented on L') so that
 * memory is read contiguously. Reads only the lower triangle. Returns a new array.
 */
export function solveUpperTransposed(l: Float64Array, n: number, y: ArrayLike<number>): Float64Array {
  checkSquare(l, n, 'solveUpperTransposed');
  checkLength(y, n, 'solveUpperTransposed');
  const x = Float64Array.from(y);
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    const xi = (x[i] as number) / (l[row + i] as number);
    x[i] = xi;
    for (let k = 0; k < i; k++) x[k] = (x[k] as number) - (l[row + k] as number) * xi;
  }
  return x;
}

/**
 * The blocked right-looking Cholesky factorisation behind `cholesky`, `tryCholesky` and `semidefiniteCholesky`
 * (cholesky.ts), strict or semidefinite-tolerant, on the kernels of cholesky-kernels.ts (scalar JavaScript) or
 * cholesky-simd.ts (WebAssembly SIMD).
 */

import { type CholeskyKernels, scalarKernels } from './cholesky-kernels.js';

/** What `factorBlocked` found. Indices are 0-based rows / columns of A. */
export type BlockedOutcome =
  /** A = L L' with the columns in `dependent` (zero pivots, tolerant mode only) set to zero. */
  | { readonly kind: 'factored'; readonly dependent: readonly number[] }
  /**
   * The pivot `value` = A[index][index] - sum_{k<index} L[index][k]^2 was not > 0 (strict mode; NaN included) or
   * was below -tolerance * A[index][index] (tolerant mode).
   */
  | { readonly kind: 'pivot'; readonly index: number; readonly value: number }
  /**
   * Tolerant mode: column `column` had a zero pivot, but the residual A[row][column] - sum_{k<column} L[row][k]
   * L[column][k] exceeded 8 sqrt(tolerance A[column][column] A[row][row]).
   */
  | { readonly kind: 'residual'; readonly column: number; readonly row: number; readonly residual: number };

/** Columns per panel: deep enough that a 4 x 4 tile's loads and stores of W are a small part of its work. */
export const BLOCK = 32;

/** Groups of rows per call of the trailing update (see `factorBlocked`). */
const SYRK_BAND = 16;

/**
 * Factorises the symmetric n x n row-major matrix A (reading its lower triangle and diagonal only) as A = L L', in
 * panels of BLOCK columns: the panel's columns are formed left to right (`kernels.column`: each column's dot products
 * with the panel's earlier columns, for every row below, then the division by the pivot's square root), and then the
 * trailing lower triangle loses the panel's outer product (`kernels.syrk`, the O(n^3) part). The working matrix is
 * kept in the grouped layout of cholesky-kernels.ts. Writes L's lower triangle into `out` (an n x n row-major array
 * whose upper triangle is left as it is) when `out` is given.
 *
 * `tolerance` undefined is the strict mode: the first pivot that is not > 0 (or is NaN) stops the factorisation.
 * A number `rel` is the semidefinite-tolerant mode: with tol_j = max(rel * A[j][j], floor), a pivot d_j < -tol_j
 * proves a negative eigenvalue; d_j <= tol_j otherwise marks column j as dependent on the earlier ones, L[.][j] = 0,
 * which is accepted only if every residual below it satisfies |r_ij| <= 8 sqrt(tol_j A[i][i]) + 1e-300; a NaN pivot
 * or residual passes both tests (NaN propagates into L).
 *
 * The failure reported is the one a row-by-row (left-looking) factorisation meets first: the lowest row holding a
 * failure, and within that row the residual failures (lowest column first) before the row's own pivot. The panels
 * go column by column, so after a residual failure at row r the factorisation continues (that entry set to zero,
 * which changes rows >= r only) until it either reaches column r or finds a failure in a row above r.
 *
 * `kernels` falls back to the scalar kernels when it cannot provide the memory (about n^2 doubles).
 */
export function factorBlocked(
  a: Float64Array,
  n: number,
  tolerance: number | undefined,
  out: Float64Array | undefined,
  kernels: CholeskyKernels,
  floor = 0,
): BlockedOutcome {
  const dependent: number[] = [];
  if (n === 0) return { kind: 'factored', dependent };
  const np = (n + 3) & ~3; // rows and columns padded to whole groups of four
  const groups = np >> 2;
  // Doubles per group; a padding column when the groups would sit a multiple of 1 KiB apart (cache-set conflicts).
  const stride = 4 * (np % 32 === 0 ? np + 4 : np);
  let k = kernels;
  let heap = k.heap(groups * stride);
  if (heap === undefined) {
    k = scalarKernels;
    heap = k.heap(groups * stride) as Float64Array;
  }
  load(a, n, heap, stride);
  const strict = tolerance === undefined;
  const rel = tolerance ?? 0;
  // Tolerant mode: the lowest row with a residual failure so far (n = none), and that failure.
  let bestRow = n;
  let bestColumn = -1;
  let bestResidual = 0;
  for (let k0 = 0; k0 < n; k0 += BLOCK) {
    const nb = Math.min(BLOCK, n - k0);
    for (let j = 0; j < nb; j++) {
      const col = k0 + j;
      if (col >= bestRow) return { kind: 'residual', column: bestColumn, row: bestRow, residual: bestResidual };
      const gj = col >> 2;
      const lj = col & 3;
      const pg = gj * stride + 4 * k0; // group gj at the panel's first column
      const lrow = pg + lj; // L[col][k0 + k] at lrow + 4k
      const dj = gj * stride + 4 * col; // column col of group gj: the pivot at lane lj, the rows below it after
      k.column(heap, pg, 1, stride, j, lrow, 1);
      const d = heap[dj + lj] as number;
      if (strict) {
        if (!(d > 0)) return { kind: 'pivot', index: col, value: d };
      } else {
        const ajj = a[col * n + col] as number;
        const tol = Math.max(rel * ajj, floor);
        if (d < -tol) return { kind: 'pivot', index: col, value: d };
        if (d <= tol) {
          // A dependent column: every residual below the pivot must vanish (to the tolerance); L[.][col] = 0.
          dependent.push(col);
          if (gj + 1 < groups) k.column(heap, pg + stride, groups - gj - 1, stride, j, lrow, 1);
          const rows = Math.min(n, bestRow);
          for (let i = col + 1; i < rows; i++) {
            const r = heap[(i >> 2) * stride + 4 * col + (i & 3)] as number;
            const bound = Math.sqrt(tol * (a[i * n + i] as number)) * 8;
            if (Math.abs(r) > bound + 1e-300) {
              bestRow = i;
              bestColumn = col;
              bestResidual = r;
              break;
            }
          }
          for (let i = col; i < np; i++) heap[(i >> 2) * stride + 4 * col + (i & 3)] = 0;
          continue;
        }
      }
      const ljj = Math.sqrt(d);
      for (let l = lj + 1; l < 4; l++) heap[dj + l] = (heap[dj + l] as number) / ljj;
      heap[dj + lj] = ljj;
      if (gj + 1 < groups) k.column(heap, pg + stride, groups - gj - 1, stride, j, lrow, ljj);
    }
    if (k0 + nb < n) {
      // The trailing update, in bands of SYRK_BAND groups of rows: the same work, but in calls short enough that
      // the engine's optimising WebAssembly compiler, started in the background during the first ones, takes over
      // soon (a call runs to its end in the code it started with).
      const g1 = (k0 + nb) >> 2; // the first group below the panel
      const trailing = groups - g1;
      for (let from = 0; from < trailing; from += SYRK_BAND) {
        k.syrk(
          heap,
          g1 * stride + 4 * k0,
          from,
          Math.min(trailing, from + SYRK_BAND),
          stride,
          nb,
          g1 * stride + 16 * g1,
        );
      }
    }
  }
  if (bestRow < n) return { kind: 'residual', column: bestColumn, row: bestRow, residual: bestResidual };
  if (out !== undefined) unload(heap, stride, out, n);
  return { kind: 'factored', dependent };
}

/**
 * Writes A's lower triangle into the grouped layout (group g: columns 0 .. 4g+3, the entries above the diagonal
 * and the padding rows past n set to zero; the columns further right are never read). Four rows at a time: each
 * column's four values are one contiguous store.
 */
function load(a: Float64Array, n: number, heap: Float64Array, stride: number): void {
  const np = (n + 3) & ~3;
  for (let r0 = 0; r0 < np; r0 += 4) {
    const base = (r0 >> 2) * stride;
    if (r0 + 3 < n) {
      const s0 = r0 * n;
      const s1 = s0 + n;
      const s2 = s1 + n;
      const s3 = s2 + n;
      for (let c = 0, o = base; c < r0; c++, o += 4) {
        heap[o] = a[s0 + c] as number;
        heap[o + 1] = a[s1 + c] as number;
        heap[o + 2] = a[s2 + c] as number;
        heap[o + 3] = a[s3 + c] as number;
      }
    } else {
      for (let l = 0; l < 4; l++) {
        const src = (r0 + l) * n;
        for (let c = 0, o = base + l; c < r0; c++, o += 4) heap[o] = r0 + l < n ? (a[src + c] as number) : 0;
      }
    }
    // The 4 x 4 diagonal block: lower triangle from A, the rest zero.
    for (let l = 0; l < 4; l++) {
      const row = r0 + l;
      for (let c = r0; c < r0 + 4; c++) heap[base + 4 * c + l] = row < n && c <= row ? (a[row * n + c] as number) : 0;
    }
  }
}

/** Copies L's lower triangle from the grouped layout into the n x n row-major `out`, four rows at a time. */
function unload(heap: Float64Array, stride: number, out: Float64Array, n: number): void {
  let r0 = 0;
  for (; r0 + 3 < n; r0 += 4) {
    const base = (r0 >> 2) * stride;
    const d0 = r0 * n;
    const d1 = d0 + n;
    const d2 = d1 + n;
    const d3 = d2 + n;
    for (let c = 0, o = base; c < r0; c++, o += 4) {
      out[d0 + c] = heap[o] as number;
      out[d1 + c] = heap[o + 1] as number;
      out[d2 + c] = heap[o + 2] as number;
      out[d3 + c] = heap[o + 3] as number;
    }
    for (let l = 0; l < 4; l++) {
      for (let c = r0; c <= r0 + l; c++) out[d0 + l * n + c] = heap[base + 4 * c + l] as number;
    }
  }
  for (let row = r0; row < n; row++) {
    const base = (row >> 2) * stride + (row & 3);
    for (let c = 0; c <= row; c++) out[row * n + c] = heap[base + 4 * c] as number;
  }
}

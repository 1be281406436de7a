/**
 * Positive-semidefiniteness check of a covariance matrix, by a Cholesky factorisation that tolerates (and reports)
 * exact singularity. Written for speed on contiguous Float64Arrays: left-looking, row-major, 4 x 2 register blocks.
 */

import { ValidationError } from '../core/errors.js';

/** How thoroughly to check the covariance: 'full' (Cholesky, O(N^3)) or 'fast' (O(N^2) necessary conditions). */
export type CovarianceCheck = 'full' | 'fast';

/**
 * Checks that the symmetric N x N row-major matrix `s` is positive semidefinite.
 *
 * 'full': factorises S = L L' row by row (left-looking, four rows at a time). A pivot d_j = S_jj - sum_k L_jk^2 below -tol_j proves a negative
 * eigenvalue (ValidationError); |d_j| <= tol_j with tol_j = max(1e-11, 16 N eps) * S_jj marks asset j as a linear
 * combination of the earlier ones (the matrix is singular: result 'singular'), which is accepted only if the rest of
 * column j vanishes too (else ValidationError). Otherwise 'definite'.
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
  const rel = Math.max(1e-11, 16 * n * Number.EPSILON);
  const L = new Float64Array(n * n);
  const zero = new Uint8Array(n);
  let singular = false;
  // Rows in blocks of four; for each pair of earlier columns j, j + 1 the eight dot products L_r. L_c. share their
  // loads (a 4 x 2 register block, about twice as fast as one dot product at a time in V8).
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const c0 = j * n;
      const c1 = c0 + n;
      let a00 = 0;
      let a01 = 0;
      let a10 = 0;
      let a11 = 0;
      let a20 = 0;
      let a21 = 0;
      let a30 = 0;
      let a31 = 0;
      for (let k = 0; k < j; k++) {
        const y0 = L[c0 + k] as number;
        const y1 = L[c1 + k] as number;
        const x0 = L[r0 + k] as number;
        const x1 = L[r1 + k] as number;
        const x2 = L[r2 + k] as number;
        const x3 = L[r3 + k] as number;
        a00 += x0 * y0;
        a01 += x0 * y1;
        a10 += x1 * y0;
        a11 += x1 * y1;
        a20 += x2 * y0;
        a21 += x2 * y1;
        a30 += x3 * y0;
        a31 += x3 * y1;
      }
      const l10 = L[c1 + j] as number;
      finishPair(r0, i, j, a00, a01, l10);
      finishPair(r1, i + 1, j, a10, a11, l10);
      finishPair(r2, i + 2, j, a20, a21, l10);
      finishPair(r3, i + 3, j, a30, a31, l10);
    }
    for (let r = i; r <= i + 3; r++) finishRow(r, j);
  }
  for (; i < n; i++) finishRow(i, 0);
  return singular ? 'singular' : 'definite';

  /** Entries (row, j) and (row, j + 1) of L from their dot products over the first j columns. */
  function finishPair(rowStart: number, row: number, j: number, dot0: number, dot1: number, l10: number): void {
    const v0 = offDiagonal(s[rowStart + j] as number, dot0, j, row);
    L[rowStart + j] = v0;
    L[rowStart + j + 1] = offDiagonal((s[rowStart + j + 1] as number) - v0 * l10, dot1, j + 1, row);
  }

  /** Entries (row, from..row - 1) one at a time, then the pivot of `row`. */
  function finishRow(row: number, from: number): void {
    const rr = row * n;
    for (let j = from; j < row; j++) {
      const rj = j * n;
      let dot = 0;
      for (let k = 0; k < j; k++) dot += (L[rr + k] as number) * (L[rj + k] as number);
      L[rr + j] = offDiagonal(s[rr + j] as number, dot, j, row);
    }
    let sq = 0;
    for (let k = 0; k < row; k++) sq += (L[rr + k] as number) * (L[rr + k] as number);
    const sii = s[rr + row] as number;
    const d = sii - sq;
    const tol = rel * sii;
    if (d < -tol) {
      throw new ValidationError(
        `the covariance is not positive semidefinite: its Cholesky factorisation fails at ${tickers[row]} (pivot ${d.toExponential(3)} ` +
          `against variance ${sii.toExponential(3)}), so some portfolio would have negative variance; estimate it from ` +
          'complete data or use a shrinkage estimator',
      );
    }
    if (d <= tol) {
      zero[row] = 1;
      singular = true;
      L[rr + row] = 0;
    } else {
      L[rr + row] = Math.sqrt(d);
    }
  }

  /** L_ij = (S_ij - dot) / L_jj, or 0 after a zero pivot j (then S_ij - dot must vanish too). */
  function offDiagonal(sij: number, dot: number, col: number, row: number): number {
    const r = sij - dot;
    if (zero[col] === 1) {
      const bound = Math.sqrt(rel * (s[col * n + col] as number) * (s[row * n + row] as number)) * 8;
      if (Math.abs(r) > bound + 1e-300) {
        throw new ValidationError(
          `the covariance is not positive semidefinite: ${tickers[col]} is a combination of earlier assets yet still ` +
            `covaries with ${tickers[row]} (residual ${r.toExponential(3)}); estimate it from complete data or use a ` +
            'shrinkage estimator',
        );
      }
      return 0;
    }
    return r / (L[col * n + col] as number);
  }
}

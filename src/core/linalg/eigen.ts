/**
 * Symmetric eigendecomposition: Householder reduction to tridiagonal form, then the implicit QL method with Wilkinson
 * shifts (the EISPACK routines tred2 and tql2, as in Golub & Van Loan, "Matrix Computations", 4th ed., 8.3).
 *
 * The transformation matrix is kept transposed (row k holds what would be column k), so every inner loop of the
 * reduction, the accumulation and the QL rotations runs over contiguous memory.
 */

import { PfoptError, ValidationError } from '../errors.js';
import { checkSquare } from './checks.js';

/** Eigenvalues in ascending order and the matching orthonormal eigenvectors. */
export interface SymmetricEigen {
  /** The n eigenvalues, ascending. */
  readonly values: Float64Array;
  /**
   * The eigenvectors as the ROWS of an n x n row-major matrix: eigenvector k is `vectors[k*n .. k*n + n - 1]`, so
   * `A = sum_k values[k] v_k v_k'`. Each has unit length; the sign of each is arbitrary.
   */
  readonly vectors: Float64Array;
}

/** Most QL sweeps allowed per eigenvalue before giving up (a few are normal; 30 is EISPACK's limit). */
const MAX_SWEEPS = 30;
const EPS = 2 ** -52;

/**
 * Eigenvalues and eigenvectors of the symmetric n x n row-major matrix `a` (only the upper triangle is read):
 * `A v_k = lambda_k v_k`, eigenvalues ascending. Costs about 9n^3 flops (n = 500 in about 0.4 s).
 * Throws ValidationError when a holds a NaN or an infinity, and PfoptError if the QL iteration fails to converge
 * (not known to happen for finite input).
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  const w = copyUpper(a, n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: w };
  tridiagonalize(w, n, d, e, true);
  qlImplicit(d, e, n, w);
  sortAscending(d, w, n);
  return { values: d, vectors: w };
}

/**
 * Eigenvalues only of the symmetric n x n row-major matrix `a` (upper triangle read), ascending. About (4/3)n^3
 * flops, several times cheaper than `symmetricEigen`. Same errors.
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  const w = copyUpper(a, n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return d;
  tridiagonalize(w, n, d, e, false);
  qlImplicit(d, e, n, undefined);
  d.sort();
  return d;
}

/** A copy of a (n x n row-major) holding its upper triangle mirrored, after checking every value read is finite. */
function copyUpper(a: Float64Array, n: number): Float64Array {
  checkSquare(a, n, 'eigendecomposition');
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = a[i * n + j] as number;
      if (!Number.isFinite(v)) {
        throw new ValidationError(`eigendecomposition: entry (${i}, ${j}) of the matrix is ${v}; it must be finite`);
      }
      w[i * n + j] = v;
      w[j * n + i] = v;
    }
  }
  return w;
}

/**
 * Householder tridiagonalisation (tred2) of the symmetric matrix held in w. On return d holds the diagonal and
 * e[1..n-1] the subdiagonal of T; with `vectors`, w holds Q' (row k is column k of Q, where A = Q T Q').
 * Here w[j*n + k] plays the role of EISPACK's V[k][j].
 */
function tridiagonalize(w: Float64Array, n: number, d: Float64Array, e: Float64Array, vectors: boolean): void {
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1] as number;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k] as number);
    if (scale === 0) {
      e[i] = d[i - 1] as number;
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1] as number;
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        const v = (d[k] as number) / scale;
        d[k] = v;
        h += v * v;
      }
      let f = d[i - 1] as number;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        const row = j * n;
        w[i * n + j] = f;
        g = (e[j] as number) + (w[row + j] as number) * f;
        for (let k = j + 1; k < i; k++) {
          const v = w[row + k] as number;
          g += v * (d[k] as number);
          e[k] = (e[k] as number) + v * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        const v = (e[j] as number) / h;
        e[j] = v;
        f += v * (d[j] as number);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = (e[j] as number) - hh * (d[j] as number);
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        g = e[j] as number;
        const row = j * n;
        for (let k = j; k < i; k++) w[row + k] = (w[row + k] as number) - (f * (e[k] as number) + g * (d[k] as number));
        d[j] = w[row + i - 1] as number;
        w[row + i] = 0;
      }
    }
    d[i] = h;
  }
  if (!vectors) {
    for (let j = 0; j < n; j++) d[j] = w[j * n + j] as number;
    e[0] = 0;
    return;
  }
  accumulateReflections(w, n, d);
  e[0] = 0;
}

/**
 * Forms Q' in w from the Householder vectors the reduction left there (the second half of tred2); d[i+1] holds the
 * i-th reflection's scale h on entry and the diagonal of T on return.
 */
function accumulateReflections(w: Float64Array, n: number, d: Float64Array): void {
  for (let i = 0; i < n - 1; i++) {
    const rowI = i * n;
    const next = (i + 1) * n;
    w[rowI + n - 1] = w[rowI + i] as number;
    w[rowI + i] = 1;
    const h = d[i + 1] as number;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = (w[next + k] as number) / h;
      for (let j = 0; j <= i; j++) reflectRow(w, j * n, next, d, i + 1);
    }
    w.fill(0, next, next + i + 1);
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + n - 1] as number;
    w[j * n + n - 1] = 0;
  }
  w[(n - 1) * n + n - 1] = 1;
}

/** row <- row - (u . row) v over `len` elements, for the row of w at `row`, u the row of w at `u`, v = d. */
function reflectRow(w: Float64Array, row: number, u: number, v: Float64Array, len: number): void {
  let g = 0;
  for (let k = 0; k < len; k++) g += (w[u + k] as number) * (w[row + k] as number);
  for (let k = 0; k < len; k++) w[row + k] = (w[row + k] as number) - g * (v[k] as number);
}

/**
 * Implicit QL with Wilkinson shifts (tql2) on the tridiagonal (d, e); e[1..n-1] is the subdiagonal on entry.
 * On return d holds the eigenvalues (unsorted); when `w` is given its rows are rotated along (eigenvectors as rows).
 */
function qlImplicit(d: Float64Array, e: Float64Array, n: number, w: Float64Array | undefined): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i] as number;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  // The rotations of one sweep depend only on d and e, so they are recorded and applied to w afterwards, fused.
  const cosines = new Float64Array(n);
  const sines = new Float64Array(n);
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l] as number) + Math.abs(e[l] as number));
    let m = l;
    while (m < n - 1 && Math.abs(e[m] as number) > EPS * tst1) m++;
    if (m > l) {
      let sweeps = 0;
      do {
        if (++sweeps > MAX_SWEEPS) {
          throw new PfoptError(`eigendecomposition: the QL iteration did not converge for eigenvalue ${l + 1} of ${n}`);
        }
        let g = d[l] as number;
        const el = e[l] as number;
        let p = ((d[l + 1] as number) - g) / (2 * el);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = el / (p + r);
        d[l + 1] = el * (p + r);
        const dl1 = d[l + 1] as number;
        let h = g - (d[l] as number);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - h;
        f += h;
        p = d[m] as number;
        let c = 1;
        let c2 = 1;
        let c3 = 1;
        const el1 = e[l + 1] as number;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = e[i] as number;
          g = c * ei;
          h = c * p;
          r = hypot(p, ei);
          e[i + 1] = s * r;
          s = ei / r;
          c = p / r;
          const di = d[i] as number;
          p = c * di - s * g;
          d[i + 1] = h + s * (c * g + s * di);
          cosines[i] = c;
          sines[i] = s;
        }
        if (w !== undefined) applySweep(w, n, l, m, cosines, sines);
        p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l] as number) > EPS * tst1);
    }
    d[l] = (d[l] as number) + f;
    e[l] = 0;
  }
}

/**
 * Applies the rotations of one QL sweep to the rows of w, in the sweep's order i = m-1 down to l: rotation i maps
 * rows (i, i+1) to (c row_i - s row_{i+1}, s row_i + c row_{i+1}). Three consecutive rotations touch four rows and
 * are fused into one pass over them, which loads and stores each element once instead of three times.
 */
function applySweep(w: Float64Array, n: number, l: number, m: number, cs: Float64Array, sn: Float64Array): void {
  let i = m - 1;
  for (; i - 2 >= l; i -= 3) {
    const c1 = cs[i] as number;
    const s1 = sn[i] as number;
    const c2 = cs[i - 1] as number;
    const s2 = sn[i - 1] as number;
    const c3 = cs[i - 2] as number;
    const s3 = sn[i - 2] as number;
    const start = (i - 2) * n;
    const end = start + n;
    const n2 = 2 * n;
    const n3 = 3 * n;
    for (let k = start; k < end; k++) {
      const r0 = w[k] as number;
      const r1 = w[k + n] as number;
      const r2 = w[k + n2] as number;
      const r3 = w[k + n3] as number;
      w[k + n3] = s1 * r2 + c1 * r3;
      const t2 = c1 * r2 - s1 * r3;
      w[k + n2] = s2 * r1 + c2 * t2;
      const t1 = c2 * r1 - s2 * t2;
      w[k + n] = s3 * r0 + c3 * t1;
      w[k] = c3 * r0 - s3 * t1;
    }
  }
  for (; i >= l; i--) {
    const c = cs[i] as number;
    const s = sn[i] as number;
    const start = i * n;
    const end = start + n;
    for (let k = start; k < end; k++) {
      const lo = w[k] as number;
      const hi = w[k + n] as number;
      w[k + n] = s * lo + c * hi;
      w[k] = c * lo - s * hi;
    }
  }
}

/** sqrt(x^2 + y^2) without overflow or destructive underflow (Math.hypot is slower in V8). */
function hypot(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const big = ax > ay ? ax : ay;
  if (big === 0) return 0;
  const small = ax > ay ? ay : ax;
  const q = small / big;
  return big * Math.sqrt(1 + q * q);
}

/** Sorts d ascending, permuting the rows of w (selection sort: n swaps of contiguous rows at most). */
function sortAscending(d: Float64Array, w: Float64Array, n: number): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i] as number;
    for (let j = i + 1; j < n; j++) {
      if ((d[j] as number) < p) {
        k = j;
        p = d[j] as number;
      }
    }
    if (k !== i) {
      d[k] = d[i] as number;
      d[i] = p;
      const rowI = w.slice(i * n, i * n + n);
      w.copyWithin(i * n, k * n, k * n + n);
      w.set(rowI, k * n);
    }
  }
}

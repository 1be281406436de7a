/**
 * The blocked Cholesky factorisation (core/linalg/cholesky*.ts), strict and semidefinite-tolerant, on both kernel
 * sets: against plain row-by-row oracles written here from the documented formulas, on sizes around the 4-row groups
 * and the 32-column panels; failures and their order on matrices whose factorisation is exact in floating point
 * (integer entries, power-of-two pivots); and the kernels alone against naive sums, with guard values around what
 * they may write.
 */

import { describe, expect, it } from 'vitest';
import { DataError, ValidationError } from '../../src/core/errors.js';
import {
  type CholeskyOptions,
  cholesky,
  NotPositiveDefiniteError,
  type SemidefiniteCholesky,
  semidefiniteCholesky,
  tryCholesky,
} from '../../src/core/linalg/cholesky.js';
import { BLOCK } from '../../src/core/linalg/cholesky-blocked.js';
import { type CholeskyKernels, scalarKernels } from '../../src/core/linalg/cholesky-kernels.js';
import { choleskySimdAvailable, simdKernels } from '../../src/core/linalg/cholesky-simd.js';
import { gram } from '../../src/core/linalg/gram.js';
import {
  ensureMemory,
  F64,
  I32,
  instantiateWithMemory,
  moduleWithFunctions,
  moduleWithOneFunction,
  op,
} from '../../src/core/linalg/wasm-encoder.js';
import { Random } from '../../src/core/random.js';

const PATHS: readonly (readonly [string, CholeskyOptions])[] = [
  ['SIMD', { simd: true }],
  ['scalar', { simd: false }],
];

/** Sizes around the groups of four rows and the panels of BLOCK columns. */
const SIZES = [1, 2, 3, 4, 5, 7, 8, 31, 32, 33, 36, 63, 64, 65, 100, 131];

/** A random symmetric positive definite n x n matrix: X'X of 2n + 3 rows of standard normals. */
function randomSpd(n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const rows = 2 * n + 3;
  const x = new Float64Array(rows * n);
  for (let k = 0; k < x.length; k++) x[k] = rng.normal();
  return gram(x, rows, n, { simd: false });
}

/** The textbook factor, row by row (Cholesky-Banachiewicz), every sum left to right; -1 - row when a pivot fails. */
function referenceCholesky(a: Float64Array, n: number): Float64Array | number {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(s > 0)) return -1 - i;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / (l[j * n + j] as number);
      }
    }
  }
  return l;
}

/** The rules of `semidefiniteCholesky` as documented, applied row by row (a failure ends it at once). */
function referenceSemidefinite(a: Float64Array, n: number, rel: number): SemidefiniteCholesky {
  const l = new Float64Array(n * n);
  const dependent: number[] = [];
  const zero = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let r = a[i * n + j] as number;
      for (let k = 0; k < j; k++) r -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (zero[j] === 1) {
        const bound = 8 * Math.sqrt(rel * (a[j * n + j] as number) * (a[i * n + i] as number));
        if (Math.abs(r) > bound + 1e-300) return { status: 'dependent-residual', column: j, row: i, residual: r };
      } else {
        l[i * n + j] = r / (l[j * n + j] as number);
      }
    }
    let d = a[i * n + i] as number;
    for (let k = 0; k < i; k++) d -= (l[i * n + k] as number) ** 2;
    const tol = rel * (a[i * n + i] as number);
    if (d < -tol) return { status: 'negative-pivot', index: i, pivot: d, diagonal: a[i * n + i] as number };
    if (d <= tol) {
      zero[i] = 1;
      dependent.push(i);
    } else {
      l[i * n + i] = Math.sqrt(d);
    }
  }
  return { status: dependent.length > 0 ? 'singular' : 'definite', dependent, factor: l };
}

/** max |a - b| / max |b|. */
function relativeDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return scale === 0 ? diff : diff / scale;
}

/** max |L L' - A| / max |A| over the lower triangle. */
function reconstructionError(l: Float64Array, a: Float64Array, n: number): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += (l[i * n + k] as number) * (l[j * n + k] as number);
      diff = Math.max(diff, Math.abs(s - (a[i * n + j] as number)));
      scale = Math.max(scale, Math.abs(a[i * n + j] as number));
    }
  }
  return diff / scale;
}

/**
 * A = L L' for an integer lower-triangular L with pivots 1, 2 or 4 and the columns in `dependent` zero: every
 * step of the factorisation is exact in floating point, so any correct order of operations gives the same numbers.
 */
function exactMatrix(n: number, seed: number, dependent: readonly number[] = []): { a: Float64Array; l: Float64Array } {
  const rng = new Random(seed);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) l[i * n + j] = Math.floor(rng.nextDouble() * 7) - 3;
    l[i * n + i] = [1, 2, 4][Math.floor(rng.nextDouble() * 3)] as number;
  }
  for (const c of dependent) for (let i = c; i < n; i++) l[i * n + c] = 0;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += (l[i * n + k] as number) * (l[j * n + k] as number);
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return { a, l };
}

/** Adds `delta` to A[i][j] and A[j][i]. */
function bump(a: Float64Array, n: number, i: number, j: number, delta: number): void {
  a[i * n + j] = (a[i * n + j] as number) + delta;
  if (i !== j) a[j * n + i] = (a[j * n + i] as number) + delta;
}

/** The default relative tolerance of `semidefiniteCholesky`. */
const defaultTolerance = (n: number): number => Math.max(1e-11, 16 * n * Number.EPSILON);

describe('cholesky (blocked)', () => {
  it('runs the WebAssembly SIMD kernels on this Node', () => {
    expect(choleskySimdAvailable()).toBe(true);
    expect(simdKernels()).toBeDefined();
    expect(BLOCK % 4).toBe(0);
  });

  for (const [label, options] of PATHS) {
    it(`${label}: agrees with the row-by-row factor to 1e-12 around the group and panel sizes`, () => {
      for (const n of SIZES) {
        const a = randomSpd(n, n);
        const l = cholesky(a, n, options);
        const ref = referenceCholesky(a, n);
        if (typeof ref === 'number') throw new Error('the test matrix should be positive definite');
        expect(relativeDiff(l, ref)).toBeLessThan(1e-12);
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
        expect(Array.from(tryCholesky(a, n, options) ?? [])).toEqual(Array.from(l));
      }
    });

    it(`${label}: reconstructs a 300 x 300 covariance and reads only the lower triangle`, () => {
      const n = 300;
      const a = randomSpd(n, 11);
      const l = cholesky(a, n, options);
      expect(reconstructionError(l, a, n)).toBeLessThan(1e-13);
      const lowerOnly = Float64Array.from(a);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) lowerOnly[i * n + j] = Number.NaN;
      expect(Array.from(cholesky(lowerOnly, n, options))).toEqual(Array.from(l));
    });

    it(`${label}: is exact where the arithmetic is, and reports the failing pivot and its value`, () => {
      const n = 70;
      const { a, l } = exactMatrix(n, 1);
      expect(Array.from(cholesky(a, n, options))).toEqual(Array.from(l));
      for (const p of [0, 3, 4, 31, 32, 33, 63, 64, 69]) {
        const bad = Float64Array.from(a);
        bump(bad, n, p, p, -((l[p * n + p] as number) ** 2) - 1); // pivot p becomes exactly -1
        let error: unknown;
        try {
          cholesky(bad, n, options);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(NotPositiveDefiniteError);
        expect(error).toBeInstanceOf(DataError);
        expect(error).toMatchObject({ pivot: p, value: -1 });
        expect((error as Error).message).toContain(`at row ${p + 1}, where the remaining diagonal value is -1`);
        expect(tryCholesky(bad, n, options)).toBeUndefined();
      }
      // A zero pivot (a dependent column) is not positive either.
      const singular = exactMatrix(n, 2, [40]).a;
      expect(() => cholesky(singular, n, options)).toThrow(expect.objectContaining({ pivot: 40, value: 0 }));
    });

    it(`${label}: a NaN stops the factorisation at its row`, () => {
      const n = 70;
      for (const [i, j] of [
        [40, 7],
        [12, 12],
        [66, 65],
      ] as const) {
        const a = randomSpd(n, 3);
        a[i * n + j] = Number.NaN;
        expect(() => cholesky(a, n, options)).toThrow(expect.objectContaining({ pivot: i }));
        let value = 0;
        try {
          cholesky(a, n, options);
        } catch (e) {
          value = (e as NotPositiveDefiniteError).value;
        }
        expect(value).toBeNaN();
      }
    });
  }

  it('SIMD and scalar kernels agree to the last bits (same order of accumulation)', () => {
    for (const n of [37, 200]) {
      const a = randomSpd(n, 5);
      expect(relativeDiff(cholesky(a, n), cholesky(a, n, { simd: false }))).toBeLessThan(1e-15);
    }
  });

  it('handles the empty matrix and rejects a wrong size', () => {
    expect(cholesky(new Float64Array(0), 0)).toHaveLength(0);
    expect(() => cholesky(new Float64Array(3), 2)).toThrow(ValidationError);
    expect(() => semidefiniteCholesky(new Float64Array(5), 2)).toThrow(ValidationError);
    expect(() => semidefiniteCholesky(new Float64Array(4), 2, { tolerance: -1 })).toThrow(/tolerance/);
    expect(semidefiniteCholesky(new Float64Array(0), 0)).toEqual({
      status: 'definite',
      dependent: [],
      factor: undefined,
    });
  });
});

describe('semidefiniteCholesky', () => {
  for (const [label, options] of PATHS) {
    it(`${label}: on a positive definite matrix: 'definite' with the strict factor`, () => {
      for (const n of [5, 33, 100]) {
        const a = randomSpd(n, 20 + n);
        const out = semidefiniteCholesky(a, n, { ...options, factor: true });
        expect(out.status).toBe('definite');
        if (out.status !== 'definite') return;
        expect(out.dependent).toEqual([]);
        expect(Array.from(out.factor ?? [])).toEqual(Array.from(cholesky(a, n, options)));
        expect(semidefiniteCholesky(a, n, options)).toEqual({ status: 'definite', dependent: [], factor: undefined });
      }
    });

    it(`${label}: duplicated assets are dependent columns: 'singular', zero columns, L L' = A`, () => {
      const base = 60;
      const a0 = randomSpd(base, 7);
      for (const at of [0, 31, 32, 35, base]) {
        // n = base + 1 assets: asset `at` is a copy of the asset before it (at = 0: asset 1 is a copy of asset 0).
        const n = base + 1;
        const src = (i: number): number => (i === at ? (at === 0 ? 0 : at - 1) : i < at ? i : i - 1);
        const a = Float64Array.from(
          { length: n * n },
          (_, k) => a0[src(Math.floor(k / n)) * base + src(k % n)] as number,
        );
        const out = semidefiniteCholesky(a, n, { ...options, factor: true });
        expect(out.status).toBe('singular');
        if (out.status !== 'singular') return;
        expect(out.dependent).toEqual([at === 0 ? 1 : at]);
        const l = out.factor as Float64Array;
        const d = out.dependent[0] as number;
        for (let i = 0; i < n; i++) expect(l[i * n + d]).toBe(0);
        expect(reconstructionError(l, a, n)).toBeLessThan(1e-12);
      }
    });

    it(`${label}: matches the documented row-by-row rules on exact matrices, failures included`, () => {
      const rng = new Random(99);
      const counts: Record<string, number> = {};
      for (let trial = 0; trial < 240; trial++) {
        const n = 1 + Math.floor(rng.nextDouble() * (trial % 8 === 0 ? 140 : 75));
        const dependent = Array.from({ length: n }, (_, i) => i).filter(() => rng.nextDouble() < 0.15);
        const { a } = exactMatrix(n, 1000 + trial, dependent);
        for (let q = Math.floor(rng.nextDouble() * 3); q > 0; q--) {
          bump(a, n, Math.floor(rng.nextDouble() * n), Math.floor(rng.nextDouble() * n), 1);
        }
        const rel = defaultTolerance(n);
        const want = referenceSemidefinite(a, n, rel);
        const got = semidefiniteCholesky(a, n, { ...options, factor: true });
        counts[want.status] = (counts[want.status] ?? 0) + 1;
        if (want.status === 'negative-pivot') {
          // Same row; the pivot equal up to rounding (relative to the variance it is a remainder of).
          expect(got).toMatchObject({ status: want.status, index: want.index, diagonal: want.diagonal });
          const pivot = (got as { pivot: number }).pivot;
          expect(Math.abs(pivot - want.pivot)).toBeLessThanOrEqual(1e-12 * want.diagonal);
        } else if (want.status === 'dependent-residual') {
          expect(got).toMatchObject({ status: want.status, column: want.column, row: want.row });
          const scale = Math.sqrt(
            (a[want.column * n + want.column] as number) * (a[want.row * n + want.row] as number),
          );
          expect(Math.abs((got as { residual: number }).residual - want.residual)).toBeLessThanOrEqual(1e-12 * scale);
        } else {
          expect(got.status).toBe(want.status);
          if (got.status !== 'definite' && got.status !== 'singular') return;
          expect(got.dependent).toEqual(want.dependent);
          expect(relativeDiff(got.factor as Float64Array, want.factor as Float64Array)).toBeLessThan(1e-12);
        }
      }
      // The mix exercised: every outcome occurs.
      for (const status of ['definite', 'singular', 'negative-pivot', 'dependent-residual']) {
        expect(counts[status] ?? 0).toBeGreaterThan(10);
      }
    });

    it(`${label}: reports the failure a row-by-row factorisation meets first`, () => {
      const n = 70;
      const dependent = [2, 10, 33];
      const { a, l } = exactMatrix(n, 5, dependent);
      const negative = (m: Float64Array, p: number) => bump(m, n, p, p, -((l[p * n + p] as number) ** 2) - 1);
      const pivotAt = (m: Float64Array, index: number): SemidefiniteCholesky => ({
        status: 'negative-pivot',
        index,
        pivot: -1,
        diagonal: m[index * n + index] as number,
      });
      const residualAt = (column: number, row: number, residual: number): SemidefiniteCholesky => ({
        status: 'dependent-residual',
        column,
        row,
        residual,
      });
      const cases: [string, (m: Float64Array) => void, (m: Float64Array) => SemidefiniteCholesky][] = [
        [
          'a residual in a lower row than a negative pivot',
          (m) => {
            bump(m, n, 50, 2, 1);
            negative(m, 40);
          },
          (m) => pivotAt(m, 40),
        ],
        [
          'a residual in a higher row than a negative pivot',
          (m) => {
            bump(m, n, 40, 2, 1);
            negative(m, 45);
          },
          () => residualAt(2, 40, 1),
        ],
        [
          'two residuals: the higher row wins over the earlier column',
          (m) => {
            bump(m, n, 60, 2, 1);
            bump(m, n, 45, 10, -2);
          },
          () => residualAt(10, 45, -2),
        ],
        [
          'two residuals in one row: the earlier column',
          (m) => {
            bump(m, n, 45, 10, 1);
            bump(m, n, 45, 2, 3);
          },
          () => residualAt(2, 45, 3),
        ],
        [
          "a residual and a negative pivot in one row: the residual (it comes before the row's pivot)",
          (m) => {
            bump(m, n, 45, 33, 1);
            negative(m, 45);
          },
          () => residualAt(33, 45, 1),
        ],
        [
          'a residual right below the dependent pivot, in the next panel',
          (m) => bump(m, n, 34, 33, 1),
          () => residualAt(33, 34, 1),
        ],
        ['a negative pivot in the last row', (m) => negative(m, n - 1), (m) => pivotAt(m, n - 1)],
      ];
      for (const [name, damage, expected] of cases) {
        const m = Float64Array.from(a);
        damage(m);
        const want = { name, outcome: expected(m) };
        expect({ name, outcome: semidefiniteCholesky(m, n, options) }).toEqual(want);
        expect({ name, outcome: referenceSemidefinite(m, n, defaultTolerance(n)) }).toEqual(want);
      }
      expect(semidefiniteCholesky(a, n, options)).toMatchObject({ status: 'singular', dependent });
    });

    it(`${label}: applies the tolerance: pivots within rel * A[j][j] of zero are dependent`, () => {
      // [[1, 1], [1, 1 + e]]: pivot 2 is e.
      for (const [e, rel, status] of [
        [1e-12, 1e-11, 'singular'],
        [-1e-12, 1e-11, 'singular'],
        [2e-11, 1e-11, 'definite'],
        [-2e-11, 1e-11, 'negative-pivot'],
        [1e-6, 1e-5, 'singular'],
        [0, 0, 'singular'],
      ] as const) {
        const a = Float64Array.from([1, 1, 1, 1 + e]);
        expect(semidefiniteCholesky(a, 2, { ...options, tolerance: rel }).status).toBe(status);
      }
      // A dependent column's residuals must stay within 8 sqrt(rel A[j][j] A[i][i]) (here 8 sqrt(1e-4) = 0.08).
      for (const [x, want] of [
        [0.079, 'singular'],
        [-0.079, 'singular'],
        [0.081, 'dependent-residual'],
        [-0.081, 'dependent-residual'],
      ] as const) {
        const a = Float64Array.from([1, 1, 0, 1, 1, x, 0, x, 1]);
        expect(semidefiniteCholesky(a, 3, { ...options, tolerance: 1e-4 })).toMatchObject(
          want === 'singular' ? { status: want, dependent: [1] } : { status: want, column: 1, row: 2, residual: x },
        );
      }
      // A NaN passes the tests (it propagates into the factor).
      expect(semidefiniteCholesky(Float64Array.from([Number.NaN]), 1, options).status).toBe('definite');
    });
  }
});

describe('Cholesky kernels', () => {
  const kernels: [string, CholeskyKernels][] = [
    ['SIMD', simdKernels() as CholeskyKernels],
    ['scalar', scalarKernels],
  ];
  const GUARD = -7.25;

  for (const [label, k] of kernels) {
    it(`${label}: syrk subtracts each tile's naive sums and writes nothing else`, () => {
      const rng = new Random(1);
      for (const groups of [1, 2, 3, 5]) {
        for (const depth of [1, 2, 7, 32]) {
          const stride = 4 * (4 * groups + depth + 3); // columns: the panel, then the trailing tiles
          const size = groups * stride + 8;
          const heap = k.heap(size) as Float64Array;
          for (let i = 0; i < size; i++) heap[i] = GUARD;
          const a = 4; // the panel starts 4 doubles in; the tiles after it
          const c = a + 4 * depth + 4;
          for (let g = 0; g < groups; g++) {
            for (let t = 0; t < 4 * depth; t++) heap[a + g * stride + t] = rng.normal();
            for (let t = 0; t < 16 * groups; t++) heap[c + g * stride + t] = rng.normal();
          }
          const before = Float64Array.from(heap.subarray(0, size));
          // In two calls (rows of groups 0 .. split - 1, then the rest), as the factorisation makes them.
          const split = groups >> 1;
          if (split > 0) k.syrk(heap, a, 0, split, stride, depth, c);
          k.syrk(heap, a, split, groups, stride, depth, c);
          const touched = new Uint8Array(size);
          for (let gi = 0; gi < groups; gi++) {
            for (let gj = 0; gj <= gi; gj++) {
              for (let col = 0; col < 4; col++) {
                for (let lane = 0; lane < 4; lane++) {
                  let s = 0;
                  for (let t = 0; t < depth; t++) {
                    s +=
                      (before[a + gj * stride + 4 * t + col] as number) *
                      (before[a + gi * stride + 4 * t + lane] as number);
                  }
                  const at = c + gi * stride + 16 * gj + 4 * col + lane;
                  expect(heap[at]).toBe((before[at] as number) - s);
                  touched[at] = 1;
                }
              }
            }
          }
          for (let i = 0; i < size; i++) if (touched[i] === 0) expect(heap[i]).toBe(before[i]);
        }
      }
    });

    it(`${label}: column forms every group's column j from the earlier ones and writes nothing else`, () => {
      const rng = new Random(2);
      for (const groups of [1, 3, 4, 5, 9]) {
        for (const j of [0, 1, 5, 31]) {
          const stride = 4 * (j + 3);
          const size = groups * stride + 4 * (j + 1) + 8;
          const heap = k.heap(size) as Float64Array;
          for (let i = 0; i < size; i++) heap[i] = GUARD;
          const p = 4;
          const lrow = p + groups * stride + 1; // L[j][k] at lrow + 4k: a strided row outside the groups
          for (let g = 0; g < groups; g++)
            for (let t = 0; t < 4 * (j + 1); t++) heap[p + g * stride + t] = rng.normal();
          for (let t = 0; t < j; t++) heap[lrow + 4 * t] = rng.normal();
          const before = Float64Array.from(heap.subarray(0, size));
          const divisor = 1.5 + rng.nextDouble();
          k.column(heap, p, groups, stride, j, lrow, divisor);
          const touched = new Uint8Array(size);
          for (let g = 0; g < groups; g++) {
            for (let lane = 0; lane < 4; lane++) {
              const at = p + g * stride + 4 * j + lane;
              let r = before[at] as number;
              for (let t = 0; t < j; t++)
                r -= (before[p + g * stride + 4 * t + lane] as number) * (before[lrow + 4 * t] as number);
              expect(heap[at]).toBe(r / divisor);
              touched[at] = 1;
            }
          }
          for (let i = 0; i < size; i++) if (touched[i] === 0) expect(heap[i]).toBe(before[i]);
        }
      }
    });
  }
});

describe('wasm encoder: modules of several functions and their memory', () => {
  it('writes the same bytes for one function either way, and runs a two-function module', () => {
    const body = [...op.localGet(0), ...op.localGet(1), ...op.i32Add(), ...op.localSet(2)];
    const one = moduleWithOneFunction('f', [I32, I32], [[1, I32]], body, 1);
    expect(Array.from(one)).toEqual(
      Array.from(moduleWithFunctions([{ name: 'f', params: [I32, I32], locals: [[1, I32]], body }], 1)),
    );
    // g(x, y) adds into a local and returns; h(addr, x) stores splat(x) / (0 + splat(x)) = (1, 1) at addr.
    const h = [
      ...op.localGet(0),
      ...op.localGet(1),
      ...op.f64x2Splat(),
      ...op.v128Zero(),
      ...op.localGet(1),
      ...op.f64x2Splat(),
      ...op.f64x2Add(),
      ...op.f64x2Div(),
      ...op.v128Store(0),
    ];
    const bytes = moduleWithFunctions(
      [
        { name: 'g', params: [I32, I32], locals: [[1, I32]], body },
        { name: 'h', params: [I32, F64], locals: [], body: h },
      ],
      1,
    );
    const loaded = instantiateWithMemory(bytes, 1);
    expect(loaded).not.toBeNull();
    if (loaded === null) return;
    (loaded.exports.h as (addr: number, x: number) => void)(16, 3);
    expect(Array.from(new Float64Array(loaded.memory.buffer, 16, 2))).toEqual([1, 1]);
    expect(ensureMemory(loaded.memory, 3 * 65536 + 1)).toBe(true);
    expect(loaded.memory.buffer.byteLength).toBe(4 * 65536);
    expect(instantiateWithMemory(Uint8Array.from([0, 1, 2]), 1)).toBeNull();
  });
});

describe('semidefiniteCholesky with an absolute tolerance floor', () => {
  it('takes tol_j = max(rel A_jj, floor) for the pivots and the dependent-column residuals', () => {
    // diag(1, -1e-14): the second pivot is -1e-14, negative against rel * A_22 alone, zero against a floor of 1e-13.
    const a = new Float64Array([1, 0, 0, -1e-14]);
    expect(semidefiniteCholesky(a, 2).status).toBe('negative-pivot');
    const out = semidefiniteCholesky(a, 2, { absoluteTolerance: 1e-13 });
    expect(out.status).toBe('singular');
    if (out.status === 'singular') expect(out.dependent).toEqual([1]);
    // A floor never hides a pivot far below it.
    expect(semidefiniteCholesky(new Float64Array([1, 0, 0, -1e-12]), 2, { absoluteTolerance: 1e-13 }).status).toBe(
      'negative-pivot',
    );
    expect(() => semidefiniteCholesky(a, 2, { absoluteTolerance: -1 })).toThrow(/absolute tolerance/);
  });
});

/**
 * Dense kernels: hand-checkable cases, numpy values from reference/estimators/golden.json ("linalg", written by
 * reference/estimators/estimators.py with numpy.linalg), and identities that must hold for any input
 * (A V = V diag(lambda), V'V = I, L L' = A, gram = naive sums).
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, ValidationError } from '../../src/core/errors.js';
import {
  addOuterProduct,
  cholesky,
  choleskySolve,
  gram,
  matVec,
  mirrorUpper,
  NotPositiveDefiniteError,
  quadraticForm,
  simdAvailable,
  solveLower,
  solveUpperTransposed,
  symmetricEigen,
  symmetricEigenvalues,
  symmetrize,
  tryCholesky,
} from '../../src/core/linalg/index.js';
import { sleb, uleb } from '../../src/core/linalg/wasm-encoder.js';
import { Random } from '../../src/core/random.js';

interface LinalgCase {
  readonly n: number;
  readonly a: number[];
  readonly eigenvalues: number[];
  readonly cholesky?: number[];
  readonly b?: number[];
  readonly solve?: number[];
}

const golden = JSON.parse(readFileSync(new URL('../../reference/estimators/golden.json', import.meta.url), 'utf8')) as {
  linalg: Record<'spd' | 'indefinite' | 'repeated', LinalgCase>;
};

/** max |a - b| over two arrays of the same length. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** A random symmetric n x n matrix with entries in [-1, 1]. */
function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = 2 * rng.nextDouble() - 1;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** max |A v_k - lambda_k v_k| and max |V V' - I| for an eigendecomposition with eigenvectors as rows. */
function eigenResiduals(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array) {
  let residual = 0;
  let orthogonality = 0;
  for (let k = 0; k < n; k++) {
    const v = vectors.subarray(k * n, k * n + n);
    const av = matVec(a, n, v);
    for (let i = 0; i < n; i++) {
      residual = Math.max(residual, Math.abs((av[i] as number) - (values[k] as number) * (v[i] as number)));
    }
    for (let l = 0; l < n; l++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (v[i] as number) * (vectors[l * n + i] as number);
      orthogonality = Math.max(orthogonality, Math.abs(dot - (k === l ? 1 : 0)));
    }
  }
  return { residual, orthogonality };
}

describe('gram', () => {
  it("computes X'X of a column-major matrix by hand", () => {
    // X = [[1, 2], [3, 4], [5, 6]] (3 rows, 2 columns), stored column by column.
    const g = gram(Float64Array.from([1, 3, 5, 2, 4, 6]), 3, 2);
    expect(Array.from(g)).toEqual([35, 44, 44, 56]);
  });

  it('runs the WebAssembly SIMD kernel on this Node, bit for bit equal to the scalar kernel', () => {
    expect(simdAvailable()).toBe(true);
    const rng = new Random(4);
    const x = new Float64Array(700 * 37);
    for (let k = 0; k < x.length; k++) x[k] = rng.normal();
    expect(Array.from(gram(x, 700, 37))).toEqual(Array.from(gram(x, 700, 37, { simd: false })));
  });

  for (const simd of [true, false]) {
    it(`${simd ? 'SIMD' : 'scalar'} kernel matches naive dot products around the panel widths and 256-row blocks`, () => {
      const rng = new Random(3);
      for (const [rows, cols] of [
        [1, 1],
        [2, 4],
        [255, 5],
        [256, 6],
        [257, 7],
        [600, 8],
        [1000, 31],
        [300, 130],
      ] as const) {
        const x = new Float64Array(rows * cols);
        for (let k = 0; k < x.length; k++) x[k] = rng.normal();
        const g = gram(x, rows, cols, { simd });
        for (let i = 0; i < cols; i++) {
          for (let j = 0; j < cols; j++) {
            let s = 0;
            for (let t = 0; t < rows; t++) s += (x[i * rows + t] as number) * (x[j * rows + t] as number);
            expect(Math.abs((g[i * cols + j] as number) - s)).toBeLessThanOrEqual(1e-12 * rows);
            expect(g[i * cols + j]).toBe(g[j * cols + i]);
          }
        }
      }
    });
  }

  it('handles no rows and no columns, and rejects a short array', () => {
    expect(Array.from(gram(new Float64Array(0), 0, 2))).toEqual([0, 0, 0, 0]);
    expect(gram(new Float64Array(0), 5, 0)).toHaveLength(0);
    expect(() => gram(new Float64Array(5), 3, 2)).toThrow(ValidationError);
  });
});

describe('cholesky and triangular solves', () => {
  it('factors a 3 x 3 matrix by hand', () => {
    // A = L L' with L = [[2, 0, 0], [1, 3, 0], [-1, 2, 4]].
    const a = Float64Array.from([4, 2, -2, 2, 10, 5, -2, 5, 21]);
    expect(Array.from(cholesky(a, 3))).toEqual([2, 0, 0, 1, 3, 0, -1, 2, 4]);
    const l = cholesky(a, 3);
    expect(Array.from(solveLower(l, 3, [2, 7, 9]))).toEqual([1, 2, 1.5]);
    expect(Array.from(solveUpperTransposed(l, 3, [2, 5, 4]))).toEqual([1, 1, 1]);
    // A x = b with x = (1, 1, 1): b = row sums.
    expect(maxDiff(choleskySolve(l, 3, [4, 17, 24]), [1, 1, 1])).toBeLessThan(1e-15);
  });

  it('matches numpy.linalg.cholesky and solve', () => {
    const c = golden.linalg.spd;
    const l = cholesky(Float64Array.from(c.a), c.n);
    expect(maxDiff(l, c.cholesky ?? [])).toBeLessThan(1e-13);
    expect(maxDiff(choleskySolve(l, c.n, c.b ?? []), c.solve ?? [])).toBeLessThan(1e-12);
  });

  it('fails clearly when the matrix is not positive definite', () => {
    const a = Float64Array.from([1, 2, 2, 1]); // eigenvalues 3 and -1
    expect(tryCholesky(a, 2)).toBeUndefined();
    let error: unknown;
    try {
      cholesky(a, 2);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotPositiveDefiniteError);
    expect(error).toBeInstanceOf(DataError);
    expect((error as NotPositiveDefiniteError).pivot).toBe(1);
    expect((error as NotPositiveDefiniteError).value).toBe(-3);
    expect((error as Error).message).toMatch(/not positive definite.*row 2.*-3/);
    // Failures in the first and the second row of a pair of rows, and in the odd last row.
    const diag = (v: number[]) => {
      const m = new Float64Array(v.length * v.length);
      v.forEach((x, i) => {
        m[i * v.length + i] = x;
      });
      return m;
    };
    for (const [values, pivot] of [
      [[1, 1, -2, 1], 2],
      [[1, 4, 1, 0], 3],
      [[1, 1, 1, 1, -1], 4],
    ] as const) {
      expect(() => cholesky(diag([...values]), values.length)).toThrow(
        expect.objectContaining({ pivot, value: values[pivot] }),
      );
    }
    // A singular positive semidefinite matrix is not positive definite either.
    expect(tryCholesky(Float64Array.from([1, 1, 1, 1]), 2)).toBeUndefined();
    expect(tryCholesky(Float64Array.from([Number.NaN]), 1)).toBeUndefined();
    expect(() => cholesky(new Float64Array(3), 2)).toThrow(ValidationError);
    expect(() => solveLower(Float64Array.from([1]), 1, [1, 2])).toThrow(ValidationError);
  });

  for (const n of [120, 121]) {
    it(`reconstructs a random ${n} x ${n} covariance as L L'`, () => {
      const rng = new Random(5);
      const rows = 300;
      const x = new Float64Array(rows * n);
      for (let k = 0; k < x.length; k++) x[k] = rng.normal();
      const a = gram(x, rows, n);
      const l = cholesky(a, n);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += (l[i * n + k] as number) * (l[j * n + k] as number);
          worst = Math.max(worst, Math.abs(s - (a[i * n + j] as number)));
          if (j > i) expect(l[i * n + j]).toBe(0);
        }
      }
      expect(worst).toBeLessThan(1e-12 * rows);
    });
  }
});

describe('symmetric eigendecomposition', () => {
  it('diagonalises a 2 x 2 matrix by hand', () => {
    // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, -1)/sqrt2 and (1, 1)/sqrt2.
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(maxDiff(values, [1, 3])).toBeLessThan(1e-15);
    expect(Math.abs(vectors[0] as number)).toBeCloseTo(Math.SQRT1_2, 15);
    expect((vectors[0] as number) * (vectors[1] as number)).toBeCloseTo(-0.5, 15);
    expect((vectors[2] as number) * (vectors[3] as number)).toBeCloseTo(0.5, 15);
  });

  it('handles diagonal, 1 x 1 and empty matrices', () => {
    const d = symmetricEigen(Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 2]), 3);
    expect(Array.from(d.values)).toEqual([-1, 2, 3]);
    expect(Array.from(symmetricEigen(Float64Array.from([7]), 1).values)).toEqual([7]);
    expect(symmetricEigen(new Float64Array(0), 0).values).toHaveLength(0);
    expect(Array.from(symmetricEigenvalues(Float64Array.from([0, 0, 0, 0]), 2))).toEqual([0, 0]);
  });

  for (const name of ['spd', 'indefinite', 'repeated'] as const) {
    it(`matches numpy.linalg.eigvalsh (${name})`, () => {
      const c = golden.linalg[name];
      const a = Float64Array.from(c.a);
      const { values, vectors } = symmetricEigen(a, c.n);
      const scale = Math.max(...c.eigenvalues.map(Math.abs));
      expect(maxDiff(values, c.eigenvalues)).toBeLessThan(1e-14 * c.n * scale);
      expect(maxDiff(symmetricEigenvalues(a, c.n), c.eigenvalues)).toBeLessThan(1e-14 * c.n * scale);
      const r = eigenResiduals(a, c.n, values, vectors);
      expect(r.residual).toBeLessThan(1e-14 * c.n * scale);
      expect(r.orthogonality).toBeLessThan(1e-14 * c.n);
    });
  }

  it('reads only the upper triangle', () => {
    const a = Float64Array.from([2, 1, 99, 2]);
    expect(maxDiff(symmetricEigen(a, 2).values, [1, 3])).toBeLessThan(1e-15);
  });

  it('decomposes random 200 x 200 matrices: A v = lambda v, orthonormal V, ascending values', () => {
    const n = 200;
    const a = randomSymmetric(n, 11);
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 1; k < n; k++) expect(values[k] as number).toBeGreaterThanOrEqual(values[k - 1] as number);
    const r = eigenResiduals(a, n, values, vectors);
    expect(r.residual).toBeLessThan(1e-12);
    expect(r.orthogonality).toBeLessThan(1e-12);
    expect(maxDiff(symmetricEigenvalues(a, n), values)).toBeLessThan(1e-12);
    // The trace is the sum of the eigenvalues.
    let trace = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      trace += a[i * n + i] as number;
      sum += values[i] as number;
    }
    expect(Math.abs(trace - sum)).toBeLessThan(1e-11);
  });

  it('rejects NaN and infinite entries instead of looping', () => {
    expect(() => symmetricEigen(Float64Array.from([1, Number.NaN, Number.NaN, 1]), 2)).toThrow(ValidationError);
    expect(() => symmetricEigenvalues(Float64Array.from([Number.POSITIVE_INFINITY]), 1)).toThrow(/finite/);
    expect(() => symmetricEigen(new Float64Array(3), 2)).toThrow(ValidationError);
  });
});

describe('wasm encoder', () => {
  it("encodes LEB128 numbers as the specification's examples", () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-64)).toEqual([0x40]);
  });
});

describe('symmetric helpers', () => {
  it('symmetrize, mirrorUpper, matVec, quadraticForm, addOuterProduct by hand', () => {
    expect(Array.from(symmetrize(Float64Array.from([1, 2, 4, 3]), 2))).toEqual([1, 3, 3, 3]);
    expect(Array.from(mirrorUpper(Float64Array.from([1, 2, 9, 3]), 2))).toEqual([1, 2, 2, 3]);
    const a = Float64Array.from([2, 1, 1, 3]);
    expect(Array.from(matVec(a, 2, [1, -1]))).toEqual([1, -2]);
    expect(quadraticForm(a, 2, [1, -1])).toBe(3);
    const b = addOuterProduct(new Float64Array(4), 2, 2, Float64Array.from([9, 1, 3]), 1);
    expect(Array.from(b)).toEqual([2, 6, 6, 18]);
  });
});

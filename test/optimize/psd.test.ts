/**
 * The optimizer's positive-semidefiniteness proof (optimize/psd.ts) on the shared blocked Cholesky factorisation:
 * its verdicts and its exact messages, on hand-checkable 3 x 3 matrices and on sizes that span several 32-column
 * panels. (solvers.test.ts holds the original behavioural cases.)
 */

import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { semidefiniteCholesky } from '../../src/core/linalg/cholesky.js';
import { symmetricEigen } from '../../src/core/linalg/eigen.js';
import { gram } from '../../src/core/linalg/gram.js';
import { Random } from '../../src/core/random.js';
import { generateMarket } from '../../src/data/synthetic.js';
import { semicovariance } from '../../src/estimate/semicovariance.js';
import { checkPositiveSemidefinite, PSD_ROUNDING } from '../../src/optimize/psd.js';

const names = ['A', 'B', 'C'];

/** The message of the error `f` throws (fails the test when it does not throw a ValidationError). */
function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as Error).message;
  }
  throw new Error('expected a ValidationError');
}

/** A random n-asset covariance (X'X / rows of 3n rows of normals scaled to daily-return size). */
function covariance(n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const rows = 3 * n;
  const x = new Float64Array(rows * n);
  for (let k = 0; k < x.length; k++) x[k] = 0.01 * rng.normal();
  return gram(x, rows, n).map((v) => v / rows);
}

describe("checkPositiveSemidefinite 'full'", () => {
  it('names the asset whose pivot is negative, with the pivot and its variance', () => {
    // Correlations 0.9, 0.9, -0.9: pivot of C = 1 - 0.81 - 1.71^2 / 0.19 = -15.2.
    const s = Float64Array.from([1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1]);
    expect(messageOf(() => checkPositiveSemidefinite(s, 3, names, 'full'))).toBe(
      'the covariance is not positive semidefinite: its Cholesky factorisation fails at C (pivot -1.520e+1 against ' +
        'variance 1.000e+0), so some portfolio would have negative variance; estimate it from complete data or use a ' +
        'shrinkage estimator',
    );
    // A negative variance fails at its own row.
    const t = Float64Array.from([0.04, 0.01, 0, 0.01, -0.09, 0.02, 0, 0.02, 0.16]);
    expect(messageOf(() => checkPositiveSemidefinite(t, 3, names, 'full'))).toContain(
      'fails at B (pivot -9.250e-2 against variance -9.000e-2)',
    );
  });

  it('names a dependent asset that still covaries with a later one, with the residual', () => {
    // B duplicates A (zero pivot), yet cov(B, C) = 0.5 while cov(A, C) = 0.
    const s = Float64Array.from([1, 1, 0, 1, 1, 0.5, 0, 0.5, 1]);
    expect(messageOf(() => checkPositiveSemidefinite(s, 3, names, 'full'))).toBe(
      'the covariance is not positive semidefinite: B is a combination of earlier assets yet still covaries with C ' +
        '(residual 5.000e-1); estimate it from complete data or use a shrinkage estimator',
    );
  });

  it("tells 'definite' from 'singular' across several panels", () => {
    const n = 120;
    const tick = Array.from({ length: n + 1 }, (_, i) => `X${i}`);
    const s = covariance(n, 3);
    expect(checkPositiveSemidefinite(s, n, tick, 'full')).toBe('definite');
    for (const at of [1, 31, 32, 64, 120]) {
      // n + 1 assets, asset `at` a copy of asset at - 1.
      const m = n + 1;
      const src = (i: number): number => (i < at ? i : i - 1);
      const d = Float64Array.from({ length: m * m }, (_, k) => s[src(Math.floor(k / m)) * n + src(k % m)] as number);
      expect(checkPositiveSemidefinite(d, m, tick, 'full')).toBe('singular');
      // The copy made to covary with a later asset a little more than its original does.
      if (at < n) {
        const bad = Float64Array.from(d);
        const other = n;
        const delta = 1e-3 * Math.sqrt((bad[at * m + at] as number) * (bad[other * m + other] as number));
        bad[at * m + other] = (bad[at * m + other] as number) + delta;
        bad[other * m + at] = (bad[other * m + at] as number) + delta;
        expect(messageOf(() => checkPositiveSemidefinite(bad, m, tick, 'full'))).toMatch(
          new RegExp(`: X${at} is a combination of earlier assets yet still covaries with X${other} \\(residual `),
        );
      }
    }
  });

  it('of several failures, reports the one met first row by row', () => {
    const n = 40;
    const tick = Array.from({ length: n }, (_, i) => `X${i}`);
    const s = covariance(n, 4);
    // Asset 5 becomes a copy of asset 4; the copy covaries too much with asset 37; asset 35's variance is negative.
    for (let i = 0; i < n; i++) {
      s[5 * n + i] = s[4 * n + i] as number;
      s[i * n + 5] = s[i * n + 4] as number;
    }
    s[5 * n + 5] = s[4 * n + 4] as number;
    s[5 * n + 37] = (s[5 * n + 37] as number) + 1e-5;
    s[37 * n + 5] = s[5 * n + 37] as number;
    expect(messageOf(() => checkPositiveSemidefinite(s, n, tick, 'full'))).toContain('X5 is a combination');
    s[35 * n + 35] = -(s[35 * n + 35] as number);
    expect(messageOf(() => checkPositiveSemidefinite(s, n, tick, 'full'))).toContain('fails at X35 (pivot');
  });
});

describe('the pivot tolerance scales with the largest variance (Higham, Thm. 10.14)', () => {
  const n = 28;
  /** Annual semicovariance of a seeded synthetic market, 28 assets over 30 daily returns, shortfalls below -2%. */
  const semicov = (): Float64Array =>
    semicovariance(generateMarket({ assets: n, periods: 31, seed: 13, frequency: 'daily' }).prices, {
      benchmark: -0.02,
    }).values;
  const tickers = Array.from({ length: n }, (_, i) => `S${i}`);

  it('accepts a semicovariance that is PSD in exact arithmetic (28 assets, 30 returns)', () => {
    const s = semicov();
    // What the check used to reject: a pivot of about -8e-13 against a variance of about 3e-3.
    const old = semidefiniteCholesky(s, n, { tolerance: Math.max(1e-11, 16 * n * Number.EPSILON) });
    expect(old.status).toBe('negative-pivot');
    if (old.status === 'negative-pivot') {
      expect(old.pivot).toBeLessThan(-1e-13);
      expect(old.pivot).toBeGreaterThan(-1e-11);
    }
    // PSD by construction: a Gram matrix of shortfalls (rank at most the 30 return dates).
    expect(checkPositiveSemidefinite(s, n, tickers, 'full')).toBe('singular');
  });

  it('still rejects a matrix whose smallest eigenvalue is -1e-6 relative to the largest', () => {
    const s = semicov();
    const { values, vectors } = symmetricEigen(s, n);
    const top = values[n - 1] as number;
    // Move the smallest eigenvalue to -1e-6 * the largest: S + (target - lambda_min) v v'.
    const shift = -1e-6 * top - (values[0] as number);
    const bad = Float64Array.from(s);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        bad[i * n + j] = (bad[i * n + j] as number) + shift * (vectors[i] as number) * (vectors[j] as number);
      }
    }
    expect(symmetricEigen(bad, n).values[0]).toBeCloseTo(-1e-6 * top, 12);
    expect(messageOf(() => checkPositiveSemidefinite(bad, n, tickers, 'full'))).toMatch(/not positive semidefinite/);
  });

  it('rejects a negative pivot just beyond the tolerance and accepts one just within it', () => {
    // diag(1, d): the second pivot is d itself; the tolerance is 2^16 * 2 eps * 1.
    const tol = PSD_ROUNDING * 2 * Number.EPSILON;
    const two = ['A', 'B'];
    expect(checkPositiveSemidefinite(new Float64Array([1, 0, 0, -0.5 * tol]), 2, two, 'full')).toBe('singular');
    expect(messageOf(() => checkPositiveSemidefinite(new Float64Array([1, 0, 0, -2 * tol]), 2, two, 'full'))).toContain(
      'fails at B',
    );
  });
});

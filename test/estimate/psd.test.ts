/**
 * Spectral PSD repair: hand-checkable 2 x 2 cases, the nearest-matrix property on a larger indefinite matrix, and the
 * warning a repaired covariance carries. The numpy comparison of a repaired pairwise covariance is in golden.test.ts.
 */

import { describe, expect, it } from 'vitest';
import { symmetricEigenvalues } from '../../src/core/linalg/eigen.js';
import { gram } from '../../src/core/linalg/gram.js';
import { Random } from '../../src/core/random.js';
import { type CovarianceMatrix, clipToPsd, repairPsd } from '../../src/estimate/index.js';

function covariance(values: number[], tickers: string[]): CovarianceMatrix {
  return { tickers, values: Float64Array.from(values), warnings: [], periodsPerYear: 252, method: 'sample' };
}

describe('clipToPsd', () => {
  it('returns a positive definite matrix itself, untouched', () => {
    const a = Float64Array.from([2, 1, 1, 2]);
    const r = clipToPsd(a, 2);
    expect(r.values).toBe(a);
    expect(r.repaired).toBe(false);
    expect(r.minEigenvalue).toBeUndefined();
    expect(r.maxEigenvalue).toBeUndefined();
    expect(r.clipped).toBe(0);
  });

  it('leaves a singular PSD matrix alone (eigenvalue 0 up to rounding)', () => {
    const rng = new Random(1);
    const x = new Float64Array(5 * 12); // 5 observations of 12 variables: rank 5
    for (let k = 0; k < x.length; k++) x[k] = rng.normal();
    const a = gram(x, 5, 12);
    const r = clipToPsd(a, 12);
    expect(r.repaired).toBe(false);
    expect(r.values).toBe(a);
    expect(Math.abs(r.minEigenvalue as number)).toBeLessThan(1e-13);
  });

  it("clips [[1, 2], [2, 1]] (eigenvalues 3 and -1) to 3 v v' with v = (1, 1)/sqrt 2", () => {
    const r = clipToPsd(Float64Array.from([1, 2, 2, 1]), 2);
    expect(r.repaired).toBe(true);
    expect(r.minEigenvalue).toBeCloseTo(-1, 15);
    expect(r.maxEigenvalue).toBeCloseTo(3, 15);
    expect(r.clipped).toBe(1);
    for (const v of r.values) expect(v).toBeCloseTo(1.5, 15);
  });

  it('gives the nearest PSD matrix: eigenvalues >= 0, distance sqrt(sum of squared negative eigenvalues)', () => {
    const n = 40;
    const rng = new Random(8);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const v = rng.normal() + (i === j ? 2 : 0);
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    }
    const lambda = symmetricEigenvalues(a, n);
    const negatives = lambda.filter((l) => l < 0);
    expect(negatives.length).toBeGreaterThan(0);
    const r = clipToPsd(a, n);
    expect(r.clipped).toBe(negatives.length);
    const after = symmetricEigenvalues(r.values, n);
    expect(after[0] as number).toBeGreaterThan(-1e-13);
    let distance = 0;
    for (let k = 0; k < n * n; k++) distance += ((r.values[k] as number) - (a[k] as number)) ** 2;
    const want = Math.sqrt(negatives.reduce((s, l) => s + l * l, 0));
    expect(Math.abs(Math.sqrt(distance) - want)).toBeLessThan(1e-12 * want);
    // The positive part of the spectrum is kept.
    const positives = lambda.filter((l) => l > 0);
    const kept = after.slice(n - positives.length);
    for (let k = 0; k < positives.length; k++) {
      expect(Math.abs((kept[k] as number) - (positives[k] as number))).toBeLessThan(1e-12);
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(r.values[i * n + j]).toBe(r.values[j * n + i]);
  });
});

describe('repairPsd', () => {
  it('returns a valid covariance matrix unchanged', () => {
    const cov = covariance([0.04, 0.01, 0.01, 0.09], ['A', 'B']);
    expect(repairPsd(cov)).toBe(cov);
  });

  it('repairs an invalid one and appends a warning with the most negative eigenvalue', () => {
    const cov = { ...covariance([1, 2, 2, 1], ['A', 'B']), warnings: ['earlier note'] };
    const fixed = repairPsd(cov);
    expect(Array.from(fixed.values).map((v) => Number(v.toFixed(14)))).toEqual([1.5, 1.5, 1.5, 1.5]);
    expect(fixed.tickers).toEqual(['A', 'B']);
    expect(fixed.warnings[0]).toBe('earlier note');
    expect(fixed.warnings[1]).toMatch(
      /^the covariance matrix was not positive semidefinite \(most negative eigenvalue -1, largest 3; 1 of 2 eigenvalues below 0\); the negative eigenvalues were clipped to 0 \(spectral repair\)$/,
    );
    expect(Array.from(cov.values)).toEqual([1, 2, 2, 1]); // the input is not modified
  });
});

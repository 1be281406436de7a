/**
 * Sample, semi- and exponentially weighted covariance: hand-checkable cases, and comparisons with plain loops
 * written from the definitions (pair by pair over common dates; pandas' recursive ewm mean) on random data with
 * leading and interior gaps, which exercise the blocked, masked and pair-by-pair code paths.
 */

import { describe, expect, it } from 'vitest';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { DataError, ValidationError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { simpleReturns } from '../../src/core/returns.js';
import {
  expCovariance,
  expCovarianceFromReturns,
  sampleCovariance,
  sampleCovarianceFromReturns,
  semicovariance,
  semicovarianceFromReturns,
} from '../../src/estimate/index.js';
import { businessDays } from '../core/helpers.js';

const N = Number.NaN;

function returnsOf(columns: number[][], periodsPerYear = 252): DatedMatrix {
  const tickers = columns.map((_, j) => `T${j}`);
  return DatedMatrix.fromColumns(businessDays('2021-01-04', (columns[0] as number[]).length), tickers, columns, {
    periodsPerYear,
  });
}

/** Random returns, T x n, with some assets listed late and (optionally) interior gaps. */
function randomReturns(t: number, n: number, seed: number, interior: boolean): number[][] {
  const rng = new Random(seed);
  const market = Array.from({ length: t }, () => 0.01 * rng.normal());
  return Array.from({ length: n }, (_, j) => {
    const start = j % 3 === 1 ? rng.int(Math.floor(t / 2)) : 0;
    return market.map((m, i) => {
      if (i < start) return N;
      if (interior && j % 4 === 2 && rng.nextDouble() < 0.1) return N;
      return 0.0003 + (0.5 + j / n) * m + 0.015 * rng.normal();
    });
  });
}

/** Pairwise covariance (ddof 1) straight from the definition, per period. */
function bruteCov(cols: number[][], i: number, j: number): number {
  const a = cols[i] as number[];
  const b = cols[j] as number[];
  const idx = a.map((_, k) => k).filter((k) => !Number.isNaN(a[k]) && !Number.isNaN(b[k]));
  const ma = idx.reduce((s, k) => s + (a[k] as number), 0) / idx.length;
  const mb = idx.reduce((s, k) => s + (b[k] as number), 0) / idx.length;
  return idx.reduce((s, k) => s + ((a[k] as number) - ma) * ((b[k] as number) - mb), 0) / (idx.length - 1);
}

/** pandas ewm(span, adjust=True).mean() of a series (NaN skipped), last value, by pandas' own recursion. */
function pandasEwmLast(values: number[], span: number): number {
  const alpha = 2 / (span + 1);
  let weighted = Number.NaN;
  let oldWt = 1;
  for (const cur of values) {
    if (Number.isNaN(cur)) continue;
    if (Number.isNaN(weighted)) {
      weighted = cur;
      continue;
    }
    oldWt *= 1 - alpha;
    weighted = (oldWt * weighted + cur) / (oldWt + 1);
    oldWt += 1;
  }
  return weighted;
}

/** PyPortfolioOpt's exp_cov entry from the definition: ewm of the product of the full-mean-centered series. */
function bruteExpCov(cols: number[][], i: number, j: number, span: number): number {
  const mean = (c: number[]) => {
    const v = c.filter((x) => !Number.isNaN(x));
    return v.reduce((s, x) => s + x, 0) / v.length;
  };
  const a = cols[i] as number[];
  const b = cols[j] as number[];
  const ma = mean(a);
  const mb = mean(b);
  return pandasEwmLast(
    a.map((x, k) => (x - ma) * ((b[k] as number) - mb)),
    span,
  );
}

function expectMatrix(got: Float64Array, n: number, want: (i: number, j: number) => number, rel: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const scale = Math.sqrt(Math.abs(want(i, i) * want(j, j)));
      expect(Math.abs((got[i * n + j] as number) - want(i, j))).toBeLessThanOrEqual(rel * scale);
      expect(got[i * n + j]).toBe(got[j * n + i]);
    }
  }
}

describe('sample covariance', () => {
  it('is sum of products of deviations / (T - 1) times the periods per year, by hand', () => {
    const r = returnsOf([
      [0.01, 0.02, 0.03, 0.04],
      [0.02, 0.01, 0.04, 0.03],
    ]);
    const s = sampleCovarianceFromReturns(r);
    // Deviations (x 1e-3): A -15, -5, 5, 15; B -5, -15, 15, 5. Sum of products 300e-6 -> 1e-4 per period.
    expect(s.values[1]).toBeCloseTo(1e-4 * 252, 15);
    expect(s.values[0]).toBeCloseTo((5e-4 / 3) * 252, 15);
    expect(s.tickers).toEqual(['T0', 'T1']);
    expect(s.method).toBe('sample');
    expect(s.warnings).toEqual([]);
    expect(sampleCovarianceFromReturns(r, { periodsPerYear: 12 }).values[1]).toBeCloseTo(1e-4 * 12, 15);
  });

  it("takes each pair's means over the pair's common dates (pandas semantics)", () => {
    const r = returnsOf([
      [0.05, 0.01, 0.02, 0.03, 0.04],
      [N, 0.02, 0.01, 0.04, 0.03],
    ]);
    const s = sampleCovarianceFromReturns(r);
    expect(s.values[1]).toBeCloseTo(1e-4 * 252, 15); // the first date, where B is missing, plays no part
    expect(s.values[0]).toBeCloseTo(bruteCov([[0.05, 0.01, 0.02, 0.03, 0.04]], 0, 0) * 252, 15);
  });

  for (const [label, interior] of [
    ['complete data (blocked fast path)', undefined],
    ['leading gaps', false],
    ['leading and interior gaps', true],
  ] as const) {
    it(`matches the definition pair by pair: ${label}`, () => {
      const t = 300;
      const n = 11;
      const cols =
        interior === undefined
          ? randomReturns(t, n, 9, false).map((c) => c.map((x) => (Number.isNaN(x) ? 0.001 : x)))
          : randomReturns(t, n, 9, interior);
      const s = sampleCovarianceFromReturns(returnsOf(cols));
      expect(s.warnings).toEqual([]);
      expectMatrix(s.values, n, (i, j) => bruteCov(cols, i, j) * 252, 1e-13);
    });
  }

  it('from prices equals from their simple returns', () => {
    const prices = DatedMatrix.fromColumns(
      businessDays('2021-01-04', 5),
      ['A', 'B'],
      [
        [10, 11, 10.5, 12, 11],
        [N, 20, 21, 19, 22],
      ],
    );
    expect(Array.from(sampleCovariance(prices).values)).toEqual(
      Array.from(sampleCovarianceFromReturns(simpleReturns(prices)).values),
    );
  });

  it('names an asset with fewer than 2 returns and a pair with fewer than 2 common dates', () => {
    expect(() =>
      sampleCovarianceFromReturns(
        returnsOf([
          [0.1, 0.2, 0.3],
          [N, N, 0.1],
        ]),
      ),
    ).toThrow(/"T1" has 1 return/);
    const apart = returnsOf([
      [0.1, 0.2, 0.3, N, N],
      [N, N, 0.1, 0.2, 0.3],
    ]);
    expect(() => sampleCovarianceFromReturns(apart)).toThrow(DataError);
    expect(() => sampleCovarianceFromReturns(apart)).toThrow(/"T0" and "T1" have 1 return date in common/);
  });
});

describe('semicovariance', () => {
  it('averages products of shortfalls below the benchmark over all return dates, by hand', () => {
    const r = returnsOf([
      [0.01, -0.02, 0.03, -0.01],
      [-0.01, -0.01, 0.02, 0.01],
    ]);
    const s = semicovarianceFromReturns(r);
    // Shortfalls: A 0, -0.02, 0, -0.01; B -0.01, -0.01, 0, 0.
    expect(s.values[0]).toBeCloseTo((5e-4 / 4) * 252, 15);
    expect(s.values[1]).toBeCloseTo((2e-4 / 4) * 252, 15);
    expect(s.values[3]).toBeCloseTo((2e-4 / 4) * 252, 15);
    expect(s.method).toBe('semicovariance');
    // Benchmark 0.01 per period: A -> 0, -0.03, 0, -0.02; B -> -0.02, -0.02, 0, 0.
    const b = semicovarianceFromReturns(r, { benchmark: 0.01 });
    expect(b.values[1]).toBeCloseTo((6e-4 / 4) * 252, 15);
  });

  it('counts a missing return as no shortfall but keeps the date in T', () => {
    const s = semicovarianceFromReturns(
      returnsOf([
        [-0.02, 0.01, -0.01],
        [N, -0.03, -0.01],
      ]),
    );
    expect(s.values[1]).toBeCloseTo((1e-4 / 3) * 252, 15);
    expect(s.values[3]).toBeCloseTo((10e-4 / 3) * 252, 15);
    const prices = DatedMatrix.fromColumns(businessDays('2021-01-04', 4), ['A'], [[10, 9, 9.5, 9]]);
    expect(Array.from(semicovariance(prices).values)).toEqual(
      Array.from(semicovarianceFromReturns(simpleReturns(prices)).values),
    );
    expect(() => semicovarianceFromReturns(returnsOf([[0.1, 0.2]]), { benchmark: Number.NaN })).toThrow(
      ValidationError,
    );
  });
});

describe('exponentially weighted covariance', () => {
  it('weights the last product 1 and earlier ones q, q^2, ..., by hand (span 3: q = 1/2)', () => {
    const r = returnsOf([
      [0.01, 0.03, 0.02],
      [0.02, 0.02, 0.05],
    ]);
    // Means 0.02 and 0.03; deviations A -0.01, 0.01, 0; B -0.01, -0.01, 0.02; products 1e-4, -1e-4, 0.
    const s = expCovarianceFromReturns(r, { span: 3 });
    expect(s.values[1]).toBeCloseTo(((0 - 0.5e-4 + 0.25e-4) / 1.75) * 252, 15);
    expect(s.values[0]).toBeCloseTo(((0 + 0.5e-4 + 0.25e-4) / 1.75) * 252, 15);
    expect(s.method).toBe('exponential');
  });

  for (const [label, interior, span] of [
    ['complete data (weighted Gram)', undefined, 30],
    ['leading gaps (weighted Gram with per-pair weight sums)', false, 60],
    ['interior gaps (pair by pair)', true, 180],
  ] as const) {
    it(`matches pandas' ewm recursion pair by pair: ${label}`, () => {
      const t = 400;
      const n = 10;
      const cols =
        interior === undefined
          ? randomReturns(t, n, 21, false).map((c) => c.map((x) => (Number.isNaN(x) ? -0.002 : x)))
          : randomReturns(t, n, 21, interior);
      // pandas (ignore_na=False) and pfopt agree when each pair's common dates are consecutive rows; with interior
      // gaps pfopt counts only common dates, which the NaN-skipping recursion of pandasEwmLast reproduces.
      const s = expCovarianceFromReturns(returnsOf(cols), { span });
      expect(s.warnings).toEqual([]);
      expectMatrix(s.values, n, (i, j) => bruteExpCov(cols, i, j, span) * 252, 1e-12);
    });
  }

  it('defaults to span 180, equals the price layer, and checks span and common dates', () => {
    const cols = randomReturns(50, 3, 4, false);
    const r = returnsOf(cols);
    expectMatrix(expCovarianceFromReturns(r).values, 3, (i, j) => bruteExpCov(cols, i, j, 180) * 252, 1e-12);
    const prices = DatedMatrix.fromColumns(businessDays('2021-01-04', 4), ['A'], [[10, 9, 9.5, 9]]);
    expect(Array.from(expCovariance(prices, { span: 5 }).values)).toEqual(
      Array.from(expCovarianceFromReturns(simpleReturns(prices), { span: 5 }).values),
    );
    expect(() => expCovarianceFromReturns(r, { span: 0 })).toThrow(ValidationError);
    const apart = returnsOf([
      [0.1, 0.2, 0.3, N, N],
      [N, N, 0.1, 0.2, 0.3],
    ]);
    expect(() => expCovarianceFromReturns(apart)).toThrow(/"T0" and "T1" have 1 return date in common/);
    const late = returnsOf([
      [0.1, 0.2, 0.3, 0.1],
      [N, N, N, 0.2],
    ]);
    expect(() => expCovarianceFromReturns(late)).toThrow(/"T1" has 1 return/);
  });
});

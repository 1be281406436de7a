/**
 * Ledoit-Wolf and OAS: structure and identities that hold for any data (the result is delta F + (1 - delta) S with S
 * the ddof-0 covariance, intensities in [0, 1] and invariant to the scale of returns, the targets' defining
 * properties), the complete-dates rule, and errors. Values against scikit-learn and the published MATLAB code are in
 * golden.test.ts.
 */

import { describe, expect, it } from 'vitest';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { DataError, ValidationError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { simpleReturns } from '../../src/core/returns.js';
import {
  ledoitWolf,
  ledoitWolfFromReturns,
  oracleApproximatingShrinkage,
  oracleApproximatingShrinkageFromReturns,
  type ShrinkageTarget,
  sampleCovarianceFromReturns,
} from '../../src/estimate/index.js';
import { businessDays } from '../core/helpers.js';

const N = Number.NaN;
const TARGETS: ShrinkageTarget[] = ['constant-variance', 'single-factor', 'constant-correlation'];

function returnsOf(columns: number[][]): DatedMatrix {
  const tickers = columns.map((_, j) => `T${j}`);
  return DatedMatrix.fromColumns(businessDays('2021-01-04', (columns[0] as number[]).length), tickers, columns, {
    periodsPerYear: 252,
  });
}

function factorReturns(t: number, n: number, seed: number, scale = 1): number[][] {
  const rng = new Random(seed);
  const market = Array.from({ length: t }, () => 0.01 * rng.normal());
  return Array.from({ length: n }, (_, j) =>
    market.map((m) => scale * (0.0002 + (-0.6 + (2.4 * j) / n) * m + (0.005 + 0.002 * j) * rng.normal())),
  );
}

describe('Ledoit-Wolf and OAS', () => {
  const cols = factorReturns(120, 8, 3);
  const r = returnsOf(cols);
  const n = 8;
  const t = 120;
  // ddof-0 covariance, annualised: (T - 1) / T times the ddof-1 sample covariance.
  const s0 = sampleCovarianceFromReturns(r).values.map((v) => (v * (t - 1)) / t);

  for (const target of TARGETS) {
    it(`${target}: delta F + (1 - delta) S with S the ddof-0 covariance and F of the right shape`, () => {
      const lw = ledoitWolfFromReturns(r, { target });
      expect(lw.method).toBe('ledoit-wolf');
      expect(lw.target).toBe(target);
      expect(lw.observations).toBe(t);
      expect(lw.warnings).toEqual([]);
      const delta = lw.shrinkage;
      expect(delta).toBeGreaterThan(0);
      expect(delta).toBeLessThan(1);
      // Recover the target F = (result - (1 - delta) S) / delta and check its defining property.
      const f = lw.values.map((v, k) => (v - (1 - delta) * (s0[k] as number)) / delta);
      const sd = Array.from({ length: n }, (_, i) => Math.sqrt(s0[i * n + i] as number));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const fij = f[i * n + j] as number;
          const tol = 1e-9 * (s0[0] as number);
          if (target === 'constant-variance') {
            let trace = 0;
            for (let k = 0; k < n; k++) trace += s0[k * n + k] as number;
            expect(Math.abs(fij - (i === j ? trace / n : 0))).toBeLessThan(tol);
          } else if (i === j) {
            expect(Math.abs(fij - (s0[i * n + i] as number))).toBeLessThan(tol); // the diagonal is kept
          } else if (target === 'constant-correlation') {
            const rho = fij / ((sd[i] as number) * (sd[j] as number));
            const rho01 = (f[1] as number) / ((sd[0] as number) * (sd[1] as number));
            expect(Math.abs(rho - rho01)).toBeLessThan(1e-9); // one correlation everywhere
          } else {
            // single factor: F_ij F_kl = F_il F_kj off the diagonal (rank one), checked on a fixed pair of columns.
            const k = (i + 2) % n;
            const l = (j + 3) % n;
            if (k !== i && k !== j && l !== i && l !== j && k !== l) {
              const lhs = fij * (f[k * n + l] as number);
              const rhs = (f[i * n + l] as number) * (f[k * n + j] as number);
              expect(Math.abs(lhs - rhs)).toBeLessThan(1e-9 * Math.abs(lhs) + 1e-18);
            }
          }
        }
      }
    });

    it(`${target}: the intensity does not depend on the scale of the returns`, () => {
      const big = ledoitWolfFromReturns(returnsOf(factorReturns(120, 8, 3, 10)), { target });
      const small = ledoitWolfFromReturns(r, { target });
      expect(Math.abs(big.shrinkage - small.shrinkage)).toBeLessThan(1e-12);
      for (let k = 0; k < n * n; k++) {
        expect(Math.abs((big.values[k] as number) - 100 * (small.values[k] as number))).toBeLessThan(
          1e-10 * (big.values[0] as number),
        );
      }
    });
  }

  it('OAS: delta mu I + (1 - delta) S', () => {
    const o = oracleApproximatingShrinkageFromReturns(r);
    expect(o.method).toBe('oas');
    expect(o.target).toBe('constant-variance');
    let trace = 0;
    for (let k = 0; k < n; k++) trace += s0[k * n + k] as number;
    for (let k = 0; k < n * n; k++) {
      const want = (1 - o.shrinkage) * (s0[k] as number) + (k % (n + 1) === 0 ? (o.shrinkage * trace) / n : 0);
      expect(Math.abs((o.values[k] as number) - want)).toBeLessThan(1e-12 * (s0[0] as number));
    }
  });

  it('one asset: no shrinkage, the ddof-0 variance', () => {
    const one = returnsOf([[0.01, 0.03, -0.01, 0.05]]);
    for (const target of TARGETS) {
      const lw = ledoitWolfFromReturns(one, { target });
      expect(lw.shrinkage).toBe(0);
      expect(lw.values[0]).toBeCloseTo(((0.01 ** 2 + 0.01 ** 2 + 0.03 ** 2 + 0.03 ** 2) / 4) * 252, 15);
    }
    expect(oracleApproximatingShrinkageFromReturns(one).shrinkage).toBe(0);
  });

  it('uses only the dates on which every asset has a return, and says so', () => {
    const gappy = cols.map((c, j) => (j === 2 ? c.map((x, i) => (i < 20 ? N : x)) : c));
    const lw = ledoitWolfFromReturns(returnsOf(gappy));
    expect(lw.observations).toBe(100);
    expect(lw.warnings).toHaveLength(1);
    expect(lw.warnings[0]).toMatch(
      /used the 100 of 120 return dates on which every asset has a return \(from 2021-02-01\)/,
    );
    const trimmed = ledoitWolfFromReturns(returnsOf(cols.map((c) => c.slice(20))));
    expect(lw.shrinkage).toBe(trimmed.shrinkage);
    expect(Array.from(lw.values)).toEqual(Array.from(trimmed.values));
  });

  it('from prices equals from their simple returns', () => {
    const prices = DatedMatrix.fromColumns(
      businessDays('2021-01-04', 6),
      ['A', 'B', 'C'],
      [
        [10, 11, 10.5, 12, 11, 11.5],
        [20, 21, 19, 22, 23, 22],
        [5, 5.5, 5.2, 5.1, 5.6, 5.4],
      ],
    );
    expect(ledoitWolf(prices, { target: 'single-factor' }).values).toEqual(
      ledoitWolfFromReturns(simpleReturns(prices), { target: 'single-factor' }).values,
    );
    expect(oracleApproximatingShrinkage(prices).values).toEqual(
      oracleApproximatingShrinkageFromReturns(simpleReturns(prices)).values,
    );
  });

  it('errors: too few complete dates (naming the latest asset), zero variance, unknown target', () => {
    const apart = returnsOf([
      [0.1, 0.2, 0.3, 0.1, N],
      [N, N, N, 0.2, 0.3],
    ]);
    expect(() => ledoitWolfFromReturns(apart)).toThrow(DataError);
    expect(() => ledoitWolfFromReturns(apart)).toThrow(/only 1 return date on which all 2 assets.*"T1" starts latest/);
    const flat = returnsOf([
      [0.1, 0.2, 0.3],
      [0.01, 0.01, 0.01],
    ]);
    expect(() => ledoitWolfFromReturns(flat, { target: 'constant-correlation' })).toThrow(/"T1" has zero variance/);
    expect(() => ledoitWolfFromReturns(r, { target: 'diagonal' as ShrinkageTarget })).toThrow(ValidationError);
  });
});

/**
 * Every estimator against reference/estimators/golden.json, written by reference/estimators/estimators.py with
 * numpy / pandas / scikit-learn and the published Ledoit-Wolf MATLAB code transcribed to numpy (never a translation
 * of the TypeScript). Inputs: the two synthetic CSVs of reference/data (one with leading gaps) and the embedded
 * monthly sample (GOOG listed late; benchmark S&P 500).
 *
 * Tolerance: 1e-10 relative. For expected returns, |got - want| <= 1e-10 * max(|want|, 1e-3): returns near 0 are
 * compared absolutely at 1e-13 of a year. For covariance entries the scale is the entry's own row and column,
 * |got_ij - want_ij| <= 1e-10 * sqrt(want_ii want_jj): an off-diagonal covariance near 0 is still held to 1e-10 of
 * the pair's volatilities (cancellation makes a plain relative test meaningless there). Shrinkage intensities and
 * betas: 1e-10 relative.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { simpleReturns } from '../../src/core/returns.js';
import { loadPrices } from '../../src/data/load-prices.js';
import {
  capmReturn,
  emaReturn,
  expCovariance,
  geometricReturn,
  jamesSteinReturn,
  ledoitWolf,
  meanReturn,
  oracleApproximatingShrinkage,
  sampleCovariance,
  sampleCovarianceFromReturns,
  semicovariance,
} from '../../src/estimate/index.js';
import type { CovarianceMatrix, ShrinkageTarget } from '../../src/estimate/types.js';

interface GoldenCase {
  readonly estimator: string;
  readonly options: Record<string, number | boolean | string>;
  readonly values?: number[];
  readonly upper?: number[];
  readonly betas?: number[];
  readonly marketReturn?: number;
  readonly shrinkage?: number;
  readonly grandMean?: number;
  readonly observations?: number;
  readonly repaired?: boolean;
}

interface GoldenInput {
  readonly name: string;
  readonly source: string;
  readonly periodsPerYear: number;
  readonly tickers: string[];
  readonly returnDates: number;
  readonly cases: GoldenCase[];
}

interface Golden {
  readonly header: Record<string, string>;
  readonly inputs: GoldenInput[];
  readonly nonPsd: {
    readonly returns: (number | null)[][];
    readonly tickers: string[];
    readonly periodsPerYear: number;
    readonly pairwise: number[];
    readonly repaired: number[];
    readonly wasRepaired: boolean;
    readonly minEigenvalue: number;
  };
}

const golden = JSON.parse(
  readFileSync(new URL('../../reference/estimators/golden.json', import.meta.url), 'utf8'),
) as Golden;

function pricesOf(input: GoldenInput): DatedMatrix {
  const source = input.source.startsWith('sample:')
    ? input.source
    : fileURLToPath(new URL(`../../${input.source}`, import.meta.url));
  return loadPrices(source).selectTickers(input.tickers);
}

/** Largest violation of |got - want| <= 1e-10 * max(|want|, floor), as a multiple of the allowed error (<= 1 passes). */
function vectorError(got: ArrayLike<number>, want: readonly number[], floor: number): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  want.forEach((w, i) => {
    worst = Math.max(worst, Math.abs((got[i] as number) - w) / (1e-10 * Math.max(Math.abs(w), floor)));
  });
  return worst;
}

/** Largest violation of |got_ij - want_ij| <= 1e-10 * sqrt(want_ii want_jj), want given as its upper triangle. */
function matrixError(got: CovarianceMatrix, upper: readonly number[]): number {
  const n = got.tickers.length;
  expect(upper.length).toBe((n * (n + 1)) / 2);
  const want = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      want[i * n + j] = upper[k] as number;
      want[j * n + i] = upper[k] as number;
      k++;
    }
  }
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const scale = Math.sqrt((want[i * n + i] as number) * (want[j * n + j] as number));
      const err = Math.abs((got.values[i * n + j] as number) - (want[i * n + j] as number)) / (1e-10 * scale);
      worst = Math.max(worst, err);
      // exact symmetry
      expect(got.values[i * n + j]).toBe(got.values[j * n + i]);
    }
  }
  return worst;
}

function relError(got: number, want: number): number {
  return Math.abs(got - want) / (1e-10 * Math.max(Math.abs(want), 1e-300));
}

describe('golden values', () => {
  it('were produced by the reference script with its library versions recorded', () => {
    expect(golden.header.producedBy).toContain('estimators.py');
    for (const lib of ['numpy', 'pandas', 'scikit-learn']) expect(golden.header[lib]).toMatch(/^\d+\.\d+/);
  });

  for (const input of golden.inputs) {
    describe(input.name, () => {
      const prices = pricesOf(input);
      const returns = simpleReturns(prices);
      const benchmark = input.source === 'sample:stocks' ? loadPrices('sample:sp500') : undefined;

      it('has the dates and periods per year the reference used', () => {
        expect(prices.periodsPerYear).toBe(input.periodsPerYear);
        expect(returns.rowCount).toBe(input.returnDates);
      });

      for (const c of input.cases) {
        it(`${c.estimator} ${JSON.stringify(c.options)}`, () => {
          const o = c.options;
          switch (c.estimator) {
            case 'mean':
              expect(vectorError(meanReturn(prices).values, c.values ?? [], 1e-3)).toBeLessThanOrEqual(1);
              break;
            case 'geometric':
              expect(vectorError(geometricReturn(prices).values, c.values ?? [], 1e-3)).toBeLessThanOrEqual(1);
              break;
            case 'ema': {
              const got = emaReturn(prices, { span: o.span as number, compounding: o.compounding as boolean });
              expect(vectorError(got.values, c.values ?? [], 1e-3)).toBeLessThanOrEqual(1);
              break;
            }
            case 'capm': {
              const got = capmReturn(prices, {
                riskFreeRate: o.riskFreeRate as number,
                compounding: o.compounding as boolean,
                ...(o.market === 'benchmark' ? { benchmark } : {}),
              });
              expect(vectorError(got.values, c.values ?? [], 1e-3)).toBeLessThanOrEqual(1);
              expect(vectorError(got.betas, c.betas ?? [], 1e-3)).toBeLessThanOrEqual(1);
              expect(relError(got.marketReturn, c.marketReturn as number)).toBeLessThanOrEqual(1);
              break;
            }
            case 'james-stein': {
              const got = jamesSteinReturn(prices);
              expect(vectorError(got.values, c.values ?? [], 1e-3)).toBeLessThanOrEqual(1);
              expect(relError(got.shrinkage, c.shrinkage as number)).toBeLessThanOrEqual(1);
              expect(relError(got.grandMean, c.grandMean as number)).toBeLessThanOrEqual(1);
              expect(got.observations).toBe(c.observations);
              break;
            }
            case 'sample': {
              const got = sampleCovariance(prices);
              expect(matrixError(got, c.upper ?? [])).toBeLessThanOrEqual(1);
              expect(got.warnings.length > 0).toBe(c.repaired);
              break;
            }
            case 'semicovariance': {
              const got = semicovariance(prices, { benchmark: o.benchmark as number });
              expect(matrixError(got, c.upper ?? [])).toBeLessThanOrEqual(1);
              break;
            }
            case 'exponential': {
              const got = expCovariance(prices, { span: o.span as number });
              expect(matrixError(got, c.upper ?? [])).toBeLessThanOrEqual(1);
              expect(got.warnings.length > 0).toBe(c.repaired);
              break;
            }
            case 'ledoit-wolf':
            case 'oas': {
              const got =
                c.estimator === 'oas'
                  ? oracleApproximatingShrinkage(prices)
                  : ledoitWolf(prices, { target: o.target as ShrinkageTarget });
              expect(matrixError(got, c.upper ?? [])).toBeLessThanOrEqual(1);
              expect(relError(got.shrinkage, c.shrinkage as number)).toBeLessThanOrEqual(1);
              expect(got.observations).toBe(c.observations);
              break;
            }
            default:
              throw new Error(`no test for estimator ${c.estimator}`);
          }
        });
      }
    });
  }

  it('pairwise covariance that is not PSD: repaired like numpy eigh clipping, with a warning', () => {
    const g = golden.nonPsd;
    const t = (g.returns[0] as (number | null)[]).length;
    const dates = Array.from({ length: t }, (_, i) => 20_000 + i);
    const columns = g.returns.map((col) => col.map((v) => (v === null ? Number.NaN : v)));
    const returns = DatedMatrix.fromColumns(dates, g.tickers, columns, { periodsPerYear: g.periodsPerYear });
    const got = sampleCovarianceFromReturns(returns);
    expect(g.wasRepaired).toBe(true);
    expect(matrixError(got, g.repaired)).toBeLessThanOrEqual(1);
    expect(got.warnings).toHaveLength(1);
    const reported = Number(/most negative eigenvalue (\S+),/.exec(got.warnings[0] as string)?.[1]);
    expect(Math.abs(reported - g.minEigenvalue)).toBeLessThanOrEqual(5e-4 * Math.abs(g.minEigenvalue)); // 4 digits
  });
});

/**
 * Expected-return estimators on tiny hand-checkable inputs, plus their errors. Golden comparisons against pandas are in
 * golden.test.ts.
 */

import { describe, expect, it } from 'vitest';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { DataError, ValidationError } from '../../src/core/errors.js';
import { simpleReturns } from '../../src/core/returns.js';
import {
  capmReturn,
  capmReturnFromReturns,
  emaReturn,
  emaReturnFromReturns,
  geometricReturn,
  geometricReturnFromReturns,
  jamesSteinReturnFromReturns,
  meanReturn,
  meanReturnFromReturns,
  sampleCovarianceFromReturns,
} from '../../src/estimate/index.js';
import { d } from '../core/helpers.js';

const N = Number.NaN;
const MONTHS = ['2020-01-31', '2020-02-29', '2020-03-31', '2020-04-30', '2020-05-31'].map(d);

/** Monthly returns (periodsPerYear 12 given), one array per ticker. */
function returnsOf(columns: Record<string, number[]>, dates = MONTHS): DatedMatrix {
  const tickers = Object.keys(columns);
  const cols = tickers.map((t) => columns[t] as number[]);
  return DatedMatrix.fromColumns(dates.slice(0, (cols[0] as number[]).length), tickers, cols, { periodsPerYear: 12 });
}

// A: +10%, -10%, +10%. LATE: listed a period later, +10%, -20%.
const R = returnsOf({ A: [0.1, -0.1, 0.1], LATE: [N, 0.1, -0.2] });

describe('mean return', () => {
  it("is the mean of each asset's own returns times the periods per year", () => {
    const mu = meanReturnFromReturns(R);
    expect(mu.tickers).toEqual(['A', 'LATE']);
    expect(mu.values[0]).toBeCloseTo((0.1 / 3) * 12, 14);
    expect(mu.values[1]).toBeCloseTo(-0.05 * 12, 14);
    expect(mu.periodsPerYear).toBe(12);
    expect(mu.method).toBe('mean');
    expect(meanReturnFromReturns(R, { periodsPerYear: 52 }).values[1]).toBeCloseTo(-0.05 * 52, 14);
  });

  it('from prices equals from their simple returns', () => {
    const prices = DatedMatrix.fromColumns(MONTHS.slice(0, 4), ['A'], [[100, 110, 99, 108.9]], { periodsPerYear: 12 });
    expect(Array.from(meanReturn(prices).values)).toEqual(
      Array.from(meanReturnFromReturns(simpleReturns(prices)).values),
    );
  });
});

describe('geometric return', () => {
  it('compounds each asset over its own count of returns', () => {
    const g = geometricReturnFromReturns(R);
    expect(g.values[0]).toBeCloseTo((1.1 * 0.9 * 1.1) ** (12 / 3) - 1, 14);
    expect(g.values[1]).toBeCloseTo((1.1 * 0.8) ** (12 / 2) - 1, 14);
    expect(g.method).toBe('geometric');
  });

  it('uses the gap policy of the prices: span compounds across a missing price', () => {
    const prices = DatedMatrix.fromColumns(MONTHS, ['G'], [[100, 110, N, 121, 133.1]], { periodsPerYear: 12 });
    // 'nan': returns 0.1 and 0.1 (the move across the gap is lost); 'span': 0.1, 0.21, 0.1 (total growth 1.331).
    expect(geometricReturn(prices).values[0]).toBeCloseTo(1.1 ** 12 - 1, 12);
    expect(geometricReturn(prices, { gaps: 'span' }).values[0]).toBeCloseTo(1.331 ** 4 - 1, 12);
  });

  it('rejects a return of -100% or below', () => {
    expect(() => geometricReturnFromReturns(returnsOf({ X: [0.1, -1] }))).toThrow(/"X".*-1/);
  });
});

describe('exponentially weighted mean return', () => {
  it('weights the last return 1, the one before q, then q^2, normalised (span 3: q = 1/2)', () => {
    const e = emaReturnFromReturns(R, { span: 3 });
    expect(e.values[0]).toBeCloseTo(((0.1 - 0.1 * 0.5 + 0.1 * 0.25) / 1.75) * 12, 14);
    expect(e.values[1]).toBeCloseTo(((-0.2 + 0.1 * 0.5) / 1.5) * 12, 14);
    expect(e.method).toBe('ema');
  });

  it('span 1 keeps only the last return; compounding annualises geometrically', () => {
    expect(emaReturnFromReturns(R, { span: 1 }).values[0]).toBeCloseTo(1.2, 14);
    expect(emaReturnFromReturns(R, { span: 1, compounding: true }).values[0]).toBeCloseTo(1.1 ** 12 - 1, 12);
  });

  it("skips missing returns inside a history (weights follow the asset's own observations)", () => {
    const gap = returnsOf({ X: [0.04, N, 0.01, 0.02] });
    const q = 0.5;
    const want = ((0.02 + q * 0.01 + q * q * 0.04) / (1 + q + q * q)) * 12;
    expect(emaReturnFromReturns(gap, { span: 3 }).values[0]).toBeCloseTo(want, 14);
  });

  it('defaults to span 500 and rejects a span below 1', () => {
    const q = 1 - 2 / 501;
    expect(emaReturnFromReturns(R).values[0]).toBeCloseTo(((0.1 - 0.1 * q + 0.1 * q * q) / (1 + q + q * q)) * 12, 14);
    expect(() => emaReturnFromReturns(R, { span: 0.5 })).toThrow(ValidationError);
    const prices = DatedMatrix.fromColumns(MONTHS.slice(0, 3), ['A'], [[1, 2, 3]], { periodsPerYear: 12 });
    expect(emaReturn(prices, { span: 1 }).values[0]).toBeCloseTo(0.5 * 12, 14);
  });
});

describe('CAPM return', () => {
  // Market m; A = 2m exactly (beta 2); B = m + a constant (beta 1); C = -m/2 (beta -1/2).
  const m = [0.02, -0.01, 0.03, 0.01];
  const assets = returnsOf({ A: m.map((v) => 2 * v), B: m.map((v) => v + 0.005), C: m.map((v) => -v / 2) });
  const market = returnsOf({ MKT: m });

  it('uses betas against a benchmark and its geometric annual return by default', () => {
    const c = capmReturnFromReturns(assets, { benchmark: market, riskFreeRate: 0.02 });
    const em = (1.02 * 0.99 * 1.03 * 1.01) ** (12 / 4) - 1;
    expect(Array.from(c.betas).map((b) => Number(b.toFixed(12)))).toEqual([2, 1, -0.5]);
    expect(c.marketReturn).toBeCloseTo(em, 14);
    expect(c.values[0]).toBeCloseTo(0.02 + 2 * (em - 0.02), 14);
    expect(c.values[2]).toBeCloseTo(0.02 - 0.5 * (em - 0.02), 14);
    expect(c.riskFreeRate).toBe(0.02);
    expect(c.method).toBe('capm');
  });

  it('uses the arithmetic annual market mean without compounding', () => {
    const c = capmReturnFromReturns(assets, { benchmark: market, compounding: false });
    expect(c.marketReturn).toBeCloseTo(0.0125 * 12, 14);
    expect(c.values[1]).toBeCloseTo(0.0125 * 12, 14);
  });

  it('the equal-weighted market gives betas averaging exactly 1 on complete data', () => {
    const c = capmReturnFromReturns(assets);
    const mean = (c.betas[0] as number) + (c.betas[1] as number) + (c.betas[2] as number);
    expect(mean / 3).toBeCloseTo(1, 14);
  });

  it('matches the benchmark by date, and a beta uses only the dates the asset shares with the market', () => {
    // The market has no return on the second date; the asset's beta comes from the three others.
    const gappy = returnsOf({ MKT: [0.02, N, 0.03, 0.01] });
    const c = capmReturnFromReturns(returnsOf({ A: [0.04, 0.5, 0.06, 0.02] }), { benchmark: gappy });
    expect(c.betas[0]).toBeCloseTo(2, 14);
    // A benchmark dated differently: only the dates both have count.
    const shifted = DatedMatrix.fromColumns([d('2019-12-31'), ...MONTHS.slice(0, 4)], ['MKT'], [[0.9, ...m]], {
      periodsPerYear: 12,
    });
    expect(capmReturnFromReturns(assets, { benchmark: shifted }).betas[0]).toBeCloseTo(2, 14);
  });

  it("from prices aligns benchmark prices to the assets' dates before taking returns", () => {
    const dates = MONTHS;
    const prices = DatedMatrix.fromColumns(dates, ['A'], [[100, 102, 99, 105, 104]], { periodsPerYear: 12 });
    // Benchmark prices on a superset of the dates: the extra mid-month prices must be ignored.
    const benchDates = [dates[0], d('2020-02-14'), dates[1], dates[2], dates[3], d('2020-05-15'), dates[4]];
    const bench = DatedMatrix.fromColumns(benchDates as number[], ['SPX'], [[50, 10, 51, 49, 52, 99, 51.5]]);
    const got = capmReturn(prices, { benchmark: bench });
    const onDates = DatedMatrix.fromColumns(dates, ['SPX'], [[50, 51, 49, 52, 51.5]], { periodsPerYear: 12 });
    const want = capmReturnFromReturns(simpleReturns(prices), { benchmark: simpleReturns(onDates) });
    expect(got.betas[0]).toBe(want.betas[0]);
    expect(got.values[0]).toBe(want.values[0]);
  });

  it('says when the benchmark shares no date, has several columns, or the rate is invalid', () => {
    const elsewhere = DatedMatrix.fromColumns([d('2010-01-31'), d('2010-02-28')], ['OLD'], [[0.01, 0.02]]);
    expect(() => capmReturnFromReturns(assets, { benchmark: elsewhere })).toThrow(DataError);
    expect(() => capmReturnFromReturns(assets, { benchmark: elsewhere })).toThrow(/"OLD" has no value on any date/);
    const oldPrices = DatedMatrix.fromColumns([d('2010-01-31'), d('2010-02-28')], ['OLD'], [[1, 2]]);
    const prices = DatedMatrix.fromColumns(MONTHS, ['A'], [[1, 2, 3, 4, 5]], { periodsPerYear: 12 });
    expect(() => capmReturn(prices, { benchmark: oldPrices })).toThrow(/no value on any date/);
    expect(() => capmReturnFromReturns(assets, { benchmark: assets })).toThrow(ValidationError);
    expect(() => capmReturnFromReturns(assets, { riskFreeRate: Number.NaN })).toThrow(ValidationError);
    const flat = returnsOf({ MKT: [0.01, 0.01, 0.01, 0.01] });
    expect(() => capmReturnFromReturns(assets, { benchmark: flat })).toThrow(/does not vary/);
  });
});

describe('James-Stein return', () => {
  // Three assets with means 0.01, 0.02, 0.06 per month and a given covariance.
  const js = returnsOf({ A: [0.0, 0.02, 0.01, 0.01], B: [0.03, 0.01, 0.025, 0.015], C: [0.05, 0.08, 0.06, 0.05] });

  it("shrinks towards the grand mean by c = min(1, ((n-2)/T) / (d' Sigma^-1 d))", () => {
    // Sigma (per period) diagonal 1e-4, 4e-4, 9e-4, given annualised (x12).
    const sigma = [1e-4, 0, 0, 0, 4e-4, 0, 0, 0, 9e-4].map((v) => v * 12);
    const covariance = {
      tickers: ['A', 'B', 'C'],
      values: Float64Array.from(sigma),
      warnings: [],
      periodsPerYear: 12,
      method: 'sample' as const,
    };
    const r = jamesSteinReturnFromReturns(js, { covariance });
    const grand = 0.03;
    const dist = (0.01 - grand) ** 2 / 1e-4 + (0.02 - grand) ** 2 / 4e-4 + (0.06 - grand) ** 2 / 9e-4;
    const c = (3 - 2) / 4 / dist;
    expect(r.shrinkage).toBeCloseTo(c, 14);
    expect(r.grandMean).toBeCloseTo(grand * 12, 14);
    expect(r.observations).toBe(4);
    expect(r.values[2]).toBeCloseTo(12 * ((1 - c) * 0.06 + c * grand), 13);
  });

  it('clamps c to 1 when the means are indistinguishable, and to 0 with two assets', () => {
    const noisy = returnsOf({ A: [0.1, -0.1, 0.1, -0.1], B: [-0.1, 0.1, -0.05, 0.06], C: [0.2, -0.3, 0.1, 0.0] });
    const r = jamesSteinReturnFromReturns(noisy);
    expect(r.shrinkage).toBe(1);
    for (const v of r.values) expect(v).toBeCloseTo(r.grandMean, 14);
    const two = jamesSteinReturnFromReturns(returnsOf({ A: [0.01, 0.03, 0.02], B: [0.05, 0.02, 0.01] }));
    expect(two.shrinkage).toBe(0);
    expect(Array.from(two.values)).toEqual(
      Array.from(meanReturnFromReturns(returnsOf({ A: [0.01, 0.03, 0.02], B: [0.05, 0.02, 0.01] })).values),
    );
  });

  it('uses the sample covariance by default and rejects a singular one or a mismatched given one', () => {
    const r = jamesSteinReturnFromReturns(js);
    const again = jamesSteinReturnFromReturns(js, { covariance: sampleCovarianceFromReturns(js) });
    expect(r.shrinkage).toBe(again.shrinkage);
    // Fewer returns than assets: the sample covariance is singular.
    const short = returnsOf({ A: [0.01, 0.02, 0.03], B: [0.02, 0.04, 0.07], C: [0.0, 0.01, 0.0] });
    expect(() => jamesSteinReturnFromReturns(short)).toThrow(/3 returns for 3 assets/);
    // B = 2 A exactly (binary fractions, so the rounding cannot hide it): Sigma is singular.
    const singular = returnsOf({
      A: [0.25, 0.5, 0.75, 0.5],
      B: [0.5, 1, 1.5, 1],
      C: [0, 0.25, 0, 0.5],
    });
    expect(() => jamesSteinReturnFromReturns(singular)).toThrow(/not positive definite/);
    const wrong = { ...sampleCovarianceFromReturns(js), tickers: ['C', 'B', 'A'] };
    expect(() => jamesSteinReturnFromReturns(js, { covariance: wrong })).toThrow(ValidationError);
    const weekly = sampleCovarianceFromReturns(js, { periodsPerYear: 52 });
    expect(() => jamesSteinReturnFromReturns(js, { covariance: weekly })).toThrow(/periods per year/);
  });
});

describe('input errors', () => {
  it('name an asset with fewer than 2 returns, and reject infinite returns and empty matrices', () => {
    const short = returnsOf({ A: [0.1, 0.2, 0.3], ONE: [N, N, 0.1] });
    for (const f of [meanReturnFromReturns, geometricReturnFromReturns, emaReturnFromReturns, capmReturnFromReturns]) {
      expect(() => f(short)).toThrow(DataError);
      expect(() => f(short)).toThrow(/"ONE" has 1 return;/);
    }
    const inf = returnsOf({ A: [0.1, Number.POSITIVE_INFINITY, 0.3] });
    expect(() => meanReturnFromReturns(inf)).toThrow(/"A" on 2020-02-29 is Infinity/);
    const empty = DatedMatrix.fromColumns(MONTHS, [], [], { periodsPerYear: 12 });
    expect(() => meanReturnFromReturns(empty)).toThrow(/no assets/);
    expect(() => meanReturnFromReturns(R, { periodsPerYear: 0 })).toThrow(ValidationError);
  });
});

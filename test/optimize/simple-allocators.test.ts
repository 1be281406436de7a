/**
 * The closed-form allocators (equal weight, inverse volatility, inverse variance, market cap) by hand-computed
 * numbers, the performance figures and risk contributions every allocator reports, and input validation.
 */

import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import {
  equalWeight,
  inverseVariance,
  inverseVolatility,
  marketCapWeight,
  riskContributionsOf,
} from '../../src/optimize/allocators.js';

// Volatilities 10%, 20%, 40%; correlations 0.5 (A, B), 0.2 (A, C), -0.1 (B, C).
const vol = [0.1, 0.2, 0.4];
const rho = [
  [1, 0.5, 0.2],
  [0.5, 1, -0.1],
  [0.2, -0.1, 1],
];
const tickers = ['A', 'B', 'C'];
const values = new Float64Array(9);
for (let i = 0; i < 3; i++)
  for (let j = 0; j < 3; j++) values[i * 3 + j] = (rho[i]?.[j] as number) * (vol[i] as number) * (vol[j] as number);
const cov = { tickers, values };
const mu = [0.05, 0.08, 0.12];

function portfolioVariance(w: ArrayLike<number>): number {
  let v = 0;
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) v += (w[i] as number) * (values[i * 3 + j] as number) * (w[j] as number);
  return v;
}

describe('closed forms', () => {
  it('equal weight: 1/n each', () => {
    const r = equalWeight(tickers);
    expect(Array.from(r.weights)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(r.method).toBe('equal-weight');
    expect(r.volatility).toBeUndefined();
    expect(r.expectedReturn).toBeUndefined();
    expect(r.sharpe).toBeUndefined();
    expect(r.riskContributions).toBeUndefined();
  });

  it('inverse volatility: 1/sigma normalised, (10, 5, 2.5) / 17.5', () => {
    const r = inverseVolatility(cov);
    expect(r.weights[0]).toBeCloseTo(10 / 17.5, 15);
    expect(r.weights[1]).toBeCloseTo(5 / 17.5, 15);
    expect(r.weights[2]).toBeCloseTo(2.5 / 17.5, 15);
    expect(r.weightsByTicker).toEqual({ A: r.weights[0], B: r.weights[1], C: r.weights[2] });
  });

  it('inverse variance: 1/sigma^2 normalised, (100, 25, 6.25) / 131.25', () => {
    const r = inverseVariance(cov);
    expect(r.weights[0]).toBeCloseTo(100 / 131.25, 15);
    expect(r.weights[1]).toBeCloseTo(25 / 131.25, 15);
    expect(r.weights[2]).toBeCloseTo(6.25 / 131.25, 15);
  });

  it('market cap: caps over their sum, in the map order or the order asked for', () => {
    const caps = { MSFT: 3000, AAPL: 2500, IBM: 500 };
    const r = marketCapWeight(caps);
    expect(r.tickers).toEqual(['MSFT', 'AAPL', 'IBM']);
    expect(Array.from(r.weights)).toEqual([0.5, 2500 / 6000, 500 / 6000]);
    const some = marketCapWeight(caps, { tickers: ['IBM', 'MSFT'] });
    expect(some.tickers).toEqual(['IBM', 'MSFT']);
    expect(Array.from(some.weights)).toEqual([500 / 3500, 3000 / 3500]);
  });
});

describe('performance and risk contributions', () => {
  it('volatility sqrt(w S w), return mu w, Sharpe (mu w - rf) / vol, contributions w_i (S w)_i / vol', () => {
    for (const r of [
      equalWeight(tickers, { covariance: values, expectedReturns: mu, riskFreeRate: 0.02 }),
      inverseVolatility(cov, { expectedReturns: mu, riskFreeRate: 0.02 }),
      inverseVariance(cov, { expectedReturns: mu, riskFreeRate: 0.02 }),
      marketCapWeight({ A: 1, B: 2, C: 3 }, { covariance: values, expectedReturns: mu, riskFreeRate: 0.02 }),
    ]) {
      const w = r.weights;
      const v = portfolioVariance(w);
      const ret = mu.reduce((a, m, i) => a + m * (w[i] as number), 0);
      expect(r.volatility).toBeCloseTo(Math.sqrt(v), 15);
      expect(r.expectedReturn).toBeCloseTo(ret, 15);
      expect(r.sharpe).toBeCloseTo((ret - 0.02) / Math.sqrt(v), 14);
      expect(r.riskFreeRate).toBe(0.02);
      const rc = r.riskContributions;
      if (rc === undefined) throw new Error('risk contributions missing');
      let sumAbs = 0;
      let sumRel = 0;
      for (let i = 0; i < 3; i++) {
        let swi = 0;
        for (let j = 0; j < 3; j++) swi += (values[i * 3 + j] as number) * (w[j] as number);
        expect(rc.absolute[i]).toBeCloseTo(((w[i] as number) * swi) / Math.sqrt(v), 15);
        expect(rc.relative[i]).toBeCloseTo(((w[i] as number) * swi) / v, 14);
        sumAbs += rc.absolute[i] as number;
        sumRel += rc.relative[i] as number;
      }
      expect(sumAbs).toBeCloseTo(Math.sqrt(v), 15);
      expect(sumRel).toBeCloseTo(1, 14);
    }
  });

  it('risk contributions of a zero-variance portfolio are zero, not NaN', () => {
    const rc = riskContributionsOf(new Float64Array([1, -1, -1, 1]), [0.5, 0.5]);
    expect(rc.variance).toBe(0);
    expect(Array.from(rc.absolute)).toEqual([0, 0]);
    expect(Array.from(rc.relative)).toEqual([0, 0]);
  });
});

describe('validation', () => {
  it('rejects no, empty or repeated tickers', () => {
    expect(() => equalWeight([])).toThrow(/at least one ticker/);
    expect(() => equalWeight(['A', ''])).toThrow(/empty/);
    expect(() => equalWeight(['A', 'A'])).toThrow(/"A" appears twice/);
  });

  it('rejects a covariance of the wrong size, asymmetric, with a non-positive variance or a correlation above 1', () => {
    expect(() => inverseVolatility({ tickers: ['A', 'B'], values: [1, 0, 0] })).toThrow(/3 entries; 2 tickers need 4/);
    expect(() => inverseVolatility({ tickers: ['A', 'B'], values: [1, 0.2, 0.1, 1] })).toThrow(/not symmetric/);
    expect(() => inverseVariance({ tickers: ['A', 'B'], values: [0, 0, 0, 1] })).toThrow(/variance of "A" is 0/);
    expect(() => inverseVariance({ tickers: ['A', 'B'], values: [1, 2, 2, 1] })).toThrow(/correlation above 1/);
    expect(() => inverseVariance({ tickers: ['A', 'B'], values: [1, Number.NaN, Number.NaN, 1] })).toThrow(
      /not a finite number/,
    );
    expect(() => equalWeight(['A', 'B'], { covariance: [1, 0, 0] })).toThrow(ValidationError);
  });

  it('rejects bad market caps, expected returns and risk-free rates', () => {
    expect(() => marketCapWeight({ A: 1, B: 0 })).toThrow(/market cap of "B" is 0/);
    expect(() => marketCapWeight({ A: 1, B: Number.POSITIVE_INFINITY })).toThrow(ValidationError);
    expect(() => marketCapWeight({ A: 1 }, { tickers: ['A', 'B'] })).toThrow(/no market cap for "B"/);
    expect(() => equalWeight(tickers, { expectedReturns: [0.1, 0.2] })).toThrow(/3 numbers/);
    expect(() => equalWeight(tickers, { expectedReturns: [0.1, Number.NaN, 0.2] })).toThrow(/finite/);
    expect(() => equalWeight(tickers, { riskFreeRate: Number.NaN })).toThrow(/risk-free rate/);
  });
});

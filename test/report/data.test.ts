/** The report's derived data: rolling figures, calendar-month returns, random portfolios. */

import { describe, expect, it } from 'vitest';
import { epochDay } from '../../src/core/dates.js';
import { monthlyReturns } from '../../src/report/data/monthly.js';
import { randomPortfolios } from '../../src/report/data/random-portfolios.js';
import { rollingFigures } from '../../src/report/data/rolling.js';

describe('rollingFigures', () => {
  const b = [0.01, -0.02, 0.03, 0.005, -0.01, 0.02, 0.0];
  const r = b.map((x) => 2 * x + 0.001);

  it('computes volatility, Sharpe and beta over each trailing window', () => {
    const out = rollingFigures(r, { window: 4, periodsPerYear: 12, benchmark: b });
    expect(out.map((f) => f.index)).toEqual([3, 4, 5, 6]);
    const w = r.slice(0, 4);
    const mean = w.reduce((s, x) => s + x, 0) / 4;
    const sd = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / 3);
    expect(out[0]!.volatility).toBeCloseTo(sd * Math.sqrt(12), 14);
    expect(out[0]!.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(12), 12);
    for (const f of out) expect(f.beta).toBeCloseTo(2, 12);
  });

  it('takes the risk-free rate per period and gives null where a window has a gap', () => {
    const gap = [...r];
    gap[5] = Number.NaN;
    const out = rollingFigures(gap, { window: 3, periodsPerYear: 12, riskFreeRate: 0.12 });
    expect(out.map((f) => f.volatility === null)).toEqual([false, false, false, true, true]);
    const w = r.slice(0, 3);
    const mean = w.reduce((s, x) => s + x, 0) / 3;
    const sd = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    const rf = 1.12 ** (1 / 12) - 1;
    expect(out[0]!.sharpe).toBeCloseTo(((mean - rf) / sd) * Math.sqrt(12), 12);
    expect(out[0]!.beta).toBeNull();
  });

  it('refuses a window below 2 and lengths that differ', () => {
    expect(() => rollingFigures(r, { window: 1, periodsPerYear: 12 })).toThrow(/at least 2/);
    expect(() => rollingFigures(r, { window: 3, periodsPerYear: 12, benchmark: [0.1] })).toThrow(/benchmark/);
  });
});

describe('monthlyReturns', () => {
  it('compounds within each calendar month from the last value of the month before', () => {
    const dates = [
      epochDay(2020, 1, 15),
      epochDay(2020, 1, 31),
      epochDay(2020, 2, 10),
      epochDay(2020, 2, 28),
      epochDay(2020, 4, 1),
    ];
    const nav = [1, 1.1, 1.0, 1.21, Number.NaN];
    expect(monthlyReturns(dates, nav)).toEqual([
      { year: 2020, month: 1, value: 1.1 / 1 - 1 },
      { year: 2020, month: 2, value: 1.21 / 1.1 - 1 },
    ]);
  });

  it('gives monthly data one return a month and leaves out a first month of one value', () => {
    const dates = [epochDay(2019, 12, 1), epochDay(2020, 1, 1), epochDay(2020, 2, 1)];
    expect(monthlyReturns(dates, [100, 110, 99])).toEqual([
      { year: 2020, month: 1, value: 110 / 100 - 1 },
      { year: 2020, month: 2, value: 99 / 110 - 1 },
    ]);
  });
});

describe('randomPortfolios', () => {
  const mu = [0.05, 0.1, 0.15];
  const cov = [0.04, 0.01, 0, 0.01, 0.09, 0.02, 0, 0.02, 0.16];

  it('draws long-only portfolios whose returns lie between the assets and match their volatility', () => {
    const a = randomPortfolios(mu, cov, { count: 300, seed: 7, riskFreeRate: 0.02 });
    expect(a).toHaveLength(300);
    for (const p of a) {
      expect(p.expectedReturn).toBeGreaterThanOrEqual(0.05);
      expect(p.expectedReturn).toBeLessThanOrEqual(0.15);
      expect(p.volatility).toBeGreaterThan(0);
      expect(p.sharpe).toBeCloseTo((p.expectedReturn - 0.02) / p.volatility, 12);
    }
    // Spread over the simplex: some near each end of the return range.
    expect(Math.min(...a.map((p) => p.expectedReturn))).toBeLessThan(0.07);
    expect(Math.max(...a.map((p) => p.expectedReturn))).toBeGreaterThan(0.13);
  });

  it('is reproducible by seed', () => {
    expect(randomPortfolios(mu, cov, { count: 5, seed: 1 })).toEqual(randomPortfolios(mu, cov, { count: 5, seed: 1 }));
    expect(randomPortfolios(mu, cov, { count: 5, seed: 1 })).not.toEqual(
      randomPortfolios(mu, cov, { count: 5, seed: 2 }),
    );
  });
});

/**
 * Series metrics, drawdowns and benchmark metrics on short vectors computed by hand from the stated formulas, and
 * the edge cases: NaN runs, constant and all-negative returns, a single period, no data.
 */

import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { benchmarkMetrics } from '../../src/risk/benchmark-metrics.js';
import { drawdownSeries, drawdownStats } from '../../src/risk/drawdown.js';
import {
  annualVolatility,
  cagr,
  calmarRatio,
  excessKurtosis,
  hitRate,
  omegaRatio,
  seriesMetrics,
  sharpeRatio,
  skewness,
  sortinoRatio,
  stability,
  tailRatio,
  totalReturn,
} from '../../src/risk/metrics.js';

/** Relative closeness at 1e-12 (hand formulas round differently from the library in the last bits). */
function near(got: number, want: number, rel = 1e-12): void {
  if (!(Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-300))) {
    expect.fail(`got ${got}, want ${want}`);
  }
}

const R = [0.1, -0.05, 0.02, -0.1, 0.08];
const P = 12;

describe('metrics of a five-period series, by hand', () => {
  // mean 0.01; deviations 0.09, -0.06, 0.01, -0.11, 0.07; sum of squares 0.0288; variance 0.0072 (ddof 1).
  const growth = 1.1 * 0.95 * 1.02 * 0.9 * 1.08;

  it('total return, CAGR and volatility', () => {
    near(totalReturn(R), growth - 1);
    near(cagr(R, P), growth ** (12 / 5) - 1);
    near(annualVolatility(R, P), Math.sqrt(0.0072) * Math.sqrt(12));
  });

  it('Sharpe with the per-period risk-free rate, Sortino over all periods', () => {
    near(sharpeRatio(R, { periodsPerYear: P }), (0.01 / Math.sqrt(0.0072)) * Math.sqrt(12));
    const rf = 0.05;
    const rfp = 1.05 ** (1 / 12) - 1;
    // Excess returns have the same deviations, so the same standard deviation.
    near(sharpeRatio(R, { periodsPerYear: P, riskFreeRate: rf }), ((0.01 - rfp) / Math.sqrt(0.0072)) * Math.sqrt(12));
    // Target 0: shortfalls 0.05 and 0.1 over 5 periods -> DD = sqrt(0.0125 / 5) = 0.05.
    near(sortinoRatio(R, { periodsPerYear: P }), (0.01 / 0.05) * Math.sqrt(12));
    // The default target is rf_p, not 0.
    const dd = Math.sqrt(((-0.05 - rfp) ** 2 + (-0.1 - rfp) ** 2) / 5);
    near(sortinoRatio(R, { periodsPerYear: P, riskFreeRate: rf }), ((0.01 - rfp) / dd) * Math.sqrt(12));
    near(sortinoRatio(R, { periodsPerYear: P, riskFreeRate: rf, sortinoTarget: 0 }), (0.01 / 0.05) * Math.sqrt(12));
  });

  it('drawdowns: peak, trough, no recovery, one episode, Ulcer index', () => {
    // Wealth 1.1, 1.045, 1.0659, 0.95931, 1.0360548; peak 1.1 from the first period.
    const dd = [0, 1.045 / 1.1 - 1, 1.0659 / 1.1 - 1, 0.95931 / 1.1 - 1, 1.0360548 / 1.1 - 1];
    const got = drawdownSeries(R);
    dd.forEach((d, i) => {
      near(got[i] as number, d, 1e-12);
    });
    const s = drawdownStats(R);
    near(s.maxDrawdown, 0.95931 / 1.1 - 1);
    expect([s.peakIndex, s.troughIndex, s.recoveryIndex]).toEqual([0, 3, null]);
    expect(s.episodes).toBe(1);
    near(s.averageDrawdown, 0.95931 / 1.1 - 1);
    expect([s.longestDrawdownPeriods, s.longestDrawdownStartIndex, s.longestDrawdownEndIndex]).toEqual([4, 1, null]);
    near(s.ulcerIndex, Math.sqrt(dd.reduce((a, d) => a + d * d, 0) / 5));
    near(calmarRatio(R, P), (growth ** (12 / 5) - 1) / (1 - 0.95931 / 1.1));
  });

  it('Omega, hit rate, best and worst, tail ratio', () => {
    near(omegaRatio(R), 0.2 / 0.15); // gains 0.1 + 0.02 + 0.08, losses 0.05 + 0.1
    near(omegaRatio(R, 0.02), (0.08 + 0.06) / (0.07 + 0.12)); // threshold 0.02: the 0.02 itself counts in neither
    near(hitRate(R), 3 / 5);
    // Sorted: -0.1, -0.05, 0.02, 0.08, 0.1. Q(0.95): position 3.8 -> 0.08 + 0.8 * 0.02; Q(0.05): 0.2 -> -0.1 + 0.2 * 0.05.
    near(tailRatio(R), (0.08 + 0.8 * 0.02) / (0.1 - 0.2 * 0.05));
    const m = seriesMetrics(R, { periodsPerYear: P });
    expect([m.bestPeriod, m.worstPeriod, m.periods]).toEqual([0.1, -0.1, 5]);
    expect(m.annualReturn).toBe(m.cagr);
  });

  it('bias-corrected skewness and excess kurtosis', () => {
    const m2 = 0.0288 / 5;
    const m3 = (0.09 ** 3 - 0.06 ** 3 + 0.01 ** 3 - 0.11 ** 3 + 0.07 ** 3) / 5;
    const m4 = (0.09 ** 4 + 0.06 ** 4 + 0.01 ** 4 + 0.11 ** 4 + 0.07 ** 4) / 5;
    near(skewness(R), ((Math.sqrt(5 * 4) / 3) * m3) / m2 ** 1.5, 1e-11);
    near(excessKurtosis(R), (4 / (3 * 2)) * (6 * (m4 / (m2 * m2) - 3) + 6), 1e-11);
  });

  it('stability: R-squared of the cumulative log returns on time', () => {
    const y: number[] = [];
    let acc = 0;
    for (const r of R) {
      acc += Math.log1p(r);
      y.push(acc);
    }
    const ym = y.reduce((a, b) => a + b, 0) / 5;
    const sxy = y.reduce((a, v, k) => a + (k - 2) * (v - ym), 0);
    const syy = y.reduce((a, v) => a + (v - ym) ** 2, 0);
    near(stability(R), (sxy * sxy) / (10 * syy), 1e-11); // sum of (k - 2)^2 over k = 0..4 is 10
  });
});

describe('NaN periods are skipped, never zero returns', () => {
  const withGaps = [Number.NaN, 0.1, Number.NaN, -0.05, Number.NaN, Number.NaN, 0.02, -0.1, 0.08, Number.NaN];

  it('gives every value metric of the compact series', () => {
    const a = seriesMetrics(withGaps, { periodsPerYear: P, riskFreeRate: 0.03 });
    const b = seriesMetrics(R, { periodsPerYear: P, riskFreeRate: 0.03 });
    for (const key of Object.keys(b) as (keyof typeof b)[]) {
      if (key.endsWith('Index')) continue;
      expect(a[key], key).toBe(b[key]);
    }
    expect(a.periods).toBe(5);
    near(a.meanReturn, 0.01); // a NaN taken as 0 would give 0.05 / 10
    near(a.cagr, b.cagr); // and 10 periods in the exponent, not 5
  });

  it('reports drawdown positions in the input, with NaN drawdowns at NaN returns', () => {
    const s = drawdownStats(withGaps);
    expect([s.peakIndex, s.troughIndex, s.recoveryIndex]).toEqual([1, 7, null]);
    expect([s.longestDrawdownStartIndex, s.longestDrawdownPeriods]).toEqual([3, 4]);
    const dd = drawdownSeries(withGaps);
    expect(Number.isNaN(dd[0] as number) && Number.isNaN(dd[2] as number) && Number.isNaN(dd[9] as number)).toBe(true);
    expect(dd[1]).toBe(0);
  });
});

describe('drawdown episodes and recovery', () => {
  // Wealth 1.1, 0.99, 1.188, 1.1286, 1.07217, 1.393821: two episodes, [1] and [3, 4].
  const r = [0.1, -0.1, 0.2, -0.05, -0.05, 0.3];

  it('finds the deepest trough, its peak and recovery, and averages the episodes', () => {
    const s = drawdownStats(r);
    near(s.maxDrawdown, 0.99 / 1.1 - 1);
    expect([s.peakIndex, s.troughIndex, s.recoveryIndex]).toEqual([0, 1, 2]);
    expect(s.episodes).toBe(2);
    near(s.averageDrawdown, (0.99 / 1.1 - 1 + (1.07217 / 1.188 - 1)) / 2);
    expect([s.longestDrawdownPeriods, s.longestDrawdownStartIndex, s.longestDrawdownEndIndex]).toEqual([2, 3, 5]);
  });

  it('counts the starting wealth as the first peak', () => {
    const s = drawdownStats([-0.1, 0.05, 0.2]);
    near(s.maxDrawdown, -0.1);
    expect([s.peakIndex, s.troughIndex, s.recoveryIndex]).toEqual([-1, 0, 2]);
  });

  it('keeps the first of equally long episodes', () => {
    const s = drawdownStats([-0.1, 0.2, -0.01, 0.5]);
    expect([s.longestDrawdownPeriods, s.longestDrawdownStartIndex, s.longestDrawdownEndIndex]).toEqual([1, 0, 1]);
    expect(s.episodes).toBe(2);
  });
});

describe('edge cases', () => {
  it('constant returns: zero volatility, undefined ratios (NaN), no drawdown', () => {
    const m = seriesMetrics([0.01, 0.01, 0.01, 0.01, 0.01, 0.01], { periodsPerYear: 12 });
    expect(m.volatility).toBe(0);
    expect(m.annualVolatility).toBe(0);
    for (const key of ['sharpe', 'sortino', 'calmar', 'omega', 'skewness', 'excessKurtosis'] as const) {
      expect(m[key], key).toBeNaN();
    }
    expect(m.maxDrawdown).toBe(0);
    expect([m.peakIndex, m.troughIndex, m.recoveryIndex, m.episodes]).toEqual([null, null, null, 0]);
    expect(m.stability).toBe(1); // the cumulative log return is a straight line
    expect(m.tailRatio).toBe(1);
    expect(m.hitRate).toBe(1);
    near(m.cagr, 1.01 ** 12 - 1);
  });

  it('constant returns below the risk-free rate have a defined Sortino but no Sharpe', () => {
    const m = seriesMetrics([0.001, 0.001, 0.001], { periodsPerYear: 12, riskFreeRate: 0.05 });
    expect(m.sharpe).toBeNaN();
    expect(m.sortino).toBe(-Math.sqrt(12)); // (r - T) / |r - T| = -1
    expect(m.omega).toBe(0);
  });

  it('zero returns: undefined stability and tail ratio', () => {
    const m = seriesMetrics([0, 0, 0, 0], { periodsPerYear: 252 });
    expect(m.stability).toBeNaN();
    expect(m.tailRatio).toBeNaN();
    expect(m.hitRate).toBe(0);
    expect(m.totalReturn).toBe(0);
  });

  it('all-negative returns', () => {
    const r = [-0.01, -0.02, -0.03];
    const m = seriesMetrics(r, { periodsPerYear: 252 });
    near(m.maxDrawdown, 0.99 * 0.98 * 0.97 - 1);
    expect([m.peakIndex, m.troughIndex, m.recoveryIndex]).toEqual([-1, 2, null]);
    expect(m.hitRate).toBe(0);
    expect(m.omega).toBe(0);
    expect(m.sharpe).toBeLessThan(0);
    expect(m.calmar).toBeLessThan(0);
    near(m.sortino, (-0.02 / Math.sqrt((0.01 ** 2 + 0.02 ** 2 + 0.03 ** 2) / 3)) * Math.sqrt(252));
  });

  it('a single period', () => {
    const up = seriesMetrics([0.05], { periodsPerYear: 12 });
    near(up.cagr, 1.05 ** 12 - 1);
    near(up.totalReturn, 0.05);
    for (const key of ['volatility', 'sharpe', 'sortino', 'skewness', 'stability', 'calmar'] as const) {
      expect(up[key], key).toBeNaN();
    }
    const down = seriesMetrics([-0.05], { periodsPerYear: 12 });
    expect(down.sortino).toBe(-Math.sqrt(12));
    near(down.maxDrawdown, -0.05);
    expect([down.peakIndex, down.troughIndex]).toEqual([-1, 0]);
  });

  it('no data at all', () => {
    const m = seriesMetrics([Number.NaN, Number.NaN], { periodsPerYear: 12 });
    expect(m.periods).toBe(0);
    for (const key of ['totalReturn', 'cagr', 'meanReturn', 'sharpe', 'hitRate', 'ulcerIndex'] as const) {
      expect(m[key], key).toBeNaN();
    }
    expect(m.maxDrawdown).toBe(0);
  });

  it('a total loss and a loss beyond -100%', () => {
    expect(cagr([0.1, -1], 12)).toBe(-1);
    expect(cagr([0.1, -1.5], 12)).toBeNaN();
  });

  it('rejects invalid periods per year and risk-free rates', () => {
    expect(() => seriesMetrics(R, { periodsPerYear: 0 })).toThrow(ValidationError);
    expect(() => seriesMetrics(R, { periodsPerYear: 12, riskFreeRate: -1 })).toThrow(ValidationError);
  });
});

describe('benchmark metrics, by hand', () => {
  // Means 0.01 and 0.005; deviations (0.01, -0.02, 0.02, -0.01) and (0.005, -0.025, 0.015, 0.005):
  // S_pb = 0.0008, S_bb = 0.0009, S_pp = 0.001. Active returns 0.01, 0.01, 0.01, -0.01: mean 0.005, s = 0.01.
  const p = [0.02, -0.01, 0.03, 0];
  const b = [0.01, -0.02, 0.02, 0.01];

  it('beta, alpha, correlation, tracking error, information and Treynor ratios, captures', () => {
    const m = benchmarkMetrics(p, b, { periodsPerYear: 12 });
    near(m.beta, 8 / 9);
    near(m.alphaPerPeriod, 0.01 - (8 / 9) * 0.005);
    near(m.alpha, (1 + 0.01 - (8 / 9) * 0.005) ** 12 - 1);
    near(m.correlation, 0.0008 / Math.sqrt(0.001 * 0.0009));
    near(m.rSquared, 0.64 / 0.9);
    near(m.trackingError, 0.01 * Math.sqrt(12));
    near(m.informationRatio, 0.5 * Math.sqrt(12));
    near(m.treynor, (0.01 * 12) / (8 / 9));
    near(m.upCapture, ((1.02 * 1.03) ** 4 - 1) / ((1.01 * 1.02 * 1.01) ** 4 - 1));
    near(m.downCapture, (0.99 ** 12 - 1) / (0.98 ** 12 - 1));
    expect(m.periods).toBe(4);
  });

  it('uses excess returns over the per-period risk-free rate for alpha and Treynor', () => {
    const rfp = 1.03 ** (1 / 12) - 1;
    const m = benchmarkMetrics(p, b, { periodsPerYear: 12, riskFreeRate: 0.03 });
    near(m.beta, 8 / 9);
    near(m.alphaPerPeriod, 0.01 - rfp - (8 / 9) * (0.005 - rfp));
    near(m.treynor, ((0.01 - rfp) * 12) / (8 / 9));
  });

  it('skips the periods where either series is NaN', () => {
    const m = benchmarkMetrics([Number.NaN, ...p, 0.5], [0.3, ...b, Number.NaN], { periodsPerYear: 12 });
    expect(m.periods).toBe(4);
    near(m.beta, 8 / 9);
  });

  it('is undefined against a constant benchmark, and needs aligned series', () => {
    const m = benchmarkMetrics(p, [0.01, 0.01, 0.01, 0.01], { periodsPerYear: 12 });
    for (const key of ['beta', 'alpha', 'correlation', 'rSquared', 'treynor', 'downCapture'] as const) {
      expect(m[key], key).toBeNaN();
    }
    expect(() => benchmarkMetrics(p, [0.01], { periodsPerYear: 12 })).toThrow(ValidationError);
  });
});

/**
 * Portfolio returns at constant weights, volatility and sector contributions, the risk report and the chart data, on
 * small inputs worked by hand.
 */

import { describe, expect, it } from 'vitest';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { DataError, ValidationError } from '../../src/core/errors.js';
import {
  contributionBars,
  correlationMatrix,
  drawdownChart,
  returnHistogram,
  riskReturnPoints,
} from '../../src/risk/chart-data.js';
import {
  sectorTotals,
  UNASSIGNED_SECTOR,
  volatilityContributions,
  volatilityContributionsFromCovariance,
} from '../../src/risk/contributions.js';
import { cagr } from '../../src/risk/metrics.js';
import { equalWeights, portfolioReturns } from '../../src/risk/portfolio-returns.js';
import { onDates, portfolioRiskReport, seriesRiskReport } from '../../src/risk/report.js';
import { d } from '../core/helpers.js';

function near(got: number, want: number, rel = 1e-13): void {
  if (!(Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-300))) expect.fail(`got ${got}, want ${want}`);
}

const N = Number.NaN;
const dates = [d('2021-01-04'), d('2021-01-05'), d('2021-01-06'), d('2021-01-07'), d('2021-01-08')];
// A: full history; B: no return on the second date; C: listed late (first return on the third date).
const returns = DatedMatrix.fromColumns(
  dates,
  ['A', 'B', 'C'],
  [
    [0.01, -0.02, 0.03, 0.0, 0.01],
    [0.02, N, -0.01, 0.01, 0.02],
    [N, N, 0.05, -0.03, 0.02],
  ],
  { periodsPerYear: 252 },
);

describe('portfolio returns', () => {
  it('are sum_i w_i r_i on the dates where every held asset has a return', () => {
    const p = portfolioReturns(returns, { A: 0.5, B: 0.3, C: 0.2 });
    expect(p.returns.isoDates()).toEqual(['2021-01-06', '2021-01-07', '2021-01-08']);
    expect(p.droppedDates).toBe(2);
    expect(p.assets.tickers).toEqual(['A', 'B', 'C']);
    near(p.returns.get(0, 0), 0.5 * 0.03 + 0.3 * -0.01 + 0.2 * 0.05);
    near(p.returns.get(1, 0), 0.3 * 0.01 + 0.2 * -0.03);
    near(p.returns.get(2, 0), 0.5 * 0.01 + 0.3 * 0.02 + 0.2 * 0.02);
    expect(p.returns.periodsPerYear).toBe(252);
  });

  it('leaves out unheld assets, so their gaps do not cost dates', () => {
    const p = portfolioReturns(returns, { A: 0.6, B: 0.4 });
    expect(p.unheld).toEqual(['C']);
    expect(p.returns.rowCount).toBe(4);
    const q = portfolioReturns(returns, [1, 0, 0], { name: 'A only' });
    expect(q.returns.tickers).toEqual(['A only']);
    expect(Array.from(q.returns.column(0))).toEqual([0.01, -0.02, 0.03, 0.0, 0.01]);
  });

  it('accepts any weights (the rest is cash at zero return) and rejects bad ones', () => {
    const p = portfolioReturns(returns, { A: 2, B: -1 });
    near(p.returns.get(0, 0), 2 * 0.01 - 0.02);
    expect(() => portfolioReturns(returns, { A: 0.5, Z: 0.5 })).toThrow(DataError);
    expect(() => portfolioReturns(returns, { A: Number.NaN })).toThrow(ValidationError);
    expect(() => portfolioReturns(returns, { A: 0 })).toThrow(/every portfolio weight is 0/);
    expect(() => portfolioReturns(returns, [1, 1])).toThrow(/2 weights for 3 assets/);
    const disjoint = DatedMatrix.fromColumns(
      dates.slice(0, 2),
      ['X', 'Y'],
      [
        [0.01, N],
        [N, 0.02],
      ],
    );
    expect(() => portfolioReturns(disjoint, { X: 0.5, Y: 0.5 })).toThrow(/no date has a return/);
    expect(equalWeights(['a', 'b', 'c', 'd'])).toEqual({ a: 0.25, b: 0.25, c: 0.25, d: 0.25 });
  });
});

describe('volatility contributions', () => {
  // Two assets over four periods: x = (0.01, -0.01, 0.02, -0.02), y = (0.01, 0.01, -0.01, -0.01); means 0.
  // Covariance (ddof 1): var x = 0.001 / 3, var y = 0.0004 / 3, cov = (0.0001 - 0.0001 - 0.0002 + 0.0002) / 3 = 0.
  const assets = {
    tickers: ['x', 'y'],
    values: Float64Array.from([0.01, -0.01, 0.02, -0.02, 0.01, 0.01, -0.01, -0.01]),
    rowCount: 4,
    columnCount: 2,
  };

  it('are w_i (S w)_i / sigma, annualised, and sum to the volatility', () => {
    const c = volatilityContributions(assets, [0.6, 0.4], 12);
    const varP = (0.36 * 0.001 + 0.16 * 0.0004) / 3;
    near(c.volatility, Math.sqrt(12 * varP));
    near(c.contributions[0] as number, (Math.sqrt(12) * 0.36 * (0.001 / 3)) / Math.sqrt(varP));
    near(c.contributions[1] as number, (Math.sqrt(12) * 0.16 * (0.0004 / 3)) / Math.sqrt(varP));
    near((c.contributions[0] as number) + (c.contributions[1] as number), c.volatility, 1e-15);
    near((c.shares[0] as number) + (c.shares[1] as number), 1, 1e-15);
    const fromCov = volatilityContributionsFromCovariance(
      Float64Array.from([12 * (0.001 / 3), 0, 0, 12 * (0.0004 / 3)]),
      [0.6, 0.4],
      ['x', 'y'],
    );
    near(fromCov.volatility, c.volatility);
    near(fromCov.contributions[0] as number, c.contributions[0] as number);
  });

  it('are undefined (NaN) for a portfolio without volatility', () => {
    const flat = { ...assets, values: Float64Array.from([0.01, 0.01, 0.01, 0.01, 0.02, 0.02, 0.02, 0.02]) };
    const c = volatilityContributions(flat, [0.5, 0.5], 252);
    expect(c.volatility).toBe(0);
    expect(Number.isNaN(c.contributions[0] as number) && Number.isNaN(c.shares[1] as number)).toBe(true);
  });

  it('add up by sector, unknown tickers under "unassigned"', () => {
    const totals = sectorTotals(['a', 'b', 'c', 'd'], [0.1, 0.2, 0.3, 0.4], { a: 'Tech', c: 'Tech', b: 'Energy' });
    expect(totals).toEqual({ Tech: 0.1 + 0.3, Energy: 0.2, [UNASSIGNED_SECTOR]: 0.4 });
    expect(Object.keys(totals)).toEqual(['Tech', 'Energy', UNASSIGNED_SECTOR]);
  });
});

describe('risk reports', () => {
  it('report a portfolio with sector totals that sum to the asset totals', () => {
    const p = portfolioReturns(returns, { A: 0.5, B: 0.3, C: 0.2 });
    const r = portfolioRiskReport(p, {
      periodsPerYear: 252,
      methods: ['historical', 'normal'],
      confidence: 0.5,
      sectors: { A: 'S1', B: 'S2', C: 'S1' },
    });
    expect(Object.keys(r.var)).toEqual(['historical', 'normal']);
    const s = r.sectors;
    expect(s?.names).toEqual(['S1', 'S2']);
    near((s?.weights.S1 as number) + (s?.weights.S2 as number), 1, 1e-15);
    const h = r.var.historical;
    near((s?.componentCvar.historical?.S1 as number) + (s?.componentCvar.historical?.S2 as number), h?.cvar as number);
    expect(r.metrics.periods).toBe(3);
  });

  it('align a benchmark by date and leave missing dates out', () => {
    const b = {
      name: 'bench',
      dates: [dates[0] as number, dates[2] as number, d('2021-02-01')],
      returns: [0.1, 0.2, 0.3],
    };
    expect(Array.from(onDates(b, dates))).toEqual([0.1, N, 0.2, N, N]);
    const r = seriesRiskReport('A', dates, returns.column(0), { periodsPerYear: 252, benchmark: b, methods: [] });
    expect(r.benchmark?.periods).toBe(2);
    expect(r.benchmark?.name).toBe('bench');
    expect(() => seriesRiskReport('A', dates.slice(1), returns.column(0), { periodsPerYear: 252 })).toThrow(
      /5 returns for 4 dates/,
    );
  });
});

describe('chart data', () => {
  it('risk-return points: CAGR and volatility of each asset over its own history, and the portfolio', () => {
    const pts = riskReturnPoints(returns, 252, [{ name: 'P', returns: [0.01, 0.02] }]);
    expect(pts.map((p) => [p.name, p.kind])).toEqual([
      ['A', 'asset'],
      ['B', 'asset'],
      ['C', 'asset'],
      ['P', 'portfolio'],
    ]);
    near(pts[2]?.annualReturn as number, cagr([0.05, -0.03, 0.02], 252));
    near(pts[3]?.annualVolatility as number, Math.sqrt(0.00005) * Math.sqrt(252), 1e-12);
  });

  it('correlation matrix: pairwise over common dates, in the given order', () => {
    const c = correlationMatrix(returns, ['C', 'A', 'B']);
    expect(c.tickers).toEqual(['C', 'A', 'B']);
    expect(c.values[0]).toBe(1);
    // C and A over the last three dates: C = (0.05, -0.03, 0.02), A = (0.03, 0, 0.01).
    const cm = 0.04 / 3;
    const am = 0.04 / 3;
    const dc = [0.05 - cm, -0.03 - cm, 0.02 - cm];
    const da = [0.03 - am, -am, 0.01 - am];
    const sxy = dc.reduce((s, x, k) => s + x * (da[k] as number), 0);
    const rho = sxy / Math.sqrt(dc.reduce((s, x) => s + x * x, 0) * da.reduce((s, x) => s + x * x, 0));
    near(c.values[1] as number, rho, 1e-12);
    near(c.values[3] as number, rho, 1e-12);
    expect(() => correlationMatrix(returns, ['A', 'B'])).toThrow(ValidationError);
    expect(() => correlationMatrix(returns, ['A', 'A', 'B'])).toThrow(ValidationError);
    const flat = DatedMatrix.fromColumns(
      dates.slice(0, 3),
      ['x', 'y'],
      [
        [0.01, 0.01, 0.01],
        [0.01, 0.02, 0.03],
      ],
    );
    expect(Array.from(correlationMatrix(flat).values)).toEqual([N, N, N, 1]);
  });

  it('underwater series on ISO dates, NaN periods left out', () => {
    const dd = drawdownChart([0.1, N, -0.1, 0.2], dates.slice(0, 4));
    expect(dd.dates).toEqual(['2021-01-04', '2021-01-06', '2021-01-07']);
    expect(dd.drawdown[0]).toBe(0);
    near(dd.drawdown[1] as number, -0.1, 1e-14);
    expect(dd.drawdown[2]).toBe(0);
  });

  it('histogram: equal-width bins with the maximum in the last bin, and VaR / CVaR marks', () => {
    const h = returnHistogram([0, 0.1, 0.2, 0.3, 0.4, N], {
      bins: 4,
      var: { historical: { var: 0.05, cvar: 0.08 } },
    });
    expect(Array.from(h.edges)).toEqual([0, 0.1, 0.2, 0.30000000000000004, 0.4]);
    expect(Array.from(h.counts)).toEqual([1, 1, 2, 1]); // 0.3 < 0.30000000000000004 falls in bin 2
    expect(h.marks).toEqual([
      { label: 'VaR historical', value: -0.05 },
      { label: 'CVaR historical', value: -0.08 },
    ]);
    const flat = returnHistogram([0.01, 0.01], { bins: 2 });
    expect(Array.from(flat.edges)).toEqual([0.01 - 0.5, 0.5 + (0.01 - 0.5), 0.51]); // min - 0.5 + j * step, as numpy
    expect(Array.from(flat.counts)).toEqual([2, 0]); // 0.01 is below the middle edge 0.010000000000000009
    expect(() => returnHistogram([0.1], { bins: 0 })).toThrow(ValidationError);
  });

  it('contribution bars with shares of the total, optionally sorted', () => {
    const bars = contributionBars(['a', 'b', 'c'], [0.01, 0.03, -0.005], { sorted: true });
    expect(bars.map((b) => b.name)).toEqual(['b', 'a', 'c']);
    near(bars[0]?.share as number, 0.03 / 0.035);
    expect(() => contributionBars(['a'], [1, 2])).toThrow(ValidationError);
  });
});

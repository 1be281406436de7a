/**
 * Risk benchmarks: the full risk report of an equal-weight portfolio of the 471 S&P 500 stocks (1,439 daily returns,
 * shared reference data), with every VaR method including 10,000-path asset-level Monte Carlo (normal, Student-t,
 * bootstrap); and Monte Carlo VaR of 100,000 paths x 100 assets on a synthetic market. Returns are formed in setup;
 * the timer holds the risk computation from the return matrix in memory.
 */

import type { DatedMatrix } from '../src/core/dated-matrix.js';
import { simpleReturns } from '../src/core/returns.js';
import { readCsvMatrix } from '../src/data/csv/index.js';
import { generateMarket } from '../src/data/synthetic.js';
import { correlationMatrix, drawdownChart, returnHistogram, riskReturnPoints } from '../src/risk/chart-data.js';
import { equalWeights, type PortfolioReturns, portfolioReturns } from '../src/risk/portfolio-returns.js';
import { portfolioRiskReport } from '../src/risk/report.js';
import { portfolioVar, type VarMethod } from '../src/risk/var.js';
import { type BenchCase, benchCase, Skip, withReferenceFile } from './harness.js';

const SP500 = 'sp500-2015-2020/prices.csv';

const sp500Returns = () => withReferenceFile(SP500, (path) => simpleReturns(readCsvMatrix(path)));

/** The report and chart data of an equal-weight portfolio: what `pfopt risk` and a report page compute. */
function fullReport(returns: DatedMatrix, paths: number) {
  const portfolio = portfolioReturns(returns, equalWeights(returns.tickers));
  const report = portfolioRiskReport(portfolio, { periodsPerYear: 252, riskFreeRate: 0.02, paths, seed: 1 });
  const series = portfolio.returns.column(0);
  return {
    report,
    points: riskReturnPoints(returns, 252, [{ name: 'portfolio', returns: series }]),
    correlation: correlationMatrix(portfolio.assets),
    drawdown: drawdownChart(series, portfolio.returns.dates),
    histogram: returnHistogram(series, { bins: 50, var: { historical: report.var.historical ?? { var: 0, cvar: 0 } } }),
  };
}

/** A synthetic market of n assets over 2,520 days, as the held assets of an equal-weight portfolio. */
function synthetic(n: number): PortfolioReturns {
  const returns = simpleReturns(generateMarket({ assets: n, periods: 2520, seed: 7 }).prices);
  return portfolioReturns(returns, equalWeights(returns.tickers));
}

function monteCarlo(n: number, paths: number, method: VarMethod, horizon: number, reference?: string): BenchCase {
  return benchCase({
    name: `risk: ${method} VaR, ${paths.toLocaleString('en-US')} paths x ${n} assets${horizon > 1 ? `, ${horizon}-day horizon` : ''}`,
    timed: `portfolioVar(${method}): covariance and Cholesky, simulation per asset, VaR/CVaR, components and each asset's own VaR`,
    ...(reference === undefined ? {} : { reference }),
    setup: () => synthetic(n),
    run: (p: PortfolioReturns) => portfolioVar(p.assets, p.weights, method, { paths, horizon, seed: 1 }),
    repeats: 5,
  });
}

export const cases: BenchCase[] = [
  benchCase({
    name: 'risk: full report, 471 S&P 500 stocks x 1,439 days, 10,000 Monte Carlo paths',
    timed:
      'portfolioReturns + portfolioRiskReport (metrics; historical, normal, Cornish-Fisher, Monte Carlo normal and ' +
      'Student-t, bootstrap VaR/CVaR with asset components; volatility contributions) + chart data (risk-return ' +
      'points, 471 x 471 correlation, drawdown, histogram)',
    reference: 'goal < 3 s',
    setup: sp500Returns,
    run: (returns: DatedMatrix) => fullReport(returns, 10_000),
    repeats: 5,
  }),
  benchCase({
    name: 'risk: metrics and parametric VaR only, 471 S&P 500 stocks x 1,439 days',
    timed: 'portfolioReturns + portfolioRiskReport with the historical, normal and Cornish-Fisher methods',
    setup: sp500Returns,
    run: (returns: DatedMatrix) =>
      portfolioRiskReport(portfolioReturns(returns, equalWeights(returns.tickers)), {
        periodsPerYear: 252,
        methods: ['historical', 'normal', 'cornish-fisher'],
      }),
  }),
  monteCarlo(100, 100_000, 'monte-carlo-normal', 1, 'goal < 1 s'),
  monteCarlo(100, 100_000, 'monte-carlo-t', 1),
  monteCarlo(100, 100_000, 'bootstrap', 1),
  monteCarlo(100, 10_000, 'monte-carlo-normal', 10),
  benchCase({
    name: 'risk: monte-carlo-normal VaR, 10,000 paths x 471 S&P 500 stocks',
    timed: 'portfolioVar(monte-carlo-normal) of the equal-weight portfolio',
    setup: () => {
      const r = sp500Returns();
      return r instanceof Skip ? r : portfolioReturns(r, equalWeights(r.tickers));
    },
    run: (p: PortfolioReturns) => portfolioVar(p.assets, p.weights, 'monte-carlo-normal', { paths: 10_000, seed: 1 }),
    repeats: 5,
  }),
];

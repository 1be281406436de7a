/**
 * Backtest benchmarks: a monthly walk-forward of Ledoit-Wolf minimum volatility with a 252-day rolling window on the
 * 471 S&P 500 stocks of the shared reference data (2015-2020, 56 rebalances), from the price matrix in memory: at each
 * rebalance the window is cut, the Ledoit-Wolf covariance estimated and the long-only minimum-volatility portfolio
 * solved, then the NAV walked daily with 10 bps costs; metrics and the drawdown table are inside the timer.
 */

import { runBacktest } from '../src/backtest/backtest.js';
import { optimizerStrategy } from '../src/backtest/optimizer-strategy.js';
import { equalWeightStrategy } from '../src/backtest/strategy.js';
import type { DatedMatrix } from '../src/core/dated-matrix.js';
import { readCsvMatrix } from '../src/data/csv/index.js';
import { type BenchCase, benchCase, type Skip, withReferenceFile } from './harness.js';

const SP500 = 'sp500-2015-2020/prices.csv';

function load(): DatedMatrix | Skip {
  return withReferenceFile(SP500, (path) => readCsvMatrix(path));
}

export const cases: BenchCase<unknown>[] = [
  benchCase({
    name: 'backtest 471 S&P 500 stocks: monthly Ledoit-Wolf minimum volatility, 252-day window (56 rebalances)',
    timed: 'runBacktest: 56 x (window, Ledoit-Wolf, min-volatility active-set solve), daily NAV, costs, metrics',
    reference: 'goal < 2 s; PyPortfolioOpt 20-27 s (numerics.md)',
    setup: () => load(),
    run: (prices: DatedMatrix) =>
      runBacktest(prices, optimizerStrategy({ objective: 'min-volatility', riskModel: 'ledoit-wolf' }), {
        rebalance: 'monthly',
        lookback: 252,
        costs: { costBps: 10 },
      }),
    repeats: 5,
    warmup: 1,
  }),
  benchCase({
    name: 'backtest 471 S&P 500 stocks: monthly equal weight (56 rebalances)',
    timed: 'runBacktest: the engine alone (daily NAV of 471 holdings over 1,188 dates, ledger, metrics)',
    setup: () => load(),
    run: (prices: DatedMatrix) =>
      runBacktest(prices, equalWeightStrategy(), { rebalance: 'monthly', lookback: 252, costs: { costBps: 10 } }),
  }),
];

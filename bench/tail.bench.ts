/**
 * Tail objective benchmarks: minimum CVaR (95%), CDaR, mean absolute deviation and semivariance on the historical
 * scenarios of the S&P 500 stocks (2015-2020, shared reference data; the first 100 tickers, then all 471), every daily
 * return date on which every stock has one (1,439 scenarios). Estimation is inside the timer: the scenarios are built
 * from the prices (simple returns, complete dates), the default expected returns are their means; then validation,
 * the program build, the solve (HiGHS, loaded in the setup, or the semivariance's active-set Newton method) and the
 * checks of the answer (certificate, measures recomputed from the weights, constraints to 1e-9).
 */

import type { Highs } from 'highs';
import type { DatedMatrix } from '../src/core/dated-matrix.js';
import { readCsvMatrix } from '../src/data/csv/index.js';
import { generateMarket } from '../src/data/synthetic.js';
import { historicalScenarios } from '../src/estimate/scenarios.js';
import { loadHighs } from '../src/optimize/solvers/highs-loader.js';
import { optimizeTailSync, type TailObjective } from '../src/optimize/tail/index.js';
import { type BenchCase, benchCase, Skip, withReferenceFile } from './harness.js';

const SP500 = 'sp500-2015-2020/prices.csv';

interface State {
  readonly prices: DatedMatrix;
  readonly highs: Highs;
}

/** The S&P 500 prices, the first `n` tickers, and a loaded HiGHS runtime. */
async function sp500(n: number): Promise<State | Skip> {
  const prices = withReferenceFile(SP500, (path) => readCsvMatrix(path));
  if (prices instanceof Skip) return prices;
  const chosen = n < prices.columnCount ? prices.selectTickers(prices.tickers.slice(0, n)) : prices;
  return { prices: chosen, highs: await loadHighs() };
}

/** Scenarios from the prices, then the objective: what every case times. */
function solve(s: State, objective: TailObjective) {
  return optimizeTailSync({ scenarios: historicalScenarios(s.prices) }, objective, { highs: s.highs });
}

const RISKFOLIO = 'Riskfolio-Lib 16.2 s, skfolio 17.2 s (cvxpy + Clarabel, same data and machine)';

const TIMED = 'historicalScenarios from the prices + optimizeTailSync (HiGHS loaded in the setup)';

export const cases: BenchCase[] = [
  benchCase({
    name: 'tail 100 synthetic assets, 2,520 days: minimum CVaR (95%)',
    timed: TIMED,
    reference: 'HiGHS alone (structured model) 369 ms, native HiGHS 442 ms, cvxopt.lp 46 s (numerics.md)',
    setup: async () => ({
      prices: generateMarket({ assets: 100, periods: 2521, seed: 7 }).prices,
      highs: await loadHighs(),
    }),
    run: (s: State) => solve(s, { kind: 'min-cvar' }),
    repeats: 5,
  }),
  ...[100, 471].flatMap((n) => [
    benchCase({
      name: `tail ${n} S&P 500 stocks, 1,439 days: minimum CVaR (95%)`,
      timed: TIMED,
      ...(n === 471 ? { reference: `${RISKFOLIO}; goal < 1 s` } : {}),
      setup: () => sp500(n),
      run: (s: State) => solve(s, { kind: 'min-cvar' }),
      repeats: 5,
    }),
    benchCase({
      name: `tail ${n} S&P 500 stocks, 1,439 days: minimum CDaR (95%)`,
      timed: TIMED,
      setup: () => sp500(n),
      run: (s: State) => solve(s, { kind: 'min-cdar' }),
      repeats: 5,
      warmup: 1,
    }),
    benchCase({
      name: `tail ${n} S&P 500 stocks, 1,439 days: minimum mean absolute deviation`,
      timed: TIMED,
      setup: () => sp500(n),
      run: (s: State) => solve(s, { kind: 'min-mad' }),
      repeats: 5,
      warmup: 1,
    }),
    benchCase({
      name: `tail ${n} S&P 500 stocks, 1,439 days: minimum semivariance (below 0)`,
      timed: 'historicalScenarios from the prices + optimizeTailSync (active-set Newton method, certified)',
      setup: () => sp500(n),
      run: (s: State) => solve(s, { kind: 'min-semivariance' }),
      repeats: 5,
    }),
  ]),
];

/**
 * Optimiser benchmarks: every mean-variance objective and the 50-point efficient frontier, timed from the expected
 * returns and covariance in memory (validation, including the full positive-semidefiniteness check, and result
 * verification are inside the timer). Synthetic markets of 20 to 1,000 assets use the generator's true annual moments;
 * the 471 S&P 500 stocks (2015-2020, shared reference data) use the sample mean and covariance of their daily simple
 * returns on the dates where all have one, times 252.
 */

import type { Highs } from 'highs';
import { simpleReturns } from '../src/core/returns.js';
import { readCsvMatrix } from '../src/data/csv/index.js';
import { generateMarket } from '../src/data/synthetic.js';
import {
  efficientFrontierSync,
  type MeanVarianceProblem,
  type Objective,
  type OptimizeOptions,
  optimizeSync,
} from '../src/optimize/index.js';
import { loadHighs } from '../src/optimize/solvers/highs-loader.js';
import { type BenchCase, benchCase, Skip, withReferenceFile } from './harness.js';

const SP500 = 'sp500-2015-2020/prices.csv';

/** Annual mean and sample covariance (ddof 1) of daily simple returns on the complete dates, times 252. */
function sp500Problem(path: string): MeanVarianceProblem {
  const returns = simpleReturns(readCsvMatrix(path));
  const T = returns.rowCount;
  const n = returns.columnCount;
  const v = returns.values;
  const rows: number[] = [];
  for (let t = 0; t < T; t++) {
    let complete = true;
    for (let j = 0; j < n && complete; j++) complete = Number.isFinite(v[j * T + t] as number);
    if (complete) rows.push(t);
  }
  const count = rows.length;
  const centred = new Float64Array(n * count);
  const mu = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (const t of rows) s += v[j * T + t] as number;
    const mean = s / count;
    mu[j] = 252 * mean;
    rows.forEach((t, k) => {
      centred[j * count + k] = (v[j * T + t] as number) - mean;
    });
  }
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < count; k++) s += (centred[i * count + k] as number) * (centred[j * count + k] as number);
      const c = (252 * s) / (count - 1);
      cov[i * n + j] = c;
      cov[j * n + i] = c;
    }
  }
  return { expectedReturns: mu, covariance: cov, tickers: returns.tickers, riskFreeRate: 0.02 };
}

/** The true annual moments of a synthetic market of n assets (prices are generated but not used). */
function syntheticProblem(n: number): MeanVarianceProblem {
  const market = generateMarket({ assets: n, periods: 260, seed: 7 });
  return {
    expectedReturns: market.parameters.expectedReturns,
    covariance: market.parameters.covariance,
    tickers: market.prices.tickers,
    riskFreeRate: 0.02,
  };
}

interface State {
  readonly problem: MeanVarianceProblem;
  readonly options: OptimizeOptions;
}

/** The objectives timed for every data set; targets sit between the minimum volatility and the maximum. */
function objectiveCases(
  label: string,
  reference: Record<string, string>,
  load: () => MeanVarianceProblem | Skip,
): BenchCase[] {
  const withTargets = (highs?: Highs): State | Skip => {
    const problem = load();
    if (problem instanceof Skip) return problem;
    return { problem, options: highs ? { solver: 'highs', highs } : {} };
  };
  const objectives: [string, (s: State) => Objective][] = [
    ['minimum volatility', () => ({ kind: 'min-volatility' })],
    ['maximum Sharpe ratio', () => ({ kind: 'max-sharpe' })],
    ['maximum quadratic utility (delta 2)', () => ({ kind: 'max-utility', riskAversion: 2 })],
    [
      'efficient risk (1.25 x minimum volatility)',
      (s) => ({ kind: 'efficient-risk', targetVolatility: 1.25 * minVol(s) }),
    ],
    ['efficient return (halfway to the maximum)', (s) => ({ kind: 'efficient-return', targetReturn: midReturn(s) })],
  ];
  const cases: BenchCase[] = objectives.map(([name, make]) =>
    benchCase({
      name: `optimize ${label}: ${name}`,
      timed: `optimizeSync (active-set) from mu and S in memory`,
      ...(reference[name] ? { reference: reference[name] } : {}),
      setup: () => {
        const s = withTargets();
        return s instanceof Skip ? s : { ...s, objective: make(s) };
      },
      run: (s: State & { objective: Objective }) => optimizeSync(s.problem, s.objective, s.options),
    }),
  );
  cases.push(
    benchCase({
      name: `optimize ${label}: 50-point efficient frontier`,
      timed: 'efficientFrontierSync (active-set): 50 points, minimum volatility and maximum Sharpe portfolios',
      ...(reference.frontier ? { reference: reference.frontier } : {}),
      setup: () => withTargets(),
      run: (s: State) => efficientFrontierSync(s.problem, { ...s.options, points: 50 }),
      repeats: 5,
    }),
  );
  return cases;
}

function minVol(s: State): number {
  return optimizeSync(s.problem, { kind: 'min-volatility' }, s.options).volatility;
}

function midReturn(s: State): number {
  const f = efficientFrontierSync(s.problem, { ...s.options, points: 3 });
  return f.returns[1] as number;
}

const SP500_REFERENCE: Record<string, string> = {
  'minimum volatility': 'PyPortfolioOpt 297 ms (Clarabel), skfolio 1,030 ms, Riskfolio 1,399 ms; goal < 30 ms',
  'maximum Sharpe ratio': 'PyPortfolioOpt 289 ms (Clarabel), skfolio 1,461 ms, Riskfolio 1,847 ms',
  frontier: 'PyPortfolioOpt 17.3 s, skfolio 53.5 s, Riskfolio 83.0 s; goal < 0.5 s',
};

const loadSp500 = (): MeanVarianceProblem | Skip => withReferenceFile(SP500, sp500Problem);

export const cases: BenchCase[] = [
  ...[20, 100, 500, 1000].flatMap((n) =>
    objectiveCases(`${n} synthetic assets`, n === 500 ? { 'minimum volatility': 'HiGHS alone 54-70 ms' } : {}, () =>
      syntheticProblem(n),
    ),
  ),
  ...objectiveCases('471 S&P 500 stocks', SP500_REFERENCE, loadSp500),
  benchCase({
    name: "optimize 471 S&P 500 stocks: minimum volatility, covarianceCheck 'fast'",
    timed: 'optimizeSync (active-set) without the O(N^3) positive-semidefiniteness proof (O(N^2) checks only)',
    reference: 'goal < 30 ms',
    setup: () => loadSp500(),
    run: (problem: MeanVarianceProblem) =>
      optimizeSync(problem, { kind: 'min-volatility' }, { covarianceCheck: 'fast' }),
  }),
  benchCase({
    name: "optimize 471 S&P 500 stocks: 50-point efficient frontier, covarianceCheck 'fast'",
    timed: 'efficientFrontierSync (active-set) without the O(N^3) positive-semidefiniteness proof',
    reference: 'goal < 0.5 s',
    setup: () => loadSp500(),
    run: (problem: MeanVarianceProblem) => efficientFrontierSync(problem, { points: 50, covarianceCheck: 'fast' }),
  }),
  benchCase({
    name: 'optimize 471 S&P 500 stocks: minimum volatility, long-short (weights in [-1, 1])',
    timed: 'optimizeSync (active-set), bounds [-1, 1], budget 1',
    setup: () => {
      const problem = loadSp500();
      return problem instanceof Skip ? problem : { ...problem, bounds: [-1, 1] as const };
    },
    run: (problem: MeanVarianceProblem) => optimizeSync(problem, { kind: 'min-volatility' }),
  }),
  benchCase({
    name: 'optimize 471 S&P 500 stocks: minimum volatility with turnover <= 0.5 and costs 0.001 from equal weights',
    timed: 'optimizeSync (active-set) with the turnover and cost kinks',
    setup: () => {
      const problem = loadSp500();
      if (problem instanceof Skip) return problem;
      const n = (problem.expectedReturns as Float64Array).length;
      return {
        ...problem,
        currentWeights: new Float64Array(n).fill(1 / n),
        maxTurnover: 0.5,
        transactionCost: 0.001,
      };
    },
    run: (problem: MeanVarianceProblem) => optimizeSync(problem, { kind: 'min-volatility' }),
  }),
  benchCase({
    name: 'optimize 471 S&P 500 stocks: minimum volatility with HiGHS',
    timed: 'optimizeSync with solver "highs" (runtime loaded in the setup): model build, solve, KKT check',
    reference: 'HiGHS alone 54-70 ms at N = 500 (numerics.md)',
    setup: async () => {
      const problem = loadSp500();
      if (problem instanceof Skip) return problem;
      return { problem, options: { solver: 'highs', highs: await loadHighs() } as OptimizeOptions };
    },
    run: (s: State) => optimizeSync(s.problem, { kind: 'min-volatility' }, s.options),
    repeats: 5,
  }),
];

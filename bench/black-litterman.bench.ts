/**
 * Black-Litterman benchmarks: the posterior mean and covariance with the implied weights (`blackLitterman` with
 * market capitalisations and delta), timed from the annual covariance in memory (its validation, including the
 * positive-semidefiniteness proof unless 'fast' is named, is inside the timer). Data: 100 synthetic assets (the
 * generator's true annual covariance) and the 471 S&P 500 stocks of the shared reference data (sample covariance of
 * the daily simple returns on the dates where all have one, times 252). Market capitalisations are drawn from a
 * seeded lognormal and the views are seeded: absolute and relative in turn, Idzorek confidences from 0.1 to 0.9.
 */

import { Random } from '../src/core/random.js';
import { simpleReturns } from '../src/core/returns.js';
import { readCsvMatrix } from '../src/data/csv/index.js';
import { generateMarket } from '../src/data/synthetic.js';
import { sampleCovarianceFromReturns } from '../src/estimate/index.js';
import {
  type BlackLittermanInput,
  type BlackLittermanView,
  blackLitterman,
  type PriorCovariance,
} from '../src/optimize/index.js';
import { type BenchCase, benchCase, Skip, withReferenceFile } from './harness.js';

const SP500 = 'sp500-2015-2020/prices.csv';

/** Sample covariance (annual) of the daily simple returns on the dates where every stock has one. */
function sp500Covariance(path: string): PriorCovariance {
  const returns = simpleReturns(readCsvMatrix(path));
  const T = returns.rowCount;
  const n = returns.columnCount;
  const rows: number[] = [];
  for (let t = 0; t < T; t++) {
    let complete = true;
    for (let j = 0; j < n && complete; j++) complete = Number.isFinite(returns.get(t, j));
    if (complete) rows.push(t);
  }
  return sampleCovarianceFromReturns(returns.selectRows(rows), { periodsPerYear: 252 });
}

function syntheticCovariance(n: number): PriorCovariance {
  const market = generateMarket({ assets: n, periods: 260, seed: 7 });
  return { tickers: market.prices.tickers, values: market.parameters.covariance, periodsPerYear: 252 };
}

/** The model's input: seeded market caps (lognormal, median about 10 billion) and k seeded views. */
function modelInput(
  covariance: PriorCovariance,
  k: number,
  omega: 'he-litterman' | 'idzorek',
  fast: boolean,
): BlackLittermanInput {
  const rng = new Random(11);
  const tickers = covariance.tickers;
  const n = tickers.length;
  const marketCaps = Object.fromEntries(tickers.map((t) => [t, Math.exp(23 + 1.2 * rng.normal())]));
  const views: BlackLittermanView[] = [];
  for (let r = 0; r < k; r++) {
    // Distinct assets for the absolute views, so that no two certain views can collide.
    const a = tickers[(r * 7) % n] as string;
    const b = tickers[(r * 7 + 3) % n] as string;
    views.push(
      r % 2 === 0
        ? { kind: 'absolute', asset: a, return: 0.08 + 0.05 * rng.normal() }
        : { kind: 'relative', long: a, short: b, return: 0.02 + 0.03 * rng.normal() },
    );
  }
  const confidences = Array.from({ length: k }, (_, r) => 0.1 + (0.8 * r) / Math.max(1, k - 1));
  return {
    covariance,
    views: omega === 'idzorek' ? { views, confidences } : { views },
    marketCaps,
    riskAversion: 2.5,
    riskFreeRate: 0.02,
    ...(fast ? { covarianceCheck: 'fast' as const } : {}),
  };
}

function blCases(label: string, load: () => PriorCovariance | Skip): BenchCase[] {
  const variants: [string, number | 'n/5', 'he-litterman' | 'idzorek', boolean][] = [
    ['10 views, He-Litterman Omega', 10, 'he-litterman', false],
    ['10 views, Idzorek confidences', 10, 'idzorek', false],
    ["10 views, Idzorek confidences, covarianceCheck 'fast'", 10, 'idzorek', true],
    ['N/5 views, He-Litterman Omega', 'n/5', 'he-litterman', false],
  ];
  return variants.map(([name, k, omega, fast]) =>
    benchCase({
      name: `black-litterman ${label}: ${name}`,
      timed:
        'blackLitterman: covariance validation, prior delta S w_mkt + rf, posterior mean and covariance, implied weights',
      setup: () => {
        const cov = load();
        if (cov instanceof Skip) return cov;
        const views = k === 'n/5' ? Math.round(cov.tickers.length / 5) : k;
        return modelInput(cov, views, omega, fast);
      },
      run: (input: BlackLittermanInput) => blackLitterman(input),
    }),
  );
}

export const cases: BenchCase[] = [
  ...blCases('100 synthetic assets', () => syntheticCovariance(100)),
  ...blCases('471 S&P 500 stocks', () => withReferenceFile(SP500, sp500Covariance)),
];

/**
 * Estimator and dense-kernel benchmarks: every estimator on the shared 471-stock S&P 500 returns (1,439 days), the
 * covariance estimators on synthetic markets of 20 to 1,000 assets over 2,520 days, the pairwise paths on the us20
 * file's leading gaps, and Cholesky / eigendecomposition / PSD repair at n = 500. Returns are computed in setup:
 * the timer holds the estimator alone, from the return matrix in memory.
 */

import type { DatedMatrix } from '../src/core/dated-matrix.js';
import { symmetricEigen, symmetricEigenvalues } from '../src/core/linalg/eigen.js';
import { simpleReturns } from '../src/core/returns.js';
import { readCsvMatrix } from '../src/data/csv/index.js';
import { generateMarket } from '../src/data/synthetic.js';
import {
  capmReturnFromReturns,
  clipToPsd,
  emaReturnFromReturns,
  expCovarianceFromReturns,
  geometricReturnFromReturns,
  jamesSteinReturnFromReturns,
  ledoitWolfFromReturns,
  meanReturnFromReturns,
  oracleApproximatingShrinkageFromReturns,
  sampleCovarianceFromReturns,
  semicovarianceFromReturns,
} from '../src/estimate/index.js';
import { type BenchCase, benchCase, withReferenceFile } from './harness.js';

const SP500 = 'sp500-2015-2020/prices.csv';
const US20 = 'us20-1990-2018/prices.csv';

const sp500Returns = () => withReferenceFile(SP500, (path) => simpleReturns(readCsvMatrix(path)));
const us20Returns = () => withReferenceFile(US20, (path) => simpleReturns(readCsvMatrix(path)));
const syntheticReturns = (assets: number, periods: number) => () =>
  simpleReturns(generateMarket({ assets, periods, seed: 1 }).prices);

const sp500Cases: BenchCase[] = [
  benchCase({
    name: 'estimate: sample covariance, 471 x 1,439 S&P 500 returns',
    timed: "sampleCovarianceFromReturns (no gaps: center once, blocked X'X)",
    reference: 'PyPortfolioOpt sample_cov 82 ms (from prices: pct_change, pandas cov, PSD check)',
    setup: sp500Returns,
    run: (r: DatedMatrix) => sampleCovarianceFromReturns(r),
  }),
  ...(['constant-variance', 'single-factor', 'constant-correlation'] as const).map((target) =>
    benchCase({
      name: `estimate: Ledoit-Wolf ${target}, 471 x 1,439 S&P 500 returns`,
      timed: `ledoitWolfFromReturns({ target: '${target}' })`,
      reference:
        target === 'constant-variance'
          ? 'PyPortfolioOpt CovarianceShrinkage.ledoit_wolf 150 ms'
          : 'PyPortfolioOpt: n/a',
      setup: sp500Returns,
      run: (r: DatedMatrix) => ledoitWolfFromReturns(r, { target }),
    }),
  ),
  benchCase({
    name: 'estimate: OAS, 471 x 1,439 S&P 500 returns',
    timed: 'oracleApproximatingShrinkageFromReturns',
    setup: sp500Returns,
    run: (r: DatedMatrix) => oracleApproximatingShrinkageFromReturns(r),
  }),
  benchCase({
    name: 'estimate: semicovariance, 471 x 1,439 S&P 500 returns',
    timed: 'semicovarianceFromReturns (benchmark 0)',
    setup: sp500Returns,
    run: (r: DatedMatrix) => semicovarianceFromReturns(r),
  }),
  benchCase({
    name: 'estimate: exponential covariance (span 180), 471 x 1,439 S&P 500 returns',
    timed: "expCovarianceFromReturns (weighted blocked X'X)",
    setup: sp500Returns,
    run: (r: DatedMatrix) => expCovarianceFromReturns(r),
  }),
  benchCase({
    name: 'estimate: mean, EMA and CAPM returns, 471 x 1,439 S&P 500 returns',
    timed: 'meanReturnFromReturns + emaReturnFromReturns + capmReturnFromReturns (equal-weight market)',
    setup: sp500Returns,
    run: (r: DatedMatrix) => [meanReturnFromReturns(r), emaReturnFromReturns(r), capmReturnFromReturns(r)],
  }),
  benchCase({
    name: 'estimate: James-Stein returns, 471 x 1,439 S&P 500 returns',
    timed: 'jamesSteinReturnFromReturns (sample covariance + Cholesky solve)',
    setup: sp500Returns,
    run: (r: DatedMatrix) => jamesSteinReturnFromReturns(r),
  }),
];

/** Every estimator, by name and call, for the synthetic sizes. */
const ESTIMATORS: readonly { name: string; timed: string; run: (r: DatedMatrix) => unknown }[] = [
  { name: 'mean returns', timed: 'meanReturnFromReturns', run: (r) => meanReturnFromReturns(r) },
  { name: 'CAGR returns', timed: 'geometricReturnFromReturns', run: (r) => geometricReturnFromReturns(r) },
  { name: 'EMA returns', timed: 'emaReturnFromReturns (span 180)', run: (r) => emaReturnFromReturns(r, { span: 180 }) },
  { name: 'CAPM returns', timed: 'capmReturnFromReturns (equal-weight market)', run: (r) => capmReturnFromReturns(r) },
  { name: 'James-Stein returns', timed: 'jamesSteinReturnFromReturns', run: (r) => jamesSteinReturnFromReturns(r) },
  { name: 'sample covariance', timed: 'sampleCovarianceFromReturns', run: (r) => sampleCovarianceFromReturns(r) },
  {
    name: 'semicovariance',
    timed: 'semicovarianceFromReturns (benchmark 0)',
    run: (r) => semicovarianceFromReturns(r),
  },
  {
    name: 'exponential covariance',
    timed: 'expCovarianceFromReturns (span 180)',
    run: (r) => expCovarianceFromReturns(r),
  },
  ...(['constant-variance', 'single-factor', 'constant-correlation'] as const).map((target) => ({
    name: `Ledoit-Wolf ${target}`,
    timed: `ledoitWolfFromReturns({ target: '${target}' })`,
    run: (r: DatedMatrix) => ledoitWolfFromReturns(r, { target }),
  })),
  {
    name: 'OAS',
    timed: 'oracleApproximatingShrinkageFromReturns',
    run: (r) => oracleApproximatingShrinkageFromReturns(r),
  },
];

const syntheticCases: BenchCase[] = [20, 100, 500, 1000].flatMap((n) =>
  ESTIMATORS.map((e) =>
    benchCase({
      name: `estimate: ${e.name}, synthetic ${n} x 2,519 returns`,
      timed: e.timed,
      ...(n === 500 && e.name === 'sample covariance'
        ? { reference: 'numpy cov 24 ms; hand-written JS loops 287 ms (numerics.md)' }
        : {}),
      setup: syntheticReturns(n, 2520),
      run: e.run,
    }),
  ),
);

const gapCases: BenchCase[] = [
  benchCase({
    name: 'estimate: sample covariance with leading gaps, us20 20 x 7,125 returns',
    timed: 'sampleCovarianceFromReturns (pairwise: one Gram product of [X M], Cholesky PSD check)',
    setup: us20Returns,
    run: (r: DatedMatrix) => sampleCovarianceFromReturns(r),
  }),
  benchCase({
    name: 'estimate: exponential covariance with leading gaps, us20 20 x 7,125 returns',
    timed: 'expCovarianceFromReturns (weighted Gram, per-pair weight sums, PSD check)',
    setup: us20Returns,
    run: (r: DatedMatrix) => expCovarianceFromReturns(r),
  }),
];

/** A 500 x 500 covariance with 300 negative eigenvalues: a Gram matrix of 200 rows minus a ridge. */
function indefinite500(): Float64Array {
  const cov = sampleCovarianceFromReturns(syntheticReturns(500, 201)()).values;
  for (let i = 0; i < 500; i++) cov[i * 500 + i] = (cov[i * 500 + i] as number) - 1e-4;
  return cov;
}

const kernelCases: BenchCase[] = [
  benchCase({
    name: 'linalg: symmetric eigendecomposition 500 x 500 (values and vectors)',
    timed: 'symmetricEigen: Householder tridiagonalisation + implicit QL',
    reference: 'numpy eigh 34.5 ms; ml-matrix 1,754 ms (numerics.md)',
    setup: () => sampleCovarianceFromReturns(syntheticReturns(500, 2520)()).values,
    run: (a: Float64Array) => symmetricEigen(a, 500),
  }),
  benchCase({
    name: 'linalg: symmetric eigenvalues only 500 x 500',
    timed: 'symmetricEigenvalues',
    setup: () => sampleCovarianceFromReturns(syntheticReturns(500, 2520)()).values,
    run: (a: Float64Array) => symmetricEigenvalues(a, 500),
  }),
  benchCase({
    name: 'estimate: PSD repair of a 500 x 500 matrix with 300 negative eigenvalues',
    timed: 'clipToPsd: failed Cholesky, eigendecomposition, rebuild from the 200 positive eigenpairs',
    setup: indefinite500,
    run: (a: Float64Array) => clipToPsd(a, 500),
  }),
];

export const cases = [...sp500Cases, ...syntheticCases, ...gapCases, ...kernelCases];

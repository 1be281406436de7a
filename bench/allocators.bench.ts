/**
 * Allocator benchmarks: equal risk contribution, risk budgeting, hierarchical risk parity, HERC and inverse
 * volatility, each timed from the return matrix in memory with its estimation inside the timer (pairwise moments for
 * the hierarchical methods, the sample covariance for the others), on 100 synthetic assets (2,519 daily returns)
 * and on the 471 S&P 500 stocks of the shared reference data (1,439 daily returns); plus the linkage alone on 2,000
 * points.
 */

import type { DatedMatrix } from '../src/core/dated-matrix.js';
import { Random } from '../src/core/random.js';
import { simpleReturns } from '../src/core/returns.js';
import { readCsvMatrix } from '../src/data/csv/index.js';
import { generateMarket } from '../src/data/synthetic.js';
import { sampleCovarianceFromReturns } from '../src/estimate/index.js';
import {
  equalRiskContribution,
  hierarchicalEqualRiskContributionFromReturns,
  hierarchicalRiskParityFromReturns,
  inverseVolatility,
  type LinkageMethod,
  linkage,
  riskBudgeting,
} from '../src/optimize/allocators.js';
import { type BenchCase, benchCase, type Skip, withReferenceFile } from './harness.js';

const SP500 = 'sp500-2015-2020/prices.csv';

const sp500Returns = (): DatedMatrix | Skip => withReferenceFile(SP500, (path) => simpleReturns(readCsvMatrix(path)));
const synthetic100 = (): DatedMatrix => simpleReturns(generateMarket({ assets: 100, periods: 2520, seed: 1 }).prices);

/** Budgets 1, 2, ..., n (normalised by the solver), a spread of two decades and more. */
function rampBudgets(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => i + 1);
}

function allocatorCases(label: string, load: () => DatedMatrix | Skip, reference: Record<string, string>): BenchCase[] {
  return [
    benchCase({
      name: `allocate ${label}: equal risk contribution`,
      timed: 'sampleCovarianceFromReturns + equalRiskContribution (coordinate descent to 1e-12)',
      ...(reference.erc ? { reference: reference.erc } : {}),
      setup: load,
      run: (r: DatedMatrix) => equalRiskContribution(sampleCovarianceFromReturns(r)),
    }),
    benchCase({
      name: `allocate ${label}: risk budgeting, budgets 1 .. n`,
      timed: 'sampleCovarianceFromReturns + riskBudgeting (to 1e-12)',
      setup: load,
      run: (r: DatedMatrix) => riskBudgeting(sampleCovarianceFromReturns(r), { budgets: rampBudgets(r.columnCount) }),
    }),
    ...(['single', 'ward'] as LinkageMethod[]).map((method) =>
      benchCase({
        name: `allocate ${label}: hierarchical risk parity, ${method} linkage`,
        timed: 'hierarchicalRiskParityFromReturns: pairwise correlation and covariance, tree, bisection',
        ...(reference.hrp && method === 'single' ? { reference: reference.hrp } : {}),
        setup: load,
        run: (r: DatedMatrix) => hierarchicalRiskParityFromReturns(r, { linkage: method }),
      }),
    ),
    benchCase({
      name: `allocate ${label}: hierarchical risk parity with bounds [0.5/n, 2/n]`,
      timed: 'hierarchicalRiskParityFromReturns with weight bounds (bounded bisection)',
      setup: load,
      run: (r: DatedMatrix) =>
        hierarchicalRiskParityFromReturns(r, { bounds: [0.5 / r.columnCount, 2 / r.columnCount] }),
    }),
    benchCase({
      name: `allocate ${label}: HERC, ward linkage, clusters by the gap rule`,
      timed: 'hierarchicalEqualRiskContributionFromReturns: moments, tree, gap rule, allocation',
      setup: load,
      run: (r: DatedMatrix) => hierarchicalEqualRiskContributionFromReturns(r),
    }),
    benchCase({
      name: `allocate ${label}: inverse volatility`,
      timed: 'sampleCovarianceFromReturns + inverseVolatility',
      setup: load,
      run: (r: DatedMatrix) => inverseVolatility(sampleCovarianceFromReturns(r)),
    }),
  ];
}

export const cases: BenchCase[] = [
  ...allocatorCases('100 synthetic assets', synthetic100, {}),
  ...allocatorCases('471 S&P 500 stocks', sp500Returns, {
    erc: 'skfolio 1.5 s, Riskfolio 1,680 ms (risk parity); goal < 50 ms',
    hrp: 'skfolio 1.5 s, PyPortfolioOpt 2.7 s, Riskfolio 5.0 s; goal < 150 ms',
  }),
  ...(['single', 'ward'] as LinkageMethod[]).map((method) =>
    benchCase({
      name: `linkage: ${method}, 2,000 points`,
      timed: `linkage(condensed distances, '${method}'): 1,999,000 distances, SciPy-compatible tree`,
      setup: () => {
        const rng = new Random(2000);
        return Float64Array.from({ length: (2000 * 1999) / 2 }, () => rng.nextDouble());
      },
      run: (d: Float64Array) => linkage(d, method),
      repeats: 5,
    }),
  ),
];

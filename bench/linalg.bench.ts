/**
 * Dense-kernel benchmarks: the blocked Cholesky factorisation at n = 100, 500 and 1,000 with its WebAssembly SIMD
 * kernels and with the scalar JavaScript fallback, and the optimizer's positive-semidefiniteness proof (the
 * semidefinite-tolerant factorisation) on the 471 S&P 500 stocks' covariance and on a synthetic 500-asset one.
 * Matrices are built in setup: sample covariances of daily simple returns (synthetic markets over 2,520 days; the
 * S&P 500 stocks on the dates where all have a return, times 252, as the optimizer benchmarks use them).
 */

import { cholesky } from '../src/core/linalg/cholesky.js';
import { gram } from '../src/core/linalg/gram.js';
import { simpleReturns } from '../src/core/returns.js';
import { readCsvMatrix } from '../src/data/csv/index.js';
import { generateMarket } from '../src/data/synthetic.js';
import { sampleCovarianceFromReturns } from '../src/estimate/index.js';
import { checkPositiveSemidefinite } from '../src/optimize/psd.js';
import { type BenchCase, benchCase, withReferenceFile } from './harness.js';

const SP500 = 'sp500-2015-2020/prices.csv';

/** The sample covariance of a synthetic market of n assets over 2,520 days (daily units). */
function syntheticCovariance(n: number): Float64Array {
  return sampleCovarianceFromReturns(simpleReturns(generateMarket({ assets: n, periods: 2520, seed: 1 }).prices))
    .values;
}

interface Covariance {
  readonly values: Float64Array;
  readonly n: number;
  readonly tickers: readonly string[];
}

/** The annualised sample covariance (ddof 1, times 252) of the S&P 500 stocks' returns on their complete dates. */
function sp500Covariance(path: string): Covariance {
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
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (const t of rows) s += v[j * T + t] as number;
    const mean = s / count;
    rows.forEach((t, k) => {
      centred[j * count + k] = (v[j * T + t] as number) - mean;
    });
  }
  const values = gram(centred, count, n).map((x) => (252 * x) / (count - 1));
  return { values, n, tickers: returns.tickers };
}

const BEFORE: Record<number, string> = {
  100: 'before: 0.18-0.26 ms (row-oriented JS)',
  500: 'numpy 1.65 ms; hand-written JS 32 ms (numerics.md); before: 15-18 ms (row-oriented JS); goal < 6 ms',
  1000: 'before: 140-260 ms (row-oriented JS)',
};

const choleskyCases: BenchCase[] = [100, 500, 1000].flatMap((n) =>
  [true, false].map((simd) =>
    benchCase({
      name: `linalg: Cholesky ${n} x ${n}, ${simd ? 'WebAssembly SIMD' : 'scalar JavaScript'}`,
      timed: `cholesky(a, ${n}, { simd: ${simd} }) of a synthetic ${n}-asset sample covariance (blocked, 32-column panels)`,
      ...(BEFORE[n] ? { reference: BEFORE[n] } : {}),
      setup: () => syntheticCovariance(n),
      run: (a: Float64Array) => cholesky(a, n, { simd }),
      repeats: n === 1000 && !simd ? 5 : 15,
    }),
  ),
);

const psdCases: BenchCase[] = [
  benchCase({
    name: "linalg: PSD proof (checkPositiveSemidefinite 'full'), 471 S&P 500 stocks",
    timed: 'semidefinite-tolerant blocked Cholesky of the annualised sample covariance, verdict only',
    reference: 'before: 15-20 ms (left-looking JS, 4 x 2 register blocks)',
    setup: () => withReferenceFile(SP500, sp500Covariance),
    run: (c: Covariance) => checkPositiveSemidefinite(c.values, c.n, c.tickers, 'full'),
    repeats: 15,
  }),
  benchCase({
    name: "linalg: PSD proof (checkPositiveSemidefinite 'full'), synthetic 500 assets",
    timed: 'semidefinite-tolerant blocked Cholesky of a synthetic 500-asset sample covariance, verdict only',
    setup: (): Covariance => {
      const values = syntheticCovariance(500);
      return { values, n: 500, tickers: Array.from({ length: 500 }, (_, i) => `A${i}`) };
    },
    run: (c: Covariance) => checkPositiveSemidefinite(c.values, c.n, c.tickers, 'full'),
    repeats: 15,
  }),
];

export const cases: BenchCase[] = [...choleskyCases, ...psdCases];

/**
 * CAPM expected returns: the risk-free rate plus each asset's beta times the market's excess return.
 */

import { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';
import { DataError, ValidationError } from '../core/errors.js';
import { simpleReturns } from '../core/returns.js';
import { assetMoments, resolvePeriods, returnsOfPrices } from './input.js';
import type { CapmReturns, EstimatorOptions, PriceInputOptions } from './types.js';

/** Options of the CAPM estimator. */
export interface CapmOptions extends EstimatorOptions {
  /**
   * The market: a one-column matrix, of PRICES for `capmReturn` and of per-period RETURNS for
   * `capmReturnFromReturns`, matched to the assets by date. Default: the equal-weighted market, the mean of the
   * returns available on each date.
   */
  readonly benchmark?: DatedMatrix;
  /** Annual risk-free rate as a decimal (0.02 is 2% a year); default 0. */
  readonly riskFreeRate?: number;
  /**
   * true (default, as PyPortfolioOpt): the market's expected return is its geometric annual return
   * `prod(1 + m_t)^(P / N) - 1`; false: its arithmetic annual mean `P * mean(m_t)`.
   */
  readonly compounding?: boolean;
}

/**
 * Annual CAPM expected returns (fractions per year) from prices: `capmReturnFromReturns(simpleReturns(prices))`.
 * A benchmark, if given, holds prices; they are taken on the assets' price dates (exact date match, missing
 * otherwise) and turned into returns like the assets' own.
 */
export function capmReturn(prices: DatedMatrix, options: CapmOptions & PriceInputOptions = {}): CapmReturns {
  const returns = returnsOfPrices(prices, options);
  if (options.benchmark === undefined) return capmReturnFromReturns(returns, options);
  const source = checkedBenchmark(options.benchmark);
  const column = alignedColumn(prices.dates, source);
  if (column.every((v) => Number.isNaN(v))) throw noOverlap(source, prices);
  const onAssetDates = DatedMatrix.fromColumns(prices.dates, source.tickers, [column]);
  const benchmark = simpleReturns(onAssetDates, options.gaps === undefined ? {} : { gaps: options.gaps });
  return capmReturnFromReturns(returns, { ...options, benchmark });
}

/**
 * Annual CAPM expected returns of per-period returns: `mu_i = rf + beta_i (E[r_m] - rf)`, rf the annual risk-free
 * rate, `beta_i = cov(r_i, r_m) / var(r_m)` over the dates both the asset and the market have a return (the OLS slope
 * of the asset on the market; ddof cancels), and E[r_m] the market's annual return over all its returns on the
 * assets' dates: geometric `prod(1 + m_t)^(P / N) - 1` by default (`compounding`), else arithmetic `P * mean(m_t)`.
 * The market is the benchmark's returns matched by date, or the equal-weighted mean of the assets' available returns
 * on each date. This is PyPortfolioOpt's `capm_return` except for one detail: PyPortfolioOpt divides by var(r_m)
 * over all the market's dates rather than over the asset's (the same for an asset with a full history).
 * Throws DataError when an asset has fewer than 2 returns, the benchmark shares no date with the assets, fewer than 2
 * common dates are left for an asset, or the market does not vary on them; ValidationError for a benchmark with more
 * than one column or a risk-free rate that is not a finite number above -1.
 */
export function capmReturnFromReturns(returns: DatedMatrix, options: CapmOptions = {}): CapmReturns {
  const periods = resolvePeriods(returns, options);
  const rf = options.riskFreeRate ?? 0;
  if (!Number.isFinite(rf) || rf <= -1) {
    throw new ValidationError(`the risk-free rate must be an annual decimal above -1 (0.02 is 2%), got ${rf}`);
  }
  assetMoments(returns);
  const market =
    options.benchmark === undefined
      ? equalWeightMarket(returns)
      : benchmarkOnDates(returns, checkedBenchmark(options.benchmark));
  const marketReturn = annualMarketReturn(market, periods, options.compounding ?? true);
  const t = returns.rowCount;
  const n = returns.columnCount;
  const betas = new Float64Array(n);
  const values = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const beta = betaOf(returns.values, j * t, market, t, returns.tickers[j] as string);
    betas[j] = beta;
    values[j] = rf + beta * (marketReturn - rf);
  }
  return {
    tickers: returns.tickers,
    values,
    periodsPerYear: periods,
    method: 'capm',
    betas,
    marketReturn,
    riskFreeRate: rf,
  };
}

/** The mean of the available asset returns on each date (NaN on a date with none). */
function equalWeightMarket(returns: DatedMatrix): Float64Array {
  const t = returns.rowCount;
  const sums = new Float64Array(t);
  const counts = new Int32Array(t);
  const x = returns.values;
  for (let j = 0; j < returns.columnCount; j++) {
    for (let i = 0; i < t; i++) {
      const v = x[j * t + i] as number;
      if (Number.isNaN(v)) continue;
      sums[i] = (sums[i] as number) + v;
      counts[i] = (counts[i] as number) + 1;
    }
  }
  for (let i = 0; i < t; i++)
    sums[i] = (counts[i] as number) > 0 ? (sums[i] as number) / (counts[i] as number) : Number.NaN;
  return sums;
}

/** The benchmark's returns on the assets' return dates; DataError when no date matches or a value is infinite. */
function benchmarkOnDates(returns: DatedMatrix, benchmark: DatedMatrix): Float64Array {
  const market = alignedColumn(returns.dates, benchmark);
  let count = 0;
  for (let i = 0; i < market.length; i++) {
    const v = market[i] as number;
    if (Number.isNaN(v)) continue;
    if (!Number.isFinite(v)) {
      throw new DataError(`the benchmark return on ${isoDate(returns.dates[i] as number)} is ${v}; it must be finite`);
    }
    count++;
  }
  if (count === 0) throw noOverlap(benchmark, returns);
  return market;
}

/** DataError for a benchmark that shares no date with the assets. */
function noOverlap(benchmark: DatedMatrix, assets: DatedMatrix): DataError {
  const span = (m: DatedMatrix) =>
    m.rowCount === 0 ? 'no dates' : `${isoDate(m.dates[0] as number)} to ${isoDate(m.dates[m.rowCount - 1] as number)}`;
  return new DataError(
    `the benchmark ${JSON.stringify(benchmark.tickers[0])} has no value on any date of the assets ` +
      `(benchmark: ${span(benchmark)}; assets: ${span(assets)}); give a benchmark covering the same dates`,
  );
}

/** The single column of `source` on each of `dates` (sorted), NaN where source has no such date. */
function alignedColumn(dates: Int32Array, source: DatedMatrix): Float64Array {
  const out = new Float64Array(dates.length).fill(Number.NaN);
  const col = source.column(0);
  let k = 0;
  for (let i = 0; i < dates.length; i++) {
    const day = dates[i] as number;
    while (k < source.rowCount && (source.dates[k] as number) < day) k++;
    if (k < source.rowCount && source.dates[k] === day) out[i] = col[k] as number;
  }
  return out;
}

function checkedBenchmark(benchmark: DatedMatrix): DatedMatrix {
  if (benchmark.columnCount !== 1) {
    throw new ValidationError(
      `the CAPM benchmark must have exactly one column, got ${benchmark.columnCount} (${benchmark.tickers.join(', ')}); ` +
        'select the market series with selectTickers',
    );
  }
  return benchmark;
}

/** The market's annual return over its non-NaN values: geometric or arithmetic. */
function annualMarketReturn(market: Float64Array, periods: number, compounding: boolean): number {
  let count = 0;
  let sum = 0;
  let logGrowth = 0;
  for (let i = 0; i < market.length; i++) {
    const m = market[i] as number;
    if (Number.isNaN(m)) continue;
    if (compounding && !(m > -1)) {
      throw new DataError(`a market return is ${m}; a geometric mean needs every return above -1 (-100%)`);
    }
    count++;
    sum += m;
    if (compounding) logGrowth += Math.log1p(m);
  }
  if (count < 2) throw new DataError(`the market has ${count} return(s) on the assets' dates; CAPM needs at least 2`);
  return compounding ? Math.expm1((periods / count) * logGrowth) : (sum / count) * periods;
}

/** OLS slope of x[start..start+t-1] on the market over the dates both have. */
function betaOf(x: Float64Array, start: number, market: Float64Array, t: number, ticker: string): number {
  let count = 0;
  let sx = 0;
  let sm = 0;
  for (let i = 0; i < t; i++) {
    const v = x[start + i] as number;
    const m = market[i] as number;
    if (Number.isNaN(v) || Number.isNaN(m)) continue;
    count++;
    sx += v;
    sm += m;
  }
  if (count < 2) {
    throw new DataError(
      `${JSON.stringify(ticker)} and the market have ${count} return date(s) in common; a beta needs at least 2`,
    );
  }
  const mx = sx / count;
  const mm = sm / count;
  let cov = 0;
  let variance = 0;
  for (let i = 0; i < t; i++) {
    const v = x[start + i] as number;
    const m = market[i] as number;
    if (Number.isNaN(v) || Number.isNaN(m)) continue;
    cov += (v - mx) * (m - mm);
    variance += (m - mm) * (m - mm);
  }
  if (!(variance > 0)) {
    throw new DataError(`the market does not vary on the dates of ${JSON.stringify(ticker)}; its beta is undefined`);
  }
  return cov / variance;
}

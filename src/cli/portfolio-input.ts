/**
 * The inputs of the commands that analyse a portfolio of priced assets (`pfopt stress`, and `pfopt risk` on prices):
 * the prices with the benchmark split off and the universe and dates chosen, the weights (`--weights FILE` or
 * `--equal`), and the sector map, with the same notes and warnings everywhere.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { DataError, ValidationError } from '../core/errors.js';
import { simpleReturns } from '../core/returns.js';
import { readSectorMap, readWeights, type SectorMap, type WeightMap } from '../data/keyed-files.js';
import { loadPrices } from '../data/load-prices.js';
import { UNASSIGNED_SECTOR } from '../risk/contributions.js';
import { equalWeights } from '../risk/portfolio-returns.js';
import type { BenchmarkSeries } from '../risk/report.js';
import { splitBenchmark } from './benchmark-input.js';
import type { CommandContext } from './context.js';
import { type PriceOptions, priceSource } from './options.js';
import { printWarning } from './terminal.js';

/** The flags behind a portfolio of priced assets. */
export interface PortfolioInputFlags extends PriceOptions {
  weights?: string;
  equal?: boolean;
  benchmark?: string;
  tickers?: string[];
  start?: string;
  end?: string;
}

/** A benchmark's prices (one column) and its name as the user gave it (a ticker, a file or sample:NAME). */
export interface BenchmarkPrices {
  readonly name: string;
  readonly prices: DatedMatrix;
}

/** The prices of a portfolio's universe and of its benchmark. */
export interface PortfolioPrices {
  /** Prices of the assets (benchmark column removed, `--tickers` and `--start`/`--end` applied). */
  readonly prices: DatedMatrix;
  readonly benchmark?: BenchmarkPrices;
  /** The price source as the user named it. */
  readonly label: string;
}

/**
 * Loads `--prices` (or the configured source) restricted to `--start`/`--end`, splits off `--benchmark` (a column of
 * the data, removed from the universe, or a price file or sample with one column, restricted to the same dates) and
 * keeps `--tickers`. Throws ValidationError when no source is known (with `missing` as the message) and DataError for
 * fewer than 2 price dates or a benchmark file with several columns.
 */
export function loadPortfolioPrices(ctx: CommandContext, flags: PortfolioInputFlags, missing: string): PortfolioPrices {
  const { source, load } = priceSource(ctx, flags);
  if (source === undefined) throw new ValidationError(missing);
  const label = flags.prices ?? ctx.config.prices ?? source;
  const split = splitBenchmark(
    ctx,
    loadPrices(source, load).between(flags.start, flags.end),
    flags.benchmark,
    load,
    flags,
  );
  let prices = split.prices;
  const benchmark: BenchmarkPrices | undefined =
    split.benchmark === undefined ? undefined : { name: flags.benchmark as string, prices: split.benchmark };
  if (flags.tickers !== undefined) prices = prices.selectTickers(tickerList(flags.tickers));
  if (prices.rowCount < 2) throw new DataError(`${label} has ${prices.rowCount} price dates in the chosen range`);
  return { prices, label, ...(benchmark === undefined ? {} : { benchmark }) };
}

/** The benchmark's per-period simple returns on its own dates. */
export function benchmarkReturns(benchmark: BenchmarkPrices): BenchmarkSeries {
  const r = simpleReturns(benchmark.prices);
  return { name: benchmark.name, dates: r.dates, returns: r.column(0) };
}

/**
 * The portfolio's weights: `--weights FILE` (CSV or JSON, as `readWeights`) or `--equal` (1 / n on each of `tickers`).
 * ValidationError when both or neither is given (`neither` is that message); warns when the weights do not sum to 1
 * (the rest is cash at a zero return).
 */
export function portfolioWeights(
  ctx: CommandContext,
  flags: PortfolioInputFlags,
  tickers: readonly string[],
  neither: string,
): WeightMap {
  if (flags.weights !== undefined && flags.equal === true) {
    throw new ValidationError('give either --weights FILE or --equal, not both');
  }
  if (flags.weights === undefined && flags.equal !== true) throw new ValidationError(neither);
  const weights = flags.equal === true ? equalWeights(tickers) : readWeights(ctx.resolvePath(flags.weights as string));
  let sum = 0;
  for (const w of Object.values(weights)) sum += w;
  if (Math.abs(sum - 1) > 1e-6) {
    printWarning(ctx.term, `the weights sum to ${sum}; the remaining ${1 - sum} is cash at a zero return`);
  }
  return weights;
}

/** Reads `--sectors` and warns about the `held` tickers it does not name (grouped as `UNASSIGNED_SECTOR`). */
export function sectorMap(ctx: CommandContext, file: string, held: readonly string[]): SectorMap {
  const sectors = readSectorMap(ctx.resolvePath(file));
  const missing = held.filter((t) => !Object.hasOwn(sectors, t));
  if (missing.length > 0) {
    printWarning(
      ctx.term,
      `${file} has no sector for ${missing.join(', ')}; they are grouped as "${UNASSIGNED_SECTOR}"`,
    );
  }
  return sectors;
}

/** `--tickers A,B C` as a list: commas and spaces both separate. */
export function tickerList(tickers: readonly string[]): string[] {
  return tickers.flatMap((t) => t.split(',')).filter((t) => t !== '');
}

/**
 * `--benchmark TICKER|FILE|sample:NAME`, shared by every command that compares with or estimates from a benchmark
 * (optimize, frontier, risk, stress, backtest): a column of the price data, which then leaves the universe, or a price
 * file or sample with one column, restricted to the same dates as the prices.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { DataError } from '../core/errors.js';
import { type LoadPricesOptions, loadPrices } from '../data/load-prices.js';
import type { CommandContext } from './context.js';

/** The universe's prices with the benchmark split off. */
export interface SplitPrices {
  /** Prices of the assets (the benchmark's column removed when it was one of them). */
  readonly prices: DatedMatrix;
  /** The benchmark's prices, one column; absent without `--benchmark`. */
  readonly benchmark?: DatedMatrix;
}

/**
 * Splits the benchmark `name` off `prices`: a ticker of the prices is moved out of the universe; anything else is
 * loaded as a price file (relative to the working directory) or a `sample:NAME`, with `load`'s options, and restricted
 * to `start`..`end` (ISO dates, inclusive; either may be absent). Throws DataError for a benchmark file with more than
 * one column, naming it and what to give instead.
 */
export function splitBenchmark(
  ctx: CommandContext,
  prices: DatedMatrix,
  name: string | undefined,
  load: LoadPricesOptions,
  range: { readonly start?: string | undefined; readonly end?: string | undefined } = {},
): SplitPrices {
  if (name === undefined) return { prices };
  if (prices.has(name)) {
    return {
      prices: prices.selectTickers(prices.tickers.filter((t) => t !== name)),
      benchmark: prices.selectTickers([name]),
    };
  }
  const path = name.startsWith('sample:') ? name : ctx.resolvePath(name);
  const benchmark = loadPrices(path, { ...load, label: name }).between(range.start, range.end);
  if (benchmark.columnCount !== 1) {
    throw new DataError(
      `the benchmark ${name} has ${benchmark.columnCount} columns; give a file with one price column or a ticker of ` +
        'the price data',
    );
  }
  return { prices, benchmark };
}

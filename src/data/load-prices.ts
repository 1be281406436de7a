/**
 * One entry point for "a price file or a sample": what every `--prices` option accepts.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';
import { DataError } from '../core/errors.js';
import { type ReadCsvOptions, readCsvMatrix } from './csv/index.js';
import { loadSample, SAMPLE_PREFIX } from './samples.js';

/** Options of `loadPrices`: the CSV reading options; `label` names the source in messages (default: the path). */
export type LoadPricesOptions = Omit<ReadCsvOptions, 'file'> & { readonly label?: string };

/** Prefix of price sources held in memory, such as prices the command line fetched through the cache. */
export const MEMORY_PREFIX = 'memory:';

const memorySources = new Map<string, DatedMatrix>();

/**
 * Holds `prices` in memory under the source name `memory:<name>` (replacing what it held), which
 * {@link loadPrices} accepts, and returns that source name.
 */
export function registerMemoryPrices(prices: DatedMatrix, name: string): string {
  const source = `${MEMORY_PREFIX}${name}`;
  memorySources.set(source, prices);
  return source;
}

/** Forgets a source made by {@link registerMemoryPrices}. */
export function releaseMemoryPrices(source: string): void {
  memorySources.delete(source);
}

/**
 * Loads prices from `sample:NAME` (an embedded sample), `memory:NAME` (see {@link registerMemoryPrices}) or a CSV
 * file path (wide or long layout), and checks that every price is a positive finite number (DataError naming the
 * ticker and date otherwise).
 */
export function loadPrices(source: string, options: LoadPricesOptions = {}): DatedMatrix {
  const { label = source, ...csvOptions } = options;
  if (source.startsWith(MEMORY_PREFIX)) {
    const held = memorySources.get(source);
    if (held === undefined) throw new DataError(`${label}: no such price data in memory`);
    const withPeriods = options.periodsPerYear === undefined ? held : held.withPeriodsPerYear(options.periodsPerYear);
    assertPositivePrices(withPeriods, label);
    return withPeriods;
  }
  const prices = source.startsWith(SAMPLE_PREFIX)
    ? loadSample(source.slice(SAMPLE_PREFIX.length))
    : readCsvMatrix(source, { ...csvOptions, file: label });
  const withPeriods =
    options.periodsPerYear !== undefined && source.startsWith(SAMPLE_PREFIX)
      ? prices.withPeriodsPerYear(options.periodsPerYear)
      : prices;
  assertPositivePrices(withPeriods, label);
  return withPeriods;
}

/** Throws DataError at the first price that is zero, negative or infinite, naming the source, ticker and date. */
export function assertPositivePrices(prices: DatedMatrix, source: string): void {
  const n = prices.rowCount;
  const v = prices.values;
  for (let k = 0; k < v.length; k++) {
    const x = v[k] as number;
    if (x > 0 && x !== Number.POSITIVE_INFINITY) continue;
    if (Number.isNaN(x)) continue;
    const j = Math.floor(k / n);
    const i = k - j * n;
    throw new DataError(
      `${source}: the price of ${JSON.stringify(prices.tickers[j])} on ${isoDate(prices.dates[i] as number)} is ${x}; ` +
        'prices must be positive (leave the cell empty when there is no price)',
    );
  }
}

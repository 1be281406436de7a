/**
 * A local-file provider: one CSV per symbol in a directory (`<dir>/<SYMBOL>.csv`), in the layout of Yahoo's
 * download (`Date,Open,High,Low,Close,Adj Close,Volume`) or any wide file with a date column and at least a close
 * (`Close`, `Price` or `Adj Close`). Useful for data from a source without an adapter, through the same cache.
 */

import fs from 'node:fs';
import path from 'node:path';
import { parseCsvMatrix } from '../csv/index.js';
import { NotFoundError, SchemaError } from './errors.js';
import type { DailyRequest, MarketDataProvider, ProviderSeries, RawBar } from './types.js';

/** Options of {@link CsvFileProvider}. */
export interface CsvProviderOptions {
  /** Directory of the files (the CLI uses `PFOPT_CSV_DIR`, the configuration, or the working directory). */
  readonly dir: string;
  /** Time zone the dates are in (default America/New_York). */
  readonly timezone?: string;
}

/** Daily bars from `<dir>/<SYMBOL>.csv`. */
export class CsvFileProvider implements MarketDataProvider {
  readonly name = 'csv';
  readonly defaultTimezone: string;
  readonly secrets: readonly string[] = [];
  readonly adjusted = true;
  readonly dir: string;

  constructor(options: CsvProviderOptions) {
    this.dir = options.dir;
    this.defaultTimezone = options.timezone ?? 'America/New_York';
  }

  /** The bars of the symbol's file in `fromDay..toDay`; a missing file is NotFoundError. */
  async fetchDaily(request: DailyRequest): Promise<ProviderSeries> {
    const file = path.join(this.dir, `${request.symbol}.csv`);
    let text: string;
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch {
      throw new NotFoundError(`csv: no file ${file} for ${request.symbol}`, {
        provider: this.name,
        symbol: request.symbol,
      });
    }
    const matrix = parseCsvMatrix(text, { file, layout: 'wide', naValues: ['null', 'NaN', 'NA', '.'] });
    const lower = matrix.tickers.map((t) => t.trim().toLowerCase());
    const col = (...names: string[]): number => {
      for (const n of names) {
        const i = lower.indexOf(n);
        if (i >= 0) return i;
      }
      return -1;
    };
    const close = col('close', 'price', 'adj close', 'adjclose', 'adj_close');
    if (close < 0) {
      throw new SchemaError(
        `csv: ${file} has no Close, Price or Adj Close column (found ${matrix.tickers.join(', ')})`,
        {
          provider: this.name,
          symbol: request.symbol,
        },
      );
    }
    const index = {
      open: col('open'),
      high: col('high'),
      low: col('low'),
      adj: col('adj close', 'adjclose', 'adj_close'),
      volume: col('volume'),
    };
    const n = matrix.rowCount;
    const at = (j: number, i: number): number | null => {
      if (j < 0) return null;
      const v = matrix.values[j * n + i] as number;
      return Number.isNaN(v) ? null : v;
    };
    const bars: RawBar[] = [];
    for (let i = 0; i < n; i++) {
      const day = matrix.dates[i] as number;
      if (day < request.fromDay || day > request.toDay) continue;
      bars.push({
        day,
        open: at(index.open, i),
        high: at(index.high, i),
        low: at(index.low, i),
        close: at(close, i),
        adjClose: at(index.adj, i),
        volume: at(index.volume, i),
      });
    }
    return { bars, actions: [], timezone: this.defaultTimezone };
  }
}

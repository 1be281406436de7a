/**
 * The real price histories embedded in pfopt, usable offline on a fresh clone as `sample:NAME` wherever a price file
 * is accepted. The files under `samples/` are unmodified copies of data shipped by npm packages (see
 * `samples/README.md` for origin, licence and checksums).
 */

import { fileURLToPath } from 'node:url';
import { DatedMatrix } from '../core/dated-matrix.js';
import { DataError } from '../core/errors.js';
import { readCsvMatrix } from './csv/index.js';

/** Description of one embedded sample. */
export interface SampleInfo {
  /** Name used as `sample:NAME`. */
  readonly name: string;
  /** What the sample holds. */
  readonly description: string;
  /** File name under `samples/`. */
  readonly file: string;
  /** Sampling frequency, as periods per year. */
  readonly periodsPerYear: number;
  /** When the file holds several columns of one instrument, the column to keep and the ticker to give it. */
  readonly column?: { readonly source: string; readonly ticker: string };
  /** Name of another sample that serves as this one's benchmark. */
  readonly benchmark?: string;
  /** Where the data comes from and under which licence. */
  readonly origin: string;
}

const VEGA = 'npm package vega-datasets 3.2.1 (BSD-3-Clause), data/';

/** Every embedded sample, the default one (`stocks`) first. */
export const SAMPLES: readonly SampleInfo[] = [
  {
    name: 'stocks',
    description: 'Monthly prices of MSFT, AMZN, IBM, AAPL and GOOG (listed 2004-08), 2000-01 to 2010-03',
    file: 'stocks.csv',
    periodsPerYear: 12,
    benchmark: 'sp500',
    origin: `${VEGA}stocks.csv`,
  },
  {
    name: 'sp500',
    description: 'Monthly S&P 500 index level (ticker SP500), 2000-01 to 2010-03',
    file: 'sp500.csv',
    periodsPerYear: 12,
    column: { source: 'price', ticker: 'SP500' },
    origin: `${VEGA}sp500.csv`,
  },
  {
    name: 'sp500-daily',
    description: 'Daily S&P 500 index level, adjusted close (ticker SP500), 2000-01-03 to 2020-04-17',
    file: 'sp500-2000.csv',
    periodsPerYear: 252,
    column: { source: 'adjclose', ticker: 'SP500' },
    origin: `${VEGA}sp500-2000.csv (Yahoo Finance)`,
  },
];

/** Prefix that marks a sample name where a price file is expected. */
export const SAMPLE_PREFIX = 'sample:';

/** Absolute path of the folder holding the sample files (the package's `samples/`). */
export function samplesDirectory(): string {
  return fileURLToPath(new URL('../../samples/', import.meta.url));
}

/** The description of a sample; DataError listing the known names when there is no such sample. */
export function sampleInfo(name: string): SampleInfo {
  const info = SAMPLES.find((s) => s.name === name);
  if (!info) {
    throw new DataError(
      `unknown sample ${JSON.stringify(name)}; the samples are ${SAMPLES.map((s) => s.name).join(', ')} ` +
        '(pfopt data samples lists them)',
    );
  }
  return info;
}

/** Loads an embedded sample as a price matrix with its periods per year set. */
export function loadSample(name: string): DatedMatrix {
  const info = sampleInfo(name);
  const all = readCsvMatrix(samplesDirectory() + info.file, {
    file: `${SAMPLE_PREFIX}${info.name}`,
    periodsPerYear: info.periodsPerYear,
  });
  if (!info.column) return all;
  const series = all.series(info.column.source);
  return new DatedMatrix(all.dates, [info.column.ticker], series.slice(), { periodsPerYear: info.periodsPerYear });
}

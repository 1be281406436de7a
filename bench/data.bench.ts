/**
 * Data-layer benchmarks: CSV reading and writing, the synthetic generator, returns, and the cache store.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleReturns } from '../src/core/returns.js';
import { type BarInput, openCache } from '../src/data/cache/index.js';
import { formatCsvMatrix, parseCsvMatrix, readCsvMatrix } from '../src/data/csv/index.js';
import { generateMarket } from '../src/data/synthetic.js';
import { benchCase, referenceFile, withReferenceFile } from './harness.js';

const SP500 = 'sp500-2015-2020/prices.csv';
const US20 = 'us20-1990-2018/prices.csv';

export const cases = [
  benchCase({
    name: 'csv: load 471 x 1,440 S&P 500 prices (5 MB)',
    timed: 'readCsvMatrix: read the file, parse, validate every cell, build the dated matrix',
    setup: () => referenceFile(SP500),
    run: (path: string) => readCsvMatrix(path),
  }),
  benchCase({
    name: 'csv: parse 471 x 1,440 S&P 500 prices from memory',
    timed: 'parseCsvMatrix on the bytes already in memory (no file I/O)',
    setup: () => withReferenceFile(SP500, (path) => readFileSync(path)),
    run: (bytes: Uint8Array) => parseCsvMatrix(bytes),
  }),
  benchCase({
    name: 'csv: load 20 x 7,126 US stocks with leading gaps (1.1 MB)',
    timed: 'readCsvMatrix of us20-1990-2018/prices.csv',
    setup: () => referenceFile(US20),
    run: (path: string) => readCsvMatrix(path),
  }),
  benchCase({
    name: 'csv: format 471 x 1,440 prices as CSV text',
    timed: 'formatCsvMatrix (shortest round-trip numbers), in memory',
    setup: () => withReferenceFile(SP500, (path) => readCsvMatrix(path)),
    run: (m: ReturnType<typeof readCsvMatrix>) => formatCsvMatrix(m),
  }),
  benchCase({
    name: 'core: simple returns of 471 x 1,440 prices',
    timed: 'simpleReturns (price checks included)',
    setup: () => withReferenceFile(SP500, (path) => readCsvMatrix(path)),
    run: (m: ReturnType<typeof readCsvMatrix>) => simpleReturns(m),
  }),
  benchCase({
    name: 'synthetic: 500 assets x 2,520 days (Student-t tails)',
    timed: 'generateMarket({ assets: 500, periods: 2520 }): parameters, factor paths, prices',
    setup: () => ({}),
    run: () => generateMarket({ assets: 500, periods: 2520, seed: 1 }),
  }),
  benchCase({
    name: 'synthetic: 2,000 assets x 5,000 days (Student-t tails, crash regime)',
    timed: 'generateMarket({ assets: 2000, periods: 5000, crash: true }): 10 million prices',
    repeats: 5,
    warmup: 1,
    setup: () => ({}),
    run: () => generateMarket({ assets: 2000, periods: 5000, seed: 1, crash: true }),
  }),
  benchCase({
    name: 'cache: insert 100,000 daily bars in one transaction',
    timed: 'open a fresh cache file, then upsertBars of 40 symbols x 2,500 bars inside one withTransaction, then close',
    repeats: 5,
    setup: () => {
      const bars = Array.from({ length: 2500 }, (_, i) => ({
        day: 10_000 + i,
        open: 100 + i,
        high: 101 + i,
        low: 99 + i,
        close: 100.5 + i,
        adjClose: 100.25 + i,
        volume: 1e6 + i,
        final: true,
      }));
      return bars;
    },
    run: (bars: BarInput[]) => {
      const dir = mkdtempSync(join(tmpdir(), 'pfopt-bench-cache-'));
      const store = openCache({ dir });
      try {
        store.withTransaction((tx) => {
          for (let k = 0; k < 40; k++) tx.upsertBars('bench', `S${k}`, bars);
        });
        return store.path;
      } finally {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  }),
];

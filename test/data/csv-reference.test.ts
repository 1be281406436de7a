/**
 * Reads the real reference price files, which live outside the project (PFOPT_REFERENCE_DATA, default ../shared/data
 * relative to the repository root); each test is skipped, saying so, when its file is absent.
 */

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvMatrix } from '../../src/data/csv/index.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const dataRoot = resolve(repoRoot, process.env.PFOPT_REFERENCE_DATA ?? '../shared/data');
const us20 = resolve(dataRoot, 'us20-1990-2018/prices.csv');
const sp500 = resolve(dataRoot, 'sp500-2015-2020/prices.csv');

/** The header cells and the data lines of a plain comma-separated file, split by hand (no quoting in these files). */
function plainRows(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.length > 0);
  return { header: (lines[0] as string).split(','), rows: lines.slice(1).map((line) => line.split(',')) };
}

describe('reference data', () => {
  it.skipIf(!existsSync(us20))(
    `us20-1990-2018: each ticker's first valid row matches a plain reading of the file (skipped when ${us20} is absent; set PFOPT_REFERENCE_DATA)`,
    () => {
      const m = readCsvMatrix(us20);
      const { header, rows } = plainRows(us20);
      expect(m.tickers).toEqual(header.slice(1));
      expect(m.rowCount).toBe(rows.length);
      expect(m.isoDates()).toEqual(rows.map((r) => r[0]));
      expect(m.isoDates()[m.firstValidRow(m.indexOf('GOOG'))]).toBe('2004-08-19');
      m.tickers.forEach((ticker, j) => {
        const first = rows.findIndex((r) => (r[j + 1] ?? '') !== '');
        expect(m.firstValidRow(j), ticker).toBe(first);
        expect(m.get(first, j), ticker).toBe(Number((rows[first] as string[])[j + 1]));
        const last = rows.length - 1;
        expect(m.get(last, j), ticker).toBe(Number((rows[last] as string[])[j + 1]));
        if (first > 0) expect(Number.isNaN(m.get(first - 1, j)), ticker).toBe(true);
      });
    },
  );

  it.skipIf(!existsSync(sp500))(
    `sp500-2015-2020: 1,440 dates x 471 tickers read exactly (skipped when ${sp500} is absent; set PFOPT_REFERENCE_DATA)`,
    () => {
      const m = readCsvMatrix(sp500);
      expect(m.rowCount).toBe(1440);
      expect(m.columnCount).toBe(471);
      expect(m.tickers).toContain('BRK/B');
      expect(m.tickers).toContain('BF/B');
      const { header, rows } = plainRows(sp500);
      expect(m.tickers).toEqual(header.slice(1));
      for (const i of [0, 719, 1439]) {
        const row = rows[i] as string[];
        expect(m.isoDates()[i]).toBe(row[0]);
        m.tickers.forEach((ticker, j) => {
          expect(m.get(i, j), `${ticker} on ${row[0]}`).toBe(row[j + 1] === '' ? Number.NaN : Number(row[j + 1]));
        });
      }
    },
  );
});

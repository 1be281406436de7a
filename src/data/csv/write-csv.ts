/**
 * Writing a DatedMatrix as a wide CSV table that `parseCsvMatrix` reads back to the identical matrix: ISO dates,
 * numbers in JavaScript's shortest round-trip form, NaN as an empty cell.
 */

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DatedMatrix } from '../../core/dated-matrix.js';
import { isoDate } from '../../core/dates.js';
import { DataError, ValidationError } from '../../core/errors.js';

/** Options of `formatCsvMatrix` and `writeCsvMatrix`. */
export interface WriteCsvOptions {
  /** Header of the date column; default `'date'`. */
  readonly dateHeader?: string;
}

/** Number of temporary files made by this process, for unique names. */
let temporaryCount = 0;

/** A field that must be quoted: it holds a comma, quote or line break, or starts or ends with whitespace. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** A header field as CSV: quoted (inner quotes doubled) only when needed. */
function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A value as CSV: empty for NaN, `-0` for negative zero, else `String(x)` (the shortest text that reads back as x). */
function csvNumber(x: number): string {
  if (Number.isNaN(x)) return '';
  if (x === 0 && Object.is(x, -0)) return '-0';
  return String(x);
}

/**
 * The matrix as CSV text in the wide layout: a header (`dateHeader`, then the tickers), then one line per date with
 * the ISO date (YYYY-MM-DD) and one value per ticker. Lines end with `\n`, the last one included. Values are written
 * exactly (shortest round-trip decimal, never rounded; negative zero as `-0`), NaN as an empty cell. Throws DataError
 * naming the ticker and date of an infinite value, which a CSV price table cannot hold.
 */
export function formatCsvMatrix(matrix: DatedMatrix, options: WriteCsvOptions = {}): string {
  return [...csvChunks(matrix, options, Number.POSITIVE_INFINITY)].join('');
}

/**
 * The CSV text of `formatCsvMatrix` in pieces of at most `rowsPerChunk` lines (the header is in the first piece),
 * so a large matrix can be written without holding all of its text in memory.
 */
function* csvChunks(matrix: DatedMatrix, options: WriteCsvOptions, rowsPerChunk: number): Generator<string> {
  const n = matrix.rowCount;
  const m = matrix.columnCount;
  const values = matrix.values;
  const header = [options.dateHeader ?? 'date', ...matrix.tickers].map(csvField).join(',');
  let lines: string[] = [header];
  const cells = new Array<string>(m + 1);
  for (let i = 0; i < n; i++) {
    cells[0] = isoDate(matrix.dates[i] as number);
    for (let j = 0; j < m; j++) {
      const x = values[j * n + i] as number;
      if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) {
        throw new DataError(
          `cannot write ${x} as the value of ${JSON.stringify(matrix.tickers[j])} on ${cells[0]} to CSV; ` +
            'only finite numbers and missing values (NaN) can be written',
        );
      }
      cells[j + 1] = csvNumber(x);
    }
    lines.push(cells.join(','));
    if (lines.length >= rowsPerChunk) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

/** Lines per piece when writing a file: a few megabytes of text at a time. */
const ROWS_PER_WRITE = 500;

/**
 * Writes the matrix to the file at `path` as `formatCsvMatrix` formats it, replacing the file atomically: the text
 * goes, a few hundred lines at a time, to a temporary file in the same directory, is flushed to disk, then renamed over `path`, so a crash leaves
 * either the old file or the complete new one. Throws ValidationError for an empty path and DataError naming the
 * path when the file cannot be written (the temporary file is removed).
 */
export function writeCsvMatrix(path: string, matrix: DatedMatrix, options: WriteCsvOptions = {}): void {
  if (path.length === 0) throw new ValidationError('the path of the CSV file to write is empty');
  temporaryCount++;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${temporaryCount}.tmp`);
  try {
    const fd = openSync(temporary, 'wx');
    try {
      for (const chunk of csvChunks(matrix, options, ROWS_PER_WRITE)) {
        const bytes = Buffer.from(chunk, 'utf8');
        for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError(`cannot write the CSV file ${path}: ${reason}`, { cause: error });
  }
}

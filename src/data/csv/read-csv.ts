/**
 * Reading a CSV table of dated values (prices, returns, weights) into a DatedMatrix, in the wide or long layout.
 * csv-parse splits the records; every record is handed over as soon as it is split, so the records are never held.
 */

import { readFileSync } from 'node:fs';
import { CsvError, parse } from 'csv-parse/sync';
import { DatedMatrix } from '../../core/dated-matrix.js';
import { CsvFormatError, DataError } from '../../core/errors.js';
import { resolveLayout } from './layout.js';
import { LongTable } from './long-table.js';
import { type ReadCsvOptions, type ResolvedReadOptions, resolveReadOptions } from './options.js';
import { parserError } from './parser-error.js';
import { bomLength, CsvSource, detectDelimiter } from './source.js';
import { WideTable } from './wide-table.js';

const BLANK = /^\s*$/;

/**
 * Parses CSV text (a string, or UTF-8 bytes) into a DatedMatrix: dates sorted ascending as day numbers, one column
 * per ticker, NaN where a cell is empty, blank or one of `naValues`. Values are taken as written (no unit change).
 *
 * Wide layout: the first column holds the dates whatever its header; every other header is a ticker, used verbatim
 * apart from surrounding whitespace. Long layout (detected when the header names a date, a ticker and a value
 * column): the columns are found by name in any order, case-insensitively (date, datetime, timestamp, time, day;
 * ticker, symbol, asset, instrument, security, name; adj close before close before price before value, unless
 * `valueColumn` names it), other columns are ignored, and tickers come in order of first appearance. Numeric dates
 * follow `dateFormat` (see `DateFormat`). Blank lines are skipped. A ticker column with no value at all is kept
 * (all NaN); a table with no value anywhere is an error.
 *
 * Throws ValidationError for bad options; CsvFormatError (a DataError) naming the file, line, column and expected
 * versus found text for malformed input: an empty file, a header without tickers or with an empty or repeated one,
 * no data rows, a row with another field count than the header, a quoting mistake, an unreadable or impossible date,
 * numeric dates whose day/month order is ambiguous or contradictory, a value cell that is not a number, a date
 * repeated (wide) or a date and ticker repeated (long); DataError when no cell holds a value.
 */
export function parseCsvMatrix(text: string | Uint8Array, options: ReadCsvOptions = {}): DatedMatrix {
  const resolved = resolveReadOptions(options);
  const bytes =
    typeof text === 'string'
      ? Buffer.from(text, 'utf8')
      : Buffer.isBuffer(text)
        ? text
        : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  const source = new CsvSource(resolved.file, bytes, resolved.delimiter ?? detectDelimiter(bytes));
  const data = readTable(source, resolved).finish();
  if (!data.values.some((x) => !Number.isNaN(x))) {
    throw new DataError(
      `${resolved.file}: no cell holds a value; every value cell of the ${data.tickers.length} ticker column(s) is ` +
        'empty or marks a missing value',
    );
  }
  const periods = resolved.periodsPerYear;
  return new DatedMatrix(
    data.dates,
    data.tickers,
    data.values,
    periods === undefined ? {} : { periodsPerYear: periods },
  );
}

/**
 * Reads the CSV file at `path` (UTF-8) into a DatedMatrix as `parseCsvMatrix` does; messages name the file by
 * `options.file`, default `path`. Throws DataError naming the path when the file cannot be read (missing, a
 * directory, no permission), and the errors of `parseCsvMatrix`.
 */
export function readCsvMatrix(path: string, options: ReadCsvOptions = {}): DatedMatrix {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new DataError(`cannot read the CSV file ${path}: ${readFailure(error)}`, { cause: error });
  }
  return parseCsvMatrix(bytes, { ...options, file: options.file ?? path });
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'there is no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** Splits the records of `source` and feeds them to the table its header calls for; checks header and row sizes. */
function readTable(source: CsvSource, options: ResolvedReadOptions): WideTable | LongTable {
  let table: WideTable | LongTable | undefined;
  let width = 0;
  let headerEnd = 0;
  let previousEnd = bomLength(source.bytes);
  const onRecord = (fields: string[], info: { readonly bytes: number }): null => {
    const start = source.recordStart(previousEnd);
    previousEnd = info.bytes;
    if (table === undefined) {
      source.header = fields;
      width = fields.length;
      headerEnd = info.bytes;
      const layout = resolveLayout(source, fields, start, options);
      table =
        layout.kind === 'wide'
          ? new WideTable(source, layout.tickers, options)
          : new LongTable(source, layout, options);
      return null;
    }
    if (fields.length === 1 && BLANK.test(fields[0] as string)) return null;
    if (fields.length !== width) {
      throw source.rowError(
        start,
        `${width} fields as in the header`,
        `${fields.length} field${fields.length === 1 ? '' : 's'}`,
        fields.length > width
          ? 'A cell holding the delimiter must be quoted'
          : 'Every row needs a cell for each column (an empty cell when there is no value)',
      );
    }
    table.add(fields, start);
    return null;
  };
  try {
    parse(source.bytes, {
      bom: true,
      delimiter: String.fromCharCode(source.delimiter),
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 0,
      on_record: onRecord,
    });
  } catch (error) {
    if (error instanceof CsvError) throw parserError(source, error, source.recordStart(previousEnd));
    throw error;
  }
  if (table === undefined) {
    throw new CsvFormatError({ file: source.file, line: 1, expected: 'a header line', found: 'an empty file' });
  }
  if (table.rowCount === 0) {
    throw source.rowError(
      headerEnd,
      'data rows after the header',
      'no data rows',
      'The file has a header but no row of values',
    );
  }
  return table;
}

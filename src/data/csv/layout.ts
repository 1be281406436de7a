/**
 * The layout of a CSV table, told from its header. Wide: the first column holds the dates (whatever its header) and
 * every other column is a ticker. Long: one row per date and ticker, with the date, ticker and value columns found
 * by name in any order, other columns ignored.
 */

import type { ResolvedReadOptions } from './options.js';
import type { CsvSource } from './source.js';

/** The columns a table's rows are read from. */
export type TableLayout =
  | { readonly kind: 'wide'; readonly tickers: readonly string[] }
  | { readonly kind: 'long'; readonly dateField: number; readonly tickerField: number; readonly valueField: number };

/** Normalized header names (lower case, runs of spaces, `_`, `-`, `.` as one space) of long-layout date columns. */
export const DATE_COLUMN_NAMES: readonly string[] = ['date', 'datetime', 'date time', 'timestamp', 'time', 'day'];
/** Normalized header names of long-layout ticker columns. */
export const TICKER_COLUMN_NAMES: readonly string[] = ['ticker', 'symbol', 'asset', 'instrument', 'security', 'name'];
/** Normalized header names of long-layout value columns, in order of preference: adjusted close, close, price, value. */
export const VALUE_COLUMN_NAMES: readonly (readonly string[])[] = [
  ['adj close', 'adjclose', 'adjusted close', 'adjustedclose'],
  ['close', 'close price', 'closing price'],
  ['price'],
  ['value'],
];

/** A header name as compared with the known column names. */
function normalize(name: string): string {
  return name
    .toLowerCase()
    .replace(/[\s_.-]+/g, ' ')
    .trim();
}

/**
 * The layout of the table whose header record is `header` and starts at byte `headerStart` of `source`, following
 * the `layout` and `valueColumn` options. Throws CsvFormatError naming the header cell at fault: in the wide layout,
 * no ticker column, an empty or repeated ticker; in the long layout, a missing or repeated date, ticker or value
 * column, or a `valueColumn` that is absent.
 */
export function resolveLayout(
  source: CsvSource,
  header: readonly string[],
  headerStart: number,
  options: ResolvedReadOptions,
): TableLayout {
  const names = header.map(normalize);
  const dates = indicesOf(names, DATE_COLUMN_NAMES);
  const tickers = indicesOf(names, TICKER_COLUMN_NAMES);
  const explicit = options.valueColumn;
  const values =
    explicit === undefined
      ? (VALUE_COLUMN_NAMES.map((tier) => indicesOf(names, tier)).find((found) => found.length > 0) ?? [])
      : indicesOf(
          header.map((h) => h.trim().toLowerCase()),
          [explicit.toLowerCase()],
        );
  const looksLong = dates.length > 0 && tickers.length > 0 && values.length > 0;
  if (options.layout === 'wide' || (options.layout === 'auto' && !looksLong && explicit === undefined)) {
    return { kind: 'wide', tickers: wideTickers(source, header, headerStart) };
  }
  const shown = describeHeader(header);
  const rename = 'Rename or remove one of them';
  const dateField = single(
    source,
    header,
    headerStart,
    dates,
    'date column',
    `named ${DATE_COLUMN_NAMES.join(', ')}`,
    rename,
  );
  const tickerField = single(
    source,
    header,
    headerStart,
    tickers,
    'ticker column',
    `named ${TICKER_COLUMN_NAMES.join(', ')}`,
    rename,
  );
  if (explicit !== undefined && values.length === 0) {
    throw source.rowError(headerStart, `a column named ${JSON.stringify(explicit)} (the option valueColumn)`, shown);
  }
  const valueField = single(
    source,
    header,
    headerStart,
    values,
    'value column',
    'named adj close, close, price or value, or set with the option valueColumn',
    explicit === undefined ? 'Choose one with the option valueColumn' : rename,
  );
  if (valueField === dateField || valueField === tickerField) {
    throw source.cellError(
      headerStart,
      valueField,
      'a value column other than the date and ticker columns',
      JSON.stringify(header[valueField]),
    );
  }
  return { kind: 'long', dateField, tickerField, valueField };
}

function indicesOf(names: readonly string[], wanted: readonly string[]): number[] {
  const out: number[] = [];
  names.forEach((name, i) => {
    if (wanted.includes(name)) out.push(i);
  });
  return out;
}

/** The one column in `found`; CsvFormatError when there is none or more than one. */
function single(
  source: CsvSource,
  header: readonly string[],
  headerStart: number,
  found: readonly number[],
  what: string,
  naming: string,
  duplicateAdvice: string,
): number {
  const [first, second] = found;
  if (first === undefined) {
    throw source.rowError(
      headerStart,
      `a ${what} (${naming}) for the long layout`,
      describeHeader(header),
      'A table with one column per ticker and the dates in the first column is read with the wide layout',
    );
  }
  if (second !== undefined) {
    throw source.cellError(
      headerStart,
      second,
      `one ${what}`,
      `${JSON.stringify(header[first])} (column ${first + 1}) and ${JSON.stringify(header[second])} (column ${second + 1})`,
      duplicateAdvice,
    );
  }
  return first;
}

/** The tickers of a wide header: every column after the first, trimmed; CsvFormatError if empty or repeated. */
function wideTickers(source: CsvSource, header: readonly string[], headerStart: number): string[] {
  if (header.length < 2) {
    throw source.rowError(
      headerStart,
      'a date column followed by at least one ticker column',
      `${header.length} column${header.length === 1 ? '' : 's'} (${describeHeader(header)})`,
      'Check the delimiter (comma, semicolon or tab are detected; the option delimiter sets another)',
    );
  }
  const seen = new Map<string, number>();
  const tickers: string[] = [];
  for (let j = 1; j < header.length; j++) {
    const ticker = (header[j] as string).trim();
    if (ticker.length === 0) {
      throw source.cellError(
        headerStart,
        j,
        'a ticker name',
        'an empty header',
        'Every column after the date column needs a ticker',
      );
    }
    const earlier = seen.get(ticker);
    if (earlier !== undefined) {
      throw source.cellError(
        headerStart,
        j,
        'a ticker not used by another column',
        `${JSON.stringify(ticker)}, already the header of column ${earlier + 1}`,
      );
    }
    seen.set(ticker, j);
    tickers.push(ticker);
  }
  return tickers;
}

function describeHeader(header: readonly string[]): string {
  const shown = header.slice(0, 12).map((h) => JSON.stringify(h));
  return `the header ${shown.join(', ')}${header.length > 12 ? ', ...' : ''}`;
}

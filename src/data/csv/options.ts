/**
 * The options of the CSV reader, and their checking: every option value a user can get wrong is rejected here with a
 * ValidationError before any of the file is read.
 */

import { ValidationError } from '../../core/errors.js';

/** How the table is laid out: one column per ticker (wide), one row per date and ticker (long), or detected. */
export type CsvLayout = 'auto' | 'wide' | 'long';

/**
 * How numeric dates such as 03/04/2000 are read. `auto` decides the day/month order from the file itself (and
 * rejects a file where it cannot be told), `mdy` is month first (US), `dmy` day first (European), and `iso` accepts
 * only year-first dates (YYYY-MM-DD, YYYY/MM/DD, optionally followed by a time).
 */
export type DateFormat = 'auto' | 'iso' | 'mdy' | 'dmy';

/** Options of `parseCsvMatrix` and `readCsvMatrix`. */
export interface ReadCsvOptions {
  /** The name of the input used in messages; default `'<csv>'` (for `readCsvMatrix`, the path). */
  readonly file?: string;
  /** Table layout; default `'auto'`: long when the header names a date, a ticker and a value column, else wide. */
  readonly layout?: CsvLayout;
  /** Reading of numeric dates; default `'auto'`. */
  readonly dateFormat?: DateFormat;
  /**
   * Cell texts, besides the empty cell, that mean "no value" (for example `'NA'`, `'null'`, `'.'`); default none.
   * Compared with the cell text after trimming surrounding whitespace, case-sensitively.
   */
  readonly naValues?: readonly string[];
  /** Long layout only: the header of the value column (case-insensitive), overriding the automatic choice. */
  readonly valueColumn?: string;
  /** The field delimiter, one character; default: `,`, or `;` or tab when the header line has it and no comma. */
  readonly delimiter?: string;
  /** Periods per year of the data (252 daily, 12 monthly, ...); default: inferred from the dates when needed. */
  readonly periodsPerYear?: number;
}

/** The options with defaults applied and values checked. */
export interface ResolvedReadOptions {
  readonly file: string;
  readonly layout: CsvLayout;
  readonly dateFormat: DateFormat;
  readonly naValues: ReadonlySet<string>;
  readonly valueColumn: string | undefined;
  /** Character code of the delimiter, or undefined to detect it from the header line. */
  readonly delimiter: number | undefined;
  readonly periodsPerYear: number | undefined;
}

const LAYOUTS: readonly string[] = ['auto', 'wide', 'long'];
const DATE_FORMATS: readonly string[] = ['auto', 'iso', 'mdy', 'dmy'];

/**
 * Applies the defaults to reader options and checks them. Throws ValidationError for an unknown layout or date
 * format, a delimiter that is not one ASCII character other than a quote or line break, a `valueColumn` together
 * with `layout: 'wide'`, or a non-string entry in `naValues`.
 */
export function resolveReadOptions(options: ReadCsvOptions): ResolvedReadOptions {
  const layout = options.layout ?? 'auto';
  if (!LAYOUTS.includes(layout)) {
    throw new ValidationError(`the CSV layout must be auto, wide or long, got ${JSON.stringify(layout)}`);
  }
  const dateFormat = options.dateFormat ?? 'auto';
  if (!DATE_FORMATS.includes(dateFormat)) {
    throw new ValidationError(`the date format must be auto, iso, mdy or dmy, got ${JSON.stringify(dateFormat)}`);
  }
  if (options.valueColumn !== undefined && layout === 'wide') {
    throw new ValidationError('the option valueColumn applies to the long layout only, but the layout is wide');
  }
  const naValues = new Set<string>();
  for (const na of options.naValues ?? []) {
    if (typeof na !== 'string') throw new ValidationError(`naValues must be texts, got ${JSON.stringify(na)}`);
    naValues.add(na.trim());
  }
  return {
    file: options.file ?? '<csv>',
    layout,
    dateFormat,
    naValues,
    valueColumn: options.valueColumn?.trim(),
    delimiter: options.delimiter === undefined ? undefined : delimiterCode(options.delimiter),
    periodsPerYear: options.periodsPerYear,
  };
}

function delimiterCode(delimiter: string): number {
  const code = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  if (code < 0 || code > 127 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new ValidationError(
      `the CSV delimiter must be one ASCII character other than a quote or a line break, got ${JSON.stringify(delimiter)}`,
    );
  }
  return code;
}

/**
 * Rows of a wide table (dates in the first column, one column per ticker) gathered in file order, then sorted by
 * date into the column-major storage of a DatedMatrix.
 */

import { isoDate } from '../../core/dates.js';
import { DateColumn } from './date-column.js';
import type { ResolvedReadOptions } from './options.js';
import { readValueCell } from './parse-number.js';
import type { CsvSource } from './source.js';

/** The dates, tickers and column-major values a table read into; `values[col * dates.length + row]`. */
export interface TableData {
  readonly dates: Int32Array;
  readonly tickers: readonly string[];
  readonly values: Float64Array;
}

/** Accumulates the data rows of a wide table. */
export class WideTable {
  readonly #source: CsvSource;
  readonly #tickers: readonly string[];
  readonly #naValues: ReadonlySet<string>;
  readonly #dates: DateColumn;
  /** Per row in file order: the id of its date text, and the byte where its record starts. */
  readonly #dateIds: number[] = [];
  readonly #starts: number[] = [];
  /** Row-major values in file order, tickers.length per row. */
  readonly #values: number[] = [];

  /**
   * @param source the input, for error locations.
   * @param tickers the ticker of each column after the first.
   * @param options the reader options (date format, missing-value texts).
   */
  constructor(source: CsvSource, tickers: readonly string[], options: ResolvedReadOptions) {
    this.#source = source;
    this.#tickers = tickers;
    this.#naValues = options.naValues;
    this.#dates = new DateColumn(source, 0, options.dateFormat);
  }

  /** Number of data rows added. */
  get rowCount(): number {
    return this.#starts.length;
  }

  /**
   * Adds a data row: `fields` (one more than the tickers: the date first) of the record starting at byte
   * `recordStart`. Throws CsvFormatError naming the cell for a date or value that cannot be read.
   */
  add(fields: readonly string[], recordStart: number): void {
    this.#dateIds.push(this.#dates.add(fields[0] as string, recordStart));
    this.#starts.push(recordStart);
    const values = this.#values;
    for (let j = 1; j < fields.length; j++) {
      values.push(readValueCell(this.#source, fields[j] as string, recordStart, j, this.#naValues));
    }
  }

  /**
   * The rows sorted by date, values column-major. Throws CsvFormatError when two rows have the same date (naming
   * both lines) or the dates cannot be resolved (see `DateColumn.resolve`).
   */
  finish(): TableData {
    const days = this.#dates.resolve();
    const n = this.#dateIds.length;
    const m = this.#tickers.length;
    const rowDays = new Int32Array(n);
    let sorted = true;
    for (let i = 0; i < n; i++) {
      rowDays[i] = days[this.#dateIds[i] as number] as number;
      if (i > 0 && (rowDays[i] as number) <= (rowDays[i - 1] as number)) sorted = false;
    }
    const order = sorted ? undefined : this.#sortedOrder(rowDays);
    const dates = new Int32Array(n);
    const values = new Float64Array(n * m);
    const source = this.#values;
    for (let i = 0; i < n; i++) {
      const r = order === undefined ? i : (order[i] as number);
      dates[i] = rowDays[r] as number;
      const base = r * m;
      for (let j = 0; j < m; j++) values[j * n + i] = source[base + j] as number;
    }
    return { dates, tickers: this.#tickers, values };
  }

  /** File rows in date order (ties in file order); CsvFormatError at the later row of two with the same date. */
  #sortedOrder(rowDays: Int32Array): Uint32Array {
    const order = new Uint32Array(rowDays.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => (rowDays[a] as number) - (rowDays[b] as number) || a - b);
    for (let k = 1; k < order.length; k++) {
      const earlier = order[k - 1] as number;
      const later = order[k] as number;
      if (rowDays[earlier] === rowDays[later]) {
        const firstLine = this.#source.lineAt(this.#starts[earlier] as number);
        throw this.#source.cellError(
          this.#starts[later] as number,
          0,
          'each date on one row only',
          `${isoDate(rowDays[later] as number)} again (it is also on line ${firstLine})`,
          'Remove or correct one of the two rows',
        );
      }
    }
    return order;
  }
}

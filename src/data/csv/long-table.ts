/**
 * Rows of a long table (one row per date and ticker) gathered in file order, then placed into a dates x tickers
 * matrix: dates sorted, tickers in order of first appearance, cells without a row left NaN.
 */

import { lowerBound } from '../../core/dated-matrix.js';
import { isoDate } from '../../core/dates.js';
import { DateColumn } from './date-column.js';
import type { ResolvedReadOptions } from './options.js';
import { readValueCell } from './parse-number.js';
import { type CsvSource, describeCell } from './source.js';
import type { TableData } from './wide-table.js';

/** Accumulates the data rows of a long table. */
export class LongTable {
  readonly #source: CsvSource;
  readonly #dateField: number;
  readonly #tickerField: number;
  readonly #valueField: number;
  readonly #naValues: ReadonlySet<string>;
  readonly #dates: DateColumn;
  readonly #tickerIds = new Map<string, number>();
  readonly #tickers: string[] = [];
  /** Per row in file order: the id of its date text, its ticker's index, its value, where its record starts. */
  readonly #dateIds: number[] = [];
  readonly #tickerOf: number[] = [];
  readonly #values: number[] = [];
  readonly #starts: number[] = [];

  /**
   * @param source the input, for error locations.
   * @param layout 0-based indices of the date, ticker and value fields.
   * @param options the reader options (date format, missing-value texts).
   */
  constructor(
    source: CsvSource,
    layout: { readonly dateField: number; readonly tickerField: number; readonly valueField: number },
    options: ResolvedReadOptions,
  ) {
    this.#source = source;
    this.#dateField = layout.dateField;
    this.#tickerField = layout.tickerField;
    this.#valueField = layout.valueField;
    this.#naValues = options.naValues;
    this.#dates = new DateColumn(source, layout.dateField, options.dateFormat);
  }

  /** Number of data rows added. */
  get rowCount(): number {
    return this.#starts.length;
  }

  /**
   * Adds a data row: `fields` of the record starting at byte `recordStart` (other columns than the date, ticker and
   * value are ignored). Throws CsvFormatError naming the cell for an unreadable date or value or an empty ticker.
   */
  add(fields: readonly string[], recordStart: number): void {
    this.#dateIds.push(this.#dates.add(fields[this.#dateField] as string, recordStart));
    const text = fields[this.#tickerField] as string;
    const ticker = text.trim();
    let t = this.#tickerIds.get(ticker);
    if (t === undefined) {
      if (ticker.length === 0) {
        throw this.#source.cellError(recordStart, this.#tickerField, 'a ticker', describeCell(text));
      }
      t = this.#tickers.length;
      this.#tickerIds.set(ticker, t);
      this.#tickers.push(ticker);
    }
    this.#tickerOf.push(t);
    const value = fields[this.#valueField] as string;
    this.#values.push(readValueCell(this.#source, value, recordStart, this.#valueField, this.#naValues));
    this.#starts.push(recordStart);
  }

  /**
   * The matrix: one row per distinct date, sorted; one column per ticker. Throws CsvFormatError when two rows have
   * the same date and ticker (naming both lines) or the dates cannot be resolved (see `DateColumn.resolve`).
   */
  finish(): TableData {
    const days = this.#dates.resolve();
    const dates = Int32Array.from(new Set(days)).sort();
    const n = dates.length;
    const rowOfId = Int32Array.from(days, (day) => lowerBound(dates, day));
    const values = new Float64Array(n * this.#tickers.length).fill(Number.NaN);
    const owner = new Int32Array(values.length).fill(-1);
    for (let r = 0; r < this.#starts.length; r++) {
      const cell = (this.#tickerOf[r] as number) * n + (rowOfId[this.#dateIds[r] as number] as number);
      const first = owner[cell] as number;
      if (first >= 0) {
        const day = dates[cell % n] as number;
        const ticker = this.#tickers[this.#tickerOf[r] as number] as string;
        throw this.#source.rowError(
          this.#starts[r] as number,
          'one row per date and ticker',
          `a second row for ${JSON.stringify(ticker)} on ${isoDate(day)} (the first is on line ` +
            `${this.#source.lineAt(this.#starts[first] as number)})`,
          'Remove or correct one of the two rows',
        );
      }
      owner[cell] = r;
      values[cell] = this.#values[r] as number;
    }
    return { dates, tickers: this.#tickers, values };
  }
}

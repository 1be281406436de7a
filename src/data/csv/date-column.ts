/**
 * The date column of a CSV file as a whole: each distinct date text is read once, and the day/month order of the
 * numeric dates is decided from all of them (a first number above 12 means day first, a second one above 12 month
 * first) before any of them is turned into a day number.
 */

import type { DateFormat } from './options.js';
import { type DateCell, type NumericOrder, numericDay, parseDateCell } from './parse-date.js';
import { type CsvSource, describeCell } from './source.js';

type ReadCell = Exclude<DateCell, { kind: 'invalid' }>;

/** Collects the date cells of one column, row by row, and turns them into day numbers at the end. */
export class DateColumn {
  readonly #source: CsvSource;
  readonly #field: number;
  readonly #format: DateFormat;
  readonly #ids = new Map<string, number>();
  /** Per distinct text (its id): the text, what it reads as, and where its first row starts. */
  readonly #texts: string[] = [];
  readonly #cells: ReadCell[] = [];
  readonly #firstStarts: number[] = [];
  #firstNumeric = -1;
  #firstDayFirst = -1;
  #firstMonthFirst = -1;

  /**
   * @param source the input, for error locations.
   * @param field 0-based index of the date column.
   * @param format the reader's `dateFormat` option.
   */
  constructor(source: CsvSource, field: number, format: DateFormat) {
    this.#source = source;
    this.#field = field;
    this.#format = format;
  }

  /**
   * Reads the date cell `text` of the row whose record starts at byte `recordStart`, and returns the id of its text
   * (equal texts share an id; ids count from 0 in order of first appearance). Throws CsvFormatError naming the cell
   * when the text is not a date in any accepted form.
   */
  add(text: string, recordStart: number): number {
    const known = this.#ids.get(text);
    if (known !== undefined) return known;
    const cell = parseDateCell(text, this.#format);
    if (cell.kind === 'invalid') {
      throw this.#source.cellError(recordStart, this.#field, cell.expected, describeCell(text), cell.advice);
    }
    const id = this.#cells.length;
    this.#ids.set(text, id);
    this.#texts.push(text);
    this.#cells.push(cell);
    this.#firstStarts.push(recordStart);
    if (cell.kind === 'numeric') {
      if (this.#firstNumeric < 0) this.#firstNumeric = id;
      if (cell.first > 12 && this.#firstDayFirst < 0) this.#firstDayFirst = id;
      if (cell.second > 12 && this.#firstMonthFirst < 0) this.#firstMonthFirst = id;
    }
    return id;
  }

  /**
   * Day numbers (days since 1970-01-01) of every id returned by `add`, indexed by id. Throws CsvFormatError when the
   * numeric dates show both orders, when they cannot tell the order (every one reads either way), or when a numeric
   * date is not a calendar date in the file's order; each error names a line where the problem shows.
   */
  resolve(): Int32Array {
    const days = new Int32Array(this.#cells.length);
    let numeric: { order: NumericOrder; why: string } | undefined;
    this.#cells.forEach((cell, id) => {
      if (cell.kind === 'day') {
        days[id] = cell.day;
        return;
      }
      numeric ??= this.#numericOrder();
      const read = numericDay(cell, numeric.order, numeric.why);
      if (read.kind === 'invalid') {
        const text = this.#texts[id] as string;
        throw this.#source.cellError(
          this.#firstStarts[id] as number,
          this.#field,
          read.expected,
          describeCell(text),
          read.advice,
        );
      }
      days[id] = read.day;
    });
    return days;
  }

  /**
   * Under the `auto` date format (the only one that leaves numeric dates unread), the order of the numeric dates
   * and why it applies; throws CsvFormatError when the file cannot tell it.
   */
  #numericOrder(): { order: NumericOrder; why: string } {
    const dayFirst = this.#firstDayFirst;
    const monthFirst = this.#firstMonthFirst;
    if (dayFirst >= 0 && monthFirst >= 0) {
      const later = Math.max(dayFirst, monthFirst);
      const found =
        `${this.#describe(dayFirst)} (day first) on line ${this.#lineOf(dayFirst)} and ` +
        `${this.#describe(monthFirst)} (month first) on line ${this.#lineOf(monthFirst)}`;
      throw this.#source.errorAt(
        this.#lineOf(later),
        this.#field,
        'one day/month order for all numeric dates',
        found,
        'Correct the dates written in the other order',
      );
    }
    if (dayFirst >= 0) {
      return {
        order: 'dmy',
        why: `line ${this.#lineOf(dayFirst)} has ${this.#describe(dayFirst)}, so the file is day first`,
      };
    }
    if (monthFirst >= 0) {
      return {
        order: 'mdy',
        why: `line ${this.#lineOf(monthFirst)} has ${this.#describe(monthFirst)}, so the file is month first`,
      };
    }
    const first = this.#firstNumeric;
    throw this.#source.errorAt(
      this.#lineOf(first),
      this.#field,
      'numeric dates whose day/month order can be told',
      `${this.#describe(first)} and no numeric date with a day above 12`,
      'The dates are ambiguous: each could be month first or day first. Pass the option ' +
        "dateFormat: 'mdy' (month first, US) or 'dmy' (day first, European); on the command line " +
        '--date-format mdy or --date-format dmy',
    );
  }

  #describe(id: number): string {
    return describeCell(this.#texts[id] as string);
  }

  #lineOf(id: number): number {
    return this.#source.lineAt(this.#source.fieldStart(this.#firstStarts[id] as number, this.#field));
  }
}

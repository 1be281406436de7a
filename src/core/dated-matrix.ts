/**
 * The dated matrix: dates x tickers over one contiguous Float64Array, NaN meaning "no value". Prices, returns and
 * weights over time all use it. Storage is column-major (`values[col * rowCount + row]`), so each ticker's series is
 * one contiguous slice, which is what per-asset and pairwise estimators read.
 */

import { isoDate, parseIsoDate } from './dates.js';
import { DataError, ValidationError } from './errors.js';
import { inferPeriodsPerYear, validatePeriodsPerYear } from './periods.js';

/** Options shared by the constructors. */
export interface DatedMatrixOptions {
  /** Periods per year (252 daily, 52 weekly, 12 monthly, ...). Inferred from the dates when absent. */
  readonly periodsPerYear?: number;
}

export class DatedMatrix {
  /** Day numbers (days since 1970-01-01), strictly increasing. */
  readonly dates: Int32Array;
  /** Column names, unique, used verbatim. */
  readonly tickers: readonly string[];
  /** Column-major values: the value of ticker `col` on date `row` is `values[col * rowCount + row]`. */
  readonly values: Float64Array;
  readonly rowCount: number;
  readonly columnCount: number;
  readonly #givenPeriods: number | undefined;
  #inferredPeriods: number | undefined;
  #tickerIndex: Map<string, number> | undefined;

  /**
   * Wraps existing arrays without copying them. Throws ValidationError when the dates are not strictly increasing
   * integers, a ticker is empty or repeated, or `values` does not hold dates x tickers numbers.
   */
  constructor(dates: Int32Array, tickers: readonly string[], values: Float64Array, options: DatedMatrixOptions = {}) {
    if (values.length !== dates.length * tickers.length) {
      throw new ValidationError(
        `a dated matrix of ${dates.length} dates x ${tickers.length} tickers needs ${dates.length * tickers.length} ` +
          `values, got ${values.length}`,
      );
    }
    for (let i = 1; i < dates.length; i++) {
      if ((dates[i] as number) <= (dates[i - 1] as number)) {
        throw new ValidationError(
          `dates must be strictly increasing, but ${isoDate(dates[i] as number)} follows ${isoDate(dates[i - 1] as number)}`,
        );
      }
    }
    const seen = new Set<string>();
    for (const t of tickers) {
      if (t.length === 0) throw new ValidationError('a ticker name is empty');
      if (seen.has(t)) throw new ValidationError(`ticker ${JSON.stringify(t)} appears twice`);
      seen.add(t);
    }
    if (options.periodsPerYear !== undefined) validatePeriodsPerYear(options.periodsPerYear);
    this.dates = dates;
    this.tickers = Object.freeze([...tickers]);
    this.values = values;
    this.rowCount = dates.length;
    this.columnCount = tickers.length;
    this.#givenPeriods = options.periodsPerYear;
  }

  /** Builds a matrix from one array per ticker (each as long as `dates`). Copies the data. */
  static fromColumns(
    dates: ArrayLike<number>,
    tickers: readonly string[],
    columns: readonly ArrayLike<number>[],
    options: DatedMatrixOptions = {},
  ): DatedMatrix {
    const rows = dates.length;
    if (columns.length !== tickers.length) {
      throw new ValidationError(`${tickers.length} tickers but ${columns.length} columns`);
    }
    const values = new Float64Array(rows * tickers.length);
    columns.forEach((col, j) => {
      if (col.length !== rows) {
        throw new ValidationError(`column ${JSON.stringify(tickers[j])} has ${col.length} values for ${rows} dates`);
      }
      for (let i = 0; i < rows; i++) values[j * rows + i] = col[i] as number;
    });
    return new DatedMatrix(Int32Array.from(dates), tickers, values, options);
  }

  /** Builds a matrix from one array per date (each as long as `tickers`). Copies the data. */
  static fromRows(
    dates: ArrayLike<number>,
    tickers: readonly string[],
    rows: readonly ArrayLike<number>[],
    options: DatedMatrixOptions = {},
  ): DatedMatrix {
    const n = dates.length;
    const m = tickers.length;
    if (rows.length !== n) throw new ValidationError(`${n} dates but ${rows.length} rows`);
    const values = new Float64Array(n * m);
    rows.forEach((row, i) => {
      if (row.length !== m) {
        throw new ValidationError(
          `row ${i + 1} (${isoDate(dates[i] as number)}) has ${row.length} values for ${m} tickers`,
        );
      }
      for (let j = 0; j < m; j++) values[j * n + i] = row[j] as number;
    });
    return new DatedMatrix(Int32Array.from(dates), tickers, values, options);
  }

  /**
   * Periods per year: the value given at construction, else inferred from the dates (see `inferPeriodsPerYear`).
   * Throws ValidationError when it was not given and cannot be inferred.
   */
  get periodsPerYear(): number {
    if (this.#givenPeriods !== undefined) return this.#givenPeriods;
    this.#inferredPeriods ??= inferPeriodsPerYear(this.dates);
    return this.#inferredPeriods;
  }

  /** True when periods per year was given rather than inferred. */
  get hasExplicitPeriodsPerYear(): boolean {
    return this.#givenPeriods !== undefined;
  }

  /** The same data with periods per year fixed to `periodsPerYear` (no copy). */
  withPeriodsPerYear(periodsPerYear: number): DatedMatrix {
    return new DatedMatrix(this.dates, this.tickers, this.values, { periodsPerYear });
  }

  /** Periods-per-year option to carry into a matrix derived from this one (only when it was given). */
  get derivedOptions(): DatedMatrixOptions {
    return this.#givenPeriods === undefined ? {} : { periodsPerYear: this.#givenPeriods };
  }

  /** Value of ticker column `col` on row `row` (NaN when there is none). */
  get(row: number, col: number): number {
    return this.values[col * this.rowCount + row] as number;
  }

  /** The series of ticker column `col` as a view into `values` (no copy; do not write to it). */
  column(col: number): Float64Array {
    if (!Number.isInteger(col) || col < 0 || col >= this.columnCount) {
      throw new ValidationError(`column ${col} is out of range 0..${this.columnCount - 1}`);
    }
    return this.values.subarray(col * this.rowCount, (col + 1) * this.rowCount);
  }

  /** Column index of a ticker; throws DataError naming the ticker and the available ones when it is absent. */
  indexOf(ticker: string): number {
    this.#tickerIndex ??= new Map(this.tickers.map((t, i) => [t, i]));
    const j = this.#tickerIndex.get(ticker);
    if (j === undefined) {
      const shown = this.tickers.slice(0, 20).join(', ') + (this.tickers.length > 20 ? ', ...' : '');
      throw new DataError(`unknown ticker ${JSON.stringify(ticker)}; the data has ${shown}`);
    }
    return j;
  }

  /** True when the matrix has a column named `ticker`. */
  has(ticker: string): boolean {
    this.#tickerIndex ??= new Map(this.tickers.map((t, i) => [t, i]));
    return this.#tickerIndex.has(ticker);
  }

  /** The series of a ticker as a view (no copy). */
  series(ticker: string): Float64Array {
    return this.column(this.indexOf(ticker));
  }

  /** Dates as ISO text (YYYY-MM-DD). */
  isoDates(): string[] {
    return Array.from(this.dates, isoDate);
  }

  /** Row of the first non-NaN value of column `col`, or -1 when the column has none. */
  firstValidRow(col: number): number {
    const c = this.column(col);
    for (let i = 0; i < c.length; i++) if (!Number.isNaN(c[i])) return i;
    return -1;
  }

  /** Row of the last non-NaN value of column `col`, or -1 when the column has none. */
  lastValidRow(col: number): number {
    const c = this.column(col);
    for (let i = c.length - 1; i >= 0; i--) if (!Number.isNaN(c[i])) return i;
    return -1;
  }

  /** A new matrix holding the given tickers in the given order (copied); DataError for an unknown ticker. */
  selectTickers(tickers: readonly string[]): DatedMatrix {
    const idx = tickers.map((t) => this.indexOf(t));
    const n = this.rowCount;
    const values = new Float64Array(n * idx.length);
    idx.forEach((j, k) => {
      values.set(this.values.subarray(j * n, (j + 1) * n), k * n);
    });
    return new DatedMatrix(this.dates.slice(), tickers, values, this.derivedOptions);
  }

  /** A new matrix holding the given rows (indices increasing), copied. */
  selectRows(rows: ArrayLike<number>): DatedMatrix {
    const n = this.rowCount;
    const m = rows.length;
    const dates = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      const r = rows[k] as number;
      if (!Number.isInteger(r) || r < 0 || r >= n) throw new ValidationError(`row ${r} is out of range 0..${n - 1}`);
      dates[k] = this.dates[r] as number;
    }
    const values = new Float64Array(m * this.columnCount);
    for (let j = 0; j < this.columnCount; j++) {
      const base = j * n;
      const out = j * m;
      for (let k = 0; k < m; k++) values[out + k] = this.values[base + (rows[k] as number)] as number;
    }
    return new DatedMatrix(dates, this.tickers, values, this.derivedOptions);
  }

  /**
   * The rows dated from `start` to `end`, both inclusive; either may be omitted. Dates are day numbers or ISO text.
   * Throws ValidationError when start is after end.
   */
  between(start?: number | string, end?: number | string): DatedMatrix {
    const lo = start === undefined ? Number.NEGATIVE_INFINITY : toDay(start, 'start date');
    const hi = end === undefined ? Number.POSITIVE_INFINITY : toDay(end, 'end date');
    if (lo > hi) throw new ValidationError(`the start date ${isoDate(lo)} is after the end date ${isoDate(hi)}`);
    const first = lowerBound(this.dates, lo);
    const last = lowerBound(this.dates, hi + 1);
    const rows = new Int32Array(Math.max(0, last - first));
    for (let k = 0; k < rows.length; k++) rows[k] = first + k;
    return this.selectRows(rows);
  }

  /** One array of values per date (row-major copy), for output and tests. */
  toRows(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rowCount; i++) {
      const row = new Array<number>(this.columnCount);
      for (let j = 0; j < this.columnCount; j++) row[j] = this.values[j * this.rowCount + i] as number;
      out.push(row);
    }
    return out;
  }
}

function toDay(d: number | string, what: string): number {
  if (typeof d === 'string') return parseIsoDate(d, what);
  if (!Number.isInteger(d)) throw new ValidationError(`${what} must be a whole day number, got ${d}`);
  return d;
}

/** Index of the first element of the sorted array that is >= x (array length when none is). */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

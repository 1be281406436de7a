/**
 * A data summary: what `pfopt data show` prints.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';

/** Per-ticker facts of a price matrix. */
export interface TickerSummary {
  readonly ticker: string;
  /** ISO date of the first price, or null when the ticker has none. */
  readonly firstValid: string | null;
  /** ISO date of the last price, or null. */
  readonly lastValid: string | null;
  /** Number of dates with a price. */
  readonly observations: number;
  /** Dates without a price between the first and the last price (interior gaps). */
  readonly gaps: number;
}

/** Summary of a price matrix. `periodsPerYear` is null when it cannot be inferred from the dates. */
export interface DataSummary {
  readonly tickers: string[];
  readonly rows: number;
  /** First and last date of the index (ISO), null when there are no rows. */
  readonly start: string | null;
  readonly end: string | null;
  readonly periodsPerYear: number | null;
  /** Ticker to ISO date of its first price (null when it has none). */
  readonly firstValid: Record<string, string | null>;
  /** Ticker to ISO date of its last price. */
  readonly lastValid: Record<string, string | null>;
  /** Ticker to number of interior gaps. */
  readonly gaps: Record<string, number>;
  readonly perTicker: TickerSummary[];
}

/** Summarises a dated matrix: dates covered, each ticker's first and last valid date, observations and gaps. */
export function summarize(matrix: DatedMatrix): DataSummary {
  const perTicker: TickerSummary[] = matrix.tickers.map((ticker, j) => {
    const first = matrix.firstValidRow(j);
    const last = matrix.lastValidRow(j);
    const col = matrix.column(j);
    let observations = 0;
    for (let i = 0; i < col.length; i++) if (!Number.isNaN(col[i])) observations++;
    return {
      ticker,
      firstValid: first < 0 ? null : isoDate(matrix.dates[first] as number),
      lastValid: last < 0 ? null : isoDate(matrix.dates[last] as number),
      observations,
      gaps: first < 0 ? 0 : last - first + 1 - observations,
    };
  });
  let periodsPerYear: number | null = null;
  try {
    periodsPerYear = matrix.periodsPerYear;
  } catch {
    periodsPerYear = null; // too few dates or irregular spacing: reported as unknown
  }
  const n = matrix.rowCount;
  return {
    tickers: [...matrix.tickers],
    rows: n,
    start: n > 0 ? isoDate(matrix.dates[0] as number) : null,
    end: n > 0 ? isoDate(matrix.dates[n - 1] as number) : null,
    periodsPerYear,
    firstValid: Object.fromEntries(perTicker.map((t) => [t.ticker, t.firstValid])),
    lastValid: Object.fromEntries(perTicker.map((t) => [t.ticker, t.lastValid])),
    gaps: Object.fromEntries(perTicker.map((t) => [t.ticker, t.gaps])),
    perTicker,
  };
}

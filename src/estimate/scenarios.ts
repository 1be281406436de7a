/**
 * Historical scenarios: the per-period simple returns that the tail-risk optimisers (CVaR, CDaR, MAD, semivariance)
 * take as equally likely outcomes of the next period.
 */

import { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';
import { DataError } from '../core/errors.js';
import { completeRows, resolvePeriods, returnsOfPrices } from './input.js';
import type { EstimatorOptions } from './types.js';

/** Equally weighted return scenarios, one row per date, every asset present on every row. */
export interface HistoricalScenarios {
  readonly tickers: readonly string[];
  /**
   * The scenarios: per-period simple returns (fractions), T dates x N tickers, column-major like every DatedMatrix,
   * with no NaN. Each row has probability 1 / T.
   */
  readonly returns: DatedMatrix;
  /** Number of scenarios T. */
  readonly count: number;
  /** Periods per year of the returns (what annualised figures derived from the scenarios use). */
  readonly periodsPerYear: number;
  /** Return dates left out because some asset had no return on them (before a listing, around a gap). */
  readonly droppedDates: number;
  /** What the user should know (dates left out), one sentence each. */
  readonly warnings: readonly string[];
}

/**
 * Historical scenarios from PRICES: the simple returns `r_t = p_t / p_{t-1} - 1` of consecutive price rows (gap
 * policy 'nan': a return needs both prices), kept on the dates where every asset has one, each with probability 1/T.
 * Periods per year: the option, else the matrix's. Throws DataError for a non-positive price, fewer than 2 complete
 * dates, or no asset.
 */
export function historicalScenarios(prices: DatedMatrix, options: EstimatorOptions = {}): HistoricalScenarios {
  return historicalScenariosFromReturns(returnsOfPrices(prices, {}), options);
}

/**
 * Historical scenarios from per-period simple RETURNS: the rows on which every asset has a return (NaN marks none),
 * each with probability 1/T. Throws DataError when a return is infinite or below -1 (a loss beyond everything), when
 * fewer than 2 dates are complete, or the matrix has no asset.
 */
export function historicalScenariosFromReturns(
  returns: DatedMatrix,
  options: EstimatorOptions = {},
): HistoricalScenarios {
  const n = returns.columnCount;
  if (n === 0) throw new DataError('the return matrix has no assets; give at least one ticker');
  const periods = resolvePeriods(returns, options);
  const t = returns.rowCount;
  const x = returns.values;
  for (let j = 0; j < n; j++) {
    const base = j * t;
    for (let i = 0; i < t; i++) {
      const v = x[base + i] as number;
      if (Number.isNaN(v)) continue;
      if (!Number.isFinite(v) || v < -1) {
        throw new DataError(
          `the return of ${JSON.stringify(returns.tickers[j])} on ${isoDate(returns.dates[i] as number)} is ${v}; ` +
            'scenario returns must be finite and at least -1 (NaN marks a missing return)',
        );
      }
    }
  }
  const rows = completeRows(returns);
  if (rows.length < 2) {
    throw new DataError(
      `only ${rows.length} date${rows.length === 1 ? '' : 's'} of ${t} ${rows.length === 1 ? 'has' : 'have'} a return ` +
        'for every asset; scenarios need at least 2: drop the late-listed tickers or load a longer history',
    );
  }
  const complete = rows.length === t ? returns : returns.selectRows(rows);
  const scenarios =
    complete.hasExplicitPeriodsPerYear && complete.periodsPerYear === periods
      ? complete
      : complete.withPeriodsPerYear(periods);
  const dropped = t - rows.length;
  const warnings =
    dropped === 0
      ? []
      : [
          `${dropped} of ${t} return dates were left out because some asset had no return on them; the scenarios run ` +
            `from ${isoDate(scenarios.dates[0] as number)} to ${isoDate(scenarios.dates[rows.length - 1] as number)}`,
        ];
  return {
    tickers: returns.tickers,
    returns: scenarios,
    count: rows.length,
    periodsPerYear: periods,
    droppedDates: dropped,
    warnings,
  };
}

/** True when `x` is a HistoricalScenarios object (rather than a DatedMatrix of returns). */
export function isHistoricalScenarios(x: unknown): x is HistoricalScenarios {
  return (
    typeof x === 'object' &&
    x !== null &&
    !(x instanceof DatedMatrix) &&
    (x as { returns?: unknown }).returns instanceof DatedMatrix
  );
}

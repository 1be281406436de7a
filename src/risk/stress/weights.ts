/**
 * Portfolio weights of the stress tests: a ticker-to-weight map or one weight per column, resolved against the
 * tickers of the data.
 */

import { DataError, ValidationError } from '../../core/errors.js';

/** Weights as the stress functions accept them: ticker to weight (unnamed tickers weigh 0) or one per ticker. */
export type StressWeights = Readonly<Record<string, number>> | ArrayLike<number>;

/** The held assets (non-zero weight) of a portfolio, in the order of the data's tickers. */
export interface HeldAssets {
  /** Column indices in the data of the held assets. */
  readonly columns: readonly number[];
  readonly tickers: readonly string[];
  /** Their weights (fractions of the portfolio value; the rest `1 - sum w` is cash at a zero return). */
  readonly weights: Float64Array;
}

/**
 * The held assets of `weights` over `tickers`: a map may name only tickers of the data (DataError otherwise, listing
 * some of them); an array needs one weight per ticker. Every weight must be finite (ValidationError) and at least one
 * non-zero (ValidationError).
 */
export function heldAssets(tickers: readonly string[], weights: StressWeights): HeldAssets {
  const w = new Float64Array(tickers.length);
  if (Array.isArray(weights) || ArrayBuffer.isView(weights)) {
    const a = weights as ArrayLike<number>;
    if (a.length !== tickers.length) throw new ValidationError(`${a.length} weights for ${tickers.length} assets`);
    for (let j = 0; j < a.length; j++) w[j] = a[j] as number;
  } else {
    const index = new Map(tickers.map((t, j) => [t, j]));
    for (const [ticker, value] of Object.entries(weights as Readonly<Record<string, number>>)) {
      const j = index.get(ticker);
      if (j === undefined) {
        throw new DataError(
          `the weights name ${JSON.stringify(ticker)}, which is not in the data; the data has ` +
            `${tickers.slice(0, 20).join(', ')}${tickers.length > 20 ? ', ...' : ''}`,
        );
      }
      w[j] = value;
    }
  }
  const columns: number[] = [];
  w.forEach((x, j) => {
    if (!Number.isFinite(x)) {
      throw new ValidationError(`the weight of ${JSON.stringify(tickers[j])} is ${x}; weights must be finite`);
    }
    if (x !== 0) columns.push(j);
  });
  if (columns.length === 0) throw new ValidationError('every portfolio weight is 0: give at least one non-zero weight');
  return {
    columns,
    tickers: columns.map((j) => tickers[j] as string),
    weights: Float64Array.from(columns, (j) => w[j] as number),
  };
}

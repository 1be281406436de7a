/**
 * The return series of a portfolio held at constant weights.
 */

import { DatedMatrix } from '../core/dated-matrix.js';
import { DataError, ValidationError } from '../core/errors.js';

/** A portfolio's returns and the asset returns behind them, on the same dates. */
export interface PortfolioReturns {
  /** One column (named by the `name` option, default "portfolio"): r_p per period, as fractions, no NaN. */
  readonly returns: DatedMatrix;
  /** The held assets' per-period returns on the same dates (no NaN), in the order of the input's columns. */
  readonly assets: DatedMatrix;
  /** The weights of the held assets, in the order of `assets.tickers`. */
  readonly weights: Float64Array;
  /** How many dates of the input were left out because a held asset had no return on them. */
  readonly droppedDates: number;
  /** Tickers of the input with weight 0 (not held, so not part of the result). */
  readonly unheld: readonly string[];
}

/** Options of `portfolioReturns`. */
export interface PortfolioReturnsOptions {
  /** Name of the portfolio column; default "portfolio". */
  readonly name?: string;
}

/**
 * Returns of a portfolio rebalanced to constant weights w every period (fractions of the portfolio value; weights need
 * not sum to 1, the remainder `1 - sum(w)` being cash at a zero return, and may be negative for shorts):
 *
 *   r_p,t = sum_i w_i r_i,t,
 *
 * over the dates on which every held asset (w_i != 0) has a return; the other dates are left out, never filled.
 * `weights` is a ticker-to-weight map (tickers it does not name weigh 0; a name that is not a column is a DataError)
 * or an array with one weight per column. Throws ValidationError for a non-finite weight or when no weight is
 * non-zero, and DataError when no date has a return for every held asset.
 */
export function portfolioReturns(
  assetReturns: DatedMatrix,
  weights: Readonly<Record<string, number>> | ArrayLike<number>,
  options: PortfolioReturnsOptions = {},
): PortfolioReturns {
  const w = weightVector(assetReturns, weights);
  const held: number[] = [];
  const unheld: string[] = [];
  w.forEach((x, j) => {
    if (x !== 0) held.push(j);
    else unheld.push(assetReturns.tickers[j] as string);
  });
  if (held.length === 0) throw new ValidationError('every portfolio weight is 0: give at least one non-zero weight');
  const t = assetReturns.rowCount;
  const x = assetReturns.values;
  const rows: number[] = [];
  for (let i = 0; i < t; i++) {
    let complete = true;
    for (const j of held) {
      if (Number.isNaN(x[j * t + i] as number)) {
        complete = false;
        break;
      }
    }
    if (complete) rows.push(i);
  }
  if (rows.length === 0) {
    throw new DataError(
      `no date has a return for every held asset (${held.map((j) => assetReturns.tickers[j]).join(', ')}); ` +
        'drop the assets whose histories do not overlap',
    );
  }
  const heldTickers = held.map((j) => assetReturns.tickers[j] as string);
  const assets = assetReturns.selectTickers(heldTickers).selectRows(rows);
  const hw = Float64Array.from(held, (j) => w[j] as number);
  const m = rows.length;
  const rp = new Float64Array(m);
  const a = assets.values;
  for (let k = 0; k < held.length; k++) {
    const wk = hw[k] as number;
    const base = k * m;
    for (let i = 0; i < m; i++) rp[i] = (rp[i] as number) + wk * (a[base + i] as number);
  }
  const returns = new DatedMatrix(assets.dates.slice(), [options.name ?? 'portfolio'], rp, assets.derivedOptions);
  return { returns, assets, weights: hw, droppedDates: t - m, unheld };
}

/** Equal weights `1 / n` for each of n tickers, as a ticker-to-weight map. */
export function equalWeights(tickers: readonly string[]): Record<string, number> {
  if (tickers.length === 0) throw new ValidationError('equal weights need at least one ticker');
  return Object.fromEntries(tickers.map((t) => [t, 1 / tickers.length]));
}

function weightVector(
  returns: DatedMatrix,
  weights: Readonly<Record<string, number>> | ArrayLike<number>,
): Float64Array {
  let w: Float64Array;
  if (isArrayLike(weights)) {
    if (weights.length !== returns.columnCount) {
      throw new ValidationError(`${weights.length} weights for ${returns.columnCount} assets`);
    }
    w = Float64Array.from(weights);
  } else {
    w = new Float64Array(returns.columnCount);
    for (const [ticker, value] of Object.entries(weights)) {
      if (!returns.has(ticker)) {
        throw new DataError(
          `the weights name ${JSON.stringify(ticker)}, which is not in the return data; ` +
            `the data has ${returns.tickers.slice(0, 20).join(', ')}${returns.columnCount > 20 ? ', ...' : ''}`,
        );
      }
      w[returns.indexOf(ticker)] = value;
    }
  }
  w.forEach((x, j) => {
    if (!Number.isFinite(x)) {
      throw new ValidationError(`the weight of ${JSON.stringify(returns.tickers[j])} is ${x}; weights must be finite`);
    }
  });
  return w;
}

function isArrayLike(x: unknown): x is ArrayLike<number> {
  return Array.isArray(x) || ArrayBuffer.isView(x);
}

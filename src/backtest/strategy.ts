/**
 * Backtest strategies: what a strategy sees on a rebalancing date and what it returns, and the simple ones (equal
 * weight, fixed target weights, buy and hold, a user function). A strategy only ever receives copies of the data up to
 * and including the rebalancing date, so it cannot look ahead.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { ValidationError } from '../core/errors.js';

/** What a strategy sees on a rebalancing date. Every matrix is a copy that ends on that date. */
export interface StrategyContext {
  /** Row of the date in the backtest's price matrix. */
  readonly row: number;
  /** The date (day number) and its ISO text. */
  readonly date: number;
  readonly isoDate: string;
  /** Tickers of the price matrix, the order of every weight vector. */
  readonly tickers: readonly string[];
  /**
   * The estimation window: the last `lookback` returns ending on the date (`lookback + 1` price rows) for a rolling
   * window, every row up to the date for an expanding one; all tickers (NaN where there is no price). Built on first
   * access.
   */
  readonly window: DatedMatrix;
  /** Every price row up to and including the date (built on first access). */
  readonly history: DatedMatrix;
  /** Prices on the date (NaN: no price, the asset cannot be traded that day). */
  readonly prices: Float64Array;
  /** Weights just before trading (holdings at the date's prices over the NAV; all 0 on the first date). */
  readonly currentWeights: Float64Array;
  /** The lookback L in returns and the window kind. */
  readonly lookback: number;
  /** True on the first rebalancing date. */
  readonly first: boolean;
  /** Adds a warning to the strategy's results (dated by the engine). */
  warn(message: string): void;
}

/**
 * Target weights: fractions of the NAV by ticker (absent tickers 0), or one number per ticker in the price matrix's
 * order. They need not sum to 1: the rest is held in cash (negative weights are short positions).
 */
export type TargetWeights = Readonly<Record<string, number>> | ArrayLike<number>;

/** A strategy: a name and the target weights on each rebalancing date (null keeps the current holdings). */
export interface Strategy {
  readonly name: string;
  weights(context: StrategyContext): TargetWeights | null | Promise<TargetWeights | null>;
}

/** The user function of `functionStrategy`. */
export type WeightFunction = (context: StrategyContext) => TargetWeights | null | Promise<TargetWeights | null>;

/** A strategy from a user function that receives the data visible on each rebalancing date. */
export function functionStrategy(name: string, f: WeightFunction): Strategy {
  if (typeof f !== 'function') throw new ValidationError('a function strategy needs a function');
  return { name, weights: f };
}

/** Rows of the assets that have a price on the date. */
export function tradableAssets(context: StrategyContext): number[] {
  const out: number[] = [];
  context.prices.forEach((p, j) => {
    if (!Number.isNaN(p)) out.push(j);
  });
  return out;
}

/** Equal weight: `1 / k` on each of the k assets with a price on the date, re-set on every rebalancing date. */
export function equalWeightStrategy(name = 'equal-weight'): Strategy {
  return {
    name,
    weights(context) {
      const held = tradableAssets(context);
      const w = new Float64Array(context.tickers.length);
      for (const j of held) w[j] = 1 / held.length;
      return w;
    },
  };
}

/**
 * Fixed target weights by ticker, restored on every rebalancing date (tickers absent from the map get 0; the weights'
 * shortfall from 1 stays in cash). Unknown tickers are rejected when the backtest starts.
 */
export function fixedWeightsStrategy(weights: Readonly<Record<string, number>>, name = 'fixed-weights'): Strategy {
  for (const [t, w] of Object.entries(weights)) {
    if (!Number.isFinite(w)) throw new ValidationError(`the target weight of ${JSON.stringify(t)} must be finite`);
  }
  return { name, weights: () => weights };
}

/**
 * Buy and hold: invests once, on the first rebalancing date, at the given weights (default: equal weight over the
 * assets with a price that day), then never trades again (except to sell an asset that stops trading).
 */
export function buyAndHoldStrategy(weights?: Readonly<Record<string, number>>, name = 'buy-and-hold'): Strategy {
  const initial = weights === undefined ? equalWeightStrategy() : fixedWeightsStrategy(weights);
  return { name, weights: (context) => (context.first ? initial.weights(context) : null) };
}

/**
 * The weights as one number per ticker of `tickers`. Throws ValidationError for a wrong length, an unknown ticker or
 * a weight that is not finite.
 */
export function weightVector(weights: TargetWeights, tickers: readonly string[], strategy: string): Float64Array {
  const m = tickers.length;
  const out = new Float64Array(m);
  if (Array.isArray(weights) || ArrayBuffer.isView(weights)) {
    copyArray(weights as ArrayLike<number>, out, strategy);
  } else {
    const index = new Map(tickers.map((t, j) => [t, j]));
    for (const [t, w] of Object.entries(weights as Record<string, number>)) {
      const j = index.get(t);
      if (j === undefined) {
        throw new ValidationError(`strategy ${strategy}: ${JSON.stringify(t)} is not a ticker of the price data`);
      }
      out[j] = w;
    }
  }
  for (let j = 0; j < m; j++) {
    if (!Number.isFinite(out[j] as number)) {
      throw new ValidationError(`strategy ${strategy}: the weight of ${JSON.stringify(tickers[j])} is ${out[j]}`);
    }
  }
  return out;
}

function copyArray(weights: ArrayLike<number>, out: Float64Array, strategy: string): void {
  if (weights.length !== out.length) {
    throw new ValidationError(
      `strategy ${strategy}: ${weights.length} weights for ${out.length} tickers (give one per ticker, in order)`,
    );
  }
  for (let j = 0; j < out.length; j++) out[j] = weights[j] as number;
}

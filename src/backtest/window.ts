/**
 * What an estimating strategy (an optimizer, an allocation rule, a tail objective) sees on a rebalancing date: the
 * assets with enough history, their window of prices, and the estimator settings cut to that window.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { InfeasibleError } from '../core/errors.js';
import type { ModelSettings } from '../estimate/models.js';
import { SolverError } from '../optimize/solvers/solver-error.js';
import type { StrategyContext } from './strategy.js';

/**
 * The assets a strategy can estimate on the date: a price on the date and at least `max(lookback, 2)` returns in the
 * window (for a rolling window of L returns: every one of its L + 1 prices).
 */
export function assetsWithHistory(context: StrategyContext): number[] {
  const w = context.window;
  const n = w.rowCount;
  const need = Math.max(context.lookback, 2);
  const out: number[] = [];
  for (let j = 0; j < w.columnCount; j++) {
    if (Number.isNaN(context.prices[j] as number)) continue;
    const col = w.column(j);
    let count = 0;
    for (let i = 1; i < n; i++) if (!Number.isNaN(col[i] as number) && !Number.isNaN(col[i - 1] as number)) count++;
    if (count >= need) out.push(j);
  }
  return out;
}

/** The assets of `assetsWithHistory` (indices into the context's tickers) and their window of prices. */
export interface EstimationWindow {
  readonly assets: readonly number[];
  readonly prices: DatedMatrix;
}

/**
 * The estimation window of strategy `name` on the date, or its target weights when nothing is left to estimate:
 * all cash (with a warning) when no asset has the history, weight 1 on the only asset that has.
 */
export function estimationWindow(context: StrategyContext, name: string): EstimationWindow | Float64Array {
  const assets = assetsWithHistory(context);
  if (assets.length < 2) {
    const out = new Float64Array(context.tickers.length);
    if (assets.length === 1) out[assets[0] as number] = 1;
    else {
      context.warn(
        `${name}: no asset has a price and ${Math.max(context.lookback, 2)} returns in the window; all in cash`,
      );
    }
    return out;
  }
  const prices =
    assets.length === context.tickers.length
      ? context.window
      : context.window.selectTickers(assets.map((j) => context.tickers[j] as string));
  return { assets, prices };
}

/** Weights over all `n` tickers from the weights `w` of the window's assets (0 elsewhere). */
export function spreadWeights(n: number, assets: readonly number[], w: ArrayLike<number>): Float64Array {
  const out = new Float64Array(n);
  assets.forEach((j, k) => {
    out[j] = w[k] as number;
  });
  return out;
}

/** The estimator settings with the window's periods per year and the CAPM benchmark cut to the window's dates. */
export function windowSettings(settings: ModelSettings | undefined, prices: DatedMatrix): ModelSettings {
  const s: ModelSettings = { periodsPerYear: prices.periodsPerYear, ...settings };
  if (s.benchmark === undefined) return s;
  return {
    ...s,
    benchmark: s.benchmark.between(prices.dates[0] as number, prices.dates[prices.rowCount - 1] as number),
  };
}

/**
 * The answer of strategy `name` when its program fails on one window: with no solution (InfeasibleError) or a
 * numerical failure of the solver (SolverError: an iteration limit, a solution that fails its optimality check), the
 * holdings are kept (null) and a warning, dated by the engine, says why; whatever else is rethrown.
 */
export function keepHoldingsOn(error: unknown, name: string, context: StrategyContext): null {
  if (error instanceof InfeasibleError) {
    context.warn(`${name} has no solution, the holdings are kept: ${error.message}`);
    return null;
  }
  if (error instanceof SolverError) {
    context.warn(`${name}: the optimizer failed, the holdings are kept: ${error.message}`);
    return null;
  }
  throw error;
}

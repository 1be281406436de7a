/**
 * Strategies that re-optimise a tail or downside objective (minimum CVaR, efficient CVaR, minimum CDaR, minimum MAD,
 * minimum semivariance) on every rebalancing date, over the historical scenarios of the strategy's estimation window.
 *
 * On a date, the assets are those of `assetsWithHistory` (window.ts: a price on the date and at least
 * `max(lookback, 2)` returns in the window; for a rolling window, every one of its prices), as for the mean-variance
 * strategies. The scenarios
 * are the simple returns of the window's consecutive price rows on the dates where every one of these assets has a
 * return (`historicalScenarios`), each equally likely. The linear objectives are solved by HiGHS, which is loaded once
 * per process on the first date (the strategy is asynchronous, as the engine allows).
 */

import { DataError, ValidationError } from '../core/errors.js';
import { estimateReturns, type ModelSettings, type ReturnsModel } from '../estimate/models.js';
import { historicalScenarios } from '../estimate/scenarios.js';
import { optimizeTail } from '../optimize/tail/optimize.js';
import type { TailObjective, TailOptions, TailProblem } from '../optimize/tail/types.js';
import type { Strategy } from './strategy.js';
import { estimationWindow, keepHoldingsOn, spreadWeights, windowSettings } from './window.js';

/** The tail objectives a backtest can re-run by name (efficient-cvar needs its cap or target: pass the object). */
export const TAIL_STRATEGY_OBJECTIVES = ['min-cvar', 'min-cdar', 'min-mad', 'min-semivariance'] as const;
export type TailStrategyObjectiveName = (typeof TAIL_STRATEGY_OBJECTIVES)[number];

/** The constraints a tail strategy may carry (every one independent of the universe of the date). */
export type TailStrategyConstraints = Pick<TailProblem, 'riskFreeRate' | 'budget' | 'marketNeutral' | 'sectors'> & {
  readonly bounds?: readonly [number, number];
};

/** Options of `tailStrategy`. */
export interface TailStrategyOptions {
  /** A tail objective, or the name of one without parameters (confidence 0.95, semivariance benchmark 0). */
  readonly objective: TailObjective | TailStrategyObjectiveName;
  /**
   * Expected returns model of the return targets and of efficient CVaR/CDaR with a cap, estimated on the window;
   * default the scenarios' mean return times the periods per year. Not estimated when the objective does not use it.
   */
  readonly returnsModel?: ReturnsModel;
  /** Estimator settings of the returns model (span, risk-free rate of CAPM, CAPM benchmark: cut to the window). */
  readonly settings?: ModelSettings;
  readonly constraints?: TailStrategyConstraints;
  /** Solver options (time limit of the mixed-integer search, covariance check); HiGHS is loaded automatically. */
  readonly optimize?: TailOptions;
  /** Name in the results; default the objective's kind. */
  readonly name?: string;
}

/**
 * A strategy that, on each rebalancing date, optimises the tail objective over the historical scenarios of its window
 * (see the module comment) and returns the optimal weights (0 for the other assets; all cash when no asset qualifies,
 * weight 1 when a single one does). When the program has no solution on a date (InfeasibleError: a CVaR cap below the
 * window's minimum CVaR, a return target above the window's maximum return, constraints that cannot hold) or the
 * window has fewer than 2 complete scenario dates, the holdings are kept, with a warning in the results; so they are
 * when the solver fails numerically on a window (SolverError), with a warning that says so.
 */
export function tailStrategy(options: TailStrategyOptions): Strategy {
  const objective: TailObjective =
    typeof options.objective === 'string' ? byName(options.objective) : options.objective;
  const name = options.name ?? objective.kind;
  const usesReturns =
    (objective as { targetReturn?: number }).targetReturn !== undefined ||
    objective.kind === 'efficient-cvar' ||
    objective.kind === 'efficient-cdar';
  const c = options.constraints ?? {};
  return {
    name,
    async weights(context) {
      const window = estimationWindow(context, name);
      if (window instanceof Float64Array) return window;
      const { assets, prices } = window;
      let problem: TailProblem;
      try {
        const scenarios = historicalScenarios(prices);
        const mu =
          usesReturns && options.returnsModel !== undefined
            ? estimateReturns(prices, options.returnsModel, windowSettings(options.settings, prices)).values
            : undefined;
        problem = { ...c, scenarios, ...(mu === undefined ? {} : { expectedReturns: mu }) };
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        context.warn(`${name} has no scenarios on the window, the holdings are kept: ${error.message}`);
        return null;
      }
      let w: Float64Array;
      try {
        w = (await optimizeTail(problem, objective, options.optimize)).weights;
      } catch (error) {
        return keepHoldingsOn(error, name, context);
      }
      return spreadWeights(context.tickers.length, assets, w);
    },
  };
}

function byName(kind: string): TailObjective {
  if ((TAIL_STRATEGY_OBJECTIVES as readonly string[]).includes(kind)) return { kind } as TailObjective;
  throw new ValidationError(
    `tail objective ${JSON.stringify(kind)} needs parameters (pass the objective object, e.g. { kind: ` +
      `'efficient-cvar', maxCvar: 0.02 }) or is unknown; by name use ${TAIL_STRATEGY_OBJECTIVES.join(', ')}`,
  );
}

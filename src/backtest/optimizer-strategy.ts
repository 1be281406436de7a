/**
 * Strategies that re-estimate and re-optimise on every rebalancing date: any mean-variance objective or allocation
 * rule of `optimize`, with the estimators of `estimate/models.ts`, on the strategy's estimation window.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { ValidationError } from '../core/errors.js';
import { simpleReturns } from '../core/returns.js';
import {
  estimateReturns,
  estimateRisk,
  type ModelSettings,
  type ReturnsModel,
  type RiskModel,
} from '../estimate/models.js';
import {
  equalRiskContribution,
  hierarchicalEqualRiskContributionFromReturns,
  hierarchicalRiskParityFromReturns,
  inverseVariance,
  inverseVolatility,
  type LinkageMethod,
} from '../optimize/allocators.js';
import { type Objective, type OptimizeOptions, optimize } from '../optimize/mean-variance.js';
import type { MeanVarianceProblem } from '../optimize/problem.js';
import { type BacktestBlackLitterman, windowPosterior } from './black-litterman.js';
import type { Strategy } from './strategy.js';
import { estimationWindow, keepHoldingsOn, spreadWeights, windowSettings } from './window.js';

/** The allocation rules a backtest can re-run (equal weight is `equalWeightStrategy`). */
export const ALLOCATION_RULES = ['risk-parity', 'hrp', 'herc', 'inverse-volatility', 'inverse-variance'] as const;
export type AllocationRule = (typeof ALLOCATION_RULES)[number];

/** Mean-variance objectives without parameters, by name. */
export const MEAN_VARIANCE_OBJECTIVES = ['min-volatility', 'max-sharpe'] as const;

/** The constraints an optimizer strategy may carry (every one independent of the universe of the date). */
export type StrategyConstraints = Pick<
  MeanVarianceProblem,
  'riskFreeRate' | 'sectors' | 'marketNeutral' | 'budget' | 'maxLeverage' | 'maxVolatility' | 'l2'
> & { readonly bounds?: readonly [number, number] };

/** Options of `optimizerStrategy`. */
export interface OptimizerStrategyOptions {
  /** A mean-variance objective or an allocation rule. */
  readonly objective: Objective | Objective['kind'] | AllocationRule;
  /** Expected returns model (used by the objectives that need expected returns); default 'cagr'. */
  readonly returnsModel?: ReturnsModel;
  /** Covariance model; default 'sample'. */
  readonly riskModel?: RiskModel;
  /** Estimator settings (span, risk-free rate of CAPM, CAPM benchmark prices: cut to the window automatically). */
  readonly settings?: ModelSettings;
  /** Constraints of the mean-variance objectives (`bounds` also for hrp). */
  readonly constraints?: StrategyConstraints;
  /**
   * Solver options of the mean-variance objectives. `covarianceCheck` defaults to 'fast' when the window has no
   * missing price (the estimate is then positive semidefinite by construction) and 'full' otherwise.
   */
  readonly optimize?: OptimizeOptions;
  /** Tree linkage of hrp and herc. */
  readonly linkage?: LinkageMethod;
  /** Name in the results; default the objective's name. */
  readonly name?: string;
  /**
   * Black-Litterman: on each date the posterior mean and covariance over the window's covariance replace the
   * estimates of the mean-variance objectives (the allocation rules ignore it); see `windowPosterior`.
   */
  readonly blackLitterman?: BacktestBlackLitterman;
}

/**
 * A strategy that, on each rebalancing date, estimates the expected returns (when the objective uses them) and the
 * covariance on its window, over the assets of `assetsWithHistory`, and returns the optimal weights (0 elsewhere; all
 * cash when no asset qualifies, a single asset gets weight 1). When the objective has no solution on a date
 * (InfeasibleError, e.g. maximum Sharpe with no return above the risk-free rate) or the solver fails on it
 * (SolverError: a numerical failure, not an input to change) the holdings are kept, with a warning in the results
 * naming the date and the reason. Units as in `optimize`: annual estimates with the price
 * matrix's periods per year.
 */
export function optimizerStrategy(options: OptimizerStrategyOptions): Strategy {
  const objective: Objective | AllocationRule =
    typeof options.objective === 'string'
      ? (ALLOCATION_RULES as readonly string[]).includes(options.objective)
        ? (options.objective as AllocationRule)
        : parameterless(options.objective)
      : options.objective;
  const kind = typeof objective === 'string' ? objective : objective.kind;
  const name = options.name ?? kind;
  const returnsModel = options.returnsModel ?? 'cagr';
  const riskModel = options.riskModel ?? 'sample';
  const needsMu = typeof objective !== 'string' && objective.kind !== 'min-volatility';
  return {
    name,
    async weights(context) {
      const window = estimationWindow(context, name);
      if (window instanceof Float64Array) return window;
      const { assets, prices } = window;
      const settings = windowSettings(options.settings, prices);
      const cov = estimateRisk(prices, riskModel, settings);
      const tickers = prices.tickers;
      let w: ArrayLike<number>;
      if (typeof objective === 'string') {
        w = allocate(objective, prices, { tickers, values: cov.values }, options);
      } else {
        const bl = options.blackLitterman && windowPosterior(options.blackLitterman, cov, (m) => context.warn(m));
        const mu =
          bl?.expectedReturns ??
          (needsMu ? estimateReturns(prices, returnsModel, settings).values : new Float64Array(tickers.length));
        const c = options.constraints ?? {};
        const covariance = bl?.covariance ?? cov.values;
        const problem: MeanVarianceProblem = { ...c, expectedReturns: mu, covariance, tickers };
        // Every estimator gives a positive semidefinite matrix on complete data (a Gram matrix, or a shrinkage of one
        // towards a definite target): the O(N^3) proof is then skipped unless asked for.
        const check = options.optimize?.covarianceCheck ?? (complete(prices) ? 'fast' : 'full');
        try {
          w = (await optimize(problem, objective, { ...options.optimize, covarianceCheck: check })).weights;
        } catch (error) {
          return keepHoldingsOn(error, name, context);
        }
      }
      return spreadWeights(context.tickers.length, assets, w);
    },
  };
}

/** True when no price is missing in the matrix. */
function complete(prices: DatedMatrix): boolean {
  const v = prices.values;
  for (let k = 0; k < v.length; k++) if (Number.isNaN(v[k] as number)) return false;
  return true;
}

function parameterless(kind: string): Objective {
  if ((MEAN_VARIANCE_OBJECTIVES as readonly string[]).includes(kind)) return { kind } as Objective;
  throw new ValidationError(
    `objective ${JSON.stringify(kind)} needs parameters (pass the objective object, e.g. { kind: 'max-utility', ` +
      `riskAversion: 2 }) or is unknown; by name use ${[...MEAN_VARIANCE_OBJECTIVES, ...ALLOCATION_RULES].join(', ')}`,
  );
}

function allocate(
  rule: AllocationRule,
  prices: DatedMatrix,
  covariance: { tickers: readonly string[]; values: Float64Array },
  options: OptimizerStrategyOptions,
): ArrayLike<number> {
  switch (rule) {
    case 'risk-parity':
      return equalRiskContribution(covariance).weights;
    case 'inverse-volatility':
      return inverseVolatility(covariance).weights;
    case 'inverse-variance':
      return inverseVariance(covariance).weights;
    case 'hrp':
      return hierarchicalRiskParityFromReturns(simpleReturns(prices), {
        covariance,
        ...(options.linkage === undefined ? {} : { linkage: options.linkage }),
        ...(options.constraints?.bounds === undefined ? {} : { bounds: options.constraints.bounds }),
      }).weights;
    case 'herc':
      return hierarchicalEqualRiskContributionFromReturns(simpleReturns(prices), {
        covariance,
        ...(options.linkage === undefined ? {} : { linkage: options.linkage }),
      }).weights;
  }
}

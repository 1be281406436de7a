/**
 * The tail-risk problem as the user states it, the objectives, and the result.
 *
 * Units: scenario returns are per period (fractions); expected returns, volatility, the risk-free rate and the
 * semivariance are annual; CVaR, VaR, CDaR, DaR, MAD and the benchmark of the semivariance are per period (CVaR 0.02
 * at 95% on daily scenarios: the mean loss of the worst 5% of days is 2% of capital); weights are fractions of capital.
 */

import type { Highs } from 'highs';
import type { DatedMatrix } from '../../core/dated-matrix.js';
import type { HistoricalScenarios } from '../../estimate/scenarios.js';
import type { SectorConstraints, WeightBounds } from '../problem.js';
import type { CovarianceCheck } from '../psd.js';
import type { TailMeasures } from './measures.js';

/** Cardinality limits, for the linear objectives (CVaR, CDaR, MAD), by mixed-integer programming. */
export interface CardinalityConstraint {
  /** At most this many assets with a non-zero weight (a whole number >= 1). */
  readonly maxAssets?: number;
  /**
   * Minimum weight of an asset that is held (fraction of capital): w_i = 0 or w_i >= m_i. One value for every asset or
   * one per asset. Needs lower bounds >= 0 (long positions).
   */
  readonly minPosition?: number | ArrayLike<number>;
}

/**
 * A tail-risk problem: scenarios and constraints. Only `scenarios` is required; the defaults give a long-only, fully
 * invested portfolio (weights in [0, 1] summing to 1). Bounds, budget, market neutrality and sector limits mean what
 * they mean in a MeanVarianceProblem and are validated by the same code.
 */
export interface TailProblem {
  /** Per-period simple returns, one row per equally likely scenario, no missing value (see historicalScenarios). */
  readonly scenarios: DatedMatrix | HistoricalScenarios;
  /**
   * Expected annual returns for return targets and the reported expected return; default the scenarios' mean return
   * times the periods per year, `P mean_t(r_t)`.
   */
  readonly expectedReturns?: ArrayLike<number>;
  /** Annual covariance (N x N) for the reported volatility and Sharpe ratio; without it they are not reported. */
  readonly covariance?: ArrayLike<number> | readonly ArrayLike<number>[];
  /** Asset names; must equal the scenarios' tickers when given. */
  readonly tickers?: readonly string[];
  /** Annual risk-free rate for the Sharpe and Sortino ratios; default 0. */
  readonly riskFreeRate?: number;
  readonly bounds?: WeightBounds;
  /** Sum of the weights; default 1 (0 when `marketNeutral`). */
  readonly budget?: number;
  readonly marketNeutral?: boolean;
  readonly sectors?: SectorConstraints;
  readonly cardinality?: CardinalityConstraint;
  /** Periods per year of the scenarios; default theirs. */
  readonly periodsPerYear?: number;
}

/** What to optimise (confidence default 0.95; targets annual; caps per period; benchmark per period, default 0). */
export type TailObjective =
  | { readonly kind: 'min-cvar'; readonly confidence?: number; readonly targetReturn?: number }
  | {
      readonly kind: 'efficient-cvar';
      readonly confidence?: number;
      /** Minimum CVaR subject to mu'w >= targetReturn. */
      readonly targetReturn?: number;
      /** Maximum mu'w subject to CVaR <= maxCvar. Exactly one of targetReturn and maxCvar. */
      readonly maxCvar?: number;
    }
  | { readonly kind: 'min-cdar'; readonly confidence?: number; readonly targetReturn?: number }
  | {
      readonly kind: 'efficient-cdar';
      readonly confidence?: number;
      readonly targetReturn?: number;
      /** Maximum mu'w subject to CDaR <= maxCdar. Exactly one of targetReturn and maxCdar. */
      readonly maxCdar?: number;
    }
  | { readonly kind: 'min-mad'; readonly targetReturn?: number }
  | { readonly kind: 'min-semivariance'; readonly benchmark?: number; readonly targetReturn?: number };

/** Solver options. */
export interface TailOptions {
  /** A loaded HiGHS runtime (`await loadHighs()`), which the synchronous function needs for the linear objectives. */
  readonly highs?: Highs;
  /** How thoroughly a given covariance is checked (see MeanVarianceProblem); default 'full'. */
  readonly covarianceCheck?: CovarianceCheck;
  /** Mixed-integer programs only: wall-clock limit in seconds; default none. */
  readonly timeLimit?: number;
  /** Mixed-integer programs only: relative optimality gap at which the search may stop; default 1e-9. */
  readonly relativeGap?: number;
}

/** An optimised tail-risk portfolio. */
export interface TailResult {
  readonly objective: TailObjective['kind'];
  readonly tickers: readonly string[];
  /** Weights (fractions of capital), in ticker order. */
  readonly weights: Float64Array;
  readonly weightsByTicker: Readonly<Record<string, number>>;
  /** Every tail measure of the weights (at the objective's confidence and benchmark; 0.95 and 0 otherwise). */
  readonly measures: TailMeasures;
  /**
   * The objective's value at the weights, recomputed from them: CVaR, CDaR or MAD per period, the annual semivariance,
   * or the annual expected return mu'w for the efficient objectives with a cap.
   */
  readonly objectiveValue: number;
  /** Expected annual return mu'w. */
  readonly expectedReturn: number;
  /** Annual volatility sqrt(w'Sw), when a covariance is given. */
  readonly volatility?: number;
  /** (mu'w - rf b) / sqrt(w'Sw), when a covariance is given (0 at zero volatility). */
  readonly sharpe?: number;
  /** (mu'w - rf b) / semideviation (annual; 0 when the semideviation is 0). */
  readonly sortino: number;
  readonly riskFreeRate: number;
  /** Number of scenarios T and their periods per year. */
  readonly scenarioCount: number;
  readonly periodsPerYear: number;
  /** Number of non-zero weights. */
  readonly heldAssets: number;
  /** 'highs' (linear and mixed-integer programs) or 'active-set' (the semivariance Newton method). */
  readonly solver: 'highs' | 'active-set';
  readonly iterations: number;
  /** False only when a mixed-integer search stopped at its time limit before proving optimality. */
  readonly optimal: boolean;
  /** Mixed-integer programs: the relative gap between the objective and HiGHS's bound at the end. */
  readonly mipGap?: number;
  readonly notes: readonly string[];
}

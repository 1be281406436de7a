/**
 * Mean-variance portfolio optimisation: objectives (minimum volatility, maximum Sharpe ratio, maximum quadratic
 * utility, efficient risk, efficient return), the efficient frontier, and the constraints they accept (bounds,
 * budget or market neutrality, sector limits, gross leverage, turnover, transaction costs, a volatility cap, L2
 * regularisation), on an exact active-set solver or HiGHS. Black-Litterman turns a market-implied prior and views
 * into posterior returns and covariance that every objective accepts. The tail objectives (tail/) minimise CVaR,
 * CDaR, mean absolute deviation or semivariance over historical scenarios.
 */

export * from './allocators.js';
export {
  type AbsoluteView,
  type BlackLittermanCovariance,
  type BlackLittermanInput,
  type BlackLittermanResult,
  type BlackLittermanReturns,
  type BlackLittermanView,
  type BlackLittermanViews,
  blackLitterman,
  blackLittermanWeights,
  type ImpliedWeightsOptions,
  marketImpliedPriorReturns,
  marketImpliedRiskAversion,
  marketWeights,
  type OmegaMethod,
  type PriorCovariance,
  type PriorOptions,
  parseViews,
  type RelativeView,
  type RiskAversionOptions,
  type ViewMatrices,
  viewMatrices,
} from './black-litterman.js';
export { fmt as formatNumber } from './diagnose.js';
export {
  efficientFrontier,
  efficientFrontierSync,
  type FrontierOptions,
  type FrontierResult,
} from './frontier.js';
export {
  efficientReturn,
  efficientRisk,
  maxSharpe,
  maxUtility,
  minVolatility,
  type Objective,
  type OptimizeOptions,
  optimize,
  optimizeSync,
  type PortfolioResult,
} from './mean-variance.js';
export type { MeanVarianceProblem, SectorConstraints, WeightBounds } from './problem.js';
export type { CovarianceCheck } from './psd.js';
export type { SolverName } from './solvers/qp.js';
export { SolverError } from './solvers/solver-error.js';
export {
  type CardinalityConstraint,
  optimizeTail,
  optimizeTailSync,
  type TailMeasureOptions,
  type TailMeasures,
  type TailObjective,
  type TailOptions,
  type TailProblem,
  type TailResult,
  tailRiskMeasures,
} from './tail/index.js';

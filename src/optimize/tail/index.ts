/**
 * Tail and downside objectives on historical scenarios: minimum CVaR (Rockafellar-Uryasev), efficient CVaR, minimum
 * and efficient CDaR (Chekhlov-Uryasev-Zabarankin), minimum MAD and minimum semivariance, with bounds, budget, sector
 * limits and (for the linear ones) cardinality limits; and the tail measures of any portfolio.
 */

export {
  drawdowns,
  meanAbsoluteDeviation,
  periodSemivariance,
  portfolioReturns,
  type TailMeasureOptions,
  type TailMeasures,
  tailCount,
  tailOfLosses,
  tailRiskMeasures,
} from './measures.js';
export { optimizeTail, optimizeTailSync } from './optimize.js';
export type { CardinalityConstraint, TailObjective, TailOptions, TailProblem, TailResult } from './types.js';

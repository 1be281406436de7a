/**
 * The one interface both solver paths implement, so the objectives speak in portfolio terms (risk, return, costs,
 * targets) and never in solver arrays. Every objective maps onto the quadratic family
 *
 *   minimise  risk * w'Sw + l2 * ||w||^2 - ret * mu'w + cost * sum_i |w_i - w0_i|
 *   subject to the problem's constraints (bounds, budget, sectors, leverage, turnover) and optionally mu'w >= floor,
 *
 * plus three frontier queries each engine answers its own way (the active-set engine exactly from its
 * critical-line walk, the HiGHS engine with one model re-solved): the efficient-return point, the maximum Sharpe
 * ratio and the efficient-risk point.
 */

/** Which solver produced a result. */
export type SolverName = 'active-set' | 'highs';

/** Coefficients of the quadratic family (all >= 0); see the module comment. */
export interface QuadraticForm {
  /** Coefficient of the variance w'Sw (annual covariance, no factor 1/2). */
  readonly risk: number;
  /** Coefficient of ||w||^2. */
  readonly l2: number;
  /** Coefficient of the expected return mu'w (subtracted). */
  readonly ret: number;
  /** Coefficient of the turnover sum |w - w0| (the transaction cost rate, times any scaling). */
  readonly cost: number;
  /** Optional floor on the expected return: mu'w >= returnFloor. */
  readonly returnFloor?: number;
}

/** Weights from an engine, before verification. */
export interface EngineSolution {
  readonly weights: Float64Array;
  /** Solver iterations spent on this answer (active-set iterations and frontier segments, or HiGHS QP iterations). */
  readonly iterations: number;
}

/** A solver path for one validated problem. Engines hold solver state (warm starts, models): dispose them. */
export interface MeanVarianceEngine {
  readonly name: SolverName;
  /** Minimises one member of the quadratic family. Throws InfeasibleError when the constraints cannot hold. */
  minimize(form: QuadraticForm): EngineSolution;
  /** The maximum attainable expected return mu'w under the constraints (Infinity when unbounded). */
  maxReturn(): number;
  /**
   * The efficient-return point: least w'(S + gamma I)w (+ costs) subject to mu'w >= target. Throws InfeasibleError
   * when the target is above the maximum attainable return.
   */
  efficientReturn(target: number): EngineSolution;
  /**
   * The maximum Sharpe ratio (mu'w - rf * budget - cost * turnover) / sqrt(w'(S + gamma I)w). Throws InfeasibleError
   * when no portfolio beats the risk-free hurdle.
   */
  maxSharpe(): EngineSolution;
  /**
   * The efficient-risk point: the maximum of mu'w - gamma ||w||^2 - cost * turnover subject to sqrt(w'Sw) <= target.
   * Throws InfeasibleError when the target is below the minimum volatility.
   */
  efficientRisk(targetVolatility: number): EngineSolution;
  /** Efficient-return points for ascending targets (each <= maxReturn()), reusing the solver state between them. */
  frontier(targets: Float64Array): EngineSolution[];
  /** All solver iterations this engine has spent (every solve, walk segment and LP). */
  totalIterations(): number;
  /** Frees solver memory (HiGHS models); idempotent. */
  dispose(): void;
}

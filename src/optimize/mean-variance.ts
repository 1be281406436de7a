/**
 * The mean-variance objectives. Units throughout: expected returns mu and the risk-free rate rf are annual fractions,
 * the covariance S is annual, weights w are fractions of capital summing to the budget b, volatility is
 * sqrt(w'Sw) (annual), gamma is the L2 coefficient and c the transaction cost per unit of turnover sum |w - w0|.
 *
 * | objective          | solves                                                                            |
 * |--------------------|-----------------------------------------------------------------------------------|
 * | min-volatility     | minimise w'Sw + gamma ||w||^2 + c sum|w - w0|                                     |
 * | max-sharpe         | maximise (mu'w - rf b - c sum|w - w0|) / sqrt(w'(S + gamma I)w)                   |
 * | max-utility        | maximise mu'w - (delta / 2) w'Sw - gamma ||w||^2 - c sum|w - w0|                  |
 * | efficient-risk     | maximise mu'w - gamma ||w||^2 - c sum|w - w0|  subject to sqrt(w'Sw) <= sigma      |
 * | efficient-return   | minimise w'Sw + gamma ||w||^2 + c sum|w - w0|  subject to mu'w >= r               |
 *
 * each subject to the weight bounds, the budget, the sector limits, the gross leverage and turnover limits, and the
 * volatility cap where it applies: a binding cap turns max-utility and max-sharpe into efficient-risk at the cap (the
 * best portfolio within the cap lies on the frontier there; with L2 regularisation the max-sharpe case then uses the
 * efficient-risk objective with the same gamma), is infeasible for min-volatility and efficient-return when their
 * optimum exceeds it, and must not be below the target of efficient-risk. The Sharpe ratio reported with every
 * result is (mu'w - rf b) / sqrt(w'Sw): the excess over cash of a portfolio whose uninvested 1 - b earns rf.
 *
 * Solvers: the active-set engine (exact, the fastest, every constraint above) and HiGHS (every constraint, used on
 * request and for cross-checks). A singular covariance without L2 regularisation (fewer returns than assets, a
 * duplicated asset) is solved by the active-set engine with a tiny ridge delta I added to S (see `ridgeFor`), whose
 * effect on the objective is bounded and reported; HiGHS remains the fallback where that bound does not apply
 * (weights without a finite bound on ||w||^2). The asynchronous functions load HiGHS only when it is needed; the
 * `...Sync` variants use the active-set engine, or HiGHS when a loaded runtime is passed in `options.highs`.
 */

import type { Highs } from 'highs';
import { InfeasibleError, ValidationError } from '../core/errors.js';
import { checkLinearFeasibility, fmt, targetVolatilityTooLow } from './diagnose.js';
import {
  type MeanVarianceProblem,
  type NormalizedProblem,
  type NormalizeOptions,
  needsGeneralSolver,
  normalizeProblem,
} from './problem.js';
import { assertSharpeBounded } from './riskless.js';
import { SingularSubmatrixError } from './solvers/active-set.js';
import { ActiveSetEngine } from './solvers/active-set-engine.js';
import { loadHighs } from './solvers/highs-loader.js';
import { HighsEngine } from './solvers/highs-qp.js';
import type { EngineSolution, MeanVarianceEngine, SolverName } from './solvers/qp.js';
import { SolverError } from './solvers/solver-error.js';
import { portfolioReturn, portfolioVariance, squaredNorm, turnover, verifyAndClean } from './verify.js';

/** What to optimise. */
export type Objective =
  | { readonly kind: 'min-volatility' }
  | { readonly kind: 'max-sharpe' }
  | { readonly kind: 'max-utility'; readonly riskAversion: number }
  | { readonly kind: 'efficient-risk'; readonly targetVolatility: number }
  | { readonly kind: 'efficient-return'; readonly targetReturn: number };

/** Solver choice and checks. */
export interface OptimizeOptions extends NormalizeOptions {
  /** 'auto' (default): the active-set engine when it applies, else HiGHS. */
  readonly solver?: 'auto' | SolverName;
  /** Also solve with the other engine (when both apply) and fail unless the weights agree to 1e-6. */
  readonly crossCheck?: boolean;
  /** A loaded HiGHS runtime (`await loadHighs()`), which lets the synchronous functions use HiGHS too. */
  readonly highs?: Highs;
}

/** An optimised portfolio. */
export interface PortfolioResult {
  readonly objective: Objective['kind'];
  readonly tickers: readonly string[];
  /** Weights (fractions of capital), in ticker order. */
  readonly weights: Float64Array;
  /** The same weights by ticker. */
  readonly weightsByTicker: Readonly<Record<string, number>>;
  /** Expected annual return mu'w. */
  readonly expectedReturn: number;
  /** Annual volatility sqrt(w'Sw). */
  readonly volatility: number;
  /** Sharpe ratio (mu'w - rf b) / sqrt(w'Sw) with the problem's rf and budget b (0 when the volatility is 0). */
  readonly sharpe: number;
  readonly riskFreeRate: number;
  /** The objective's value at the weights, as defined in the table of this module (its own units). */
  readonly objectiveValue: number;
  /** Turnover sum |w - w0| (0 without current weights). */
  readonly turnover: number;
  readonly solver: SolverName;
  /** Solver iterations (active-set iterations plus frontier segments, or HiGHS QP/simplex iterations). */
  readonly iterations: number;
  /** Notes on how the result was obtained (a binding volatility cap, a solver fallback). */
  readonly notes: readonly string[];
}

/** Checks an objective's parameters (risk aversion > 0; target volatility > 0 and target return finite, annual). */
export function validateObjective(objective: Objective): void {
  switch (objective?.kind) {
    case 'min-volatility':
    case 'max-sharpe':
      return;
    case 'max-utility':
      if (!Number.isFinite(objective.riskAversion) || !(objective.riskAversion > 0)) {
        throw new ValidationError(`the risk aversion must be a positive number, got ${String(objective.riskAversion)}`);
      }
      return;
    case 'efficient-risk':
      if (!Number.isFinite(objective.targetVolatility) || !(objective.targetVolatility > 0)) {
        throw new ValidationError(
          `the target volatility must be a positive number (annual, e.g. 0.15), got ${String(objective.targetVolatility)}`,
        );
      }
      return;
    case 'efficient-return':
      if (!Number.isFinite(objective.targetReturn)) {
        throw new ValidationError(
          `the target return must be a finite number (annual), got ${String(objective.targetReturn)}`,
        );
      }
      return;
    default:
      throw new ValidationError(
        `unknown objective ${JSON.stringify((objective as { kind?: unknown })?.kind)}; use min-volatility, max-sharpe, ` +
          'max-utility, efficient-risk or efficient-return',
      );
  }
}

/** Volatility sqrt(w'Sw). */
function vol(p: NormalizedProblem, w: ArrayLike<number>): number {
  return Math.sqrt(portfolioVariance(p, w));
}

/**
 * Runs an objective on an engine (formulas in the module table; weights are fractions of capital, returns and
 * volatilities annual): a max-utility or max-sharpe portfolio with sqrt(w'Sw) above the volatility cap is replaced by
 * the efficient-risk portfolio at the cap (noted). Returns the raw weights (not yet verified), iterations and notes.
 */
export function solveObjective(
  engine: MeanVarianceEngine,
  p: NormalizedProblem,
  objective: Objective,
): { solution: EngineSolution; notes: string[] } {
  const notes: string[] = [];
  const cap = p.maxVolatility;
  const within = (w: Float64Array): boolean => cap === undefined || vol(p, w) <= cap * (1 + 1e-12);
  const capped = (first: EngineSolution): EngineSolution => {
    if (within(first.weights)) return first;
    const sol = engine.efficientRisk(cap as number);
    notes.push(`the volatility cap ${fmt(cap as number)} binds: the result is the efficient-risk portfolio at the cap`);
    return { weights: sol.weights, iterations: first.iterations + sol.iterations };
  };
  switch (objective.kind) {
    case 'min-volatility': {
      if (p.budget === 0) {
        throw new ValidationError(
          'the minimum-volatility portfolio of a zero budget (market-neutral) is all cash; use efficient-return, ' +
            'efficient-risk or max-utility',
        );
      }
      const sol = engine.minimize({ risk: 1, l2: p.l2, ret: 0, cost: p.transactionCost });
      if (!within(sol.weights)) throw targetVolatilityTooLow(cap as number, vol(p, sol.weights), 'the volatility cap');
      return { solution: sol, notes };
    }
    case 'max-sharpe': {
      if (p.budget === 0) {
        throw new ValidationError(
          'the Sharpe ratio of a zero-budget (market-neutral) portfolio does not depend on its scale, so it has no ' +
            'maximiser; use efficient-risk or max-utility',
        );
      }
      // A singular covariance can hold a riskless portfolio beating the risk-free rate: the Sharpe ratio is then
      // unbounded, which the engines would only report as an unbounded problem.
      const singular = p.l2 === 0 && p.covarianceKind !== 'definite';
      if (singular && p.covarianceKind === 'singular') assertSharpeBounded(p);
      let best: EngineSolution;
      try {
        best = engine.maxSharpe();
      } catch (error) {
        if (singular && p.covarianceKind === 'unchecked') assertSharpeBounded(p);
        throw error;
      }
      return { solution: capped(best), notes };
    }
    case 'max-utility':
      return {
        solution: capped(
          engine.minimize({ risk: objective.riskAversion / 2, l2: p.l2, ret: 1, cost: p.transactionCost }),
        ),
        notes,
      };
    case 'efficient-risk': {
      if (cap !== undefined && objective.targetVolatility > cap) {
        throw new ValidationError(
          `the target volatility ${fmt(objective.targetVolatility)} is above the volatility cap ${fmt(cap)}`,
        );
      }
      return { solution: engine.efficientRisk(objective.targetVolatility), notes };
    }
    case 'efficient-return': {
      const sol = engine.efficientReturn(objective.targetReturn);
      if (!within(sol.weights)) {
        throw new InfeasibleError(
          `target return ${fmt(objective.targetReturn)} needs volatility ${fmt(vol(p, sol.weights))}, above the ` +
            `volatility cap ${fmt(cap as number)}: lower the target or raise the cap`,
        );
      }
      return { solution: sol, notes };
    }
  }
}

/**
 * The objective value of `w` as defined in the module table, with V = w'Sw (annual variance), R = mu'w (annual
 * return), G = gamma ||w||^2 and C = c sum |w - w0|: min-volatility and efficient-return V + G + C; max-sharpe
 * (R - rf b - C) / sqrt(V + G); max-utility R - (delta / 2) V - G - C; efficient-risk R - G - C.
 */
export function objectiveValue(p: NormalizedProblem, objective: Objective, w: Float64Array): number {
  const variance = portfolioVariance(p, w);
  const ret = portfolioReturn(p, w);
  const l2 = p.l2 * squaredNorm(w);
  const cost = p.transactionCost * turnover(p, w);
  switch (objective.kind) {
    case 'min-volatility':
    case 'efficient-return':
      return variance + l2 + cost;
    case 'max-sharpe': {
      const denom = Math.sqrt(variance + l2);
      return denom > 0 ? (ret - p.riskFreeRate * p.budget - cost) / denom : 0;
    }
    case 'max-utility':
      return ret - (objective.riskAversion / 2) * variance - l2 - cost;
    case 'efficient-risk':
      return ret - l2 - cost;
  }
}

/**
 * Verifies and cleans the weights (verify.ts) and assembles the result: expected return mu'w, volatility sqrt(w'Sw),
 * Sharpe ratio (mu'w - rf b) / sqrt(w'Sw) (0 at zero volatility), objective value, turnover sum |w - w0|.
 */
export function buildResult(
  p: NormalizedProblem,
  objective: Objective,
  solution: EngineSolution,
  solver: SolverName,
  notes: readonly string[],
): PortfolioResult {
  const w = verifyAndClean(p, solution.weights, solver === 'highs' ? 'HiGHS' : 'the active-set solver');
  const variance = portfolioVariance(p, w);
  const volatility = Math.sqrt(variance);
  const expectedReturn = portfolioReturn(p, w);
  const byTicker: Record<string, number> = {};
  p.tickers.forEach((t, i) => {
    byTicker[t] = w[i] as number;
  });
  return {
    objective: objective.kind,
    tickers: p.tickers,
    weights: w,
    weightsByTicker: byTicker,
    expectedReturn,
    volatility,
    sharpe: volatility > 0 ? (expectedReturn - p.riskFreeRate * p.budget) / volatility : 0,
    riskFreeRate: p.riskFreeRate,
    objectiveValue: objectiveValue(p, objective, w),
    turnover: turnover(p, w),
    solver,
    iterations: solution.iterations,
    notes,
  };
}

/** The solver to use for a problem under `options.solver`. */
export function selectSolver(p: NormalizedProblem, options: OptimizeOptions): SolverName {
  const requested = options.solver ?? 'auto';
  if (requested !== 'auto' && requested !== 'active-set' && requested !== 'highs') {
    throw new ValidationError(`unknown solver ${JSON.stringify(requested)}; use auto, active-set or highs`);
  }
  if (requested === 'active-set' && needsGeneralSolver(p) && ridgeFor(p) === undefined) {
    throw new ValidationError(
      'the covariance is singular, which the active-set solver cannot handle without L2 regularisation: set l2 > 0, ' +
        'use a shrinkage estimator, or let HiGHS solve it (solver "highs" or "auto")',
    );
  }
  if (requested !== 'auto') return requested;
  return needsGeneralSolver(p) && (options.crossCheck === true || ridgeFor(p) === undefined) ? 'highs' : 'active-set';
}

/** Size of the ridge for a singular covariance, relative to the largest variance: the bound on its effect. */
const RIDGE_EFFECT = 1e-9;
/**
 * The same for efficient risk, whose bound is computed after the solve (see `solveWithRidge`) rather than fixed in
 * advance: a larger ridge keeps the walk's conditioning (about 1 / ridge) far enough from rounding that the weights
 * meet the budget to 1e-9 on windows with half as many returns as assets.
 */
const RIDGE_EFFECT_RISK_TARGET = 1e-6;
/**
 * The smallest ridge used, relative to the largest variance: 1e4 times the active-set solver's pivot threshold
 * (1e-13 of the diagonal), so a direction without variance still factors with a pivot far above rounding.
 */
const RIDGE_FLOOR = 1e-9 * 1e-3;

/** The relative ridge for an objective (see RIDGE_EFFECT and RIDGE_EFFECT_RISK_TARGET). */
function ridgeEffect(objective: Objective): number {
  return objective.kind === 'efficient-risk' ? RIDGE_EFFECT_RISK_TARGET : RIDGE_EFFECT;
}

/** A ridge delta I for a singular covariance: delta, B >= max ||w||^2 over the feasible set, and delta B. */
export interface Ridge {
  readonly delta: number;
  readonly normBound: number;
  readonly effect: number;
}

/**
 * The ridge for solving a problem with a singular covariance S on the active-set engine, or undefined when it does
 * not apply. The engine needs the covariance of the held assets positive definite; with S + delta I it is, and
 * since the objective then gains delta ||w||^2 (exactly the L2 term of the module table with gamma = delta), the
 * solution w_d of the ridged problem is within delta B of the optimum of the original, B >= ||w||^2 for every
 * feasible w: f(w_d) + delta ||w_d||^2 <= f(w*) + delta ||w*||^2 gives f(w_d) - f(w*) <= delta B (variance for
 * min-volatility and efficient-return, return for efficient-risk, utility for max-utility; for max-Sharpe see
 * `solveWithRidge`). B is the smallest of sum_i max(l_i^2, u_i^2), b^2 for long-only weights summing to b, and L^2
 * under a gross leverage limit L. delta = 1e-9 max_i S_ii / max(1, B), so the effect delta B is at most 1e-9 of the
 * largest variance, far below what the estimate can resolve; the ridge is not used (undefined) when that would put
 * delta below 1e-12 max_i S_ii (B above 1000, or infinite).
 */
export function ridgeFor(p: NormalizedProblem, effect = RIDGE_EFFECT): Ridge | undefined {
  const { n, cov } = p;
  let maxVariance = 0;
  let box = 0;
  for (let i = 0; i < n; i++) {
    maxVariance = Math.max(maxVariance, cov[i * n + i] as number);
    const lo = p.lower[i] as number;
    const hi = p.upper[i] as number;
    box += Math.max(lo * lo, hi * hi);
  }
  let normBound = box;
  if (p.longOnly) normBound = Math.min(normBound, p.budget * p.budget);
  if (p.maxLeverage !== undefined) normBound = Math.min(normBound, p.maxLeverage * p.maxLeverage);
  if (!(maxVariance > 0) || !Number.isFinite(normBound)) return undefined;
  const delta = (effect * maxVariance) / Math.max(1, normBound);
  if (delta < RIDGE_FLOOR * maxVariance) return undefined;
  return { delta, normBound, effect: delta * normBound };
}

/**
 * Solves a problem with a singular covariance (l2 = 0) on the active-set engine with the ridge `ridge` (see
 * `ridgeFor`), and returns the verified result with a note stating the bound on the ridge's effect; or undefined when
 * the engine still meets a singular factor or the bound cannot be certified (the caller then falls back to HiGHS).
 * The ridge is added to the covariance (the engine sees S + delta I without L2 term, which for min-volatility,
 * efficient-return, max-utility and max-Sharpe is the same problem as gamma = delta). Efficient risk then caps
 * w'(S + delta I)w <= sigma^2, which keeps w'Sw <= sigma^2, and its return shortfall is bounded by the ridged optimum
 * at the wider target sigma^2 + delta B minus the return reached (one more query of the walk, stated in the note).
 * Maximum Sharpe: first checks that no riskless portfolio beats the risk-free rate (else the ratio is unbounded,
 * InfeasibleError); the ridged ratio e / sqrt(w'Sw + delta ||w||^2) is maximised, so the Sharpe ratio reached is at
 * least the maximum times sqrt(v / (v + delta B)), with v >= (least ridged variance) - delta B a lower bound on
 * every feasible variance, computed by one more solve; accepted when that certified shortfall is at most 1e-3
 * (relative; the note states it). The bound uses the least variance, so it is loose when the tangency portfolio is
 * much riskier than the minimum-variance one; on the sample data it is typically 1e-6 or less.
 */
function solveWithRidge(p: NormalizedProblem, objective: Objective, ridge: Ridge): PortfolioResult | undefined {
  // The ridge goes into the covariance (S + delta I, l2 = 0), so every objective keeps its exact path on the
  // engine's critical-line walk (efficient risk included, where an L2 term would need the parametric search).
  const { n } = p;
  const cov = Float64Array.from(p.cov);
  for (let i = 0; i < n; i++) cov[i * n + i] = (cov[i * n + i] as number) + ridge.delta;
  const q: NormalizedProblem = { ...p, cov, covarianceKind: 'definite' };
  if (objective.kind === 'max-sharpe') assertSharpeBounded(p);
  let out: { solution: EngineSolution; notes: string[] };
  let shortfall: number | undefined;
  let gap = ridge.effect;
  try {
    out = withEngine(new ActiveSetEngine(q), (e) => {
      const o = solveObjective(e, q, objective);
      if (objective.kind === 'max-sharpe') {
        const least = e.minimize({ risk: 1, l2: 0, ret: 0, cost: 0 }).weights;
        const floor = portfolioVariance(q, least) - ridge.effect;
        shortfall = floor > 0 ? 1 - Math.sqrt(floor / (floor + ridge.effect)) : Number.POSITIVE_INFINITY;
      } else if (objective.kind === 'efficient-risk') {
        // w'(S + delta I)w <= sigma^2 implies w'Sw <= sigma^2 (feasible), and every w with w'Sw <= sigma^2 has
        // w'(S + delta I)w <= sigma^2 + delta B: the optimum is at most the ridged one at that wider target.
        const t = objective.targetVolatility;
        const wider = e.efficientRisk(Math.sqrt(t * t + ridge.effect)).weights;
        gap = Math.max(0, objectiveValue(p, objective, wider) - objectiveValue(p, objective, o.solution.weights));
      }
      return o;
    });
  } catch (error) {
    if (error instanceof SingularSubmatrixError) return undefined;
    throw error;
  }
  if (shortfall !== undefined && !(shortfall <= 1e-3)) return undefined;
  const effect =
    shortfall !== undefined
      ? `the Sharpe ratio is within a relative ${fmt(shortfall)} of the maximum`
      : `the objective is within ${fmt(gap)} of the optimum`;
  const note =
    `the covariance is singular, so the active-set solver added a ridge of ${fmt(ridge.delta)} to its diagonal ` +
    `(${objective.kind === 'efficient-risk' ? '1e-6' : '1e-9'} of the largest variance over the largest squared norm ` +
    `of the weights): ${effect} (the optimal weights ` +
    'need not be unique)';
  return buildResult(p, objective, out.solution, 'active-set', [note, ...out.notes]);
}

/** Largest absolute difference between two weight vectors. */
function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

/** Runs `body` with an engine, disposing it afterwards. */
export function withEngine<T>(engine: MeanVarianceEngine, body: (e: MeanVarianceEngine) => T): T {
  try {
    return body(engine);
  } finally {
    engine.dispose();
  }
}

/**
 * The synchronous core: solves with the selected engine (HiGHS only when `highs` is given), falling back from the
 * active-set engine to HiGHS when the covariance of the held assets turns out singular (if HiGHS is available).
 */
function optimizeCore(
  p: NormalizedProblem,
  objective: Objective,
  options: OptimizeOptions,
  highs: Highs | undefined,
): PortfolioResult {
  const solver = selectSolver(p, options);
  let notes: string[] = [];
  const ridge =
    solver === 'active-set' && options.crossCheck !== true ? ridgeFor(p, ridgeEffect(objective)) : undefined;
  if (solver === 'active-set' && needsGeneralSolver(p)) {
    const general = ridgeFor(p, ridgeEffect(objective));
    const result = general === undefined ? undefined : solveWithRidge(p, objective, general);
    if (result) return result;
    if (options.solver === 'active-set') {
      throw new SolverError('the active-set solver could not certify its solution for the singular covariance');
    }
    if (!highs) throw new SingularFallback('the covariance is singular and the ridged active-set solve failed');
    notes = ['the covariance is singular and the ridged active-set solve could not be certified; solved with HiGHS'];
  } else if (solver === 'active-set') {
    try {
      const out = withEngine(new ActiveSetEngine(p), (e) => solveObjective(e, p, objective));
      const result = buildResult(p, objective, out.solution, 'active-set', out.notes);
      if (options.crossCheck) crossCheck(p, objective, result, requireHighs(highs));
      return result;
    } catch (error) {
      if (!(error instanceof SingularSubmatrixError)) throw error;
      // The held assets' covariance is singular (an unchecked or nearly singular S): solve it with the ridge first.
      const result = ridge === undefined || p.l2 !== 0 ? undefined : solveWithRidge(p, objective, ridge);
      if (result) return result;
      if (options.solver === 'active-set') throw error;
      if (!highs) throw new SingularFallback(error.message);
      notes = [`${error.message}; solved with HiGHS instead (the optimum may not be unique)`];
    }
  }
  const out = withEngine(new HighsEngine(requireHighs(highs, p), p), (e) => solveObjective(e, p, objective));
  const result = buildResult(p, objective, out.solution, 'highs', [...notes, ...out.notes]);
  if (options.crossCheck && !needsGeneralSolver(p)) crossCheck(p, objective, result, undefined);
  return result;
}

/** Raised inside optimizeCore when the active-set engine needs HiGHS that is not loaded yet. */
class SingularFallback extends Error {}

/** The runtime, or a ValidationError saying why HiGHS is needed and how to provide it. */
export function requireHighs(highs: Highs | undefined, p?: NormalizedProblem): Highs {
  if (!highs) {
    const why =
      p !== undefined && needsGeneralSolver(p)
        ? 'the covariance is singular, which the active-set solver cannot handle without L2 regularisation: set ' +
          'l2 > 0, use a shrinkage estimator, or let HiGHS solve it'
        : 'this needs HiGHS';
    throw new ValidationError(
      `${why} (use the asynchronous functions optimize / efficientFrontier, or pass a loaded runtime: ` +
        'options.highs = await loadHighs())',
    );
  }
  return highs;
}

/** Solves with the other engine and fails unless the weights agree to 1e-6 (HiGHS when `highs` is given). */
function crossCheck(
  p: NormalizedProblem,
  objective: Objective,
  primary: PortfolioResult,
  highs: Highs | undefined,
): void {
  const engine = highs ? new HighsEngine(highs, p) : new ActiveSetEngine(p);
  const out = withEngine(engine, (e) => solveObjective(e, p, objective));
  const w = verifyAndClean(p, out.solution.weights, engine.name);
  const diff = maxDifference(w, primary.weights);
  if (diff > 1e-6) {
    throw new SolverError(
      `cross-check failed: the ${primary.solver} and ${engine.name} solutions differ by up to ${diff.toExponential(2)} ` +
        'in a weight',
    );
  }
}

/** True when the request needs HiGHS up front. */
function wantsHighs(p: NormalizedProblem, options: OptimizeOptions): boolean {
  return (
    options.solver === 'highs' ||
    options.crossCheck === true ||
    (options.solver !== 'active-set' && needsGeneralSolver(p) && ridgeFor(p) === undefined)
  );
}

/**
 * Optimises `objective` for `problem`. Validates the input (ValidationError), checks the constraints can hold
 * (InfeasibleError naming the conflict), solves with the chosen engine, verifies every constraint to 1e-9 and returns
 * the weights with their return, volatility, Sharpe ratio and objective value. Loads HiGHS only when it is needed
 * (`solver: 'highs'`, `crossCheck`, or a singular covariance without L2 regularisation where the ridge of
 * `ridgeFor` does not apply).
 */
export async function optimize(
  problem: MeanVarianceProblem,
  objective: Objective,
  options: OptimizeOptions = {},
): Promise<PortfolioResult> {
  validateObjective(objective);
  const p = normalizeProblem(problem, options);
  checkLinearFeasibility(p);
  let highs = options.highs ?? (wantsHighs(p, options) ? await loadHighs() : undefined);
  try {
    return optimizeCore(p, objective, options, highs);
  } catch (error) {
    if (!(error instanceof SingularFallback)) throw error;
    highs = await loadHighs();
    return optimizeCore(p, objective, options, highs);
  }
}

/**
 * Synchronous `optimize`: the active-set engine, or HiGHS when a loaded runtime is passed in `options.highs`
 * (`await loadHighs()` once). Without it, throws ValidationError when HiGHS would be needed (`solver: 'highs'`,
 * `crossCheck`, a singular covariance without L2 regularisation where the ridge does not apply).
 */
export function optimizeSync(
  problem: MeanVarianceProblem,
  objective: Objective,
  options: OptimizeOptions = {},
): PortfolioResult {
  validateObjective(objective);
  const p = normalizeProblem(problem, options);
  checkLinearFeasibility(p);
  try {
    return optimizeCore(p, objective, options, options.highs);
  } catch (error) {
    if (error instanceof SingularFallback) {
      throw new ValidationError(
        `${error.message}: add L2 regularisation (l2 > 0), use a shrinkage covariance estimator, or let HiGHS solve it ` +
          '(options.highs)',
      );
    }
    throw error;
  }
}

/** Minimum volatility: minimise w'Sw + gamma ||w||^2 + c sum |w - w0| (see `optimize`). */
export function minVolatility(problem: MeanVarianceProblem, options?: OptimizeOptions): Promise<PortfolioResult> {
  return optimize(problem, { kind: 'min-volatility' }, options);
}

/** Maximum Sharpe ratio (mu'w - rf b - c turnover) / sqrt(w'(S + gamma I)w), rf = problem.riskFreeRate (annual). */
export function maxSharpe(problem: MeanVarianceProblem, options?: OptimizeOptions): Promise<PortfolioResult> {
  return optimize(problem, { kind: 'max-sharpe' }, options);
}

/** Maximum quadratic utility mu'w - (delta / 2) w'Sw - gamma ||w||^2 - c turnover, delta = riskAversion > 0. */
export function maxUtility(
  problem: MeanVarianceProblem,
  riskAversion: number,
  options?: OptimizeOptions,
): Promise<PortfolioResult> {
  return optimize(problem, { kind: 'max-utility', riskAversion }, options);
}

/** Maximum mu'w - gamma ||w||^2 - c turnover subject to sqrt(w'Sw) <= targetVolatility (annual), exact to 1e-9. */
export function efficientRisk(
  problem: MeanVarianceProblem,
  targetVolatility: number,
  options?: OptimizeOptions,
): Promise<PortfolioResult> {
  return optimize(problem, { kind: 'efficient-risk', targetVolatility }, options);
}

/** Minimum w'Sw + gamma ||w||^2 + c turnover subject to mu'w >= targetReturn (annual). */
export function efficientReturn(
  problem: MeanVarianceProblem,
  targetReturn: number,
  options?: OptimizeOptions,
): Promise<PortfolioResult> {
  return optimize(problem, { kind: 'efficient-return', targetReturn }, options);
}

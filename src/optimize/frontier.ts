/**
 * The efficient frontier: K portfolios whose expected returns are evenly spaced from the minimum-volatility return
 * r_mv to the maximum attainable return r_max (or to the return at the volatility cap), each the efficient-return
 * portfolio min w'Sw + gamma ||w||^2 + c sum |w - w0| subject to mu'w >= r_k, plus the minimum-volatility and
 * maximum-Sharpe (tangency) portfolios.
 *
 * One engine serves every point: the active-set engine walks the frontier once (critical-line method) and reads each
 * point off its segment in closed form; HiGHS keeps one model and changes only the return row between points.
 */

import type { Highs } from 'highs';
import { InfeasibleError, ValidationError } from '../core/errors.js';
import { checkLinearFeasibility, fmt, targetVolatilityTooLow } from './diagnose.js';
import {
  buildResult,
  type OptimizeOptions,
  type PortfolioResult,
  requireHighs,
  selectSolver,
  solveObjective,
  withEngine,
} from './mean-variance.js';
import { type MeanVarianceProblem, type NormalizedProblem, needsGeneralSolver, normalizeProblem } from './problem.js';
import { SingularSubmatrixError } from './solvers/active-set.js';
import { ActiveSetEngine } from './solvers/active-set-engine.js';
import { loadHighs } from './solvers/highs-loader.js';
import { HighsEngine } from './solvers/highs-qp.js';
import type { MeanVarianceEngine, SolverName } from './solvers/qp.js';
import { portfolioReturn, portfolioVariance, verifyAndClean } from './verify.js';

/** Options of `efficientFrontier`. */
export interface FrontierOptions extends OptimizeOptions {
  /** Number of frontier points K (2 to 10,000; default 50). */
  readonly points?: number;
}

/** The frontier. Arrays have one entry per point, in order of increasing return. */
export interface FrontierResult {
  readonly tickers: readonly string[];
  /** Expected annual returns mu'w_k, evenly spaced. */
  readonly returns: Float64Array;
  /** Annual volatilities sqrt(w_k'S w_k). */
  readonly volatilities: Float64Array;
  /** Sharpe ratios (mu'w_k - rf b) / sqrt(w_k'S w_k) (0 at zero volatility). */
  readonly sharpes: Float64Array;
  /** Weights of each point (verified like every result). */
  readonly weights: readonly Float64Array[];
  /** The minimum-volatility portfolio (the first point's portfolio). */
  readonly minVolatility: PortfolioResult;
  /** The maximum-Sharpe portfolio, absent for a zero budget or when no portfolio beats the risk-free hurdle. */
  readonly maxSharpe: PortfolioResult | undefined;
  /** The maximum attainable expected return under the constraints (before any volatility cap). */
  readonly maxReturn: number;
  readonly solver: SolverName;
  /** Solver iterations for the whole frontier (every solve, walk segment and LP of the engine). */
  readonly iterations: number;
  readonly notes: readonly string[];
}

function frontierOn(engine: MeanVarianceEngine, p: NormalizedProblem, k: number, notes: string[]): FrontierResult {
  const name = engine.name;
  // The bottom of the frontier (for a zero budget too, where min-volatility alone is refused as trivial).
  const bottom = engine.minimize({ risk: 1, l2: p.l2, ret: 0, cost: p.transactionCost });
  const minVolatility = buildResult(p, { kind: 'min-volatility' }, bottom, name, []);
  if (p.maxVolatility !== undefined && minVolatility.volatility > p.maxVolatility * (1 + 1e-12)) {
    throw targetVolatilityTooLow(p.maxVolatility, minVolatility.volatility, 'the volatility cap');
  }
  const rMax = engine.maxReturn();
  if (!Number.isFinite(rMax)) {
    throw new ValidationError('the maximum return is unbounded (some weights have no bound): set finite weight bounds');
  }
  let rTop = rMax;
  if (p.maxVolatility !== undefined) {
    const atCap = engine.efficientRisk(p.maxVolatility);
    const r = portfolioReturn(p, atCap.weights);
    if (r < rTop) {
      rTop = r;
      notes.push(`the frontier stops at the volatility cap ${fmt(p.maxVolatility)} (return ${fmt(r)})`);
    }
  }
  const r0 = minVolatility.expectedReturn;
  const lo = Math.min(r0, rTop);
  const targets = new Float64Array(k);
  for (let i = 0; i < k; i++) targets[i] = k === 1 ? lo : lo + ((rTop - lo) * i) / (k - 1);
  targets[k - 1] = rTop;
  const sols = engine.frontier(targets);
  const weights: Float64Array[] = [];
  const returns = new Float64Array(k);
  const volatilities = new Float64Array(k);
  const sharpes = new Float64Array(k);
  const hurdle = p.riskFreeRate * p.budget;
  sols.forEach((s, i) => {
    const w = verifyAndClean(p, s.weights, name === 'highs' ? 'HiGHS' : 'the active-set solver');
    weights.push(w);
    returns[i] = portfolioReturn(p, w);
    volatilities[i] = Math.sqrt(portfolioVariance(p, w));
    sharpes[i] = (volatilities[i] as number) > 0 ? ((returns[i] as number) - hurdle) / (volatilities[i] as number) : 0;
  });
  let maxSharpe: PortfolioResult | undefined;
  if (p.budget !== 0) {
    try {
      const out = solveObjective(engine, p, { kind: 'max-sharpe' });
      maxSharpe = buildResult(p, { kind: 'max-sharpe' }, out.solution, name, out.notes);
    } catch (error) {
      if (!(error instanceof InfeasibleError)) throw error;
      notes.push(`no maximum-Sharpe portfolio: ${error.message}`);
    }
  }
  return {
    tickers: p.tickers,
    returns,
    volatilities,
    sharpes,
    weights,
    minVolatility,
    maxSharpe,
    maxReturn: rMax,
    solver: name,
    iterations: engine.totalIterations(),
    notes,
  };
}

function pointCount(options: FrontierOptions): number {
  const k = options.points ?? 50;
  if (!Number.isInteger(k) || k < 2 || k > 10_000) {
    throw new ValidationError(
      `the number of frontier points must be a whole number from 2 to 10,000, got ${String(k)}`,
    );
  }
  return k;
}

function frontierCore(
  p: NormalizedProblem,
  k: number,
  options: FrontierOptions,
  highs: Highs | undefined,
): FrontierResult {
  const solver = selectSolver(p, options);
  const notes: string[] = [];
  if (solver === 'active-set') {
    try {
      return withEngine(new ActiveSetEngine(p), (e) => frontierOn(e, p, k, notes));
    } catch (error) {
      if (!(error instanceof SingularSubmatrixError) || options.solver === 'active-set' || !highs) throw error;
      notes.push(`${error.message}; solved with HiGHS instead (the optimum may not be unique)`);
    }
  }
  return withEngine(new HighsEngine(requireHighs(highs, p), p), (e) => frontierOn(e, p, k, notes));
}

/**
 * The efficient frontier of `problem` with `options.points` points (default 50) from the minimum-volatility return
 * to the maximum attainable return, with the minimum-volatility and maximum-Sharpe portfolios. Errors as `optimize`;
 * ValidationError when the maximum return is unbounded. Loads HiGHS only when asked to use it or when the covariance
 * is singular without L2 regularisation.
 */
export async function efficientFrontier(
  problem: MeanVarianceProblem,
  options: FrontierOptions = {},
): Promise<FrontierResult> {
  const k = pointCount(options);
  const p = normalizeProblem(problem, options);
  checkLinearFeasibility(p);
  const want = options.solver === 'highs' || (options.solver !== 'active-set' && needsGeneralSolver(p));
  let highs = options.highs ?? (want ? await loadHighs() : undefined);
  try {
    return frontierCore(p, k, options, highs);
  } catch (error) {
    if (!(error instanceof SingularSubmatrixError) || options.solver === 'active-set' || highs) throw error;
    highs = await loadHighs();
    return frontierCore(p, k, options, highs);
  }
}

/**
 * Synchronous `efficientFrontier`: the active-set engine, or HiGHS when `options.highs` holds a loaded runtime.
 */
export function efficientFrontierSync(problem: MeanVarianceProblem, options: FrontierOptions = {}): FrontierResult {
  const k = pointCount(options);
  const p = normalizeProblem(problem, options);
  checkLinearFeasibility(p);
  return frontierCore(p, k, options, options.highs);
}

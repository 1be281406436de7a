/**
 * The tail and downside objectives on historical scenarios. Units: scenario returns, CVaR, VaR, CDaR, DaR, MAD and the
 * semivariance benchmark b are per period; expected returns mu, targets, volatility and the semivariance are annual;
 * weights are fractions of capital summing to the budget.
 *
 * | objective                       | solves                                                                         |
 * |---------------------------------|--------------------------------------------------------------------------------|
 * | min-cvar                        | minimise CVaR_beta(w)                          [subject to mu'w >= r]          |
 * | efficient-cvar, targetReturn r  | minimise CVaR_beta(w) subject to mu'w >= r                                     |
 * | efficient-cvar, maxCvar c       | maximise mu'w subject to CVaR_beta(w) <= c                                     |
 * | min-cdar                        | minimise CDaR_beta(w)                          [subject to mu'w >= r]          |
 * | efficient-cdar, targetReturn r  | minimise CDaR_beta(w) subject to mu'w >= r                                     |
 * | efficient-cdar, maxCdar c       | maximise mu'w subject to CDaR_beta(w) <= c                                     |
 * | min-mad                         | minimise (1/T) sum_t |(r_t - rbar)'w|          [subject to mu'w >= r]          |
 * | min-semivariance                | minimise (P/T) sum_t max(b - r_t'w, 0)^2       [subject to mu'w >= r]          |
 *
 * each subject to the weight bounds, the budget (or market neutrality) and the sector limits, and for the linear
 * objectives optionally to cardinality limits (at most K assets held, a minimum position when held). The measures are
 * defined in measures.ts, their programs in cvar.ts, cdar.ts, mad.ts and semivariance.ts. The linear objectives are
 * solved by HiGHS (LP, or MIP with cardinality limits); the semivariance by a Newton method over exact active-set QPs.
 * Infeasible targets are diagnosed with the numbers: a return target above the maximum attainable return, a CVaR or
 * CDaR cap below the minimum attainable, constraints that conflict (named as for mean-variance).
 */

import type { Highs } from 'highs';
import { InfeasibleError, ValidationError } from '../../core/errors.js';
import { checkLinearFeasibility, explainInfeasibility, targetReturnTooHigh } from '../diagnose.js';
import { fmt } from '../format.js';
import { linearRows } from '../rows.js';
import { loadHighs } from '../solvers/highs-loader.js';
import { solveBoundedLp } from '../solvers/simplex.js';
import { SolverError } from '../solvers/solver-error.js';
import { portfolioReturn, portfolioVariance, verifyAndClean } from '../verify.js';
import { checkCardinalityFeasibility } from './cardinality.js';
import { cdarMeasure } from './cdar.js';
import { cvarMeasure } from './cvar.js';
import { type LinearGoal, type LinearSolution, maxReturnWithCardinality, solveLinear } from './linear.js';
import type { MipLimits } from './lp.js';
import { madMeasure } from './mad.js';
import type { LinearMeasure } from './measure.js';
import { tailRiskMeasures } from './measures.js';
import { type NormalizedTail, normalizeTailProblem, validateTailObjective } from './problem.js';
import { solveSemivariance } from './semivariance.js';
import type { TailObjective, TailOptions, TailProblem, TailResult } from './types.js';

/**
 * Optimises a tail objective (see the module table). Validates the input (ValidationError, DataError), checks that the
 * constraints and targets can hold (InfeasibleError with the numbers), solves, verifies the weights against every
 * constraint to 1e-9 and returns them with every tail measure, the expected return and, with a covariance, the
 * volatility and Sharpe ratio. Loads HiGHS for the linear objectives unless `options.highs` is given.
 */
export async function optimizeTail(
  problem: TailProblem,
  objective: TailObjective,
  options: TailOptions = {},
): Promise<TailResult> {
  const needsHighs = (objective as { kind?: unknown } | undefined)?.kind !== 'min-semivariance';
  const highs = options.highs ?? (needsHighs ? await loadHighs() : undefined);
  return optimizeTailSync(problem, objective, highs ? { ...options, highs } : options);
}

/**
 * Synchronous `optimizeTail`: the linear objectives need a loaded HiGHS runtime in `options.highs`
 * (`await loadHighs()` once); the semivariance needs none. Throws ValidationError when HiGHS is needed but not given.
 */
export function optimizeTailSync(
  problem: TailProblem,
  objective: TailObjective,
  options: TailOptions = {},
): TailResult {
  const { confidence, benchmark } = validateTailObjective(objective);
  const nt = normalizeTailProblem(problem, options);
  const { p } = nt;
  checkLinearFeasibility(p);
  if (nt.cardinality) {
    if (objective.kind === 'min-semivariance') {
      throw new ValidationError(
        'cardinality limits apply to the linear objectives (CVaR, CDaR, MAD) only: the semivariance is quadratic and ' +
          'HiGHS has no mixed-integer quadratic solver',
      );
    }
    checkCardinalityFeasibility(p, nt.cardinality);
  }
  const limits = mipLimits(options);
  const notes: string[] = [];
  if (problem.expectedReturns === undefined) {
    notes.push(`expected returns: the scenarios' mean return per period times ${nt.periodsPerYear} (none were given)`);
  }
  const maxReturn = lazyMaxReturn(nt, options.highs, limits);
  const target = (objective as { targetReturn?: number }).targetReturn;
  let floor: number | undefined;
  if (target !== undefined) {
    const max = maxReturn();
    if (target > max + 1e-12 * Math.max(1, Math.abs(max))) throw targetReturnTooHigh(target, max);
    floor = Math.min(target, max);
  }

  if (objective.kind === 'min-semivariance') {
    const sol = solveSemivariance(nt, benchmark, floor, maxReturn);
    if (sol.proximal) {
      notes.push(
        'the semivariance Hessian was singular on the held assets, so proximal steps were used (the optimum may not ' +
          'be unique)',
      );
    }
    return assemble(nt, objective, sol.weights, 'active-set', sol.iterations, true, undefined, notes, {
      confidence,
      benchmark,
    });
  }

  const highs = requireHighs(options.highs);
  const measure = linearMeasure(nt, objective.kind, confidence);
  const cap =
    objective.kind === 'efficient-cvar'
      ? objective.maxCvar
      : objective.kind === 'efficient-cdar'
        ? objective.maxCdar
        : undefined;
  let sol: LinearSolution;
  if (cap === undefined) {
    sol = minimiseMeasure(highs, nt, measure, floor, limits, maxReturn);
  } else {
    const out = solveLinear(highs, nt, measure, { kind: 'max-return', cap }, limits);
    if (out === 'unbounded') throw unbounded('the expected return');
    if (out === 'infeasible') {
      const least = minimiseMeasure(highs, nt, measure, undefined, limits, maxReturn);
      if (least.measure > cap + 1e-12 * Math.max(1, Math.abs(cap))) {
        throw new InfeasibleError(
          `${measure.label} cap ${fmt(cap)} (per period) is below the minimum ${measure.label} ${fmt(least.measure)} ` +
            'attainable under the constraints: raise the cap',
        );
      }
      // The cap equals the minimum to rounding: the minimum-risk portfolios are the only feasible ones.
      const retry = solveLinear(
        highs,
        nt,
        measure,
        { kind: 'max-return', cap: least.measure * (1 + 1e-12) + 1e-15 },
        limits,
      );
      if (typeof retry === 'string') {
        throw new SolverError(
          `the maximum-return ${measure.label} program is ${retry} at the minimum ${measure.label}`,
        );
      }
      sol = retry;
      notes.push(`the ${measure.label} cap equals the minimum attainable ${measure.label}`);
    } else {
      sol = out;
    }
  }
  if (!sol.proven) {
    notes.push(
      `the mixed-integer search stopped at its time limit before proving optimality (relative gap ${sol.gap.toExponential(2)})`,
    );
  }
  return assemble(
    nt,
    objective,
    sol.weights,
    'highs',
    sol.iterations,
    sol.proven,
    nt.cardinality ? sol.gap : undefined,
    notes,
    { confidence, benchmark },
  );
}

function requireHighs(highs: Highs | undefined): Highs {
  if (!highs) {
    throw new ValidationError(
      'the linear tail objectives need HiGHS: use optimizeTail, or pass a loaded runtime (options.highs = await loadHighs())',
    );
  }
  return highs;
}

function mipLimits(options: TailOptions): MipLimits {
  const timeLimit = options.timeLimit ?? Number.POSITIVE_INFINITY;
  if (typeof timeLimit !== 'number' || !(timeLimit > 0)) {
    throw new ValidationError(`the time limit must be a positive number of seconds, got ${String(timeLimit)}`);
  }
  const relativeGap = options.relativeGap ?? 1e-9;
  if (typeof relativeGap !== 'number' || !(relativeGap >= 0 && relativeGap < 1)) {
    throw new ValidationError(`the relative gap must be a number in [0, 1), got ${String(relativeGap)}`);
  }
  return { timeLimit, relativeGap, absoluteGap: 1e-12 };
}

function linearMeasure(nt: NormalizedTail, kind: TailObjective['kind'], confidence: number): LinearMeasure {
  const { R, T, n } = nt;
  switch (kind) {
    case 'min-cvar':
    case 'efficient-cvar':
      return cvarMeasure(R, T, n, confidence);
    case 'min-cdar':
    case 'efficient-cdar':
      return cdarMeasure(R, T, n, confidence);
    default:
      return madMeasure(R, T, n);
  }
}

/** The minimum of the measure (with the return floor), or InfeasibleError naming the conflict. */
function minimiseMeasure(
  highs: Highs,
  nt: NormalizedTail,
  measure: LinearMeasure,
  floor: number | undefined,
  limits: MipLimits,
  maxReturn: () => number,
): LinearSolution {
  const goal: LinearGoal = floor === undefined ? { kind: 'min-measure' } : { kind: 'min-measure', returnFloor: floor };
  const out = solveLinear(highs, nt, measure, goal, limits);
  if (out === 'unbounded') throw unbounded(`the ${measure.label}`);
  if (out === 'infeasible') {
    if (nt.cardinality) {
      throw new InfeasibleError(
        `the cardinality limits (at most ${nt.cardinality.maxAssets} assets` +
          `${nt.cardinality.minPosition.some((v) => v > 0) ? ', minimum positions' : ''}) cannot hold together with ` +
          `the bounds, budget and sector limits${floor === undefined ? '' : ` and the target return ${fmt(floor)}`}: ` +
          'relax one of them',
      );
    }
    explainInfeasibility(nt.p, floor, maxReturn);
  }
  return out;
}

function unbounded(what: string): ValidationError {
  return new ValidationError(
    `${what} is unbounded under these constraints (some weight has no finite bound): set finite weight bounds`,
  );
}

/** The maximum attainable mu'w under the constraints (computed once, on first use). */
function lazyMaxReturn(nt: NormalizedTail, highs: Highs | undefined, limits: MipLimits): () => number {
  let cached: number | undefined;
  return () => {
    if (cached !== undefined) return cached;
    const { p } = nt;
    if (nt.cardinality) {
      const max = maxReturnWithCardinality(requireHighs(highs), nt, limits);
      if (max === undefined) {
        throw new InfeasibleError(
          `the cardinality limits (at most ${nt.cardinality.maxAssets} assets) cannot hold together with the bounds, ` +
            'budget and sector limits: relax one of them',
        );
      }
      cached = max;
      return max;
    }
    const cost = Float64Array.from(p.mu, (v) => -v);
    const lp = solveBoundedLp(p.n, cost, p.lower, p.upper, linearRows(p, false, false));
    if (lp.status === 'infeasible') explainInfeasibility(p);
    cached = lp.status === 'unbounded' ? Number.POSITIVE_INFINITY : -lp.objective;
    return cached;
  };
}

/** Verifies the weights and assembles the result (measures recomputed from the cleaned weights). */
function assemble(
  nt: NormalizedTail,
  objective: TailObjective,
  raw: Float64Array,
  solver: 'highs' | 'active-set',
  iterations: number,
  optimal: boolean,
  mipGap: number | undefined,
  notes: string[],
  settings: { confidence: number; benchmark: number },
): TailResult {
  const { p, n } = nt;
  const w = verifyAndClean(p, raw, solver === 'highs' ? 'HiGHS' : 'the semivariance method');
  const card = nt.cardinality;
  if (card) {
    let held = 0;
    for (let i = 0; i < n; i++) {
      const v = w[i] as number;
      if (Math.abs(v) <= 1e-12) {
        w[i] = 0;
        continue;
      }
      held++;
      if (v < (card.minPosition[i] as number) - 1e-9) {
        throw new SolverError(
          `HiGHS returned weight ${v} for ${p.tickers[i]}, below its minimum position ${card.minPosition[i]}`,
        );
      }
    }
    if (held > card.maxAssets) {
      throw new SolverError(`HiGHS returned ${held} held assets, more than the limit ${card.maxAssets}`);
    }
  }
  const measures = tailRiskMeasures(nt.R, nt.T, w, nt.periodsPerYear, settings);
  const expectedReturn = portfolioReturn(p, w);
  const excess = expectedReturn - p.riskFreeRate * p.budget;
  let volatility: number | undefined;
  let sharpe: number | undefined;
  if (nt.hasCovariance) {
    volatility = Math.sqrt(portfolioVariance(p, w));
    sharpe = volatility > 0 ? excess / volatility : 0;
  }
  const byTicker: Record<string, number> = {};
  let heldAssets = 0;
  p.tickers.forEach((t, i) => {
    byTicker[t] = w[i] as number;
    if (w[i] !== 0) heldAssets++;
  });
  return {
    objective: objective.kind,
    tickers: p.tickers,
    weights: w,
    weightsByTicker: byTicker,
    measures,
    objectiveValue: objectiveValue(objective, measures, expectedReturn),
    expectedReturn,
    ...(volatility === undefined ? {} : { volatility, sharpe: sharpe as number }),
    sortino: measures.semideviation > 0 ? excess / measures.semideviation : 0,
    riskFreeRate: p.riskFreeRate,
    scenarioCount: nt.T,
    periodsPerYear: nt.periodsPerYear,
    heldAssets,
    solver,
    iterations,
    optimal,
    ...(mipGap === undefined ? {} : { mipGap }),
    notes,
  };
}

/** The objective's own value (see TailResult.objectiveValue). */
function objectiveValue(
  objective: TailObjective,
  m: ReturnType<typeof tailRiskMeasures>,
  expectedReturn: number,
): number {
  switch (objective.kind) {
    case 'min-cvar':
      return m.cvar;
    case 'efficient-cvar':
      return objective.maxCvar === undefined ? m.cvar : expectedReturn;
    case 'min-cdar':
      return m.cdar;
    case 'efficient-cdar':
      return objective.maxCdar === undefined ? m.cdar : expectedReturn;
    case 'min-mad':
      return m.mad;
    case 'min-semivariance':
      return m.semivariance;
  }
}

/**
 * Risk budgeting and equal risk contribution (risk parity), long-only and fully invested.
 *
 * Given an annual covariance S (n x n) and risk budgets b_i > 0 (normalised to sum 1), the risk-budgeting portfolio
 * is the w > 0 with sum w = 1 whose relative risk contributions equal the budgets:
 *
 *   RC_i(w) = w_i (S w)_i / (w'Sw) = b_i   for every i.
 *
 * Equal risk contribution (ERC) is the case b_i = 1/n. Method: the convex formulation of Spinu (2013) and Roncalli
 * (2013, "Introduction to Risk Parity and Budgeting", section 2.2): the strictly convex function
 *
 *   f(y) = 1/2 y'Sy - sum_i b_i ln y_i,   y > 0,
 *
 * has a unique minimiser y* when a solution exists; its first-order conditions are y_i (S y)_i = b_i, so that
 * y*'S y* = sum b = 1 and w = y* / sum_j y*_j has RC_i = b_i. f is minimised by cyclical coordinate descent
 * (Griveau-Billion, Richard & Roncalli 2013, "A Fast Algorithm for Computing High-dimensional Risk Parity
 * Portfolios", arXiv:1311.4057): each coordinate in turn is set to its exact minimiser, the positive root of
 * S_ii y_i^2 + c_i y_i - b_i = 0 with c_i = (S y)_i - S_ii y_i, keeping S y up to date (O(n) per coordinate,
 * O(n^2) per sweep). Coordinate descent with exact minimisation converges for a strictly convex smooth function with
 * bounded level sets (Bertsekas, "Nonlinear Programming", proposition 2.7.1), and on covariance matrices of stocks
 * it gains about a factor 5-6 in accuracy per sweep (about 16 sweeps to 1e-12 on 471 S&P 500 stocks). Where it
 * gains much less (strong negative correlations with budgets spread over decades), so that the sweeps still needed
 * would cost more than a few Newton steps, it hands over to Newton's method on f (Spinu 2013): the step solves
 * (S + diag(b / y^2)) d = -(S y - b / y) by Cholesky, shortened to keep y positive and to decrease f (Armijo
 * backtracking), which converges quadratically from the coordinate-descent point.
 *
 * The iteration stops when max_i |y_i (S y)_i - b_i| / b_i, with S y recomputed from scratch, is at most a quarter
 * of the tolerance, or when that error stops decreasing (the rounding floor); the error reported is then measured
 * on the final weights themselves. Small budgets are often met by an asset whose (S w)_i nearly cancels (it hedges
 * the rest): its sum is then evaluated with compensated dot products (Dot2 of Ogita, Rump & Oishi 2005), so that
 * rounding does not limit the accuracy. Every result meets max(tolerance, 1e-10); one above the tolerance carries a
 * note.
 */

import { InfeasibleError, ValidationError } from '../core/errors.js';
import { choleskySolve, tryCholesky } from '../core/linalg/cholesky.js';
import {
  type AllocationResult,
  buildAllocation,
  checkCovariance,
  checkTickers,
  expectedReturnsOf,
  type LabelledCovariance,
  multiply,
  type PerformanceOptions,
  type RiskContributions,
  riskFreeRateOf,
} from './allocation-result.js';
import { fmt } from './format.js';
import { type RowKernel, rowKernel } from './risk-budgeting-kernel.js';
import { SolverError } from './solvers/solver-error.js';

/** Options of `riskBudgeting` and `equalRiskContribution`. */
export interface RiskBudgetingOptions extends PerformanceOptions {
  /**
   * Risk budgets, positive (normalised to sum 1): one per ticker in ticker order, or a map from every ticker to its
   * budget. Default: equal budgets 1/n (equal risk contribution).
   */
  readonly budgets?: ArrayLike<number> | Readonly<Record<string, number>>;
  /**
   * Target relative risk-contribution error max_i |RC_i - b_i| / b_i; default 1e-12, at least 1e-14. Where rounding
   * stops the iteration above it, the result is still returned (with a note) if its error is at most 1e-10.
   */
  readonly tolerance?: number;
  /** Maximum number of coordinate-descent sweeps (Newton steps, if any, are limited to 100); default 10,000. */
  readonly maxIterations?: number;
  /** Use the WebAssembly SIMD kernel where available (default true); false forces scalar JavaScript (same result). */
  readonly simd?: boolean;
}

/** A risk-budgeting portfolio with its risk decomposition. */
export interface RiskBudgetingResult extends AllocationResult {
  readonly method: 'risk-budgeting' | 'equal-risk-contribution';
  /** The budgets b (normalised to sum 1), in ticker order. */
  readonly budgets: Float64Array;
  /** Annual volatility sqrt(w'Sw). */
  readonly volatility: number;
  /** Risk contributions of the weights: relative ones equal the budgets to `maxRelativeError`. */
  readonly riskContributions: RiskContributions;
  /** max_i |RC_i - b_i| / b_i measured on the returned weights (RC relative contributions). */
  readonly maxRelativeError: number;
  /** Coordinate-descent sweeps used. */
  readonly iterations: number;
  /** Newton steps taken after the sweeps (0 when coordinate descent converged on its own). */
  readonly newtonSteps: number;
}

/** Default relative risk-contribution tolerance. */
export const RISK_BUDGET_TOLERANCE = 1e-12;

/**
 * The risk-budgeting portfolio: long-only weights w (sum 1) with relative risk contributions
 * `w_i (S w)_i / (w'Sw) = b_i`, S the annual covariance (n x n row-major) and b the budgets (default 1/n each),
 * by cyclical coordinate descent on `1/2 y'Sy - sum b_i ln y_i` (see the module comment), to a relative
 * risk-contribution error of `options.tolerance` (default 1e-12). Reports the volatility sqrt(w'Sw), the absolute
 * `w_i (S w)_i / sqrt(w'Sw)` and relative risk contributions, and the expected return and Sharpe ratio
 * (mu'w - rf) / sqrt(w'Sw) when expected returns are given.
 *
 * Throws ValidationError for invalid input (covariance not symmetric, a non-positive variance, a correlation above
 * 1, a non-positive budget), InfeasibleError when no solution exists (a long-only portfolio of zero variance), and
 * SolverError when the iteration limit is reached first or rounding stops it above max(tolerance, 1e-10).
 */
export function riskBudgeting(covariance: LabelledCovariance, options: RiskBudgetingOptions = {}): RiskBudgetingResult {
  const tickers = checkTickers(covariance.tickers, 'risk budgeting');
  const s = checkCovariance(covariance.values, tickers);
  const n = tickers.length;
  const budgets = budgetsOf(options.budgets, tickers);
  const tolerance = options.tolerance ?? RISK_BUDGET_TOLERANCE;
  if (typeof tolerance !== 'number' || !(tolerance >= 1e-14) || !(tolerance < 1)) {
    throw new ValidationError(`the tolerance must be a number in [1e-14, 1), got ${String(tolerance)}`);
  }
  const maxIterations = options.maxIterations ?? 10_000;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new ValidationError(`maxIterations must be a positive whole number, got ${String(maxIterations)}`);
  }
  const riskFreeRate = riskFreeRateOf(options);
  const expectedReturns = expectedReturnsOf(options, n);
  const problem: Problem = {
    s,
    n,
    b: budgets,
    tolerance,
    tickers,
    kernel: rowKernel(s, n, options.simd ?? true),
    negatives: negativeEntries(s, n),
  };
  const { y, sweeps, newtonSteps, careful } = solve(problem, maxIterations);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += y[i] as number;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = (y[i] as number) / sum;
  const { absolute, relative, variance } = contributions(problem, w, careful);
  let maxRelativeError = 0;
  for (let i = 0; i < n; i++) {
    const b = budgets[i] as number;
    maxRelativeError = Math.max(maxRelativeError, Math.abs((relative[i] as number) - b) / b);
  }
  const accepted = Math.max(tolerance, GUARANTEED_TOLERANCE);
  if (!(maxRelativeError <= accepted)) {
    throw new SolverError(
      `risk budgeting stopped at a relative risk-contribution error of ${maxRelativeError.toExponential(2)}, above ` +
        `${accepted.toExponential(2)}: rounding limits the accuracy on this covariance (raise the tolerance)`,
    );
  }
  const notes =
    maxRelativeError > tolerance
      ? [
          `rounding limits the relative risk-contribution error to ${maxRelativeError.toExponential(2)}, above the ` +
            `tolerance ${tolerance.toExponential(2)} (and below ${GUARANTEED_TOLERANCE.toExponential(0)})`,
        ]
      : [];
  const method = options.budgets === undefined ? 'equal-risk-contribution' : 'risk-budgeting';
  const base = buildAllocation(
    method,
    tickers,
    w,
    { riskFreeRate, ...(expectedReturns === undefined ? {} : { expectedReturns }) },
    notes,
  );
  const volatility = Math.sqrt(variance);
  return {
    ...base,
    method,
    volatility,
    ...(base.expectedReturn === undefined
      ? {}
      : { sharpe: volatility > 0 ? (base.expectedReturn - riskFreeRate) / volatility : 0 }),
    riskContributions: { absolute, relative },
    budgets,
    maxRelativeError,
    iterations: sweeps,
    newtonSteps,
  };
}

/**
 * Equal risk contribution (risk parity): `riskBudgeting` with every budget 1/n, i.e. long-only weights (sum 1) with
 * `w_i (S w)_i = w'Sw / n` for every asset, S the annual covariance. On a diagonal S the weights are proportional to
 * 1 / sigma_i. Same options (except budgets), result and errors as `riskBudgeting`.
 */
export function equalRiskContribution(
  covariance: LabelledCovariance,
  options: Omit<RiskBudgetingOptions, 'budgets'> = {},
): RiskBudgetingResult {
  const { budgets: _ignored, ...rest } = options as RiskBudgetingOptions;
  return riskBudgeting(covariance, rest);
}

/** The budgets as positive numbers normalised to sum 1, in ticker order (default 1/n each). */
function budgetsOf(given: RiskBudgetingOptions['budgets'], tickers: readonly string[]): Float64Array {
  const n = tickers.length;
  const b = new Float64Array(n);
  if (given === undefined) return b.fill(1 / n);
  if (given === null || typeof given !== 'object') {
    throw new ValidationError('the risk budgets must be an array (ticker order) or a map from ticker to budget');
  }
  if (typeof (given as ArrayLike<number>).length === 'number') {
    const list = given as ArrayLike<number>;
    if (list.length !== n) {
      throw new ValidationError(`${list.length} risk budgets for ${n} tickers; give one budget per ticker`);
    }
    for (let i = 0; i < n; i++) b[i] = list[i] as number;
  } else {
    const map = given as Readonly<Record<string, number>>;
    for (const key of Object.keys(map)) {
      if (!tickers.includes(key)) {
        throw new ValidationError(`a risk budget is given for ${JSON.stringify(key)}, which is not among the tickers`);
      }
    }
    tickers.forEach((t, i) => {
      const v = Object.hasOwn(map, t) ? map[t] : undefined;
      if (v === undefined) throw new ValidationError(`no risk budget for ${JSON.stringify(t)}; give one per ticker`);
      b[i] = v;
    });
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = b[i] as number;
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) {
      throw new ValidationError(
        `the risk budget of ${JSON.stringify(tickers[i])} is ${String(v)}; budgets must be positive numbers ` +
          '(drop an asset instead of giving it budget 0)',
      );
    }
    sum += v;
  }
  for (let i = 0; i < n; i++) b[i] = (b[i] as number) / sum;
  return b;
}

/** How often (in sweeps) S y is recomputed from scratch, so that the running updates cannot drift. */
const REFRESH = 32;

/** Sweeps without any decrease of the error after which the iteration has reached the rounding floor. */
const STALL = 8;

/** The error every result is guaranteed to meet, whatever tolerance was asked for (the specification's 1e-10). */
export const GUARANTEED_TOLERANCE = 1e-10;

/** Newton steps allowed after the sweeps. */
const MAX_NEWTON = 100;

/** A problem in the solver's hands: S (n x n), budgets b (sum 1), the tolerance, and precomputed helpers. */
interface Problem {
  readonly s: Float64Array;
  readonly n: number;
  readonly b: Float64Array;
  readonly tolerance: number;
  readonly tickers: readonly string[];
  /** S and the running vector S y (or S w) for the O(n) row updates. */
  readonly kernel: RowKernel;
  /** The negative entries of S by row, for `carefulRows`. */
  readonly negatives: NegativeEntries;
}

/** The solver's outcome: y (unnormalised, y'Sy = 1 at the solution), the work done, the careful rows. */
interface Solved {
  readonly y: Float64Array;
  readonly sweeps: number;
  readonly newtonSteps: number;
  readonly careful: Uint8Array;
}

/**
 * Cyclical coordinate descent on f(y) = 1/2 y'Sy - sum b_i ln y_i from y_i = sqrt(b_i / S_ii) scaled to y'Sy = 1
 * (the exact answer for a diagonal S), handing over to Newton's method when its rate makes that cheaper. Returns y,
 * the sweeps and Newton steps used, and the rows evaluated with compensated dot products ("careful" rows, see
 * `carefulRows`). S y is kept in `kernel.v`.
 */
function solve(p: Problem, maxIterations: number): Solved {
  const { s, n, b, tolerance, tickers, kernel } = p;
  const diag = new Float64Array(n);
  const y = new Float64Array(n);
  let minVariance = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = s[i * n + i] as number;
    diag[i] = v;
    minVariance = Math.min(minVariance, v);
    y[i] = Math.sqrt((b[i] as number) / v);
  }
  const sy = kernel.multiply(y);
  let q = 0;
  for (let i = 0; i < n; i++) q += (y[i] as number) * (sy[i] as number);
  if (!(q > 0)) throw zeroVariance(tickers);
  const scale = 1 / Math.sqrt(q);
  for (let i = 0; i < n; i++) {
    y[i] = (y[i] as number) * scale;
    sy[i] = (sy[i] as number) * scale;
  }
  let careful = carefulRows(p, y, sy);
  const target = tolerance / 4;
  // Newton's cost in sweeps: a Cholesky factorisation (n^3 / 3 flops) is about n / 6 sweeps (2 n^2 flops each);
  // allow for several steps with their line searches.
  const newtonCost = 6 * (n / 6 + 4);
  const history: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let stalled = 0;
  for (let sweep = 1; sweep <= maxIterations; sweep++) {
    for (let i = 0; i < n; i++) {
      const sii = diag[i] as number;
      const yi = y[i] as number;
      const bi = b[i] as number;
      const c = careful[i] === 1 ? accurateDot(s, i * n, y, n, i) : (sy[i] as number) - sii * yi;
      const root = Math.sqrt(c * c + 4 * sii * bi);
      // The positive root of sii y^2 + c y - bi = 0, in the form without cancellation.
      const next = c >= 0 ? (2 * bi) / (c + root) : (root - c) / (2 * sii);
      const d = next - yi;
      if (d !== 0) {
        y[i] = next;
        kernel.axpy(i, d);
      }
    }
    if (sweep % REFRESH === 0) {
      kernel.multiply(y);
      careful = carefulRows(p, y, sy);
    }
    let err = relativeError(y, refineCareful(s, n, y, sy, careful), b);
    if (err <= target) {
      kernel.multiply(y);
      careful = carefulRows(p, y, sy);
      err = relativeError(y, refineCareful(s, n, y, sy, careful), b);
      if (err <= target) return { y, sweeps: sweep, newtonSteps: 0, careful };
    }
    // Below the guaranteed error, an error that no longer decreases is the rounding floor: stop there (the caller
    // measures and judges it). Above it, a slow phase is not a floor: go on.
    if (err < 0.999 * best) {
      best = err;
      stalled = 0;
    } else if (err <= GUARANTEED_TOLERANCE && ++stalled >= STALL) {
      return { y, sweeps: sweep, newtonSteps: 0, careful };
    }
    let total = 0;
    for (let i = 0; i < n; i++) total += y[i] as number;
    // w = y / sum y has variance (y'Sy) / (sum y)^2 with y'Sy near 1: a vanishing variance means no solution.
    if (total * total * minVariance > 1e14) throw zeroVariance(tickers);
    history.push(err);
    if (sweep >= 8) {
      const rate = (err / (history[sweep - 5] as number)) ** 0.25; // error ratio per sweep over the last four
      const remaining = rate < 1 ? Math.log(err / target) / -Math.log(rate) : Number.POSITIVE_INFINITY;
      if (remaining > newtonCost) {
        const out = newton(p, y);
        return { y: out.y, sweeps: sweep, newtonSteps: out.steps, careful: out.careful };
      }
    }
  }
  kernel.multiply(y);
  throw new SolverError(
    `risk budgeting did not reach the relative risk-contribution error ${fmt(tolerance)} in ${maxIterations} sweeps ` +
      `(error ${fmt(relativeError(y, refineCareful(s, n, y, sy, careful), b))}); raise maxIterations or the tolerance`,
  );
}

/**
 * Newton's method on f(y) = 1/2 y'Sy - sum b_i ln y_i from y (updated in place): gradient g = S y - b / y (careful
 * rows by compensated dot products), Hessian H = S + diag(b / y^2), step d = -H^-1 g by Cholesky, step length t the
 * largest of 1, 1/2, 1/4, ... (at most 0.99 of the way to the boundary y > 0) that satisfies Armijo's condition
 * f(y + t d) <= f(y) + 1e-4 t g'd, or, once the Newton decrement -g'd is below the rounding of f (1e-10 (1 + |f|)),
 * that lowers the relative error. Stops as the coordinate descent does, or when no step improves (the rounding
 * floor).
 */
function newton(p: Problem, y: Float64Array): { y: Float64Array; steps: number; careful: Uint8Array } {
  const { s, n, b, tolerance, tickers } = p;
  const target = tolerance / 4;
  const h = new Float64Array(n * n);
  const trial = new Float64Array(n);
  let best = Number.POSITIVE_INFINITY;
  let stalled = 0;
  let careful: Uint8Array = new Uint8Array(n);
  for (let step = 0; step <= MAX_NEWTON; step++) {
    const sy = multiply(s, n, y);
    careful = carefulRows(p, y, sy);
    refineCareful(s, n, y, sy, careful);
    const err = relativeError(y, sy, b);
    if (err <= target) return { y, steps: step, careful };
    if (err < 0.999 * best) {
      best = err;
      stalled = 0;
    } else if (err <= GUARANTEED_TOLERANCE && ++stalled >= 3) {
      return { y, steps: step, careful };
    }
    if (step === MAX_NEWTON) break;
    const g = new Float64Array(n);
    h.set(s);
    for (let i = 0; i < n; i++) {
      const yi = y[i] as number;
      const bi = b[i] as number;
      g[i] = (sy[i] as number) - bi / yi;
      h[i * n + i] = (h[i * n + i] as number) + bi / (yi * yi);
    }
    const l = tryCholesky(h, n);
    if (l === undefined) {
      throw new ValidationError(
        'the covariance is not positive semidefinite (its risk-budgeting problem is not convex): repair it or use a ' +
          'shrinkage estimate',
      );
    }
    const d = choleskySolve(l, n, g);
    let slope = 0;
    for (let i = 0; i < n; i++) {
      d[i] = -(d[i] as number);
      slope += (g[i] as number) * (d[i] as number);
    }
    let t = 1;
    for (let i = 0; i < n; i++) {
      const di = d[i] as number;
      if (di < 0) t = Math.min(t, (-0.99 * (y[i] as number)) / di);
    }
    const f0 = objective(n, b, y, sy);
    // Where the predicted decrease -g'd is below the rounding of f, Armijo's test cannot see it: the step is then
    // judged by the relative error instead (which Newton's quadratic convergence shrinks).
    const byError = -slope <= 1e-10 * (1 + Math.abs(f0));
    let accepted = false;
    for (let k = 0; k < 60 && !accepted; k++) {
      for (let i = 0; i < n; i++) trial[i] = (y[i] as number) + t * (d[i] as number);
      const st = multiply(s, n, trial);
      if (byError) {
        accepted = relativeError(trial, refineCareful(s, n, trial, st, careful), b) < err;
      } else {
        accepted = objective(n, b, trial, st) <= f0 + 1e-4 * t * slope;
      }
      if (!accepted) t /= 2;
    }
    if (!accepted) return { y, steps: step, careful }; // no step improves on y: the rounding floor
    y.set(trial);
    let total = 0;
    for (let i = 0; i < n; i++) total += y[i] as number;
    if (!Number.isFinite(total) || total * total * minDiagonal(s, n) > 1e14) throw zeroVariance(tickers);
  }
  throw new SolverError(
    `risk budgeting did not reach the relative risk-contribution error ${fmt(tolerance)} in ${MAX_NEWTON} Newton ` +
      'steps; raise the tolerance',
  );
}

/** f(y) = 1/2 y'(S y) - sum b_i ln y_i, given S y. */
function objective(n: number, b: Float64Array, y: Float64Array, sy: Float64Array): number {
  let quad = 0;
  let logs = 0;
  for (let i = 0; i < n; i++) {
    quad += (y[i] as number) * (sy[i] as number);
    logs += (b[i] as number) * Math.log(y[i] as number);
  }
  return 0.5 * quad - logs;
}

function minDiagonal(s: Float64Array, n: number): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) m = Math.min(m, s[i * n + i] as number);
  return m;
}

/** The negative entries of S row by row (CSR-like): row i's are `value[k]` at column `column[k]`, k in start[i].. */
interface NegativeEntries {
  readonly count: number;
  readonly start: Int32Array;
  readonly column: Int32Array;
  /** |S_ij| of each negative entry. */
  readonly value: Float64Array;
}

/** The negative entries of S by row (one pass). */
function negativeEntries(s: Float64Array, n: number): NegativeEntries {
  const start = new Int32Array(n + 1);
  const column: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < n; i++) {
    start[i] = column.length;
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const v = s[row + j] as number;
      if (v < 0) {
        column.push(j);
        value.push(-v);
      }
    }
  }
  start[n] = column.length;
  return { count: column.length, start, column: Int32Array.from(column), value: Float64Array.from(value) };
}

/**
 * The rows i whose sum (S y)_i cancels so much that plain floating-point evaluation could miss the tolerance: with
 * kappa_i = y_i (|S| y)_i / b_i, where (|S| y)_i = |(S y)_i| + 2 sum over the negative S_ij of |S_ij| y_j (the sum of
 * absolute terms against the target y_i (S y)_i = b_i), the rounding error of the relative contribution is about
 * sqrt(n) eps kappa_i; rows where that exceeds tolerance / 16 are evaluated with compensated dot products
 * (`accurateDot`). None when S has no negative entry (no cancellation at all).
 */
function carefulRows(p: Problem, y: Float64Array, sy: Float64Array): Uint8Array {
  const { n, b, tolerance, negatives } = p;
  const out = new Uint8Array(n);
  if (negatives.count === 0) return out;
  const limit = tolerance / 16 / (Math.sqrt(n) * Number.EPSILON);
  for (let i = 0; i < n; i++) {
    let neg = 0;
    for (let k = negatives.start[i] as number; k < (negatives.start[i + 1] as number); k++) {
      neg += (negatives.value[k] as number) * (y[negatives.column[k] as number] as number);
    }
    const abs = Math.abs(sy[i] as number) + 2 * neg;
    if (((y[i] as number) * abs) / (b[i] as number) > limit) out[i] = 1;
  }
  return out;
}

/** 2^27 + 1, Veltkamp's constant splitting a double into two 26-bit halves. */
const SPLITTER = 134217729;

/**
 * sum_{j != skip} a[row + j] y[j] as if computed in twice the working precision and rounded once: Dot2 of Ogita,
 * Rump & Oishi (2005, "Accurate sum and dot product", SIAM J. Sci. Comput. 26(6)), with Dekker's TwoProduct (by
 * Veltkamp splitting, as JavaScript has no fused multiply-add) and Knuth's TwoSum. `skip` = -1 keeps every term.
 */
function accurateDot(a: Float64Array, row: number, y: Float64Array, n: number, skip: number): number {
  let p = 0;
  let q = 0;
  for (let j = 0; j < n; j++) {
    if (j === skip) continue;
    const u = a[row + j] as number;
    const v = y[j] as number;
    const x = u * v;
    let t = SPLITTER * u;
    const uh = t - (t - u);
    const ul = u - uh;
    t = SPLITTER * v;
    const vh = t - (t - v);
    const vl = v - vh;
    const productError = ul * vl - (x - uh * vh - ul * vh - uh * vl);
    const sum = p + x;
    const z = sum - p;
    const sumError = p - (sum - z) + (x - z);
    p = sum;
    q += sumError + productError;
  }
  return p + q;
}

/** Overwrites the careful rows of sy = S y with compensated dot products (`accurateDot`); returns sy. */
function refineCareful(
  s: Float64Array,
  n: number,
  y: Float64Array,
  sy: Float64Array,
  careful: Uint8Array,
): Float64Array {
  for (let i = 0; i < n; i++) if (careful[i] === 1) sy[i] = accurateDot(s, i * n, y, n, -1);
  return sy;
}

/** max_i |y_i (S y)_i - b_i| / b_i, given S y. */
function relativeError(y: Float64Array, sy: Float64Array, b: Float64Array): number {
  let err = 0;
  for (let i = 0; i < y.length; i++) {
    const bi = b[i] as number;
    const e = Math.abs((y[i] as number) * (sy[i] as number) - bi) / bi;
    if (!(e <= err)) err = e; // also propagates NaN
  }
  return err;
}

/**
 * Risk contributions of w (see `riskContributionsOf`), the careful rows' (S w)_i by compensated dot products:
 * absolute `w_i (S w)_i / sqrt(V)`, relative `w_i (S w)_i / V`, and V = w'Sw (annual variance).
 */
function contributions(
  p: Problem,
  w: Float64Array,
  careful: Uint8Array,
): { absolute: Float64Array; relative: Float64Array; variance: number } {
  const { s, n } = p;
  const sw = refineCareful(s, n, w, p.kernel.multiply(w), careful);
  const terms = new Float64Array(n);
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const t = (w[i] as number) * (sw[i] as number);
    terms[i] = t;
    variance += t;
  }
  const vol = Math.sqrt(variance);
  const absolute = new Float64Array(n);
  const relative = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    absolute[i] = (terms[i] as number) / vol;
    relative[i] = (terms[i] as number) / variance;
  }
  return { absolute, relative, variance };
}

function zeroVariance(tickers: readonly string[]): InfeasibleError {
  const shown = tickers.slice(0, 10).join(', ') + (tickers.length > 10 ? ', ...' : '');
  return new InfeasibleError(
    `no risk-budgeting portfolio exists for ${shown}: the covariance is singular with a long-only portfolio of ` +
      '(almost) zero variance, whose risk cannot be split; drop an asset of the offsetting set or use a shrinkage ' +
      'covariance estimator',
  );
}

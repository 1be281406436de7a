/**
 * The mixed-integer program behind `allocateExact` (PyPortfolioOpt's `DiscreteAllocation.lp_portfolio`), on one side
 * of a portfolio given as plain arrays, solved by HiGHS through its structured model API. Validation, ordering and
 * reporting live in `discrete-allocation.ts`.
 */

import type { Highs } from 'highs';
import { PfoptError } from '../core/errors.js';
import { CASH_SLACK, type LotProblem, spentOn } from './discrete-allocation-greedy.js';

/** Solver limits of one MILP solve. */
export interface MilpLimits {
  /** Wall-clock limit in seconds (`Infinity`: none). */
  readonly timeLimit: number;
  /** Relative gap `|objective - bound| / |objective|` at which HiGHS may stop (0: prove optimality). */
  readonly relativeGap: number;
  /** Absolute gap `|objective - bound|` in currency at which HiGHS may stop. */
  readonly absoluteGap: number;
}

/** The outcome of one side's MILP. */
export interface MilpSideSolution {
  /** Lots per item (non-negative integers), in item order. */
  readonly lots: Float64Array;
  /** HiGHS's model status name (`optimal`, `timeLimit`, ...). */
  readonly status: string;
  /** Whether HiGHS proved optimality (within the gaps). */
  readonly optimal: boolean;
  /** HiGHS's lower bound on the objective (currency); equals the objective when optimal with zero gaps. */
  readonly bound: number;
}

/** Distance from a whole number beyond which a lot count from HiGHS is not accepted as integral. */
const INTEGRALITY_TOLERANCE = 1e-6;

/** Model statuses after which HiGHS may hold a usable feasible (not proven optimal) incumbent. */
const LIMIT_STATUSES = new Set(['timeLimit', 'iterationLimit', 'solutionLimit', 'interrupted', 'objectiveTarget']);

/**
 * Solves PyPortfolioOpt's `lp_portfolio` program on one side, with budget `B`, targets `t_k` and lot costs `c_k`,
 * over integer lots `x_k`, continuous `u_k` and the leftover cash `r` (all currency except `x`):
 *
 *     minimise   sum_k u_k + r
 *     subject to u_k >= t_k B - c_k x_k,   u_k >= c_k x_k - t_k B,   sum_k c_k x_k + r = B,   r >= 0,
 *                x_k integer in [0, floor(t_k B / c_k) + 1],   x_k = 0 where t_k = 0.
 *
 * The bounds on `x_k` are not in PyPortfolioOpt's program but leave its optimal value unchanged: removing one lot
 * from an item already at or above its target value lowers `u_k` by `c_k` and raises `r` by `c_k`, so every optimum
 * can be moved inside them. They keep HiGHS from spending spare cash on over-weight or zero-weight items, which the
 * objective does not penalise. `start` (for example the greedy lots) is passed to HiGHS as a first incumbent when it
 * lies inside the bounds and the budget. Returns the rounded lots, the status and HiGHS's bound; throws PfoptError
 * when HiGHS ends without a feasible solution or returns one that is not integral or overspends.
 */
export function solveLotMilp(
  highs: Highs,
  problem: LotProblem,
  limits: MilpLimits,
  start?: Float64Array,
): MilpSideSolution {
  const { targets, lotCosts, budget } = problem;
  const n = targets.length;
  // Items with a positive target become columns; the others stay at zero lots.
  const active: number[] = [];
  for (let k = 0; k < n; k++) if ((targets[k] as number) > 0) active.push(k);
  const m = active.length;
  const lots = new Float64Array(n);
  if (m === 0) return { lots, status: 'optimal', optimal: true, bound: budget };

  const numCols = 2 * m + 1;
  const numRows = 2 * m + 1;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(highs.infinity);
  const integrality = new Int32Array(numCols);
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows).fill(highs.infinity);
  // CSR: rows 2i and 2i+1 hold (x_i, u_i); the budget row holds every x and r.
  const starts = new Int32Array(numRows + 1);
  const indices = new Int32Array(4 * m + m + 1);
  const values = new Float64Array(4 * m + m + 1);
  let nz = 0;
  for (let i = 0; i < m; i++) {
    const k = active[i] as number;
    const c = lotCosts[k] as number;
    const target = (targets[k] as number) * budget;
    colUpper[i] = Math.floor(target / c) + 1;
    integrality[i] = highs.constants.variableType.integer;
    colCost[m + i] = 1;
    starts[2 * i] = nz;
    indices[nz] = i;
    values[nz++] = c;
    indices[nz] = m + i;
    values[nz++] = 1;
    rowLower[2 * i] = target;
    starts[2 * i + 1] = nz;
    indices[nz] = i;
    values[nz++] = -c;
    indices[nz] = m + i;
    values[nz++] = 1;
    rowLower[2 * i + 1] = -target;
  }
  colCost[2 * m] = 1;
  starts[2 * m] = nz;
  for (let i = 0; i < m; i++) {
    indices[nz] = i;
    values[nz++] = lotCosts[active[i] as number] as number;
  }
  indices[nz] = 2 * m;
  values[nz++] = 1;
  starts[2 * m + 1] = nz;
  rowLower[2 * m] = budget;
  rowUpper[2 * m] = budget;

  const model = highs.createModel({
    numCols,
    numRows,
    sense: highs.constants.objectiveSense.minimize,
    colCost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    matrix: { format: 'csr', numRows, numCols, starts, indices, values },
    integrality,
  });
  try {
    model.options.set({
      output_flag: false,
      mip_rel_gap: limits.relativeGap,
      mip_abs_gap: limits.absoluteGap,
      ...(Number.isFinite(limits.timeLimit) ? { time_limit: limits.timeLimit } : {}),
    });
    const initial = start === undefined ? undefined : startValues(problem, active, colUpper, start);
    if (initial !== undefined) model.setSolution({ colValue: initial });
    const code = model.run().modelStatus;
    const status = statusName(highs, code);
    const feasible = model.info.get('primal_solution_status') === highs.constants.solutionStatus.feasible;
    const optimal = code === highs.constants.modelStatus.optimal;
    if (!feasible || !(optimal || LIMIT_STATUSES.has(status))) {
      throw new PfoptError(
        `HiGHS ended the allocation program with status ${status} and no feasible allocation` +
          (status === 'timeLimit' ? '; allow a longer timeLimit' : ''),
      );
    }
    const x = model.getSolution().colValue;
    for (let i = 0; i < m; i++) {
      const value = x[i] as number;
      const whole = Math.round(value);
      if (Math.abs(value - whole) > INTEGRALITY_TOLERANCE) {
        throw new PfoptError(`HiGHS returned a non-integral lot count ${value}; the allocation cannot be used`);
      }
      lots[active[i] as number] = whole;
    }
    const overspend = spentOn(lots, lotCosts) - budget;
    if (overspend > CASH_SLACK * budget) {
      throw new PfoptError(`HiGHS returned an allocation that overspends the budget by ${overspend}`);
    }
    return { lots, status, optimal, bound: Number(model.info.get('mip_dual_bound')) };
  } finally {
    model.dispose();
  }
}

/** Column values [x, u, r] of the start lots, or undefined when they break the bounds or the budget. */
function startValues(
  problem: LotProblem,
  active: readonly number[],
  colUpper: Float64Array,
  start: Float64Array,
): Float64Array | undefined {
  const { targets, lotCosts, budget } = problem;
  const m = active.length;
  for (let k = 0; k < start.length; k++) if ((targets[k] as number) === 0 && start[k] !== 0) return undefined;
  const values = new Float64Array(2 * m + 1);
  let spent = 0;
  for (let i = 0; i < m; i++) {
    const k = active[i] as number;
    const x = start[k] as number;
    if (x < 0 || x > (colUpper[i] as number)) return undefined;
    const c = lotCosts[k] as number;
    values[i] = x;
    values[m + i] = Math.abs((targets[k] as number) * budget - x * c);
    spent += x * c;
  }
  if (spent > budget) return undefined;
  values[2 * m] = budget - spent;
  return values;
}

/** The name of a HiGHS model status code (`optimal`, `timeLimit`, ...). */
function statusName(highs: Highs, code: number): string {
  for (const [name, value] of Object.entries(highs.constants.modelStatus)) if (value === code) return name;
  return `unknown status ${code}`;
}

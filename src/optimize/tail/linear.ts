/**
 * The linear tail programs (CVaR, CDaR, MAD): model assembly, solving with HiGHS (LP, or MIP with cardinality limits),
 * and the checks that tie the answer to the measure. Columns: the weights w_1..w_n first, then the measure's auxiliary
 * columns, then the binaries of the cardinality limits. Rows: budget, sector limits, the return row mu'w >= floor
 * (with a target), the measure's scenario rows, the cap row measure <= cap (with a cap), the cardinality rows.
 *
 * Two programs per measure:
 * - minimise the measure (subject to mu'w >= floor when a target return is set);
 * - maximise mu'w subject to measure <= cap.
 * Every optimum is checked: HiGHS's certificate (lp.ts), then the measure recomputed from the weights alone must equal
 * the program's value of its linear expression (to 1e-9 relative), and the weights must meet the bounds, budget and
 * sector limits (verify.ts) and the cardinality limits.
 */

import type { Highs } from 'highs';
import { SolverError } from '../solvers/solver-error.js';
import {
  addCardinalityColumns,
  type CardinalityRows,
  cardinalityWeightEntries,
  declareCardinalityRows,
} from './cardinality.js';
import { type BuiltModel, ColumnModel, type MipLimits, type ProgramOutcome, solveLp, solveMip } from './lp.js';
import type { LinearMeasure } from './measure.js';
import { portfolioReturns } from './measures.js';
import type { NormalizedCardinality, NormalizedTail } from './problem.js';

/** What the program optimises. */
export type LinearGoal =
  | { readonly kind: 'min-measure'; readonly returnFloor?: number }
  | { readonly kind: 'max-return'; readonly cap: number };

/** An assembled program and where its parts are. */
interface Assembly {
  readonly built: BuiltModel;
  /** Row of the measure expression <= cap, or -1. */
  readonly capRow: number;
  /** First binary column, or -1. */
  readonly firstBinary: number;
}

/** Builds the program for a measure and a goal (with cardinality binaries when `cardinality` is given). */
function assemble(
  nt: NormalizedTail,
  measure: LinearMeasure,
  goal: LinearGoal,
  cardinality: NormalizedCardinality | undefined,
): Assembly {
  const { p, n } = nt;
  const model = new ColumnModel(measure.nonzeros + n * (3 + p.groups.length) + 16);
  const budgetRow = model.addRow(p.budget, p.budget);
  const sectorRows = p.groups.map((g) => model.addRow(g.lower, g.upper));
  const returnRow =
    goal.kind === 'min-measure' && goal.returnFloor !== undefined
      ? model.addRow(goal.returnFloor, Number.POSITIVE_INFINITY)
      : -1;
  measure.declareRows(model);
  const capRow = goal.kind === 'max-return' ? model.addRow(Number.NEGATIVE_INFINITY, goal.cap) : -1;
  const cardRows: CardinalityRows | undefined = cardinality ? declareCardinalityRows(model, p, cardinality) : undefined;
  const memberOf: number[][] = Array.from({ length: n }, () => []);
  p.groups.forEach((g, k) => {
    for (const i of g.members) (memberOf[i] as number[]).push(sectorRows[k] as number);
  });
  for (let j = 0; j < n; j++) {
    const cost = goal.kind === 'max-return' ? -(p.mu[j] as number) : 0;
    model.addColumn(cost, p.lower[j] as number, p.upper[j] as number);
    model.entry(budgetRow, 1);
    for (const r of memberOf[j] as number[]) model.entry(r, 1);
    if (returnRow >= 0) model.entry(returnRow, p.mu[j] as number);
    measure.weightEntries(model, j);
    if (cardRows) cardinalityWeightEntries(model, cardRows, j);
  }
  measure.addAuxiliary(model, goal.kind === 'min-measure' ? 1 : 0, capRow);
  const firstBinary = cardRows && cardinality ? addCardinalityColumns(model, p, cardinality, cardRows) : -1;
  return { built: model.build(), capRow, firstBinary };
}

/** The optimum of a linear tail program. */
export interface LinearSolution {
  /** Weights as the program returned them (not yet cleaned). */
  readonly weights: Float64Array;
  /** The measure recomputed from the weights (per period). */
  readonly measure: number;
  readonly iterations: number;
  /** False when a MIP stopped at its time limit with an incumbent. */
  readonly proven: boolean;
  /** Relative MIP gap at the end (0 for an LP). */
  readonly gap: number;
}

/**
 * Solves the program of `measure` for `goal`, returning the weights and the measure recomputed from them, or
 * 'infeasible' / 'unbounded'. With cardinality limits the MIP is solved, then the LP with the binaries fixed (exact
 * zeros for the assets not held). Throws SolverError when an answer fails its checks.
 */
export function solveLinear(
  highs: Highs,
  nt: NormalizedTail,
  measure: LinearMeasure,
  goal: LinearGoal,
  limits: MipLimits,
): LinearSolution | 'infeasible' | 'unbounded' {
  const cardinality = nt.cardinality;
  const what = `${goal.kind === 'min-measure' ? 'minimum' : 'maximum-return'} ${measure.label} program`;
  const assembly = assemble(nt, measure, goal, cardinality);
  let outcome: ProgramOutcome;
  let proven = true;
  let gap = 0;
  let iterations = 0;
  if (cardinality) {
    const mip = solveMip(highs, assembly.built, limits, `${what} with cardinality limits`);
    if (mip.status !== 'optimal') return mip.status;
    proven = mip.proven;
    gap = Number.isFinite(mip.bound)
      ? Math.abs(mip.objective - mip.bound) / Math.max(Math.abs(mip.objective), 1e-12)
      : 0;
    iterations += mip.iterations;
    outcome = solveLp(highs, fixIntegers(assembly.built, mip.x), `${what} on the chosen assets`);
    if (outcome.status !== 'optimal') {
      throw new SolverError(`the ${what} on the assets HiGHS chose is ${outcome.status}, though its MIP was feasible`);
    }
    if (outcome.objective > mip.objective + 1e-9 * Math.max(1, Math.abs(mip.objective))) {
      throw new SolverError(
        `the ${what} on the chosen assets has value ${outcome.objective}, worse than HiGHS's MIP value ${mip.objective}`,
      );
    }
  } else {
    outcome = solveLp(highs, assembly.built, what);
    if (outcome.status !== 'optimal') return outcome.status;
  }
  iterations += outcome.iterations;
  const x = outcome.x;
  const weights = x.slice(0, nt.n);
  const value = measure.value(portfolioReturns(nt.R, nt.T, weights));
  const expression = measureExpression(assembly.built, nt.n, x, goal, assembly.capRow);
  // Minimising, the program's expression is the measure of its weights. Under a cap (maximum return) the auxiliary
  // variables need not be tight where the cap does not bind, so the expression is only an upper bound of the measure.
  const tol = 1e-9 * Math.max(1, Math.abs(value));
  if (goal.kind === 'min-measure' ? Math.abs(value - expression) > tol : value > expression + tol) {
    throw new SolverError(
      `the ${measure.label} of HiGHS's weights is ${value}, but its program values it at ${expression}`,
    );
  }
  if (goal.kind === 'max-return' && value > goal.cap + 1e-9 * Math.max(1, Math.abs(goal.cap))) {
    throw new SolverError(`HiGHS's weights have ${measure.label} ${value}, above the cap ${goal.cap}`);
  }
  return { weights, measure: value, iterations, proven, gap };
}

/**
 * The program's value of the measure: its objective when minimising the measure, else the cap row's activity (the
 * same linear expression).
 */
function measureExpression(b: BuiltModel, n: number, x: Float64Array, goal: LinearGoal, capRow: number): number {
  if (goal.kind === 'min-measure') {
    let s = 0;
    for (let j = n; j < b.numCols; j++) s += (b.cost[j] as number) * (x[j] as number);
    return s;
  }
  let s = 0;
  for (let j = 0; j < b.numCols; j++) {
    for (let k = b.starts[j] as number; k < (b.starts[j + 1] as number); k++) {
      if (b.index[k] === capRow) s += (b.value[k] as number) * (x[j] as number);
    }
  }
  return s;
}

/** The model with every integer column fixed at its value in x and made continuous. */
function fixIntegers(b: BuiltModel, x: Float64Array): BuiltModel {
  const colLower = Float64Array.from(b.colLower);
  const colUpper = Float64Array.from(b.colUpper);
  for (let j = 0; j < b.numCols; j++) {
    if (b.integer[j] === 1) {
      colLower[j] = x[j] as number;
      colUpper[j] = x[j] as number;
    }
  }
  return { ...b, colLower, colUpper, integer: new Uint8Array(b.numCols) };
}

/**
 * The maximum of mu'w under the bounds, budget, sector limits and cardinality limits, by a MIP (used only with
 * cardinality limits; without them the dense simplex of the mean-variance code answers). Returns undefined when the
 * constraints cannot hold, Infinity when unbounded.
 */
export function maxReturnWithCardinality(highs: Highs, nt: NormalizedTail, limits: MipLimits): number | undefined {
  const { p, n } = nt;
  const cardinality = nt.cardinality as NormalizedCardinality;
  const model = new ColumnModel(n * (4 + p.groups.length));
  const budgetRow = model.addRow(p.budget, p.budget);
  const sectorRows = p.groups.map((g) => model.addRow(g.lower, g.upper));
  const rows = declareCardinalityRows(model, p, cardinality);
  const memberOf: number[][] = Array.from({ length: n }, () => []);
  p.groups.forEach((g, k) => {
    for (const i of g.members) (memberOf[i] as number[]).push(sectorRows[k] as number);
  });
  for (let j = 0; j < n; j++) {
    model.addColumn(-(p.mu[j] as number), p.lower[j] as number, p.upper[j] as number);
    model.entry(budgetRow, 1);
    for (const r of memberOf[j] as number[]) model.entry(r, 1);
    cardinalityWeightEntries(model, rows, j);
  }
  addCardinalityColumns(model, p, cardinality, rows);
  const out = solveMip(highs, model.build(), limits, 'maximum-return program with cardinality limits');
  if (out.status !== 'optimal') return out.status === 'infeasible' ? undefined : Number.POSITIVE_INFINITY;
  return -out.objective;
}

/**
 * The HiGHS engine: the mean-variance objectives on HiGHS's QP solver (WebAssembly), through its structured model
 * interface (sparse rows, lower-triangular Hessian, qp_regularization_value 1e-12), for every constraint pfopt knows:
 * bounds, budget, sectors, gross leverage, turnover and linear transaction costs.
 *
 * Absolute values enter through epigraph variables: d_i >= |w_i - w0_i| (rows d_i - w_i >= -w0_i and
 * d_i + w_i >= w0_i) for turnover and costs, t_i >= |w_i| for gross leverage; the Hessian 2 (a S + g I) lives on the
 * weights only. One model is kept per engine and modified between solves (Hessian only when the risk or L2
 * coefficient changes, costs and row bounds otherwise), which lets HiGHS start from its previous basis.
 *
 * The maximum Sharpe ratio uses the homogenised problem (Cornuejols & Tutuncu): with y = k w, k >= 0,
 * minimise y'(S + gamma I)y subject to mu'y - rf b k - c sum |y - k w0| >= 1, sum y = b k, lo k <= y <= hi k, the
 * sector rows and the leverage and turnover limits scaled by k; then w = y / k.
 */

import type { HessianInput, Highs, Model, ModelData, Solution } from 'highs';
import { explainInfeasibility, noExcessReturn, targetReturnTooHigh } from '../diagnose.js';
import type { NormalizedProblem } from '../problem.js';
import type { EngineSolution, MeanVarianceEngine, QuadraticForm } from './qp.js';
import { solveRiskTarget } from './risk-target.js';
import { SolverError } from './solver-error.js';

/** HiGHS model status codes used here. */
const OPTIMAL = 7;
const INFEASIBLE = 8;
const UNBOUNDED_OR_INFEASIBLE = 9;
const UNBOUNDED = 10;

/**
 * Options applied to every model. `time_limit` (seconds) bounds a run that would otherwise not end: HiGHS's QP solver
 * was once seen cycling for more than ten minutes on a singular covariance; stopped, it reports "time limit reached"
 * (a SolverError). Solves of 500 assets take about 0.1 s, so 60 s never cuts a run that would finish.
 */
const OPTIONS = {
  output_flag: false,
  time_limit: 60,
  qp_regularization_value: 1e-12,
  primal_feasibility_tolerance: 1e-10,
  dual_feasibility_tolerance: 1e-10,
  optimality_tolerance: 1e-10,
} as const;

/** Sparse rows under construction (CSR). */
class RowBuilder {
  readonly starts: number[] = [0];
  readonly indices: number[] = [];
  readonly values: number[] = [];
  readonly lower: number[] = [];
  readonly upper: number[] = [];
  add(cols: readonly number[], vals: readonly number[], lo: number, hi: number): number {
    for (let k = 0; k < cols.length; k++) {
      this.indices.push(cols[k] as number);
      this.values.push(vals[k] as number);
    }
    this.starts.push(this.indices.length);
    this.lower.push(lo);
    this.upper.push(hi);
    return this.lower.length - 1;
  }
  get count(): number {
    return this.lower.length;
  }
  /** The model of these rows over `cols` columns with their costs and bounds (and a Hessian for a QP). */
  model(
    cols: number,
    colCost: ModelData['colCost'],
    colLower: ModelData['colLower'],
    colUpper: ModelData['colUpper'],
    hessian: HessianInput | undefined,
  ): ModelData {
    return {
      numCols: cols,
      numRows: this.count,
      colCost,
      colLower,
      colUpper,
      rowLower: this.lower,
      rowUpper: this.upper,
      matrix: {
        format: 'csr',
        numRows: this.count,
        numCols: cols,
        starts: this.starts,
        indices: this.indices,
        values: this.values,
      },
      ...(hessian ? { hessian } : {}),
    };
  }
}

/** Column layout of a model. */
interface Layout {
  readonly cols: number;
  /** Offset of the scale variable k (homogenised model) or -1. */
  readonly k: number;
  /** Offset of the turnover epigraph d or -1. */
  readonly d: number;
  /** Offset of the leverage epigraph t or -1. */
  readonly t: number;
  /** Row of mu'w >= floor, of mu'w - c 1'd >= floor, and of sum d <= T (or -1). */
  readonly returnRow: number;
  readonly netReturnRow: number;
  readonly turnoverRow: number;
  readonly leverageRow: number;
}

/** The Hessian 2 (a S + g I) on the first n columns of a model with `cols` columns, lower triangle by column. */
function hessianInput(p: NormalizedProblem, cols: number, a: number, g: number): HessianInput | undefined {
  if (a === 0 && g === 0) return undefined;
  const n = p.n;
  const { cov } = p;
  const count = a === 0 ? n : (n * (n + 1)) / 2;
  const starts = new Int32Array(cols + 1);
  const indices = new Int32Array(count);
  const values = new Float64Array(count);
  let k = 0;
  for (let j = 0; j < n; j++) {
    starts[j] = k;
    if (a === 0) {
      indices[k] = j;
      values[k++] = 2 * g;
      continue;
    }
    const row = j * n;
    for (let i = j; i < n; i++) {
      indices[k] = i;
      values[k++] = 2 * a * (cov[row + i] as number) + (i === j ? 2 * g : 0);
    }
  }
  for (let j = n; j <= cols; j++) starts[j] = k;
  return { format: 'triangular', dimension: cols, starts, indices, values };
}

/** The HiGHS engine for one validated problem. */
export class HighsEngine implements MeanVarianceEngine {
  readonly name = 'highs' as const;
  readonly #highs: Highs;
  readonly #p: NormalizedProblem;
  readonly #inf: number;
  #model: Model | undefined;
  #layout: Layout | undefined;
  #form: QuadraticForm | undefined;
  #maxReturn: number | undefined;
  #maxNetReturn: number | undefined;
  #iterations = 0;

  constructor(highs: Highs, p: NormalizedProblem) {
    this.#highs = highs;
    this.#p = p;
    this.#inf = highs.infinity;
  }

  get #hasD(): boolean {
    return this.#p.currentWeights !== undefined && (this.#p.maxTurnover !== undefined || this.#p.transactionCost > 0);
  }

  get #hasT(): boolean {
    return this.#p.maxLeverage !== undefined && !this.#p.longOnly;
  }

  /** Builds the standard model data (weights w, epigraphs d and t) for a form. */
  #standardModel(form: QuadraticForm, withHessian: boolean): { data: ModelData; layout: Layout } {
    const p = this.#p;
    const n = p.n;
    const inf = this.#inf;
    const hasD = this.#hasD;
    const hasT = this.#hasT;
    const d = hasD ? n : -1;
    const t = hasT ? (hasD ? 2 * n : n) : -1;
    const cols = n + (hasD ? n : 0) + (hasT ? n : 0);
    const colCost = new Float64Array(cols);
    const colLower = new Float64Array(cols);
    const colUpper = new Float64Array(cols).fill(inf);
    for (let i = 0; i < n; i++) {
      colCost[i] = -form.ret * (p.mu[i] as number);
      colLower[i] = finite(p.lower[i] as number, inf);
      colUpper[i] = finite(p.upper[i] as number, inf);
    }
    if (hasD) for (let i = 0; i < n; i++) colCost[d + i] = form.cost;
    const rows = new RowBuilder();
    const all = Array.from({ length: n }, (_, i) => i);
    rows.add(all, new Array<number>(n).fill(1), p.budget, p.budget);
    for (const g of p.groups) {
      rows.add([...g.members], new Array<number>(g.members.length).fill(1), finite(g.lower, inf), finite(g.upper, inf));
    }
    const floor = form.returnFloor ?? -inf;
    const returnRow = rows.add(all, [...p.mu], floor, inf);
    let netReturnRow = -1;
    let turnoverRow = -1;
    let leverageRow = -1;
    if (hasD) {
      const w0 = p.currentWeights as Float64Array;
      netReturnRow = rows.add(
        [...all, ...all.map((i) => d + i)],
        [...p.mu, ...new Array<number>(n).fill(-p.transactionCost)],
        -inf,
        inf,
      );
      for (let i = 0; i < n; i++) {
        rows.add([i, d + i], [-1, 1], -(w0[i] as number), inf);
        rows.add([i, d + i], [1, 1], w0[i] as number, inf);
      }
      if (p.maxTurnover !== undefined) {
        turnoverRow = rows.add(
          all.map((i) => d + i),
          new Array<number>(n).fill(1),
          -inf,
          p.maxTurnover,
        );
      }
    }
    if (hasT) {
      for (let i = 0; i < n; i++) {
        rows.add([i, t + i], [-1, 1], 0, inf);
        rows.add([i, t + i], [1, 1], 0, inf);
      }
      leverageRow = rows.add(
        all.map((i) => t + i),
        new Array<number>(n).fill(1),
        -inf,
        p.maxLeverage as number,
      );
    }
    const hessian = withHessian ? hessianInput(p, cols, form.risk, form.l2) : undefined;
    const data = rows.model(cols, colCost, colLower, colUpper, hessian);
    return { data, layout: { cols, k: -1, d, t, returnRow, netReturnRow, turnoverRow, leverageRow } };
  }

  #createModel(data: ModelData): Model {
    const model = this.#highs.createModel(data);
    model.options.set({ ...OPTIONS, qp_nullspace_limit: Math.max(4000, data.numCols + 10) });
    return model;
  }

  /**
   * Runs a model; returns the column values, or throws for infeasible and failed solves. An "optimal" QP solution is
   * accepted only when it passes `checkOptimality` (HiGHS 1.15's QP solver can stop at a non-optimal point and still
   * report it optimal, with all duals zero).
   */
  #run(model: Model, context: () => never): Float64Array {
    runModel(model);
    const status = model.getModelStatus();
    this.#iterations += iterationCount(model);
    if (status === OPTIMAL) {
      const solution = model.getSolution();
      checkOptimality(model, solution);
      return solution.colValue;
    }
    if (status === INFEASIBLE || status === UNBOUNDED_OR_INFEASIBLE) context();
    if (status === UNBOUNDED) throw new SolverError('HiGHS reports the problem unbounded: set finite weight bounds');
    throw new SolverError(`HiGHS stopped with model status ${status} (${statusName(status)})`);
  }

  minimize(form: QuadraticForm): EngineSolution {
    const p = this.#p;
    const inf = this.#inf;
    const before = this.#iterations;
    if (!this.#model || !this.#layout || !this.#form) {
      const { data, layout } = this.#standardModel(form, true);
      this.#model = this.#createModel(data);
      this.#layout = layout;
    } else {
      const model = this.#model;
      const old = this.#form;
      const layout = this.#layout;
      if (old.risk !== form.risk || old.l2 !== form.l2) {
        const h = hessianInput(p, layout.cols, form.risk, form.l2);
        model.passHessian(
          h ?? {
            format: 'triangular',
            dimension: layout.cols,
            starts: new Int32Array(layout.cols + 1),
            indices: [],
            values: [],
          },
        );
      }
      if (old.ret !== form.ret || old.cost !== form.cost) {
        const cost = new Float64Array(layout.cols);
        for (let i = 0; i < p.n; i++) cost[i] = -form.ret * (p.mu[i] as number);
        if (layout.d >= 0) for (let i = 0; i < p.n; i++) cost[layout.d + i] = form.cost;
        model.changeColsCost({ kind: 'range', from: 0, to: layout.cols - 1 }, cost);
      }
      if (old.returnFloor !== form.returnFloor) model.changeRowBounds(layout.returnRow, form.returnFloor ?? -inf, inf);
    }
    this.#form = form;
    const x = this.#run(this.#model, () => this.#explainInfeasible(form.returnFloor));
    return { weights: x.slice(0, p.n), iterations: this.#iterations - before };
  }

  /** Solves the standard model with the net-return row at `floor` (and the current objective form). */
  #minimizeWithNetFloor(form: QuadraticForm, floor: number): EngineSolution {
    const sol = this.minimize(form);
    const layout = this.#layout as Layout;
    if (layout.netReturnRow < 0) return sol;
    const model = this.#model as Model;
    const before = this.#iterations;
    model.changeRowBounds(layout.netReturnRow, floor, this.#inf);
    try {
      const x = this.#run(model, () => this.#explainInfeasible(undefined));
      return { weights: x.slice(0, this.#p.n), iterations: sol.iterations + this.#iterations - before };
    } finally {
      model.changeRowBounds(layout.netReturnRow, -this.#inf, this.#inf);
    }
  }

  /** The maximum of mu'w (net = false) or mu'w - c sum |w - w0| (net = true), by an LP. */
  #maxLinear(net: boolean): { value: number; weights: Float64Array } {
    const p = this.#p;
    const { data } = this.#standardModel({ risk: 0, l2: 0, ret: 1, cost: net ? p.transactionCost : 0 }, false);
    const model = this.#createModel(data);
    try {
      runModel(model);
      const status = model.getModelStatus();
      this.#iterations += iterationCount(model);
      if (status === UNBOUNDED || status === UNBOUNDED_OR_INFEASIBLE) {
        if (status === UNBOUNDED_OR_INFEASIBLE) this.#explainInfeasible(undefined);
        return { value: Number.POSITIVE_INFINITY, weights: new Float64Array(p.n) };
      }
      if (status === INFEASIBLE) this.#explainInfeasible(undefined);
      if (status !== OPTIMAL)
        throw new SolverError(`HiGHS stopped with model status ${status} (${statusName(status)})`);
      const x = model.getSolution().colValue;
      return { value: -model.getObjectiveValue(), weights: x.slice(0, p.n) };
    } finally {
      model.dispose();
    }
  }

  maxReturn(): number {
    this.#maxReturn ??= this.#maxLinear(false).value;
    return this.#maxReturn;
  }

  #maxNet(): number {
    this.#maxNetReturn ??= this.#hasD && this.#p.transactionCost > 0 ? this.#maxLinear(true).value : this.maxReturn();
    return this.#maxNetReturn;
  }

  efficientReturn(target: number): EngineSolution {
    const max = this.maxReturn();
    if (target > max + 1e-12 * Math.max(1, Math.abs(max))) throw targetReturnTooHigh(target, max);
    const floor = Math.min(target, max);
    return this.minimize({ risk: 1, l2: this.#p.l2, ret: 0, cost: this.#p.transactionCost, returnFloor: floor });
  }

  frontier(targets: Float64Array): EngineSolution[] {
    return Array.from(targets, (r) => this.efficientReturn(r));
  }

  efficientRisk(sigma: number): EngineSolution {
    const p = this.#p;
    return solveRiskTarget(
      p,
      sigma,
      (f) => this.minimize(f),
      () => {
        if (p.l2 > 0) return this.minimize({ risk: 0, l2: p.l2, ret: 1, cost: p.transactionCost });
        // The maximisers of the (linear) net return form a face; take its least-variance point.
        const best = this.#maxNet();
        if (!Number.isFinite(best)) return undefined;
        const floor = best - 1e-12 * Math.max(1, Math.abs(best));
        if (this.#hasD && p.transactionCost > 0)
          return this.#minimizeWithNetFloor({ risk: 1, l2: 0, ret: 0, cost: 0 }, floor);
        return this.minimize({ risk: 1, l2: 0, ret: 0, cost: 0, returnFloor: floor });
      },
    );
  }

  maxSharpe(): EngineSolution {
    const p = this.#p;
    const hurdle = p.riskFreeRate * p.budget;
    const best = this.#maxNet();
    if (best - hurdle <= 1e-12 * Math.max(1, Math.abs(hurdle))) throw noExcessReturn(p, best);
    const before = this.#iterations;
    const { data, layout } = this.#homogenisedModel();
    const model = this.#createModel(data);
    try {
      const x = this.#run(model, () => this.#explainInfeasible(undefined));
      const k = x[layout.k] as number;
      if (!(k > 0)) throw new SolverError(`HiGHS returned a non-positive scale ${k} for the maximum Sharpe ratio`);
      const w = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++) w[i] = (x[i] as number) / k;
      return { weights: w, iterations: this.#iterations - before };
    } finally {
      model.dispose();
    }
  }

  /** The homogenised maximum-Sharpe model (see the module comment). */
  #homogenisedModel(): { data: ModelData; layout: Layout } {
    const p = this.#p;
    const n = p.n;
    const inf = this.#inf;
    const hasD = this.#hasD;
    const hasT = this.#hasT;
    const k = n;
    const d = hasD ? n + 1 : -1;
    const t = hasT ? n + 1 + (hasD ? n : 0) : -1;
    const cols = n + 1 + (hasD ? n : 0) + (hasT ? n : 0);
    const colCost = new Float64Array(cols);
    const colLower = new Float64Array(cols);
    const colUpper = new Float64Array(cols).fill(inf);
    for (let i = 0; i < n; i++) {
      colLower[i] = (p.lower[i] as number) >= 0 ? 0 : -inf;
      colUpper[i] = (p.upper[i] as number) <= 0 ? 0 : inf;
    }
    const rows = new RowBuilder();
    const all = Array.from({ length: n }, (_, i) => i);
    const excessCols = [...all, k];
    const excessVals = [...p.mu, -p.riskFreeRate * p.budget];
    if (hasD && p.transactionCost > 0) {
      for (let i = 0; i < n; i++) {
        excessCols.push(d + i);
        excessVals.push(-p.transactionCost);
      }
    }
    rows.add(excessCols, excessVals, 1, inf);
    rows.add([...all, k], [...new Array<number>(n).fill(1), -p.budget], 0, 0);
    for (let i = 0; i < n; i++) {
      const lo = p.lower[i] as number;
      const hi = p.upper[i] as number;
      if (Number.isFinite(hi)) rows.add([i, k], [1, -hi], -inf, 0);
      if (Number.isFinite(lo) && lo !== 0) rows.add([i, k], [1, -lo], 0, inf);
    }
    for (const g of p.groups) {
      const cols = [...g.members, k];
      if (Number.isFinite(g.upper)) rows.add(cols, [...new Array<number>(g.members.length).fill(1), -g.upper], -inf, 0);
      if (Number.isFinite(g.lower)) rows.add(cols, [...new Array<number>(g.members.length).fill(1), -g.lower], 0, inf);
    }
    if (hasD) {
      const w0 = p.currentWeights as Float64Array;
      for (let i = 0; i < n; i++) {
        rows.add([i, k, d + i], [-1, w0[i] as number, 1], 0, inf);
        rows.add([i, k, d + i], [1, -(w0[i] as number), 1], 0, inf);
      }
      if (p.maxTurnover !== undefined) {
        rows.add([...all.map((i) => d + i), k], [...new Array<number>(n).fill(1), -p.maxTurnover], -inf, 0);
      }
    }
    if (hasT) {
      for (let i = 0; i < n; i++) {
        rows.add([i, t + i], [-1, 1], 0, inf);
        rows.add([i, t + i], [1, 1], 0, inf);
      }
      rows.add([...all.map((i) => t + i), k], [...new Array<number>(n).fill(1), -(p.maxLeverage as number)], -inf, 0);
    }
    // CSR rows must list each column once and HiGHS wants sorted indices per row only for duplicates; ours are unique.
    const hessian = hessianInput(p, cols, 1, p.l2) as HessianInput;
    const data = rows.model(cols, colCost, colLower, colUpper, hessian);
    return {
      data,
      layout: { cols, k, d, t, returnRow: -1, netReturnRow: -1, turnoverRow: -1, leverageRow: -1 },
    };
  }

  /** Throws the InfeasibleError explaining why the constraints (possibly with a return floor) cannot hold. */
  #explainInfeasible(floor: number | undefined): never {
    explainInfeasibility(this.#p, floor, () => this.maxReturn());
  }

  totalIterations(): number {
    return this.#iterations;
  }

  dispose(): void {
    this.#model?.dispose();
    this.#model = undefined;
    this.#layout = undefined;
    this.#form = undefined;
  }
}

/** model.run(), with a native failure (HiGHS status -1, thrown as HighsError) turned into a SolverError. */
function runModel(model: Model): void {
  try {
    model.run();
  } catch (error) {
    throw new SolverError(
      `HiGHS failed to solve the model (${error instanceof Error ? error.message : String(error)}): use the active-set ` +
        'solver (solver "auto")',
      { cause: error },
    );
  }
}

function finite(v: number, inf: number): number {
  return v === Number.POSITIVE_INFINITY ? inf : v === Number.NEGATIVE_INFINITY ? -inf : v;
}

function iterationCount(model: Model): number {
  let total = 0;
  for (const key of ['qp_iteration_count', 'simplex_iteration_count']) {
    try {
      const v = model.info.get(key);
      total += typeof v === 'bigint' ? Number(v) : v > 0 ? v : 0;
    } catch {
      // not reported for this model kind
    }
  }
  return total;
}

function statusName(status: number): string {
  const names: Record<number, string> = {
    0: 'not set',
    1: 'load error',
    2: 'invalid model',
    3: 'presolve error',
    4: 'solve error',
    5: 'postsolve error',
    6: 'empty model',
    11: 'objective bound reached',
    12: 'objective target reached',
    13: 'time limit reached',
    14: 'iteration limit reached',
    15: 'unknown',
    17: 'interrupted',
  };
  return names[status] ?? 'unexpected';
}

/**
 * Verifies the KKT conditions of a HiGHS solution from its own duals: stationarity Q x + c - A'y - z = 0 (to 1e-7
 * relative to the gradient's scale), z_j >= 0 only at a lower bound and <= 0 only at an upper bound (0 in between),
 * and the same sign rules for the row duals y. Throws SolverError otherwise.
 */
export function checkOptimality(model: Model, solution: Solution): void {
  const data = model.getModel('csr');
  const n = data.numCols;
  const x = solution.colValue;
  const z = solution.colDual;
  const y = solution.rowDual;
  const grad = Float64Array.from(data.colCost);
  const h = data.hessian;
  if (h) {
    for (let j = 0; j < h.dimension; j++) {
      for (let k = h.starts[j] as number; k < (h.starts[j + 1] as number); k++) {
        const i = h.indices[k] as number;
        const v = h.values[k] as number;
        grad[i] = (grad[i] as number) + v * (x[j] as number);
        if (i !== j) grad[j] = (grad[j] as number) + v * (x[i] as number);
      }
    }
  }
  const residual = Float64Array.from(grad);
  const a = data.matrix;
  const activity = new Float64Array(data.numRows);
  for (let i = 0; i < data.numRows; i++) {
    for (let k = a.starts[i] as number; k < (a.starts[i + 1] as number); k++) {
      const j = a.indices[k] as number;
      residual[j] = (residual[j] as number) - (a.values[k] as number) * (y[i] as number);
      activity[i] = (activity[i] as number) + (a.values[k] as number) * (x[j] as number);
    }
  }
  let scale = 1e-3;
  for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(grad[j] as number));
  const tol = 1e-7 * scale;
  const ptol = 1e-9;
  let worst = 0;
  const sign = (value: number, dual: number, lo: number, hi: number): number => {
    const atLo = value <= lo + ptol * (1 + Math.abs(lo));
    const atHi = value >= hi - ptol * (1 + Math.abs(hi));
    if (atLo && atHi) return 0;
    if (atLo) return Math.max(0, -dual);
    if (atHi) return Math.max(0, dual);
    return Math.abs(dual);
  };
  for (let j = 0; j < n; j++) {
    worst = Math.max(worst, Math.abs((residual[j] as number) - (z[j] as number)));
    worst = Math.max(
      worst,
      sign(x[j] as number, z[j] as number, data.colLower[j] as number, data.colUpper[j] as number),
    );
  }
  for (let i = 0; i < data.numRows; i++) {
    worst = Math.max(
      worst,
      sign(activity[i] as number, y[i] as number, data.rowLower[i] as number, data.rowUpper[i] as number),
    );
  }
  if (worst > tol) {
    throw new SolverError(
      `HiGHS reported an optimal solution that fails the optimality conditions (violation ${worst.toExponential(2)} ` +
        `against a tolerance of ${tol.toExponential(2)}; a known HiGHS QP defect on some problems): use the active-set ` +
        'solver (solver "auto")',
    );
  }
}

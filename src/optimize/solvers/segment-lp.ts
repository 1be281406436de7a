/**
 * Linear programs over weights with the two piecewise-linear constraints of portfolio problems, turnover
 * sum |w_i - c_i| <= T and gross leverage sum |w_i| <= L, solved exactly with the small bounded simplex:
 *
 * Each weight is written from a reference point r_i (its turnover centre c_i, else 0, clipped into its bounds) as
 * w_i = r_i + sum_s d_s e_s, where the segment variables e_s in [0, length_s] cover the pieces between consecutive
 * breakpoints (bounds, c_i, 0) above (d_s = +1) and below (d_s = -1) r_i. On a piece, |w_i - c| changes at the rate
 * sign(mid_s - c) d_s, so sum |w_i - c_i| <= |r_i - c_i| + sum_s sign(mid_s - c_i) d_s e_s with equality when the
 * pieces next to r_i fill first, which some optimal solution always does. The constraints with the right-hand side
 * therefore describe exactly the feasible weights (a relaxation that is tight), and the rows stay few: budget,
 * sectors, turnover, leverage (and a return row when asked) over at most 3n segment columns.
 */

import { type DenseRows, type LpSolution, solveBoundedLp } from './simplex.js';

/** The piecewise-linear rows: turnover around `center` and gross leverage (either may be absent). */
export interface PiecewiseRows {
  readonly center: Float64Array | undefined;
  readonly maxTurnover: number | undefined;
  readonly maxLeverage: number | undefined;
}

/** Result in weight space. */
export interface SegmentLpSolution {
  readonly status: LpSolution['status'];
  /** Weights (a vertex of the segment LP mapped back). */
  readonly x: Float64Array;
  /** c'w at x (0 without a cost). */
  readonly objective: number;
  /** Phase-1 multipliers of the rows: the linear rows first, then turnover, then leverage (when present). */
  readonly rowDuals: Float64Array;
  readonly infeasibility: number;
  readonly iterations: number;
}

/**
 * Solves min cost'w (or finds a feasible w without a cost) subject to the bounds, the linear rows and the
 * piecewise-linear rows. With `minimizeRow`, minimises the turnover or the gross leverage instead (that row's limit
 * is then ignored; `objective` is the least value).
 */
export function solveSegmentLp(
  n: number,
  cost: Float64Array | undefined,
  lower: Float64Array,
  upper: Float64Array,
  rows: DenseRows,
  pw: PiecewiseRows,
  minimizeRow?: 'turnover' | 'leverage',
): SegmentLpSolution {
  const hasT = pw.maxTurnover !== undefined && pw.center !== undefined;
  const hasL = pw.maxLeverage !== undefined;
  if (!hasT && !hasL) {
    const lp = solveBoundedLp(n, cost, lower, upper, rows);
    return {
      status: lp.status,
      x: lp.x,
      objective: lp.objective,
      rowDuals: lp.rowDuals,
      infeasibility: lp.infeasibility,
      iterations: lp.iterations,
    };
  }
  // Segment columns.
  const owner: number[] = [];
  const dir: number[] = [];
  const len: number[] = [];
  const mids: number[] = [];
  const ref = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lo = lower[i] as number;
    const hi = upper[i] as number;
    const c = hasT ? ((pw.center as Float64Array)[i] as number) : 0;
    const r = Math.min(Math.max(hasT ? c : 0, lo), hi);
    ref[i] = r;
    const points = [lo, hi, r];
    if (hasT && c > lo && c < hi) points.push(c);
    if (hasL && lo < 0 && hi > 0) points.push(0);
    const sorted = [...new Set(points)].sort((a, b) => a - b);
    const at = sorted.indexOf(r);
    for (let k = at; k + 1 < sorted.length; k++) {
      const a = sorted[k] as number;
      const b = sorted[k + 1] as number;
      owner.push(i);
      dir.push(1);
      len.push(b - a);
      mids.push(Number.isFinite(b) ? (Number.isFinite(a) ? 0.5 * (a + b) : b - 1) : a + 1);
    }
    for (let k = at; k > 0; k--) {
      const a = sorted[k - 1] as number;
      const b = sorted[k] as number;
      owner.push(i);
      dir.push(-1);
      len.push(b - a);
      mids.push(Number.isFinite(a) ? (Number.isFinite(b) ? 0.5 * (a + b) : a + 1) : b - 1);
    }
  }
  const cols = owner.length;
  const m0 = rows.m;
  const m = m0 + (hasT ? 1 : 0) + (hasL ? 1 : 0);
  const A = new Float64Array(m * cols);
  const rlo = new Float64Array(m);
  const rhi = new Float64Array(m);
  for (let k = 0; k < m0; k++) {
    let shift = 0;
    for (let i = 0; i < n; i++) shift += (rows.A[k * n + i] as number) * (ref[i] as number);
    for (let s = 0; s < cols; s++)
      A[k * cols + s] = (rows.A[k * n + (owner[s] as number)] as number) * (dir[s] as number);
    rlo[k] = (rows.lower[k] as number) - shift;
    rhi[k] = (rows.upper[k] as number) - shift;
  }
  let k = m0;
  if (hasT) {
    const c = pw.center as Float64Array;
    let base = 0;
    for (let i = 0; i < n; i++) base += Math.abs((ref[i] as number) - (c[i] as number));
    for (let s = 0; s < cols; s++) {
      const i = owner[s] as number;
      A[k * cols + s] = Math.sign((mids[s] as number) - (c[i] as number)) * (dir[s] as number);
    }
    rlo[k] = Number.NEGATIVE_INFINITY;
    rhi[k] = (pw.maxTurnover as number) - base;
    k++;
  }
  if (hasL) {
    let base = 0;
    for (let i = 0; i < n; i++) base += Math.abs(ref[i] as number);
    for (let s = 0; s < cols; s++) A[k * cols + s] = Math.sign(mids[s] as number) * (dir[s] as number);
    rlo[k] = Number.NEGATIVE_INFINITY;
    rhi[k] = (pw.maxLeverage as number) - base;
  }
  let segCost = cost ? new Float64Array(cols) : undefined;
  let constant = 0;
  if (cost && segCost) {
    for (let s = 0; s < cols; s++) segCost[s] = (cost[owner[s] as number] as number) * (dir[s] as number);
    for (let i = 0; i < n; i++) constant += (cost[i] as number) * (ref[i] as number);
  }
  if (minimizeRow !== undefined) {
    const row = minimizeRow === 'turnover' ? m0 : m0 + (hasT ? 1 : 0);
    if ((minimizeRow === 'turnover' && !hasT) || (minimizeRow === 'leverage' && !hasL)) {
      throw new RangeError(`no ${minimizeRow} row to minimise`);
    }
    segCost = A.slice(row * cols, (row + 1) * cols);
    constant =
      (pw.maxTurnover !== undefined && minimizeRow === 'turnover'
        ? (pw.maxTurnover as number)
        : (pw.maxLeverage as number)) - (rhi[row] as number);
    rhi[row] = Number.POSITIVE_INFINITY;
  }
  const lp = solveBoundedLp(cols, segCost, new Float64Array(cols), Float64Array.from(len), {
    m,
    A,
    lower: rlo,
    upper: rhi,
  });
  if (minimizeRow !== undefined) {
    return {
      status: lp.status,
      x: ref,
      objective: lp.objective + constant,
      rowDuals: lp.rowDuals,
      infeasibility: lp.infeasibility,
      iterations: lp.iterations,
    };
  }
  const x = ref.slice();
  for (let s = 0; s < cols; s++) {
    const i = owner[s] as number;
    x[i] = (x[i] as number) + (dir[s] as number) * (lp.x[s] as number);
  }
  for (let i = 0; i < n; i++) x[i] = Math.min(Math.max(x[i] as number, lower[i] as number), upper[i] as number);
  let objective = 0;
  if (cost) for (let i = 0; i < n; i++) objective += (cost[i] as number) * (x[i] as number);
  return {
    status: lp.status,
    x,
    objective: lp.status === 'optimal' ? objective : lp.objective + constant,
    rowDuals: lp.rowDuals,
    infeasibility: lp.infeasibility,
    iterations: lp.iterations,
  };
}

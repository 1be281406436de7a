/**
 * A bounded-variable primal simplex method for linear programs with few general rows:
 *
 *   minimise c'x  subject to  l <= x <= u,  rlo <= A x <= rhi,
 *
 * with A dense m x n (m small: a budget row, sector rows, a return row), bounds possibly infinite. Each row gets a
 * logical variable s_i = a_i'x with bounds [rlo_i, rhi_i], so the constraints read A x - s = 0 and the basis is an
 * m x m matrix kept as an explicit inverse (product-form updates, re-inverted every 64 pivots). Phase 1 minimises the
 * sum of bound violations of the basic variables (stopping at the first breakpoint); phase 2 the cost. Dantzig
 * pricing, switching to Bland's rule after 50 degenerate pivots in a row.
 *
 * Its jobs: a feasible vertex (with a non-singular working set) to start the active-set QP solver from, the maximum
 * attainable return, and a Farkas certificate naming the rows in conflict when the constraints cannot all hold.
 */

import { SolverError } from './solver-error.js';

/** General linear rows rlo <= A x <= rhi over n variables; A is m x n row-major. */
export interface DenseRows {
  readonly m: number;
  readonly A: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Row states at a vertex or in an active set: inactive, at its lower bound, at its upper bound, an equality. */
export const ROW_INACTIVE = 0;
export const ROW_AT_LOWER = 1;
export const ROW_AT_UPPER = 2;
export const ROW_EQUALITY = 3;

/** Result of `solveBoundedLp`. */
export interface LpSolution {
  readonly status: 'optimal' | 'infeasible' | 'unbounded';
  /** Structural values (a vertex when optimal; the phase-1 end point when infeasible). */
  readonly x: Float64Array;
  /** c'x (0 without a cost). */
  readonly objective: number;
  /** Structural variables in the final basis: the free set of an active-set start. */
  readonly basic: Int32Array;
  /** For each row: which bound its logical variable sits at (Inactive when basic). */
  readonly rowStates: Int8Array;
  readonly iterations: number;
  /** Sum of bound violations left at the end of phase 1 (0 when feasible). */
  readonly infeasibility: number;
  /** Phase-1 multipliers pi of the rows when infeasible (a Farkas certificate: non-zero entries conflict). */
  readonly rowDuals: Float64Array;
  /** Phase-1 reduced costs of the structural variables when infeasible (non-zero: that bound is in the conflict). */
  readonly boundDuals: Float64Array;
}

const BASIC = 0;
const AT_LOWER = 1;
const AT_UPPER = 2;
const FREE_ZERO = 3;
const FIXED = 4;

/**
 * Solves min c'x s.t. lower <= x <= upper, rows.lower <= rows.A x <= rows.upper (without `cost`: finds a feasible
 * vertex). `preference` breaks pricing ties (lower value enters first), e.g. asset variances so that the first vertex
 * of a minimum-variance problem holds the least risky asset. Throws SolverError when the iteration limit is hit.
 */
export function solveBoundedLp(
  n: number,
  cost: Float64Array | undefined,
  lower: Float64Array,
  upper: Float64Array,
  rows: DenseRows,
  preference?: Float64Array,
): LpSolution {
  const m = rows.m;
  const A = rows.A;
  const nt = n + m;
  const lb = new Float64Array(nt);
  const ub = new Float64Array(nt);
  lb.set(lower, 0);
  ub.set(upper, 0);
  lb.set(rows.lower, n);
  ub.set(rows.upper, n);
  let scale = 1;
  for (let j = 0; j < nt; j++) {
    if (Number.isFinite(lb[j] as number)) scale = Math.max(scale, Math.abs(lb[j] as number));
    if (Number.isFinite(ub[j] as number)) scale = Math.max(scale, Math.abs(ub[j] as number));
  }
  const ftol = 1e-11 * scale;
  let cmax = 0;
  if (cost) for (let j = 0; j < n; j++) cmax = Math.max(cmax, Math.abs(cost[j] as number));
  const ptol = 1e-11;

  const state = new Int8Array(nt);
  const val = new Float64Array(nt);
  const head = new Int32Array(m);
  const binv = new Float64Array(m * m);
  for (let j = 0; j < n; j++) {
    const lo = lb[j] as number;
    const hi = ub[j] as number;
    if (lo === hi) {
      state[j] = FIXED;
      val[j] = lo;
    } else if (Number.isFinite(lo) && (!Number.isFinite(hi) || Math.abs(lo) <= Math.abs(hi))) {
      state[j] = AT_LOWER;
      val[j] = lo;
    } else if (Number.isFinite(hi)) {
      state[j] = AT_UPPER;
      val[j] = hi;
    } else {
      state[j] = FREE_ZERO;
      val[j] = 0;
    }
  }
  for (let i = 0; i < m; i++) {
    head[i] = n + i;
    state[n + i] = BASIC;
    binv[i * m + i] = -1;
  }
  const alpha = new Float64Array(m);
  const pi = new Float64Array(m);
  const cB = new Float64Array(m);
  const rhs = new Float64Array(m);
  const d = new Float64Array(nt);
  const work = new Float64Array(m * m);

  const recomputeBasics = (): void => {
    // B x_B = -N x_N, i.e. rhs_i = -(sum over nonbasic structurals A_ij x_j) + (nonbasic logical x_{n+i}).
    rhs.fill(0);
    for (let j = 0; j < n; j++) {
      if (state[j] === BASIC) continue;
      const v = val[j] as number;
      if (v === 0) continue;
      for (let i = 0; i < m; i++) rhs[i] = (rhs[i] as number) - (A[i * n + j] as number) * v;
    }
    for (let i = 0; i < m; i++) if (state[n + i] !== BASIC) rhs[i] = (rhs[i] as number) + (val[n + i] as number);
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += (binv[r * m + i] as number) * (rhs[i] as number);
      val[head[r] as number] = s;
    }
  };

  const reinvert = (): void => {
    // Gauss-Jordan with partial pivoting on [B | I].
    const B = work;
    for (let r = 0; r < m; r++) {
      const j = head[r] as number;
      for (let i = 0; i < m; i++) B[i * m + r] = j < n ? (A[i * n + j] as number) : i === j - n ? -1 : 0;
    }
    binv.fill(0);
    for (let i = 0; i < m; i++) binv[i * m + i] = 1;
    for (let c = 0; c < m; c++) {
      let p = c;
      for (let i = c + 1; i < m; i++) if (Math.abs(B[i * m + c] as number) > Math.abs(B[p * m + c] as number)) p = i;
      const pv = B[p * m + c] as number;
      if (Math.abs(pv) < 1e-14) throw new SolverError('the simplex basis became singular');
      if (p !== c) {
        for (let k = 0; k < m; k++) {
          let t = B[p * m + k] as number;
          B[p * m + k] = B[c * m + k] as number;
          B[c * m + k] = t;
          t = binv[p * m + k] as number;
          binv[p * m + k] = binv[c * m + k] as number;
          binv[c * m + k] = t;
        }
      }
      for (let k = 0; k < m; k++) {
        B[c * m + k] = (B[c * m + k] as number) / pv;
        binv[c * m + k] = (binv[c * m + k] as number) / pv;
      }
      for (let i = 0; i < m; i++) {
        if (i === c) continue;
        const f = B[i * m + c] as number;
        if (f === 0) continue;
        for (let k = 0; k < m; k++) {
          B[i * m + k] = (B[i * m + k] as number) - f * (B[c * m + k] as number);
          binv[i * m + k] = (binv[i * m + k] as number) - f * (binv[c * m + k] as number);
        }
      }
    }
  };

  recomputeBasics();
  const maxIterations = 50 * nt + 1000;
  let iterations = 0;
  let pivotsSinceInvert = 0;
  let degenerate = 0;
  let phase1 = true;
  let infeasibility = 0;

  for (;;) {
    if (iterations > maxIterations) {
      throw new SolverError(`the simplex method did not finish within ${maxIterations} iterations`);
    }
    // Costs of the basic variables: phase 1 (violations) or phase 2 (c).
    infeasibility = 0;
    for (let r = 0; r < m; r++) {
      const j = head[r] as number;
      const v = val[j] as number;
      if (v < (lb[j] as number) - ftol) {
        cB[r] = -1;
        infeasibility += (lb[j] as number) - v;
      } else if (v > (ub[j] as number) + ftol) {
        cB[r] = 1;
        infeasibility += v - (ub[j] as number);
      } else {
        cB[r] = 0;
      }
    }
    phase1 = infeasibility > 0;
    if (!phase1) {
      if (!cost) break;
      for (let r = 0; r < m; r++) {
        const j = head[r] as number;
        cB[r] = j < n ? (cost[j] as number) : 0;
      }
    }
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += (cB[r] as number) * (binv[r * m + i] as number);
      pi[i] = s;
    }
    const dtol = phase1 ? 1e-11 : 1e-11 * Math.max(cmax, 1e-300);
    const bland = degenerate > 50;
    let enter = -1;
    let best = 0;
    for (let j = 0; j < nt; j++) {
      const st = state[j] as number;
      if (st === BASIC || st === FIXED) continue;
      let dj: number;
      if (j < n) {
        let s = phase1 || !cost ? 0 : (cost[j] as number);
        for (let i = 0; i < m; i++) s -= (pi[i] as number) * (A[i * n + j] as number);
        dj = s;
      } else {
        dj = pi[j - n] as number;
      }
      d[j] = dj;
      const improving =
        (dj < -dtol && (st === AT_LOWER || st === FREE_ZERO)) || (dj > dtol && (st === AT_UPPER || st === FREE_ZERO));
      if (!improving) continue;
      if (bland) {
        enter = j;
        break;
      }
      const score = Math.abs(dj);
      if (
        enter < 0 ||
        score > best * (1 + 1e-12) ||
        (score >= best * (1 - 1e-12) &&
          preference !== undefined &&
          j < n &&
          (enter >= n || (preference[j] as number) < (preference[enter] as number)))
      ) {
        enter = j;
        best = score;
      }
    }
    if (enter < 0) {
      if (phase1) {
        return {
          status: 'infeasible',
          x: val.slice(0, n),
          objective: 0,
          basic: basicStructurals(),
          rowStates: rowStates(),
          iterations,
          infeasibility,
          rowDuals: pi.slice(),
          boundDuals: d.slice(0, n).map((v, j) => (state[j] === BASIC ? 0 : v)),
        };
      }
      break;
    }
    iterations++;
    const dir = (d[enter] as number) < 0 ? 1 : -1;
    // alpha = B^-1 a_enter.
    if (enter < n) {
      for (let r = 0; r < m; r++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += (binv[r * m + i] as number) * (A[i * n + enter] as number);
        alpha[r] = s;
      }
    } else {
      for (let r = 0; r < m; r++) alpha[r] = -(binv[r * m + (enter - n)] as number);
    }
    // Ratio test. Basic r changes by -dir * alpha_r per unit step.
    let theta = Number.POSITIVE_INFINITY;
    let leave = -1;
    let leaveAtUpper = false;
    let leaveScore = 0;
    for (let r = 0; r < m; r++) {
      const a = alpha[r] as number;
      if (Math.abs(a) <= ptol) continue;
      const delta = -dir * a;
      const j = head[r] as number;
      const v = val[j] as number;
      const lo = lb[j] as number;
      const hi = ub[j] as number;
      let limit = Number.POSITIVE_INFINITY;
      let atUpper = false;
      if (delta < 0) {
        if (phase1 && v > hi + ftol) {
          limit = (v - hi) / -delta;
          atUpper = true;
        } else if (v >= lo - ftol && Number.isFinite(lo)) {
          limit = Math.max(0, v - lo) / -delta;
        }
      } else if (phase1 && v < lo - ftol) {
        limit = (lo - v) / delta;
      } else if (v <= hi + ftol && Number.isFinite(hi)) {
        limit = Math.max(0, hi - v) / delta;
        atUpper = true;
      }
      if (!Number.isFinite(limit)) continue;
      const abs = Math.abs(a);
      const tie = Math.abs(limit - theta) <= 1e-12 * Math.max(1, Math.abs(theta));
      if (limit < theta && !tie) {
        theta = limit;
        leave = r;
        leaveAtUpper = atUpper;
        leaveScore = abs;
      } else if (tie && (bland ? (head[r] as number) < (head[leave] as number) : abs > leaveScore)) {
        theta = Math.min(theta, limit);
        leave = r;
        leaveAtUpper = atUpper;
        leaveScore = abs;
      }
    }
    const range = (ub[enter] as number) - (lb[enter] as number);
    const flip = range < theta * (1 - 1e-12) - 1e-15;
    if (flip) theta = range;
    if (!Number.isFinite(theta)) {
      if (phase1) throw new SolverError('the simplex phase 1 found an unbounded ray');
      return {
        status: 'unbounded',
        x: val.slice(0, n),
        objective: Number.NEGATIVE_INFINITY,
        basic: basicStructurals(),
        rowStates: rowStates(),
        iterations,
        infeasibility: 0,
        rowDuals: new Float64Array(m),
        boundDuals: new Float64Array(n),
      };
    }
    degenerate = theta <= 1e-13 * scale ? degenerate + 1 : 0;
    val[enter] = (val[enter] as number) + dir * theta;
    for (let r = 0; r < m; r++) {
      const j = head[r] as number;
      val[j] = (val[j] as number) - dir * (alpha[r] as number) * theta;
    }
    if (flip) {
      state[enter] = dir > 0 ? AT_UPPER : AT_LOWER;
      val[enter] = dir > 0 ? (ub[enter] as number) : (lb[enter] as number);
      continue;
    }
    const out = head[leave] as number;
    if ((lb[out] as number) === (ub[out] as number)) {
      state[out] = FIXED;
      val[out] = lb[out] as number;
    } else if (leaveAtUpper) {
      state[out] = AT_UPPER;
      val[out] = ub[out] as number;
    } else {
      state[out] = AT_LOWER;
      val[out] = lb[out] as number;
    }
    head[leave] = enter;
    state[enter] = BASIC;
    const pv = alpha[leave] as number;
    const rowL = leave * m;
    for (let k = 0; k < m; k++) binv[rowL + k] = (binv[rowL + k] as number) / pv;
    for (let r = 0; r < m; r++) {
      if (r === leave) continue;
      const f = alpha[r] as number;
      if (f === 0) continue;
      const row = r * m;
      for (let k = 0; k < m; k++) binv[row + k] = (binv[row + k] as number) - f * (binv[rowL + k] as number);
    }
    if (++pivotsSinceInvert >= 64) {
      reinvert();
      recomputeBasics();
      pivotsSinceInvert = 0;
    }
  }
  reinvert();
  recomputeBasics();
  const x = val.slice(0, n);
  // Clamp the basic structurals into their bounds (violations are at most ftol).
  for (let j = 0; j < n; j++) {
    if ((x[j] as number) < (lb[j] as number)) x[j] = lb[j] as number;
    if ((x[j] as number) > (ub[j] as number)) x[j] = ub[j] as number;
  }
  let objective = 0;
  if (cost) for (let j = 0; j < n; j++) objective += (cost[j] as number) * (x[j] as number);
  return {
    status: 'optimal',
    x,
    objective,
    basic: basicStructurals(),
    rowStates: rowStates(),
    iterations,
    infeasibility: 0,
    rowDuals: new Float64Array(m),
    boundDuals: new Float64Array(n),
  };

  function basicStructurals(): Int32Array {
    const out: number[] = [];
    for (let r = 0; r < m; r++) if ((head[r] as number) < n) out.push(head[r] as number);
    return Int32Array.from(out.sort((a, b) => a - b));
  }

  function rowStates(): Int8Array {
    const out = new Int8Array(m);
    for (let i = 0; i < m; i++) {
      const st = state[n + i] as number;
      out[i] =
        st === BASIC ? ROW_INACTIVE : st === FIXED ? ROW_EQUALITY : st === AT_UPPER ? ROW_AT_UPPER : ROW_AT_LOWER;
    }
    return out;
  }
}

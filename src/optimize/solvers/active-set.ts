/**
 * A primal active-set solver for strictly convex quadratic programs with box bounds, a few general rows and the
 * piecewise-linear terms of portfolio problems:
 *
 *   minimise 1/2 x'Hx + c'x + k sum_i |x_i - w0_i|
 *   subject to l <= x <= u,  rlo <= A x <= rhi  (A dense m x n, m small),
 *              sum_i |x_i - w0_i| <= T (turnover),  sum_i |x_i| <= L (gross leverage),
 *
 * specialised for portfolios, where most weights end at a bound (often 0) and only the held ("free") assets matter.
 *
 * The kinks w0_i and 0 split each weight's range into segments; on a segment every term is linear (the turnover and
 * leverage rows have coefficients sign(x_i - w0_i) and sign(x_i), the cost adds k sign(x_i - w0_i) to the gradient),
 * and a weight reaching a kink is fixed there like at a bound. A weight fixed at a kink is optimal when neither
 * direction improves: the one-sided derivatives of the Lagrangian satisfy D+ >= 0 >= D-.
 *
 * The working set fixes every non-free weight at a bound or kink; the equality-constrained subproblem over the free
 * set F is solved by the range-space method with a Cholesky factor L of H_FF:
 *
 *   H_FF p - A_WF' y = -g_F,   A_WF p = r_W      (g: gradient on the current segments, r_W: row residuals)
 *   u = L^-1 g_F,  Z = L^-1 A_WF',  (Z'Z) y = r_W + Z'u,  p = L^-T (Z y - u).
 *
 * L is updated, never refactorised, as the working set changes: a weight entering F appends a row (one forward solve,
 * O(|F|^2)); a weight leaving F deletes a row and column followed by a rank-one update of the trailing block
 * (O(|F|^2)). The gradient is kept for all n weights (O(n |F|) per step), so the multipliers of the fixed weights,
 * z_B = g_B - A_WB' y, cost O(n m). Everything lives in contiguous Float64Arrays.
 *
 * Optimality (KKT): g = A_W' y + z with z_j >= 0 at a lower bound, z_j <= 0 at an upper bound, y_i >= 0 for a row at
 * its lower limit and y_i <= 0 at its upper limit, D+ >= 0 >= D- at a kink. When the working set is optimal the
 * solution is refined once with the gradient recomputed from scratch, so the result does not carry the drift of the
 * incremental updates.
 */

import { solveSegmentLp } from './segment-lp.js';
import { type DenseRows, ROW_AT_LOWER, ROW_AT_UPPER, ROW_EQUALITY, ROW_INACTIVE, solveBoundedLp } from './simplex.js';
import { SolverError } from './solver-error.js';

/** The piecewise-linear terms: kinks at `center` (turnover, costs) and at 0 (leverage). */
export interface PiecewiseTerms {
  /** Current weights w0: the kinks of the turnover row and of the cost term; undefined when neither exists. */
  readonly center: Float64Array | undefined;
  /** k >= 0 in k sum |x - w0| (requires `center`). */
  readonly costWeight: number;
  /** Index among the rows of the turnover row sum |x - w0| <= upper, or -1. Its A entries are managed here. */
  readonly turnoverRow: number;
  /** Index among the rows of the leverage row sum |x| <= upper, or -1. Its A entries are managed here. */
  readonly leverageRow: number;
}

/** A quadratic program for the active-set solver. H must be positive definite on every free set it meets. */
export interface QpData {
  readonly n: number;
  /**
   * Hessian base, n x n row-major, symmetric: the Hessian is hScale * H + hShift * I, read on the fly (so a covariance
   * matrix serves every objective without a copy).
   */
  readonly H: Float64Array;
  /** Factor of H in the Hessian (default 1). */
  readonly hScale?: number;
  /** Added to the Hessian's diagonal (default 0). */
  readonly hShift?: number;
  /** Linear term. */
  readonly c: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** General rows, including the turnover and leverage rows named in `piecewise` (their coefficients are ignored). */
  readonly rows: DenseRows;
  readonly piecewise?: PiecewiseTerms;
}

/** Variable states. */
export const VAR_FREE = 0;
export const VAR_AT_LOWER = 1;
export const VAR_AT_UPPER = 2;
/** Fixed by equal bounds: never released. */
export const VAR_FIXED = 3;
/** Fixed at a kink (w0_i or 0). */
export const VAR_AT_KINK = 4;

/** The Cholesky factor of H_FF met a (numerically) zero pivot: the free assets' covariance is singular. */
export class SingularSubmatrixError extends SolverError {}

/** A snapshot of a working set and point, to warm-start another solve over the same constraints. */
export interface WarmStart {
  readonly x: Float64Array;
  readonly varStates: Int8Array;
  /** Segment of each free or bound-fixed weight; kink index of a weight at a kink. */
  readonly segments: Int8Array;
  readonly rowStates: Int8Array;
}

/** What the most violated multiplier asks to release. */
export interface Violation {
  readonly violation: number;
  /** Variable to release (-1: a row), and the direction (up: into the segment above). */
  readonly variable: number;
  readonly up: boolean;
  /** Position in the working rows of a row to release (-1: a variable). */
  readonly rowPos: number;
}

/** The active-set solver. Create it, start it (from a vertex, a point or a warm start), then `solve`. */
export class ActiveSetSolver {
  readonly n: number;
  readonly m: number;
  /** Hessian base: the Hessian is hScale * H + hShift * I. */
  readonly H: Float64Array;
  readonly hScale: number;
  readonly hShift: number;
  /** The rows (a private copy: the turnover and leverage rows hold the current segment signs). */
  readonly A: Float64Array;
  readonly lb: Float64Array;
  readonly ub: Float64Array;
  readonly rlo: Float64Array;
  readonly rhi: Float64Array;
  /** Linear term (may be changed between solves with `setLinear`). */
  readonly c: Float64Array;
  /** Current point. */
  readonly x: Float64Array;
  /** Gradient H x + c (without the cost kinks). */
  readonly g: Float64Array;
  /** Row activities (A x, or the sum of absolute values for the turnover and leverage rows). */
  readonly act: Float64Array;
  readonly varStates: Int8Array;
  /** Segment of each weight (see WarmStart). */
  readonly seg: Int8Array;
  readonly rowStates: Int8Array;
  /** Free variables in factor order: free[0..nf). */
  readonly free: Int32Array;
  nf = 0;
  /** Working rows in order: work[0..mw). */
  readonly work: Int32Array;
  mw = 0;
  /** Multipliers of the working rows, by position in `work`. */
  readonly y: Float64Array;
  /** Active-set iterations so far (all solves). */
  iterations = 0;
  /** Scale of the multipliers: max(max H_jj, max |c_j|, k). */
  dualScale = 1;
  /** Cost weight k of k sum |x - w0|. */
  costWeight: number;
  readonly center: Float64Array | undefined;
  readonly turnoverRow: number;
  readonly leverageRow: number;
  /** Number of kinks of each weight (0 to 2) and their values at kinkValues[2j], kinkValues[2j + 1]. */
  readonly kinkCount: Int8Array;
  readonly kinkValues: Float64Array;
  readonly hasKinks: boolean;

  /** Cholesky factor of H_FF, row-major with stride `cap`. */
  L: Float64Array;
  cap: number;
  /** Z = L^-1 A_WF', stored by working row: Z[k * cap + p]. */
  Z: Float64Array;
  /** Cholesky factor of M = Z'Z (mw x mw, stride m). */
  readonly M: Float64Array;
  readonly #diagH: Float64Array;
  readonly #tmpN: Float64Array;
  readonly #u: Float64Array;
  readonly #t: Float64Array;
  readonly #cs: Float64Array;

  constructor(qp: QpData) {
    const n = qp.n;
    const m = qp.rows.m;
    this.n = n;
    this.m = m;
    this.H = qp.H;
    this.hScale = qp.hScale ?? 1;
    this.hShift = qp.hShift ?? 0;
    this.A = Float64Array.from(qp.rows.A);
    this.lb = qp.lower;
    this.ub = qp.upper;
    this.rlo = qp.rows.lower;
    this.rhi = qp.rows.upper;
    this.c = Float64Array.from(qp.c);
    this.x = new Float64Array(n);
    this.g = new Float64Array(n);
    this.act = new Float64Array(m);
    this.varStates = new Int8Array(n);
    this.seg = new Int8Array(n);
    this.rowStates = new Int8Array(m);
    this.free = new Int32Array(n);
    this.work = new Int32Array(m);
    this.y = new Float64Array(m);
    this.cap = Math.min(n, 64);
    this.L = new Float64Array(this.cap * this.cap);
    this.Z = new Float64Array(Math.max(m, 1) * this.cap);
    this.M = new Float64Array(Math.max(m, 1) * Math.max(m, 1));
    this.#diagH = new Float64Array(n);
    for (let j = 0; j < n; j++) this.#diagH[j] = this.hScale * (this.H[j * n + j] as number) + this.hShift;
    this.#tmpN = new Float64Array(n);
    this.#u = new Float64Array(n);
    this.#t = new Float64Array(Math.max(m, 1));
    this.#cs = new Float64Array(2 * n);
    const pw = qp.piecewise;
    this.center = pw?.center;
    this.costWeight = pw?.costWeight ?? 0;
    this.turnoverRow = pw?.turnoverRow ?? -1;
    this.leverageRow = pw?.leverageRow ?? -1;
    if (this.costWeight > 0 && !this.center) throw new SolverError('a transaction cost needs current weights');
    if (this.turnoverRow >= 0 && !this.center) throw new SolverError('a turnover limit needs current weights');
    this.kinkCount = new Int8Array(n);
    this.kinkValues = new Float64Array(2 * n);
    let any = false;
    for (let j = 0; j < n; j++) {
      const lo = this.lb[j] as number;
      const hi = this.ub[j] as number;
      const points: number[] = [];
      if (this.center) points.push(this.center[j] as number);
      if (this.leverageRow >= 0) points.push(0);
      const inside = [...new Set(points.filter((v) => v > lo && v < hi))].sort((a, b) => a - b);
      this.kinkCount[j] = inside.length;
      inside.forEach((v, k) => {
        this.kinkValues[2 * j + k] = v;
      });
      if (inside.length > 0) any = true;
    }
    this.hasKinks = any;
    this.#updateDualScale();
  }

  #updateDualScale(): void {
    let s = this.costWeight;
    for (let j = 0; j < this.n; j++) s = Math.max(s, Math.abs(this.#diagH[j] as number), Math.abs(this.c[j] as number));
    this.dualScale = s > 0 ? s : 1;
  }

  // ---------------------------------------------------------------- segments

  /** Lower end of segment s of weight j (a bound or a kink). */
  segLo(j: number, s: number): number {
    return s === 0 ? (this.lb[j] as number) : (this.kinkValues[2 * j + s - 1] as number);
  }

  /** Upper end of segment s of weight j. */
  segHi(j: number, s: number): number {
    return s === this.kinkCount[j] ? (this.ub[j] as number) : (this.kinkValues[2 * j + s] as number);
  }

  /** A point strictly inside segment s of weight j (to read the signs of the piecewise terms there). */
  #mid(j: number, s: number): number {
    const a = this.segLo(j, s);
    const b = this.segHi(j, s);
    if (Number.isFinite(a) && Number.isFinite(b)) return 0.5 * (a + b);
    if (Number.isFinite(b)) return b - 1;
    if (Number.isFinite(a)) return a + 1;
    return 0;
  }

  /** sign(x_j - w0_j) on segment s (0 without a turnover/cost centre). */
  sigmaT(j: number, s: number): number {
    return this.center ? Math.sign(this.#mid(j, s) - (this.center[j] as number)) : 0;
  }

  /** sign(x_j) on segment s (0 without a leverage row). */
  sigmaL(j: number, s: number): number {
    return this.leverageRow >= 0 ? Math.sign(this.#mid(j, s)) : 0;
  }

  /** Coefficient of weight j in row i on segment s. */
  coefficient(i: number, j: number, s: number): number {
    if (i === this.turnoverRow) return this.sigmaT(j, s);
    if (i === this.leverageRow) return this.sigmaL(j, s);
    return this.A[i * this.n + j] as number;
  }

  /** Puts weight j on segment s: the turnover and leverage rows take that segment's signs. */
  #setSegment(j: number, s: number): void {
    this.seg[j] = s;
    if (this.turnoverRow >= 0) this.A[this.turnoverRow * this.n + j] = this.sigmaT(j, s);
    if (this.leverageRow >= 0) this.A[this.leverageRow * this.n + j] = this.sigmaL(j, s);
  }

  /** The segment holding value v of weight j (the lower one at a kink). */
  #segmentOf(j: number, v: number): number {
    const kc = this.kinkCount[j] as number;
    let s = 0;
    while (s < kc && v > (this.kinkValues[2 * j + s] as number)) s++;
    return s;
  }

  /**
   * The derivative of the Lagrangian along weight j on segment s, with gradient entry gj, cost weight k and row
   * multipliers y: gj + k sigmaT(j, s) - sum over working rows of y_w a_wj(s).
   */
  directional(j: number, s: number, gj: number, k: number, y: Float64Array): number {
    let d = gj + k * this.sigmaT(j, s);
    for (let w = 0; w < this.mw; w++) {
      const yw = y[w] as number;
      if (yw !== 0) d -= yw * this.coefficient(this.work[w] as number, j, s);
    }
    return d;
  }

  /** The cost-kink part of the gradient of free weight j: k sign(x_j - w0_j). */
  kinkGradient(j: number): number {
    return this.costWeight === 0 ? 0 : this.costWeight * this.sigmaT(j, this.seg[j] as number);
  }

  // ---------------------------------------------------------------- starts

  /** Replaces the linear term c (the working set and point are kept; the gradient is recomputed). */
  setLinear(c: ArrayLike<number>, costWeight = this.costWeight): void {
    for (let j = 0; j < this.n; j++) this.c[j] = c[j] as number;
    this.costWeight = costWeight;
    this.#updateDualScale();
    this.recomputeGradient();
  }

  /**
   * Starts from a vertex of the feasible set found by the simplex method (ties broken toward small H_jj). Returns
   * the LP outcome when the constraints cannot all hold.
   */
  startFromVertex(): { feasible: true } | { feasible: false; rowDuals: Float64Array; infeasibility: number } {
    const rowsLinear = this.turnoverRow < 0 && this.leverageRow < 0;
    if (rowsLinear) {
      const lp = solveBoundedLp(this.n, undefined, this.lb, this.ub, this.#linearRows(), this.#diagH);
      if (lp.status !== 'optimal') return { feasible: false, rowDuals: lp.rowDuals, infeasibility: lp.infeasibility };
      if (!this.hasKinks) {
        const states = new Int8Array(this.n);
        for (let j = 0; j < this.n; j++) states[j] = this.#boundState(j, lp.x[j] as number);
        for (const j of lp.basic) if (states[j] !== VAR_FIXED) states[j] = VAR_FREE;
        this.start({ x: lp.x, varStates: states, segments: new Int8Array(this.n), rowStates: lp.rowStates });
        return { feasible: true };
      }
      this.startFromPoint(lp.x);
      return { feasible: true };
    }
    const lp = solveSegmentLp(this.n, undefined, this.lb, this.ub, this.#linearRows(true), {
      center: this.center,
      maxTurnover: this.turnoverRow >= 0 ? (this.rhi[this.turnoverRow] as number) : undefined,
      maxLeverage: this.leverageRow >= 0 ? (this.rhi[this.leverageRow] as number) : undefined,
    });
    if (lp.status !== 'optimal') return { feasible: false, rowDuals: lp.rowDuals, infeasibility: lp.infeasibility };
    this.startFromPoint(lp.x);
    return { feasible: true };
  }

  /**
   * True when the problem is a box plus one budget row (all coefficients 1, an equality) without kinks: then an
   * interior start is available (`startFromInterior`).
   */
  interiorStartAvailable(): boolean {
    if (this.m !== 1 || this.hasKinks || this.turnoverRow >= 0 || this.leverageRow >= 0) return false;
    if ((this.rlo[0] as number) !== (this.rhi[0] as number)) return false;
    for (let j = 0; j < this.n; j++) if (this.A[j] !== 1) return false;
    return true;
  }

  /**
   * Starts from the Euclidean projection of the box centre onto {l <= x <= u, sum x = b}: x_i = clip(t_i - nu) with
   * t_i the middle of [l_i, u_i] (0 clipped into an unbounded one) and nu found by bisection so that the budget holds.
   * Most weights start strictly inside their bounds, which suits problems whose solution holds most assets
   * (long-short): the active-set iterations then only fix the few weights that end at a bound, instead of releasing
   * hundreds one by one from a vertex. Returns false (and starts nothing) when the budget cannot be met.
   */
  startFromInterior(): boolean {
    const n = this.n;
    const b = this.rlo[0] as number;
    const t = new Float64Array(n);
    let lo = 0;
    let hi = 0;
    for (let j = 0; j < n; j++) {
      const l = this.lb[j] as number;
      const u = this.ub[j] as number;
      const mid = Number.isFinite(l) && Number.isFinite(u) ? 0.5 * (l + u) : Math.min(Math.max(0, l), u);
      t[j] = mid;
      lo += l;
      hi += u;
    }
    if (b < lo || b > hi) return false;
    const sum = (nu: number): number => {
      let s = 0;
      for (let j = 0; j < n; j++)
        s += Math.min(Math.max((t[j] as number) - nu, this.lb[j] as number), this.ub[j] as number);
      return s;
    };
    // sum(nu) is non-increasing: bracket nu, then bisect to the last bit.
    let a = -1;
    let c = 1;
    while (sum(a) < b) a *= 2;
    while (sum(c) > b) c *= 2;
    for (let k = 0; k < 200 && c - a > 1e-16 * Math.max(1, Math.abs(a), Math.abs(c)); k++) {
      const mid = 0.5 * (a + c);
      if (sum(mid) >= b) a = mid;
      else c = mid;
    }
    const nu = 0.5 * (a + c);
    const x = new Float64Array(n);
    for (let j = 0; j < n; j++)
      x[j] = Math.min(Math.max((t[j] as number) - nu, this.lb[j] as number), this.ub[j] as number);
    this.startFromPoint(x);
    return true;
  }

  /** The linear rows (all rows, or without the turnover and leverage rows). */
  #linearRows(withoutPiecewise = false): DenseRows {
    if (!withoutPiecewise) return { m: this.m, A: this.A, lower: this.rlo, upper: this.rhi };
    const keep: number[] = [];
    for (let i = 0; i < this.m; i++) if (i !== this.turnoverRow && i !== this.leverageRow) keep.push(i);
    const A = new Float64Array(keep.length * this.n);
    keep.forEach((i, k) => {
      A.set(this.A.subarray(i * this.n, (i + 1) * this.n), k * this.n);
    });
    return {
      m: keep.length,
      A,
      lower: Float64Array.from(keep, (i) => this.rlo[i] as number),
      upper: Float64Array.from(keep, (i) => this.rhi[i] as number),
    };
  }

  #boundState(j: number, v: number): number {
    const lo = this.lb[j] as number;
    const hi = this.ub[j] as number;
    if (lo === hi) return VAR_FIXED;
    if (v <= lo) return VAR_AT_LOWER;
    if (v >= hi) return VAR_AT_UPPER;
    return VAR_FREE;
  }

  /**
   * Starts from a feasible point: weights within 1e-12 of a bound or kink are fixed there, the others are free, and
   * the rows active at the point join the working set when they are linearly independent of those already in it.
   */
  startFromPoint(point: ArrayLike<number>): void {
    const n = this.n;
    const states = new Int8Array(n);
    const segs = new Int8Array(n);
    const x = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const lo = this.lb[j] as number;
      const hi = this.ub[j] as number;
      let v = Math.min(Math.max(point[j] as number, lo), hi);
      const tol = 1e-12 * (1 + Math.abs(v));
      let st = VAR_FREE;
      let s = this.#segmentOf(j, v);
      if (lo === hi) st = VAR_FIXED;
      else if (v - lo <= tol) {
        st = VAR_AT_LOWER;
        v = lo;
        s = 0;
      } else if (hi - v <= tol) {
        st = VAR_AT_UPPER;
        v = hi;
        s = this.kinkCount[j] as number;
      } else {
        for (let k = 0; k < (this.kinkCount[j] as number); k++) {
          const kv = this.kinkValues[2 * j + k] as number;
          if (Math.abs(v - kv) <= tol) {
            st = VAR_AT_KINK;
            v = kv;
            s = k;
          }
        }
      }
      states[j] = st;
      segs[j] = s;
      x[j] = v;
    }
    this.#load(x, states, segs);
    for (let i = 0; i < this.m; i++) {
      const lo = this.rlo[i] as number;
      const hi = this.rhi[i] as number;
      const a = this.act[i] as number;
      const tol = 1e-11 * (1 + Math.abs(a));
      if (lo === hi || Math.abs(a - lo) <= tol) this.#tryAddRow(i, false);
      else if (Math.abs(a - hi) <= tol) this.#tryAddRow(i, true);
    }
  }

  /**
   * Starts from a feasible point and working set (a snapshot of an earlier solve over the same constraints, or a
   * vertex): weights in state FREE are free on their segment, the others are set exactly to their bound or kink;
   * rows in a non-inactive state form the working set (they must be independent on the free set).
   */
  start(ws: WarmStart): void {
    this.#load(ws.x, ws.varStates, ws.segments);
    for (let i = 0; i < this.m; i++) {
      const st = ws.rowStates[i] as number;
      if (st === ROW_INACTIVE) continue;
      this.rowStates[i] = st;
      this.work[this.mw] = i;
      this.mw++;
    }
    this.#recomputeZ();
    this.#factorM();
  }

  /** Sets point, states and segments, the gradient, and the factor of the free set; the working rows are empty. */
  #load(x: ArrayLike<number>, varStates: Int8Array, segments: Int8Array): void {
    const n = this.n;
    this.nf = 0;
    this.mw = 0;
    this.rowStates.fill(ROW_INACTIVE);
    for (let j = 0; j < n; j++) {
      let st = varStates[j] as number;
      const lo = this.lb[j] as number;
      const hi = this.ub[j] as number;
      const kc = this.kinkCount[j] as number;
      if (lo === hi) st = VAR_FIXED;
      this.varStates[j] = st;
      let s = Math.min(Math.max(segments[j] as number, 0), kc);
      if (st === VAR_FREE) {
        let v = x[j] as number;
        if (v < lo) v = lo;
        if (v > hi) v = hi;
        this.x[j] = v;
      } else if (st === VAR_AT_KINK) {
        s = Math.min(s, kc - 1);
        this.x[j] = this.kinkValues[2 * j + s] as number;
      } else if (st === VAR_AT_UPPER) {
        this.x[j] = hi;
        s = kc;
      } else {
        this.x[j] = lo;
        s = 0;
      }
      this.#setSegment(j, s);
    }
    this.recomputeGradient();
    for (let j = 0; j < n; j++) if (this.varStates[j] === VAR_FREE) this.#appendFree(j);
  }

  /** Adds row i to the working set unless it is (numerically) dependent on the working rows over the free set. */
  #tryAddRow(i: number, atUpper: boolean): boolean {
    if (this.rowDependent(i)) return false;
    this.addRow(i, atUpper);
    return true;
  }

  /**
   * True when the normal of row i over the free weights lies (numerically) in the span of the working rows' normals
   * there: a_iF = A_WF' c, so any step that keeps the working rows keeps row i's activity too (the row is implied;
   * for instance a sector holding every asset beside the budget, or a sector of one asset whose weight is fixed).
   * Such a row must not join the working set (M would become singular) and cannot block a step, which moves its
   * activity only by the working rows' rounding-level residual corrections. The test is the Schur complement of the
   * row against M = Z'Z: the share of L^-1 a_iF outside the span of Z, at most 1e-10 in squared norm.
   */
  rowDependent(i: number): boolean {
    const { n, free, cap, m } = this;
    const nf = this.nf;
    const b = this.#tmpN;
    for (let r = 0; r < nf; r++) b[r] = this.A[i * n + (free[r] as number)] as number;
    const z = this.#u;
    this.#forward(b, z);
    let zz = 0;
    for (let r = 0; r < nf; r++) zz += (z[r] as number) * (z[r] as number);
    if (!(zz > 0)) return true;
    // Schur complement of the row against the current M = L_M L_M'.
    const v = this.#t;
    let vv = 0;
    for (let a = 0; a < this.mw; a++) {
      let s = 0;
      for (let r = 0; r < nf; r++) s += (this.Z[a * cap + r] as number) * (z[r] as number);
      for (let k = 0; k < a; k++) s -= (this.M[a * m + k] as number) * (v[k] as number);
      const va = s / (this.M[a * m + a] as number);
      v[a] = va;
      vv += va * va;
    }
    return !(zz - vv > 1e-10 * zz);
  }

  /** A copy of the current point and working set. */
  snapshot(): WarmStart {
    return {
      x: this.x.slice(),
      varStates: this.varStates.slice(),
      segments: this.seg.slice(),
      rowStates: this.rowStates.slice(),
    };
  }

  /** g = H x + c and the row activities from scratch (O(n * nnz(x)) and O(m n)). */
  recomputeGradient(): void {
    const { n, m, H, A, x, g, act } = this;
    g.set(this.c);
    for (let j = 0; j < n; j++) {
      const xj = x[j] as number;
      if (xj === 0) continue;
      // H is symmetric: column j is row j.
      const row = j * n;
      const f = this.hScale * xj;
      for (let i = 0; i < n; i++) g[i] = (g[i] as number) + (H[row + i] as number) * f;
      g[j] = (g[j] as number) + this.hShift * xj;
    }
    for (let i = 0; i < m; i++) {
      let s = 0;
      if (i === this.turnoverRow) {
        const c = this.center as Float64Array;
        for (let j = 0; j < n; j++) s += Math.abs((x[j] as number) - (c[j] as number));
      } else if (i === this.leverageRow) {
        for (let j = 0; j < n; j++) s += Math.abs(x[j] as number);
      } else {
        const ai = i * n;
        for (let j = 0; j < n; j++) s += (A[ai + j] as number) * (x[j] as number);
      }
      act[i] = s;
    }
  }

  // ---------------------------------------------------------------- factor maintenance

  #ensureCapacity(size: number): void {
    if (size <= this.cap) return;
    const cap = Math.min(this.n, Math.max(size, this.cap * 2));
    const L = new Float64Array(cap * cap);
    for (let i = 0; i < this.nf; i++) L.set(this.L.subarray(i * this.cap, i * this.cap + i + 1), i * cap);
    const Z = new Float64Array(Math.max(this.m, 1) * cap);
    for (let k = 0; k < this.mw; k++) Z.set(this.Z.subarray(k * this.cap, k * this.cap + this.nf), k * cap);
    this.L = L;
    this.Z = Z;
    this.cap = cap;
  }

  /** Appends variable j to the free set: a new last row of L (and of each Z row). */
  #appendFree(j: number): void {
    this.#ensureCapacity(this.nf + 1);
    const { H, L, cap, free, n } = this;
    const nf = this.nf;
    const row = nf * cap;
    const hj = j * n;
    let sq = 0;
    for (let r = 0; r < nf; r++) {
      const rr = r * cap;
      let s = this.hScale * (H[hj + (free[r] as number)] as number);
      for (let k = 0; k < r; k++) s -= (L[rr + k] as number) * (L[row + k] as number);
      const v = s / (L[rr + r] as number);
      L[row + r] = v;
      sq += v * v;
    }
    const hjj = this.hScale * (H[hj + j] as number) + this.hShift;
    const d2 = hjj - sq;
    if (!(d2 > 1e-13 * hjj) || !(hjj > 0)) {
      throw new SingularSubmatrixError(
        `the covariance restricted to the held assets is singular (pivot ${d2.toExponential(3)} for variance ${hjj.toExponential(3)})`,
      );
    }
    const d = Math.sqrt(d2);
    L[row + nf] = d;
    free[nf] = j;
    this.nf = nf + 1;
    // Z rows gain one entry: (a_kj - l'Z_k) / d.
    const { Z, A, work } = this;
    for (let k = 0; k < this.mw; k++) {
      const zr = k * cap;
      let s = A[(work[k] as number) * n + j] as number;
      for (let r = 0; r < nf; r++) s -= (L[row + r] as number) * (Z[zr + r] as number);
      Z[zr + nf] = s / d;
    }
  }

  /** Removes the free variable at factor position p: delete row/column p of L and update the trailing block. */
  #removeFree(p: number): void {
    const { L, cap, free } = this;
    const nf = this.nf;
    const cs = this.#cs; // c_k at cs[2k], s_k at cs[2k+1]
    for (let i = p + 1; i < nf; i++) {
      const ri = i * cap;
      let vi = L[ri + p] as number;
      for (let k = p + 1; k < i; k++) {
        const ck = cs[2 * k] as number;
        const sk = cs[2 * k + 1] as number;
        const lik = ((L[ri + k] as number) + sk * vi) / ck;
        vi = ck * vi - sk * lik;
        L[ri + k] = lik;
      }
      const lii = L[ri + i] as number;
      const r = Math.sqrt(lii * lii + vi * vi);
      cs[2 * i] = r / lii;
      cs[2 * i + 1] = vi / lii;
      L[ri + i] = r;
      // Shift row i into row i - 1, dropping column p.
      const dst = (i - 1) * cap;
      for (let k = 0; k < p; k++) L[dst + k] = L[ri + k] as number;
      for (let k = p + 1; k <= i; k++) L[dst + k - 1] = L[ri + k] as number;
    }
    for (let q = p + 1; q < nf; q++) free[q - 1] = free[q] as number;
    this.nf = nf - 1;
    this.#recomputeZ();
  }

  /** Forward solve L out = b over the first nf entries (row access). */
  #forward(b: Float64Array, out: Float64Array): void {
    const { L, cap } = this;
    const nf = this.nf;
    for (let r = 0; r < nf; r++) {
      const rr = r * cap;
      let s = b[r] as number;
      for (let k = 0; k < r; k++) s -= (L[rr + k] as number) * (out[k] as number);
      out[r] = s / (L[rr + r] as number);
    }
  }

  /** Backward solve L' out = v (v is overwritten). */
  #backward(v: Float64Array, out: Float64Array): void {
    const { L, cap } = this;
    for (let i = this.nf - 1; i >= 0; i--) {
      const ri = i * cap;
      const xi = (v[i] as number) / (L[ri + i] as number);
      out[i] = xi;
      if (xi !== 0) for (let k = 0; k < i; k++) v[k] = (v[k] as number) - (L[ri + k] as number) * xi;
    }
  }

  #recomputeZ(): void {
    const { Z, cap, A, n, work, free } = this;
    const nf = this.nf;
    const b = this.#tmpN;
    const out = this.#u;
    for (let k = 0; k < this.mw; k++) {
      const ai = (work[k] as number) * n;
      for (let r = 0; r < nf; r++) b[r] = A[ai + (free[r] as number)] as number;
      this.#forward(b, out);
      Z.set(out.subarray(0, nf), k * cap);
    }
  }

  /** Cholesky of M = Z'Z; SolverError when the working rows are dependent on the free set. */
  #factorM(): void {
    const { Z, cap, M, m } = this;
    const mw = this.mw;
    const nf = this.nf;
    for (let a = 0; a < mw; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        const za = a * cap;
        const zb = b * cap;
        for (let r = 0; r < nf; r++) s += (Z[za + r] as number) * (Z[zb + r] as number);
        M[a * m + b] = s;
      }
    }
    for (let a = 0; a < mw; a++) {
      const diag0 = M[a * m + a] as number;
      for (let b = 0; b <= a; b++) {
        let s = M[a * m + b] as number;
        for (let k = 0; k < b; k++) s -= (M[a * m + k] as number) * (M[b * m + k] as number);
        if (a === b) {
          if (!(s > 1e-14 * diag0) || !(diag0 > 0)) {
            throw new SolverError('the working constraints became linearly dependent on the held assets');
          }
          M[a * m + a] = Math.sqrt(s);
        } else {
          M[a * m + b] = s / (M[b * m + b] as number);
        }
      }
    }
  }

  /** Solves M y = t in place (t -> y). */
  #solveM(t: Float64Array): void {
    const { M, m } = this;
    const mw = this.mw;
    for (let a = 0; a < mw; a++) {
      let s = t[a] as number;
      for (let k = 0; k < a; k++) s -= (M[a * m + k] as number) * (t[k] as number);
      t[a] = s / (M[a * m + a] as number);
    }
    for (let a = mw - 1; a >= 0; a--) {
      let s = t[a] as number;
      for (let k = a + 1; k < mw; k++) s -= (M[k * m + a] as number) * (t[k] as number);
      t[a] = s / (M[a * m + a] as number);
    }
  }

  /**
   * The equality-constrained step over the working set: solves H_FF p - A_WF' y = -q, A_WF p = r for p (in factor
   * order, length nf) and y (length mw). `q` is indexed in factor order; `q` is not modified.
   *
   * Returns ||Z y - u|| / ||u|| with u = L^-1 q (0 when q = 0): with r = 0 this is the share of q that the working
   * rows do not absorb, i.e. the size of the step relative to the unconstrained one in the metric of H_FF. It is
   * rounding when q lies in the span of the working rows' normals (for instance when the rows pin every free weight),
   * where the exact step is zero.
   */
  eqp(q: Float64Array, r: Float64Array, p: Float64Array, y: Float64Array): number {
    const nf = this.nf;
    const mw = this.mw;
    const { Z, cap } = this;
    const u = this.#u;
    this.#forward(q, u);
    const t = this.#t;
    for (let k = 0; k < mw; k++) {
      let s = r[k] as number;
      const zr = k * cap;
      for (let i = 0; i < nf; i++) s += (Z[zr + i] as number) * (u[i] as number);
      t[k] = s;
    }
    this.#solveM(t);
    for (let k = 0; k < mw; k++) y[k] = t[k] as number;
    const v = this.#tmpN;
    for (let i = 0; i < nf; i++) v[i] = -(u[i] as number);
    for (let k = 0; k < mw; k++) {
      const yk = t[k] as number;
      if (yk === 0) continue;
      const zr = k * cap;
      for (let i = 0; i < nf; i++) v[i] = (v[i] as number) + (Z[zr + i] as number) * yk;
    }
    let uu = 0;
    let vv = 0;
    for (let i = 0; i < nf; i++) {
      uu += (u[i] as number) * (u[i] as number);
      vv += (v[i] as number) * (v[i] as number);
    }
    this.#backward(v, p);
    return uu > 0 ? Math.sqrt(vv / uu) : 0;
  }

  // ---------------------------------------------------------------- working-set changes

  /**
   * Fixes the free weight at factor position `pos` at the end of its segment it moves toward: a bound, or a kink
   * (snapping x exactly).
   */
  fixVariable(pos: number, up: boolean): void {
    const j = this.free[pos] as number;
    const s = this.seg[j] as number;
    const kc = this.kinkCount[j] as number;
    let value: number;
    let state: number;
    let newSeg: number;
    if (up) {
      value = this.segHi(j, s);
      state = s === kc ? VAR_AT_UPPER : VAR_AT_KINK;
      newSeg = s;
    } else {
      value = this.segLo(j, s);
      state = s === 0 ? VAR_AT_LOWER : VAR_AT_KINK;
      newSeg = s === 0 ? 0 : s - 1;
    }
    const delta = value - (this.x[j] as number);
    this.x[j] = value;
    if (delta !== 0) this.#addColumn(j, delta);
    this.varStates[j] = state;
    this.seg[j] = newSeg;
    this.#removeFree(pos);
    this.#factorM();
  }

  /** Releases fixed weight j into the free set, moving up (into the segment above) or down. */
  releaseVariable(j: number, up: boolean): void {
    const st = this.varStates[j] as number;
    const kc = this.kinkCount[j] as number;
    let s: number;
    if (st === VAR_AT_LOWER) s = 0;
    else if (st === VAR_AT_UPPER) s = kc;
    else s = up ? (this.seg[j] as number) + 1 : (this.seg[j] as number);
    this.#setSegment(j, s);
    this.varStates[j] = VAR_FREE;
    this.#appendFree(j);
    this.#factorM();
  }

  /** Adds row i to the working set at its lower or upper limit. */
  addRow(i: number, atUpper: boolean): void {
    const lo = this.rlo[i] as number;
    const hi = this.rhi[i] as number;
    this.rowStates[i] = lo === hi ? ROW_EQUALITY : atUpper ? ROW_AT_UPPER : ROW_AT_LOWER;
    this.work[this.mw] = i;
    this.y[this.mw] = 0;
    this.mw++;
    const { A, n, free, cap } = this;
    const b = this.#tmpN;
    for (let r = 0; r < this.nf; r++) b[r] = A[i * n + (free[r] as number)] as number;
    this.#forward(b, this.#u);
    this.Z.set(this.#u.subarray(0, this.nf), (this.mw - 1) * cap);
    this.#factorM();
  }

  /** Removes the working row at position k. */
  releaseRow(k: number): void {
    const i = this.work[k] as number;
    this.rowStates[i] = ROW_INACTIVE;
    const { Z, cap } = this;
    for (let q = k + 1; q < this.mw; q++) {
      this.work[q - 1] = this.work[q] as number;
      Z.copyWithin((q - 1) * cap, q * cap, q * cap + this.nf);
      this.y[q - 1] = this.y[q] as number;
    }
    this.mw--;
    this.#factorM();
  }

  /** g += delta H[:, j], act += delta A[:, j] (within weight j's current segment). */
  #addColumn(j: number, delta: number): void {
    const { H, g, n, A, act, m } = this;
    const row = j * n;
    const f = this.hScale * delta;
    for (let i = 0; i < n; i++) g[i] = (g[i] as number) + (H[row + i] as number) * f;
    g[j] = (g[j] as number) + this.hShift * delta;
    for (let i = 0; i < m; i++) act[i] = (act[i] as number) + (A[i * n + j] as number) * delta;
  }

  /** out = (hScale H + hShift I)[:, F] v (v in factor order), over all n rows; four columns per pass over out. */
  multiplyFree(v: Float64Array, out: Float64Array): void {
    const { H, n, free } = this;
    const nf = this.nf;
    const scale = this.hScale;
    out.fill(0);
    let q = 0;
    for (; q + 3 < nf; q += 4) {
      const j0 = free[q] as number;
      const j1 = free[q + 1] as number;
      const j2 = free[q + 2] as number;
      const j3 = free[q + 3] as number;
      const f0 = scale * (v[q] as number);
      const f1 = scale * (v[q + 1] as number);
      const f2 = scale * (v[q + 2] as number);
      const f3 = scale * (v[q + 3] as number);
      const r0 = j0 * n;
      const r1 = j1 * n;
      const r2 = j2 * n;
      const r3 = j3 * n;
      for (let i = 0; i < n; i++) {
        out[i] =
          (out[i] as number) +
          (H[r0 + i] as number) * f0 +
          (H[r1 + i] as number) * f1 +
          (H[r2 + i] as number) * f2 +
          (H[r3 + i] as number) * f3;
      }
    }
    for (; q < nf; q++) {
      const f = scale * (v[q] as number);
      if (f === 0) continue;
      const row = (free[q] as number) * n;
      for (let i = 0; i < n; i++) out[i] = (out[i] as number) + (H[row + i] as number) * f;
    }
    if (this.hShift !== 0) {
      for (let k = 0; k < nf; k++) {
        const j = free[k] as number;
        out[j] = (out[j] as number) + this.hShift * (v[k] as number);
      }
    }
  }

  /** Row residuals r_k = limit - act for the working rows. */
  workingResidual(out: Float64Array): void {
    for (let k = 0; k < this.mw; k++) {
      const i = this.work[k] as number;
      const st = this.rowStates[i] as number;
      const target = st === ROW_AT_UPPER ? (this.rhi[i] as number) : (this.rlo[i] as number);
      out[k] = target - (this.act[i] as number);
    }
  }

  /** The gradient of the free weights (factor order) on their segments: g_F + k sign(x_F - w0_F). */
  freeGradient(q: Float64Array): void {
    for (let k = 0; k < this.nf; k++) {
      const j = this.free[k] as number;
      q[k] = (this.g[j] as number) + this.kinkGradient(j);
    }
  }

  /**
   * Finds the most violated multiplier at a stationary point (weights at a bound or kink and inequality rows of the
   * working set). Returns violation 0 when the working set is optimal.
   */
  mostViolated(y: Float64Array, bland: boolean): Violation {
    let best = 0;
    let variable = -1;
    let up = false;
    let rowPos = -1;
    const { n, varStates, g } = this;
    const k = this.costWeight;
    const tol = this.dualTolerance();
    for (let j = 0; j < n; j++) {
      const st = varStates[j] as number;
      if (st === VAR_FREE || st === VAR_FIXED) continue;
      let v: number;
      let dirUp: boolean;
      if (st === VAR_AT_LOWER) {
        v = -this.directional(j, 0, g[j] as number, k, y);
        dirUp = true;
      } else if (st === VAR_AT_UPPER) {
        v = this.directional(j, this.kinkCount[j] as number, g[j] as number, k, y);
        dirUp = false;
      } else {
        const s = this.seg[j] as number;
        const plus = -this.directional(j, s + 1, g[j] as number, k, y);
        const minus = this.directional(j, s, g[j] as number, k, y);
        dirUp = plus >= minus;
        v = dirUp ? plus : minus;
      }
      if (v > best) {
        best = v;
        variable = j;
        up = dirUp;
        rowPos = -1;
        if (bland && v > tol) return { violation: v, variable, up, rowPos };
      }
    }
    for (let q = 0; q < this.mw; q++) {
      const st = this.rowStates[this.work[q] as number] as number;
      if (st === ROW_EQUALITY) continue;
      const yq = y[q] as number;
      const v = st === ROW_AT_LOWER ? -yq : yq;
      if (v > best) {
        best = v;
        variable = -1;
        rowPos = q;
      }
    }
    return { violation: best, variable, up, rowPos };
  }

  /** Multipliers below this (in the units of g) count as zero. */
  dualTolerance(): number {
    return 1e-12 * this.dualScale;
  }

  // ---------------------------------------------------------------- the main loop

  /** Solves from the current (feasible) start to optimality. Returns the iterations of this solve. */
  solve(maxIterations = 10 * (this.n + this.m) + 200): number {
    const n = this.n;
    const p = new Float64Array(n);
    const q = new Float64Array(n);
    const r = new Float64Array(Math.max(this.m, 1));
    const yNew = new Float64Array(Math.max(this.m, 1));
    const hp = new Float64Array(n);
    let stationary = false;
    let refined = false;
    let degenerate = 0;
    const startIterations = this.iterations;
    for (;;) {
      if (this.iterations - startIterations > maxIterations) {
        throw new SolverError(`the active-set method did not converge within ${maxIterations} iterations`);
      }
      if (!stationary) {
        this.iterations++;
        const nf = this.nf;
        this.freeGradient(q);
        this.workingResidual(r);
        this.eqp(q, r, p, yNew);
        let pmax = 0;
        let xmax = 1;
        for (let k = 0; k < nf; k++) {
          pmax = Math.max(pmax, Math.abs(p[k] as number));
          xmax = Math.max(xmax, Math.abs(this.x[this.free[k] as number] as number));
        }
        // A step below 1e-12 (relative to the weights) is rounding noise, e.g. the correction of a row residual of
        // a few ulps; taking it could push a weight that sits on its bound through it, and fixing that weight
        // would make the working rows dependent.
        if (pmax <= 1e-12 * xmax) {
          this.y.set(yNew.subarray(0, this.mw));
          stationary = true;
        } else {
          const step = this.#ratioTest(p, pmax);
          const alpha = Math.min(step.alpha, 1);
          this.#takeStep(p, alpha, hp);
          if (step.alpha >= 1) {
            this.y.set(yNew.subarray(0, this.mw));
            stationary = true;
            degenerate = 0;
          } else {
            degenerate = alpha === 0 ? degenerate + 1 : 0;
            if (step.variablePos >= 0) this.fixVariable(step.variablePos, step.up);
            else this.addRow(step.row, step.up);
            refined = false;
          }
          continue;
        }
      }
      const worst = this.mostViolated(this.y, degenerate > 20);
      if (worst.violation > this.dualTolerance()) {
        if (worst.variable >= 0) this.releaseVariable(worst.variable, worst.up);
        else this.releaseRow(worst.rowPos);
        stationary = false;
        refined = false;
        continue;
      }
      if (refined) return this.iterations - startIterations;
      // Optimal working set: recompute the gradient exactly and take the (tiny) corrective step.
      this.recomputeGradient();
      refined = true;
      stationary = false;
    }
  }

  /** Largest step along p (free part) keeping every bound, kink and inactive row; what blocks it. */
  #ratioTest(p: Float64Array, pmax: number): { alpha: number; variablePos: number; row: number; up: boolean } {
    const { x, free, A, n, act, rlo, rhi } = this;
    const eps = 1e-12 * pmax;
    let alpha = Number.POSITIVE_INFINITY;
    let variablePos = -1;
    let row = -1;
    let up = false;
    let bestPivot = 0;
    const consider = (limit: number, pivot: number, pos: number, rowIndex: number, upward: boolean): void => {
      const lim = limit > 0 ? limit : 0;
      if (lim < alpha * (1 - 1e-12) || (lim <= alpha * (1 + 1e-12) && pivot > bestPivot)) {
        alpha = Math.min(lim, alpha);
        variablePos = pos;
        row = rowIndex;
        up = upward;
        bestPivot = pivot;
      }
    };
    for (let k = 0; k < this.nf; k++) {
      const pk = p[k] as number;
      const j = free[k] as number;
      const s = this.seg[j] as number;
      if (pk < -eps) {
        const lo = this.segLo(j, s);
        if (lo > Number.NEGATIVE_INFINITY) consider((lo - (x[j] as number)) / pk, -pk, k, -1, false);
      } else if (pk > eps) {
        const hi = this.segHi(j, s);
        if (hi < Number.POSITIVE_INFINITY) consider((hi - (x[j] as number)) / pk, pk, k, -1, true);
      }
    }
    for (let i = 0; i < this.m; i++) {
      if (this.rowStates[i] !== ROW_INACTIVE) continue;
      let ap = 0;
      let anorm = 0;
      const ai = i * n;
      for (let k = 0; k < this.nf; k++) {
        const a = A[ai + (free[k] as number)] as number;
        ap += a * (p[k] as number);
        anorm = Math.max(anorm, Math.abs(a));
      }
      // A row implied by the working rows is skipped (see rowDependent), tested only when it would block first
      // (a limit beyond the full step, 1, changes nothing: the step is then taken in full).
      if (ap > eps * anorm && (rhi[i] as number) < Number.POSITIVE_INFINITY) {
        const limit = ((rhi[i] as number) - (act[i] as number)) / ap;
        if (limit <= Math.min(alpha, 1) * (1 + 1e-12) && !this.rowDependent(i)) consider(limit, ap, -1, i, true);
      } else if (ap < -eps * anorm && (rlo[i] as number) > Number.NEGATIVE_INFINITY) {
        const limit = ((rlo[i] as number) - (act[i] as number)) / ap;
        if (limit <= Math.min(alpha, 1) * (1 + 1e-12) && !this.rowDependent(i)) consider(limit, -ap, -1, i, false);
      }
    }
    return { alpha, variablePos: row >= 0 ? -1 : variablePos, row, up };
  }

  /** x_F += alpha p, with g and act updated. */
  #takeStep(p: Float64Array, alpha: number, hp: Float64Array): void {
    if (alpha === 0) return;
    const { x, free, g, A, act, n, m } = this;
    const nf = this.nf;
    for (let k = 0; k < nf; k++) {
      const j = free[k] as number;
      x[j] = (x[j] as number) + alpha * (p[k] as number);
    }
    this.multiplyFree(p, hp);
    for (let i = 0; i < n; i++) g[i] = (g[i] as number) + alpha * (hp[i] as number);
    for (let i = 0; i < m; i++) {
      let s = 0;
      const ai = i * n;
      for (let k = 0; k < nf; k++) s += (A[ai + (free[k] as number)] as number) * (p[k] as number);
      act[i] = (act[i] as number) + alpha * s;
    }
  }

  /** The objective 1/2 x'Hx + c'x + k sum |x - w0| at the current point. */
  objective(): number {
    let s = 0;
    for (let j = 0; j < this.n; j++) s += (this.x[j] as number) * ((this.g[j] as number) + (this.c[j] as number));
    let kink = 0;
    if (this.costWeight > 0 && this.center) {
      for (let j = 0; j < this.n; j++) kink += Math.abs((this.x[j] as number) - (this.center[j] as number));
    }
    return 0.5 * s + this.costWeight * kink;
  }
}

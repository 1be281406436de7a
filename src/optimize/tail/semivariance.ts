/**
 * Minimum semivariance (PyPortfolioOpt's EfficientSemivariance): over equally likely scenarios r_t and a benchmark
 * return b per period,
 *
 *     minimise f(w) = (1 / T) sum_t max(b - r_t'w, 0)^2   over the weights w in W
 *
 * (W: bounds, budget, sector limits and an optional return floor mu'w >= r), the QP min (1/T) sum n_t^2 s.t.
 * n_t >= b - r_t'w, n_t >= 0 with the n_t eliminated. f is convex, piecewise quadratic and continuously
 * differentiable: on the set D(w) = {t : b - r_t'w > 0} of scenarios below the benchmark it equals
 * q_D(w) = (1 / T) sum_{t in D} (b - r_t'w)^2, whose gradient -(2 / T) sum_{t in D} (b - r_t'w) r_t is f's gradient.
 *
 * Method (a semismooth Newton method with exact line search): from the minimiser of q over all scenarios, repeat:
 * take D = D(w); solve the QP min_{v in W} q_D(v) exactly with the active-set solver (Hessian (2/T) R_D'R_D from the
 * blocked Gram kernel, warm-started from the previous working set); move from w towards its solution v to the exact
 * minimiser of f on the segment (f is piecewise quadratic in the step, so the minimiser is found by sorting the
 * breakpoints). Since grad f(w) = grad q_D(w), v = w (q_D(v) = q_D(w)) proves w optimal, and otherwise the step
 * decreases f; the iteration ends when the full step is taken and D no longer changes, which makes w the exact
 * minimiser of q_D over W with D = D(w), hence of f. HiGHS's QP solver is not used: on these programs it reported
 * wrong statuses ("unbounded" for a function bounded below by 0) or failed outright.
 *
 * When the Hessian of some q_D is singular on the held assets (fewer scenarios below the benchmark than assets held,
 * or assets that repeat one another), the same method runs on the proximal problems min f(w) + (rho / 2) ||w - c||^2
 * (rho = 1e-6 of the largest diagonal entry of (2/T) R'R, c the previous point), whose Hessians are positive definite.
 *
 * Every answer carries a certificate: with g = grad f(w), the Frank-Wolfe gap g'w - min_{v in W} g'v (a linear program)
 * bounds f(w) - min f from above. The iterations aim at a gap of 1e-10 f(w) plus its rounding floor (about (n + T)
 * eps max|g_j| (|w|_1 + |v|_1), see `certificate`); a gap above 1e-7 f(w) plus that floor is a SolverError. The result
 * reports its gap.
 */

import { gram } from '../../core/linalg/index.js';
import { explainInfeasibility } from '../diagnose.js';
import { linearRows, type ProblemRows } from '../rows.js';
import { ActiveSetSolver, SingularSubmatrixError, type WarmStart } from '../solvers/active-set.js';
import { solveBoundedLp } from '../solvers/simplex.js';
import { SolverError } from '../solvers/solver-error.js';
import type { NormalizedTail } from './problem.js';

/** The minimum-semivariance portfolio. */
export interface SemivarianceSolution {
  readonly weights: Float64Array;
  /** f(w), per period (squared fractions). */
  readonly value: number;
  /** Active-set iterations over all QP solves. */
  readonly iterations: number;
  /** Newton steps (QP solves). */
  readonly newtonSteps: number;
  /** The certificate's gap g'w - min g'v >= f(w) - min f. */
  readonly gap: number;
  /** True when the proximal variant was needed (a singular Hessian). */
  readonly proximal: boolean;
}

const MAX_NEWTON = 200;
/** The relative certified gap the iterations aim for. */
const GAP_TARGET = 1e-10;
/**
 * The relative certified gap accepted when the iterations stall short of the target: when a downside Hessian is
 * ill-conditioned, its QP solutions carry errors of cond * eps and the line search can no longer decrease f, e.g.
 * at a gap of 1.1e-8 of f on 40 scenarios of 6 assets. f(w) - min f is then still at most 1e-7 of f, certified.
 */
const GAP_LIMIT = 1e-7;
const MAX_PROXIMAL = 2000;

/**
 * Minimises the semivariance below `benchmark` (per period) over the problem's constraints, with `returnFloor` (annual)
 * on mu'w when given. Throws InfeasibleError when the constraints cannot hold (naming them) and SolverError when the
 * method does not reach a certified optimum.
 */
export function solveSemivariance(
  nt: NormalizedTail,
  benchmark: number,
  returnFloor: number | undefined,
  maxReturn: () => number,
): SemivarianceSolution {
  const { p, n } = nt;
  const rows = linearRows(p, returnFloor !== undefined, false);
  if (returnFloor !== undefined) (rows.lower as Float64Array)[rows.returnRow] = returnFloor;
  const state = new Newton(nt, benchmark, rows, () => explainInfeasibility(p, returnFloor, maxReturn));
  let w = state.initial();
  let proximal = false;
  if (w === undefined) {
    proximal = true;
    w = state.proximalLoop(new Float64Array(n));
  } else {
    const out = state.newtonLoop(w, 0, undefined);
    if (out === undefined) {
      proximal = true;
      w = state.proximalLoop(w);
    } else {
      w = out;
    }
  }
  let { gap, rounding } = state.certificate(w);
  let value = state.value(w);
  if (!(gap <= GAP_TARGET * value + rounding + 1e-300) && !proximal) {
    // The Newton iteration stalled short of the target (the line search could no longer decrease f in working
    // precision along its direction): the proximal iteration, whose subproblems are strongly convex, tries from w.
    proximal = true;
    w = state.proximalLoop(w);
    ({ gap, rounding } = state.certificate(w));
    value = state.value(w);
  }
  if (!(gap <= GAP_LIMIT * value + rounding + 1e-300)) {
    throw new SolverError(
      `the semivariance method stopped at a point whose optimality gap ${gap.toExponential(3)} exceeds ` +
        `${GAP_LIMIT} of its semivariance ${value.toExponential(3)}`,
    );
  }
  return { weights: w, value, iterations: state.iterations, newtonSteps: state.steps, gap, proximal };
}

/** The state of the method: data, the working-set warm start, counters. */
class Newton {
  readonly #nt: NormalizedTail;
  readonly #b: number;
  readonly #rows: ProblemRows;
  readonly #infeasible: () => never;
  readonly #e: Float64Array;
  #warm: WarmStart | undefined;
  readonly rho0: number;
  iterations = 0;
  steps = 0;

  constructor(nt: NormalizedTail, benchmark: number, rows: ProblemRows, infeasible: () => never) {
    this.#nt = nt;
    this.#b = benchmark;
    this.#rows = rows;
    this.#infeasible = infeasible;
    this.#e = new Float64Array(nt.T);
    let diag = 0;
    const { R, T, n } = nt;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += (R[j * T + t] as number) ** 2;
      diag = Math.max(diag, (2 / T) * s);
    }
    this.rho0 = 1e-6 * (diag > 0 ? diag : 1);
  }

  /** e_t = b - r_t'w for every scenario (into the shared buffer). */
  #excess(w: Float64Array): Float64Array {
    const { R, T, n } = this.#nt;
    const e = this.#e;
    e.fill(this.#b);
    for (let j = 0; j < n; j++) {
      const wj = w[j] as number;
      if (wj === 0) continue;
      const base = j * T;
      for (let t = 0; t < T; t++) e[t] = (e[t] as number) - wj * (R[base + t] as number);
    }
    return e;
  }

  /** f(w) = (1/T) sum max(e_t, 0)^2. */
  value(w: Float64Array): number {
    const e = this.#excess(w);
    let s = 0;
    for (let t = 0; t < e.length; t++) {
      const v = e[t] as number;
      if (v > 0) s += v * v;
    }
    return s / e.length;
  }

  /**
   * The QP min_{v in W} (1/T) sum_{t in D} (b - r_t'v)^2 + (rho/2) ||v - c||^2, exactly (active-set), warm-started.
   * Throws SingularSubmatrixError when its Hessian is singular on the free set.
   */
  #solveQp(inD: Uint8Array, rho: number, center: Float64Array | undefined): Float64Array {
    const { R, T, n, p } = this.#nt;
    let m = 0;
    for (let t = 0; t < T; t++) m += inD[t] as number;
    const RD = new Float64Array(m * n);
    const c = new Float64Array(n);
    const scale = (2 * this.#b) / T;
    for (let j = 0; j < n; j++) {
      const base = j * T;
      const out = j * m;
      let k = 0;
      let s = 0;
      for (let t = 0; t < T; t++) {
        if (inD[t] !== 1) continue;
        const v = R[base + t] as number;
        RD[out + k++] = v;
        s += v;
      }
      c[j] = -scale * s - (center ? rho * (center[j] as number) : 0);
    }
    const G = gram(RD, m, n);
    const solver = new ActiveSetSolver({
      n,
      H: G,
      hScale: 2 / T,
      hShift: rho,
      c,
      lower: p.lower,
      upper: p.upper,
      rows: this.#rows,
    });
    this.steps++;
    let started = false;
    if (this.#warm) {
      try {
        solver.start(this.#warm);
        started = true;
      } catch (error) {
        if (!(error instanceof SingularSubmatrixError) && !(error instanceof SolverError)) throw error;
      }
    }
    if (!started) {
      const start = solver.startFromVertex();
      if (!start.feasible) this.#infeasible();
    }
    try {
      solver.solve();
    } finally {
      this.iterations += solver.iterations;
    }
    this.#warm = solver.snapshot();
    return solver.x.slice();
  }

  /** The minimiser of q over every scenario (a start), or undefined when its Hessian is singular. */
  initial(): Float64Array | undefined {
    try {
      return this.#solveQp(new Uint8Array(this.#nt.T).fill(1), 0, undefined);
    } catch (error) {
      if (error instanceof SingularSubmatrixError) {
        this.#warm = undefined;
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Newton iterations on F(w) = f(w) + (rho / 2) ||w - center||^2 from w until the full step is taken and D(w) stays
   * the same, or F stops decreasing. Returns the point, or undefined when a Hessian turns out singular (rho = 0).
   */
  newtonLoop(start: Float64Array, rho: number, center: Float64Array | undefined): Float64Array | undefined {
    const { T, n } = this.#nt;
    let w = start;
    let inD = this.#downside(w);
    let F = this.#objective(w, rho, center);
    for (let it = 0; it < MAX_NEWTON; it++) {
      if (F === 0) return w;
      let v: Float64Array;
      try {
        v = this.#solveQp(inD, rho, center);
      } catch (error) {
        if (error instanceof SingularSubmatrixError && rho === 0) {
          this.#warm = undefined;
          return undefined;
        }
        throw error;
      }
      const dir = new Float64Array(n);
      let moved = false;
      for (let j = 0; j < n; j++) {
        const d = (v[j] as number) - (w[j] as number);
        dir[j] = d;
        if (d !== 0) moved = true;
      }
      if (!moved) return w;
      const alpha = this.#lineSearch(w, dir, rho, center);
      const next = new Float64Array(n);
      for (let j = 0; j < n; j++)
        next[j] = alpha === 1 ? (v[j] as number) : (w[j] as number) + alpha * (dir[j] as number);
      const Fnext = this.#objective(next, rho, center);
      const nextD = this.#downside(next);
      let same = true;
      for (let t = 0; t < T && same; t++) same = nextD[t] === inD[t];
      if (Fnext > F) return w; // rounding: the line search cannot improve any more
      w = next;
      const stalled = Fnext >= F * (1 - 1e-15);
      F = Fnext;
      inD = nextD;
      if ((alpha === 1 && same) || stalled) return w;
    }
    return w;
  }

  /** Proximal point iterations (see the module comment) from w until the gap certificate holds. */
  proximalLoop(start: Float64Array): Float64Array {
    let w = start;
    for (let k = 0; k < MAX_PROXIMAL; k++) {
      const center = w;
      const out = this.newtonLoop(w, this.rho0, center);
      if (out === undefined) throw new SolverError('the proximal semivariance subproblem has a singular Hessian');
      w = out;
      const value = this.value(w);
      const { gap, rounding } = this.certificate(w);
      if (gap <= GAP_TARGET * value + rounding + 1e-300) return w;
      if (w.every((x, j) => x === center[j])) return w; // no progress at working precision
    }
    return w;
  }

  /** F(w) = f(w) + (rho / 2) ||w - c||^2. */
  #objective(w: Float64Array, rho: number, center: Float64Array | undefined): number {
    let F = this.value(w);
    if (rho > 0 && center) {
      let s = 0;
      for (let j = 0; j < w.length; j++) s += ((w[j] as number) - (center[j] as number)) ** 2;
      F += 0.5 * rho * s;
    }
    return F;
  }

  /** D(w) as 0/1 flags. */
  #downside(w: Float64Array): Uint8Array {
    const e = this.#excess(w);
    const out = new Uint8Array(e.length);
    for (let t = 0; t < e.length; t++) out[t] = (e[t] as number) > 0 ? 1 : 0;
    return out;
  }

  /**
   * The exact minimiser over [0, 1] of phi(a) = F(w + a d): phi' is continuous and non-decreasing and piecewise linear,
   * phi'(a) = -(2/T) sum_{t : e_t - a g_t > 0} g_t (e_t - a g_t) + rho d'(w - c) + rho a ||d||^2 with e_t = b - r_t'w
   * and g_t = r_t'd; the root is found between the sorted breakpoints e_t / g_t.
   */
  #lineSearch(w: Float64Array, d: Float64Array, rho: number, center: Float64Array | undefined): number {
    const { R, T, n } = this.#nt;
    const e = Float64Array.from(this.#excess(w));
    const g = new Float64Array(T);
    for (let j = 0; j < n; j++) {
      const dj = d[j] as number;
      if (dj === 0) continue;
      const base = j * T;
      for (let t = 0; t < T; t++) g[t] = (g[t] as number) + dj * (R[base + t] as number);
    }
    let prox0 = 0;
    let prox1 = 0;
    if (rho > 0 && center) {
      for (let j = 0; j < n; j++) {
        prox0 += (d[j] as number) * ((w[j] as number) - (center[j] as number));
        prox1 += (d[j] as number) ** 2;
      }
      prox0 *= rho;
      prox1 *= rho;
    }
    // phi'(a) = -(2/T) (A0 - a A1) + prox0 + a prox1 over the scenarios active at a.
    let A0 = 0;
    let A1 = 0;
    const events: number[] = [];
    for (let t = 0; t < T; t++) {
      const et = e[t] as number;
      const gt = g[t] as number;
      const activeAt0 = et > 0 || (et === 0 && gt < 0);
      if (activeAt0) {
        A0 += gt * et;
        A1 += gt * gt;
      }
      if (gt !== 0) {
        const a = et / gt;
        if (a > 0 && a < 1) events.push(t);
      }
    }
    events.sort((x, y) => (e[x] as number) / (g[x] as number) - (e[y] as number) / (g[y] as number));
    const slope = (a: number): number => (-2 / T) * (A0 - a * A1) + prox0 + a * prox1;
    let lo = 0;
    for (const t of events) {
      const a = (e[t] as number) / (g[t] as number);
      if (slope(a) >= 0) return root(lo, a);
      // Crossing the breakpoint: g_t > 0 leaves the active set (e_t - a g_t turns negative), g_t < 0 enters.
      const et = e[t] as number;
      const gt = g[t] as number;
      if (gt > 0) {
        A0 -= gt * et;
        A1 -= gt * gt;
      } else {
        A0 += gt * et;
        A1 += gt * gt;
      }
      lo = a;
    }
    return slope(1) <= 0 ? 1 : root(lo, 1);

    function root(a: number, b: number): number {
      // slope is linear on [a, b]: slope(x) = s0 + s1 x.
      const s1 = (2 / T) * A1 + prox1;
      const s0 = (-2 / T) * A0 + prox0;
      if (!(s1 > 0)) return b;
      const x = -s0 / s1;
      return Math.min(Math.max(x, a), b);
    }
  }

  /** The Frank-Wolfe gap g'w - min_{v in W} g'v with g = grad f(w) (an upper bound on f(w) - min f). */
  gap(w: Float64Array): number {
    return this.certificate(w).gap;
  }

  /**
   * The Frank-Wolfe gap of w and its rounding floor: g'w and min g'v are sums of n products each, computed from g
   * whose entries are sums of T products, so their difference carries an error of about (n + T) eps max|g_j|
   * (|w|_1 + |v|_1); a gap below 4 times that is zero to working precision.
   */
  certificate(w: Float64Array): { readonly gap: number; readonly rounding: number } {
    const { R, T, n, p } = this.#nt;
    const e = this.#excess(w);
    const g = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const base = j * T;
      let s = 0;
      for (let t = 0; t < T; t++) {
        const et = e[t] as number;
        if (et > 0) s += et * (R[base + t] as number);
      }
      g[j] = (-2 / T) * s;
    }
    const lp = solveBoundedLp(n, g, p.lower, p.upper, this.#rows);
    if (lp.status !== 'optimal') {
      throw new SolverError(`the semivariance certificate's linear program ended ${lp.status}`);
    }
    let gw = 0;
    let gmax = 0;
    let l1 = 0;
    for (let j = 0; j < n; j++) {
      gw += (g[j] as number) * (w[j] as number);
      gmax = Math.max(gmax, Math.abs(g[j] as number));
      l1 += Math.abs(w[j] as number) + Math.abs(lp.x[j] as number);
    }
    return { gap: Math.max(0, gw - lp.objective), rounding: 4 * (n + T) * Number.EPSILON * gmax * l1 };
  }
}

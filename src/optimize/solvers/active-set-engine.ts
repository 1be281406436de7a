/**
 * The active-set engine: the mean-variance objectives on the primal active-set solver (active-set.ts) and its
 * critical-line walk (parametric.ts), for every constraint pfopt knows (bounds, budget, sectors, turnover, gross
 * leverage) and linear transaction costs.
 *
 * The frontier queries are exact in closed form on one segment of the walk, which the engine computes once and
 * extends lazily (the walk maximises the return net of transaction costs, mu'w - c sum |w - w0|):
 * - efficient return r (without costs): on the segment with ret(lambda) = r, w = x0 + s dx, s = (r - ret0) / dret;
 * - efficient risk sigma (gamma = 0): the root of q0 + q1 s + q2 s^2 = sigma^2 on the segment where it lies;
 * - maximum Sharpe: (e0 + e1 s) / sqrt(q(s)) is maximal where its derivative's numerator, linear in s,
 *   (e1 q0 - e0 q1 / 2) + (e1 q1 / 2 - e0 q2) s, vanishes; the Sharpe ratio is quasi-concave along the frontier, so
 *   the first segment where that numerator turns non-positive holds the maximum.
 * With transaction costs the efficient-return points solve their QP directly (costs sit in the objective there, not
 * on the walk's family), and with L2 regularisation the efficient-risk point comes from the parametric search of
 * risk-target.ts.
 */

import { InfeasibleError } from '../../core/errors.js';
import { explainInfeasibility, noExcessReturn, targetReturnTooHigh, targetVolatilityTooLow } from '../diagnose.js';
import type { NormalizedProblem } from '../problem.js';
import { hasLeverageRow, linearRows, type ProblemRows } from '../rows.js';
import { ActiveSetSolver, type PiecewiseTerms, type WarmStart } from './active-set.js';
import { type FrontierSegment, traceFrontier } from './parametric.js';
import type { EngineSolution, MeanVarianceEngine, QuadraticForm } from './qp.js';
import { solveRiskTarget } from './risk-target.js';
import { solveSegmentLp } from './segment-lp.js';

/** The active-set engine for one validated problem. */
export class ActiveSetEngine implements MeanVarianceEngine {
  readonly name = 'active-set' as const;
  readonly #p: NormalizedProblem;
  readonly #rows: ProblemRows;
  readonly #floorRows: ProblemRows;
  readonly #center: Float64Array | undefined;
  #warm: WarmStart | undefined;
  #floorWarm: WarmStart | undefined;
  #maxReturn: number | undefined;
  /** A maximum-return portfolio (the LP vertex), for warm starts of return-floor solves. */
  #topWeights: Float64Array | undefined;
  // The critical-line walk of min w'(S + gamma I)w - lambda (mu'w - c sum |w - w0|).
  #walker: ActiveSetSolver | undefined;
  #segments: FrontierSegment[] = [];
  #walkDone = false;
  #walkUnbounded = false;
  /** Iterations of the finished solves (the walker's are added when asked). */
  #spent = 0;

  constructor(p: NormalizedProblem) {
    this.#p = p;
    this.#rows = linearRows(p, false);
    this.#floorRows = linearRows(p, true);
    this.#center = p.maxTurnover !== undefined || p.transactionCost > 0 ? p.currentWeights : undefined;
  }

  #piecewise(rows: ProblemRows, costWeight: number): PiecewiseTerms {
    return { center: this.#center, costWeight, turnoverRow: rows.turnoverRow, leverageRow: rows.leverageRow };
  }

  /** A solver for risk * w'Sw + l2 * ||w||^2 + c'w + costWeight * sum |w - w0| (Hessian 2 (risk S + l2 I)). */
  #solver(rows: ProblemRows, risk: number, l2: number, c: Float64Array, costWeight: number): ActiveSetSolver {
    const p = this.#p;
    return new ActiveSetSolver({
      n: p.n,
      H: p.cov,
      hScale: 2 * risk,
      hShift: 2 * l2,
      c,
      lower: p.lower,
      upper: p.upper,
      rows,
      piecewise: this.#piecewise(rows, costWeight),
    });
  }

  /** Throws the InfeasibleError explaining why the constraints (possibly with a return floor) cannot hold. */
  #infeasible(floor?: number): never {
    explainInfeasibility(this.#p, floor, () => this.maxReturn());
  }

  /**
   * Starts a solver from the warm start, else from an interior point for long-short box-and-budget problems (most
   * weights end strictly inside their bounds there), else from a vertex; throws InfeasibleError when nothing is
   * feasible.
   */
  #start(solver: ActiveSetSolver, warm: WarmStart | undefined, floor?: number): void {
    if (warm) {
      solver.start(warm);
      return;
    }
    if (!this.#p.longOnly && solver.interiorStartAvailable() && solver.startFromInterior()) return;
    const start = solver.startFromVertex();
    if (!start.feasible) this.#infeasible(floor);
  }

  minimize(form: QuadraticForm): EngineSolution {
    const p = this.#p;
    const floor = form.returnFloor;
    const rows = floor === undefined ? this.#rows : this.#floorRows;
    if (floor !== undefined) (rows.lower as Float64Array)[rows.returnRow] = floor;
    const c = new Float64Array(p.n);
    if (form.ret !== 0) for (let i = 0; i < p.n; i++) c[i] = -form.ret * (p.mu[i] as number);
    const solver = this.#solver(rows, form.risk, form.l2, c, form.cost);
    if (floor === undefined) this.#start(solver, this.#warm);
    else this.#startWithFloor(solver, floor);
    solver.solve();
    if (floor === undefined) this.#warm = solver.snapshot();
    else this.#floorWarm = solver.snapshot();
    this.#spent += solver.iterations;
    return { weights: solver.x.slice(), iterations: solver.iterations };
  }

  /**
   * Starts a solve with the return floor mu'w >= floor: from the previous floor solution when it meets the floor,
   * else from the feasible point on the segment between it (return r0 < floor) and the maximum-return portfolio,
   * x = x0 + theta (x_top - x0) with theta = (floor - r0) / (r_top - r0), which meets the floor exactly (the feasible
   * set is convex); else from a vertex. Ascending targets (a frontier) thus warm-start from the previous point.
   */
  #startWithFloor(solver: ActiveSetSolver, floor: number): void {
    const p = this.#p;
    const prev = this.#floorWarm;
    if (prev) {
      const r0 = dot(p.mu, prev.x);
      if (r0 >= floor) {
        solver.start(prev);
        return;
      }
      const max = this.maxReturn();
      const top = this.#topWeights;
      if (top && Number.isFinite(max) && floor <= max && max > r0) {
        const theta = Math.min(1, (floor - r0) / (max - r0));
        const x = prev.x.map((v, i) => v + theta * ((top[i] as number) - v));
        if (dot(p.mu, x) >= floor) {
          solver.startFromPoint(x);
          return;
        }
      }
    }
    this.#start(solver, undefined, floor);
  }

  maxReturn(): number {
    if (this.#maxReturn !== undefined) return this.#maxReturn;
    const p = this.#p;
    const cost = new Float64Array(p.n);
    for (let i = 0; i < p.n; i++) cost[i] = -(p.mu[i] as number);
    const base = linearRows(p, false, false);
    const lp = solveSegmentLp(p.n, cost, p.lower, p.upper, base, {
      center: p.currentWeights,
      maxTurnover: p.maxTurnover,
      maxLeverage: hasLeverageRow(p) ? p.maxLeverage : undefined,
    });
    if (lp.status === 'infeasible') this.#infeasible();
    this.#maxReturn = lp.status === 'unbounded' ? Number.POSITIVE_INFINITY : -lp.objective;
    if (lp.status === 'optimal') this.#topWeights = lp.x;
    return this.#maxReturn;
  }

  /** Extends the walk until `stop` holds for a segment or the walk ends. Returns that segment's index or -1. */
  #walkUntil(stop: (s: FrontierSegment) => boolean): number {
    for (let k = 0; k < this.#segments.length; k++) if (stop(this.#segments[k] as FrontierSegment)) return k;
    if (this.#walkDone) return -1;
    const p = this.#p;
    if (!this.#walker) {
      const solver = this.#solver(this.#rows, 1, p.l2, new Float64Array(p.n), 0);
      this.#start(solver, this.#warm);
      solver.solve();
      this.#walker = solver;
    }
    const walker = this.#walker;
    let found = -1;
    const last = this.#segments[this.#segments.length - 1];
    const result = traceFrontier(
      walker,
      p.mu,
      p.transactionCost,
      (s) => {
        const prev = this.#segments[this.#segments.length - 1];
        if (prev !== undefined && s.lambda0 === prev.lambda0 && s.ret0 === prev.ret0) {
          this.#segments[this.#segments.length - 1] = s;
        } else {
          this.#segments.push(s);
        }
        if (stop(s)) {
          found = this.#segments.length - 1;
          return true;
        }
        return false;
      },
      last !== undefined ? last.lambda0 : 0,
    );
    if (found < 0) {
      this.#walkDone = true;
      this.#walkUnbounded = result.unbounded;
    }
    return found;
  }

  /** Weights x0 + s dx of a segment, clipped into the bounds (the overshoot is rounding). */
  #pointOn(seg: FrontierSegment, s: number): EngineSolution {
    const p = this.#p;
    const w = new Float64Array(p.n);
    for (let i = 0; i < p.n; i++) {
      let v = (seg.x0[i] as number) + s * (seg.dx[i] as number);
      if (v < (p.lower[i] as number)) v = p.lower[i] as number;
      if (v > (p.upper[i] as number)) v = p.upper[i] as number;
      w[i] = v;
    }
    return { weights: w, iterations: this.#walker?.iterations ?? 0 };
  }

  /** Length in lambda of a segment (Infinity for the last). */
  static #length(seg: FrontierSegment): number {
    return seg.lambda1 - seg.lambda0;
  }

  /** The last segment of a finished walk (the top of the frontier). */
  #top(): FrontierSegment {
    if (this.#walkUnbounded) {
      throw new InfeasibleError('the expected return is unbounded under these constraints: set finite weight bounds');
    }
    return this.#segments[this.#segments.length - 1] as FrontierSegment;
  }

  efficientReturn(target: number): EngineSolution {
    const p = this.#p;
    if (p.transactionCost > 0) {
      const max = this.maxReturn();
      if (target > max + 1e-12 * Math.max(1, Math.abs(max))) throw targetReturnTooHigh(target, max);
      const floor = Math.min(target, max);
      return this.minimize({ risk: 1, l2: p.l2, ret: 0, cost: p.transactionCost, returnFloor: floor });
    }
    const k = this.#walkUntil((s) => {
      const len = ActiveSetEngine.#length(s);
      return s.ret0 + (s.dret === 0 ? 0 : s.dret * len) >= target;
    });
    if (k < 0) {
      const top = this.#top();
      if (target <= top.ret0 + 1e-12 * Math.max(1, Math.abs(top.ret0))) return this.#pointOn(top, 0);
      throw targetReturnTooHigh(target, top.ret0);
    }
    const seg = this.#segments[k] as FrontierSegment;
    if (target <= seg.ret0 || seg.dret === 0) return this.#pointOn(seg, 0);
    return this.#pointOn(seg, Math.min((target - seg.ret0) / seg.dret, ActiveSetEngine.#length(seg)));
  }

  frontier(targets: Float64Array): EngineSolution[] {
    return Array.from(targets, (r) => this.efficientReturn(r));
  }

  efficientRisk(sigma: number): EngineSolution {
    const p = this.#p;
    if (p.l2 !== 0) {
      return solveRiskTarget(
        p,
        sigma,
        (f) => this.minimize(f),
        () => this.minimize({ risk: 0, l2: p.l2, ret: 1, cost: p.transactionCost }),
      );
    }
    const target = sigma * sigma;
    const first = this.#walkUntil(() => true);
    const bottom = this.#segments[first] as FrontierSegment;
    if (target < bottom.q0 * (1 - 2e-12)) throw targetVolatilityTooLow(sigma, Math.sqrt(bottom.q0));
    if (target <= bottom.q0) return this.#pointOn(bottom, 0);
    const k = this.#walkUntil((s) => {
      const len = ActiveSetEngine.#length(s);
      if (!Number.isFinite(len)) return s.q2 > 0 || s.q1 > 0;
      return s.q0 + len * (s.q1 + len * s.q2) >= target;
    });
    if (k < 0) return this.#pointOn(this.#top(), 0);
    const seg = this.#segments[k] as FrontierSegment;
    const rhs = target - seg.q0;
    if (rhs <= 0) return this.#pointOn(seg, 0);
    // q2 s^2 + q1 s - rhs = 0, the non-negative root in a cancellation-free form.
    const s = (2 * rhs) / (seg.q1 + Math.sqrt(seg.q1 * seg.q1 + 4 * seg.q2 * rhs));
    return this.#pointOn(seg, Math.min(s, ActiveSetEngine.#length(seg)));
  }

  maxSharpe(): EngineSolution {
    const p = this.#p;
    const hurdle = p.riskFreeRate * p.budget;
    // With e(s) = net0 - hurdle + dnet s, D(s) = e'(s) q(s) - e(s) q'(s) / 2 = d0 + d1 s is linear in s.
    const coefficients = (seg: FrontierSegment): { e0: number; d0: number; d1: number } => {
      const e0 = seg.net0 - hurdle;
      return {
        e0,
        d0: seg.dnet * seg.q0 - 0.5 * e0 * seg.q1,
        d1: 0.5 * seg.dnet * seg.q1 - e0 * seg.q2,
      };
    };
    const k = this.#walkUntil((seg) => {
      if (seg.dnet <= 0) return false;
      const len = ActiveSetEngine.#length(seg);
      if (!Number.isFinite(len)) return true;
      if (seg.net0 + seg.dnet * len - hurdle <= 0) return false;
      const { d0, d1 } = coefficients(seg);
      return d0 + d1 * len <= 0;
    });
    if (k < 0) {
      const top = this.#top();
      if (top.net0 - hurdle <= 1e-12 * Math.max(1, Math.abs(hurdle))) throw noExcessReturn(p, top.net0);
      return this.#pointOn(top, 0);
    }
    const seg = this.#segments[k] as FrontierSegment;
    const len = ActiveSetEngine.#length(seg);
    const { e0, d0, d1 } = coefficients(seg);
    // The Sharpe ratio increases where D > 0; start where the excess return turns positive (D > 0 there).
    const sStart = e0 > 0 ? 0 : -e0 / seg.dnet;
    let s: number;
    if (d0 + d1 * sStart <= 0) s = sStart;
    else if (d1 < 0) s = Math.min(-d0 / d1, len);
    else if (Number.isFinite(len)) s = len;
    else throw new InfeasibleError('the Sharpe ratio grows without bound along the frontier: set finite weight bounds');
    return this.#pointOn(seg, s);
  }

  totalIterations(): number {
    return this.#spent + (this.#walker?.iterations ?? 0);
  }

  /** Frontier segments walked so far (diagnostics and tests). */
  walkSegments(): number {
    return this.#segments.length;
  }

  dispose(): void {
    this.#walker = undefined;
    this.#segments = [];
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

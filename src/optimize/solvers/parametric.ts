/**
 * The parametric (critical-line) homotopy over the efficient frontier, on the active-set solver's working set:
 *
 *   x(lambda) = argmin 1/2 x'Hx - lambda (mu'x - c1 sum |x - w0|)   subject to the bounds, rows, turnover, leverage,
 *
 * with H = 2 (S + gamma I) and c1 the transaction cost rate (0 without costs), lambda from 0 upward. At lambda = 0 this
 * is the minimum-variance portfolio; as lambda grows the solution walks up the frontier of (net) return against
 * variance to the portfolio of maximum (net) return with the least variance. Between two changes of the working set
 * ("turning points") the solution is affine in lambda: x(lambda) = x0 + (lambda - lambda0) dx, where (dx, dy) solves
 * the working-set system with right-hand side the derivative of the linear term:
 *
 *   H_FF dx - A_WF' dy = mu_F - c1 sign(x_F - w0_F),   A_WF dx = 0,
 *
 * so the return, the multipliers and the variance are affine, affine and quadratic in lambda on each segment. The
 * segment ends at the first event: a free weight reaches a bound or kink (it is fixed there), an inactive row reaches
 * a limit (it joins the working set), or a multiplier reaches zero (its bound, kink or row is released). This is
 * Markowitz's critical line algorithm, run from the bottom of the frontier up.
 *
 * Every point of the frontier is therefore known exactly (to rounding), which the frontier, the efficient-return
 * and efficient-risk targets and the maximum Sharpe ratio use: each is a closed-form solve on one segment.
 */

import { type ActiveSetSolver, VAR_AT_KINK, VAR_AT_LOWER, VAR_AT_UPPER } from './active-set.js';
import { ROW_AT_LOWER, ROW_AT_UPPER, ROW_EQUALITY, ROW_INACTIVE } from './simplex.js';
import { SolverError } from './solver-error.js';

/**
 * A segment is flat (its direction is zero) when the share of the linear term left after the working rows, in the
 * metric of the free assets' covariance (see `ActiveSetSolver.eqp`), is at most this. Rounding gives about 1e-16
 * times the condition of the working system; a genuine share s makes the return grow at s^2 times the rate of the
 * unconstrained step, 1e-22 here.
 */
const FLAT_SHARE = 1e-11;

/** One segment of the frontier: x(lambda) = x0 + (lambda - lambda0) dx for lambda in [lambda0, lambda1]. */
export interface FrontierSegment {
  readonly lambda0: number;
  /** End of the segment; Infinity for the last one. */
  readonly lambda1: number;
  /** The solution at lambda0 (all n weights). */
  readonly x0: Float64Array;
  /** d x / d lambda (zero on the fixed weights). */
  readonly dx: Float64Array;
  /** mu'x0 and mu'dx: the return is ret0 + (lambda - lambda0) dret. */
  readonly ret0: number;
  readonly dret: number;
  /** The net return mu'x - c1 sum |x - w0| = net0 + (lambda - lambda0) dnet (equal to the return without costs). */
  readonly net0: number;
  readonly dnet: number;
  /** x'(H/2)x = q0 + q1 s + q2 s^2 with s = lambda - lambda0 (the variance with the regularised covariance). */
  readonly q0: number;
  readonly q1: number;
  readonly q2: number;
}

/** Outcome of a trace. */
export interface TraceResult {
  /** Segments visited (including the last, of zero or infinite length). */
  readonly segments: number;
  /** The walk ended at the top of the frontier (false when a visitor stopped it first). */
  readonly reachedTop: boolean;
  /** The return grows without bound (some weights are unbounded). */
  readonly unbounded: boolean;
}

/**
 * Walks the frontier from the solver's current optimum, which must solve the problem at `lambdaStart` (linear term
 * -lambdaStart mu, cost weight lambdaStart c1), calling `visit` for each segment in order of increasing lambda;
 * `visit` returns true to stop. The solver's state (point, working set, linear term, cost weight) follows the walk.
 */
export function traceFrontier(
  solver: ActiveSetSolver,
  mu: Float64Array,
  costRate: number,
  visit: (segment: FrontierSegment) => boolean,
  lambdaStart = 0,
): TraceResult {
  const { n, m, rlo, rhi, A, x, g } = solver;
  const p0 = new Float64Array(n);
  const y0 = new Float64Array(Math.max(m, 1));
  const dxF = new Float64Array(n);
  const dy = new Float64Array(Math.max(m, 1));
  const q = new Float64Array(n);
  const r = new Float64Array(Math.max(m, 1));
  const hdx = new Float64Array(n);
  const dg = new Float64Array(n);
  const hp = new Float64Array(n);
  const zero = new Float64Array(Math.max(m, 1));
  const center = solver.center;
  let lambda = lambdaStart;
  let firstDxNorm = 0;
  const maxSegments = 20 * (n + m) + 200;
  let segments = 0;
  let sinceExact = 0;
  for (;;) {
    if (segments > maxSegments) throw new SolverError(`the frontier walk did not end within ${maxSegments} segments`);
    segments++;
    solver.iterations++;
    const nf = solver.nf;
    const mw = solver.mw;
    const free = solver.free;
    // Correct the point to the exact working-set solution at lambda (removes drift), then the direction.
    if (++sinceExact >= 32) {
      solver.recomputeGradient();
      sinceExact = 0;
    }
    // The gradient grows with lambda (it holds -lambda mu) while the correction is of the size of rounding: solved
    // from the full gradient, the correction would carry errors of 1e-16 times lambda |mu| (1e-13 in the budget at a
    // lambda of 1e4, which misplaces a target return on a segment where the return barely moves). It is solved from
    // the gradient net of the current multipliers' part, g_F - A_WF' y, which vanishes at the exact point, for the
    // change of the multipliers.
    solver.freeGradient(q);
    for (let w = 0; w < mw; w++) {
      const yw = solver.y[w] as number;
      if (yw === 0) continue;
      const row = (solver.work[w] as number) * n;
      for (let k = 0; k < nf; k++) q[k] = (q[k] as number) - yw * (A[row + (free[k] as number)] as number);
    }
    solver.workingResidual(r);
    solver.eqp(q, r, p0, y0);
    let pmax = 0;
    let xmax = 1;
    for (let k = 0; k < nf; k++) {
      pmax = Math.max(pmax, Math.abs(p0[k] as number));
      xmax = Math.max(xmax, Math.abs(x[free[k] as number] as number));
    }
    // A correction below 1e-15 of the weights is rounding; skipping it saves a pass over H.
    if (pmax > 1e-15 * xmax) {
      for (let k = 0; k < nf; k++) {
        const j = free[k] as number;
        x[j] = (x[j] as number) + (p0[k] as number);
      }
      solver.multiplyFree(p0, hp);
      for (let i = 0; i < n; i++) g[i] = (g[i] as number) + (hp[i] as number);
      refreshActivities(solver);
    }
    for (let k = 0; k < mw; k++) solver.y[k] = (solver.y[k] as number) + (y0[k] as number);
    for (let k = 0; k < nf; k++) {
      const j = free[k] as number;
      q[k] = -(mu[j] as number) + costRate * solver.sigmaT(j, solver.seg[j] as number);
    }
    // The direction is zero when the linear term lies in the span of the working rows' normals over the free
    // weights (the rows pin every free weight, or the free assets tie in return along the rows): the segment is
    // flat. The solve then returns rounding, up to about 1e-16 of the unconstrained step in a well-conditioned case,
    // which must not be taken for a direction: followed for a lambda of 1e16 it would carry the weights to a bound.
    const share = solver.eqp(q, zero, dxF, dy);
    let dxNorm = 0;
    for (let k = 0; k < nf; k++) dxNorm = Math.max(dxNorm, Math.abs(dxF[k] as number));
    const flat = dxNorm === 0 || share <= FLAT_SHARE || dxNorm <= 1e-12 * firstDxNorm;
    if (flat) dxF.fill(0, 0, nf);
    else if (firstDxNorm === 0) firstDxNorm = dxNorm;
    const dx = new Float64Array(n);
    for (let k = 0; k < nf; k++) dx[free[k] as number] = dxF[k] as number;
    solver.multiplyFree(dxF, hdx);
    for (let i = 0; i < n; i++) dg[i] = (hdx[i] as number) - (mu[i] as number);
    // Events.
    let t = Number.POSITIVE_INFINITY;
    let kind = 0; // 1 fix variable (pos), 2 add row, 3 release variable, 4 release row (pos)
    let which = -1;
    let up = false;
    const take = (limit: number, k: number, w: number, upward: boolean): void => {
      const lim = limit > 0 ? limit : 0;
      if (lim < t) {
        t = lim;
        kind = k;
        which = w;
        up = upward;
      }
    };
    if (!flat) {
      const eps = 1e-12 * dxNorm;
      for (let k = 0; k < nf; k++) {
        const d = dxF[k] as number;
        const j = free[k] as number;
        const s = solver.seg[j] as number;
        if (d < -eps) {
          const lo = solver.segLo(j, s);
          if (lo > Number.NEGATIVE_INFINITY) take((lo - (x[j] as number)) / d, 1, k, false);
        } else if (d > eps) {
          const hi = solver.segHi(j, s);
          if (hi < Number.POSITIVE_INFINITY) take((hi - (x[j] as number)) / d, 1, k, true);
        }
      }
      for (let i = 0; i < m; i++) {
        if (solver.rowStates[i] !== ROW_INACTIVE) continue;
        let ad = 0;
        let anorm = 0;
        for (let k = 0; k < nf; k++) {
          const a = A[i * n + (free[k] as number)] as number;
          ad += a * (dxF[k] as number);
          anorm = Math.max(anorm, Math.abs(a));
        }
        const act = solver.act[i] as number;
        // A row implied by the working rows keeps its activity along the segment and never enters (rowDependent);
        // tested only when it would be the first event.
        if (ad > eps * anorm && (rhi[i] as number) < Number.POSITIVE_INFINITY) {
          const limit = ((rhi[i] as number) - act) / ad;
          if (Math.max(limit, 0) < t && !solver.rowDependent(i)) take(limit, 2, i, true);
        } else if (ad < -eps * anorm && (rlo[i] as number) > Number.NEGATIVE_INFINITY) {
          const limit = ((rlo[i] as number) - act) / ad;
          if (Math.max(limit, 0) < t && !solver.rowDependent(i)) take(limit, 2, i, false);
        }
      }
    }
    // Multipliers of the fixed weights must keep their sign: z(lambda) = z + s dz (one-sided at kinks).
    let dzScale = costRate;
    for (let j = 0; j < n; j++) dzScale = Math.max(dzScale, Math.abs(dg[j] as number));
    const zeps = 1e-12 * Math.max(dzScale, 1e-300);
    const k0 = solver.costWeight;
    for (let j = 0; j < n; j++) {
      const st = solver.varStates[j] as number;
      if (st === VAR_AT_LOWER) {
        const z = solver.directional(j, 0, g[j] as number, k0, solver.y);
        const dz = solver.directional(j, 0, dg[j] as number, costRate, dy);
        if (dz < -zeps) take(z / -dz, 3, j, true);
      } else if (st === VAR_AT_UPPER) {
        const s = solver.kinkCount[j] as number;
        const z = solver.directional(j, s, g[j] as number, k0, solver.y);
        const dz = solver.directional(j, s, dg[j] as number, costRate, dy);
        if (dz > zeps) take(-z / dz, 3, j, false);
      } else if (st === VAR_AT_KINK) {
        const s = solver.seg[j] as number;
        const plus = solver.directional(j, s + 1, g[j] as number, k0, solver.y);
        const dplus = solver.directional(j, s + 1, dg[j] as number, costRate, dy);
        const minus = solver.directional(j, s, g[j] as number, k0, solver.y);
        const dminus = solver.directional(j, s, dg[j] as number, costRate, dy);
        if (dplus < -zeps) take(plus / -dplus, 3, j, true);
        if (dminus > zeps) take(-minus / dminus, 3, j, false);
      }
    }
    for (let k = 0; k < mw; k++) {
      const st = solver.rowStates[solver.work[k] as number] as number;
      if (st === ROW_EQUALITY) continue;
      const yk = solver.y[k] as number;
      const d = dy[k] as number;
      if (st === ROW_AT_LOWER && d < -zeps) take(yk / -d, 4, k, false);
      else if (st === ROW_AT_UPPER && d > zeps) take(-yk / d, 4, k, false);
    }
    // The segment: returns and variances in closed form.
    let ret0 = 0;
    let turn0 = 0;
    let dturn = 0;
    let q0 = 0;
    let q1 = 0;
    let q2 = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      const di = dx[i] as number;
      const mi = mu[i] as number;
      // H x = g - c; H dx = dg + mu.
      const hx = (g[i] as number) - (solver.c[i] as number);
      const hd = (dg[i] as number) + mi;
      ret0 += mi * xi;
      q0 += xi * hx;
      q1 += xi * hd;
      q2 += di * hd;
      if (costRate > 0 && center) {
        turn0 += Math.abs(xi - (center[i] as number));
        if (di !== 0) dturn += di * solver.sigmaT(i, solver.seg[i] as number);
      }
    }
    // The slope of the net return, mu'dx - c1 sigma'dx, equals dx'H dx on the exact direction (multiply the
    // direction's equations by dx: A_WF dx = 0). Summed as mu'dx it carries the working rows' residual of the computed
    // dx (rounding) times the multipliers dy, of the size of the returns: 1e-17 against a slope that can be 1e-10 when
    // the free assets' returns nearly tie, enough to misplace a target on the segment by 1e-8 in a weight. The
    // quadratic form has no such cancellation.
    let curvature = 0;
    for (let k = 0; k < nf; k++) curvature += (dxF[k] as number) * (hdx[free[k] as number] as number);
    const segment: FrontierSegment = {
      lambda0: lambda,
      lambda1: lambda + t,
      x0: x.slice(),
      dx,
      ret0,
      dret: flat ? 0 : curvature + costRate * dturn,
      net0: ret0 - costRate * turn0,
      dnet: flat ? 0 : curvature,
      q0: 0.5 * q0,
      q1: flat ? 0 : q1,
      q2: flat ? 0 : 0.5 * q2,
    };
    if (visit(segment)) return { segments, reachedTop: false, unbounded: false };
    if (!Number.isFinite(t)) return { segments, reachedTop: flat, unbounded: !flat };
    // Advance to the event.
    if (t > 0) {
      if (!flat) {
        for (let k = 0; k < nf; k++) {
          const j = free[k] as number;
          x[j] = (x[j] as number) + t * (dxF[k] as number);
        }
      }
      for (let i = 0; i < n; i++) {
        g[i] = (g[i] as number) + t * (dg[i] as number);
        solver.c[i] = (solver.c[i] as number) - t * (mu[i] as number);
      }
      solver.costWeight += t * costRate;
      for (let k = 0; k < mw; k++) solver.y[k] = (solver.y[k] as number) + t * (dy[k] as number);
      if (!flat) refreshActivities(solver);
      lambda += t;
    }
    if (kind === 1) solver.fixVariable(which, up);
    else if (kind === 2) solver.addRow(which, up);
    else if (kind === 3) solver.releaseVariable(which, up);
    else solver.releaseRow(which);
  }
}

/** The row activities from the current point (linear rows A x; turnover and leverage as sums of absolute values). */
function refreshActivities(solver: ActiveSetSolver): void {
  const { n, m, A, x, act, center } = solver;
  for (let i = 0; i < m; i++) {
    let s = 0;
    if (i === solver.turnoverRow && center) {
      for (let j = 0; j < n; j++) s += Math.abs((x[j] as number) - (center[j] as number));
    } else if (i === solver.leverageRow) {
      for (let j = 0; j < n; j++) s += Math.abs(x[j] as number);
    } else {
      const ai = i * n;
      for (let j = 0; j < n; j++) s += (A[ai + j] as number) * (x[j] as number);
    }
    act[i] = s;
  }
}

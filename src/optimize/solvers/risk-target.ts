/**
 * The efficient-risk problem by a parametric search over quadratic programs:
 *
 *   maximise f(w) = mu'w - gamma ||w||^2 - c sum |w - w0|   subject to   w'Sw <= sigma^2  (and the linear constraints).
 *
 * For tau >= 0 let w(tau) minimise w'Sw - tau f(w) (a strictly convex QP: the Lagrangian of the problem with
 * multiplier 1/tau on the variance). Its volatility v(tau) = sqrt(w(tau)'S w(tau)) is continuous and non-decreasing,
 * from the minimum volatility at tau = 0 to the volatility of the maximiser of f (the "top") as tau -> infinity, and
 * when the volatility constraint binds the solution is w(tau*) with v(tau*) = sigma (KKT). tau* is found by
 * bracketing and Brent's method on v(tau) - sigma, each evaluation a warm-started QP, to |v - sigma| <= 1e-12 sigma.
 */

import { targetVolatilityTooLow } from '../diagnose.js';
import type { NormalizedProblem } from '../problem.js';
import { portfolioVariance } from '../verify.js';
import type { EngineSolution, QuadraticForm } from './qp.js';
import { SolverError } from './solver-error.js';

/**
 * Solves max f(w) = mu'w - gamma ||w||^2 - c sum |w - w0| subject to sqrt(w'Sw) <= sigma (annual) with `minimize`
 * (QPs min w'Sw - tau f(w)) and `top` (the maximiser of f with the least variance; undefined when f is unbounded), to |vol - sigma| <= 1e-12 sigma
 * when the constraint binds. Throws InfeasibleError when sigma is below the minimum volatility.
 */
export function solveRiskTarget(
  p: NormalizedProblem,
  sigma: number,
  minimize: (form: QuadraticForm) => EngineSolution,
  top: () => EngineSolution | undefined,
): EngineSolution {
  let iterations = 0;
  const evaluate = (tau: number): { sol: EngineSolution; vol: number } => {
    const sol = minimize({ risk: 1, l2: tau * p.l2, ret: tau, cost: tau * p.transactionCost });
    iterations += sol.iterations;
    return { sol, vol: Math.sqrt(portfolioVariance(p, sol.weights)) };
  };
  const bottom = evaluate(0);
  if (sigma < bottom.vol * (1 - 1e-12)) throw targetVolatilityTooLow(sigma, bottom.vol);
  if (sigma <= bottom.vol) return { weights: bottom.sol.weights, iterations };
  // The top (undefined when the return is unbounded, so the volatility grows without bound along the family).
  const peak = top();
  if (peak) {
    iterations += peak.iterations;
    const peakVol = Math.sqrt(portfolioVariance(p, peak.weights));
    if (sigma >= peakVol) return { weights: peak.weights, iterations };
  }
  // Bracket: v(lo) < sigma <= v(hi).
  let maxMu = 0;
  for (let i = 0; i < p.n; i++) maxMu = Math.max(maxMu, Math.abs(p.mu[i] as number));
  let lo = 0;
  let flo = bottom.vol - sigma;
  let best = bottom;
  let hi = (bottom.vol * bottom.vol) / Math.max(maxMu, 1e-12);
  let right = evaluate(hi);
  for (let k = 0; right.vol < sigma; k++) {
    if (k > 80) {
      if (peak) return { weights: peak.weights, iterations };
      throw new SolverError(`no portfolio of the family reached the target volatility ${sigma}`);
    }
    lo = hi;
    flo = right.vol - sigma;
    best = right;
    hi *= 4;
    right = evaluate(hi);
  }
  const fhi = right.vol - sigma;
  if (Math.abs(fhi) < Math.abs(flo)) best = right;
  // Brent's method (Brent 1973, "zero").
  let a = lo;
  let fa = flo;
  let b = hi;
  let fb = fhi;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  const ftol = 1e-12 * sigma;
  for (let iter = 0; iter < 200; iter++) {
    if (Math.abs(fb) <= ftol) break;
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b);
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol) break;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let pp: number;
      let qq: number;
      if (a === c) {
        pp = 2 * m * s;
        qq = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        pp = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        qq = (qa - 1) * (r - 1) * (s - 1);
      }
      if (pp > 0) qq = -qq;
      else pp = -pp;
      if (2 * pp < Math.min(3 * m * qq - Math.abs(tol * qq), Math.abs(e * qq))) {
        e = d;
        d = pp / qq;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    const ev = evaluate(b);
    fb = ev.vol - sigma;
    if (Math.abs(fb) < Math.abs(best.vol - sigma)) best = ev;
  }
  return { weights: best.sol.weights, iterations };
}

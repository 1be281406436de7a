/**
 * Verification and cleaning of a solver's weights before they reach the user. Every constraint is checked to 1e-9:
 * violations up to that size are solver rounding and are cleaned (weights clipped into their bounds, so a long-only
 * problem never reports a weight like -1e-17; values within 1e-12 of a bound set to it; the budget residual spread
 * over the weights strictly inside their bounds); larger violations are a SolverError.
 */

import { fmt } from './diagnose.js';
import type { NormalizedProblem } from './problem.js';
import { SolverError } from './solvers/solver-error.js';

/** Constraint tolerance: absolute, in weight units (fractions of capital). */
export const CONSTRAINT_TOLERANCE = 1e-9;
const SNAP = 1e-12;

/**
 * Checks `w` against every constraint of `p` and returns a cleaned copy. Throws SolverError naming the constraint,
 * the violation and the solver when a violation exceeds CONSTRAINT_TOLERANCE (or a weight is not finite).
 */
export function verifyAndClean(p: NormalizedProblem, weights: ArrayLike<number>, solver: string): Float64Array {
  const { n, lower, upper, tickers } = p;
  const tol = CONSTRAINT_TOLERANCE;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = weights[i] as number;
    if (!Number.isFinite(v)) throw new SolverError(`${solver} returned a non-finite weight for ${tickers[i]}: ${v}`);
    const lo = lower[i] as number;
    const hi = upper[i] as number;
    if (v < lo - tol || v > hi + tol) {
      throw new SolverError(
        `${solver} returned weight ${v} for ${tickers[i]}, outside its bounds [${lo}, ${hi}] by more than ${tol}`,
      );
    }
    let c = v < lo ? lo : v > hi ? hi : v;
    if (c - lo <= SNAP) c = lo;
    else if (hi - c <= SNAP) c = hi;
    w[i] = c;
  }
  // Budget: spread the residual over the weights strictly inside their bounds.
  let sum = 0;
  for (let i = 0; i < n; i++) sum += w[i] as number;
  const residual = p.budget - sum;
  if (Math.abs(residual) > tol) {
    throw new SolverError(`${solver} returned weights summing to ${sum}, not the budget ${p.budget}`);
  }
  if (residual !== 0) {
    const inside: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = w[i] as number;
      if (v - (lower[i] as number) > 2 * Math.abs(residual) && (upper[i] as number) - v > 2 * Math.abs(residual))
        inside.push(i);
    }
    if (inside.length > 0) {
      const share = residual / inside.length;
      for (const i of inside) w[i] = (w[i] as number) + share;
    }
  }
  for (const g of p.groups) {
    let s = 0;
    for (const i of g.members) s += w[i] as number;
    if (s < g.lower - tol || s > g.upper + tol) {
      throw new SolverError(
        `${solver} returned weights giving sector ${g.name} a total of ${s}, outside [${fmt(g.lower)}, ${fmt(g.upper)}]`,
      );
    }
  }
  if (p.maxLeverage !== undefined) {
    let gross = 0;
    for (let i = 0; i < n; i++) gross += Math.abs(w[i] as number);
    if (gross > p.maxLeverage + tol) {
      throw new SolverError(`${solver} returned gross leverage ${gross}, above the limit ${fmt(p.maxLeverage)}`);
    }
  }
  if (p.maxTurnover !== undefined) {
    const t = turnover(p, w);
    if (t > p.maxTurnover + tol) {
      throw new SolverError(`${solver} returned turnover ${t}, above the limit ${fmt(p.maxTurnover)}`);
    }
  }
  return w;
}

/** Turnover sum_i |w_i - w0_i| (fraction of capital traded); 0 without current weights. */
export function turnover(p: NormalizedProblem, w: ArrayLike<number>): number {
  const w0 = p.currentWeights;
  if (!w0) return 0;
  let t = 0;
  for (let i = 0; i < p.n; i++) t += Math.abs((w[i] as number) - (w0[i] as number));
  return t;
}

/** Portfolio variance w'Sw (annual, squared fractions). */
export function portfolioVariance(p: NormalizedProblem, w: ArrayLike<number>): number {
  const { n, cov } = p;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i] as number;
    if (wi === 0) continue;
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += (cov[row + j] as number) * (w[j] as number);
    v += wi * s;
  }
  return Math.max(v, 0);
}

/** Expected annual return mu'w. */
export function portfolioReturn(p: NormalizedProblem, w: ArrayLike<number>): number {
  let r = 0;
  for (let i = 0; i < p.n; i++) r += (p.mu[i] as number) * (w[i] as number);
  return r;
}

/** Squared norm ||w||^2. */
export function squaredNorm(w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += (w[i] as number) * (w[i] as number);
  return s;
}

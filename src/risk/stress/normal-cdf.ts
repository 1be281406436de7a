/**
 * The standard normal distribution function, to about 1e-14 relative accuracy in both tails (the stress tests'
 * implied probabilities need it far out in the lower tail).
 */

const INV_SQRT_2PI = 0.3989422804014327; // 1 / sqrt(2 pi)
const TINY = 1e-300;

/**
 * `Phi(x) = P(Z <= x)` for a standard normal Z. For `|x| < 2`, Marsaglia's series (J. Stat. Software 11(4), 2004)
 * `Phi(x) = 1/2 + phi(x) sum_{k>=0} x^(2k+1) / (1 * 3 * ... * (2k+1))`, summed until a term no longer changes the sum;
 * for `|x| >= 2`, the upper tail `Q(u) = phi(u) / (u + 1/(u + 2/(u + 3/(u + ...))))` of `u = |x|` (Laplace's continued
 * fraction of Mills' ratio, evaluated by the modified Lentz method to a relative change below 1e-16; `exp(-u^2 / 2)` is
 * formed without the rounding of u^2), with
 * `Phi(x) = Q(-x)` for x < 0 and `1 - Q(x)` for x > 0. `phi` is the standard normal density. NaN for NaN; 0 and 1 at
 * minus and plus infinity (and wherever the tail underflows).
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const u = Math.abs(x);
  if (u < 2) {
    const x2 = x * x;
    let term = x;
    let s = x;
    for (let k = 1; k < 200; k++) {
      term *= x2 / (2 * k + 1);
      const next = s + term;
      if (next === s) break;
      s = next;
    }
    return 0.5 + INV_SQRT_2PI * Math.exp(-0.5 * x2) * s;
  }
  if (u === Number.POSITIVE_INFINITY) return x > 0 ? 1 : 0;
  const tail = upperTail(u);
  return x < 0 ? tail : 1 - tail;
}

/** `Q(u) = 1 - Phi(u)` for u >= 2 by the continued fraction of Mills' ratio (modified Lentz). */
function upperTail(u: number): number {
  let f = u;
  let c = u;
  let d = 0;
  for (let k = 1; k < 1000; k++) {
    d = u + k * d;
    if (d === 0) d = TINY;
    c = u + k / c;
    if (c === 0) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (INV_SQRT_2PI * gaussianExp(u)) / f;
}

/**
 * `exp(-u^2 / 2)` without the rounding of u^2 (whose relative error would grow like u^2 eps in the result): with
 * `v = trunc(16 u) / 16`, `u^2 = v^2 + (u - v)(u + v)` where v^2 is exact, so `exp(-v^2 / 2) exp(-(u - v)(u + v) / 2)`
 * (W. J. Cody's device in his erfc, ACM TOMS 19, 1993).
 */
function gaussianExp(u: number): number {
  const v = Math.trunc(16 * u) / 16;
  return Math.exp(-0.5 * v * v) * Math.exp(-0.5 * (u - v) * (u + v));
}

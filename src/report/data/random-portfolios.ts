/**
 * Random long-only portfolios for the context cloud of the frontier chart: weights uniform on the simplex
 * (normalised exponential draws, i.e. Dirichlet(1, ..., 1)) from a seeded generator, each measured by its expected
 * return mu'w and volatility sqrt(w'Sw).
 */

import { Random } from '../../core/random.js';

/** A random portfolio's figures. */
export interface RandomPortfolio {
  readonly expectedReturn: number;
  readonly volatility: number;
  readonly sharpe: number;
}

/** `count` random portfolios over the n assets of `mu` and the n x n row-major `covariance` (annual units). */
export function randomPortfolios(
  mu: ArrayLike<number>,
  covariance: ArrayLike<number>,
  options: { readonly count?: number; readonly seed?: number; readonly riskFreeRate?: number } = {},
): RandomPortfolio[] {
  const n = mu.length;
  const count = options.count ?? 2000;
  const rf = options.riskFreeRate ?? 0;
  const rng = new Random(options.seed ?? 42);
  const w = new Float64Array(n);
  const out: RandomPortfolio[] = [];
  for (let k = 0; k < count && n > 0; k++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      w[i] = rng.exponential();
      total += w[i] as number;
    }
    let ret = 0;
    let variance = 0;
    for (let i = 0; i < n; i++) {
      w[i] = (w[i] as number) / total;
      ret += (w[i] as number) * (mu[i] as number);
    }
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) row += (covariance[i * n + j] as number) * (w[j] as number);
      variance += (w[i] as number) * row;
    }
    const volatility = Math.sqrt(Math.max(variance, 0));
    out.push({ expectedReturn: ret, volatility, sharpe: volatility > 0 ? (ret - rf) / volatility : 0 });
  }
  return out;
}

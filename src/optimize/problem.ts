/**
 * The mean-variance problem as the user states it (expected returns, covariance, constraints) and its validated,
 * normalised form that every solver reads.
 *
 * Units: expected returns are annual fractions (0.08 = 8% a year), the covariance is annual (per-period covariance
 * times the periods per year), weights are fractions of capital (the budget, default 1, is their sum), and
 * volatilities are annual standard deviations. The risk-free rate is an annual fraction.
 *
 * Validation never lets NaN through: every number is checked to be finite (bounds may be infinite), the covariance
 * symmetric and positive semidefinite, dimensions consistent. Ill-posed input is a ValidationError naming what to
 * change; constraints that cannot all hold are reported later as InfeasibleError (see diagnose.ts).
 */

import { ValidationError } from '../core/errors.js';
import { type CovarianceCheck, checkPositiveSemidefinite } from './psd.js';

/** Weight bounds: one [lower, upper] pair for every asset, or one lower and one upper value per asset. */
export type WeightBounds =
  | readonly [number, number]
  | { readonly lower: number | ArrayLike<number>; readonly upper: number | ArrayLike<number> };

/** Sector (group) limits: which sector each ticker belongs to, and the minimum and maximum total weight per sector. */
export interface SectorConstraints {
  /** Ticker -> sector name. Tickers absent from the map belong to no sector. */
  readonly map: Readonly<Record<string, string>>;
  /** Sector name -> minimum total weight of its assets (fraction of capital). */
  readonly lower?: Readonly<Record<string, number>>;
  /** Sector name -> maximum total weight of its assets (fraction of capital). */
  readonly upper?: Readonly<Record<string, number>>;
}

/**
 * A mean-variance problem: the estimates and every constraint. Only `expectedReturns` and `covariance` are required;
 * the defaults give a long-only, fully invested portfolio (weights in [0, 1], summing to 1).
 */
export interface MeanVarianceProblem {
  /** Expected annual return of each asset (fraction per year). */
  readonly expectedReturns: ArrayLike<number>;
  /**
   * Annual covariance of the asset returns, N x N: a flat row-major array of N^2 numbers (e.g. a Float64Array) or N
   * rows of N numbers. Must be symmetric (to 1e-10 relative) and positive semidefinite.
   */
  readonly covariance: ArrayLike<number> | readonly ArrayLike<number>[];
  /** Asset names, unique; default "A1", "A2", ... Required to name sectors. */
  readonly tickers?: readonly string[];
  /** Annual risk-free rate (fraction per year) for the Sharpe ratio and the maximum-Sharpe objective; default 0. */
  readonly riskFreeRate?: number;
  /** Bounds on each weight; default [0, 1] (long-only). Infinite bounds are allowed. */
  readonly bounds?: WeightBounds;
  /** Sum of the weights; default 1 (0 when `marketNeutral`). */
  readonly budget?: number;
  /** Market-neutral: the weights sum to 0 (overrides `budget`). Needs negative lower bounds to be useful. */
  readonly marketNeutral?: boolean;
  /** Sector minimums and maximums. */
  readonly sectors?: SectorConstraints;
  /** Gross leverage limit: sum |w_i| <= maxLeverage (e.g. 1.5 for 130/30 with budget 1). */
  readonly maxLeverage?: number;
  /** Current weights w0, the reference of `maxTurnover` and `transactionCost`; default all zero. */
  readonly currentWeights?: ArrayLike<number>;
  /** Turnover limit: sum |w_i - w0_i| <= maxTurnover. */
  readonly maxTurnover?: number;
  /** Linear transaction cost c: the objective is charged c * sum |w_i - w0_i| (c in return units per unit traded). */
  readonly transactionCost?: number;
  /** Annual volatility cap sqrt(w' S w) <= maxVolatility, for the objectives where it is meaningful. */
  readonly maxVolatility?: number;
  /** L2 regularisation gamma >= 0: the objective gains gamma * ||w||^2 (see each objective). Default 0. */
  readonly l2?: number;
}

/** One sector (group) row: sum of the members' weights in [lower, upper]. */
export interface GroupRow {
  readonly name: string;
  /** Asset indices of the sector's members, ascending. */
  readonly members: Int32Array;
  readonly lower: number;
  readonly upper: number;
}

/** The validated problem. Arrays are private copies; the covariance is symmetrised. */
export interface NormalizedProblem {
  readonly n: number;
  readonly tickers: readonly string[];
  /** Expected annual returns. */
  readonly mu: Float64Array;
  /** Annual covariance, N x N row-major, exactly symmetric. */
  readonly cov: Float64Array;
  readonly riskFreeRate: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly budget: number;
  readonly marketNeutral: boolean;
  /** Sector rows with at least one finite limit. */
  readonly groups: readonly GroupRow[];
  readonly maxLeverage: number | undefined;
  readonly currentWeights: Float64Array | undefined;
  readonly maxTurnover: number | undefined;
  readonly transactionCost: number;
  readonly maxVolatility: number | undefined;
  readonly l2: number;
  /** Every lower bound is >= 0. */
  readonly longOnly: boolean;
  /** Result of the covariance check: 'definite', 'singular' (PSD but singular) or 'unchecked' (fast mode). */
  readonly covarianceKind: 'definite' | 'singular' | 'unchecked';
}

function isNumberArrayLike(x: unknown): x is ArrayLike<number> {
  return (
    x instanceof Float64Array ||
    x instanceof Float32Array ||
    (Array.isArray(x) && (x.length === 0 || typeof x[0] === 'number')) ||
    (ArrayBuffer.isView(x) && !(x instanceof DataView))
  );
}

function finiteArray(name: string, values: ArrayLike<number>, n: number, tickers: readonly string[]): Float64Array {
  if (values.length !== n) throw new ValidationError(`${name} has ${values.length} values for ${n} assets`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ValidationError(`${name} of ${tickers[i]} is ${String(v)}; every value must be a finite number`);
    }
    out[i] = v;
  }
  return out;
}

function finiteScalar(name: string, v: unknown, opts: { min?: number; positive?: boolean } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ValidationError(`${name} must be a finite number, got ${String(v)}`);
  if (opts.positive && !(v > 0)) throw new ValidationError(`${name} must be positive, got ${v}`);
  if (opts.min !== undefined && v < opts.min)
    throw new ValidationError(`${name} must be at least ${opts.min}, got ${v}`);
  return v;
}

/** Reads the covariance as a flat symmetric N x N array; throws ValidationError for wrong shapes and non-finite values. */
function readCovariance(
  cov: ArrayLike<number> | readonly ArrayLike<number>[],
  n: number,
  tickers: readonly string[],
): Float64Array {
  const out = new Float64Array(n * n);
  if (isNumberArrayLike(cov)) {
    if (cov.length !== n * n) {
      throw new ValidationError(
        `the covariance has ${cov.length} numbers; ${n} assets need ${n} x ${n} = ${n * n} (row-major)`,
      );
    }
    if (cov instanceof Float64Array) out.set(cov);
    else for (let k = 0; k < n * n; k++) out[k] = cov[k] as number;
  } else {
    const rows = cov as readonly ArrayLike<number>[];
    if (rows.length !== n) throw new ValidationError(`the covariance has ${rows.length} rows for ${n} assets`);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (row === undefined || row.length !== n) {
        throw new ValidationError(
          `covariance row ${i + 1} (${tickers[i]}) has ${row?.length ?? 0} values for ${n} assets`,
        );
      }
      for (let j = 0; j < n; j++) out[i * n + j] = row[j] as number;
    }
  }
  // One pass: finite entries, non-negative variances, symmetry to 1e-10 relative to the largest variance, then exact
  // symmetrisation by averaging the two triangles.
  let maxDiag = 0;
  for (let i = 0; i < n; i++) {
    const d = out[i * n + i] as number;
    if (!Number.isFinite(d)) {
      throw new ValidationError(`the variance of ${tickers[i]} is ${String(d)}; every entry must be a finite number`);
    }
    if (d < 0)
      throw new ValidationError(
        `the variance of ${tickers[i]} is negative (${d}); a covariance matrix needs variances >= 0`,
      );
    if (d > maxDiag) maxDiag = d;
  }
  const tol = 1e-10 * Math.max(maxDiag, Number.MIN_VALUE);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < i; j++) {
      const a = out[ri + j] as number;
      const b = out[j * n + i] as number;
      const diff = a - b;
      // NaN or infinite entries fail this test too (their difference is NaN).
      if (!(Math.abs(diff) <= tol)) {
        for (const [r, c, v] of [
          [i, j, a],
          [j, i, b],
        ] as const) {
          if (!Number.isFinite(v)) {
            throw new ValidationError(
              `the covariance of ${tickers[r]} and ${tickers[c]} is ${String(v)}; every entry must be a finite number`,
            );
          }
        }
        throw new ValidationError(
          `the covariance is not symmetric: entry (${tickers[i]}, ${tickers[j]}) is ${a} but (${tickers[j]}, ${tickers[i]}) is ${b}`,
        );
      }
      if (diff !== 0) {
        const m = 0.5 * (a + b);
        out[ri + j] = m;
        out[j * n + i] = m;
      }
    }
  }
  return out;
}

function readBounds(
  bounds: WeightBounds | undefined,
  n: number,
  tickers: readonly string[],
): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(n);
  const upper = new Float64Array(n).fill(1);
  if (bounds === undefined) return { lower, upper };
  const fill = (target: Float64Array, v: number | ArrayLike<number>, which: string): void => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) throw new ValidationError(`the ${which} weight bound is NaN`);
      target.fill(v);
      return;
    }
    if (v.length !== n) throw new ValidationError(`${v.length} ${which} weight bounds for ${n} assets`);
    for (let i = 0; i < n; i++) {
      const x = v[i] as number;
      if (typeof x !== 'number' || Number.isNaN(x)) {
        throw new ValidationError(`the ${which} weight bound of ${tickers[i]} is ${String(x)}`);
      }
      target[i] = x;
    }
  };
  if (Array.isArray(bounds)) {
    const pair = bounds as readonly [number, number];
    if (pair.length !== 2) throw new ValidationError('weight bounds must be a [lower, upper] pair');
    fill(lower, pair[0], 'lower');
    fill(upper, pair[1], 'upper');
  } else {
    const b = bounds as { lower: number | ArrayLike<number>; upper: number | ArrayLike<number> };
    fill(lower, b.lower, 'lower');
    fill(upper, b.upper, 'upper');
  }
  for (let i = 0; i < n; i++) {
    const lo = lower[i] as number;
    const hi = upper[i] as number;
    if (lo > hi)
      throw new ValidationError(`the weight bounds of ${tickers[i]} are inverted: lower ${lo} > upper ${hi}`);
    if (lo === Number.POSITIVE_INFINITY || hi === Number.NEGATIVE_INFINITY) {
      throw new ValidationError(`the weight bounds of ${tickers[i]} leave no finite weight: [${lo}, ${hi}]`);
    }
  }
  return { lower, upper };
}

function readGroups(sectors: SectorConstraints | undefined, tickers: readonly string[]): GroupRow[] {
  if (sectors === undefined) return [];
  const members = new Map<string, number[]>();
  const index = new Map(tickers.map((t, i) => [t, i]));
  for (const [ticker, sector] of Object.entries(sectors.map)) {
    if (!index.has(ticker)) continue; // the map may cover a larger universe
    if (typeof sector !== 'string' || sector.length === 0) {
      throw new ValidationError(`the sector of ${ticker} must be a non-empty name, got ${JSON.stringify(sector)}`);
    }
    const list = members.get(sector) ?? [];
    list.push(index.get(ticker) as number);
    members.set(sector, list);
  }
  const lower = sectors.lower ?? {};
  const upper = sectors.upper ?? {};
  for (const [which, limits] of [
    ['minimum', lower],
    ['maximum', upper],
  ] as const) {
    for (const [name, v] of Object.entries(limits)) {
      if (!members.has(name)) {
        const known = [...members.keys()].sort().join(', ');
        throw new ValidationError(
          `sector ${JSON.stringify(name)} has a ${which} but none of the assets belongs to it (sectors: ${known || 'none'})`,
        );
      }
      if (typeof v !== 'number' || Number.isNaN(v))
        throw new ValidationError(`the ${which} of sector ${name} is ${String(v)}`);
    }
  }
  const groups: GroupRow[] = [];
  for (const name of [...members.keys()].sort()) {
    const lo = lower[name] ?? Number.NEGATIVE_INFINITY;
    const hi = upper[name] ?? Number.POSITIVE_INFINITY;
    if (lo > hi) throw new ValidationError(`sector ${name} has minimum ${lo} above its maximum ${hi}`);
    if (lo === Number.NEGATIVE_INFINITY && hi === Number.POSITIVE_INFINITY) continue;
    const idx = Int32Array.from((members.get(name) as number[]).sort((a, b) => a - b));
    groups.push({ name, members: idx, lower: lo, upper: hi });
  }
  return groups;
}

/** Options of the validation step. */
export interface NormalizeOptions {
  /**
   * 'full' (default): prove the covariance positive semidefinite with a Cholesky factorisation (O(N^3); about 17 ms
   * at N = 471 on the development machine). 'fast': only the O(N^2) checks (finite, symmetric, non-negative
   * variances, |S_ij| <= sqrt(S_ii S_jj)); the active-set solver still stops with a ValidationError when a submatrix
   * it factors is not positive definite, but an indefinite matrix can go unnoticed.
   */
  readonly covarianceCheck?: CovarianceCheck;
}

/**
 * Validates a problem and returns its normalised form. Throws ValidationError for NaN or infinite estimates, wrong
 * dimensions, a non-symmetric or non-positive-semidefinite covariance, inverted bounds, unknown sectors, and
 * out-of-range options.
 */
export function normalizeProblem(problem: MeanVarianceProblem, options: NormalizeOptions = {}): NormalizedProblem {
  if (problem === null || typeof problem !== 'object') throw new ValidationError('the problem must be an object');
  const muIn = problem.expectedReturns;
  if (muIn === undefined || typeof muIn.length !== 'number') throw new ValidationError('expectedReturns is missing');
  const n = muIn.length;
  if (n === 0) throw new ValidationError('the problem has no assets');
  const tickers = problem.tickers ? [...problem.tickers] : Array.from({ length: n }, (_, i) => `A${i + 1}`);
  if (tickers.length !== n) throw new ValidationError(`${tickers.length} tickers for ${n} expected returns`);
  const seen = new Set<string>();
  for (const t of tickers) {
    if (typeof t !== 'string' || t.length === 0) throw new ValidationError('a ticker name is empty');
    if (seen.has(t)) throw new ValidationError(`ticker ${JSON.stringify(t)} appears twice`);
    seen.add(t);
  }
  const mu = finiteArray('the expected return', muIn, n, tickers);
  if (problem.covariance === undefined) throw new ValidationError('covariance is missing');
  const cov = readCovariance(problem.covariance, n, tickers);
  const riskFreeRate =
    problem.riskFreeRate === undefined ? 0 : finiteScalar('the risk-free rate', problem.riskFreeRate);
  const { lower, upper } = readBounds(problem.bounds, n, tickers);
  const marketNeutral = problem.marketNeutral === true;
  const budget = marketNeutral ? 0 : problem.budget === undefined ? 1 : finiteScalar('the budget', problem.budget);
  const groups = readGroups(problem.sectors, tickers);
  const maxLeverage =
    problem.maxLeverage === undefined
      ? undefined
      : finiteScalar('the gross leverage limit', problem.maxLeverage, { positive: true });
  const currentWeights =
    problem.currentWeights === undefined
      ? undefined
      : finiteArray('the current weight', problem.currentWeights, n, tickers);
  const maxTurnover =
    problem.maxTurnover === undefined ? undefined : finiteScalar('the turnover limit', problem.maxTurnover, { min: 0 });
  const transactionCost =
    problem.transactionCost === undefined
      ? 0
      : finiteScalar('the transaction cost', problem.transactionCost, { min: 0 });
  const maxVolatility =
    problem.maxVolatility === undefined
      ? undefined
      : finiteScalar('the volatility cap', problem.maxVolatility, { positive: true });
  const l2 = problem.l2 === undefined ? 0 : finiteScalar('the L2 regularisation', problem.l2, { min: 0 });
  let longOnly = true;
  for (let i = 0; i < n; i++) if ((lower[i] as number) < 0) longOnly = false;
  const check = options.covarianceCheck ?? 'full';
  const covarianceKind = checkPositiveSemidefinite(cov, n, tickers, check);
  return {
    n,
    tickers,
    mu,
    cov,
    riskFreeRate,
    lower,
    upper,
    budget,
    marketNeutral,
    groups,
    maxLeverage,
    currentWeights:
      currentWeights ?? (maxTurnover !== undefined || transactionCost > 0 ? new Float64Array(n) : undefined),
    maxTurnover,
    transactionCost,
    maxVolatility,
    l2,
    longOnly,
    covarianceKind,
  };
}

/**
 * True when only HiGHS can solve the problem: a singular covariance without L2 regularisation (the active-set solver
 * needs the covariance of the held assets positive definite; the optimum is then not unique anyway).
 */
export function needsGeneralSolver(p: NormalizedProblem): boolean {
  return p.covarianceKind === 'singular' && p.l2 === 0;
}

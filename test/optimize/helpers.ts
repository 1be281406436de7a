/**
 * Shared test helpers: seeded random mean-variance problems, the golden reference file, and an independent check of
 * the KKT conditions of a linearly constrained QP solution (written from the definitions, not from the solver).
 */

import { readFileSync } from 'node:fs';
import { Random } from '../../src/core/random.js';
import type { MeanVarianceProblem, Objective } from '../../src/optimize/index.js';

/** Largest absolute difference of two vectors. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expectLength(a, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

function expectLength(a: ArrayLike<number>, n: number): void {
  if (a.length !== n) throw new Error(`length ${a.length}, expected ${n}`);
}

/** Options of a random problem. */
export interface RandomProblemOptions {
  readonly n: number;
  /** Bounds: 'long' [0, 1], 'capped' [0, cap], 'long-short' [-lo, hi]. */
  readonly bounds?: 'long' | 'capped' | 'long-short';
  /** Number of sectors with limits (0 = none). */
  readonly sectors?: number;
  readonly riskFreeRate?: number;
}

/**
 * A random problem: covariance B B' + D from 3 factors (annual volatilities about 15-40%, positive definite), expected
 * returns about N(8%, 6%), optional bounds and sector limits chosen to be feasible.
 */
export function randomProblem(seed: number, options: RandomProblemOptions): MeanVarianceProblem {
  const rng = new Random(seed);
  const n = options.n;
  const k = 3;
  const B = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) B[i] = 0.1 * rng.normal() + (i % k === 0 ? 0.12 : 0);
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let f = 0; f < k; f++) s += (B[i * k + f] as number) * (B[j * k + f] as number);
      if (i === j) s += (0.1 + 0.2 * rng.nextDouble()) ** 2;
      cov[i * n + j] = s;
      cov[j * n + i] = s;
    }
  }
  const mu = Float64Array.from({ length: n }, () => 0.08 + 0.06 * rng.normal());
  const tickers = Array.from({ length: n }, (_, i) => `T${String(i).padStart(3, '0')}`);
  const problem: Record<string, unknown> = {
    expectedReturns: mu,
    covariance: cov,
    tickers,
    riskFreeRate: options.riskFreeRate ?? 0.02,
  };
  if (options.bounds === 'capped') problem.bounds = [0, Math.max(2 / n, 0.05 + 0.2 * rng.nextDouble())];
  if (options.bounds === 'long-short') problem.bounds = [-(0.2 + 0.5 * rng.nextDouble()), 0.5 + 0.5 * rng.nextDouble()];
  if (options.sectors && options.sectors > 0) {
    const names = Array.from({ length: options.sectors }, (_, s) => `S${s}`);
    const map: Record<string, string> = {};
    tickers.forEach((t, i) => {
      map[t] = names[i % names.length] as string;
    });
    const upper: Record<string, number> = {};
    const lower: Record<string, number> = {};
    for (const s of names) upper[s] = Math.min(1, 1.5 / names.length + 0.2 * rng.nextDouble());
    lower[names[0] as string] = 0.5 / names.length;
    problem.sectors = { map, lower, upper };
  }
  return problem as unknown as MeanVarianceProblem;
}

/** The golden reference file written by reference/optimize/golden.py. */
export interface GoldenFile {
  readonly datasets: Record<
    string,
    { tickers: string[]; mu: number[]; cov: number[]; periodsPerYear: number; sectors?: Record<string, string> }
  >;
  readonly cases: GoldenCase[];
}

export interface GoldenSolution {
  readonly weights: number[];
  readonly objectiveValue: number;
  readonly expectedReturn: number;
  readonly volatility: number;
  readonly sharpe: number;
}

export interface GoldenCase {
  readonly id: string;
  readonly dataset: string;
  readonly problem: Record<string, unknown>;
  readonly objective: Objective | { kind: 'frontier'; points: number };
  readonly solution: GoldenSolution & {
    returns?: number[];
    volatilities?: number[];
    weights: number[] & number[][];
    minVolatility?: GoldenSolution;
    maxSharpe?: GoldenSolution;
    maxReturn?: number;
  };
}

let golden: GoldenFile | undefined;

/** Reads reference/optimize/golden.json once. */
export function goldenFile(): GoldenFile {
  golden ??= JSON.parse(
    readFileSync(new URL('../../reference/optimize/golden.json', import.meta.url), 'utf8'),
  ) as GoldenFile;
  return golden;
}

/** The pfopt problem of a golden case (its dataset's estimates plus the case's constraints). */
export function goldenProblem(c: GoldenCase): MeanVarianceProblem {
  const ds = goldenFile().datasets[c.dataset];
  if (!ds) throw new Error(`unknown dataset ${c.dataset}`);
  return { ...c.problem, expectedReturns: ds.mu, covariance: ds.cov, tickers: ds.tickers } as MeanVarianceProblem;
}

/** A QP min 1/2 w'Hw + c'w s.t. lower <= w <= upper, rlo <= A w <= rhi (A: rows of length n). */
export interface LinearQp {
  readonly H: Float64Array;
  readonly c: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly rows: { a: Float64Array; lo: number; hi: number }[];
}

/** Outcome of `kktResidual`. */
export interface KktReport {
  /** max |g_F - A_F'y| over the free weights (stationarity). */
  readonly stationarity: number;
  /** Largest multiplier with the wrong sign (bounds and inequality rows; complementary slackness is built in). */
  readonly dualInfeasibility: number;
  /** Largest bound or row violation. */
  readonly primalInfeasibility: number;
  /**
   * False at a degenerate point (the active rows are linearly dependent on the free weights): the multipliers are
   * not unique and the least-squares fit proves nothing about their signs.
   */
  readonly determined: boolean;
}

/**
 * Checks the KKT conditions of w for a linearly constrained QP without any knowledge of the solver: weights within
 * `activeTol` of a bound are taken as fixed there, rows within `activeTol` of a limit as active; the row multipliers y
 * are fitted by least squares to the free weights' gradients (g_F = A_F'y); then the fixed weights' multipliers
 * z = g - A'y must be >= 0 at a lower bound and <= 0 at an upper bound, and inequality rows' multipliers must have the
 * sign of their active side. Inactive rows have multiplier 0 (complementary slackness).
 */
export function kktResidual(qp: LinearQp, w: ArrayLike<number>, activeTol = 1e-10): KktReport {
  const n = qp.c.length;
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = qp.c[i] as number;
    for (let j = 0; j < n; j++) s += (qp.H[i * n + j] as number) * (w[j] as number);
    g[i] = s;
  }
  let primal = 0;
  const fixed = new Int8Array(n); // 0 free, -1 lower, +1 upper
  for (let i = 0; i < n; i++) {
    const v = w[i] as number;
    primal = Math.max(primal, (qp.lower[i] as number) - v, v - (qp.upper[i] as number));
    if (v - (qp.lower[i] as number) <= activeTol) fixed[i] = -1;
    else if ((qp.upper[i] as number) - v <= activeTol) fixed[i] = 1;
  }
  const active: { a: Float64Array; side: number }[] = [];
  for (const r of qp.rows) {
    let act = 0;
    for (let j = 0; j < n; j++) act += (r.a[j] as number) * (w[j] as number);
    primal = Math.max(primal, r.lo - act, act - r.hi);
    if (r.lo === r.hi) active.push({ a: r.a, side: 0 });
    else if (Math.abs(act - r.lo) <= activeTol) active.push({ a: r.a, side: -1 });
    else if (Math.abs(act - r.hi) <= activeTol) active.push({ a: r.a, side: 1 });
  }
  // Least squares y: minimise sum over free i of (g_i - sum_k y_k a_ki)^2 (normal equations, small).
  const m = active.length;
  const N = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    if (fixed[i] !== 0) continue;
    for (let a = 0; a < m; a++) {
      const va = (active[a] as { a: Float64Array }).a[i] as number;
      rhs[a] = (rhs[a] as number) + va * (g[i] as number);
      for (let b = 0; b < m; b++)
        N[a * m + b] = (N[a * m + b] as number) + va * ((active[b] as { a: Float64Array }).a[i] as number);
    }
  }
  const { y, rank } = solveSmall(N, rhs, m);
  let stationarity = 0;
  let dual = 0;
  for (let i = 0; i < n; i++) {
    let z = g[i] as number;
    for (let k = 0; k < m; k++) z -= (y[k] as number) * ((active[k] as { a: Float64Array }).a[i] as number);
    if (fixed[i] === 0) stationarity = Math.max(stationarity, Math.abs(z));
    else if (fixed[i] === -1 && (qp.lower[i] as number) !== (qp.upper[i] as number)) dual = Math.max(dual, -z);
    else if (fixed[i] === 1 && (qp.lower[i] as number) !== (qp.upper[i] as number)) dual = Math.max(dual, z);
  }
  active.forEach((r, k) => {
    if (r.side === -1) dual = Math.max(dual, -(y[k] as number));
    if (r.side === 1) dual = Math.max(dual, y[k] as number);
  });
  return { stationarity, dualInfeasibility: dual, primalInfeasibility: Math.max(primal, 0), determined: rank === m };
}

/**
 * Solves the small symmetric system N y = r by Gaussian elimination with partial pivoting; a pivot below 1e-12 of the
 * largest diagonal entry counts as zero (that unknown is set to 0) and lowers the rank.
 */
function solveSmall(N: Float64Array, r: Float64Array, m: number): { y: Float64Array; rank: number } {
  let diag = 0;
  for (let i = 0; i < m; i++) diag = Math.max(diag, Math.abs(N[i * m + i] as number));
  let rank = 0;
  const a = Float64Array.from(N);
  const b = Float64Array.from(r);
  const perm = Array.from({ length: m }, (_, i) => i);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let i = c + 1; i < m; i++) if (Math.abs(a[i * m + c] as number) > Math.abs(a[p * m + c] as number)) p = i;
    if (p !== c) {
      for (let k = 0; k < m; k++) {
        const t = a[p * m + k] as number;
        a[p * m + k] = a[c * m + k] as number;
        a[c * m + k] = t;
      }
      const t = b[p] as number;
      b[p] = b[c] as number;
      b[c] = t;
      const q = perm[p] as number;
      perm[p] = perm[c] as number;
      perm[c] = q;
    }
    const pv = a[c * m + c] as number;
    if (!(Math.abs(pv) > 1e-12 * diag)) {
      a[c * m + c] = 0;
      continue;
    }
    rank++;
    for (let i = c + 1; i < m; i++) {
      const f = (a[i * m + c] as number) / pv;
      for (let k = c; k < m; k++) a[i * m + k] = (a[i * m + k] as number) - f * (a[c * m + k] as number);
      b[i] = (b[i] as number) - f * (b[c] as number);
    }
  }
  const y = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < m; k++) s -= (a[i * m + k] as number) * (y[k] as number);
    const pv = a[i * m + i] as number;
    y[i] = pv === 0 ? 0 : s / pv;
  }
  return { y, rank };
}

/** The QP of min-volatility / efficient-return / max-utility for a plain problem (bounds, budget, sectors). */
export function qpOf(
  problem: MeanVarianceProblem,
  objective: { risk: number; l2: number; ret: number; returnFloor?: number },
): LinearQp {
  const mu = Float64Array.from(problem.expectedReturns);
  const n = mu.length;
  const S = problem.covariance as Float64Array;
  const H = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) H[i] = 2 * objective.risk * (S[i] as number);
  for (let i = 0; i < n; i++) H[i * n + i] = (H[i * n + i] as number) + 2 * objective.l2;
  const c = mu.map((m) => -objective.ret * m);
  const b = problem.bounds as readonly [number, number] | undefined;
  const lower = new Float64Array(n).fill(b ? b[0] : 0);
  const upper = new Float64Array(n).fill(b ? b[1] : 1);
  const budget = problem.marketNeutral ? 0 : (problem.budget ?? 1);
  const rows: LinearQp['rows'] = [{ a: new Float64Array(n).fill(1), lo: budget, hi: budget }];
  const sectors = problem.sectors;
  if (sectors) {
    const tickers = problem.tickers as readonly string[];
    const names = new Set(Object.values(sectors.map));
    for (const s of names) {
      const a = Float64Array.from(tickers, (t) => (sectors.map[t] === s ? 1 : 0));
      rows.push({
        a,
        lo: sectors.lower?.[s] ?? Number.NEGATIVE_INFINITY,
        hi: sectors.upper?.[s] ?? Number.POSITIVE_INFINITY,
      });
    }
  }
  if (objective.returnFloor !== undefined)
    rows.push({ a: mu, lo: objective.returnFloor, hi: Number.POSITIVE_INFINITY });
  return { H, c, lower, upper, rows };
}

/**
 * Randomised property test (seeded) of efficient-return and efficient-risk, the two objectives answered from the
 * critical-line walk of the frontier (src/optimize/solvers/parametric.ts), on the problems where that walk meets
 * degeneracy: rolling estimation windows of the real sample (where the minimum-volatility portfolio can be one
 * asset that also has the highest return, so the frontier is a single point), rolling windows of synthetic markets,
 * duplicated assets, equal returns, an asset whose return is the target, and targets exactly at the minimum-volatility
 * return or volatility and at the maximum return.
 *
 * Every answer is either an InfeasibleError whose message says which limit the target crosses (checked against an
 * independent maximum return and the certified minimum volatility), or weights that meet every constraint to 1e-9
 * and are optimal. Optimality is certified without the solver's multipliers, so degenerate points (multipliers not
 * unique) are covered too: for the convex problem min f(w) over a polytope P, w is optimal iff its Frank-Wolfe gap
 * grad f(w)'w - min over x in P of grad f(w)'x is zero. The linear program over P = {box, budget, mu'x >= r} is solved
 * here through its Lagrangian dual in the return row (a greedy fill for the box and budget, maximised over the
 * multiplier's breakpoints). Efficient risk at volatility sigma: w is optimal iff either sqrt(w'Sw) = sigma and w
 * minimises the variance at return floor mu'w (then no portfolio within sigma earns more: the frontier's variance is
 * strictly increasing above the minimum-volatility return), or sqrt(w'Sw) < sigma and w earns the maximum return.
 *
 * Sector limits that repeat a constraint (a sector of every asset beside the budget, a sector of one asset at its
 * bound) make rows enter the working set that it already implies; those problems are checked with the least-squares
 * KKT check of helpers.ts where the multipliers are determined, and for feasibility and stationarity elsewhere.
 */

import { describe, expect, it } from 'vitest';
import type { DatedMatrix } from '../../src/core/dated-matrix.js';
import { InfeasibleError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { loadPrices } from '../../src/data/load-prices.js';
import { generateMarket } from '../../src/data/synthetic.js';
import { estimateReturns, estimateRisk } from '../../src/estimate/models.js';
import {
  efficientFrontierSync,
  type MeanVarianceProblem,
  type Objective,
  optimizeSync,
} from '../../src/optimize/index.js';
import { kktResidual, qpOf, randomProblem } from './helpers.js';

/** A box-and-budget problem: the weights in [lo, hi], summing to 1. */
interface BoxProblem {
  readonly name: string;
  readonly mu: Float64Array;
  readonly cov: Float64Array;
  readonly lo: number;
  readonly hi: number;
  /** L2 coefficient gamma (efficient-return only). */
  readonly l2?: number;
}

const BOUNDS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 0.45],
  [-0.3, 1],
];

function problemOf(b: BoxProblem): MeanVarianceProblem {
  return {
    expectedReturns: b.mu,
    covariance: b.cov,
    bounds: [b.lo, b.hi],
    ...(b.l2 !== undefined ? { l2: b.l2 } : {}),
  };
}

// ------------------------------------------------------------------------------------------ independent oracles

/** min c'x over the box [lo, hi]^n with sum x = 1: every weight at lo, then the cheapest filled up first. */
function greedyMin(c: ArrayLike<number>, lo: number, hi: number, x: Float64Array): number {
  const n = c.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (c[a] as number) - (c[b] as number));
  let left = 1 - n * lo;
  let value = 0;
  for (const i of order) {
    const add = Math.min(hi - lo, Math.max(left, 0));
    x[i] = lo + add;
    left -= add;
    value += (c[i] as number) * (x[i] as number);
  }
  return value;
}

/** The maximum return over the box and budget (a greedy fill by return). */
function maxReturn(b: BoxProblem): number {
  const x = new Float64Array(b.mu.length);
  return -greedyMin(
    Array.from(b.mu, (m) => -m),
    b.lo,
    b.hi,
    x,
  );
}

/**
 * min g'x over {box, budget, mu'x >= r} as max over nu >= 0 of phi(nu) = nu r + min over box and budget of
 * (g - nu mu)'x (LP duality; phi is concave and piecewise linear with breakpoints where two coefficients tie).
 * Returns -Infinity when the return floor cannot be met (phi grows without bound).
 */
function lpMin(g: ArrayLike<number>, mu: ArrayLike<number>, r: number, lo: number, hi: number): number {
  const n = g.length;
  const x = new Float64Array(n);
  if (r === Number.NEGATIVE_INFINITY) return greedyMin(g, lo, hi, x);
  const c = new Float64Array(n);
  const phi = (nu: number): { value: number; slope: number } => {
    for (let i = 0; i < n; i++) c[i] = (g[i] as number) - nu * (mu[i] as number);
    greedyMin(c, lo, hi, x);
    let gx = 0;
    let mx = 0;
    for (let i = 0; i < n; i++) {
      gx += (g[i] as number) * (x[i] as number);
      mx += (mu[i] as number) * (x[i] as number);
    }
    return { value: gx + nu * (r - mx), slope: r - mx };
  };
  const nus = [0];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dm = (mu[i] as number) - (mu[j] as number);
      if (dm === 0) continue;
      const nu = ((g[i] as number) - (g[j] as number)) / dm;
      if (nu > 0 && Number.isFinite(nu)) nus.push(nu);
    }
  }
  nus.sort((a, b) => a - b);
  let best = Number.NEGATIVE_INFINITY;
  for (const nu of nus) best = Math.max(best, phi(nu).value);
  // Beyond the last breakpoint phi is linear: a positive slope there means the floor is above the maximum return.
  const far = phi(2 * (nus.at(-1) as number) + 1);
  if (far.slope > 1e-12 * (1 + Math.abs(r))) return Number.NEGATIVE_INFINITY;
  return Math.max(best, far.value);
}

/** grad of w'(S + gamma I)w: 2 (S + gamma I) w. */
function gradient(b: BoxProblem, w: ArrayLike<number>): Float64Array {
  const n = b.mu.length;
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = (b.l2 ?? 0) * (w[i] as number);
    for (let j = 0; j < n; j++) s += (b.cov[i * n + j] as number) * (w[j] as number);
    g[i] = 2 * s;
  }
  return g;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Frank-Wolfe gap of the variance (plus L2) at w over {box, budget, mu'x >= floor}, relative to max |S|. */
function varianceGap(b: BoxProblem, w: ArrayLike<number>, floor: number): number {
  const g = gradient(b, w);
  const lp = lpMin(g, b.mu, floor, b.lo, b.hi);
  let scale = b.l2 ?? 0;
  for (const v of b.cov) scale = Math.max(scale, Math.abs(v));
  return (dot(g, w) - lp) / scale;
}

/** Every constraint to 1e-9: the box, the budget. */
function expectFeasible(b: BoxProblem, w: ArrayLike<number>): void {
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    const v = w[i] as number;
    expect(v).toBeGreaterThanOrEqual(b.lo - 1e-9);
    expect(v).toBeLessThanOrEqual(b.hi + 1e-9);
    sum += v;
  }
  expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
}

function volatility(b: BoxProblem, w: ArrayLike<number>): number {
  const n = b.mu.length;
  let v = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) v += (w[i] as number) * (b.cov[i * n + j] as number) * (w[j] as number);
  return Math.sqrt(Math.max(v, 0));
}

// ------------------------------------------------------------------------------------------ the checks

const stats = { returnSolved: 0, returnInfeasible: 0, riskSolved: 0, riskInfeasible: 0, riskAtTop: 0 };

/** Runs an objective; anything but a result or an InfeasibleError fails the test with the problem's name. */
function run(b: BoxProblem, objective: Objective): { weights: Float64Array } | InfeasibleError {
  try {
    return optimizeSync(problemOf(b), objective);
  } catch (error) {
    if (error instanceof InfeasibleError) return error;
    throw new Error(`${b.name}, ${JSON.stringify(objective)}: ${String(error)}`);
  }
}

function checkEfficientReturn(b: BoxProblem, target: number): void {
  const top = maxReturn(b);
  const out = run(b, { kind: 'efficient-return', targetReturn: target });
  const tol = 1e-9 * Math.max(1, Math.abs(top));
  if (out instanceof InfeasibleError) {
    expect(target, `${b.name}: target ${target} refused below the maximum return ${top}`).toBeGreaterThan(top - tol);
    expect(out.message).toMatch(/^target return \S+ is above the maximum attainable \S+ under the constraints/);
    stats.returnInfeasible++;
    return;
  }
  expect(target, `${b.name}: target ${target} above the maximum return ${top} accepted`).toBeLessThan(top + tol);
  expectFeasible(b, out.weights);
  expect(dot(b.mu, out.weights)).toBeGreaterThanOrEqual(Math.min(target, top) - 1e-9);
  // The gap over the problem's own feasible set (the return floor at most the maximum return): a floor moved by the
  // weights' rounding (1e-13 in the return) can move the optimum by 1e-8 where the best returns nearly tie.
  const gap = varianceGap(b, out.weights, Math.min(target, top));
  expect(gap, `${b.name}: efficient return ${target}`).toBeLessThan(1e-9);
  stats.returnSolved++;
}

function checkEfficientRisk(b: BoxProblem, sigma: number, minVol: number): void {
  const out = run(b, { kind: 'efficient-risk', targetVolatility: sigma });
  if (out instanceof InfeasibleError) {
    expect(sigma, `${b.name}: target volatility ${sigma} refused above the minimum ${minVol}`).toBeLessThan(
      minVol * (1 + 1e-9),
    );
    expect(out.message).toMatch(/^target volatility \S+ is below the minimum volatility \S+ attainable/);
    stats.riskInfeasible++;
    return;
  }
  expect(sigma, `${b.name}: target volatility ${sigma} below the minimum ${minVol} accepted`).toBeGreaterThan(
    minVol * (1 - 1e-9),
  );
  expectFeasible(b, out.weights);
  const vol = volatility(b, out.weights);
  const ret = dot(b.mu, out.weights);
  expect(vol).toBeLessThanOrEqual(sigma + 1e-9);
  // Either at the target and efficient at its own return (the variance gap at floor mu'w), or below the target at
  // the top: the maximum return with the least variance (the gap at the maximum return as floor).
  const top = maxReturn(b);
  const atTop = Math.abs(vol - sigma) > 1e-9;
  expect(varianceGap(b, out.weights, atTop ? top : ret), `${b.name}: efficient risk ${sigma}`).toBeLessThan(1e-9);
  if (atTop) {
    expect(ret, `${b.name}: efficient risk ${sigma} below its target without the maximum return`).toBeGreaterThan(
      top - 1e-9 * Math.max(1, Math.abs(top)),
    );
    stats.riskAtTop++;
  }
  stats.riskSolved++;
}

/** The minimum of w'Sw (plus L2), certified by its variance gap (no return floor): its volatility and return. */
function certifiedMinVolatility(b: BoxProblem): { vol: number; ret: number } {
  const r = optimizeSync(problemOf(b), { kind: 'min-volatility' });
  expect(varianceGap(b, r.weights, Number.NEGATIVE_INFINITY), `${b.name}: min volatility`).toBeLessThan(1e-9);
  return { vol: r.volatility, ret: r.expectedReturn };
}

/**
 * Runs both objectives on a problem: return targets at the minimum-volatility return, the maximum return (and a hair
 * above), each asset's own return, and random values over and around [min, max] of mu; volatility targets at the
 * minimum volatility (and a hair below), the top's volatility, and random values around that range.
 */
function exercise(b: BoxProblem, rng: Random, randomTargets: number): void {
  const mv = certifiedMinVolatility(b);
  const top = maxReturn(b);
  let muLo = Number.POSITIVE_INFINITY;
  let muHi = Number.NEGATIVE_INFINITY;
  for (const m of b.mu) {
    muLo = Math.min(muLo, m);
    muHi = Math.max(muHi, m);
  }
  const returns = [mv.ret, top, top * (1 + 1e-13), top + 1e-6, ...b.mu];
  for (let k = 0; k < randomTargets; k++) returns.push(muLo - 0.05 + (muHi - muLo + 0.1) * rng.nextDouble());
  for (const r of returns) checkEfficientReturn(b, r);
  if (b.l2 !== undefined) return;
  const topWeights = run(b, { kind: 'efficient-return', targetReturn: top });
  const topVol = topWeights instanceof InfeasibleError ? mv.vol : volatility(b, topWeights.weights);
  const sigmas = [mv.vol, mv.vol * (1 - 1e-6), mv.vol * (1 + 1e-12), topVol, topVol * 1.01];
  for (let k = 0; k < randomTargets; k++)
    sigmas.push(mv.vol * 0.95 + (topVol * 1.1 - mv.vol * 0.95) * rng.nextDouble());
  for (const s of sigmas) if (s > 0) checkEfficientRisk(b, s, mv.vol);
}

// ------------------------------------------------------------------------------------------ problem sources

/** The assets of a window with every price, and the window cut to them. */
function completeColumns(window: DatedMatrix): DatedMatrix | undefined {
  const keep: string[] = [];
  window.tickers.forEach((t, j) => {
    const col = window.values.subarray(j * window.rowCount, (j + 1) * window.rowCount);
    if (col.every((v) => Number.isFinite(v))) keep.push(t);
  });
  return keep.length >= 2 ? window.selectTickers(keep) : undefined;
}

/** Estimation windows of L returns (L + 1 prices) ending at every `step`-th date. */
function rollingWindows(prices: DatedMatrix, lookback: number, step: number): DatedMatrix[] {
  const out: DatedMatrix[] = [];
  for (let end = lookback; end < prices.rowCount; end += step) {
    const rows = Int32Array.from({ length: lookback + 1 }, (_, k) => end - lookback + k);
    const w = completeColumns(prices.selectRows(rows));
    if (w && w.tickers.length < lookback) out.push(w);
  }
  return out;
}

function estimated(
  name: string,
  window: DatedMatrix,
  returnsModel: 'mean' | 'cagr',
  riskModel: 'sample' | 'ledoit-wolf',
  bounds: readonly [number, number],
): BoxProblem | undefined {
  const n = window.tickers.length;
  if (bounds[1] * n < 1) return undefined;
  const mu = Float64Array.from(estimateReturns(window, returnsModel).values);
  const cov = Float64Array.from(estimateRisk(window, riskModel).values);
  const first = window.dates[0] as number;
  return {
    name: `${name} ${returnsModel}/${riskModel} [${bounds}] from day ${first}`,
    mu,
    cov,
    lo: bounds[0],
    hi: bounds[1],
  };
}

/** A covariance B B' + D from k factors (the helper of the synthetic constructions below). */
function factorCovariance(loadings: number[][], idio: number[]): Float64Array {
  const n = idio.length;
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? (idio[i] as number) : 0;
      const li = loadings[i] as number[];
      const lj = loadings[j] as number[];
      for (let f = 0; f < li.length; f++) s += (li[f] as number) * (lj[f] as number);
      cov[i * n + j] = s;
    }
  }
  return cov;
}

/** Appends a copy of asset k (same return; same covariance plus `jitter` on its variance: 0 keeps it singular). */
function duplicate(b: BoxProblem, k: number, jitter: number, name: string): BoxProblem {
  const n = b.mu.length;
  const m = n + 1;
  const src = (i: number): number => (i === n ? k : i);
  const cov = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) cov[i * m + j] = b.cov[src(i) * n + src(j)] as number;
  cov[n * m + n] = (cov[n * m + n] as number) + jitter;
  const mu = Float64Array.from({ length: m }, (_, i) => b.mu[src(i)] as number);
  return { ...b, name: `${b.name} + copy of ${k} (${name})`, mu, cov, hi: Math.max(b.hi, 1 / m) };
}

// ------------------------------------------------------------------------------------------ the tests

/** A time limit generous for a loaded machine (these tests assert nothing about time). */
const SLOW = 180_000;

describe('efficient return and efficient risk on degenerate and rolling-window problems (seeded)', () => {
  it('the reported failures: the long-only minimum-volatility portfolio is one asset (IBM)', () => {
    const four = loadPrices('sample:stocks').selectTickers(['MSFT', 'AMZN', 'IBM', 'AAPL']);
    // IBM also has the highest mean return: the frontier is one point.
    const single = estimated(
      'stocks 2000-02..2002-02',
      four.between('2000-02-01', '2002-02-01'),
      'mean',
      'sample',
      [0, 1],
    );
    // The 10-return window of a backtest rebalance on 2001-11-01 (CAGR): the frontier runs from IBM to MSFT.
    const backtest = estimated(
      'stocks 2001-01..2001-11',
      four.between('2001-01-01', '2001-11-01'),
      'cagr',
      'sample',
      [0, 1],
    );
    if (!single || !backtest) throw new Error('no problem');
    const r = optimizeSync(problemOf(single), { kind: 'efficient-return', targetReturn: 0.05 });
    expect(Array.from(r.weights)).toEqual([0, 0, 1, 0]);
    const top = optimizeSync(problemOf(backtest), { kind: 'efficient-risk', targetVolatility: 0.5 });
    expect(Array.from(top.weights)).toEqual([1, 0, 0, 0]);
    checkEfficientReturn(single, 0.05);
    checkEfficientRisk(backtest, 0.5, certifiedMinVolatility(backtest).vol);
    exercise(single, new Random(7), 10);
    exercise(backtest, new Random(8), 10);
  });

  it('a target on a segment where the two best returns nearly tie is placed to 1e-10 in the weights', () => {
    // Before, the walk's return slope carried rounding of the size of the returns and its correction steps errors
    // of 1e-16 times lambda |mu|: the weights missed by 8.6e-9.
    const mu = [
      0.051864737037396275, 0.14759226290354702, 0.1544135098205748, 0.15442539219342943, 0.0759111155362, 0.07596,
    ];
    const problem = { ...randomProblem(301041, { n: 6, bounds: 'long' }), expectedReturns: mu };
    for (const below of [0, 1e-13, 1e-11, 1e-9]) {
      const target = (mu[3] as number) - below;
      const r = optimizeSync(problem, { kind: 'efficient-return', targetReturn: target });
      // Only the two best assets are held near the top: w2 = (mu3 - target) / (mu3 - mu2).
      const w2 = ((mu[3] as number) - target) / ((mu[3] as number) - (mu[2] as number));
      expect(Math.abs((r.weights[2] as number) - w2), `${below} below the maximum`).toBeLessThan(1e-10);
      expect(Math.abs((r.weights[3] as number) - (1 - w2))).toBeLessThan(1e-10);
    }
  });

  it(
    'rolling windows of sample:stocks (every lookback from 6 to 36 months, both returns models, two risk models)',
    () => {
      const prices = loadPrices('sample:stocks');
      const rng = new Random(20261124);
      let count = 0;
      for (const lookback of [6, 8, 10, 12, 18, 24, 36]) {
        for (const window of rollingWindows(prices, lookback, lookback <= 12 ? 1 : 3)) {
          for (const returnsModel of ['mean', 'cagr'] as const) {
            for (const riskModel of ['sample', 'ledoit-wolf'] as const) {
              const bounds = BOUNDS[rng.int(BOUNDS.length)] as readonly [number, number];
              const b = estimated(`stocks L=${lookback}`, window, returnsModel, riskModel, bounds);
              if (!b) continue;
              exercise(b, rng, 3);
              count++;
            }
          }
        }
      }
      expect(count).toBeGreaterThan(1000);
    },
    SLOW,
  );

  it(
    'rolling windows of synthetic markets (3 to 12 assets, monthly and weekly, with crashes)',
    () => {
      const rng = new Random(424242);
      let count = 0;
      for (let seed = 1; seed <= 12; seed++) {
        const assets = 3 + (seed % 10);
        const market = generateMarket({
          assets,
          periods: 120,
          seed,
          frequency: seed % 3 === 0 ? 'weekly' : 'monthly',
          crash: seed % 4 === 0,
          alphaSd: seed % 5 === 0 ? 0 : 0.05,
          betaSd: seed % 6 === 0 ? 0 : 0.3,
        });
        const lookback = assets + 2 + (seed % 3) * 12;
        for (const window of rollingWindows(market.prices, lookback, 7)) {
          for (const bounds of BOUNDS) {
            const b = estimated(
              `synthetic #${seed} L=${lookback}`,
              window,
              seed % 2 ? 'mean' : 'cagr',
              'sample',
              bounds,
            );
            if (!b) continue;
            exercise(b, rng, 4);
            count++;
          }
        }
      }
      expect(count).toBeGreaterThan(150);
    },
    SLOW,
  );

  it(
    'constructed degeneracies: a dominant asset, ties, equal returns, duplicates, an asset at the target',
    () => {
      const rng = new Random(99);
      for (let trial = 0; trial < 60; trial++) {
        const n = 3 + rng.int(8);
        const bounds = BOUNDS[trial % BOUNDS.length] as readonly [number, number];
        if (bounds[1] * n < 1) continue;
        const mu = Float64Array.from({ length: n }, () => 0.02 + 0.1 * rng.nextDouble());
        // One market factor; asset 0 is the market itself with a tiny idiosyncratic risk.
        const tie = trial % 2 === 0;
        const betas = Array.from({ length: n }, (_, i) => (i === 0 || tie ? 1 : 1.05 + 0.5 * rng.nextDouble()));
        const idio = Array.from({ length: n }, (_, i) => (i === 0 ? 1e-4 : 0.01 + 0.05 * rng.nextDouble()));
        const cov = factorCovariance(
          betas.map((beta) => [0.2 * beta, 0.05 * rng.normal()]),
          idio,
        );
        const base: BoxProblem = {
          name: `constructed #${trial} n=${n} [${bounds}]`,
          mu,
          cov,
          lo: bounds[0],
          hi: bounds[1],
        };
        // The minimum-volatility asset also earns the most: the frontier is (nearly) one point.
        const dominant = Float64Array.from(mu);
        dominant[0] = Math.max(...mu) + 0.01;
        exercise({ ...base, name: `${base.name} dominant`, mu: dominant }, rng, 4);
        exercise(base, rng, 4);
        // Every asset earns the same: the frontier is the minimum-volatility point.
        exercise({ ...base, name: `${base.name} equal returns`, mu: new Float64Array(n).fill(0.07) }, rng, 4);
        // Two returns tie (the walk's free assets then tie along the budget).
        const ties = Float64Array.from(mu);
        ties[1] = ties[2 % n] as number;
        exercise({ ...base, name: `${base.name} tied returns`, mu: ties }, rng, 4);
        // The two best returns nearly tie (1e-6 to 1.1e-5 apart; closer, the oracle's dual multiplier grows past 1e5 and
        // its own rounding reaches 1e-9): the frontier's last segments are long in lambda and nearly flat in return.
        const near = Float64Array.from(mu);
        const best = near.indexOf(Math.max(...near));
        near[(best + 1) % n] = (near[best] as number) - (1 + 10 * rng.nextDouble()) * 1e-6;
        exercise({ ...base, name: `${base.name} near tie at the top`, mu: near }, rng, 4);
        // Duplicated assets: nearly singular (jitter 1e-10) and exactly singular with L2 regularisation.
        const k = rng.int(n);
        exercise(duplicate(base, k, 1e-10, 'jitter 1e-10'), rng, 4);
        exercise(duplicate({ ...base, mu: dominant }, 0, 1e-10, 'dominant, jitter 1e-10'), rng, 4);
        exercise({ ...duplicate(base, k, 0, 'exact'), l2: 1e-3 }, rng, 4);
      }
    },
    SLOW,
  );

  it(
    'sector limits that repeat the budget or a bound (KKT conditions where the multipliers are determined)',
    () => {
      const rng = new Random(31337);
      let checked = 0;
      for (let trial = 0; trial < 150; trial++) {
        const n = 3 + rng.int(10);
        const base = randomProblem(5000 + trial, { n, bounds: (['long', 'capped', 'long-short'] as const)[trial % 3] });
        const tickers = base.tickers as string[];
        const bounds = (base.bounds as readonly [number, number] | undefined) ?? [0, 1];
        const mu = Float64Array.from(base.expectedReturns);
        if (trial % 4 === 1) mu[1] = mu[0] as number;
        if (trial % 4 === 2) mu.fill(0.05);
        // One sector holding every asset (a copy of the budget), one asset alone (a copy of its bound), or three.
        const style = trial % 3;
        const map: Record<string, string> = {};
        tickers.forEach((t, i) => {
          map[t] = style === 0 ? 'All' : style === 1 ? (i === 0 ? 'One' : 'Rest') : `S${rng.int(3)}`;
        });
        const lower: Record<string, number> = {};
        const upper: Record<string, number> = {};
        for (const s of new Set(Object.values(map))) {
          const members = tickers.filter((t) => map[t] === s).length;
          const u = rng.nextDouble();
          if (u < 0.3) upper[s] = Math.min(1, members * bounds[1]);
          else if (u < 0.5) upper[s] = 0.2 + 0.6 * rng.nextDouble();
          else if (u < 0.6) lower[s] = Math.max(0, members * bounds[0]);
          else if (u < 0.7) lower[s] = 0.1 * rng.nextDouble();
          if (s === 'All' && rng.nextDouble() < 0.5) {
            lower[s] = 1;
            upper[s] = 1;
          }
        }
        const problem: MeanVarianceProblem = { ...base, expectedReturns: mu, sectors: { map, lower, upper } };
        // The KKT check fits the multipliers by least squares, which a row repeated exactly defeats: the sector of
        // every asset only repeats the budget (the frontier exists, so its limits allow it), and is left out there.
        const kktProblem: MeanVarianceProblem = style === 0 ? { ...problem, sectors: undefined } : problem;
        let frontier: ReturnType<typeof efficientFrontierSync>;
        try {
          frontier = efficientFrontierSync(problem, { points: 6 });
        } catch (error) {
          if (error instanceof InfeasibleError) continue;
          throw new Error(`sectors #${trial}: ${String(error)}`);
        }
        const low = frontier.minVolatility.expectedReturn;
        const targets = [low, frontier.maxReturn, ...mu, low + rng.nextDouble() * (frontier.maxReturn - low)];
        for (const target of targets) {
          if (target > frontier.maxReturn + 1e-9) {
            expect(() => optimizeSync(problem, { kind: 'efficient-return', targetReturn: target })).toThrow(
              /is above the maximum attainable/,
            );
            continue;
          }
          const r = optimizeSync(problem, { kind: 'efficient-return', targetReturn: target });
          const floor = Math.min(target, r.expectedReturn);
          const kkt = kktResidual(qpOf(kktProblem, { risk: 1, l2: 0, ret: 0, returnFloor: floor }), r.weights);
          expect(kkt.primalInfeasibility, `sectors #${trial} target ${target}`).toBeLessThan(1e-9);
          expect(kkt.stationarity, `sectors #${trial} target ${target}`).toBeLessThan(1e-9);
          if (kkt.determined) {
            expect(kkt.dualInfeasibility, `sectors #${trial} target ${target}`).toBeLessThan(1e-9);
            checked++;
          }
        }
        for (const sigma of [frontier.minVolatility.volatility, ...frontier.volatilities]) {
          const r = optimizeSync(problem, { kind: 'efficient-risk', targetVolatility: sigma });
          expect(r.volatility).toBeLessThanOrEqual(sigma + 1e-9);
          const kkt = kktResidual(
            qpOf(kktProblem, { risk: 1, l2: 0, ret: 0, returnFloor: r.expectedReturn }),
            r.weights,
          );
          expect(kkt.primalInfeasibility).toBeLessThan(1e-9);
          expect(kkt.stationarity).toBeLessThan(1e-9);
          if (kkt.determined) expect(kkt.dualInfeasibility).toBeLessThan(1e-9);
          if (r.volatility < sigma - 1e-9) expect(r.expectedReturn).toBeGreaterThan(frontier.maxReturn - 1e-9);
        }
      }
      expect(checked).toBeGreaterThan(300);
    },
    SLOW,
  );

  it('found every kind of answer', () => {
    expect(stats.returnSolved).toBeGreaterThan(1000);
    expect(stats.returnInfeasible).toBeGreaterThan(100);
    expect(stats.riskSolved).toBeGreaterThan(1000);
    expect(stats.riskInfeasible).toBeGreaterThan(100);
    expect(stats.riskAtTop).toBeGreaterThan(100);
  });
});

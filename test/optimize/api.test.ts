/**
 * The public functions: result fields and their formulas, closed-form cases, the volatility cap, solver selection,
 * the synchronous variants, the covariance check modes, a singular covariance, and the frontier's shape.
 */

import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import {
  efficientFrontier,
  efficientFrontierSync,
  efficientReturn,
  efficientRisk,
  type MeanVarianceProblem,
  maxSharpe,
  maxUtility,
  minVolatility,
  optimize,
  optimizeSync,
  SolverError,
} from '../../src/optimize/index.js';
import { loadHighs } from '../../src/optimize/solvers/highs-loader.js';
import { maxDiff, randomProblem } from './helpers.js';

const problem = randomProblem(4242, { n: 12, bounds: 'long', riskFreeRate: 0.03 });
const n = 12;
const S = problem.covariance as Float64Array;
const mu = Float64Array.from(problem.expectedReturns);

function variance(w: ArrayLike<number>): number {
  let v = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) v += (w[i] as number) * (S[i * n + j] as number) * (w[j] as number);
  return v;
}

/** Solves S x = b by Gaussian elimination (a closed-form reference). */
function solveLinear(b: Float64Array): Float64Array {
  const a = Float64Array.from(S);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    for (let i = c + 1; i < n; i++) {
      const f = (a[i * n + c] as number) / (a[c * n + c] as number);
      for (let k = c; k < n; k++) a[i * n + k] = (a[i * n + k] as number) - f * (a[c * n + k] as number);
      x[i] = (x[i] as number) - f * (x[c] as number);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < n; k++) s -= (a[i * n + k] as number) * (x[k] as number);
    x[i] = s / (a[i * n + i] as number);
  }
  return x;
}

describe('results', () => {
  it('report weights by ticker, return, volatility, Sharpe ratio and the objective value by their formulas', async () => {
    const checks = [
      [await minVolatility(problem), (w: Float64Array) => variance(w)],
      [await maxUtility(problem, 4), (w: Float64Array) => dot(mu, w) - 2 * variance(w)],
      [await maxSharpe(problem), (w: Float64Array) => (dot(mu, w) - 0.03) / Math.sqrt(variance(w))],
    ] as const;
    for (const [r, objective] of checks) {
      expect(r.tickers).toEqual(problem.tickers);
      (problem.tickers as string[]).forEach((t, i) => {
        expect(r.weightsByTicker[t]).toBe(r.weights[i]);
      });
      expect(r.expectedReturn).toBeCloseTo(dot(mu, r.weights), 14);
      expect(r.volatility).toBeCloseTo(Math.sqrt(variance(r.weights)), 14);
      expect(r.sharpe).toBeCloseTo((r.expectedReturn - 0.03) / r.volatility, 13);
      expect(r.objectiveValue).toBeCloseTo(objective(r.weights), 13);
      expect(r.riskFreeRate).toBe(0.03);
      expect(r.solver).toBe('active-set');
      expect(r.iterations).toBeGreaterThan(0);
      expect(r.turnover).toBe(0);
    }
  });

  it('match the closed form without bounds: w = S^-1 1 / (1 S^-1 1), and the unconstrained tangency S^-1 (mu - rf)', async () => {
    const free = { ...problem, bounds: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] as [number, number] };
    const x = solveLinear(new Float64Array(n).fill(1));
    const sum = x.reduce((a, b) => a + b, 0);
    const r = await minVolatility(free);
    expect(
      maxDiff(
        r.weights,
        x.map((v) => v / sum),
      ),
    ).toBeLessThan(1e-12);
    const t = solveLinear(mu.map((m) => m - 0.03));
    const ts = t.reduce((a, b) => a + b, 0);
    const ms = await maxSharpe(free);
    expect(
      maxDiff(
        ms.weights,
        t.map((v) => v / ts),
      ),
    ).toBeLessThan(1e-10);
  });

  it('efficient return below the minimum-volatility return gives the minimum-volatility portfolio', async () => {
    const mv = await minVolatility(problem);
    const r = await efficientReturn(problem, mv.expectedReturn - 0.05);
    expect(maxDiff(r.weights, mv.weights)).toBeLessThan(1e-12);
  });

  it('efficient risk above the top of the frontier gives the maximum-return portfolio', async () => {
    const f = efficientFrontierSync(problem, { points: 2 });
    const r = await efficientRisk(problem, (f.volatilities[1] as number) + 0.5);
    expect(maxDiff(r.weights, f.weights[1] as Float64Array)).toBeLessThan(1e-12);
    expect(r.expectedReturn).toBeCloseTo(Math.max(...mu), 14);
  });
});

describe('the volatility cap', () => {
  it('turns a max-utility portfolio above the cap into the efficient-risk portfolio at the cap, with a note', async () => {
    const loose = await maxUtility(problem, 0.5);
    const cap = 0.8 * loose.volatility;
    const capped = await maxUtility({ ...problem, maxVolatility: cap }, 0.5);
    expect(capped.volatility).toBeCloseTo(cap, 12);
    expect(capped.notes.join(' ')).toMatch(/volatility cap .* binds/);
    const atCap = await efficientRisk(problem, cap);
    expect(maxDiff(capped.weights, atCap.weights)).toBeLessThan(1e-12);
  });

  it('leaves a portfolio inside the cap alone', async () => {
    const mv = await minVolatility(problem);
    const r = await minVolatility({ ...problem, maxVolatility: mv.volatility * 1.01 });
    expect(maxDiff(r.weights, mv.weights)).toBe(0);
    expect(r.notes).toEqual([]);
  });

  it('is a validation error below an efficient-risk target', async () => {
    await expect(efficientRisk({ ...problem, maxVolatility: 0.1 }, 0.2)).rejects.toThrow(
      /above the volatility cap 0\.1/,
    );
  });

  it('stops the frontier at the cap', async () => {
    const mv = await minVolatility(problem);
    const cap = mv.volatility * 1.3;
    const f = await efficientFrontier({ ...problem, maxVolatility: cap }, { points: 10 });
    expect(f.volatilities.at(-1) as number).toBeCloseTo(cap, 10);
    expect(f.notes.join(' ')).toMatch(/stops at the volatility cap/);
  });
});

describe('solvers', () => {
  it('optimizeSync refuses HiGHS without a loaded runtime and uses it with one', async () => {
    expect(() => optimizeSync(problem, { kind: 'min-volatility' }, { solver: 'highs' })).toThrow(ValidationError);
    const highs = await loadHighs();
    const h = optimizeSync(problem, { kind: 'min-volatility' }, { solver: 'highs', highs });
    expect(h.solver).toBe('highs');
    expect(maxDiff(h.weights, optimizeSync(problem, { kind: 'min-volatility' }).weights)).toBeLessThan(1e-8);
  });

  it('cross-checks the two solvers on request', async () => {
    const r = await optimize(problem, { kind: 'max-sharpe' }, { crossCheck: true });
    expect(r.solver).toBe('active-set');
  });

  it("gives the same result with covarianceCheck 'fast'", () => {
    const a = optimizeSync(problem, { kind: 'max-sharpe' });
    const b = optimizeSync(problem, { kind: 'max-sharpe' }, { covarianceCheck: 'fast' });
    expect(maxDiff(a.weights, b.weights)).toBe(0);
  });

  it('accepts the covariance as rows', () => {
    const rows = Array.from({ length: n }, (_, i) => Array.from(S.subarray(i * n, (i + 1) * n)));
    const a = optimizeSync({ ...problem, covariance: rows }, { kind: 'min-volatility' });
    expect(maxDiff(a.weights, optimizeSync(problem, { kind: 'min-volatility' }).weights)).toBe(0);
  });

  describe('a singular covariance (an asset duplicated)', () => {
    const m = n + 1;
    const cov = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) cov[i * m + j] = S[Math.min(i, n - 1) * n + Math.min(j, n - 1)] as number;
    }
    const singular: MeanVarianceProblem = {
      expectedReturns: [...mu, mu[n - 1] as number],
      covariance: cov,
      bounds: [-1, 1],
    };
    it('is solved by the active-set solver with a bounded ridge (with a note), and by HiGHS on request', async () => {
      const r = await minVolatility(singular);
      expect(r.solver).toBe('active-set');
      expect(r.notes.join(' ')).toMatch(/covariance is singular.*ridge.*within .* of the optimum/);
      // The duplicated pair's total is determined; the split is not.
      const ref = await minVolatility({ ...problem, bounds: [-2, 2] });
      expect(
        Math.abs((r.weights[n - 1] as number) + (r.weights[n] as number) - (ref.weights[n - 1] as number)),
      ).toBeLessThan(1e-7);
      // The ridge moves the variance by at most 1e-9 of the largest variance.
      let maxVariance = 0;
      for (let i = 0; i < m; i++) maxVariance = Math.max(maxVariance, cov[i * m + i] as number);
      expect(Math.abs(r.volatility ** 2 - ref.volatility ** 2)).toBeLessThanOrEqual(1e-9 * maxVariance);
      const h = await minVolatility(singular, { solver: 'highs' });
      expect(h.solver).toBe('highs');
      expect(Math.abs(h.volatility - r.volatility)).toBeLessThan(1e-7);
    });
    it('is solved by optimizeSync too; a ValidationError with the remedies when no bound on ||w|| allows the ridge', () => {
      expect(optimizeSync(singular, { kind: 'min-volatility' }).solver).toBe('active-set');
      const unbounded = { ...singular, bounds: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] as const };
      expect(() => optimizeSync(unbounded, { kind: 'min-volatility' })).toThrow(/singular.*l2 > 0/);
    });
    it('is solved by the active-set solver with L2 regularisation', () => {
      const r = optimizeSync({ ...singular, l2: 1e-3 }, { kind: 'min-volatility' });
      expect(r.solver).toBe('active-set');
      expect(r.weights[n - 1]).toBeCloseTo(r.weights[n] as number, 12);
    });
  });
});

describe('edge configurations agree between the two solvers', () => {
  const base = randomProblem(99, { n: 15, bounds: 'long', sectors: 3 });
  const w0 = new Float64Array(15).fill(1 / 15);
  const inf = Number.POSITIVE_INFINITY;
  const variants: [string, MeanVarianceProblem][] = [
    ['unbounded weights with sector limits', { ...base, bounds: [-inf, inf] }],
    ['unbounded weights, sectors and turnover', { ...base, bounds: [-inf, inf], currentWeights: w0, maxTurnover: 0.5 }],
    ['unbounded weights and gross leverage', { ...base, sectors: undefined, bounds: [-inf, inf], maxLeverage: 1.8 }],
    ['a budget of 0.8 with costs', { ...base, budget: 0.8, currentWeights: w0, transactionCost: 0.002 }],
    [
      'a weight fixed by equal bounds',
      {
        ...base,
        sectors: undefined,
        bounds: { lower: w0.map((_, i) => (i === 3 ? 0.1 : 0)), upper: w0.map((_, i) => (i === 3 ? 0.1 : 1)) },
      },
    ],
  ];
  it.each(variants)('%s', async (_name, p) => {
    for (const objective of [
      { kind: 'min-volatility' },
      { kind: 'max-utility', riskAversion: 3 },
      { kind: 'max-sharpe' },
      { kind: 'efficient-risk', targetVolatility: 0.2 },
    ] as const) {
      const a = await optimize(p, objective);
      const h = await optimize(p, objective, { solver: 'highs' });
      expect(maxDiff(a.weights, h.weights), objective.kind).toBeLessThan(1e-8);
      if (objective.kind === 'efficient-risk') expect(a.volatility).toBeLessThanOrEqual(0.2 + 1e-9);
    }
  });
  it('a market-neutral book with turnover and costs', async () => {
    const p = {
      ...base,
      sectors: undefined,
      bounds: [-0.3, 0.3] as [number, number],
      marketNeutral: true,
      currentWeights: new Float64Array(15),
      maxTurnover: 0.8,
      transactionCost: 0.003,
    };
    for (const objective of [
      { kind: 'max-utility', riskAversion: 3 },
      { kind: 'efficient-risk', targetVolatility: 0.1 },
      { kind: 'efficient-return', targetReturn: 0.05 },
    ] as const) {
      const a = await optimize(p, objective);
      try {
        const h = await optimize(p, objective, { solver: 'highs' });
        expect(maxDiff(a.weights, h.weights), objective.kind).toBeLessThan(1e-8);
      } catch (error) {
        // HiGHS 1.15 fails on some of these QPs (native status -1); pfopt reports it as a SolverError.
        expect(error).toBeInstanceOf(SolverError);
        expect((error as Error).message).toMatch(/HiGHS failed to solve the model/);
      }
      expect(a.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 12);
      expect(a.turnover).toBeLessThanOrEqual(0.8 + 1e-9);
    }
  });
});

describe('the frontier', () => {
  it('has evenly spaced returns from the minimum-volatility return to the maximum return', async () => {
    const f = await efficientFrontier(problem, { points: 11 });
    expect(f.weights).toHaveLength(11);
    expect(f.returns[0]).toBeCloseTo(f.minVolatility.expectedReturn, 14);
    expect(f.returns[10]).toBeCloseTo(Math.max(...mu), 14);
    for (let i = 1; i < 11; i++) {
      expect((f.returns[i] as number) - (f.returns[i - 1] as number)).toBeCloseTo(
        ((f.returns[10] as number) - (f.returns[0] as number)) / 10,
        13,
      );
    }
    expect(f.maxSharpe?.objective).toBe('max-sharpe');
    expect(f.solver).toBe('active-set');
    expect(f.iterations).toBeGreaterThan(f.minVolatility.iterations);
  });

  it('is refused when the maximum return is unbounded', async () => {
    await expect(
      efficientFrontier({ ...problem, bounds: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] }),
    ).rejects.toThrow(/maximum return is unbounded/);
  });

  it('omits the maximum-Sharpe portfolio for a zero budget', () => {
    const f = efficientFrontierSync({ ...problem, marketNeutral: true, bounds: [-0.3, 0.3] }, { points: 5 });
    expect(f.maxSharpe).toBeUndefined();
    expect(f.volatilities[0] as number).toBeLessThan(1e-12);
  });
});

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

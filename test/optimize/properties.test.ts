/**
 * Property tests on seeded random problems (src/core/random.ts): constraints hold to 1e-9, the weights sum to the
 * budget, permuting the assets permutes the weights, the frontier is monotone and starts at the minimum volatility,
 * the KKT conditions hold (checked independently of the solver), efficient risk meets its target, and the active-set
 * and HiGHS engines agree to 1e-7.
 */

import { describe, expect, it } from 'vitest';
import {
  efficientFrontierSync,
  type MeanVarianceProblem,
  type Objective,
  optimize,
  optimizeSync,
  type PortfolioResult,
  SolverError,
} from '../../src/optimize/index.js';
import { kktResidual, maxDiff, qpOf, type RandomProblemOptions, randomProblem } from './helpers.js';

const KINDS: RandomProblemOptions['bounds'][] = ['long', 'capped', 'long-short'];

/** 36 problems: n from 4 to 60, the three bound styles, with and without sectors. */
const PROBLEMS: [string, MeanVarianceProblem][] = Array.from({ length: 36 }, (_, k) => {
  const n = [4, 7, 12, 20, 33, 60][k % 6] as number;
  const bounds = KINDS[Math.floor(k / 6) % 3];
  const sectors = k >= 18 ? 3 : 0;
  return [`#${k} n=${n} ${bounds}${sectors ? ' sectors' : ''}`, randomProblem(1000 + k, { n, bounds, sectors })];
});

function assertConstraints(problem: MeanVarianceProblem, r: PortfolioResult): void {
  const w = r.weights;
  const b = (problem.bounds as readonly [number, number] | undefined) ?? [0, 1];
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    const v = w[i] as number;
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(b[0] - 1e-9);
    expect(v).toBeLessThanOrEqual(b[1] + 1e-9);
    if (b[0] >= 0) expect(v).toBeGreaterThanOrEqual(0);
    sum += v;
  }
  expect(Math.abs(sum - (problem.budget ?? 1))).toBeLessThan(1e-9);
  const sectors = problem.sectors;
  if (sectors) {
    const totals = new Map<string, number>();
    (problem.tickers as string[]).forEach((t, i) => {
      const s = sectors.map[t] as string;
      totals.set(s, (totals.get(s) ?? 0) + (w[i] as number));
    });
    for (const [s, total] of totals) {
      expect(total).toBeGreaterThanOrEqual((sectors.lower?.[s] ?? Number.NEGATIVE_INFINITY) - 1e-9);
      expect(total).toBeLessThanOrEqual((sectors.upper?.[s] ?? Number.POSITIVE_INFINITY) + 1e-9);
    }
  }
}

let degenerate = 0;
let highsDefects = 0;

/** HiGHS's QP solver can stop at a non-optimal point or fail outright: pfopt must refuse it with a SolverError. */
function expectHighsDefect(error: unknown): void {
  expect(error).toBeInstanceOf(SolverError);
  expect((error as Error).message).toMatch(
    /HiGHS (reported an optimal solution that fails the optimality conditions|failed)/,
  );
  highsDefects++;
}

/**
 * A KKT report scaled by the problem's gradient scale must be tight. At a degenerate point (multipliers not unique)
 * only feasibility and stationarity are checked; the engines' agreement with HiGHS covers those points.
 */
function expectKkt(report: ReturnType<typeof kktResidual>, scale: number): void {
  expect(report.primalInfeasibility).toBeLessThan(1e-9);
  expect(report.stationarity / scale).toBeLessThan(1e-9);
  if (report.determined) expect(report.dualInfeasibility / scale).toBeLessThan(1e-9);
  else degenerate++;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

describe.each(PROBLEMS)('random problem %s', (_name, problem) => {
  const muScale = maxAbs(problem.expectedReturns);
  const covScale = maxAbs(problem.covariance as Float64Array);

  it('min volatility: constraints and KKT conditions', () => {
    const r = optimizeSync(problem, { kind: 'min-volatility' });
    assertConstraints(problem, r);
    expectKkt(kktResidual(qpOf(problem, { risk: 1, l2: 0, ret: 0 }), r.weights), covScale);
  });

  it('max utility (delta 3, L2 0.01): constraints and KKT conditions', () => {
    const r = optimizeSync({ ...problem, l2: 0.01 }, { kind: 'max-utility', riskAversion: 3 });
    assertConstraints(problem, r);
    expectKkt(kktResidual(qpOf(problem, { risk: 1.5, l2: 0.01, ret: 1 }), r.weights), covScale + muScale);
  });

  it('efficient return: constraints, the return floor and KKT conditions', () => {
    const f = efficientFrontierSync(problem, { points: 5 });
    const target = f.returns[2] as number;
    const r = optimizeSync(problem, { kind: 'efficient-return', targetReturn: target });
    assertConstraints(problem, r);
    expect(r.expectedReturn).toBeGreaterThanOrEqual(target - 1e-12);
    expectKkt(kktResidual(qpOf(problem, { risk: 1, l2: 0, ret: 0, returnFloor: target }), r.weights), covScale);
  });

  it('max Sharpe: constraints, and the KKT conditions of its utility form (risk aversion 2 sigma^2 / excess)', () => {
    const ms = optimizeSync(problem, { kind: 'max-sharpe' });
    assertConstraints(problem, ms);
    const excess = ms.expectedReturn - (problem.riskFreeRate ?? 0);
    expect(excess).toBeGreaterThan(0);
    const lambda = (2 * ms.volatility * ms.volatility) / excess;
    expectKkt(
      kktResidual(qpOf(problem, { risk: 1, l2: 0, ret: lambda }), ms.weights, 1e-9),
      covScale + lambda * muScale,
    );
  });

  it('max Sharpe beats every frontier point and the min-volatility portfolio', () => {
    const f = efficientFrontierSync(problem, { points: 25 });
    const ms = f.maxSharpe as PortfolioResult;
    expect(ms).toBeDefined();
    for (const s of f.sharpes) expect(ms.sharpe).toBeGreaterThanOrEqual(s - 1e-12);
    expect(ms.sharpe).toBeGreaterThanOrEqual(f.minVolatility.sharpe - 1e-12);
  });

  it('the frontier is monotone and starts at the minimum volatility', () => {
    const f = efficientFrontierSync(problem, { points: 20 });
    expect(maxDiff(f.weights[0] as Float64Array, f.minVolatility.weights)).toBeLessThan(1e-12);
    for (let i = 1; i < f.returns.length; i++) {
      expect(f.returns[i] as number).toBeGreaterThan((f.returns[i - 1] as number) - 1e-14);
      expect(f.volatilities[i] as number).toBeGreaterThanOrEqual((f.volatilities[i - 1] as number) - 1e-14);
      expect(f.volatilities[i] as number).toBeGreaterThanOrEqual(f.minVolatility.volatility - 1e-14);
    }
    expect(Math.abs((f.returns.at(-1) as number) - f.maxReturn)).toBeLessThan(1e-12);
    for (const w of f.weights) {
      assertConstraints(problem, { weights: w } as PortfolioResult);
    }
  });

  it('efficient risk meets its target volatility to 1e-9 (exact walk and, with L2, the parametric search)', () => {
    const mv = optimizeSync(problem, { kind: 'min-volatility' });
    const f = efficientFrontierSync(problem, { points: 2 });
    const top = f.volatilities[1] as number;
    const target = mv.volatility + 0.4 * (top - mv.volatility);
    if (top - mv.volatility < 1e-6) return;
    const r = optimizeSync(problem, { kind: 'efficient-risk', targetVolatility: target });
    assertConstraints(problem, r);
    expect(Math.abs(r.volatility - target)).toBeLessThan(1e-9);
    // With L2 the objective mu'w - gamma ||w||^2 has an unconstrained maximiser; the target binds only above its
    // volatility (found as max utility with a vanishing risk aversion).
    const l2Problem = { ...problem, l2: 0.02 };
    const peak = optimizeSync(l2Problem, { kind: 'max-utility', riskAversion: 1e-13 });
    const l2Target = mv.volatility + 0.5 * (peak.volatility - mv.volatility);
    const withL2 = optimizeSync(l2Problem, { kind: 'efficient-risk', targetVolatility: l2Target });
    assertConstraints(problem, withL2);
    if (peak.volatility - mv.volatility > 1e-6) expect(Math.abs(withL2.volatility - l2Target)).toBeLessThan(1e-9);
    const above = optimizeSync(l2Problem, { kind: 'efficient-risk', targetVolatility: peak.volatility + 0.05 });
    expect(maxDiff(above.weights, peak.weights)).toBeLessThan(1e-9);
  });

  it('permuting the assets permutes the weights', () => {
    const n = (problem.tickers as string[]).length;
    const perm = Array.from({ length: n }, (_, i) => (i * 7 + 3) % n);
    if (new Set(perm).size !== n) perm.reverse();
    const order = new Set(perm).size === n ? perm : Array.from({ length: n }, (_, i) => n - 1 - i);
    const S = problem.covariance as Float64Array;
    const permuted: MeanVarianceProblem = {
      ...problem,
      expectedReturns: Float64Array.from(order, (i) => problem.expectedReturns[i] as number),
      covariance: Float64Array.from(
        { length: n * n },
        (_, k) => S[(order[Math.floor(k / n)] as number) * n + (order[k % n] as number)] as number,
      ),
      tickers: order.map((i) => (problem.tickers as string[])[i] as string),
    };
    for (const objective of [
      { kind: 'min-volatility' },
      { kind: 'max-sharpe' },
      { kind: 'max-utility', riskAversion: 2 },
    ] as Objective[]) {
      const a = optimizeSync(problem, objective);
      const b = optimizeSync(permuted, objective);
      order.forEach((i, k) => {
        expect(Math.abs((b.weights[k] as number) - (a.weights[i] as number))).toBeLessThan(1e-9);
      });
    }
  });

  it('the active-set and HiGHS engines agree to 1e-7', async () => {
    const objectives: Objective[] = [
      { kind: 'min-volatility' },
      { kind: 'max-sharpe' },
      { kind: 'max-utility', riskAversion: 4 },
    ];
    for (const objective of objectives) {
      const a = optimizeSync(problem, objective);
      try {
        const h = await optimize(problem, objective, { solver: 'highs' });
        expect(maxDiff(a.weights, h.weights)).toBeLessThan(1e-7);
      } catch (error) {
        // HiGHS may stop at a non-optimal point or fail; pfopt must then refuse it rather than return it.
        expectHighsDefect(error);
      }
    }
  });
});

describe('turnover, leverage and transaction costs on random problems', () => {
  const cases = Array.from({ length: 12 }, (_, k) => {
    const n = [6, 15, 30][k % 3] as number;
    const base = randomProblem(2000 + k, { n, bounds: k % 2 === 0 ? 'long-short' : 'capped' });
    const w0 = Float64Array.from({ length: n }, (_, i) => ((i % 3) + 1) / ((n / 3) * 6));
    const sum = w0.reduce((a, b) => a + b, 0);
    for (let i = 0; i < n; i++) w0[i] = (w0[i] as number) / sum;
    const problem: MeanVarianceProblem = {
      ...base,
      currentWeights: w0,
      ...(k % 4 < 2 ? { maxTurnover: 0.3 + 0.1 * (k % 3) } : {}),
      ...(k % 3 !== 1 ? { transactionCost: 0.002 * (1 + (k % 4)) } : {}),
      ...(k % 2 === 0 ? { maxLeverage: 1.4 } : {}),
    };
    return [`#${k} n=${n}`, problem] as [string, MeanVarianceProblem];
  });

  it.each(cases)(
    '%s: the frontier (efficient return with the costs in the objective) matches HiGHS',
    async (_name, problem) => {
      const f = efficientFrontierSync(problem, { points: 6 });
      for (let i = 0; i < f.returns.length; i++) {
        const target = f.returns[i] as number;
        try {
          const h = await optimize(problem, { kind: 'efficient-return', targetReturn: target }, { solver: 'highs' });
          expect(maxDiff(f.weights[i] as Float64Array, h.weights), `point ${i}`).toBeLessThan(1e-7);
        } catch (error) {
          expectHighsDefect(error);
        }
      }
    },
  );

  it.each(cases)('%s: limits hold and the engines agree', async (_name, problem) => {
    const w0 = problem.currentWeights as Float64Array;
    for (const objective of [
      { kind: 'min-volatility' },
      { kind: 'max-utility', riskAversion: 3 },
      { kind: 'max-sharpe' },
    ] as Objective[]) {
      const a = optimizeSync(problem, objective);
      assertConstraints(problem, a);
      let turnover = 0;
      let gross = 0;
      for (let i = 0; i < w0.length; i++) {
        turnover += Math.abs((a.weights[i] as number) - (w0[i] as number));
        gross += Math.abs(a.weights[i] as number);
      }
      expect(Math.abs(turnover - a.turnover)).toBeLessThan(1e-12);
      if (problem.maxTurnover !== undefined) expect(turnover).toBeLessThanOrEqual(problem.maxTurnover + 1e-9);
      if (problem.maxLeverage !== undefined) expect(gross).toBeLessThanOrEqual(problem.maxLeverage + 1e-9);
      try {
        const h = await optimize(problem, objective, { solver: 'highs' });
        expect(maxDiff(a.weights, h.weights)).toBeLessThan(1e-7);
        expect(Math.abs(a.objectiveValue - h.objectiveValue)).toBeLessThan(1e-9);
      } catch (error) {
        expectHighsDefect(error);
      }
    }
  });
});

describe('degenerate points and HiGHS defects', () => {
  it('are rare among the checks above', () => {
    expect(degenerate).toBeLessThan(10);
    expect(highsDefects).toBeLessThan(5);
  });
});

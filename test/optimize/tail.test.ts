/**
 * Tail objectives: hand-checkable cases, the measures against their definitions, validation and infeasibility, the
 * cardinality limits and the consistency of the two efficient-CVaR forms. Golden values are in tail-golden.test.ts.
 */

import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { DataError, InfeasibleError, ValidationError } from '../../src/core/errors.js';
import { generateMarket } from '../../src/data/synthetic.js';
import { historicalScenarios, historicalScenariosFromReturns } from '../../src/estimate/scenarios.js';
import { optimizeTail, optimizeTailSync, type TailProblem, tailRiskMeasures } from '../../src/index.js';
import { optimizeTail as fromOptimizeIndex } from '../../src/optimize/index.js';
import { loadHighs } from '../../src/optimize/solvers/highs-loader.js';
import { drawdowns, meanAbsoluteDeviation, tailOfLosses } from '../../src/optimize/tail/measures.js';

/** A return matrix (per period) from columns of returns, on consecutive days from 2020-01-01. */
function returnsMatrix(columns: Record<string, number[]>, periodsPerYear = 252): DatedMatrix {
  const tickers = Object.keys(columns);
  const T = (columns[tickers[0] as string] as number[]).length;
  const values = new Float64Array(T * tickers.length);
  tickers.forEach((t, j) => {
    values.set(columns[t] as number[], j * T);
  });
  const dates = Int32Array.from({ length: T }, (_, i) => 18262 + i);
  return new DatedMatrix(dates, tickers, values, { periodsPerYear });
}

let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

describe('tail measures', () => {
  it('VaR and CVaR split the boundary scenario (Rockafellar-Uryasev)', () => {
    // Losses 5, 4, 3, 2, 1 %, beta 0.7: k = 1.5 tail scenarios; VaR the 2nd largest; CVaR (5 + 0.5 x 4) / 1.5.
    const t = tailOfLosses([0.03, 0.05, 0.01, 0.04, 0.02], 0.7);
    expect(t.var).toBeCloseTo(0.04, 15);
    expect(t.cvar).toBeCloseTo((0.05 + 0.5 * 0.04) / 1.5, 15);
    // The same value as the minimum over a of a + (1/k) sum max(L - a, 0), scanned on a fine grid.
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i <= 6000; i++) {
      const a = i / 100_000;
      let s = 0;
      for (const l of [0.03, 0.05, 0.01, 0.04, 0.02]) s += Math.max(l - a, 0);
      best = Math.min(best, a + s / 1.5);
    }
    expect(Math.abs(best - t.cvar)).toBeLessThan(1e-12);
    // k = 1 (T = 20, beta = 0.95, 20 x 0.05 snapped from 1.0000000000000009): CVaR is the worst loss and VaR the
    // second worst (the smallest a with P(L > a) <= 5%).
    const losses = Array.from({ length: 20 }, (_, i) => i / 100);
    expect(tailOfLosses(losses, 0.95)).toEqual({ var: 0.18, cvar: 0.19 });
  });

  it('drawdowns are from the running peak of the uncompounded cumulative return, starting at 0', () => {
    const d = drawdowns([-0.1, 0.05, 0.1, -0.05, -0.1, 0.2]);
    const want = [0.1, 0.05, 0, 0.05, 0.15, 0];
    for (let t = 0; t < want.length; t++) expect(d[t]).toBeCloseTo(want[t] as number, 15);
    expect(meanAbsoluteDeviation([1, 2, 3, 6])).toBe(1.5);
  });

  it('reports every measure of a portfolio in its units', () => {
    const R = returnsMatrix({ A: [0.02, -0.01, -0.03, 0.04], B: [0.01, 0.01, -0.01, 0.01] }, 12);
    const m = tailRiskMeasures(R.values, 4, [0.5, 0.5], 12, { confidence: 0.5, benchmark: 0.005 });
    // x = [0.015, 0, -0.02, 0.025]; losses sorted 0.02, 0, -0.015, -0.025; k = 2: VaR = -0.015 (the 3rd largest),
    // CVaR = (0.02 + 0) / 2.
    expect(m.valueAtRisk).toBeCloseTo(-0.015, 15);
    expect(m.cvar).toBeCloseTo(0.01, 15);
    expect(m.maxDrawdown).toBeCloseTo(0.02, 15);
    expect(m.meanReturn).toBeCloseTo(0.005, 15);
    expect(m.mad).toBeCloseTo((0.01 + 0.005 + 0.025 + 0.02) / 4, 15);
    expect(m.semivariance).toBeCloseTo((12 * (0.005 ** 2 + 0.025 ** 2)) / 4, 15);
    expect(m.semideviation).toBeCloseTo(Math.sqrt(m.semivariance), 15);
  });
});

describe('hand-checkable optima', () => {
  // B returns 1% less than A in every scenario: CVaR(a A + (1 - a) B) = CVaR(A) + (1 - a) 0.01.
  const A = [0.01, 0.02, -0.01, 0.03];
  const dominated = returnsMatrix({ A, B: A.map((r) => r - 0.01) });

  it('min CVaR holds only the dominating asset', () => {
    const r = optimizeTailSync({ scenarios: dominated }, { kind: 'min-cvar', confidence: 0.75 }, { highs });
    expect(Array.from(r.weights)).toEqual([1, 0]);
    expect(r.objectiveValue).toBeCloseTo(0.01, 14);
    // Losses of A: 0.01, -0.01, -0.02, -0.03; k = 1: CVaR the worst, VaR the second worst.
    expect(r.measures.valueAtRisk).toBeCloseTo(-0.01, 14);
    expect(r.heldAssets).toBe(1);
    expect(r.solver).toBe('highs');
  });

  // B = 0.02 - A: the half-half portfolio returns 1% in every scenario.
  const hedge = [0.04, -0.02, 0.01, -0.03];
  const hedged = returnsMatrix({ A: hedge, B: hedge.map((r) => 0.02 - r) });

  it('min CVaR, MAD and CDaR find the riskless half-half portfolio', async () => {
    for (const kind of ['min-cvar', 'min-mad'] as const) {
      const r = await optimizeTail({ scenarios: hedged }, { kind });
      expect(r.weights[0], kind).toBeCloseTo(0.5, 12);
      expect(r.weights[1], kind).toBeCloseTo(0.5, 12);
    }
    const cvar = await optimizeTail({ scenarios: hedged }, { kind: 'min-cvar', confidence: 0.75 });
    expect(cvar.objectiveValue).toBeCloseTo(-0.01, 14);
    const cdar = await optimizeTail({ scenarios: hedged }, { kind: 'min-cdar' });
    expect(cdar.objectiveValue).toBeCloseTo(0, 14);
    expect(cdar.measures.maxDrawdown).toBeLessThan(1e-12);
  });

  it('min semivariance below 2% per period solves its one-dimensional quadratic, and is zero below 0', async () => {
    const r = await optimizeTail({ scenarios: hedged }, { kind: 'min-semivariance', benchmark: 0.02 });
    // x = (2a - 1) A + 0.02 (1 - a); with c = 1 - 2a the shortfall 0.02 - x_t = 0.01 + c (A_t - 0.01) is positive
    // near c = 0, and sum_t (0.01 + c (A_t - 0.01))^2 = 4e-4 - 8e-4 c + 0.0034 c^2 is least at c = 2/17, a = 15/34.
    const c = 2 / 17;
    expect(r.weights[0]).toBeCloseTo(15 / 34, 12);
    expect(r.weights[1]).toBeCloseTo(19 / 34, 12);
    expect(r.objectiveValue).toBeCloseTo((252 * (4e-4 - 8e-4 * c + 0.0034 * c * c)) / 4, 14);
    expect(r.solver).toBe('active-set');
    const zero = await optimizeTail({ scenarios: hedged }, { kind: 'min-semivariance' });
    expect(zero.objectiveValue).toBe(0);
  });

  it('is exported by the library entry points', () => {
    expect(fromOptimizeIndex).toBe(optimizeTail);
  });
});

describe('constraints, cardinality and the efficient forms', () => {
  const market = generateMarket({ assets: 12, periods: 400, seed: 11 });
  const scenarios = historicalScenarios(market.prices);

  it('honours bounds, sector limits and the target return, with the measures recomputed', () => {
    const sectors = market.sectors;
    const names = [...new Set(Object.values(sectors))].sort();
    const first = names[0] as string;
    const problem: TailProblem = {
      scenarios,
      bounds: [0, 0.2],
      sectors: { map: sectors, upper: { [first]: 0.1 } },
    };
    const free = optimizeTailSync({ scenarios, bounds: [0, 0.2] }, { kind: 'min-cvar' }, { highs });
    const r = optimizeTailSync(problem, { kind: 'min-cvar' }, { highs });
    expect(r.objectiveValue).toBeGreaterThanOrEqual(free.objectiveValue - 1e-12);
    let sum = 0;
    let inFirst = 0;
    r.tickers.forEach((t, i) => {
      const w = r.weights[i] as number;
      sum += w;
      expect(w).toBeGreaterThanOrEqual(0);
      expect(w).toBeLessThanOrEqual(0.2 + 1e-12);
      if (sectors[t] === first) inFirst += w;
    });
    expect(sum).toBeCloseTo(1, 12);
    expect(inFirst).toBeLessThanOrEqual(0.1 + 1e-9);
    const again = tailRiskMeasures(scenarios.returns.values, scenarios.count, r.weights, 252);
    expect(again.cvar).toBe(r.measures.cvar);
    const target = r.expectedReturn + 0.05;
    const t = optimizeTailSync(problem, { kind: 'min-cvar', targetReturn: target }, { highs });
    expect(t.expectedReturn).toBeGreaterThanOrEqual(target - 1e-9);
    expect(t.objectiveValue).toBeGreaterThan(r.objectiveValue);
  });

  it('max return at a CVaR cap and min CVaR at that return are the same portfolio', () => {
    const least = optimizeTailSync({ scenarios }, { kind: 'min-cvar' }, { highs });
    const cap = least.objectiveValue * 1.25;
    const best = optimizeTailSync({ scenarios }, { kind: 'efficient-cvar', maxCvar: cap }, { highs });
    expect(best.measures.cvar).toBeLessThanOrEqual(cap * (1 + 1e-9));
    expect(best.measures.cvar).toBeGreaterThan(cap * (1 - 1e-6));
    expect(best.objectiveValue).toBe(best.expectedReturn);
    const back = optimizeTailSync(
      { scenarios },
      { kind: 'efficient-cvar', targetReturn: best.expectedReturn },
      { highs },
    );
    expect(Math.abs(back.objectiveValue - cap)).toBeLessThan(1e-9);
  });

  it('cardinality: at most K assets of at least the minimum position, no better than without limits', () => {
    const scenarios = historicalScenarios(generateMarket({ assets: 8, periods: 250, seed: 5 }).prices);
    const free = optimizeTailSync({ scenarios }, { kind: 'min-mad' }, { highs });
    expect(free.heldAssets).toBeGreaterThan(3);
    const r = optimizeTailSync(
      { scenarios, cardinality: { maxAssets: 3, minPosition: 0.2 } },
      { kind: 'min-mad' },
      { highs },
    );
    expect(r.heldAssets).toBeLessThanOrEqual(3);
    for (const w of r.weights) expect(w === 0 || w >= 0.2 - 1e-12).toBe(true);
    expect(r.objectiveValue).toBeGreaterThan(free.objectiveValue);
    expect(r.optimal).toBe(true);
    expect(r.mipGap).toBeLessThanOrEqual(1e-6);
    // The best support of 3 by enumeration of every 3-subset (each an LP): the MIP must match it.
    let best = Number.POSITIVE_INFINITY;
    const n = scenarios.tickers.length;
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        for (let c = b + 1; c < n; c++) {
          const upper = new Float64Array(n);
          const lower = new Float64Array(n);
          for (const i of [a, b, c]) {
            upper[i] = 1;
            lower[i] = 0.2;
          }
          const lp = optimizeTailSync({ scenarios, bounds: { lower, upper } }, { kind: 'min-mad' }, { highs });
          best = Math.min(best, lp.objectiveValue);
        }
      }
    }
    expect(Math.abs(r.objectiveValue - best)).toBeLessThan(1e-9);
    // No binding limit: the MIP gives the LP's optimum.
    const loose = optimizeTailSync({ scenarios, cardinality: { maxAssets: 8 } }, { kind: 'min-mad' }, { highs });
    expect(Math.abs(loose.objectiveValue - free.objectiveValue)).toBeLessThan(1e-10);
  });

  it('semivariance with fewer scenarios than assets (singular Hessian) still reaches a certified optimum', () => {
    const few = historicalScenariosFromReturns(scenarios.returns.selectRows([0, 1, 2, 3, 4, 5]));
    const r = optimizeTailSync({ scenarios: few }, { kind: 'min-semivariance', benchmark: 0.01 });
    const n = few.tickers.length;
    // No feasible portfolio does better: check the vertices and the equal-weight portfolio.
    const value = (w: Float64Array) =>
      tailRiskMeasures(few.returns.values, few.count, w, 252, { benchmark: 0.01 }).semivariance;
    const equal = new Float64Array(n).fill(1 / n);
    expect(r.objectiveValue).toBeLessThanOrEqual(value(equal) + 1e-15);
    for (let i = 0; i < n; i++) {
      const w = new Float64Array(n);
      w[i] = 1;
      expect(r.objectiveValue).toBeLessThanOrEqual(value(w) + 1e-15);
    }
  });
});

describe('validation and infeasibility', () => {
  const A = [0.01, 0.02, -0.01, 0.03, -0.02, 0.01];
  const scenarios = returnsMatrix({ A, B: A.map((r, i) => r * 0.5 + (i % 2 ? 0.01 : -0.01)), C: A.map((r) => -r) });

  it('refuses bad parameters with ValidationError', () => {
    const bad: [TailProblem, Parameters<typeof optimizeTailSync>[1]][] = [
      [{ scenarios }, { kind: 'min-cvar', confidence: 1 }],
      [{ scenarios }, { kind: 'min-cdar', confidence: 0 }],
      [{ scenarios }, { kind: 'efficient-cvar' }],
      [{ scenarios }, { kind: 'efficient-cvar', maxCvar: 0.1, targetReturn: 0.1 }],
      [{ scenarios }, { kind: 'min-semivariance', benchmark: Number.NaN }],
      [{ scenarios }, { kind: 'max-sharpe' } as never],
      [{ scenarios, maxLeverage: 2 } as TailProblem, { kind: 'min-cvar' }],
      [{ scenarios, cardinality: { maxAssets: 2 } }, { kind: 'min-semivariance' }],
      [{ scenarios, cardinality: { maxAssets: 0 } }, { kind: 'min-cvar' }],
      [{ scenarios, bounds: [-1, 1], cardinality: { minPosition: 0.1 } }, { kind: 'min-cvar' }],
      [{ scenarios, tickers: ['A', 'C', 'B'] }, { kind: 'min-mad' }],
    ];
    for (const [problem, objective] of bad) {
      expect(() => optimizeTailSync(problem, objective, { highs }), JSON.stringify(objective)).toThrow(ValidationError);
    }
    expect(() => optimizeTailSync({ scenarios }, { kind: 'min-cvar' })).toThrow(/need HiGHS/);
    for (const options of [{ timeLimit: 0 }, { timeLimit: Number.NaN }, { relativeGap: 1 }]) {
      expect(() => optimizeTailSync({ scenarios }, { kind: 'min-cvar' }, { highs, ...options })).toThrow(
        ValidationError,
      );
    }
  });

  it('refuses missing or impossible scenario returns with DataError', () => {
    const withNaN = returnsMatrix({ A: [0.01, Number.NaN, 0.02], B: [0.01, 0.02, 0.03] });
    expect(() => optimizeTailSync({ scenarios: withNaN }, { kind: 'min-semivariance' })).toThrow(DataError);
    const s = historicalScenariosFromReturns(withNaN);
    expect(s.count).toBe(2);
    expect(s.droppedDates).toBe(1);
    expect(s.warnings[0]).toMatch(/1 of 3 return dates were left out/);
    expect(() => historicalScenariosFromReturns(returnsMatrix({ A: [0.01, -1.5, 0.02] }))).toThrow(DataError);
    expect(() => historicalScenariosFromReturns(returnsMatrix({ A: [0.01, Number.NaN, Number.NaN] }))).toThrow(
      /only 1 date of 3/,
    );
  });

  it('says why a target or cap cannot be met, never returning NaN weights', () => {
    const least = optimizeTailSync({ scenarios }, { kind: 'min-cvar' }, { highs });
    const cap = least.objectiveValue - 0.005;
    expect(() => optimizeTailSync({ scenarios }, { kind: 'efficient-cvar', maxCvar: cap }, { highs })).toThrow(
      /cap .* is below the minimum CVaR at 95% .* attainable under the constraints/,
    );
    expect(() => optimizeTailSync({ scenarios }, { kind: 'efficient-cvar', maxCvar: cap }, { highs })).toThrow(
      InfeasibleError,
    );
    // A cap at the minimum itself is feasible.
    const atMin = optimizeTailSync({ scenarios }, { kind: 'efficient-cvar', maxCvar: least.objectiveValue }, { highs });
    expect(atMin.weights.every((w) => Number.isFinite(w))).toBe(true);
    expect(() => optimizeTailSync({ scenarios }, { kind: 'min-mad', targetReturn: 100 }, { highs })).toThrow(
      /target return 100 is above the maximum attainable/,
    );
    expect(() => optimizeTailSync({ scenarios }, { kind: 'min-semivariance', targetReturn: 100 })).toThrow(
      InfeasibleError,
    );
    expect(() =>
      optimizeTailSync({ scenarios, bounds: [0, 0.4], cardinality: { maxAssets: 2 } }, { kind: 'min-cvar' }, { highs }),
    ).toThrow(/at most 2 assets with their maximum weights reach 0.8, below the budget 1/);
    expect(() =>
      optimizeTailSync(
        { scenarios, bounds: [0, 0.9], cardinality: { maxAssets: 2, minPosition: 0.6 } },
        { kind: 'min-cdar' },
        { highs },
      ),
    ).toThrow(/the cardinality limits \(at most 2 assets, minimum positions\) cannot hold/);
    expect(() => optimizeTailSync({ scenarios, bounds: [0.5, 1] }, { kind: 'min-cvar' }, { highs })).toThrow(
      InfeasibleError,
    );
  });
});

describe('tail programs where the optimum is degenerate', () => {
  it('efficient CVaR under a cap that does not bind holds the asset of highest expected return', () => {
    // Five assets with CVaRs at 95% that differ: a cap above every asset's CVaR never binds, so the answer is the
    // asset with the highest expected return alone (the program's CVaR variables are then not tight: only the
    // measure of the weights, recomputed, may be compared with the cap).
    const scenarios = historicalScenarios(generateMarket({ assets: 5, periods: 300, seed: 11 }).prices);
    const { R, T } = { R: scenarios.returns.values, T: scenarios.count };
    const n = scenarios.tickers.length;
    const mu = Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let t = 0; t < T; t++) s += R[j * T + t] as number;
      return (s / T) * scenarios.periodsPerYear;
    });
    const cvars = Array.from({ length: n }, (_, j) => {
      const w = new Float64Array(n);
      w[j] = 1;
      return tailRiskMeasures(R, T, w, scenarios.periodsPerYear).cvar;
    });
    const best = mu.indexOf(Math.max(...mu));
    const cap = Math.max(...cvars) * 1.5;
    const r = optimizeTailSync({ scenarios }, { kind: 'efficient-cvar', maxCvar: cap }, { highs });
    for (let j = 0; j < n; j++) expect(r.weights[j]).toBeCloseTo(j === best ? 1 : 0, 9);
    expect(r.measures.cvar).toBeCloseTo(cvars[best] as number, 12);
  });

  it('minimum semivariance finishes with a certified gap where the Newton steps stall', async () => {
    // A window on which the downside Hessians are ill-conditioned: the method once stopped 1.1e-10 of f short of its
    // target and threw. The answer must be feasible, certified within 1e-7 of f, and no worse than any of 2,000
    // random long-only portfolios.
    const prices = generateMarket({ assets: 20, periods: 2000, seed: 3 }).prices;
    const iso = prices.isoDates();
    const end = iso.indexOf('2004-03-05');
    const window = prices.between(iso[end - 250], iso[end]);
    const scenarios = historicalScenarios(window);
    const r = await optimizeTail({ scenarios }, { kind: 'min-semivariance' });
    const n = scenarios.tickers.length;
    expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const w of r.weights) expect(w).toBeGreaterThanOrEqual(-1e-12);
    const { R, T } = { R: scenarios.returns.values, T: scenarios.count };
    const semivariance = (w: ArrayLike<number>) => tailRiskMeasures(R, T, w, scenarios.periodsPerYear).semivariance;
    const f = semivariance(r.weights);
    let seed = 7;
    const uniform = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed + 0.5) / 2147483648;
    };
    for (let k = 0; k < 2000; k++) {
      const w = Array.from({ length: n }, () => -Math.log(uniform()));
      const s = w.reduce((a, b) => a + b, 0);
      expect(f).toBeLessThanOrEqual(semivariance(w.map((x) => x / s)) * (1 + 1e-12));
    }
  });
});

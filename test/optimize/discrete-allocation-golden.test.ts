import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type AllocationOptions,
  allocateExact,
  allocateGreedy,
  type ShareAllocation,
} from '../../src/optimize/discrete-allocation.js';

/**
 * Values written by reference/allocation/golden.py: an independent Python implementation of the greedy rule, and the
 * lp_portfolio program solved by scipy.optimize.milp (native HiGHS), cross-checked by GLPK and, on small instances,
 * by brute-force enumeration. Prices are the last prices of samples/stocks.csv and of the synthetic market in
 * reference/data (rounded to cents).
 */
interface Report {
  shares: Record<string, number>;
  leftover: number;
  objective: number;
  weights: Record<string, number>;
  targetWeights: Record<string, number>;
  absoluteError: number;
  rmse: number;
}
interface Instance {
  name: string;
  weights: Record<string, number>;
  prices: Record<string, number>;
  budget: number;
  lotSizes?: Record<string, number>;
  allowShorts?: boolean;
  shortRatio?: number;
  reinvest?: boolean;
  warnings: string[];
  greedy: Report;
  exact: {
    objective: number;
    objectiveGlpk: number | null;
    objectiveBruteForce: number | null;
    unique: boolean;
    shares: Record<string, number>;
    leftover: number;
  };
}
const GOLDEN = JSON.parse(readFileSync(new URL('../../reference/allocation/golden.json', import.meta.url), 'utf8')) as {
  instances: Instance[];
};
const INSTANCES = GOLDEN.instances.map((i) => [i.name, i] as const);

function optionsOf(inst: Instance): AllocationOptions {
  const { lotSizes, allowShorts, shortRatio, reinvest } = inst;
  return {
    ...(lotSizes === undefined ? {} : { lotSizes }),
    ...(allowShorts === undefined ? {} : { allowShorts }),
    ...(shortRatio === undefined ? {} : { shortRatio }),
    ...(reinvest === undefined ? {} : { reinvest }),
  };
}

function byTicker(result: ShareAllocation, key: 'shares' | 'weight' | 'targetWeight'): Record<string, number> {
  return Object.fromEntries(result.positions.map((p) => [p.ticker, p[key]]));
}

/** The warnings the reference predicts, in its short form. */
function warningKinds(result: ShareAllocation): string[] {
  return result.warnings.map((w) =>
    w.startsWith('the weights sum to')
      ? 'weights-normalised'
      : /cannot buy one lot/.test(w)
        ? `${w.startsWith('short side') ? 'short' : 'long'}-budget-too-small`
        : w,
  );
}

/** Shares are whole lots with the sign of the weight, zero-weight tickers hold none, and no side overspends. */
function expectFeasible(inst: Instance, result: ShareAllocation): void {
  for (const p of result.positions) {
    const weight = inst.weights[p.ticker] as number;
    expect(p.lotSize).toBe(inst.lotSizes?.[p.ticker] ?? 1);
    expect(Number.isInteger(p.lots)).toBe(true);
    expect(p.shares).toBe(p.lots * p.lotSize);
    if (weight === 0) expect(p.shares).toBe(0);
    if (weight > 0) expect(p.shares).toBeGreaterThanOrEqual(0);
    if (weight < 0) expect(p.shares).toBeLessThanOrEqual(0);
  }
  for (const side of result.sides) {
    const sign = side.side === 'long' ? 1 : -1;
    const value = result.positions.reduce(
      (s, p) => (Math.sign(p.shares) === sign ? s + p.lots * p.price * p.lotSize : s),
      0,
    );
    expect(Math.abs(value - sign * side.invested)).toBeLessThanOrEqual(1e-9 * side.budget);
    expect(side.invested).toBeLessThanOrEqual(side.budget * (1 + 1e-12));
    expect(side.leftover).toBeCloseTo(side.budget - side.invested, 6);
  }
  expect(result.leftover).toBeCloseTo(
    result.sides.reduce((s, x) => s + x.leftover, 0),
    9,
  );
}

describe('allocateGreedy agrees with the reference greedy', () => {
  it.each(INSTANCES)('%s', (_, inst) => {
    const r = allocateGreedy(inst.weights, inst.prices, inst.budget, optionsOf(inst));
    expect(byTicker(r, 'shares')).toEqual(inst.greedy.shares);
    const scale = inst.budget;
    expect(Math.abs(r.leftover - inst.greedy.leftover)).toBeLessThanOrEqual(1e-12 * scale);
    expect(Math.abs(r.objective - inst.greedy.objective)).toBeLessThanOrEqual(1e-12 * scale);
    expect(r.absoluteError).toBeCloseTo(inst.greedy.absoluteError, 12);
    expect(r.rmse).toBeCloseTo(inst.greedy.rmse, 12);
    const weights = byTicker(r, 'weight');
    const targets = byTicker(r, 'targetWeight');
    for (const t of Object.keys(inst.weights)) {
      expect(weights[t]).toBeCloseTo(inst.greedy.weights[t] as number, 12);
      expect(targets[t]).toBeCloseTo(inst.greedy.targetWeights[t] as number, 12);
    }
    expect(warningKinds(r)).toEqual(inst.warnings);
    expectFeasible(inst, r);
    // Every ticker is reported, in descending order of weight.
    expect(r.positions.map((p) => p.ticker).sort()).toEqual(Object.keys(inst.weights).sort());
    const ws = r.positions.map((p) => inst.weights[p.ticker] as number);
    expect(ws).toEqual([...ws].sort((a, b) => b - a));
  });
});

describe('allocateExact agrees with the reference MILP solvers', () => {
  it.each(INSTANCES)('%s', async (_, inst) => {
    const r = await allocateExact(inst.weights, inst.prices, inst.budget, optionsOf(inst));
    expect(r.optimal).toBe(true);
    expect(r.status).toBe('optimal');
    // The optimum itself, to 1e-6 in currency, against scipy (HiGHS), GLPK and brute force where they ran.
    expect(Math.abs(r.objective - inst.exact.objective)).toBeLessThanOrEqual(1e-6);
    for (const other of [inst.exact.objectiveGlpk, inst.exact.objectiveBruteForce]) {
      if (other !== null) expect(Math.abs(r.objective - other)).toBeLessThanOrEqual(1e-6);
    }
    expect(Math.abs(r.bound - r.objective)).toBeLessThanOrEqual(1e-5);
    // The reported objective is that of the reported shares: sum |target value - value| + leftover per side.
    // |targetWeight * budget - value| = |t_i B_s - lots_i c_i| on either side.
    const objective =
      r.positions.reduce((sum, p) => sum + Math.abs(p.targetWeight * inst.budget - p.value), 0) + r.leftover;
    expect(objective).toBeCloseTo(r.objective, 6);
    if (r.sides.length === 1) {
      expect(r.objective).toBeCloseTo(inst.budget * r.absoluteError + r.leftover, 6);
    }
    expectFeasible(inst, r);
    // Never worse than the greedy allocation in the program's objective.
    expect(r.objective).toBeLessThanOrEqual(inst.greedy.objective + 1e-6);
    if (inst.exact.unique) {
      expect(byTicker(r, 'shares')).toEqual(inst.exact.shares);
      expect(r.leftover).toBeCloseTo(inst.exact.leftover, 6);
    }
    expect(warningKinds(r)).toEqual(inst.warnings);
  });

  it('covers unique and non-unique optima, both solvers, shorts, lots and warnings', () => {
    const all = GOLDEN.instances;
    expect(all.filter((i) => i.exact.unique).length).toBeGreaterThanOrEqual(5);
    expect(all.filter((i) => !i.exact.unique).length).toBeGreaterThanOrEqual(3);
    expect(all.every((i) => i.exact.objectiveGlpk !== null)).toBe(true);
    expect(all.filter((i) => i.exact.objectiveBruteForce !== null).length).toBeGreaterThanOrEqual(3);
    expect(all.some((i) => i.allowShorts && i.exact.unique)).toBe(true);
    expect(all.some((i) => i.lotSizes !== undefined && i.exact.unique)).toBe(true);
    expect(all.some((i) => i.warnings.length > 0)).toBe(true);
    expect(all.some((i) => Object.keys(i.weights).length === 20)).toBe(true);
    expect(new Set(all.map((i) => i.budget))).toEqual(new Set([20, 1000, 5000, 10_000, 50_000, 100_000, 250_000, 1e6]));
  });
});

describe('allocateExact: solver limits', () => {
  const inst = GOLDEN.instances.find((i) => i.name === 'synth20-50k-zeros-mixed-lots') as Instance;

  it('returns the best allocation found when the time limit stops HiGHS, flagged as not optimal', async () => {
    const r = await allocateExact(inst.weights, inst.prices, inst.budget, { ...optionsOf(inst), timeLimit: 1e-6 });
    expect(r.optimal).toBe(false);
    expect(r.status).toBe('timeLimit');
    expect(r.warnings).toEqual([expect.stringMatching(/HiGHS stopped with status timeLimit before proving/)]);
    expectFeasible(inst, r);
    // The greedy allocation is HiGHS's first incumbent: never worse than it, never better than the optimum.
    expect(r.objective).toBeLessThanOrEqual(inst.greedy.objective + 1e-6);
    expect(r.objective).toBeGreaterThanOrEqual(inst.exact.objective - 1e-6);
    expect(r.bound).toBeLessThanOrEqual(inst.exact.objective + 1e-6);
  });

  it('stops within a relative gap', async () => {
    const r = await allocateExact(inst.weights, inst.prices, inst.budget, { ...optionsOf(inst), relativeGap: 0.5 });
    expect(r.optimal).toBe(true);
    expect(r.objective).toBeGreaterThanOrEqual(inst.exact.objective - 1e-6);
    expect(r.bound).toBeLessThanOrEqual(inst.exact.objective + 1e-6);
    expect((r.objective - r.bound) / r.objective).toBeLessThanOrEqual(0.5 + 1e-9);
  });
});

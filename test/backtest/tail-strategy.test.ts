import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Simulation, simulate } from '../../src/backtest/engine.js';
import { rebalanceRows } from '../../src/backtest/schedule.js';
import { functionStrategy, type Strategy } from '../../src/backtest/strategy.js';
import { tailStrategy } from '../../src/backtest/tail-strategy.js';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { isoDate } from '../../src/core/dates.js';
import { InfeasibleError, ValidationError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { generateMarket } from '../../src/data/synthetic.js';
import { loadHighs } from '../../src/optimize/solvers/highs-loader.js';
import { SolverError } from '../../src/optimize/solvers/solver-error.js';
import { optimizeTailSync } from '../../src/optimize/tail/optimize.js';
import type { TailObjective, TailProblem } from '../../src/optimize/tail/types.js';

/** A synthetic daily market with late listings, plus an interior gap and a delisting punched in. */
function market(): DatedMatrix {
  const m = generateMarket({ assets: 7, periods: 360, seed: 33, lateListings: 0.3 }).prices;
  const v = m.values.slice();
  const n = m.rowCount;
  for (let i = 280; i < n; i++) v[2 * n + i] = Number.NaN; // A0003 stops trading after row 279
  for (let i = 150; i < 155; i++) v[4 * n + i] = Number.NaN; // A0005 has a gap
  return new DatedMatrix(m.dates, m.tickers, v, { periodsPerYear: 252 });
}

let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

/** A strategy that records what the wrapped one returns on each row (null: holdings kept). */
function recording(inner: Strategy): { strategy: Strategy; log: Map<number, Float64Array | null> } {
  const log = new Map<number, Float64Array | null>();
  const strategy = functionStrategy(inner.name, async (ctx) => {
    const w = await inner.weights(ctx);
    log.set(ctx.row, w === null ? null : Float64Array.from(w as ArrayLike<number>));
    return w;
  });
  return { strategy, log };
}

/**
 * Written here from the definition, independently of the library's window and scenario code: the assets with a price
 * on row t and at least max(L, 2) returns in the window (rows lo..t), and the simple returns of consecutive rows on
 * which every one of them has both prices.
 */
function directScenarios(prices: DatedMatrix, t: number, L: number, expanding: boolean) {
  const lo = expanding ? 0 : Math.max(0, t - L);
  const assets: number[] = [];
  for (let j = 0; j < prices.columnCount; j++) {
    if (Number.isNaN(prices.get(t, j))) continue;
    let count = 0;
    for (let i = lo + 1; i <= t; i++) {
      if (!Number.isNaN(prices.get(i, j)) && !Number.isNaN(prices.get(i - 1, j))) count++;
    }
    if (count >= Math.max(L, 2)) assets.push(j);
  }
  const rows: number[] = [];
  for (let i = lo + 1; i <= t; i++) {
    if (assets.every((j) => !Number.isNaN(prices.get(i, j)) && !Number.isNaN(prices.get(i - 1, j)))) rows.push(i);
  }
  const values = new Float64Array(rows.length * assets.length);
  assets.forEach((j, k) => {
    rows.forEach((i, r) => {
      values[k * rows.length + r] = prices.get(i, j) / prices.get(i - 1, j) - 1;
    });
  });
  const dates = Int32Array.from(rows, (i) => prices.dates[i] as number);
  const scenarios = new DatedMatrix(
    dates,
    assets.map((j) => prices.tickers[j] as string),
    values,
    { periodsPerYear: 252 },
  );
  return { assets, scenarios, rows };
}

/** The direct optimum on row t's window as a full weight vector, or null when the program has no solution. */
function direct(
  prices: DatedMatrix,
  t: number,
  L: number,
  objective: TailObjective,
  constraints: Partial<TailProblem>,
  expanding = false,
): Float64Array | null {
  const { assets, scenarios, rows } = directScenarios(prices, t, L, expanding);
  const out = new Float64Array(prices.columnCount);
  if (assets.length === 1) {
    out[assets[0] as number] = 1;
    return out;
  }
  if (rows.length < 2) return null;
  try {
    const w = optimizeTailSync({ ...constraints, scenarios }, objective, { highs }).weights;
    assets.forEach((j, k) => {
      out[j] = w[k] as number;
    });
    return out;
  } catch (error) {
    if (error instanceof InfeasibleError || error instanceof SolverError) return null;
    throw error;
  }
}

/** Last valid price of column j up to row t. */
function markAt(prices: DatedMatrix, j: number, t: number): number {
  for (let i = t; i >= 0; i--) {
    const p = prices.get(i, j);
    if (!Number.isNaN(p)) return p;
  }
  return Number.NaN;
}

/** Cash + holdings = NAV, weights + cash weight = 1, costs = ledger sum, NAV after = before - cost. */
function checkInvariants(prices: DatedMatrix, sim: Simulation): void {
  const start = prices.rowCount - sim.dates.length;
  for (let r = 0; r < sim.dates.length; r++) {
    let holdings = 0;
    let weights = 0;
    for (let j = 0; j < prices.columnCount; j++) {
      const q = sim.shares.get(r, j);
      if (q !== 0) holdings += q * markAt(prices, j, start + r);
      weights += sim.weights.get(r, j);
    }
    const nav = sim.nav[r] as number;
    expect(Math.abs((sim.cash[r] as number) + holdings - nav)).toBeLessThanOrEqual(1e-12 * nav);
    expect(Math.abs(weights + (sim.cashWeights[r] as number) - 1)).toBeLessThanOrEqual(1e-12);
  }
  const ledger = sim.trades.reduce((s, t) => s + t.cost, 0);
  expect(sim.costs).toBeGreaterThan(0);
  expect(Math.abs(ledger - sim.costs)).toBeLessThanOrEqual(1e-15 + 1e-12 * sim.costs);
  for (const rb of sim.rebalances)
    expect(Math.abs(rb.navBefore - rb.cost - rb.navAfter)).toBeLessThanOrEqual(1e-12 * rb.navBefore);
}

const L = 60;

describe('tail strategies re-optimise on each window', () => {
  const prices = market();
  const calendar = Array.from(rebalanceRows(prices.dates, 'monthly', L));
  const cases: { objective: TailObjective; constraints: Partial<TailProblem>; expanding?: boolean }[] = [
    { objective: { kind: 'min-cvar' }, constraints: {} },
    { objective: { kind: 'min-cvar', confidence: 0.9 }, constraints: { bounds: [0, 0.4] } },
    { objective: { kind: 'min-cdar', confidence: 0.8 }, constraints: {} },
    { objective: { kind: 'min-mad' }, constraints: { bounds: [0.05, 0.5] } },
    { objective: { kind: 'min-semivariance' }, constraints: {} },
    { objective: { kind: 'efficient-cvar', targetReturn: 0.05 }, constraints: {} },
    { objective: { kind: 'min-cvar' }, constraints: {}, expanding: true },
  ];
  for (const { objective, constraints, expanding } of cases) {
    const label = `${JSON.stringify(objective)} ${JSON.stringify(constraints)}${expanding ? ' expanding' : ''}`;
    it(`the targets are the direct optimum on every rebalancing date: ${label}`, async () => {
      const { strategy, log } = recording(
        tailStrategy({
          objective,
          constraints: constraints as { bounds?: readonly [number, number] },
          name: 'tail',
        }),
      );
      const window = expanding ? ('expanding' as const) : ('rolling' as const);
      const [sim] = await simulate(prices, [strategy], { lookback: L, costs: { costBps: 10 }, window });
      if (sim === undefined) throw new Error('no simulation');
      expect(Array.from(log.keys())).toEqual(calendar);
      let solved = 0;
      const start = prices.rowCount - sim.dates.length;
      for (const t of calendar) {
        const want = direct(prices, t, L, objective, constraints, expanding);
        const got = log.get(t);
        if (want === null) {
          expect(got, isoDate(prices.dates[t] as number)).toBeNull();
          expect(sim.warnings.some((w) => w.startsWith(`${isoDate(prices.dates[t] as number)}: tail has no`))).toBe(
            true,
          );
          continue;
        }
        solved++;
        if (got === null || got === undefined) throw new Error(`no target on row ${t}`);
        for (let j = 0; j < prices.columnCount; j++)
          expect(Math.abs((got[j] as number) - (want[j] as number))).toBeLessThan(1e-9);
        // Every weight sums to 1 and, with every held asset priced that day, the holdings after trading are the target.
        expect(Math.abs(got.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-9);
        const frozen = prices.tickers.some(
          (_, j) => Number.isNaN(prices.get(t, j)) && sim.shares.get(t - start, j) !== 0,
        );
        if (!frozen) {
          for (let j = 0; j < prices.columnCount; j++) {
            expect(Math.abs(sim.weights.get(t - start, j) - (got[j] as number))).toBeLessThan(1e-12);
          }
        }
      }
      expect(solved).toBeGreaterThan(calendar.length / 2);
      // The window's universe changes over the run (late listing, gap, delisting): the test covers several.
      const universes = new Set(calendar.map((t) => directScenarios(prices, t, L, expanding === true).assets.join()));
      expect(universes.size).toBeGreaterThan(1);
      checkInvariants(prices, sim);
    });
  }

  it('keeps the holdings with a warning on the dates where the CVaR cap is below the window minimum', async () => {
    // The cap sits between the smallest attainable CVaRs of the windows: some dates are feasible, some are not.
    const least = calendar.map((t) => {
      const { scenarios } = directScenarios(prices, t, L, false);
      return optimizeTailSync({ scenarios }, { kind: 'min-cvar' }, { highs }).objectiveValue;
    });
    const sorted = [...least].sort((a, b) => a - b);
    const k = Math.floor(sorted.length / 2);
    const cap = ((sorted[k] as number) + (sorted[k + 1] as number)) / 2;
    expect(sorted[k + 1]).toBeGreaterThan(sorted[k] as number);
    const objective: TailObjective = { kind: 'efficient-cvar', maxCvar: cap };
    const { strategy, log } = recording(tailStrategy({ objective, name: 'capped' }));
    const [sim] = await simulate(prices, [strategy], { lookback: L, costs: { costBps: 5 } });
    if (sim === undefined) throw new Error('no simulation');
    let kept = 0;
    calendar.forEach((t, i) => {
      const got = log.get(t);
      const day = isoDate(prices.dates[t] as number);
      if ((least[i] as number) > cap) {
        kept++;
        expect(got, day).toBeNull();
        expect(sim.warnings).toContainEqual(
          expect.stringMatching(new RegExp(`^${day}: capped has no solution, the holdings are kept: CVaR at 95% cap`)),
        );
        expect(sim.rebalances.some((r) => r.decisionDate === prices.dates[t])).toBe(false);
      } else {
        const want = direct(prices, t, L, objective, {});
        if (want === null || got == null) throw new Error(`${day}: expected a solution`);
        for (let j = 0; j < prices.columnCount; j++)
          expect(Math.abs((got[j] as number) - (want[j] as number))).toBeLessThan(1e-9);
        expect(sim.rebalances.some((r) => r.decisionDate === prices.dates[t])).toBe(true);
      }
    });
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(calendar.length);
    checkInvariants(prices, sim);
  });

  it('accounting invariants hold with every cost kind, whole shares and next-close execution', async () => {
    const make = (): Strategy[] => [
      tailStrategy({ objective: 'min-cvar' }),
      tailStrategy({ objective: { kind: 'min-cdar' } }),
      tailStrategy({ objective: 'min-semivariance', constraints: { bounds: [0, 0.5] } }),
    ];
    const costs = { costBps: 10, fixedFee: 0.0001, minimumFee: 0.0002, slippageBps: 2 };
    for (const options of [
      { lookback: L, costs },
      { lookback: L, costs, capital: 1e6, wholeShares: true, execution: 'next-close' as const },
      { lookback: L, costs, window: 'expanding' as const, driftThreshold: 0.03, cashRate: 0.02 },
    ]) {
      const sims = await simulate(prices, make(), options);
      for (const sim of sims) checkInvariants(prices, sim);
    }
  });

  it('does not look ahead: corrupting every price after a date changes nothing up to it', async () => {
    const n = prices.rowCount;
    const cut = 230;
    const v = prices.values.slice();
    const rng = new Random(7);
    for (let j = 0; j < prices.columnCount; j++) {
      for (let i = cut + 1; i < n; i++) {
        const x = v[j * n + i] as number;
        if (!Number.isNaN(x)) v[j * n + i] = j === 0 ? Number.NaN : x * Math.exp(rng.normal() * 0.5);
      }
    }
    const corrupted = new DatedMatrix(prices.dates, prices.tickers, v, { periodsPerYear: 252 });
    const make = (): Strategy[] => [
      tailStrategy({ objective: 'min-cvar' }),
      tailStrategy({ objective: 'min-cdar' }),
      tailStrategy({ objective: 'min-mad' }),
      tailStrategy({ objective: 'min-semivariance' }),
      tailStrategy({ objective: { kind: 'efficient-cvar', targetReturn: 0.05 }, returnsModel: 'mean' }),
    ];
    const options = { lookback: 40, rebalance: 'weekly' as const, costs: { costBps: 10 }, driftThreshold: 0.05 };
    const clean = await simulate(prices, make(), options);
    const dirty = await simulate(corrupted, make(), options);
    const start = n - (clean[0] as Simulation).dates.length;
    const upto = cut - start;
    clean.forEach((c, k) => {
      const x = dirty[k] as Simulation;
      expect(Array.from(x.nav.subarray(0, upto + 1))).toEqual(Array.from(c.nav.subarray(0, upto + 1)));
      for (let j = 0; j < prices.columnCount; j++) {
        for (let r = 0; r <= upto; r++) expect(x.weights.get(r, j)).toBe(c.weights.get(r, j));
      }
      const early = (s: Simulation) => s.trades.filter((t) => t.date <= (prices.dates[cut] as number));
      expect(early(x)).toEqual(early(c));
      expect(early(c).length).toBeGreaterThan(0);
      // ...and the corruption does change the later NAV (the test can fail).
      expect(x.nav[x.nav.length - 1]).not.toBe(c.nav[c.nav.length - 1]);
    });
  });

  it('uses the returns model for the return target of efficient CVaR', async () => {
    const t = calendar[calendar.length - 1] as number;
    const { assets, scenarios } = directScenarios(prices, t, L, false);
    const window = prices
      .selectRows(Int32Array.from({ length: L + 1 }, (_, k) => t - L + k))
      .selectTickers(assets.map((j) => prices.tickers[j] as string));
    // CAGR over the window, annualised with 252 periods: (last / first)^(252 / L) - 1.
    const mu = assets.map((_, k) => (window.get(L, k) / window.get(0, k)) ** (252 / L) - 1);
    // A target half way between the minimum-CVaR portfolio's return and the best asset's: it binds.
    const least = optimizeTailSync({ scenarios, expectedReturns: mu }, { kind: 'min-cvar' }, { highs });
    const target = (least.expectedReturn + Math.max(...mu)) / 2;
    expect(Math.max(...mu) - least.expectedReturn).toBeGreaterThan(0.01);
    const objective: TailObjective = { kind: 'efficient-cvar', targetReturn: target };
    const want = optimizeTailSync({ scenarios, expectedReturns: mu }, objective, { highs });
    expect(want.expectedReturn).toBeCloseTo(target, 9);
    const { strategy, log } = recording(tailStrategy({ objective, returnsModel: 'cagr' }));
    await simulate(prices, [strategy], { lookback: L });
    const got = log.get(t);
    if (got == null) throw new Error('no target');
    assets.forEach((j, k) => {
      expect(Math.abs((got[j] as number) - (want.weights[k] as number))).toBeLessThan(1e-8);
    });
    // Without the returns model the target is on the scenarios' mean return, another portfolio.
    let differs: boolean;
    try {
      const plain = optimizeTailSync({ scenarios }, objective, { highs });
      differs = assets.some((_, k) => Math.abs((plain.weights[k] as number) - (want.weights[k] as number)) > 1e-4);
    } catch (error) {
      if (!(error instanceof InfeasibleError)) throw error;
      differs = true; // the target is above every scenario mean
    }
    expect(differs).toBe(true);
  });

  it('rejects an objective that needs parameters when given by name', () => {
    expect(() => tailStrategy({ objective: 'efficient-cvar' as never })).toThrow(ValidationError);
  });
});

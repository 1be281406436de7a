import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/backtest.js';
import { tradeCost } from '../../src/backtest/costs.js';
import { type Simulation, simulate } from '../../src/backtest/engine.js';
import { optimizerStrategy } from '../../src/backtest/optimizer-strategy.js';
import { rebalanceRows } from '../../src/backtest/schedule.js';
import {
  buyAndHoldStrategy,
  equalWeightStrategy,
  fixedWeightsStrategy,
  functionStrategy,
  type Strategy,
} from '../../src/backtest/strategy.js';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { isoDate, weekdayOf, ymdOf } from '../../src/core/dates.js';
import { DataError, ValidationError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { loadPrices } from '../../src/data/load-prices.js';
import { generateMarket } from '../../src/data/synthetic.js';
import { businessDays, d } from '../core/helpers.js';

/** A synthetic daily market with late listings, plus interior gaps and a delisting punched in. */
function market(): DatedMatrix {
  const m = generateMarket({ assets: 8, periods: 400, seed: 21, lateListings: 0.25 }).prices;
  const v = m.values.slice();
  const n = m.rowCount;
  for (let i = 300; i < n; i++) v[2 * n + i] = Number.NaN; // A0003 stops trading after row 299
  for (let i = 100; i < 106; i++) v[5 * n + i] = Number.NaN; // A0006 has a gap
  return new DatedMatrix(m.dates, m.tickers, v, { periodsPerYear: 252 });
}

/** Last valid price of column j up to row t. */
function markAt(prices: DatedMatrix, j: number, t: number): number {
  for (let i = t; i >= 0; i--) {
    const p = prices.get(i, j);
    if (!Number.isNaN(p)) return p;
  }
  return Number.NaN;
}

/** Checks cash + holdings = NAV, weights + cash weight = 1, costs = ledger, NAV after = before - cost. */
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
  expect(Math.abs(ledger - sim.costs)).toBeLessThanOrEqual(1e-15 + 1e-12 * sim.costs);
  for (const rb of sim.rebalances) expect(Math.abs(rb.navBefore - rb.cost - rb.navAfter)).toBeLessThanOrEqual(1e-12);
}

describe('rebalancing schedule', () => {
  const dates = businessDays('2021-01-04', 130); // 2021-01-04 .. 2021-07-02
  it('takes the last trading date of each month, from the first with lookback returns, never the final date', () => {
    const rows = rebalanceRows(dates, 'monthly', 30);
    const iso = Array.from(rows, (r) => isoDate(dates[r] as number));
    expect(iso).toEqual(['2021-02-26', '2021-03-31', '2021-04-30', '2021-05-31', '2021-06-30']);
    expect(rows[0]).toBeGreaterThanOrEqual(30);
    const lastMonthEnd = rebalanceRows(dates.slice(0, 125), 'monthly', 0); // ends 2021-06-25 (partial June)
    expect(isoDate(dates[lastMonthEnd[lastMonthEnd.length - 1] as number] as number)).toBe('2021-05-31');
  });
  it('weekly dates are the last trading date of each Monday-Sunday week; quarterly and annual likewise', () => {
    const weekly = rebalanceRows(dates, 'weekly', 0);
    for (const r of weekly) expect(weekdayOf(dates[r] as number)).toBe(5);
    expect(weekly.length).toBe(25); // 26 weeks, the last one is the final (partial) period
    expect(Array.from(rebalanceRows(dates, 'quarterly', 0), (r) => isoDate(dates[r] as number))).toEqual([
      '2021-03-31',
      '2021-06-30',
    ]);
    expect(rebalanceRows(dates, 'annual', 0).length).toBe(0);
    expect(Array.from(rebalanceRows(dates, 'none', 7))).toEqual([7]);
  });
  it('a date that is the lookback-th return qualifies (inclusive)', () => {
    const first = rebalanceRows(dates, 'monthly', 0)[0] as number; // 2021-01-29, row 19
    expect(rebalanceRows(dates, 'monthly', first)[0]).toBe(first);
    expect(rebalanceRows(dates, 'monthly', first + 1)[0]).not.toBe(first);
  });
});

describe('costs', () => {
  it('commission max(minimum, bps value + fixed) and slippage in bps or by participation', () => {
    expect(tradeCost({ costBps: 10 }, 1000, Number.NaN)).toEqual({ commission: 1, slippage: 0 });
    expect(tradeCost({ costBps: 10, fixedFee: 2 }, 1000, Number.NaN).commission).toBe(3);
    expect(tradeCost({ costBps: 10, fixedFee: 2, minimumFee: 5 }, 1000, Number.NaN).commission).toBe(5);
    expect(tradeCost({ slippageBps: 4 }, 1000, Number.NaN).slippage).toBeCloseTo(0.4, 15);
    const volume = { volumes: new DatedMatrix(new Int32Array(1), ['A'], Float64Array.of(1)), coefficientBps: 100 };
    expect(tradeCost({ slippageBps: 4, volumeSlippage: volume }, 1000, 0.04).slippage).toBeCloseTo(2, 12);
    expect(tradeCost({ slippageBps: 4, volumeSlippage: volume }, 1000, Number.NaN).slippage).toBeCloseTo(0.4, 15);
    expect(tradeCost({ costBps: 10, minimumFee: 5 }, 0, Number.NaN)).toEqual({ commission: 0, slippage: 0 });
  });
});

describe('backtest conventions', () => {
  // Two assets, business days; A doubles over the first month end, B is flat.
  const dates = businessDays('2021-01-25', 30); // 2021-01-25 .. 2021-03-05
  const a = dates.map((_, i) => 100 * (1 + 0.01 * i));
  const b = dates.map(() => 50);
  const prices = DatedMatrix.fromColumns(dates, ['A', 'B'], [a, b], { periodsPerYear: 252 });

  it('starts in cash at NAV 1, pays costs on the first trade, then holds constant shares between rebalances', async () => {
    const [sim] = await simulate(prices, [equalWeightStrategy()], { lookback: 2, costs: { costBps: 20 } });
    if (sim === undefined) throw new Error('no simulation');
    expect(isoDate(sim.dates[0] as number)).toBe('2021-01-29');
    // cost = 20 / 10^4 * sum |w - 0| * 1
    expect(sim.nav[0]).toBeCloseTo(1 - 0.002, 15);
    expect(sim.rebalances.map((r) => isoDate(r.date))).toEqual(['2021-01-29', '2021-02-26']);
    const start = 4;
    // Shares on the first date: (1 - cost) * 0.5 / price.
    expect(sim.shares.get(0, 0)).toBeCloseTo((0.998 * 0.5) / (a[start] as number), 15);
    expect(sim.shares.get(0, 1)).toBeCloseTo((0.998 * 0.5) / 50, 15);
    for (let r = 1; r < 20; r++) expect(sim.shares.get(r, 0)).toBe(sim.shares.get(0, 0));
    // Second rebalance on 2021-02-26 (row 24): drifted weights against 1/2, costs 20 bps of the traded weight.
    const row = 24 - start;
    const va = sim.shares.get(row - 1, 0) * (a[24] as number);
    const vb = sim.shares.get(row - 1, 1) * 50;
    const v = va + vb;
    const cost = 0.002 * (Math.abs(0.5 - va / v) + Math.abs(0.5 - vb / v)) * v;
    expect(sim.nav[row]).toBeCloseTo(v - cost, 14);
    expect(sim.nav[row - 1]).toBeLessThan(v); // A rose from the previous close
    expect(sim.weights.get(row, 0)).toBeCloseTo(0.5, 14);
  });

  it('next-close execution trades on the date after the decision', async () => {
    const [sim] = await simulate(prices, [equalWeightStrategy()], { lookback: 2, execution: 'next-close' });
    if (sim === undefined) throw new Error('no simulation');
    expect(sim.nav[0]).toBe(1);
    expect(sim.cash[0]).toBe(1);
    expect(sim.rebalances.map((r) => [isoDate(r.decisionDate), isoDate(r.date)])).toEqual([
      ['2021-01-29', '2021-02-01'],
      ['2021-02-26', '2021-03-01'],
    ]);
    expect(sim.trades.every((t) => t.isoDate === '2021-02-01' || t.isoDate === '2021-03-01')).toBe(true);
  });

  it('a drift threshold adds rebalances only when a weight drifts beyond it', async () => {
    const [sim] = await simulate(prices, [fixedWeightsStrategy({ A: 0.5, B: 0.5 })], {
      lookback: 2,
      rebalance: 'none',
      driftThreshold: 0.02,
    });
    if (sim === undefined) throw new Error('no simulation');
    const drift = new Set(sim.rebalances.filter((r) => r.trigger === 'drift').map((r) => r.date));
    expect(drift.size).toBeGreaterThan(0);
    // Weights at each date's close before trading: the previous date's shares at this date's prices.
    const start = prices.rowCount - sim.dates.length;
    expect(start).toBe(2);
    for (let r = 1; r < sim.dates.length - 1; r++) {
      const va = sim.shares.get(r - 1, 0) * (a[r + start] as number);
      const vb = sim.shares.get(r - 1, 1) * 50;
      const gap = Math.abs(va / (va + vb + (sim.cash[r - 1] as number)) - 0.5);
      expect(drift.has(sim.dates[r] as number)).toBe(gap > 0.02);
    }
    expect(sim.rebalances[0]?.trigger).toBe('first');
  });

  it('buy and hold trades once; cash earns the risk-free rate', async () => {
    const [hold, cash] = await simulate(prices, [buyAndHoldStrategy(), functionStrategy('cash', () => ({}))], {
      lookback: 2,
      cashRate: 0.05,
    });
    if (hold === undefined || cash === undefined) throw new Error('no simulation');
    expect(hold.rebalances.length).toBe(1);
    expect(new Set(Array.from({ length: hold.dates.length }, (_, r) => hold.shares.get(r, 0))).size).toBe(1);
    const daily = 1.05 ** (1 / 252);
    cash.nav.forEach((v, r) => {
      expect(Math.abs(v - daily ** r)).toBeLessThanOrEqual(1e-14);
    });
  });

  it('slippage follows the participation in the volume where it is known, else the fixed bps', async () => {
    const volumes = DatedMatrix.fromColumns(dates, ['A'], [dates.map(() => 1000)]);
    const [sim] = await simulate(prices, [equalWeightStrategy()], {
      lookback: 2,
      capital: 100_000,
      costs: { slippageBps: 2, volumeSlippage: { volumes, coefficientBps: 50 } },
    });
    if (sim === undefined) throw new Error('no simulation');
    const first = sim.trades.filter((t) => t.isoDate === '2021-01-29');
    const pa = a[4] as number;
    const value = 0.5 * 100_000;
    expect(first.find((t) => t.ticker === 'A')?.slippage).toBeCloseTo(50e-4 * Math.sqrt(value / pa / 1000) * value, 9);
    expect(first.find((t) => t.ticker === 'B')?.slippage).toBeCloseTo(2e-4 * value, 9);
    checkInvariants(prices, sim);
  });

  it('cash earns the rate of a series, as known on the previous date', async () => {
    const rates = DatedMatrix.fromColumns([d('2021-01-01'), d('2021-02-10')], ['RATE'], [[0.02, 0.1]]);
    const [sim] = await simulate(prices, [functionStrategy('cash', () => ({}))], { lookback: 2, cashRate: rates });
    if (sim === undefined) throw new Error('no simulation');
    for (let r = 1; r < sim.dates.length; r++) {
      const known = (sim.dates[r - 1] as number) >= d('2021-02-10') ? 0.1 : 0.02;
      const growth = (sim.nav[r] as number) / (sim.nav[r - 1] as number);
      expect(growth).toBeCloseTo((1 + known) ** (1 / 252), 14);
    }
  });

  it('an expanding window grows from the first row; a rolling one holds lookback + 1 prices', async () => {
    const sizes: number[][] = [[], []];
    for (const [k, window] of (['rolling', 'expanding'] as const).entries()) {
      await simulate(
        prices,
        [
          functionStrategy('probe', (ctx) => {
            sizes[k]?.push(ctx.window.rowCount, ctx.row);
            return null;
          }),
        ],
        { lookback: 3, window },
      );
    }
    expect(sizes[0]).toEqual([4, 4, 4, 24]);
    expect(sizes[1]).toEqual([5, 4, 25, 24]);
  });

  it('whole shares keep integer holdings and the leftover in cash', async () => {
    const [sim] = await simulate(prices, [equalWeightStrategy()], {
      lookback: 2,
      capital: 10_000,
      wholeShares: true,
      costs: { costBps: 10, fixedFee: 1 },
    });
    if (sim === undefined) throw new Error('no simulation');
    for (let r = 0; r < sim.dates.length; r++) {
      expect(Number.isInteger(sim.shares.get(r, 0))).toBe(true);
      expect(sim.cash[r]).toBeGreaterThanOrEqual(0);
    }
    // The leftover is less than one share of each asset (plus the rounding of the cost estimate).
    for (let r = 0; r < sim.dates.length; r++) expect(sim.cash[r]).toBeLessThan((a[r + 4] as number) + 50 + 1);
    checkInvariants(prices, sim);
    for (const t of sim.trades) expect(t.commission).toBeCloseTo(0.001 * Math.abs(t.value) + 1, 9);
  });
});

describe('missing data', () => {
  const prices = market();
  it('does not trade an asset without a price and sells one that stops trading, with a warning', async () => {
    const [sim] = await simulate(prices, [equalWeightStrategy()], {
      lookback: 20,
      rebalance: 'weekly',
      costs: { costBps: 10 },
    });
    if (sim === undefined) throw new Error('no simulation');
    const gap = new Set(Array.from({ length: 6 }, (_, k) => isoDate(prices.dates[100 + k] as number)));
    expect(sim.trades.filter((t) => t.ticker === 'A0006' && gap.has(t.isoDate))).toEqual([]);
    const gapRebalance = sim.rebalances.find((r) => gap.has(isoDate(r.date)));
    expect(gapRebalance).toBeDefined();
    const sale = sim.trades.filter((t) => t.reason === 'delisted');
    expect(sale.map((t) => [t.ticker, t.isoDate, t.price])).toEqual([
      ['A0003', isoDate(prices.dates[300] as number), prices.get(299, 2)],
    ]);
    expect(sim.warnings.some((w) => w.includes('A0003') && w.includes(isoDate(prices.dates[299] as number)))).toBe(
      true,
    );
    const after = sim.dates.indexOf(prices.dates[300] as number);
    for (let r = after; r < sim.dates.length; r++) expect(sim.shares.get(r, 2)).toBe(0);
    checkInvariants(prices, sim);
  });

  it('an asset without a price on a rebalancing date keeps its shares and the others share the rest', async () => {
    const [sim] = await simulate(prices, [equalWeightStrategy()], { lookback: 20, rebalance: 'weekly' });
    if (sim === undefined) throw new Error('no simulation');
    const rb = sim.rebalances.find(
      (r) => r.date >= (prices.dates[100] as number) && r.date <= (prices.dates[105] as number),
    );
    if (rb === undefined) throw new Error('no rebalance in the gap');
    const r = sim.dates.indexOf(rb.date);
    expect(sim.shares.get(r, 5)).toBe(sim.shares.get(r - 1, 5));
    let others = 0;
    for (let j = 0; j < prices.columnCount; j++) if (j !== 5) others += sim.weights.get(r, j);
    expect(others + sim.weights.get(r, 5)).toBeCloseTo(1, 12);
  });
});

describe('accounting invariants', () => {
  const prices = market();
  it('hold at every date for equal weight, minimum volatility and whole shares, with every cost kind', async () => {
    const strategies: Strategy[] = [
      equalWeightStrategy(),
      optimizerStrategy({ objective: 'min-volatility', riskModel: 'ledoit-wolf' }),
      optimizerStrategy({ objective: 'hrp', name: 'hrp' }),
    ];
    const costs = { costBps: 10, fixedFee: 0.0001, minimumFee: 0.0002, slippageBps: 2 };
    for (const options of [
      { lookback: 60, costs },
      { lookback: 60, costs, capital: 1e6, wholeShares: true, execution: 'next-close' as const },
      { lookback: 60, costs, window: 'expanding' as const, driftThreshold: 0.03, cashRate: 0.02 },
    ]) {
      const sims = await simulate(prices, strategies, options);
      for (const sim of sims) checkInvariants(prices, sim);
    }
  });
});

describe('no look-ahead', () => {
  it('corrupting every price after a date changes nothing up to that date', async () => {
    const prices = market();
    const cut = 250;
    const n = prices.rowCount;
    const v = prices.values.slice();
    const rng = new Random(99);
    for (let j = 0; j < prices.columnCount; j++) {
      for (let i = cut + 1; i < n; i++) {
        const x = v[j * n + i] as number;
        // Asset 0 stops trading right after the cut; the others get noise.
        if (!Number.isNaN(x)) v[j * n + i] = j === 0 ? Number.NaN : x * Math.exp(rng.normal() * 0.5);
      }
    }
    const corrupted = new DatedMatrix(prices.dates, prices.tickers, v, { periodsPerYear: 252 });
    const seen: number[] = [];
    const make = (): Strategy[] => [
      equalWeightStrategy(),
      optimizerStrategy({ objective: 'min-volatility', riskModel: 'ledoit-wolf' }),
      optimizerStrategy({ objective: 'max-sharpe', returnsModel: 'mean', riskModel: 'sample' }),
      functionStrategy('momentum', (ctx) => {
        const w = ctx.window;
        seen.push(
          w.dates[w.rowCount - 1] === ctx.date && ctx.history.dates[ctx.history.rowCount - 1] === ctx.date ? 1 : 0,
        );
        const out: Record<string, number> = {};
        let best = '';
        let top = Number.NEGATIVE_INFINITY;
        w.tickers.forEach((t, j) => {
          const g = w.get(w.rowCount - 1, j) / w.get(0, j);
          if (g > top) {
            top = g;
            best = t;
          }
        });
        if (best) out[best] = 1;
        return out;
      }),
    ];
    const options = { lookback: 40, rebalance: 'weekly' as const, costs: { costBps: 10 }, driftThreshold: 0.05 };
    const clean = await simulate(prices, make(), options);
    const dirty = await simulate(corrupted, make(), options);
    expect(seen.every((x) => x === 1)).toBe(true);
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
      // ...and the corruption does change the later NAV (the test can fail).
      expect(x.nav[x.nav.length - 1]).not.toBe(c.nav[c.nav.length - 1]);
    });
  });
});

describe('results', () => {
  it('compares strategies with a benchmark: a strategy holding only the benchmark has beta 1 and alpha 0', async () => {
    const prices = market();
    const benchmark = prices.selectTickers(['A0001']);
    const result = await runBacktest(
      prices,
      [fixedWeightsStrategy({ A0001: 1 }, 'bench-only'), equalWeightStrategy()],
      { lookback: 20, benchmark },
    );
    const [only, ew] = result.strategies;
    if (only === undefined || ew === undefined) throw new Error('no result');
    expect(only.relative?.beta).toBeCloseTo(1, 12);
    expect(Math.abs(only.relative?.alpha ?? 1)).toBeLessThan(1e-12);
    expect(only.relative?.trackingError).toBeLessThan(1e-12);
    expect(ew.relative?.beta).toBeGreaterThan(0);
    expect(result.benchmark?.name).toBe('A0001');
    expect(ew.returns.length).toBe(ew.nav.length - 1);
    expect(ew.metrics.totalReturn).toBeCloseTo((ew.nav[ew.nav.length - 1] as number) / (ew.nav[0] as number) - 1, 12);
    const worst = ew.drawdowns[0];
    if (worst === undefined) throw new Error('no drawdown');
    expect(worst.depth).toBeCloseTo(ew.metrics.maxDrawdown, 14);
    expect(ymdOf(d(worst.peak)).year).toBeGreaterThan(1999);
    expect(d(worst.trough)).toBeGreaterThan(d(worst.peak));
  });

  it('an optimizer with no asset to estimate on stays in cash and says so', async () => {
    const prices = market();
    const [sim] = await simulate(prices, [optimizerStrategy({ objective: 'min-volatility' })], { lookback: 0 });
    if (sim === undefined) throw new Error('no simulation');
    expect(Array.from(new Set(sim.nav))).toEqual([1]);
    expect(sim.warnings[0]).toMatch(
      /^\d{4}-\d\d-\d\d: min-volatility: no asset has a price and 2 returns in the window; all in cash$/,
    );
  });

  it('rejects bad input with messages that say what to change', async () => {
    const prices = market();
    await expect(simulate(prices, [fixedWeightsStrategy({ NOPE: 1 })], { lookback: 5 })).rejects.toThrow(
      /NOPE.*not a ticker/,
    );
    await expect(simulate(prices, [equalWeightStrategy()], { lookback: 10_000 })).rejects.toThrow(DataError);
    await expect(runBacktest(prices, [equalWeightStrategy(), equalWeightStrategy()])).rejects.toThrow(ValidationError);
    await expect(simulate(prices, [equalWeightStrategy()], { driftThreshold: -1 })).rejects.toThrow(/drift/);
    const failing = functionStrategy('picky', (ctx) => {
      if (ctx.row > 100) throw new DataError('no more');
      return {};
    });
    await expect(simulate(prices, [failing], { lookback: 20 })).rejects.toThrow(/^picky on \d{4}-\d\d-\d\d: no more$/);
  });
});

describe('windows with no more returns than assets (a singular covariance)', () => {
  const stocks = loadPrices('sample:stocks');
  it.each([
    ['efficient-risk', 3],
    ['efficient-risk', 4],
    ['min-volatility', 3],
    ['max-sharpe', 4],
  ] as const)(
    '%s with lookback %i runs to the end; a date without a solution keeps the holdings, warned',
    async (kind, lookback) => {
      const objective = kind === 'efficient-risk' ? { kind, targetVolatility: 0.3 } : kind;
      const [sim] = await simulate(stocks, [optimizerStrategy({ objective })], { lookback });
      if (sim === undefined) throw new Error('no simulation');
      expect(sim.nav.length).toBe(sim.dates.length);
      expect(sim.dates[sim.dates.length - 1]).toBe(stocks.dates[stocks.rowCount - 1]);
      for (const w of sim.warnings) {
        expect(w).toMatch(
          new RegExp(
            `^\\d{4}-\\d\\d-\\d\\d: ${kind}(: the optimizer failed| has no solution), the holdings are kept: .+`,
          ),
        );
      }
    },
  );
});

import { describe, expect, it } from 'vitest';
import { type BacktestBlackLitterman, windowPosterior } from '../../src/backtest/black-litterman.js';
import { simulate } from '../../src/backtest/engine.js';
import { optimizerStrategy } from '../../src/backtest/optimizer-strategy.js';
import { rebalanceRows } from '../../src/backtest/schedule.js';
import { functionStrategy, type Strategy } from '../../src/backtest/strategy.js';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { isoDate } from '../../src/core/dates.js';
import { DataError } from '../../src/core/errors.js';
import { generateMarket } from '../../src/data/synthetic.js';
import { estimateRisk } from '../../src/estimate/models.js';
import { type BlackLittermanViews, blackLitterman, parseViews } from '../../src/optimize/black-litterman.js';
import { type Objective, optimize } from '../../src/optimize/mean-variance.js';

/** A synthetic daily market with late listings and a delisting. */
function market(): DatedMatrix {
  const m = generateMarket({ assets: 6, periods: 360, seed: 5, lateListings: 0.35 }).prices;
  const v = m.values.slice();
  const n = m.rowCount;
  for (let i = 300; i < n; i++) v[1 * n + i] = Number.NaN; // A0002 stops trading after row 299
  return new DatedMatrix(m.dates, m.tickers, v, { periodsPerYear: 252 });
}

function recording(inner: Strategy): { strategy: Strategy; log: Map<number, Float64Array | null> } {
  const log = new Map<number, Float64Array | null>();
  const strategy = functionStrategy(inner.name, async (ctx) => {
    const w = await inner.weights(ctx);
    log.set(ctx.row, w === null ? null : Float64Array.from(w as ArrayLike<number>));
    return w;
  });
  return { strategy, log };
}

/** The assets with a price on row t and every price of the rolling window of L returns (written here, from the rule). */
function assetsOf(prices: DatedMatrix, t: number, L: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < prices.columnCount; j++) {
    let ok = true;
    for (let i = t - L; i <= t; i++) if (Number.isNaN(prices.get(i, j))) ok = false;
    if (ok) out.push(j);
  }
  return out;
}

const L = 80;

describe('Black-Litterman in backtests', () => {
  const prices = market();
  const calendar = Array.from(rebalanceRows(prices.dates, 'monthly', L));
  const first = prices.tickers.map((_, j) => {
    let i = 0;
    while (Number.isNaN(prices.get(i, j))) i++;
    return i;
  });
  // The latest-listed asset carries a relative view: it is left out while that asset has no full window.
  const late = prices.tickers[first.indexOf(Math.max(...first))] as string;
  const marketCaps = Object.fromEntries(prices.tickers.map((t, j) => [t, 10 + 7 * j]));
  const views = parseViews(
    {
      views: [{ A0001: 0.12 }, { long: late, short: 'A0003', return: 0.05 }, { A0004: -0.02 }],
      confidences: [0.7, 0.5, 0.4],
    },
    'views',
    prices.tickers,
  );
  const bl: BacktestBlackLitterman = { marketCaps, views, tau: 0.1, riskAversion: 3, riskFreeRate: 0.02 };

  /** Direct blackLitterman + optimize on row t's window. */
  async function direct(t: number, objective: Objective): Promise<Float64Array> {
    const assets = assetsOf(prices, t, L);
    const tickers = assets.map((j) => prices.tickers[j] as string);
    const window = prices.selectRows(Int32Array.from({ length: L + 1 }, (_, k) => t - L + k)).selectTickers(tickers);
    const cov = estimateRisk(window, 'sample', { periodsPerYear: 252 });
    const kept = views.views
      .map((v, k) => ({ v, c: views.confidences?.[k] as number }))
      .filter(({ v }) => (v.kind === 'absolute' ? [v.asset] : [v.long, v.short]).every((x) => tickers.includes(x)));
    const posterior = blackLitterman({
      covariance: cov,
      views: { views: kept.map((x) => x.v), confidences: kept.map((x) => x.c) } as BlackLittermanViews,
      marketCaps,
      riskAversion: 3,
      tau: 0.1,
      riskFreeRate: 0.02,
    });
    const out = new Float64Array(prices.columnCount);
    const problem = {
      expectedReturns: posterior.expectedReturns.values,
      covariance: posterior.covariance.values,
      tickers,
      riskFreeRate: 0.02,
    };
    const r = await optimize(problem, objective);
    assets.forEach((j, k) => {
      out[j] = r.weights[k] as number;
    });
    return out;
  }

  for (const objective of [{ kind: 'max-sharpe' }, { kind: 'min-volatility' }] as Objective[]) {
    it(`the targets are the posterior-driven optimum of each window: ${objective.kind}`, async () => {
      const { strategy, log } = recording(
        optimizerStrategy({ objective, constraints: { riskFreeRate: 0.02 }, blackLitterman: bl, name: 'bl' }),
      );
      const plain = recording(optimizerStrategy({ objective, constraints: { riskFreeRate: 0.02 }, name: 'plain' }));
      const [sim] = await simulate(prices, [strategy, plain.strategy], { lookback: L, costs: { costBps: 10 } });
      if (sim === undefined) throw new Error('no simulation');
      expect(Array.from(log.keys())).toEqual(calendar);
      let dropped = 0;
      let differs = 0;
      for (const t of calendar) {
        const want = await direct(t, objective);
        const got = log.get(t);
        if (got == null) throw new Error(`no target on row ${t}`);
        for (let j = 0; j < prices.columnCount; j++) {
          expect(Math.abs((got[j] as number) - (want[j] as number)), `${t} ${j}`).toBeLessThan(1e-9);
        }
        const other = plain.log.get(t);
        if (other?.some((x, j) => Math.abs(x - (got[j] as number)) > 1e-6)) differs++;
        const day = isoDate(prices.dates[t] as number);
        const warned = sim.warnings.some((w) => w.startsWith(`${day}: 1 Black-Litterman view left out`));
        const lateIn = assetsOf(prices, t, L).some((j) => prices.tickers[j] === late);
        expect(warned, day).toBe(!lateIn);
        if (!lateIn) dropped++;
      }
      // Both regimes occur (the view on the late asset left out, then used), and the posterior moves the weights.
      expect(dropped).toBeGreaterThan(0);
      expect(dropped).toBeLessThan(calendar.length);
      expect(differs).toBeGreaterThan(calendar.length / 2);
    });
  }

  it('takes the views away from the window without them, and needs a cap for every asset', () => {
    const window = prices
      .selectRows(Int32Array.from({ length: L + 1 }, (_, k) => 200 - L + k))
      .selectTickers(['A0001']);
    const cov = estimateRisk(window, 'sample', { periodsPerYear: 252 });
    const messages: string[] = [];
    const post = windowPosterior({ marketCaps, views }, cov, (m) => messages.push(m));
    expect(messages).toEqual([
      `2 Black-Litterman views left out, on assets without a price and a full window: ${late} over A0003 0.05; A0004 -0.02`,
    ]);
    // One asset, one absolute view: the posterior mean lies between the prior delta S + rf (market weight 1) and 0.12.
    const prior = 2.5 * (cov.values[0] as number);
    const mu = post.expectedReturns[0] as number;
    expect((mu - prior) * (0.12 - mu)).toBeGreaterThan(0);
    expect(() => windowPosterior({ marketCaps: { A0002: 1 } }, cov, () => {})).toThrow(DataError);
  });
});

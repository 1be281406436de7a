/**
 * The backtest engine against reference/backtest/golden.json, written by reference/backtest/backtest.py: an
 * independent numpy/pandas walk-forward simulation from the conventions of the README (cvxpy + Clarabel for the
 * minimum-volatility weights). Inputs: the synthetic market with a delisting and gaps over month ends
 * (reference/backtest/synth-12x520-holes.csv) and the embedded sample:stocks. NAV to 1e-10 for equal weight (the
 * arithmetic is the same up to rounding) and 1e-6 for minimum volatility (the weights come from two solvers).
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/backtest.js';
import type { BacktestOptions } from '../../src/backtest/engine.js';
import { optimizerStrategy } from '../../src/backtest/optimizer-strategy.js';
import type { RebalanceFrequency } from '../../src/backtest/schedule.js';
import { equalWeightStrategy } from '../../src/backtest/strategy.js';
import { isoDate } from '../../src/core/dates.js';
import { loadPrices } from '../../src/data/load-prices.js';

interface GoldenCase {
  name: string;
  data: 'synth' | 'stocks';
  strategy: 'equal-weight' | 'min-volatility';
  rebalance: RebalanceFrequency;
  lookback: number;
  options: {
    bps?: number;
    fixed?: number;
    minimum?: number;
    slippage?: number;
    drift?: number;
    execution?: 'close' | 'next-close';
  };
  start: string;
  dates: string[];
  nav: number[];
  costs: number;
  turnover: number;
  trades: number;
}

const golden = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../reference/backtest/golden.json', import.meta.url)), 'utf8'),
) as { cases: GoldenCase[] };

const data = {
  synth: loadPrices(fileURLToPath(new URL('../../reference/backtest/synth-12x520-holes.csv', import.meta.url))),
  stocks: loadPrices('sample:stocks'),
};

describe('backtest golden values (reference/backtest/backtest.py)', () => {
  it('covers equal weight and minimum volatility on both data sets', () => {
    expect(golden.cases.length).toBeGreaterThanOrEqual(7);
    expect(new Set(golden.cases.map((c) => `${c.data} ${c.strategy}`)).size).toBe(4);
  });

  for (const c of golden.cases) {
    it(c.name, async () => {
      const o = c.options;
      const options: BacktestOptions = {
        rebalance: c.rebalance,
        lookback: c.lookback,
        costs: {
          costBps: o.bps ?? 0,
          fixedFee: o.fixed ?? 0,
          minimumFee: o.minimum ?? 0,
          slippageBps: o.slippage ?? 0,
        },
        ...(o.drift === undefined ? {} : { driftThreshold: o.drift }),
        ...(o.execution === undefined ? {} : { execution: o.execution }),
      };
      const strategy =
        c.strategy === 'equal-weight'
          ? equalWeightStrategy()
          : optimizerStrategy({ objective: 'min-volatility', riskModel: 'sample' });
      const result = await runBacktest(data[c.data], strategy, options);
      const s = result.strategies[0];
      if (s === undefined) throw new Error('no result');
      expect(Array.from(s.dates, isoDate)).toEqual(c.dates);
      const tol = c.strategy === 'equal-weight' ? 1e-10 : 1e-6;
      let worst = 0;
      c.nav.forEach((v, i) => {
        worst = Math.max(worst, Math.abs((s.nav[i] as number) - v));
      });
      expect(worst).toBeLessThanOrEqual(tol);
      expect(Math.abs(s.costs - c.costs)).toBeLessThanOrEqual(tol);
      expect(Math.abs(s.turnover - c.turnover)).toBeLessThanOrEqual(c.strategy === 'equal-weight' ? 1e-9 : 1e-4);
      if (c.strategy === 'equal-weight') expect(s.trades.length).toBe(c.trades);
    });
  }
});

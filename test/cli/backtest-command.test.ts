import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/backtest.js';
import { optimizerStrategy } from '../../src/backtest/optimizer-strategy.js';
import { equalWeightStrategy, fixedWeightsStrategy } from '../../src/backtest/strategy.js';
import { tailStrategy } from '../../src/backtest/tail-strategy.js';
import { runCli } from '../../src/cli/program.js';
import { readCsvMatrix } from '../../src/data/csv/index.js';
import { readMarketCaps } from '../../src/data/keyed-files.js';
import { loadPrices } from '../../src/data/load-prices.js';
import { parseViews } from '../../src/optimize/black-litterman.js';
import { type CliRun, cli } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'pfopt-backtest-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function json(args: string[]) {
  const r: CliRun = await cli(['backtest', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

const loadRates = (path: string) => readCsvMatrix(path);

const base = ['--prices', 'sample:stocks', '--lookback', '24', '--cost-bps', '10'];

describe('pfopt backtest', () => {
  it('prints the JSON contract of one strategy, with the library numbers', async () => {
    const out = await json([...base, '--strategy', 'equal-weight', '--benchmark', 'sample:sp500']);
    for (const key of ['nav', 'metrics', 'turnover', 'costs', 'trades']) expect(out, key).toHaveProperty(key);
    const lib = await runBacktest(loadPrices('sample:stocks'), equalWeightStrategy(), {
      lookback: 24,
      costs: { costBps: 10 },
      benchmark: loadPrices('sample:sp500'),
    });
    const s = lib.strategies[0];
    if (s === undefined) throw new Error('no result');
    expect(out.nav.length).toBe(s.nav.length);
    expect(out.nav[0]).toEqual({ date: '2002-01-01', value: s.nav[0] });
    expect(out.nav.map((p: { value: number }) => p.value)).toEqual(Array.from(s.nav));
    expect(out.costs).toBe(s.costs);
    expect(out.turnover).toBe(s.turnover);
    expect(out.trades.length).toBe(s.trades.length);
    expect(Object.keys(out.trades[0]).slice(0, 6)).toEqual(['date', 'ticker', 'shares', 'price', 'value', 'cost']);
    expect(out.metrics.sharpe).toBe(s.metrics.sharpe);
    expect(out.metrics.beta).toBe(s.relative?.beta);
    expect(out.metrics.alpha).toBe(s.relative?.alpha);
    expect(out.metrics.maxDrawdown).toBe(s.metrics.maxDrawdown);
    expect(out.benchmark.name).toBe('SP500');
    expect(out.drawdowns[0].depth).toBe(s.drawdowns[0]?.depth);
  });

  it('compares several strategies side by side', async () => {
    const out = await json([...base, '--strategy', 'equal-weight,min-volatility', '--rebalance', 'quarterly']);
    expect(Object.keys(out.strategies)).toEqual(['equal-weight', 'min-volatility']);
    const lib = await runBacktest(
      loadPrices('sample:stocks'),
      [optimizerStrategy({ objective: 'min-volatility', riskModel: 'sample' })],
      { lookback: 24, costs: { costBps: 10 }, rebalance: 'quarterly' },
    );
    expect(out.strategies['min-volatility'].nav.map((p: { value: number }) => p.value)).toEqual(
      Array.from(lib.strategies[0]?.nav ?? []),
    );
    const r = await cli([
      'backtest',
      ...base,
      '--strategy',
      'equal-weight,hrp,risk-parity,max-sharpe',
      '--benchmark',
      'sample:sp500',
    ]);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['equal-weight', 'hrp', 'risk-parity', 'max-sharpe', 'SP500 (benchmark)', 'worst drawdowns']) {
      expect(r.stdout).toContain(name);
    }
    // Maximum Sharpe has no solution on the dates where no asset beats the risk-free rate: holdings kept, warned.
    expect(r.stderr).toMatch(/warning: max-sharpe: \d{4}-\d\d-\d\d: max-sharpe has no solution, the holdings are kept/);
  });

  it('runs the parameterised objectives: efficient risk and return, HERC with a linkage', async () => {
    const synth = fileURLToPath(new URL('../../reference/backtest/synth-12x520-holes.csv', import.meta.url));
    const args = ['--prices', synth, '--lookback', '60', '--cost-bps', '10', '--returns-model', 'mean'];
    const out = await json([
      ...args,
      '--strategy',
      'efficient-risk,efficient-return,herc',
      '--target-volatility',
      '0.2',
      '--target-return',
      '0.1',
      '--linkage',
      'average',
    ]);
    expect(Object.keys(out.strategies)).toEqual(['efficient-risk', 'efficient-return', 'herc']);
    const lib = await runBacktest(
      loadPrices(synth),
      [
        optimizerStrategy({ objective: { kind: 'efficient-risk', targetVolatility: 0.2 }, returnsModel: 'mean' }),
        optimizerStrategy({ objective: { kind: 'efficient-return', targetReturn: 0.1 }, returnsModel: 'mean' }),
        optimizerStrategy({ objective: 'herc', linkage: 'average' }),
      ],
      { lookback: 60, costs: { costBps: 10 } },
    );
    for (const s of lib.strategies) {
      const nav = out.strategies[s.name].nav.map((p: { value: number }) => p.value);
      expect(nav).toEqual(Array.from(s.nav));
      expect(new Set(nav).size).toBeGreaterThan(100);
    }
    const ret = await cli(['backtest', ...base, '--strategy', 'efficient-return']);
    expect(ret.code).toBe(2);
    expect(ret.stderr).toContain('--target-return');
  });

  it('writes NAV, weights and trades as CSV with --out', async () => {
    const out = join(dir, 'run');
    const r = await cli(['backtest', ...base, '--strategy', 'equal-weight,buy-and-hold', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const nav = readFileSync(join(out, 'nav.csv'), 'utf8').trim().split('\n');
    expect(nav[0]).toBe('date,equal-weight,buy-and-hold');
    expect(nav.length).toBe(1 + 99);
    const weights = readFileSync(join(out, 'weights-buy-and-hold.csv'), 'utf8').trim().split('\n');
    expect(weights[0]).toBe('date,MSFT,AMZN,IBM,GOOG,AAPL,cash');
    const trades = readFileSync(join(out, 'trades.csv'), 'utf8').trim().split('\n');
    expect(trades[0]).toBe('strategy,date,ticker,shares,price,value,cost,commission,slippage,reason');
    expect(trades.filter((l) => l.startsWith('buy-and-hold,')).length).toBe(4);
  });

  it('takes a benchmark ticker out of the universe, and handles whole shares, drift and next-close', async () => {
    const prices = join(dir, 'with-bench.csv');
    const stocks = loadPrices('sample:stocks');
    const lines = ['date,A,B,BENCH'];
    stocks.isoDates().forEach((d, i) => {
      lines.push(`${d},${stocks.get(i, 0)},${stocks.get(i, 2)},${stocks.get(i, 1)}`);
    });
    writeFileSync(prices, `${lines.join('\n')}\n`);
    const out = await json([
      '--prices',
      prices,
      '--lookback',
      '12',
      '--strategy',
      'equal-weight',
      '--benchmark',
      'BENCH',
      '--capital',
      '100000',
      '--whole-shares',
      '--rebalance',
      'annual',
      '--drift',
      '0.05',
      '--execution',
      'next-close',
    ]);
    expect(new Set(out.trades.map((t: { ticker: string }) => t.ticker))).toEqual(new Set(['A', 'B']));
    for (const t of out.trades) expect(Number.isInteger(t.shares)).toBe(true);
    expect(out.nav[0].value).toBe(100000);
    expect(out.rebalances.some((r: { trigger: string }) => r.trigger === 'drift')).toBe(true);
    expect(out.rebalances.every((r: { date: string; decisionDate: string }) => r.date > r.decisionDate)).toBe(true);
  });

  it('shows a progress bar on a terminal, and none otherwise', async () => {
    let stderr = '';
    const code = await runCli(['backtest', ...base, '--strategy', 'equal-weight,min-volatility'], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s), isTTY: true },
      env: { PFOPT_CACHE_DIR: '/nonexistent-pfopt-test-cache' },
      cwd: process.cwd(),
    });
    expect(code).toBe(0);
    expect(stderr).toContain('\r[');
    expect(stderr).toContain('100% backtest');
    const plain = await cli(['backtest', ...base, '--strategy', 'equal-weight']);
    expect(plain.stderr).not.toContain('backtest\r');
    expect(plain.stderr).not.toContain('%');
  });

  it('pays interest on cash from a rate file (zero and negative rates allowed)', async () => {
    const rates = join(dir, 'rates.csv');
    writeFileSync(rates, 'date,rate\n2000-01-01,0.05\n2005-01-01,0\n2006-01-01,-0.01\n');
    const weights = join(dir, 'cash.json');
    writeFileSync(weights, JSON.stringify({ MSFT: 0.5 }));
    const out = await json([...base, '--strategy', 'fixed', '--weights', weights, '--cash-rate', rates]);
    const lib = await runBacktest(loadPrices('sample:stocks'), fixedWeightsStrategy({ MSFT: 0.5 }, 'fixed'), {
      lookback: 24,
      costs: { costBps: 10 },
      cashRate: loadRates(rates),
    });
    expect(out.nav.map((p: { value: number }) => p.value)).toEqual(Array.from(lib.strategies[0]?.nav ?? []));
    const flat = await json([...base, '--strategy', 'fixed', '--weights', weights]);
    expect(out.nav.at(-1).value).not.toBe(flat.nav.at(-1).value);
  });

  it('runs the tail strategies with their options, as the library does', async () => {
    const names = ['min-cvar', 'efficient-cvar', 'min-cdar', 'min-mad', 'min-semivariance'];
    const out = await json([
      ...base,
      '--strategy',
      names.join(','),
      '--max-cvar',
      '0.12',
      '--confidence',
      '0.9',
      '--bounds',
      '0,0.6',
    ]);
    expect(Object.keys(out.strategies)).toEqual(names);
    const constraints = { riskFreeRate: 0, bounds: [0, 0.6] as const };
    const lib = await runBacktest(
      loadPrices('sample:stocks'),
      [
        tailStrategy({ objective: { kind: 'min-cvar', confidence: 0.9 }, constraints }),
        // The expected returns of efficient-cvar are the CAGR of the window (the default --returns-model).
        tailStrategy({
          objective: { kind: 'efficient-cvar', confidence: 0.9, maxCvar: 0.12 },
          returnsModel: 'cagr',
          constraints,
        }),
        tailStrategy({ objective: { kind: 'min-cdar', confidence: 0.9 }, constraints }),
        tailStrategy({ objective: 'min-mad', constraints }),
        tailStrategy({ objective: 'min-semivariance', constraints }),
      ],
      { lookback: 24, costs: { costBps: 10 } },
    );
    for (const s of lib.strategies) {
      const o = out.strategies[s.name];
      for (const key of ['nav', 'returns', 'metrics', 'turnover', 'costs', 'trades', 'rebalances', 'finalWeights']) {
        expect(o, `${s.name} ${key}`).toHaveProperty(key);
      }
      expect(o.nav.map((p: { value: number }) => p.value)).toEqual(Array.from(s.nav));
      expect(o.costs).toBe(s.costs);
      expect(o.trades.length).toBe(s.trades.length);
      const held = Object.values(o.finalWeights as Record<string, number>);
      expect(Math.max(...held)).toBeLessThanOrEqual(0.6 + 1e-9);
      expect(Math.abs(held.reduce((a, x) => a + x, 0) - 1)).toBeLessThan(1e-9);
    }
    // The CVaR cap of 12% a month is below the least attainable CVaR of some windows only: those keep the holdings.
    const capped = out.strategies['efficient-cvar'];
    const kept = capped.warnings.filter((w: string) => /efficient-cvar has no solution, the holdings are kept/.test(w));
    expect(kept.length).toBeGreaterThan(0);
    expect(capped.rebalances.length).toBeGreaterThan(0);
    // Every date either rebalances or keeps the holdings with a warning (no solution, or a solver failure).
    const failed = capped.warnings.filter((w: string) => /efficient-cvar: the optimizer failed/.test(w));
    expect(kept.length + failed.length + capped.rebalances.length).toBe(out.strategies['min-cvar'].rebalances.length);
    // The strategies differ from one another.
    expect(new Set(names.map((n) => out.strategies[n].nav.at(-1).value)).size).toBe(names.length);
  });

  it('says what is wrong with the tail options', async () => {
    const neither = await cli(['backtest', ...base, '--strategy', 'efficient-cvar']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('--max-cvar');
    const both = await cli([
      'backtest',
      ...base,
      '--strategy',
      'efficient-cvar',
      '--max-cvar',
      '0.1',
      '--target-return',
      '0.1',
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one');
    const target = await json([...base, '--strategy', 'efficient-cvar', '--target-return', '0.05']);
    expect(target.rebalances.length).toBeGreaterThan(0);
    const stray = await cli(['backtest', ...base, '--strategy', 'min-mad', '--confidence', '0.9']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--confidence applies to');
    const cap = await cli(['backtest', ...base, '--strategy', 'min-cvar', '--max-cvar', '0.1']);
    expect(cap.code).toBe(2);
    expect(cap.stderr).toContain('--max-cvar applies to');
    const level = await cli(['backtest', ...base, '--strategy', 'min-cvar', '--confidence', '1.5']);
    expect(level.code).toBe(2);
  });

  it('re-forms the Black-Litterman posterior on every window for the mean-variance strategies', async () => {
    const views = fileURLToPath(new URL('../../docs/examples/bl-views.json', import.meta.url));
    const caps = fileURLToPath(new URL('../../docs/examples/bl-market-caps.csv', import.meta.url));
    const blArgs = ['--returns-model', 'black-litterman', '--views', views, '--market-caps', caps];
    const args = [...base, ...blArgs, '--tau', '0.1', '--bl-delta', '3', '--risk-free', '0.02'];
    const out = await json([...args, '--strategy', 'max-sharpe,min-volatility,hrp']);
    const stocks = loadPrices('sample:stocks');
    const bl = {
      marketCaps: readMarketCaps(caps),
      views: parseViews(JSON.parse(readFileSync(views, 'utf8')), views, stocks.tickers),
      tau: 0.1,
      riskAversion: 3,
      riskFreeRate: 0.02,
    };
    const settings = { span: 180, riskFreeRate: 0.02 };
    const constraints = { riskFreeRate: 0.02 };
    const lib = await runBacktest(
      stocks,
      [
        optimizerStrategy({ objective: 'max-sharpe', blackLitterman: bl, settings, constraints }),
        optimizerStrategy({ objective: 'min-volatility', blackLitterman: bl, settings, constraints }),
        optimizerStrategy({ objective: 'hrp', settings, constraints }),
      ],
      { lookback: 24, costs: { costBps: 10 }, riskFreeRate: 0.02 },
    );
    for (const s of lib.strategies) {
      expect(out.strategies[s.name].nav.map((p: { value: number }) => p.value)).toEqual(Array.from(s.nav));
    }
    // GOOG has no full window before 2006: the relative view on it is left out on those dates, with a warning.
    expect(out.strategies['max-sharpe'].warnings).toContainEqual(
      expect.stringMatching(/^\d{4}-\d\d-\d\d: 1 Black-Litterman view left out, on assets without a price/),
    );
    // Without Black-Litterman the same strategy trades differently.
    const plain = await json([...base, '--risk-free', '0.02', '--strategy', 'max-sharpe']);
    expect(plain.nav.at(-1).value).not.toBe(out.strategies['max-sharpe'].nav.at(-1).value);
    const stray = await cli(['backtest', ...base, '--strategy', 'max-sharpe', '--views', views]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--views applies to --returns-model black-litterman');
    const noCaps = await cli(['backtest', ...base, '--strategy', 'max-sharpe', '--returns-model', 'black-litterman']);
    expect(noCaps.code).toBe(2);
    expect(noCaps.stderr).toContain('--market-caps');
    const tail = await cli(['backtest', ...base, ...blArgs, '--strategy', 'efficient-cvar', '--max-cvar', '0.1']);
    expect(tail.code).toBe(2);
    expect(tail.stderr).toContain('efficient-cvar');
    const partial = join(dir, 'partial-caps.json');
    writeFileSync(partial, JSON.stringify({ MSFT: 1, AAPL: 2 }));
    const missing = await cli([
      'backtest',
      ...base,
      '--strategy',
      'max-sharpe',
      '--returns-model',
      'black-litterman',
      '--market-caps',
      partial,
    ]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no market capitalisation for AMZN');
  });

  it('says what is wrong with bad options', async () => {
    const noLookback = await cli(['backtest', '--prices', 'sample:stocks', '--strategy', 'equal-weight']);
    expect(noLookback.code).toBe(2);
    expect(noLookback.stderr).toContain('--lookback');
    const bad = await cli(['backtest', ...base, '--strategy', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown strategy');
    const whole = await cli(['backtest', ...base, '--strategy', 'equal-weight', '--whole-shares']);
    expect(whole.code).toBe(2);
    expect(whole.stderr).toContain('--capital');
    const long = await cli([
      'backtest',
      '--prices',
      'sample:stocks',
      '--lookback',
      '500',
      '--strategy',
      'equal-weight',
    ]);
    expect(long.code).toBe(3);
    expect(long.stderr).toContain('no rebalancing date');
    const risk = await cli(['backtest', ...base, '--strategy', 'efficient-risk']);
    expect(risk.code).toBe(2);
    expect(risk.stderr).toContain('--target-volatility');
    const fixed = await cli(['backtest', ...base, '--strategy', 'fixed']);
    expect(fixed.code).toBe(2);
    expect(fixed.stderr).toContain('--weights');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simpleReturns } from '../../src/core/returns.js';
import { loadPrices } from '../../src/data/load-prices.js';
import { benchmarkMetrics } from '../../src/risk/benchmark-metrics.js';
import { seriesMetrics } from '../../src/risk/metrics.js';
import { equalWeights, portfolioReturns } from '../../src/risk/portfolio-returns.js';
import { onDates } from '../../src/risk/report.js';
import { normalVar, portfolioVar } from '../../src/risk/var.js';
import { type CliRun, cli } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'pfopt-risk-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `pfopt ARGS` in-process. */
function run(args: string[]): Promise<CliRun> {
  return cli(args);
}

async function json(args: string[]) {
  const r = await run(['risk', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

function rel(got: number, want: number, tol = 1e-14): void {
  expect(Math.abs(got - want) <= tol * Math.abs(want), `got ${got}, want ${want}`).toBe(true);
}

const stocks = () => simpleReturns(loadPrices('sample:stocks'));

describe('pfopt risk on prices and weights', () => {
  it('prints the JSON contract, with the library numbers', async () => {
    const out = await json(['--prices', 'sample:stocks', '--equal', '--risk-free', '0.02', '--paths', '2000']);
    for (const key of ['cagr', 'annualReturn', 'annualVolatility', 'sharpe', 'sortino', 'maxDrawdown', 'calmar']) {
      expect(typeof out.metrics[key], key).toBe('number');
    }
    expect(Object.keys(out.var)).toEqual([
      'historical',
      'normal',
      'cornishFisher',
      'monteCarloNormal',
      'monteCarloT',
      'bootstrap',
    ]);
    expect(Object.keys(out.cvar)).toEqual(Object.keys(out.var));
    expect(out.metrics.maxDrawdown).toBeLessThan(0);
    for (const k of Object.keys(out.var)) {
      expect(out.var[k], k).toBeGreaterThan(0);
      expect(out.cvar[k], k).toBeGreaterThan(out.var[k]);
    }
    const p = portfolioReturns(stocks(), equalWeights(stocks().tickers));
    const m = seriesMetrics(p.returns.column(0), { periodsPerYear: 12, riskFreeRate: 0.02 });
    expect(out.metrics.cagr).toBe(m.cagr);
    expect(out.metrics.annualReturn).toBe(m.cagr);
    expect(out.metrics.sharpe).toBe(m.sharpe);
    expect(out.metrics.maxDrawdown).toBe(m.maxDrawdown);
    expect(out.metrics.maxDrawdownTrough).toBe(p.returns.isoDates()[m.troughIndex as number]);
    expect(out.var.historical).toBe(portfolioVar(p.assets, p.weights, 'historical').var);
    expect(out).toMatchObject({
      confidence: 0.95,
      horizon: 1,
      periodsPerYear: 12,
      riskFreeRate: 0.02,
      start: '2004-09-01',
      end: '2010-03-01',
      monteCarlo: { paths: 2000, seed: 0 },
    });
    expect(Object.keys(out.assets)).toEqual(['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']);
    let sum = 0;
    for (const a of Object.values(out.assets as Record<string, { componentCvar: { normal: number } }>)) {
      sum += a.componentCvar.normal;
    }
    rel(sum, out.cvar.normal, 1e-13);
    expect(out.studentTDegreesOfFreedom).toBeGreaterThan(4);
  });

  it('reads a weights file, uses a ticker of the data as benchmark and leaves it out', async () => {
    const weights = join(dir, 'w.csv');
    writeFileSync(weights, 'ticker,weight\nMSFT,0.5\nAAPL,0.3\nAMZN,0.2\n');
    const out = await json(['--prices', 'sample:stocks', '--weights', weights, '--benchmark', 'IBM']);
    expect(Object.keys(out.weights)).toEqual(['MSFT', 'AMZN', 'AAPL']);
    expect(out.benchmark.name).toBe('IBM');
    const r = stocks();
    const p = portfolioReturns(r, { MSFT: 0.5, AAPL: 0.3, AMZN: 0.2 });
    const b = benchmarkMetrics(
      p.returns.column(0),
      onDates({ name: 'IBM', dates: r.dates, returns: r.series('IBM') }, p.returns.dates),
      {
        periodsPerYear: 12,
      },
    );
    expect(out.benchmark.beta).toBe(b.beta);
    expect(out.benchmark.alpha).toBe(b.alpha);
    expect(out.benchmark.upCapture).toBe(b.upCapture);
    expect(out.metrics.maxDrawdownPeak).toBe('2000-03-01'); // a peak at the first return date
  });

  it('takes a benchmark price file, the horizon and confidence, and a subset of methods', async () => {
    const out = await json([
      '--prices',
      'sample:stocks',
      '--equal',
      '--benchmark',
      'sample:sp500',
      '--var-method',
      'normal',
      'historical',
      '--horizon',
      '3',
      '--confidence',
      '0.99',
    ]);
    expect(Object.keys(out.var)).toEqual(['normal', 'historical']);
    expect(out.benchmark.name).toBe('sample:sp500');
    expect(out.benchmark.periods).toBe(67);
    const p = portfolioReturns(stocks(), equalWeights(stocks().tickers));
    const m = seriesMetrics(p.returns.column(0), { periodsPerYear: 12 });
    const v = normalVar(m.meanReturn, m.volatility, { confidence: 0.99, horizon: 3 });
    rel(out.var.normal, v.var, 1e-13);
    rel(out.cvar.normal, v.cvar, 1e-13);
    const all = await json(['--prices', 'sample:stocks', '--equal', '--var-method', 'bootstrap,all', '--paths', '50']);
    expect(Object.keys(all.var)[0]).toBe('bootstrap');
    expect(Object.keys(all.var)).toHaveLength(6);
  });

  it('adds sector totals that sum to the portfolio figures', async () => {
    const sectors = join(dir, 'sectors.csv');
    writeFileSync(sectors, 'ticker,sector\nMSFT,Software\nAMZN,Retail\nIBM,Hardware\nGOOG,Software\nAAPL,Hardware\n');
    const out = await json([
      '--prices',
      'sample:stocks',
      '--equal',
      '--sectors',
      sectors,
      '--var-method',
      'historical',
    ]);
    expect(Object.keys(out.sectors)).toEqual(['Software', 'Retail', 'Hardware']);
    const s = Object.values(out.sectors as Record<string, { weight: number; componentCvar: { historical: number } }>);
    rel(
      s.reduce((a, x) => a + x.weight, 0),
      1,
      1e-15,
    );
    rel(
      s.reduce((a, x) => a + x.componentCvar.historical, 0),
      out.cvar.historical,
      1e-13,
    );
    expect(out.sectors.Software.weight).toBe(0.4);
  });

  it('gives the same Monte Carlo numbers for the same seed and others for another', async () => {
    const args = ['--prices', 'sample:stocks', '--equal', '--var-method', 'monte-carlo-t', '--paths', '3000'];
    const a = await json([...args, '--seed', '7']);
    const b = await json([...args, '--seed', '7']);
    const c = await json([...args, '--seed', '8']);
    expect(a.var.monteCarloT).toBe(b.var.monteCarloT);
    expect(a.var.monteCarloT).not.toBe(c.var.monteCarloT);
  });

  it('prints aligned tables for people, with the notes on stderr', async () => {
    const r = await run(['risk', '--prices', 'sample:stocks', '--equal', '--paths', '500']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/portfolio of 5 assets, 67 periods from 2004-09-01 to 2010-03-01/);
    expect(r.stderr).toMatch(/risk-free rate 0 \(the default; set --risk-free\)/);
    expect(r.stderr).toMatch(/55 of 122 dates left out/);
    expect(r.stdout).toMatch(/^metric +portfolio$/m);
    expect(r.stdout).toMatch(/^max drawdown +-\d+\.\d\d%$/m);
    expect(r.stdout).toMatch(/VaR and CVaR at 95% over 1 period/);
    expect(r.stdout).toMatch(/^Cornish-Fisher +\d+\.\d\d% +\d+\.\d\d%$/m);
    expect(r.stdout).toMatch(/^ticker +weight +vol\. contribution +own VaR +component VaR +component CVaR$/m);
    const widths = new Set(
      r.stdout
        .split('\n')
        .filter((l) => /^(historical|parametric normal|bootstrap) /.test(l))
        .map((l) => l.length),
    );
    expect(widths.size).toBe(1); // right-aligned columns end at the same place
  });
});

describe('pfopt risk on return series', () => {
  const file = join(dir, 'returns.csv');
  writeFileSync(
    file,
    'date,growth,flat,market\n2021-01-29,0.02,0.01,0.01\n2021-02-26,-0.01,0.01,-0.02\n2021-03-31,0.03,0.01,0.02\n' +
      '2021-04-30,,0.01,0.01\n2021-05-31,0.01,0.01,0.00\n2021-06-30,-0.02,0.01,-0.01\n',
  );

  it('reports several series under "series", with undefined values as null', async () => {
    const out = await json(['--returns', file, '--var-method', 'historical,normal']);
    expect(Object.keys(out.series)).toEqual(['growth', 'flat', 'market']);
    expect(out.periodsPerYear).toBe(12);
    expect(out.series.growth.metrics.periods).toBe(5); // the empty cell is skipped
    expect(out.series.flat.metrics.sharpe).toBeNull();
    expect(out.series.flat.metrics.annualVolatility).toBe(0);
    expect(out.series.flat.var.historical).toBeCloseTo(-0.01, 15);
    const m = seriesMetrics([0.02, -0.01, 0.03, Number.NaN, 0.01, -0.02], { periodsPerYear: 12 });
    expect(out.series.growth.metrics.sortino).toBe(m.sortino);
  });

  it('reports one series at the top level, against a column of the file', async () => {
    const out = await json(['--returns', file, '--tickers', 'growth', '--benchmark', 'market']);
    expect(out.metrics.periods).toBe(5);
    expect(out.benchmark.name).toBe('market');
    expect(out.benchmark.periods).toBe(5);
    expect(out.series).toBeUndefined();
    expect([out.metrics.maxDrawdownPeak, out.metrics.maxDrawdownTrough]).toEqual(['2021-05-31', '2021-06-30']);
    expect(out.metrics.maxDrawdownRecovery).toBeNull();
  });

  it('says "undefined" in the table where a value is undefined', async () => {
    const r = await run(['risk', '--returns', file, '--var-method', 'normal']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Sharpe ratio +-?\d\.\d{3} +undefined +-?\d\.\d{3}$/m);
    expect(r.stdout).toMatch(/^method +growth VaR +growth CVaR +flat VaR/m);
  });

  it('forms a portfolio of return series with --weights or --equal', async () => {
    const out = await json(['--returns', file, '--equal', '--var-method', 'historical']);
    expect(Object.keys(out.weights)).toEqual(['growth', 'flat', 'market']);
    expect(out.metrics.periods).toBe(5);
  });
});

describe('pfopt risk errors', () => {
  it('explains missing or conflicting inputs (exit 2) and bad data (exit 3)', async () => {
    const noWeights = await run(['risk', '--prices', 'sample:stocks']);
    expect(noWeights.code).toBe(2);
    expect(noWeights.stderr).toMatch(/needs a portfolio: pass --weights FILE or --equal/);
    const both = await run(['risk', '--prices', 'sample:stocks', '--equal', '--weights', 'x.csv']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --weights FILE or --equal/);
    const twoSources = await run(['risk', '--prices', 'sample:stocks', '--returns', 'r.csv']);
    expect(twoSources.code).toBe(2);
    const confidence = await run(['risk', '--prices', 'sample:stocks', '--equal', '--confidence', '1.5']);
    expect(confidence.code).toBe(2);
    expect(confidence.stderr).toMatch(/between 0 and 1/);
    const method = await run(['risk', '--prices', 'sample:stocks', '--equal', '--var-method', 'magic']);
    expect(method.code).toBe(2);
    expect(method.stderr).toMatch(/expected methods among historical/);
    const horizon = await run(['risk', '--prices', 'sample:stocks', '--equal', '--horizon', '0']);
    expect(horizon.code).toBe(2);
    const weights = join(dir, 'bad.csv');
    writeFileSync(weights, 'ticker,weight\nMSFT,0.5\nNOPE,0.5\n');
    const unknown = await run(['risk', '--prices', 'sample:stocks', '--weights', weights]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/"NOPE", which is not in the return data/);
    const sectors = await run(['risk', '--returns', join(dir, 'returns.csv'), '--sectors', 'x.csv']);
    expect(sectors.code).toBe(2);
    expect(sectors.stderr).toMatch(/--sectors needs a portfolio/);
  });

  it('warns when the weights do not sum to 1', async () => {
    const weights = join(dir, 'half.json');
    writeFileSync(weights, JSON.stringify({ weights: { MSFT: 0.3, IBM: 0.2 } }));
    const r = await run(['risk', '--prices', 'sample:stocks', '--weights', weights, '--var-method', 'normal']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/the weights sum to 0\.5; the remaining 0\.5 is cash at a zero return/);
  });
});

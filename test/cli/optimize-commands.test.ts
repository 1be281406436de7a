import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPrices } from '../../src/data/load-prices.js';
import { sampleCovariance } from '../../src/estimate/covariance.js';
import { geometricReturn } from '../../src/estimate/expected-returns.js';
import { cli } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'pfopt-opt-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** mu'w and sqrt(w'Sw) recomputed from the default estimators (CAGR, sample covariance) of sample:stocks. */
function performanceOf(weights: Record<string, number>) {
  const prices = loadPrices('sample:stocks');
  const mu = geometricReturn(prices);
  const cov = sampleCovariance(prices);
  const n = mu.tickers.length;
  const w = mu.tickers.map((t) => weights[t] as number);
  let ret = 0;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    ret += (mu.values[i] as number) * (w[i] as number);
    for (let j = 0; j < n; j++) variance += (w[i] as number) * (cov.values[i * n + j] as number) * (w[j] as number);
  }
  return { ret, vol: Math.sqrt(variance) };
}

async function optimizeJson(args: string[]) {
  const r = await cli(['optimize', '--prices', 'sample:stocks', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('pfopt optimize', () => {
  it('prints the JSON contract with performance measured by the same estimates', async () => {
    for (const objective of ['min-volatility', 'max-sharpe']) {
      const out = await optimizeJson(['--objective', objective, '--risk-free', '0.02']);
      expect(Object.keys(out.weights)).toEqual(['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']);
      const sum = Object.values(out.weights as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 12);
      for (const w of Object.values(out.weights as Record<string, number>)) expect(w).toBeGreaterThanOrEqual(0);
      const { ret, vol } = performanceOf(out.weights);
      expect(out.performance.expectedReturn).toBeCloseTo(ret, 12);
      expect(out.performance.volatility).toBeCloseTo(vol, 12);
      expect(out.performance.sharpe).toBeCloseTo((ret - 0.02) / vol, 12);
      expect(out).toMatchObject({ returnsModel: 'cagr', riskModel: 'sample', riskFreeRate: 0.02, periodsPerYear: 12 });
    }
  });

  it('says that the risk-free rate defaulted to 0, on stderr', async () => {
    const r = await cli(['optimize', '--prices', 'sample:stocks', '--objective', 'max-sharpe']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/risk-free rate 0 \(the default; set --risk-free\)/);
    expect(r.stdout).toMatch(/Maximum Sharpe ratio/);
    expect(r.stdout).toMatch(/expected annual return\s+\d+\.\d\d%/);
  });

  it('honours bounds and sector limits', async () => {
    const capped = await optimizeJson(['--objective', 'max-sharpe', '--bounds', '0.05,0.4']);
    for (const w of Object.values(capped.weights as Record<string, number>)) {
      expect(w).toBeGreaterThanOrEqual(0.05 - 1e-9);
      expect(w).toBeLessThanOrEqual(0.4 + 1e-9);
    }
    const sectors = join(dir, 'sectors.csv');
    writeFileSync(sectors, 'ticker,sector\nMSFT,Software\nAMZN,Retail\nIBM,Hardware\nGOOG,Software\nAAPL,Hardware\n');
    const limits = join(dir, 'limits.csv');
    writeFileSync(limits, 'sector,min,max\nSoftware,,0.3\nRetail,0.2,\n');
    const out = await optimizeJson(['--objective', 'max-sharpe', '--sectors', sectors, '--sector-bounds', limits]);
    expect(out.weights.MSFT + out.weights.GOOG).toBeLessThanOrEqual(0.3 + 1e-9);
    expect(out.weights.AMZN).toBeGreaterThanOrEqual(0.2 - 1e-9);
  });

  it('efficient return and efficient risk hit their targets', async () => {
    const r = await optimizeJson(['--objective', 'efficient-return', '--target-return', '0.2']);
    expect(r.performance.expectedReturn).toBeGreaterThanOrEqual(0.2 - 1e-9);
    const v = await optimizeJson(['--objective', 'efficient-risk', '--target-volatility', '0.3']);
    expect(v.performance.volatility).toBeCloseTo(0.3, 9);
  });

  it('explains infeasible targets and a hopeless risk-free rate with exit code 4', async () => {
    const high = await cli([
      'optimize',
      '--prices',
      'sample:stocks',
      '--objective',
      'efficient-return',
      '--target-return',
      '0.9',
    ]);
    expect(high.code).toBe(4);
    expect(high.stderr).toMatch(/target return 0\.9 is above the maximum attainable/);
    const rf = await cli(['optimize', '--prices', 'sample:stocks', '--objective', 'max-sharpe', '--risk-free', '0.5']);
    expect(rf.code).toBe(4);
    expect(rf.stderr).toMatch(/0\.5/);
    const missing = await cli(['optimize', '--prices', 'sample:stocks', '--objective', 'efficient-risk']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs --target-volatility/);
    const bounds = await cli([
      'optimize',
      '--prices',
      'sample:stocks',
      '--objective',
      'min-volatility',
      '--bounds',
      '0.3,1',
    ]);
    expect(bounds.code).toBe(4);
    expect(bounds.stderr).toMatch(/1\.5/); // five minimums of 0.3 sum to 1.5 > budget 1
  });

  it('uses a ticker of the data as the CAPM benchmark and leaves it out of the portfolio', async () => {
    const out = await optimizeJson(['--objective', 'min-volatility', '--returns-model', 'capm', '--benchmark', 'IBM']);
    expect(Object.keys(out.weights)).toEqual(['MSFT', 'AMZN', 'GOOG', 'AAPL']);
    expect(out.benchmark).toBe('IBM');
  });
});

describe('pfopt optimize, allocation rules', () => {
  const prices = loadPrices('sample:stocks');
  const cov = sampleCovariance(prices);
  const tickers = cov.tickers;
  const n = tickers.length;

  it('risk-parity gives every asset the same share of the variance of the sample covariance', async () => {
    const out = await optimizeJson(['--objective', 'risk-parity']);
    const w = tickers.map((t) => out.weights[t] as number);
    const sw = tickers.map((_, i) => w.reduce((s, wj, j) => s + (cov.values[i * n + j] as number) * wj, 0));
    const variance = w.reduce((s, wi, i) => s + wi * (sw[i] as number), 0);
    for (let i = 0; i < n; i++) expect(((w[i] as number) * (sw[i] as number)) / variance).toBeCloseTo(1 / n, 10);
    expect(out.riskContributions.MSFT).toBeCloseTo(0.2, 10);
    expect(out.objective).toBe('equal-risk-contribution');
  });

  it('inverse-volatility and equal-weight follow their formulas', async () => {
    const iv = await optimizeJson(['--objective', 'inverse-volatility']);
    const inv = tickers.map((_, i) => 1 / Math.sqrt(cov.values[i * n + i] as number));
    const total = inv.reduce((a, b) => a + b, 0);
    tickers.forEach((t, i) => {
      expect(iv.weights[t]).toBeCloseTo((inv[i] as number) / total, 14);
    });
    const ew = await optimizeJson(['--objective', 'equal-weight']);
    for (const t of tickers) expect(ew.weights[t]).toBe(0.2);
  });

  it('market-cap weighs by the capitalisations of --market-caps and needs the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pfopt-caps-'));
    try {
      const caps = { MSFT: 256e9, AMZN: 58e9, IBM: 167e9, GOOG: 180e9, AAPL: 213e9, XOM: 300e9 };
      const file = join(dir, 'caps.json');
      writeFileSync(file, JSON.stringify(caps));
      const out = await optimizeJson(['--objective', 'market-cap', '--market-caps', file]);
      // 874e9 is the total of the five held tickers (XOM is not among the assets and is ignored).
      for (const t of tickers) expect(out.weights[t]).toBeCloseTo(caps[t as keyof typeof caps] / 874e9, 14);
      expect(out.marketCaps.GOOG).toBe(180e9);
      expect(out.objective).toBe('market-cap');
      const missing = await cli(['optimize', '--prices', 'sample:stocks', '--objective', 'market-cap']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('--objective market-cap needs --market-caps FILE');
      const stray = await cli([
        'optimize',
        '--prices',
        'sample:stocks',
        '--objective',
        'min-volatility',
        '--market-caps',
        file,
      ]);
      expect(stray.code).toBe(2);
      expect(stray.stderr).toContain(
        '--market-caps applies to --returns-model black-litterman (or to --objective market-cap)',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hrp and herc expose the tree and the leaf order', async () => {
    const hrp = await optimizeJson(['--objective', 'hrp', '--linkage', 'average']);
    expect(hrp.linkage).toBe('average');
    expect(hrp.tree).toHaveLength(n - 1);
    expect([...hrp.order].sort()).toEqual([...tickers].sort());
    const sum = Object.values(hrp.weights as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 14);
    const herc = await optimizeJson(['--objective', 'herc', '--clusters', '2']);
    expect(herc.clusters).toBe(2);
    expect(new Set(Object.values(herc.clusterOf)).size).toBe(2);
  });

  it('refuses constraints a rule cannot honour, naming the flag', async () => {
    const r = await cli([
      'optimize',
      '--prices',
      'sample:stocks',
      '--objective',
      'risk-parity',
      '--max-leverage',
      '1.5',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-leverage is not supported by --objective risk-parity/);
    const l = await cli([
      'optimize',
      '--prices',
      'sample:stocks',
      '--objective',
      'min-volatility',
      '--linkage',
      'ward',
    ]);
    expect(l.code).toBe(2);
  });
});

describe('pfopt frontier', () => {
  it('returns K points of rising return and volatility, above the minimum volatility, and writes the CSV', async () => {
    const file = join(dir, 'frontier.csv');
    const r = await cli(['frontier', '--prices', 'sample:stocks', '--points', '8', '--out', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.points).toHaveLength(8);
    for (let k = 1; k < 8; k++) {
      expect(out.points[k].expectedReturn).toBeGreaterThan(out.points[k - 1].expectedReturn);
      expect(out.points[k].volatility).toBeGreaterThanOrEqual(out.points[k - 1].volatility - 1e-12);
    }
    for (const p of out.points)
      expect(p.volatility).toBeGreaterThanOrEqual(out.minVolatility.performance.volatility - 1e-12);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('expected_return,volatility,sharpe,MSFT,AMZN,IBM,GOOG,AAPL');
    expect(lines).toHaveLength(9);
    expect(Number(lines[1]?.split(',')[1])).toBe(out.points[0].volatility);
  });
});

describe('pfopt optimize on a window shorter than the number of assets', () => {
  it('says why the maximum Sharpe ratio is unbounded (a riskless combination) and what to change', async () => {
    // 6 prices, 5 returns, 5 assets: the sample covariance is singular, and with shorts allowed a zero-variance
    // portfolio earns more than the risk-free rate 0.
    const r = await cli([
      'optimize',
      '--prices',
      'sample:stocks',
      '--objective',
      'max-sharpe',
      '--start',
      '2009-05-01',
      '--end',
      '2009-10-01',
      '--bounds',
      '-0.2,1',
    ]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Sharpe ratio is unbounded: the covariance is singular and a riskless combination/);
    expect(r.stderr).toMatch(/longer window.*ledoit-wolf.*long-only bounds/);
    expect(r.stderr).not.toMatch(/set finite weight bounds/);
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'pfopt-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pfopt data show', () => {
  it('prints the JSON contract for the embedded sample', async () => {
    const r = await cli(['data', 'show', '--prices', 'sample:stocks', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.tickers).toEqual(['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']);
    expect(out.rows).toBe(123);
    expect(out.start).toBe('2000-01-01');
    expect(out.end).toBe('2010-03-01');
    expect(out.periodsPerYear).toBe(12);
    // GOOG's first row in stocks.csv is "GOOG,Aug 1 2004,102.37".
    expect(out.firstValid).toEqual({
      MSFT: '2000-01-01',
      AMZN: '2000-01-01',
      IBM: '2000-01-01',
      GOOG: '2004-08-01',
      AAPL: '2000-01-01',
    });
    expect(out.gaps.GOOG).toBe(0);
  });

  it('prints a readable table without colour when not a terminal', async () => {
    const r = await cli(['data', 'show', '--prices', 'sample:stocks']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'sample:stocks: 5 tickers, 123 rows, 2000-01-01 to 2010-03-01, monthly (12 periods a year)',
    );
    expect(r.stdout).toMatch(/GOOG\s+2004-08-01\s+2010-03-01\s+68\s+0/);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('reads a CSV file, counts interior gaps and honours --frequency', async () => {
    const file = join(dir, 'gappy.csv');
    writeFileSync(file, 'Date,A,B\n2020-01-06,1,\n2020-01-07,2,5\n2020-01-08,,6\n2020-01-09,4,7\n');
    const r = await cli(['data', 'show', '--prices', file, '--frequency', '260', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.firstValid).toEqual({ A: '2020-01-06', B: '2020-01-07' });
    expect(out.gaps).toEqual({ A: 1, B: 0 });
    expect(out.periodsPerYear).toBe(260);
  });

  it('fails with one line naming the file, line and column for a malformed CSV (exit 3)', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'date,A\n2020-01-06,1\n2020-01-07,abc\n');
    const r = await cli(['data', 'show', '--prices', file]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${file}, line 3, column 2`);
    expect(r.stderr).toContain('"abc"');
  });

  it('rejects non-positive prices with the ticker and date', async () => {
    const file = join(dir, 'neg.csv');
    writeFileSync(file, 'date,A\n2020-01-06,1\n2020-01-07,-2\n');
    const r = await cli(['data', 'show', '--prices', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/price of "A" on 2020-01-07 is -2; prices must be positive/);
  });

  it('names a missing file, an unknown sample and a missing --prices', async () => {
    const missing = await cli(['data', 'show', '--prices', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('nope.csv');
    const unknown = await cli(['data', 'show', '--prices', 'sample:nope']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/unknown sample "nope"; the samples are stocks, sp500, sp500-daily/);
    const none = await cli(['data', 'show'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no price data given: pass --prices/);
  });

  it('shows a stack trace only with --debug', async () => {
    const plain = await cli(['data', 'show', '--prices', 'sample:nope']);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await cli(['data', 'show', '--prices', 'sample:nope', '--debug']);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});

describe('pfopt data samples', () => {
  it('lists every embedded sample with its origin', async () => {
    const r = await cli(['--json', 'data', 'samples']);
    expect(r.code).toBe(0);
    const { samples } = JSON.parse(r.stdout);
    expect(samples.map((s: { name: string }) => s.name)).toEqual([
      'sample:stocks',
      'sample:sp500',
      'sample:sp500-daily',
    ]);
    expect(samples[0].benchmark).toBe('sample:sp500');
    expect(samples[0].origin).toMatch(/vega-datasets 3\.2\.1 \(BSD-3-Clause\)/);
  });

  it('every sample loads with its declared frequency', async () => {
    for (const name of ['stocks', 'sp500', 'sp500-daily']) {
      const r = await cli(['data', 'show', '--prices', `sample:${name}`, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.periodsPerYear).toBe(name === 'sp500-daily' ? 252 : 12);
    }
    const daily = JSON.parse((await cli(['data', 'show', '--prices', 'sample:sp500-daily', '--json'])).stdout);
    expect(daily.tickers).toEqual(['SP500']);
    expect(daily.start).toBe('2000-01-03');
    expect(daily.end).toBe('2020-04-17');
    expect(daily.rows).toBe(5105); // 5,106 lines: the header, then 5,105 rows (no newline after the last)
  });
});

describe('global behaviour', () => {
  it('--version prints the package version, --help the commands', async () => {
    const v = await cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    for (const word of ['demo', 'data', 'cache', '--json', '--quiet', '--debug', '--config'])
      expect(h.stdout).toContain(word);
  });

  it('an unknown command or option is a usage error (exit 2)', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    const o = await cli(['data', 'show', '--pricez', 'x']);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/unknown option '--pricez'/);
    const bad = await cli(['data', 'show', '--prices', 'sample:stocks', '--frequency', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--frequency.*expected a positive number of periods per year/);
  });

  it('reads defaults from pfopt.config.json and names a bad key', async () => {
    const cfgDir = mkdtempSync(join(dir, 'cfg-'));
    writeFileSync(join(cfgDir, 'pfopt.config.json'), JSON.stringify({ prices: 'sample:sp500' }));
    const ok = await cli(['data', 'show', '--json'], { cwd: cfgDir });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).tickers).toEqual(['SP500']);

    writeFileSync(join(cfgDir, 'pfopt.config.json'), JSON.stringify({ prices: 'sample:sp500', pricez: 1 }));
    const unknown = await cli(['data', 'show'], { cwd: cfgDir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/pfopt\.config\.json: unknown key "pricez"; the allowed keys are cacheDir, prices/);

    writeFileSync(join(cfgDir, 'pfopt.config.json'), JSON.stringify({ frequency: 'monthly' }));
    const typed = await cli(['data', 'show'], { cwd: cfgDir });
    expect(typed.code).toBe(2);
    expect(typed.stderr).toMatch(/pfopt\.config\.json: key "frequency": .*expected number/);
  });

  it('reads a YAML configuration given by --config and checks enumerations', async () => {
    const file = join(dir, 'settings.yaml');
    writeFileSync(file, 'prices: sample:stocks\ndateFormat: ymd\n');
    const r = await cli(['--config', file, 'data', 'show']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/settings\.yaml: key "dateFormat" must be one of "auto", "iso", "mdy", "dmy"/);
    writeFileSync(file, 'prices: [unclosed\n');
    const broken = await cli(['--config', file, 'data', 'show']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/settings\.yaml is not valid YAML/);
  });
});

describe('--quiet', () => {
  it('silences progress notes on stderr but keeps the result', async () => {
    const out = join(dir, 'q.csv');
    const loud = await cli(['data', 'synth', '--assets', '3', '--periods', '10', '--out', out]);
    expect(loud.code).toBe(0);
    expect(loud.stderr).toMatch(/Generating 3 assets/);
    const quiet = await cli(['--quiet', 'data', 'synth', '--assets', '3', '--periods', '10', '--out', out]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toMatch(/Wrote 3 assets x 10 daily prices/);
  });
});

describe('pfopt demo', () => {
  it('runs the whole job offline, writes the report and compares the portfolios with the benchmark', async () => {
    const out = join(dir, 'demo-report');
    const r = await cli(['demo', '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.report).toBe(join(out, 'index.html'));
    expect(existsSync(doc.report)).toBe(true);
    type Row = { name: string; isBenchmark: boolean; volatility: number; sharpe: number; backtestCagr: number };
    const rows = doc.comparison as Row[];
    expect(rows.map((x) => x.name)).toEqual([
      'Minimum volatility',
      'Maximum Sharpe',
      'Risk parity',
      'Hierarchical risk parity',
      'Equal weight',
      'SP500',
    ]);
    const portfolios = rows.filter((x) => !x.isBenchmark);
    // The optimum of each objective beats the other portfolios on that objective, under the same estimates.
    expect(portfolios[0]!.volatility).toBeLessThanOrEqual(Math.min(...portfolios.map((x) => x.volatility)) + 1e-12);
    expect(portfolios[1]!.sharpe).toBeGreaterThanOrEqual(Math.max(...portfolios.map((x) => x.sharpe)) - 1e-12);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.manifest.sources.map((x: { name: string; role: string }) => [x.name, x.role])).toEqual([
      ['sample:stocks', 'universe'],
      ['sample:sp500', 'benchmark'],
    ]);
    expect(results.riskFreeRate).toBe(0.02);
    // The benchmark's backtest CAGR is the S&P 500's own growth over the backtest dates.
    const nav = readFileSync(join(out, 'nav.csv'), 'utf8').trim().split('\n');
    const first = nav[1]!.split(',');
    const last = nav[nav.length - 1]!.split(',');
    const months = nav.length - 2;
    expect(first[6]).toBe('1');
    expect(rows[5]!.backtestCagr).toBeCloseTo(Number(last[6]) ** (12 / months) - 1, 12);
  });
});

describe('pfopt allocate', () => {
  it('allocates whole shares at the latest sample prices, exact and greedy', async () => {
    const weights = join(dir, 'weights.json');
    writeFileSync(weights, JSON.stringify({ weights: { MSFT: 0.3, AAPL: 0.5, IBM: 0.2, GOOG: 0 } }));
    const exact = await cli([
      'allocate',
      '--weights',
      weights,
      '--budget',
      '10000',
      '--prices',
      'sample:stocks',
      '--json',
    ]);
    expect(exact.code, exact.stderr).toBe(0);
    const r = JSON.parse(exact.stdout);
    // Last prices in stocks.csv (2010-03-01): MSFT 28.8, AAPL 223.02, IBM 125.55.
    const spent = r.positions.reduce((s: number, p: { shares: number; price: number }) => s + p.shares * p.price, 0);
    expect(spent + r.leftover).toBeCloseTo(10000, 9);
    expect(r.leftover).toBeGreaterThanOrEqual(0);
    expect(r.leftover).toBeLessThan(28.8 + 1e-9 + 200); // no affordable lot of a below-target asset remains unbought
    expect(r.priceDates).toEqual({ MSFT: '2010-03-01', AAPL: '2010-03-01', IBM: '2010-03-01' });
    const greedy = await cli([
      'allocate',
      '--weights',
      weights,
      '--budget',
      '10000',
      '--prices',
      'sample:stocks',
      '--method',
      'greedy',
    ]);
    expect(greedy.code).toBe(0);
    expect(greedy.stdout).toMatch(/Greedy allocation of 10000 at the prices of 2010-03-01/);
    expect(greedy.stdout).toMatch(/leftover cash: \d+\.\d\d/);
  });

  it('names a ticker the price file lacks', async () => {
    const weights = join(dir, 'weights2.csv');
    writeFileSync(weights, 'ticker,weight\nMSFT,0.5\nNOPE,0.5\n');
    const r = await cli(['allocate', '--weights', weights, '--budget', '1000', '--prices', 'sample:stocks']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unknown ticker "NOPE"/);
  });
});

/** `pfopt run CONFIG` on the example pipelines, its validation messages, and `pfopt report --from`. */

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRunConfig } from '../../src/cli/run-config.js';
import { isoDate } from '../../src/core/dates.js';
import { generateMarket } from '../../src/data/synthetic.js';
import { cli } from './run.js';

const root = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'pfopt-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function results(out: string) {
  return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
}

describe('pfopt run', () => {
  it('runs examples/sample-stocks.yaml as it is, with its constraints', async () => {
    const out = join(dir, 'stocks');
    const r = await cli(['run', join(root, 'examples', 'sample-stocks.yaml'), '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.report).toBe(join(out, 'index.html'));
    const res = results(out);
    expect(res.title).toBe('Five stocks against the S&P 500 (embedded sample)');
    const capped = res.portfolios.find((p: { name: string }) => p.name === 'Maximum Sharpe (capped at 40%)');
    for (const w of Object.values(capped.weights) as number[]) expect(w).toBeLessThanOrEqual(0.4 + 1e-9);
    expect(Math.max(...(Object.values(capped.weights) as number[]))).toBeCloseTo(0.4, 6);
    expect(res.manifest.parameters.backtest).toMatchObject({ lookback: 36, rebalance: 'quarterly', costBps: 10 });
    expect(res.manifest.sources.map((s: { name: string }) => s.name)).toEqual(['sample:stocks', 'sample:sp500']);
    expect(res.manifest.command).toBe(`pfopt run ${join(root, 'examples', 'sample-stocks.yaml')}`);
  });

  it('runs examples/sample-allocation-rules.json: ticker subset, dates, featured strategy, linear scale', async () => {
    const out = join(dir, 'rules');
    const r = await cli(['run', join(root, 'examples', 'sample-allocation-rules.json'), '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const res = results(out);
    expect(res.universe.tickers).toEqual(['MSFT', 'AMZN', 'IBM', 'AAPL']);
    expect(res.manifest.dateRange.start).toBe('2002-01-01');
    expect(res.backtest.featured).toBe('HRP (average)');
    expect(res.report.logScale).toBe(false);
    expect(res.portfolios.map((p: { method: string }) => p.method)).toEqual([
      'herc',
      'hrp',
      'inverse-volatility',
      'inverse-variance',
      'equal-weight',
    ]);
  });

  it('fetches a provider universe through the cache (the csv provider, offline) and records its content hash', async () => {
    const market = generateMarket({ assets: 5, periods: 700, seed: 11 });
    const files = join(dir, 'provider-files');
    mkdirSync(files, { recursive: true });
    const prices = market.prices;
    for (const t of prices.tickers) {
      const col = prices.series(t);
      const lines = ['Date,Close', ...Array.from(prices.dates, (d, i) => `${isoDate(d)},${col[i]}`)];
      writeFileSync(join(files, `${t}.csv`), `${lines.join('\n')}\n`);
    }
    const [bench, ...universe] = prices.tickers;
    const config = join(dir, 'provider.yaml');
    writeFileSync(
      config,
      [
        'universe:',
        '  source: csv',
        `  tickers: [${universe.join(', ')}]`,
        `  benchmark: ${bench}`,
        `dates: { start: ${isoDate(prices.dates[0]!)} }`,
        'strategies:',
        '  - { method: min-volatility }',
        '  - { method: hrp }',
        'backtest: { lookback: 126, rebalance: monthly, rollingWindow: 63 }',
        'frontier: { randomPortfolios: 100 }',
      ].join('\n'),
    );
    const out = join(dir, 'provider-report');
    const r = await cli(['run', config, '--out', out, '--json'], {
      cwd: dir,
      env: { PFOPT_CACHE_DIR: join(dir, 'cache'), PFOPT_CSV_DIR: files },
    });
    expect(r.code, r.stderr).toBe(0);
    const res = results(out);
    expect(res.universe.tickers).toEqual(universe);
    expect(res.universe.benchmark).toBe(bench);
    expect(res.universe.periodsPerYear).toBe(252);
    expect(res.manifest.sources.map((x: { role: string; sha256: string }) => [x.role, x.sha256.length])).toEqual([
      ['universe', 64],
      ['benchmark', 64],
    ]);
    expect(res.backtest.strategies.map((x: { name: string }) => x.name)).toEqual(['min-volatility', 'hrp']);
  });

  it('accepts the live example as a valid pipeline (it needs the network to run)', () => {
    const config = readRunConfig(join(root, 'examples', 'live-yahoo.yaml'));
    expect(config.universe.source).toBe('yahoo');
    expect(config.universe.tickers?.length).toBeGreaterThan(2);
  });

  it.each([
    ['estimators:\n  risk: shrinky\n', /key "estimators\.risk" must be one of "sample", "semicovariance", .*"oas"/],
    [
      'universe:\n  prices: sample:stocks\n  colour: red\n',
      /unknown key "colour" in "universe"; the allowed keys are prices, source, tickers, benchmark/,
    ],
    [
      'strategies:\n  - method: magic\n',
      /key "strategies\.0\.method" must be one of "min-volatility", "max-sharpe", .*"inverse-variance"/,
    ],
    ['backtest:\n  rebalance: hourly\n', /key "backtest\.rebalance" must be one of .*"quarterly"/],
    ['backtest:\n  lookback: many\n', /key "backtest\.lookback": .*number/],
    ['strategies:\n  - method: hrp\n  - method: hrp\n', /two strategies are named "hrp"/],
    ['report:\n  featured: nobody\nstrategies:\n  - method: hrp\n', /key "report\.featured" must be one of "hrp"/],
    ['surprise: 1\n', /unknown key "surprise"; the allowed keys are title, universe, dates/],
  ])('names the bad key and the allowed values: %s', async (body, message) => {
    const path = join(dir, 'bad.yaml');
    const text = body.startsWith('universe') ? body : `universe:\n  prices: sample:stocks\n${body}`;
    writeFileSync(path, text);
    const r = await cli(['run', path, '--out', join(dir, 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});

describe('the comparison table of pfopt demo', () => {
  it('is aligned, coloured only when asked and never with NO_COLOR', async () => {
    const env = { PFOPT_CACHE_DIR: join(dir, 'cache') };
    const plain = await cli(['demo', '--out', join(dir, 'plain')], { env });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain('\u001b[');
    const lines = plain.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('portfolio '));
    const table = lines.slice(header, header + 7);
    // Right-aligned numbers: every row of the table ends at the same column.
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    expect(table[6]).toMatch(/^SP500 /);
    const coloured = await cli(['demo', '--out', join(dir, 'coloured')], { env: { ...env, FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[31m-'); // losses in red
    const none = await cli(['demo', '--out', join(dir, 'none')], { env: { ...env, FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(none.stdout).not.toContain('\u001b[');
  });
});

describe('pfopt report --from', () => {
  it('re-renders a report from results.json without recomputing', async () => {
    const first = join(dir, 'first');
    expect((await cli(['demo', '--out', first, '--json'])).code).toBe(0);
    // Edit the saved results: the re-rendered report shows the edit, so it was drawn from the file.
    const saved = results(first);
    saved.portfolios[0].name = 'Renamed portfolio';
    saved.backtest.strategies[0].name = 'Renamed portfolio';
    writeFileSync(join(first, 'results.json'), JSON.stringify(saved));
    const second = join(dir, 'second');
    const r = await cli(['report', '--from', join(first, 'results.json'), '--out', second, '--linear', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(second, 'index.html'), 'utf8');
    expect(html).toContain('Renamed portfolio');
    expect(results(second).report.logScale).toBe(false);
    expect(results(second).manifest.createdAt).toBe(saved.manifest.createdAt);
  });

  it('says what is wrong with a file that is not results', async () => {
    const bad = join(dir, 'not-results.json');
    writeFileSync(bad, '{"schema": "something-else"}');
    const r = await cli(['report', '--from', bad, '--out', join(dir, 'none')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a pfopt results file/);
  });
});

/**
 * The whole job as a library call on the embedded sample, and the report folder written from its results: each
 * figure checked against an independent computation from the prices, the outputs against the results.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../src/core/dates.js';
import { loadSample } from '../../src/data/samples.js';
import { reportCharts } from '../../src/report/figures.js';
import { DEFAULT_SETTINGS, runPipeline } from '../../src/report/pipeline.js';
import { parseResults, type ReportResults, resultsToJson } from '../../src/report/results.js';
import { writeReport } from '../../src/report/write.js';

const dir = mkdtempSync(join(tmpdir(), 'pfopt-report-'));
const prices = loadSample('stocks');
const sp500 = loadSample('sp500');
let results: ReportResults;

beforeAll(async () => {
  results = await runPipeline({
    prices,
    benchmark: sp500,
    settings: { ...DEFAULT_SETTINGS, frontier: { ...DEFAULT_SETTINGS.frontier, randomPortfolios: 200 } },
    manifest: {
      pfoptVersion: 'test',
      nodeVersion: process.version,
      createdAt: '2026-01-01T00:00:00.000Z',
      command: 'test',
      sources: [],
    },
  });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sum = (xs: Iterable<number>): number => [...xs].reduce((s, x) => s + x, 0);
const priceOn = (iso: string): number => sp500.get(sp500.dates.indexOf(parseIsoDate(iso)), 0);

describe('runPipeline on sample:stocks against sample:sp500', () => {
  it('optimises every strategy to fully invested long-only weights with risk shares summing to 1', () => {
    expect(results.portfolios.map((p) => p.method)).toEqual([
      'min-volatility',
      'max-sharpe',
      'risk-parity',
      'hrp',
      'equal-weight',
    ]);
    for (const p of results.portfolios) {
      expect(sum(Object.values(p.weights))).toBeCloseTo(1, 9);
      for (const w of Object.values(p.weights)) expect(w).toBeGreaterThanOrEqual(-1e-12);
      expect(sum(Object.values(p.riskShares))).toBeCloseTo(1, 9);
    }
    // Risk parity: equal shares.
    for (const s of Object.values(results.portfolios[2]!.riskShares)) expect(s).toBeCloseTo(0.2, 6);
  });

  it('starts the frontier at the minimum-volatility portfolio, which no other portfolio beats', () => {
    const minVol = results.portfolios[0]!;
    expect(results.frontier.points[0]!.volatility).toBeCloseTo(minVol.volatility as number, 9);
    for (const p of results.portfolios)
      expect(p.volatility as number).toBeGreaterThanOrEqual((minVol.volatility as number) - 1e-12);
    for (const r of results.frontier.random)
      expect(r.volatility).toBeGreaterThanOrEqual((minVol.volatility as number) - 1e-12);
  });

  it('replays the stress episodes the sample covers, the benchmark by its own prices', () => {
    const ids = results.stress.map((e) => e.id);
    expect(ids).toContain('dot-com-2000');
    expect(ids).toContain('gfc-2007');
    for (const e of results.stress) {
      const expected = priceOn(e.to as string) / priceOn(e.from as string) - 1;
      expect(e.returns.SP500).toBeCloseTo(expected, 12);
      for (const p of results.portfolios) expect(typeof e.returns[p.name]).toBe('number');
    }
  });

  it('backtests every strategy against the benchmark from growth 1, with costs', () => {
    const bt = results.backtest!;
    expect(bt.strategies.map((s) => s.name)).toEqual(results.portfolios.map((p) => p.name));
    const first = bt.dates[0]!;
    bt.dates.forEach((d, t) => {
      expect(bt.benchmark!.nav[t]).toBeCloseTo(priceOn(d) / priceOn(first), 12);
    });
    for (const s of bt.strategies) {
      expect(s.nav[0]).toBe(1);
      expect(s.nav).toHaveLength(bt.dates.length);
      expect(Math.max(...s.drawdown.map((x) => x ?? 0))).toBeLessThanOrEqual(0);
      expect(s.costs).toBeGreaterThan(0);
      expect(s.trades.length).toBeGreaterThan(0);
      const cagr = (s.nav[s.nav.length - 1] as number) ** (12 / (s.nav.length - 1)) - 1;
      expect(s.metrics.cagr).toBeCloseTo(cagr, 10);
    }
  });

  it("compounds the featured strategy's monthly returns to its whole growth", () => {
    const bt = results.backtest!;
    const s = bt.strategies.find((x) => x.name === bt.featured)!;
    const growth = bt.monthly.reduce((g, m) => g * (1 + m.value), 1);
    expect(growth).toBeCloseTo((s.nav[s.nav.length - 1] as number) / (s.nav[0] as number), 10);
    expect(bt.monthly).toHaveLength(bt.dates.length - 1);
  });

  it('round-trips through JSON and refuses what is not a results file', () => {
    const text = resultsToJson(results);
    expect(parseResults(text, 'r.json')).toEqual(JSON.parse(text));
    expect(() => parseResults('{"schema": "other"}', 'x.json')).toThrow(/x\.json: not a pfopt results file/);
    expect(() => parseResults('nope', 'x.json')).toThrow(/x\.json: not JSON/);
  });

  it('builds the charts of every section from the results', () => {
    const charts = reportCharts(results);
    expect(charts.map((c) => c.chart.id)).toEqual([
      'allocation',
      'frontier',
      'correlation',
      'dendrogram',
      'risk-contributions',
      'histogram',
      'stress',
      'equity',
      'underwater',
      'risk-return',
      'rolling',
      'weights-over-time',
      'monthly-returns',
    ]);
    // The heatmap's order is the HRP tree's leaf order, as the dendrogram draws it.
    const corr = charts.find((c) => c.chart.id === 'correlation')!.chart;
    const dendro = charts.find((c) => c.chart.id === 'dendrogram')!.chart;
    const leaves = (dendro.spec.data as { values: { series: string; label: string }[] }).values
      .filter((r) => r.series === 'leaves')
      .map((r) => r.label);
    expect(corr.series).toEqual(leaves);
  });
});

describe('writeReport', () => {
  it('writes the HTML report, results, summary, CSVs and chart files that agree with the results', async () => {
    const out = join(dir, 'report');
    const written = await writeReport(results, out, { png: true });
    expect(written.html).toBe(join(out, 'index.html'));
    const html = readFileSync(written.html, 'utf8');
    for (const id of written.charts) {
      expect(html).toContain(`id="chart-${id}"`);
      expect(existsSync(join(out, 'charts', `${id}.svg`))).toBe(true);
      expect(
        readFileSync(join(out, 'charts', `${id}.png`))
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
    }
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*https?:/i);
    const order = [
      'id="summary"',
      'id="allocation"',
      'id="frontier"',
      'id="risk"',
      'id="stress"',
      'id="backtest"',
      'id="manifest"',
    ];
    const at = order.map((s) => html.indexOf(s));
    expect(at.every((x) => x > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(parseResults(readFileSync(join(out, 'results.json'), 'utf8'), 'results.json')).toEqual(
      JSON.parse(resultsToJson(results)),
    );
    const weights = readFileSync(join(out, 'weights.csv'), 'utf8').trim().split('\n');
    expect(weights[0]).toBe('portfolio,method,MSFT,AMZN,IBM,GOOG,AAPL');
    const hrp = weights.find((l) => l.startsWith('Hierarchical risk parity,'))!.split(',');
    expect(Number(hrp[2])).toBe(results.portfolios[3]!.weights.MSFT);
    const nav = readFileSync(join(out, 'nav.csv'), 'utf8').trim().split('\n');
    expect(nav).toHaveLength(results.backtest!.dates.length + 1);
    const trades = readFileSync(join(out, 'trades.csv'), 'utf8').trim().split('\n');
    expect(trades).toHaveLength(1 + results.backtest!.strategies.reduce((n, s) => n + s.trades.length, 0));
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toMatch(/^# /);
    expect(md).toContain('| Minimum volatility |');
    expect(readFileSync(join(out, 'metrics.csv'), 'utf8').split('\n')[0]).toContain('backtest_sharpe');
  }, 60_000);
});

describe('runPipeline without a benchmark', () => {
  it('reports and draws everything but the benchmark, and names a strategy that has no solution', async () => {
    const manifest = { pfoptVersion: 'test', nodeVersion: 'v', createdAt: 'now', command: 'test', sources: [] };
    const settings = {
      ...DEFAULT_SETTINGS,
      strategies: [
        { name: 'MV', method: 'min-volatility' as const },
        { name: 'IV', method: 'inverse-volatility' as const },
      ],
      frontier: { ...DEFAULT_SETTINGS.frontier, randomPortfolios: 50 },
    };
    const alone = await runPipeline({ prices, settings, manifest });
    expect(alone.universe.benchmark).toBeNull();
    expect(alone.backtest!.benchmark).toBeNull();
    for (const e of alone.stress) expect(Object.keys(e.returns).sort()).toEqual(['IV', 'MV']);
    const written = await writeReport(alone, join(dir, 'alone'));
    expect(written.charts).toContain('equity');
    expect(readFileSync(written.html, 'utf8')).not.toContain('SP500');
    await expect(
      runPipeline({
        prices,
        settings: { ...settings, riskFreeRate: 0.9, strategies: [{ name: 'Tangency', method: 'max-sharpe' as const }] },
        manifest,
      }),
    ).rejects.toThrow(/^strategy "Tangency" \(max-sharpe\): no asset's expected return exceeds the risk-free rate/);
  }, 60_000);
});

/**
 * Each chart builder: its data (what the spec holds), its spec (compiles without a warning, the right encodings) and
 * its rendering (Vega draws data marks for every declared series, headless, and the SVG holds them).
 */

import * as vega from 'vega';
import { describe, expect, it } from 'vitest';
import {
  allocationChart,
  type ChartSpec,
  compileChartWithWarnings,
  contributionsChart,
  correlationChart,
  dendrogramChart,
  dendrogramLayout,
  equityChart,
  frontierChart,
  histogramChart,
  monthlyReturnsChart,
  riskReturnChart,
  rollingChart,
  seriesColors,
  stressChart,
  svgToPng,
  themeConfig,
  underwaterChart,
  vegaToSvg,
  weightsOverTimeChart,
} from '../../src/report/charts/index.js';
import { drawnSeriesCounts, type SceneNode } from './scenegraph.js';

type Row = Record<string, unknown>;

function rowsOf(chart: ChartSpec): Row[] {
  const data = chart.spec.data as { values: Row[] } | undefined;
  if (data) return data.values;
  const layers = chart.spec.layer as { data?: { values: Row[] } }[];
  return layers.flatMap((l) => l.data?.values ?? []);
}

/** Compiles (no warning allowed), draws headless and returns the drawn-series counts and the SVG. */
async function draw(chart: ChartSpec): Promise<{ counts: Record<string, number>; svg: string }> {
  const { spec, warnings } = await compileChartWithWarnings(chart);
  expect(warnings, chart.id).toEqual([]);
  // biome-ignore lint/suspicious/noExplicitAny: Vega's parse takes its own spec type
  const view = new vega.View(vega.parse(spec as any), { renderer: 'none' });
  await view.runAsync();
  const root = (view.scenegraph() as unknown as { root: SceneNode }).root;
  const counts = drawnSeriesCounts(root, chart.seriesField);
  const svg = await view.toSVG();
  view.finalize();
  return { counts, svg };
}

async function expectEverySeriesDrawn(chart: ChartSpec): Promise<string> {
  expect(chart.series.length).toBeGreaterThan(0);
  const { counts, svg } = await draw(chart);
  for (const s of chart.series) expect(counts[s] ?? 0, `${chart.id}: ${s}`).toBeGreaterThan(0);
  expect(svg).toMatch(/^<svg /);
  expect(svg).toContain('role-mark');
  return svg;
}

const dates = ['2020-01-31', '2020-02-29', '2020-03-31', '2020-04-30', '2020-05-31'];

describe('theme', () => {
  it('gives each series the same colour in every chart and the benchmark grey', () => {
    const a = seriesColors(['A', 'B', 'SPX'], 'SPX');
    const b = seriesColors(['A', 'B']);
    expect(a.range.slice(0, 2)).toEqual(b.range);
    expect(a.range[2]).toBe('#444444');
    expect(new Set(b.range).size).toBe(2);
    expect((themeConfig().range as { category: string[] }).category[0]).toBe(a.range[0]);
  });
});

describe('frontier chart', () => {
  it('holds the frontier in order, the cloud, the assets and the portfolios, and draws each', async () => {
    const chart = frontierChart({
      frontier: [
        { expectedReturn: 0.05, volatility: 0.1 },
        { expectedReturn: 0.08, volatility: 0.13 },
        { expectedReturn: 0.1, volatility: 0.2 },
      ],
      random: [
        { expectedReturn: 0.06, volatility: 0.18 },
        { expectedReturn: 0.04, volatility: 0.15 },
      ],
      assets: [
        { name: 'AAA', expectedReturn: 0.1, volatility: 0.2 },
        { name: 'BBB', expectedReturn: 0.03, volatility: 0.12 },
      ],
      portfolios: [{ name: 'Min vol', expectedReturn: 0.05, volatility: 0.1 }],
    });
    const rows = rowsOf(chart);
    expect(rows.filter((r) => r.series === 'efficient frontier').map((r) => r.order)).toEqual([0, 1, 2]);
    expect(rows.filter((r) => r.series === 'random portfolios')).toHaveLength(2);
    expect(rows.find((r) => r.series === 'Min vol')).toMatchObject({ expectedReturn: 0.05, volatility: 0.1 });
    expect(chart.series).toEqual(['efficient frontier', 'random portfolios', 'assets', 'Min vol']);
    await expectEverySeriesDrawn(chart);
  });
});

describe('allocation chart', () => {
  it('stacks each portfolio by asset and leaves out weights under 0.05%', async () => {
    const chart = allocationChart(
      [
        { name: 'P1', weights: { A: 0.6, B: 0.4, C: 0.0001 } },
        { name: 'P2', weights: { A: 0.2, B: 0.3, C: 0.5 } },
      ],
      ['A', 'B', 'C'],
    );
    const rows = rowsOf(chart);
    expect(rows.filter((r) => r.portfolio === 'P1').map((r) => r.ticker)).toEqual(['A', 'B']);
    expect(rows.filter((r) => r.portfolio === 'P2').reduce((s, r) => s + (r.weight as number), 0)).toBeCloseTo(1, 12);
    expect(chart.series).toEqual(['A', 'B', 'C']);
    await expectEverySeriesDrawn(chart);
  });
});

describe('weights over time chart', () => {
  it('stacks the held assets and cash by date', async () => {
    const chart = weightsOverTimeChart({
      strategy: 'S',
      dates: dates.slice(0, 3),
      tickers: ['A', 'B', 'C'],
      weights: [
        [0.5, 0.5, 0],
        [0.6, 0.3, 0],
        [0.2, 0.7, 0],
      ],
      cash: [0, 0.1, 0.1],
    });
    expect(chart.series).toEqual(['A', 'B', 'cash']);
    const rows = rowsOf(chart);
    expect(rows).toHaveLength(9);
    expect(rows.filter((r) => r.date === dates[1]).reduce((s, r) => s + (r.weight as number), 0)).toBeCloseTo(1, 12);
    expect((chart.spec.mark as { type: string }).type).toBe('area');
    await expectEverySeriesDrawn(chart);
  });
});

describe('correlation heatmap', () => {
  it('keeps the given (cluster) order and one cell per pair', async () => {
    const chart = correlationChart({
      tickers: ['B', 'A', 'C'],
      values: [
        [1, 0.8, -0.2],
        [0.8, 1, 0.1],
        [-0.2, 0.1, 1],
      ],
    });
    const rows = rowsOf(chart);
    expect(rows).toHaveLength(9);
    expect(rows.find((r) => r.row === 'B' && r.column === 'C')?.correlation).toBe(-0.2);
    const enc = chart.spec.encoding as { x: { sort: string[] }; y: { sort: string[] } };
    expect(enc.x.sort).toEqual(['B', 'A', 'C']);
    expect(enc.y.sort).toEqual(['B', 'A', 'C']);
    await expectEverySeriesDrawn(chart);
  });
});

describe('risk-return scatter', () => {
  it('draws every finite point and leaves out undefined ones', async () => {
    const chart = riskReturnChart([
      { name: 'A', kind: 'asset', annualReturn: 0.1, annualVolatility: 0.2 },
      { name: 'P', kind: 'portfolio', annualReturn: 0.08, annualVolatility: 0.12 },
      { name: 'SPX', kind: 'benchmark', annualReturn: 0.05, annualVolatility: 0.15 },
      { name: 'X', kind: 'asset', annualReturn: Number.NaN, annualVolatility: 0.1 },
    ]);
    expect(chart.series).toEqual(['A', 'P', 'SPX']);
    await expectEverySeriesDrawn(chart);
  });
});

describe('dendrogram', () => {
  // SciPy: linkage of 4 points where 0-1 merge at 0.1, 2-3 at 0.2, then the two clusters at 0.5.
  const data = {
    labels: ['W', 'X', 'Y', 'Z'],
    merges: [
      [0, 1, 0.1, 2],
      [2, 3, 0.2, 2],
      [4, 5, 0.5, 4],
    ] as [number, number, number, number][],
  };

  it('lays out leaves in tree order and each merge over the middle of its children', () => {
    const layout = dendrogramLayout(data);
    expect(layout.leaves.map((l) => l.label)).toEqual(['W', 'X', 'Y', 'Z']);
    expect(layout.segments).toHaveLength(9);
    // The root's bar joins x = 0.5 (cluster 4) and x = 2.5 (cluster 5) at height 0.5.
    expect(layout.segments[8]).toEqual({ x: 0.5, y: 0.5, x2: 2.5, y2: 0.5 });
    // The leg of cluster 5 rises from its own height 0.2.
    expect(layout.segments[7]).toEqual({ x: 2.5, y: 0.2, x2: 2.5, y2: 0.5 });
  });

  it('follows the left child first when the tree reorders the points', () => {
    const layout = dendrogramLayout({
      labels: ['A', 'B', 'C'],
      merges: [
        [0, 2, 0.1, 2],
        [1, 3, 0.4, 3],
      ],
    });
    expect(layout.leaves.map((l) => l.label)).toEqual(['B', 'A', 'C']);
  });

  it('refuses merges that are not a tree over the labels', () => {
    expect(() => dendrogramLayout({ labels: ['A', 'B', 'C'], merges: [[0, 1, 0.1, 2]] })).toThrow(/needs 2 merges/);
  });

  it('draws the tree and the leaf labels', async () => {
    await expectEverySeriesDrawn(dendrogramChart(data));
  });
});

describe('equity curve and underwater charts', () => {
  const series = {
    dates,
    series: [
      { name: 'S1', values: [1, 1.1, 1.05, 1.2, 1.3] },
      { name: 'S2', values: [1, 0.9, 0.95, 1.0, null] },
      { name: 'SPX', values: [1, 1.02, 0.98, 1.01, 1.05] },
      { name: 'empty', values: [null, null, null, null, null] },
    ],
  };

  it('uses a log scale by default, a linear one when asked, and dashes the benchmark', async () => {
    const log = equityChart(series, { benchmark: 'SPX' });
    const y = (log.spec.encoding as { y: { scale: { type?: string } } }).y;
    expect(y.scale.type).toBe('log');
    const linear = equityChart(series, { logScale: false });
    expect((linear.spec.encoding as { y: { scale: { type?: string } } }).y.scale.type).toBeUndefined();
    expect(log.series).toEqual(['S1', 'S2', 'SPX']);
    expect(rowsOf(log).filter((r) => r.series === 'S2')).toHaveLength(4);
    await expectEverySeriesDrawn(log);
  });

  it('draws each drawdown series', async () => {
    const chart = underwaterChart(
      {
        dates,
        series: [
          { name: 'S1', values: [0, -0.1, -0.05, 0, 0] },
          { name: 'SPX', values: [0, 0, -0.2, -0.1, 0] },
        ],
      },
      'SPX',
    );
    await expectEverySeriesDrawn(chart);
  });
});

describe('monthly returns heatmap', () => {
  it('places each month in its year row and month column', async () => {
    const chart = monthlyReturnsChart('S', [
      { year: 2020, month: 1, value: 0.01 },
      { year: 2020, month: 2, value: -0.05 },
      { year: 2021, month: 12, value: 0.03 },
      { year: 2021, month: 11, value: Number.NaN },
    ]);
    expect(rowsOf(chart)).toEqual([
      { year: '2020', month: 'Jan', value: 0.01 },
      { year: '2020', month: 'Feb', value: -0.05 },
      { year: '2021', month: 'Dec', value: 0.03 },
    ]);
    expect(chart.series).toEqual(['2020', '2021']);
    await expectEverySeriesDrawn(chart);
  });
});

describe('rolling chart', () => {
  it('draws volatility, Sharpe and beta panels, beta only where defined', async () => {
    const points = dates.flatMap((date, t) => [
      { date, series: 'S', volatility: 0.1 + t / 100, sharpe: 0.5, beta: 1.1 },
      { date, series: 'SPX', volatility: 0.12, sharpe: 0.4, beta: null },
    ]);
    const chart = rollingChart(points, 12, 'SPX');
    const rows = rowsOf(chart);
    expect(rows.filter((r) => r.metric === 'beta').map((r) => r.series)).toEqual(dates.map(() => 'S'));
    expect((chart.spec.vconcat as unknown[]).length).toBe(3);
    expect(chart.series).toEqual(['S', 'SPX']);
    await expectEverySeriesDrawn(chart);
  });
});

describe('return histogram', () => {
  it('draws the bins and a line per VaR and CVaR mark', async () => {
    const chart = histogramChart({
      name: 'P',
      edges: [-0.1, -0.05, 0, 0.05, 0.1],
      counts: [1, 3, 5, 2],
      marks: [
        { label: 'VaR 95%', value: -0.06 },
        { label: 'CVaR 95%', value: -0.08 },
      ],
    });
    const bins = rowsOf(chart).filter((r) => r.series === 'returns');
    expect(bins.map((b) => [b.from, b.to, b.count])).toEqual([
      [-0.1, -0.05, 1],
      [-0.05, 0, 3],
      [0, 0.05, 5],
      [0.05, 0.1, 2],
    ]);
    expect(chart.series).toEqual(['returns', 'VaR 95%', 'CVaR 95%']);
    await expectEverySeriesDrawn(chart);
  });
});

describe('risk contributions chart', () => {
  it('draws one bar per asset and portfolio', async () => {
    const chart = contributionsChart(
      [
        { name: 'P1', shares: { A: 0.7, B: 0.3 } },
        { name: 'P2', shares: { A: 0.5, B: 0.5 } },
      ],
      ['A', 'B'],
    );
    expect(rowsOf(chart)).toHaveLength(4);
    await expectEverySeriesDrawn(chart);
  });
});

describe('stress chart', () => {
  it('draws each replayed series per episode and leaves out what was not replayed', async () => {
    const chart = stressChart(
      [
        { id: 'e1', name: 'Crash', from: '2008-09-01', to: '2009-03-01', returns: { P: -0.3, SPX: -0.4 } },
        { id: 'e2', name: 'Dip', from: '2010-04-01', to: '2010-07-01', returns: { P: -0.1, SPX: null } },
      ],
      ['P', 'Q', 'SPX'],
      'SPX',
    );
    expect(rowsOf(chart).map((r) => [r.series, r.value])).toEqual([
      ['P', -0.3],
      ['SPX', -0.4],
      ['P', -0.1],
    ]);
    expect(chart.series).toEqual(['P', 'SPX']);
    await expectEverySeriesDrawn(chart);
  });
});

describe('PNG output', () => {
  it('rasterises a chart SVG to a PNG of twice its size', async () => {
    const svg = await expectEverySeriesDrawn(allocationChart([{ name: 'P', weights: { A: 0.5, B: 0.5 } }], ['A', 'B']));
    const png = await svgToPng(svg);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    const width = png.readUInt32BE(16);
    const svgWidth = Number(/width="(\d+)"/.exec(svg)?.[1]);
    expect(width).toBe(2 * svgWidth);
  });

  it('renders the same chart to the same SVG every time', async () => {
    const chart = allocationChart([{ name: 'P', weights: { A: 0.5, B: 0.5 } }], ['A', 'B']);
    const a = await vegaToSvg((await compileChartWithWarnings(chart)).spec);
    const b = await vegaToSvg((await compileChartWithWarnings(chart)).spec);
    expect(a).toBe(b);
  });
});

describe('the drawn-series check', () => {
  it('does not count a series without data, nor axes and legends', async () => {
    const chart = allocationChart([{ name: 'P', weights: { A: 1 } }], ['A']);
    const { counts } = await draw({ ...chart, series: ['A', 'B'] });
    expect(counts.A).toBe(2); // the bar and its label
    expect(counts.B).toBeUndefined();
    expect(Object.keys(counts)).toEqual(['A']);
  });
});

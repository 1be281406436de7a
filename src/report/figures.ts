/**
 * The charts of a report, built from its results in the order the report shows them, grouped by section.
 */

import { allocationChart } from './charts/allocation.js';
import { contributionsChart } from './charts/contributions.js';
import { correlationChart } from './charts/correlation.js';
import { dendrogramChart } from './charts/dendrogram.js';
import { equityChart } from './charts/equity.js';
import { frontierChart } from './charts/frontier.js';
import { histogramChart } from './charts/histogram.js';
import { monthlyReturnsChart } from './charts/monthly.js';
import { riskReturnChart } from './charts/risk-return.js';
import { rollingChart } from './charts/rolling.js';
import { stressChart } from './charts/stress.js';
import { seriesColors } from './charts/theme.js';
import type { ChartSpec } from './charts/types.js';
import { underwaterChart } from './charts/underwater.js';
import { weightsOverTimeChart } from './charts/weights-over-time.js';
import type { ReportResults } from './results.js';

/** Sections of the report, in order. */
export type ReportSection = 'allocation' | 'frontier' | 'risk' | 'stress' | 'backtest';

/** A chart with its section. */
export interface ReportChart {
  readonly section: ReportSection;
  readonly chart: ChartSpec;
}

/** Every chart of the report (those whose data are absent, such as the backtest's without a backtest, are skipped). */
export function reportCharts(results: ReportResults): ReportChart[] {
  const names = results.portfolios.map((p) => p.name);
  const tickers = results.universe.tickers;
  const colors = seriesColors(names).range;
  const charts: ReportChart[] = [
    {
      section: 'allocation',
      chart: allocationChart(
        results.portfolios.map((p) => ({ name: p.name, weights: p.weights })),
        tickers,
      ),
    },
    {
      section: 'frontier',
      chart: frontierChart(
        {
          frontier: results.frontier.points,
          random: results.frontier.random,
          assets: tickers.map((t) => ({
            name: t,
            expectedReturn: results.estimates.expectedReturns[t] as number,
            volatility: results.estimates.volatilities[t] as number,
          })),
          portfolios: results.portfolios
            .filter((p) => p.expectedReturn !== null && p.volatility !== null)
            .map((p) => ({
              name: p.name,
              expectedReturn: p.expectedReturn as number,
              volatility: p.volatility as number,
            })),
        },
        colors,
      ),
    },
    { section: 'risk', chart: correlationChart(results.correlation) },
  ];
  if (results.dendrogram !== null) {
    charts.push({ section: 'risk', chart: dendrogramChart(results.dendrogram) });
  }
  charts.push({
    section: 'risk',
    chart: contributionsChart(
      results.portfolios.map((p) => ({ name: p.name, shares: p.riskShares })),
      tickers,
    ),
  });
  const bt = results.backtest;
  const featured = results.portfolios.find((p) => p.name === bt?.featured) ?? results.portfolios[0];
  if (featured !== undefined) {
    const h = featured.historical.histogram;
    charts.push({
      section: 'risk',
      chart: histogramChart({
        name: featured.name,
        edges: h.edges.map((x) => x ?? Number.NaN),
        counts: h.counts,
        marks: h.marks.map((m) => ({ label: m.label, value: m.value ?? Number.NaN })),
      }),
    });
  }
  const benchmark = results.universe.benchmark ?? undefined;
  if (results.stress.length > 0) {
    const seriesNames = [...names, ...(benchmark === undefined ? [] : [benchmark])];
    charts.push({ section: 'stress', chart: stressChart(results.stress, seriesNames, benchmark) });
  }
  if (bt !== null) {
    const bench = bt.benchmark;
    const series = (
      pick: (s: {
        nav: readonly (number | null)[];
        drawdown: readonly (number | null)[];
      }) => readonly (number | null)[],
    ) => ({
      dates: bt.dates,
      series: [
        ...bt.strategies.map((s) => ({ name: s.name, values: pick(s) })),
        ...(bench === null ? [] : [{ name: bench.name, values: pick(bench) }]),
      ],
    });
    const realised = [
      ...bt.assets.map((a) => ({
        name: a.name,
        kind: 'asset' as const,
        annualReturn: a.annualReturn ?? Number.NaN,
        annualVolatility: a.annualVolatility ?? Number.NaN,
      })),
      ...bt.strategies.map((s) => ({
        name: s.name,
        kind: 'portfolio' as const,
        annualReturn: s.metrics.cagr ?? Number.NaN,
        annualVolatility: s.metrics.annualVolatility ?? Number.NaN,
      })),
      ...(bench === null
        ? []
        : [
            {
              name: bench.name,
              kind: 'benchmark' as const,
              annualReturn: bench.metrics.cagr ?? Number.NaN,
              annualVolatility: bench.metrics.annualVolatility ?? Number.NaN,
            },
          ]),
    ];
    const featuredStrategy = bt.strategies.find((s) => s.name === bt.featured);
    charts.push(
      {
        section: 'backtest',
        chart: equityChart(
          series((s) => s.nav),
          { logScale: results.report.logScale, ...(bench === null ? {} : { benchmark: bench.name }) },
        ),
      },
      {
        section: 'backtest',
        chart: underwaterChart(
          series((s) => s.drawdown),
          bench?.name,
        ),
      },
      { section: 'backtest', chart: riskReturnChart(realised) },
      { section: 'backtest', chart: rollingChart(bt.rolling.points, bt.rolling.window, bench?.name) },
    );
    if (featuredStrategy !== undefined) {
      charts.push(
        {
          section: 'backtest',
          chart: weightsOverTimeChart({
            strategy: featuredStrategy.name,
            dates: bt.dates,
            tickers,
            weights: featuredStrategy.weights.map((row) => row.map((x) => x ?? 0)),
            cash: featuredStrategy.cash.map((x) => x ?? 0),
          }),
        },
        { section: 'backtest', chart: monthlyReturnsChart(featuredStrategy.name, bt.monthly) },
      );
    }
  }
  return charts;
}

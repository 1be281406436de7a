/** Rolling volatility, Sharpe ratio and beta: three stacked panels sharing the time axis. */

import { seriesColors, timeAxis } from './theme.js';
import type { ChartSpec } from './types.js';

/** One rolling observation of one series. */
export interface RollingPoint {
  readonly date: string;
  readonly series: string;
  readonly volatility: number | null;
  readonly sharpe: number | null;
  /** Against the benchmark; null for the benchmark itself. */
  readonly beta: number | null;
}

const PANELS = [
  { field: 'volatility', title: 'volatility (annual)', format: '.0%' },
  { field: 'sharpe', title: 'Sharpe ratio', format: '.1f' },
  { field: 'beta', title: 'beta', format: '.2f' },
] as const;

/** The three panels over a window of `window` periods; series are the strategies (and the benchmark). */
export function rollingChart(points: readonly RollingPoint[], window: number, benchmark?: string): ChartSpec {
  const names = [...new Set(points.filter((p) => p.volatility !== null).map((p) => p.series))];
  const rows = points.flatMap((p) =>
    PANELS.filter((panel) => p[panel.field] !== null && Number.isFinite(p[panel.field] as number)).map((panel) => ({
      date: p.date,
      series: p.series,
      metric: panel.title,
      value: p[panel.field] as number,
    })),
  );
  const color = { field: 'series', type: 'nominal', title: null, scale: seriesColors(names, benchmark) };
  return {
    id: 'rolling',
    title: `Rolling ${window}-period risk`,
    caption:
      `Annualised volatility, Sharpe ratio and beta to the benchmark over trailing windows of ${window} periods ` +
      '(beta is not drawn for the benchmark itself).',
    seriesField: 'series',
    series: names,
    spec: {
      data: { values: rows },
      vconcat: PANELS.map((panel) => ({
        width: 640,
        height: 140,
        transform: [{ filter: { field: 'metric', equal: panel.title } }],
        mark: { type: 'line' },
        encoding: {
          x: timeAxis(),
          y: { field: 'value', type: 'quantitative', title: panel.title, axis: { format: panel.format } },
          color,
          tooltip: [
            { field: 'date', type: 'temporal', format: '%Y-%m-%d' },
            { field: 'series', type: 'nominal' },
            { field: 'value', type: 'quantitative', title: panel.title, format: '.3f' },
          ],
        },
      })),
      resolve: { scale: { color: 'shared' } },
    },
  };
}

/** The equity curve: growth of 1 for each strategy against the benchmark, on a linear or logarithmic scale. */

import { seriesColors, timeAxis } from './theme.js';
import { type DatedSeries, drawnSeries, longRows } from './time-series.js';
import type { ChartSpec } from './types.js';

/** Options of `equityChart`. */
export interface EquityChartOptions {
  /** Logarithmic value axis (equal distances are equal percentage moves); default true. */
  readonly logScale?: boolean;
  /** Name of the benchmark series (drawn in grey, dashed). */
  readonly benchmark?: string;
}

/** The equity curves (NAV over its first value); series are the strategies and the benchmark. */
export function equityChart(data: DatedSeries, options: EquityChartOptions = {}): ChartSpec {
  const log = options.logScale ?? true;
  const names = drawnSeries(data);
  return {
    id: 'equity',
    title: 'Equity curve against the benchmark',
    caption:
      `Value of 1 invested at the first rebalance, after costs${log ? ', on a logarithmic scale' : ''}; the ` +
      'benchmark is dashed. Drag to pan, scroll to zoom.',
    seriesField: 'series',
    series: names,
    spec: {
      data: { values: longRows(data) },
      params: [{ name: 'zoom', select: 'interval', bind: 'scales' }],
      mark: { type: 'line' },
      encoding: {
        x: timeAxis(),
        y: {
          field: 'value',
          type: 'quantitative',
          title: log ? 'growth of 1 (log scale)' : 'growth of 1',
          scale: log ? { type: 'log' } : { zero: false },
        },
        color: { field: 'series', type: 'nominal', title: null, scale: seriesColors(names, options.benchmark) },
        strokeDash: {
          condition: { test: `datum.series === ${JSON.stringify(options.benchmark ?? '')}`, value: [5, 3] },
          value: [1, 0],
        },
        tooltip: [
          { field: 'date', type: 'temporal', format: '%Y-%m-%d' },
          { field: 'series', type: 'nominal' },
          { field: 'value', type: 'quantitative', title: 'growth of 1', format: '.3f' },
        ],
      },
    },
  };
}

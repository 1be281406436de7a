/** The underwater chart: each series' drawdown from its running peak, a fraction at or below 0. */

import { seriesColors, timeAxis } from './theme.js';
import { type DatedSeries, drawnSeries, longRows } from './time-series.js';
import type { ChartSpec } from './types.js';

/** The drawdown curves (values <= 0); series are the strategies and the benchmark. */
export function underwaterChart(data: DatedSeries, benchmark?: string): ChartSpec {
  const names = drawnSeries(data);
  return {
    id: 'underwater',
    title: 'Drawdown (underwater)',
    caption: 'Loss from the running peak of each strategy and of the benchmark; 0 is a new high.',
    seriesField: 'series',
    series: names,
    spec: {
      data: { values: longRows(data) },
      mark: { type: 'line', interpolate: 'linear' },
      encoding: {
        x: timeAxis(),
        y: { field: 'value', type: 'quantitative', title: 'drawdown', axis: { format: '.0%' } },
        color: { field: 'series', type: 'nominal', title: null, scale: seriesColors(names, benchmark) },
        tooltip: [
          { field: 'date', type: 'temporal', format: '%Y-%m-%d' },
          { field: 'series', type: 'nominal' },
          { field: 'value', type: 'quantitative', title: 'drawdown', format: '.2%' },
        ],
      },
    },
  };
}

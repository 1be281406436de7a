/** The correlation heatmap: assets in cluster order (correlated assets side by side), a diverging colour scale. */

import type { ChartSpec } from './types.js';

/** A correlation matrix with its order. */
export interface CorrelationData {
  /** Tickers in the order of rows and columns (the clustering's leaf order). */
  readonly tickers: readonly string[];
  /** Row-major n x n correlations (null where undefined). */
  readonly values: readonly (readonly (number | null)[])[];
}

/** The heatmap with each cell's correlation written in it; series are the rows (tickers). */
export function correlationChart(data: CorrelationData): ChartSpec {
  const rows = data.tickers.flatMap((row, a) =>
    data.tickers.map((column, b) => ({ row, column, correlation: data.values[a]?.[b] ?? null })),
  );
  const n = data.tickers.length;
  const size = Math.min(480, Math.max(180, 44 * n));
  const order = [...data.tickers];
  const axis = { type: 'ordinal', sort: order, title: null };
  return {
    id: 'correlation',
    title: 'Correlation of returns (cluster order)',
    caption:
      'Pearson correlation of the periodic returns, pairwise over common dates; assets in the leaf order of the ' +
      'hierarchical clustering, so that correlated groups form blocks.',
    seriesField: 'row',
    series: order,
    spec: {
      data: { values: rows },
      width: size,
      height: size,
      encoding: {
        x: { field: 'column', ...axis, axis: { labelAngle: -45 } },
        y: { field: 'row', ...axis },
      },
      layer: [
        {
          mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
          encoding: {
            color: {
              field: 'correlation',
              type: 'quantitative',
              title: 'correlation',
              scale: { scheme: 'redblue', domain: [-1, 1], reverse: true },
            },
            tooltip: [
              { field: 'row', type: 'nominal', title: 'asset' },
              { field: 'column', type: 'nominal', title: 'with' },
              { field: 'correlation', type: 'quantitative', format: '.3f' },
            ],
          },
        },
        ...(n <= 16
          ? [
              {
                mark: { type: 'text', fontSize: 10 },
                encoding: {
                  text: { field: 'correlation', type: 'quantitative', format: '.2f' },
                  color: { condition: { test: 'abs(datum.correlation) > 0.6', value: 'white' }, value: '#222222' },
                },
              },
            ]
          : []),
      ],
    },
  };
}

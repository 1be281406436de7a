/** The allocation chart: one horizontal stacked bar per portfolio, split by asset weight. */

import { seriesColors } from './theme.js';
import type { ChartSpec } from './types.js';

/** A portfolio's weights by ticker. */
export interface AllocationData {
  readonly name: string;
  readonly weights: Readonly<Record<string, number>>;
}

/**
 * One bar per portfolio (in the given order), its segments the assets' weights (tickers in `tickers` order, weights
 * below 0.05% left out); series are the tickers that hold a weight somewhere.
 */
export function allocationChart(portfolios: readonly AllocationData[], tickers: readonly string[]): ChartSpec {
  const rows = portfolios.flatMap((p) =>
    tickers
      .map((t, k) => ({ portfolio: p.name, ticker: t, weight: p.weights[t] ?? 0, order: k }))
      .filter((r) => Math.abs(r.weight) >= 5e-4),
  );
  const held = tickers.filter((t) => rows.some((r) => r.ticker === t));
  const height = Math.max(120, 38 * portfolios.length);
  return {
    id: 'allocation',
    title: 'Allocation',
    caption: 'Weight of each asset in each portfolio (fractions of capital; weights under 0.05% are not drawn).',
    seriesField: 'ticker',
    series: held,
    spec: {
      data: { values: rows },
      height,
      layer: [
        {
          mark: { type: 'bar', stroke: 'white', strokeWidth: 1 },
          encoding: {
            y: { field: 'portfolio', type: 'nominal', title: null, sort: portfolios.map((p) => p.name) },
            x: { field: 'weight', type: 'quantitative', title: 'weight', stack: 'zero', axis: { format: '.0%' } },
            color: { field: 'ticker', type: 'nominal', title: 'asset', scale: seriesColors(held), sort: held },
            order: { field: 'order' },
            tooltip: [
              { field: 'portfolio', type: 'nominal' },
              { field: 'ticker', type: 'nominal', title: 'asset' },
              { field: 'weight', type: 'quantitative', format: '.2%' },
            ],
          },
        },
        {
          transform: [
            { stack: 'weight', groupby: ['portfolio'], sort: [{ field: 'order' }], as: ['w0', 'w1'] },
            { calculate: '(datum.w0 + datum.w1) / 2', as: 'middle' },
            { filter: 'datum.weight >= 0.07' },
          ],
          mark: { type: 'text', color: 'white', fontWeight: 600, align: 'center' },
          encoding: {
            y: { field: 'portfolio', type: 'nominal', sort: portfolios.map((p) => p.name) },
            x: { field: 'middle', type: 'quantitative' },
            text: { field: 'weight', type: 'quantitative', format: '.0%' },
          },
        },
      ],
    },
  };
}

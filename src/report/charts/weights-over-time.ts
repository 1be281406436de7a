/** Weights over time: a stacked area of a backtested strategy's weights after trading on each date, cash included. */

import { MUTED_COLOR, seriesColors, timeAxis } from './theme.js';
import type { ChartSpec } from './types.js';

/** A strategy's weights by date. */
export interface WeightsOverTimeData {
  readonly strategy: string;
  /** ISO dates. */
  readonly dates: readonly string[];
  readonly tickers: readonly string[];
  /** `weights[t][i]`: weight of ticker i after trading on date t. */
  readonly weights: readonly (readonly number[])[];
  /** Cash weight on each date (drawn as `cash` when it is ever above 0.05%). */
  readonly cash?: readonly number[];
}

/** The stacked area of the weights; series are the tickers held at some date (and `cash` when held). */
export function weightsOverTimeChart(data: WeightsOverTimeData): ChartSpec {
  const held = data.tickers.filter((_, i) => data.weights.some((row) => Math.abs(row[i] ?? 0) >= 5e-4));
  const hasCash = (data.cash ?? []).some((c) => Math.abs(c) >= 5e-4);
  const series = hasCash ? [...held, 'cash'] : held;
  const rows: { date: string; asset: string; weight: number; order: number }[] = [];
  data.dates.forEach((date, t) => {
    series.forEach((asset, order) => {
      const weight = asset === 'cash' ? (data.cash?.[t] ?? 0) : (data.weights[t]?.[data.tickers.indexOf(asset)] ?? 0);
      rows.push({ date, asset, weight: Number.isFinite(weight) ? weight : 0, order });
    });
  });
  const colors = seriesColors(held);
  if (hasCash) {
    colors.domain.push('cash');
    colors.range.push(MUTED_COLOR);
  }
  return {
    id: 'weights-over-time',
    title: `Weights over time: ${data.strategy}`,
    caption: `Weights of ${data.strategy} after trading on each date of the backtest (they drift between rebalances).`,
    seriesField: 'asset',
    series,
    spec: {
      data: { values: rows },
      mark: { type: 'area', line: false, interpolate: 'step-after' },
      encoding: {
        x: timeAxis(),
        y: {
          field: 'weight',
          type: 'quantitative',
          stack: 'zero',
          title: 'weight',
          scale: { domain: [0, 1], clamp: true },
          axis: { format: '.0%' },
        },
        color: { field: 'asset', type: 'nominal', title: 'asset', scale: colors, sort: series },
        order: { field: 'order' },
        tooltip: [
          { field: 'date', type: 'temporal', format: '%Y-%m-%d' },
          { field: 'asset', type: 'nominal' },
          { field: 'weight', type: 'quantitative', format: '.2%' },
        ],
      },
    },
  };
}

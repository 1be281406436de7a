/** The return histogram with the VaR and CVaR of the chosen confidence marked as vertical lines. */

import { LOSS_COLOR } from './theme.js';
import type { ChartSpec } from './types.js';

/** Histogram bins and marks (see risk/chart-data.ts `returnHistogram`). */
export interface HistogramData {
  /** Name of the portfolio. */
  readonly name: string;
  /** k + 1 ascending edges. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  /** Vertical marks at a return (a VaR of 5% at -0.05). */
  readonly marks: readonly { readonly label: string; readonly value: number }[];
}

/** The histogram; series are `returns` (the bars) and each mark's label. */
export function histogramChart(data: HistogramData): ChartSpec {
  const bins = data.counts.map((count, j) => ({
    series: 'returns',
    from: data.edges[j] as number,
    to: data.edges[j + 1] as number,
    count,
  }));
  const marks = data.marks.filter((m) => Number.isFinite(m.value)).map((m) => ({ series: m.label, value: m.value }));
  return {
    id: 'histogram',
    title: `Distribution of returns: ${data.name}`,
    caption:
      `Periodic returns of ${data.name} held at its weights over the sample, with the value at risk (solid) and ` +
      'the conditional value at risk (dashed) as returns.',
    seriesField: 'series',
    series: ['returns', ...marks.map((m) => m.series)],
    spec: {
      layer: [
        {
          data: { values: bins },
          mark: { type: 'rect', color: '#0072B2', opacity: 0.85, stroke: 'white', strokeWidth: 0.5 },
          encoding: {
            x: { field: 'from', type: 'quantitative', title: 'return per period', axis: { format: '.0%' } },
            x2: { field: 'to' },
            y: { field: 'count', type: 'quantitative', title: 'periods' },
            y2: { datum: 0 },
            tooltip: [
              { field: 'from', type: 'quantitative', format: '.2%' },
              { field: 'to', type: 'quantitative', format: '.2%' },
              { field: 'count', type: 'quantitative' },
            ],
          },
        },
        {
          data: { values: marks },
          mark: { type: 'rule', color: LOSS_COLOR, strokeWidth: 2 },
          encoding: {
            x: { field: 'value', type: 'quantitative' },
            strokeDash: {
              condition: { test: "indexof(datum.series, 'CVaR') === 0", value: [6, 4] },
              value: [1, 0],
            },
            tooltip: [
              { field: 'series', type: 'nominal', title: 'measure' },
              { field: 'value', type: 'quantitative', format: '.2%' },
            ],
          },
        },
        {
          data: { values: marks },
          mark: { type: 'text', color: LOSS_COLOR, angle: 270, align: 'right', baseline: 'bottom', dx: -4, dy: -3 },
          encoding: { x: { field: 'value', type: 'quantitative' }, y: { value: 0 }, text: { field: 'series' } },
        },
      ],
    },
  };
}

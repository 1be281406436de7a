/** The monthly returns heatmap: years down, months across, each cell coloured by the month's return. */

import type { ChartSpec } from './types.js';

/** One calendar month's return. */
export interface MonthlyReturn {
  readonly year: number;
  /** 1 to 12. */
  readonly month: number;
  readonly value: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The heatmap of a strategy's monthly returns; series are the years. */
export function monthlyReturnsChart(strategy: string, months: readonly MonthlyReturn[]): ChartSpec {
  const rows = months
    .filter((m) => Number.isFinite(m.value))
    .map((m) => ({ year: String(m.year), month: MONTHS[m.month - 1] as string, value: m.value }));
  const years = [...new Set(rows.map((r) => r.year))];
  const extent = Math.max(0.01, ...rows.map((r) => Math.abs(r.value)));
  return {
    id: 'monthly-returns',
    title: `Monthly returns: ${strategy}`,
    caption: `Return of ${strategy} in each calendar month of the backtest (red losses, blue gains).`,
    seriesField: 'year',
    series: years,
    spec: {
      data: { values: rows },
      width: 560,
      height: Math.max(120, 22 * years.length),
      encoding: {
        x: { field: 'month', type: 'ordinal', sort: MONTHS, title: null, axis: { orient: 'top', labelAngle: 0 } },
        y: { field: 'year', type: 'ordinal', sort: years, title: null },
      },
      layer: [
        {
          mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
          encoding: {
            color: {
              field: 'value',
              type: 'quantitative',
              title: 'return',
              scale: { scheme: 'redblue', domainMid: 0, domain: [-extent, extent] },
              legend: { format: '.0%' },
            },
            tooltip: [
              { field: 'year', type: 'ordinal' },
              { field: 'month', type: 'ordinal' },
              { field: 'value', type: 'quantitative', title: 'return', format: '.2%' },
            ],
          },
        },
        {
          mark: { type: 'text', fontSize: 9.5 },
          encoding: {
            text: { field: 'value', type: 'quantitative', format: '.1%' },
            color: { condition: { test: `abs(datum.value) > ${0.6 * extent}`, value: 'white' }, value: '#222222' },
          },
        },
      ],
    },
  };
}

/** The risk-return scatter of realised figures: assets, backtested strategies and the benchmark. */

import { BENCHMARK_COLOR, PALETTE } from './theme.js';
import type { ChartSpec } from './types.js';

/** One point: realised annual return (CAGR) and annual volatility. */
export interface RiskReturnData {
  readonly name: string;
  readonly kind: 'asset' | 'portfolio' | 'benchmark';
  readonly annualReturn: number;
  readonly annualVolatility: number;
}

/** The scatter, one labelled point per name; series are the names. */
export function riskReturnChart(points: readonly RiskReturnData[]): ChartSpec {
  const rows = points.filter((p) => Number.isFinite(p.annualReturn) && Number.isFinite(p.annualVolatility));
  const portfolios = rows.filter((p) => p.kind === 'portfolio').map((p) => p.name);
  const range = rows.map((p) =>
    p.kind === 'asset'
      ? '#888888'
      : p.kind === 'benchmark'
        ? BENCHMARK_COLOR
        : (PALETTE[portfolios.indexOf(p.name) % PALETTE.length] as string),
  );
  return {
    id: 'risk-return',
    title: 'Realised risk and return',
    caption:
      'Compound annual growth rate against annualised volatility over the backtest dates: each asset (grey diamonds), each ' +
      'backtested strategy and the benchmark.',
    seriesField: 'name',
    series: rows.map((p) => p.name),
    spec: {
      data: { values: rows },
      encoding: {
        x: { field: 'annualVolatility', type: 'quantitative', title: 'annual volatility', axis: { format: '.0%' } },
        y: { field: 'annualReturn', type: 'quantitative', title: 'annual return (CAGR)', axis: { format: '.0%' } },
        tooltip: [
          { field: 'name', type: 'nominal' },
          { field: 'kind', type: 'nominal' },
          { field: 'annualVolatility', type: 'quantitative', title: 'volatility', format: '.2%' },
          { field: 'annualReturn', type: 'quantitative', title: 'CAGR', format: '.2%' },
        ],
      },
      layer: [
        {
          mark: { type: 'point', filled: true, size: 110 },
          encoding: {
            color: { field: 'name', type: 'nominal', legend: null, scale: { domain: rows.map((p) => p.name), range } },
            shape: {
              field: 'kind',
              type: 'nominal',
              title: null,
              scale: { domain: ['asset', 'portfolio', 'benchmark'], range: ['diamond', 'circle', 'square'] },
            },
          },
        },
        { mark: { type: 'text', align: 'left', dx: 8, dy: -7 }, encoding: { text: { field: 'name' } } },
        {
          mark: { type: 'rule', strokeDash: [4, 4], color: '#999999' },
          encoding: { y: { datum: 0 }, x: null, tooltip: null },
        },
      ],
    },
  };
}

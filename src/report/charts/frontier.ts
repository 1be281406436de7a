/**
 * The efficient frontier chart: the frontier curve, a cloud of random long-only portfolios, the single assets and the
 * optimal portfolios, in annual volatility (x) against annual expected return (y).
 */

import { MUTED_COLOR, PALETTE } from './theme.js';
import type { ChartSpec } from './types.js';

/** A point in volatility-return space. */
export interface RiskReturn {
  readonly expectedReturn: number;
  readonly volatility: number;
}

/** Input of `frontierChart`. */
export interface FrontierChartData {
  /** Frontier points in order of increasing return. */
  readonly frontier: readonly RiskReturn[];
  /** Random portfolios (context). */
  readonly random: readonly RiskReturn[];
  readonly assets: readonly (RiskReturn & { readonly name: string })[];
  readonly portfolios: readonly (RiskReturn & { readonly name: string })[];
}

const FRONTIER = 'efficient frontier';
const RANDOM = 'random portfolios';
const ASSETS = 'assets';

/** The frontier chart: series `efficient frontier`, `random portfolios`, `assets` and one per portfolio. */
export function frontierChart(data: FrontierChartData, portfolioColors?: readonly string[]): ChartSpec {
  const rows = [
    ...data.random.map((p) => ({ series: RANDOM, label: '', ...pick(p), order: 0 })),
    ...data.frontier.map((p, k) => ({ series: FRONTIER, label: '', ...pick(p), order: k })),
    ...data.assets.map((p) => ({ series: ASSETS, label: p.name, ...pick(p), order: 0 })),
    ...data.portfolios.map((p) => ({ series: p.name, label: p.name, ...pick(p), order: 0 })),
  ];
  const names = data.portfolios.map((p) => p.name);
  const domain = [FRONTIER, RANDOM, ASSETS, ...names];
  const range = [
    '#222222',
    MUTED_COLOR,
    '#777777',
    ...names.map((_, k) => portfolioColors?.[k] ?? PALETTE[k] ?? '#000'),
  ];
  const x = { field: 'volatility', type: 'quantitative', title: 'annual volatility', axis: { format: '.0%' } };
  const y = { field: 'expectedReturn', type: 'quantitative', title: 'annual expected return', axis: { format: '.0%' } };
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain, range },
    legend: { symbolOpacity: 1 },
  };
  const tooltip = [
    { field: 'series', type: 'nominal', title: 'series' },
    { field: 'label', type: 'nominal', title: 'name' },
    { field: 'volatility', type: 'quantitative', title: 'volatility', format: '.2%' },
    { field: 'expectedReturn', type: 'quantitative', title: 'expected return', format: '.2%' },
  ];
  const only = (...series: string[]) => ({ filter: { field: 'series', oneOf: series } });
  return {
    id: 'frontier',
    title: 'Efficient frontier',
    caption:
      'Annual expected return against volatility: the long-only efficient frontier, random long-only portfolios ' +
      'for context, each asset, and the portfolios compared in this report.',
    seriesField: 'series',
    series: [FRONTIER, ...(data.random.length > 0 ? [RANDOM] : []), ASSETS, ...names],
    spec: {
      data: { values: rows },
      encoding: { x, y, color, tooltip },
      layer: [
        {
          transform: [only(RANDOM)],
          mark: { type: 'point', size: 14, opacity: 0.45, filled: true, aria: false },
          encoding: { tooltip: null },
        },
        {
          transform: [only(FRONTIER)],
          mark: { type: 'line', strokeWidth: 2.4 },
          encoding: { order: { field: 'order' } },
        },
        { transform: [only(ASSETS)], mark: { type: 'point', shape: 'diamond', size: 70, filled: true } },
        {
          transform: [only(ASSETS)],
          mark: { type: 'text', align: 'left', dx: 7, dy: -6 },
          encoding: { text: { field: 'label' }, color: { value: '#444444' } },
        },
        {
          transform: [only(...names)],
          mark: { type: 'point', shape: 'circle', size: 130, filled: true, stroke: 'white', strokeWidth: 1.5 },
        },
      ],
    },
  };
}

function pick(p: RiskReturn): RiskReturn {
  return { expectedReturn: p.expectedReturn, volatility: p.volatility };
}

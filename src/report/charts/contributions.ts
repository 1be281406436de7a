/** Risk contributions: each asset's share of each portfolio's volatility, as grouped horizontal bars. */

import { seriesColors } from './theme.js';
import type { ChartSpec } from './types.js';

/** A portfolio's share of volatility by ticker (shares sum to 1). */
export interface ContributionData {
  readonly name: string;
  readonly shares: Readonly<Record<string, number>>;
}

/** Grouped bars: assets down, one bar per portfolio; series are the portfolios. */
export function contributionsChart(portfolios: readonly ContributionData[], tickers: readonly string[]): ChartSpec {
  const names = portfolios.map((p) => p.name);
  const rows = portfolios.flatMap((p) =>
    tickers.map((ticker) => ({ portfolio: p.name, ticker, share: p.shares[ticker] ?? 0 })),
  );
  return {
    id: 'risk-contributions',
    title: 'Risk contributions',
    caption:
      "Each asset's share of the portfolio's volatility (w_i (S w)_i / w'S w): risk parity equalises them, " +
      'minimum volatility and maximum Sharpe concentrate them.',
    seriesField: 'portfolio',
    series: names.filter((n) => rows.some((r) => r.portfolio === n && r.share !== 0)),
    spec: {
      data: { values: rows },
      width: 560,
      height: Math.max(160, tickers.length * Math.min(80, 14 * portfolios.length + 10)),
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'ticker', type: 'nominal', title: null, sort: [...tickers] },
        yOffset: { field: 'portfolio', type: 'nominal', sort: names },
        x: { field: 'share', type: 'quantitative', title: 'share of volatility', axis: { format: '.0%' } },
        color: { field: 'portfolio', type: 'nominal', title: null, scale: seriesColors(names), sort: names },
        tooltip: [
          { field: 'portfolio', type: 'nominal' },
          { field: 'ticker', type: 'nominal', title: 'asset' },
          { field: 'share', type: 'quantitative', title: 'share of volatility', format: '.2%' },
        ],
      },
    },
  };
}

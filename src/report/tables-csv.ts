/**
 * The CSV files of a run, from its results: weights (one row per portfolio), frontier (return, volatility), NAV (one
 * column per strategy and the benchmark), trades (the ledger of every strategy) and metrics (the comparison as
 * numbers). Plain RFC 4180: comma separator, double quotes around texts that need them, numbers in shortest
 * round-trip form, empty cells for missing values.
 */

import type { ReportResults } from './results.js';
import { comparisonRows } from './summary.js';

type Cell = string | number | null | undefined;

/** One CSV document from a header and rows. */
export function csv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cell = (c: Cell): string => {
    if (c === null || c === undefined || (typeof c === 'number' && !Number.isFinite(c))) return '';
    const s = String(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

/** The CSV files by file name. */
export function resultCsvFiles(results: ReportResults): Record<string, string> {
  const tickers = results.universe.tickers;
  const files: Record<string, string> = {
    'weights.csv': csv(
      ['portfolio', 'method', ...tickers],
      results.portfolios.map((p) => [p.name, p.method, ...tickers.map((t) => p.weights[t] ?? 0)]),
    ),
    'frontier.csv': csv(
      ['expected_return', 'volatility', 'sharpe'],
      results.frontier.points.map((p) => [
        p.expectedReturn,
        p.volatility,
        p.volatility > 0 ? (p.expectedReturn - results.riskFreeRate) / p.volatility : null,
      ]),
    ),
    'metrics.csv': csv(
      [
        'portfolio',
        'expected_return',
        'volatility',
        'sharpe',
        'backtest_cagr',
        'backtest_volatility',
        'backtest_sharpe',
        'max_drawdown',
        'var',
        'cvar',
        'worst_stress_episode',
        'worst_stress_return',
        'turnover',
      ],
      comparisonRows(results).map((r) => [
        r.name,
        r.expectedReturn,
        r.volatility,
        r.sharpe,
        r.backtestCagr,
        r.backtestVolatility,
        r.backtestSharpe,
        r.maxDrawdown,
        r.var,
        r.cvar,
        r.worstStress?.episode,
        r.worstStress?.value,
        r.turnover,
      ]),
    ),
  };
  const bt = results.backtest;
  if (bt !== null) {
    const series = [...bt.strategies, ...(bt.benchmark ? [bt.benchmark] : [])];
    files['nav.csv'] = csv(
      ['date', ...series.map((s) => s.name)],
      bt.dates.map((d, t) => [d, ...series.map((s) => s.nav[t] ?? null)]),
    );
    files['trades.csv'] = csv(
      ['strategy', 'date', 'ticker', 'shares', 'price', 'value', 'cost'],
      bt.strategies.flatMap((s) => s.trades.map((t) => [s.name, t.date, t.ticker, t.shares, t.price, t.value, t.cost])),
    );
  }
  return files;
}

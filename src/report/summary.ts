/**
 * The comparison of a run, one row per strategy (and the benchmark): ex-ante figures under the run's estimates, the
 * backtest's realised figures, the historical VaR and CVaR, and the worst stress episode. The terminal table, the
 * Markdown summary and the HTML report all show these rows.
 */

import { fixed, percent } from './html/format.js';
import type { ReportResults } from './results.js';

/** One row of the comparison (null where a figure does not apply). */
export interface ComparisonRow {
  readonly name: string;
  readonly isBenchmark: boolean;
  readonly expectedReturn: number | null;
  readonly volatility: number | null;
  readonly sharpe: number | null;
  readonly backtestCagr: number | null;
  readonly backtestVolatility: number | null;
  readonly backtestSharpe: number | null;
  readonly maxDrawdown: number | null;
  readonly var: number | null;
  readonly cvar: number | null;
  readonly worstStress: { readonly episode: string; readonly value: number } | null;
  readonly turnover: number | null;
}

/** The rows: strategies in the run's order, then the benchmark. */
export function comparisonRows(results: ReportResults): ComparisonRow[] {
  const bt = results.backtest;
  const worst = (name: string): ComparisonRow['worstStress'] => {
    let out: ComparisonRow['worstStress'] = null;
    for (const e of results.stress) {
      const v = e.returns[name];
      if (typeof v === 'number' && (out === null || v < out.value)) out = { episode: e.name, value: v };
    }
    return out;
  };
  const rows: ComparisonRow[] = results.portfolios.map((p) => {
    const s = bt?.strategies.find((x) => x.name === p.name);
    return {
      name: p.name,
      isBenchmark: false,
      expectedReturn: p.expectedReturn,
      volatility: p.volatility,
      sharpe: p.sharpe,
      backtestCagr: s?.metrics.cagr ?? null,
      backtestVolatility: s?.metrics.annualVolatility ?? null,
      backtestSharpe: s?.metrics.sharpe ?? null,
      maxDrawdown: s?.metrics.maxDrawdown ?? null,
      var: p.historical.var,
      cvar: p.historical.cvar,
      worstStress: worst(p.name),
      turnover: s?.turnover ?? null,
    };
  });
  const bench = bt?.benchmark;
  if (bench) {
    rows.push({
      name: bench.name,
      isBenchmark: true,
      expectedReturn: null,
      volatility: null,
      sharpe: null,
      backtestCagr: bench.metrics.cagr ?? null,
      backtestVolatility: bench.metrics.annualVolatility ?? null,
      backtestSharpe: bench.metrics.sharpe ?? null,
      maxDrawdown: bench.metrics.maxDrawdown ?? null,
      var: null,
      cvar: null,
      worstStress: worst(bench.name),
      turnover: null,
    });
  }
  return rows;
}

/** Column headers and cell texts of the comparison (shared by every output format). */
export function comparisonTable(results: ReportResults): { headers: string[]; cells: string[][] } {
  const conf = Math.round(100 * (results.portfolios[0]?.historical.confidence ?? 0.95));
  const headers = [
    'portfolio',
    'exp. return',
    'volatility',
    'Sharpe',
    'backtest CAGR',
    'backtest vol.',
    'backtest Sharpe',
    'max drawdown',
    `VaR ${conf}%`,
    `CVaR ${conf}%`,
    'worst stress',
  ];
  const cells = comparisonRows(results).map((r) => [
    r.name,
    percent(r.expectedReturn),
    percent(r.volatility),
    fixed(r.sharpe),
    percent(r.backtestCagr),
    percent(r.backtestVolatility),
    fixed(r.backtestSharpe),
    percent(r.maxDrawdown),
    percent(r.var),
    percent(r.cvar),
    r.worstStress === null ? '–' : `${percent(r.worstStress.value)} ${r.worstStress.episode}`,
  ]);
  return { headers, cells };
}

/**
 * The outputs of `pfopt backtest`: the JSON document, the human report (a table per run and the worst drawdowns) and
 * the CSV files of `--out` (NAV, weights with cash, trades).
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BacktestResult, StrategyResult } from '../backtest/backtest.js';
import { isoDate } from '../core/dates.js';
import { renderTable } from './table.js';
import { printInfo, type Terminal } from './terminal.js';

function byTicker(tickers: readonly string[], values: (j: number) => number): Record<string, number> {
  const out: Record<string, number> = {};
  tickers.forEach((t, j) => {
    const v = values(j);
    if (v !== 0) out[t] = v;
  });
  return out;
}

/** The JSON of one strategy. */
export function strategyJson(s: StrategyResult) {
  const { periods: _periods, ...relative } = s.relative ?? { periods: 0 };
  return {
    nav: Array.from(s.nav, (value, r) => ({ date: isoDate(s.dates[r] as number), value })),
    returns: Array.from(s.returns, (value, r) => ({ date: isoDate(s.dates[r + 1] as number), value })),
    metrics: { ...s.metrics, ...relative },
    turnover: s.turnover,
    costs: s.costs,
    trades: s.trades.map((t) => ({
      date: t.isoDate,
      ticker: t.ticker,
      shares: t.shares,
      price: t.price,
      value: t.value,
      cost: t.cost,
      commission: t.commission,
      slippage: t.slippage,
      reason: t.reason,
    })),
    rebalances: s.rebalances.map((rb) => {
      const r = s.dates.indexOf(rb.date);
      return {
        date: isoDate(rb.date),
        decisionDate: isoDate(rb.decisionDate),
        trigger: rb.trigger,
        navBefore: rb.navBefore,
        navAfter: rb.navAfter,
        turnover: rb.turnover,
        cost: rb.cost,
        weights: byTicker(s.weights.tickers, (j) => s.weights.get(r, j)),
        cash: s.cashWeights[r],
      };
    }),
    finalWeights: byTicker(s.weights.tickers, (j) => s.weights.get(s.dates.length - 1, j)),
    drawdowns: s.drawdowns,
    warnings: s.warnings,
  };
}

export function commonJson(result: BacktestResult, source: string) {
  return {
    source,
    start: isoDate(result.dates[0] as number),
    end: isoDate(result.dates[result.dates.length - 1] as number),
    periodsPerYear: result.periodsPerYear,
    riskFreeRate: result.riskFreeRate,
    ...(result.benchmark === undefined
      ? {}
      : {
          benchmark: {
            name: result.benchmark.name,
            nav: Array.from(result.benchmark.nav, (value, r) => ({ date: isoDate(result.dates[r] as number), value })),
            metrics: result.benchmark.metrics,
            drawdowns: result.benchmark.drawdowns,
          },
        }),
  };
}

function percent(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? 'undefined' : `${(100 * x).toFixed(2)}%`;
}

function num(x: number | undefined, digits = 3): string {
  return x === undefined || !Number.isFinite(x) ? 'undefined' : x.toFixed(digits);
}

/** The human report: one row per strategy and the benchmark, then the worst drawdowns of each strategy. */
export function humanReport(result: BacktestResult, term: Terminal): string {
  const c = term.colors;
  const rows = result.strategies.map((s) => [
    s.name,
    num(s.nav[s.nav.length - 1], 4),
    percent(s.metrics.cagr),
    percent(s.metrics.annualVolatility),
    num(s.metrics.sharpe),
    percent(s.metrics.maxDrawdown),
    num(s.relative?.beta),
    percent(s.relative?.alpha),
    num(s.turnover, 2),
    num(s.costs, 6),
    String(s.trades.length),
  ]);
  const b = result.benchmark;
  if (b !== undefined) {
    rows.push([
      `${b.name} (benchmark)`,
      num(b.nav[b.nav.length - 1], 4),
      percent(b.metrics.cagr),
      percent(b.metrics.annualVolatility),
      num(b.metrics.sharpe),
      percent(b.metrics.maxDrawdown),
      '',
      '',
      '',
      '',
      '',
    ]);
  }
  const headers = [
    'strategy',
    'final NAV',
    'CAGR',
    'volatility',
    'Sharpe',
    'max drawdown',
    'beta',
    'alpha',
    'turnover',
    'costs',
    'trades',
  ];
  if (b === undefined) {
    // No benchmark: no beta and alpha columns.
    headers.splice(6, 2);
    for (const row of rows) row.splice(6, 2);
  }
  const table = renderTable(
    headers.map((h, k) => (k === 0 ? { header: h } : { header: h, align: 'right' as const })),
    rows,
    c,
  );
  const lines = [
    c.bold(
      `Backtest ${isoDate(result.dates[0] as number)} to ${isoDate(result.dates[result.dates.length - 1] as number)} ` +
        `(${result.dates.length} dates, risk-free rate ${result.riskFreeRate})`,
    ),
    '',
    table,
  ];
  for (const s of result.strategies) {
    if (s.drawdowns.length === 0) continue;
    lines.push('', c.bold(`${s.name}: worst drawdowns`));
    lines.push(
      renderTable(
        [
          { header: 'depth', align: 'right' },
          { header: 'peak' },
          { header: 'trough' },
          { header: 'recovery' },
          { header: 'periods', align: 'right' },
        ],
        s.drawdowns
          .slice(0, 5)
          .map((e) => [percent(e.depth), e.peak, e.trough, e.recovery ?? 'not yet', String(e.periods)]),
        c,
      ),
    );
  }
  return lines.join('\n');
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvNumber(x: number): string {
  return Number.isNaN(x) ? '' : String(x);
}

/** Writes nav.csv (every strategy and the benchmark), weights-NAME.csv (with cash) and trades.csv. */
export function writeOut(term: Terminal, dir: string, result: BacktestResult): void {
  mkdirSync(dir, { recursive: true });
  const names = result.strategies.map((s) => s.name);
  const b = result.benchmark;
  const header = ['date', ...names, ...(b === undefined ? [] : [b.name])].map(csvField).join(',');
  const navLines = Array.from(result.dates, (d, r) =>
    [
      isoDate(d),
      ...result.strategies.map((s) => csvNumber(s.nav[r] as number)),
      ...(b === undefined ? [] : [csvNumber(b.nav[r] as number)]),
    ].join(','),
  );
  writeFileSync(join(dir, 'nav.csv'), `${header}\n${navLines.join('\n')}\n`);
  for (const s of result.strategies) {
    const tickers = s.weights.tickers;
    const lines = Array.from(s.dates, (d, r) =>
      [
        isoDate(d),
        ...tickers.map((_, j) => csvNumber(s.weights.get(r, j))),
        csvNumber(s.cashWeights[r] as number),
      ].join(','),
    );
    const h = ['date', ...tickers, 'cash'].map(csvField).join(',');
    writeFileSync(join(dir, `weights-${s.name}.csv`), `${h}\n${lines.join('\n')}\n`);
  }
  const trades = result.strategies.flatMap((s) =>
    s.trades.map((t) =>
      [
        csvField(s.name),
        t.isoDate,
        csvField(t.ticker),
        t.shares,
        t.price,
        t.value,
        t.cost,
        t.commission,
        t.slippage,
        t.reason,
      ]
        .map(String)
        .join(','),
    ),
  );
  writeFileSync(
    join(dir, 'trades.csv'),
    `strategy,date,ticker,shares,price,value,cost,commission,slippage,reason\n${trades.join('\n')}${trades.length ? '\n' : ''}`,
  );
  printInfo(
    term,
    `Wrote nav.csv, ${names.length} weights file${names.length === 1 ? '' : 's'} and trades.csv to ${dir}`,
  );
}

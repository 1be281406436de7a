/**
 * The backtest as one call: simulate several strategies on the same prices and schedule, and report each one's NAV,
 * returns, weights, trades, turnover, costs, metrics (against a benchmark when given) and drawdown episodes, with the
 * benchmark's own figures side by side.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { DataError, ValidationError } from '../core/errors.js';
import type { BenchmarkMetrics } from '../risk/benchmark-metrics.js';
import type { SeriesMetrics } from '../risk/metrics.js';
import { type BacktestOptions, type Simulation, simulate } from './engine.js';
import { type DrawdownEpisode, drawdownTable, navMetrics, navReturns } from './results.js';
import type { Strategy } from './strategy.js';

/** Options of `runBacktest`: the simulation's, plus the benchmark and the risk-free rate of the metrics. */
export interface RunBacktestOptions extends BacktestOptions {
  /** Benchmark prices: one column, matched to the NAV dates exactly (a date it lacks has no benchmark return). */
  readonly benchmark?: DatedMatrix;
  /** Annual risk-free rate of the metrics (Sharpe, alpha...); default the cash rate when it is a number, else 0. */
  readonly riskFreeRate?: number;
}

/** The result of one strategy. */
export interface StrategyResult extends Simulation {
  /** Per-period returns of the NAV, dated `dates[1..]`. */
  readonly returns: Float64Array;
  /** Every series metric of the risk module over `returns`. */
  readonly metrics: SeriesMetrics;
  /** Metrics against the benchmark (beta, alpha, tracking error, information ratio, capture ratios...). */
  readonly relative?: BenchmarkMetrics;
  /** Drawdown episodes of the NAV, deepest first. */
  readonly drawdowns: readonly DrawdownEpisode[];
}

/** The benchmark over the backtest's dates. */
export interface BenchmarkResult {
  readonly name: string;
  /** Benchmark price over its price on the first date (NaN where it has none). */
  readonly nav: Float64Array;
  readonly returns: Float64Array;
  readonly metrics: SeriesMetrics;
  readonly drawdowns: readonly DrawdownEpisode[];
}

/** A backtest run: the strategies side by side on the same dates. */
export interface BacktestResult {
  readonly dates: Int32Array;
  readonly periodsPerYear: number;
  readonly riskFreeRate: number;
  readonly strategies: readonly StrategyResult[];
  readonly benchmark?: BenchmarkResult;
}

/**
 * Runs the strategies (names must be unique) over `prices` with the conventions of engine.ts and reports them; see
 * `StrategyResult` and `BenchmarkResult`. Throws ValidationError for invalid options, DataError for a benchmark with
 * more than one column or no date in common with the NAV.
 */
export async function runBacktest(
  prices: DatedMatrix,
  strategies: Strategy | readonly Strategy[],
  options: RunBacktestOptions = {},
): Promise<BacktestResult> {
  const list = Array.isArray(strategies) ? (strategies as readonly Strategy[]) : [strategies as Strategy];
  if (list.length === 0) throw new ValidationError('a backtest needs at least one strategy');
  const names = new Set<string>();
  for (const st of list) {
    if (names.has(st.name)) throw new ValidationError(`two strategies are named ${JSON.stringify(st.name)}`);
    names.add(st.name);
  }
  const periodsPerYear = options.periodsPerYear ?? prices.periodsPerYear;
  const riskFreeRate = options.riskFreeRate ?? (typeof options.cashRate === 'number' ? options.cashRate : 0);
  const sims = await simulate(prices, list, { ...options, periodsPerYear });
  const dates = (sims[0] as Simulation).dates;
  const bench = options.benchmark === undefined ? undefined : benchmarkOn(options.benchmark, dates);
  const benchReturns = bench === undefined ? undefined : navReturns(bench.nav);
  const results = sims.map((sim): StrategyResult => {
    const returns = navReturns(sim.nav);
    const { metrics, relative } = navMetrics(returns, benchReturns, periodsPerYear, riskFreeRate);
    return {
      ...sim,
      returns,
      metrics,
      ...(relative === undefined ? {} : { relative }),
      drawdowns: drawdownTable(sim.dates, sim.nav),
    };
  });
  return {
    dates,
    periodsPerYear,
    riskFreeRate,
    strategies: results,
    ...(bench === undefined || benchReturns === undefined
      ? {}
      : {
          benchmark: {
            name: bench.name,
            nav: bench.nav,
            returns: benchReturns,
            metrics: navMetrics(benchReturns, undefined, periodsPerYear, riskFreeRate).metrics,
            drawdowns: drawdownTable(dates, bench.nav),
          },
        }),
  };
}

/** The benchmark's prices on `dates` over its first price there. */
function benchmarkOn(benchmark: DatedMatrix, dates: Int32Array): { name: string; nav: Float64Array } {
  if (benchmark.columnCount !== 1) {
    throw new DataError(`the benchmark must have one price column, got ${benchmark.columnCount}`);
  }
  const index = new Map<number, number>();
  benchmark.dates.forEach((d, i) => {
    index.set(d, i);
  });
  const col = benchmark.column(0);
  const raw = Float64Array.from(dates, (d) => {
    const i = index.get(d);
    return i === undefined ? Number.NaN : (col[i] as number);
  });
  const base = raw.find((v) => !Number.isNaN(v));
  if (base === undefined) throw new DataError('the benchmark has no price on any date of the backtest');
  return { name: benchmark.tickers[0] as string, nav: raw.map((v) => v / base) };
}

/**
 * The risk report of a return series or a portfolio: every metric, VaR and CVaR by each requested method, and for a
 * portfolio the decomposition by asset and sector. What `pfopt risk` prints, as a library call.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { ValidationError } from '../core/errors.js';
import { type BenchmarkMetrics, benchmarkMetrics } from './benchmark-metrics.js';
import { sectorTotals, type VolatilityContributions, volatilityContributions } from './contributions.js';
import { type SeriesMetrics, seriesMetrics } from './metrics.js';
import type { PortfolioReturns } from './portfolio-returns.js';
import { validValues } from './stats.js';
import { type PortfolioVar, portfolioVars, VAR_METHODS, type VarMethod, type VarOptions } from './var.js';

/** A benchmark: per-period returns on its own dates (day numbers), aligned to the series by date. */
export interface BenchmarkSeries {
  readonly name: string;
  readonly dates: ArrayLike<number>;
  readonly returns: ArrayLike<number>;
}

/** Options of the risk reports. */
export interface RiskReportOptions extends Omit<VarOptions, 'confidence' | 'horizon'> {
  /** Periods per year P of the returns. */
  readonly periodsPerYear: number;
  /** Annual risk-free rate as a decimal; default 0. */
  readonly riskFreeRate?: number;
  /** VaR confidence level; default 0.95. */
  readonly confidence?: number;
  /** VaR horizon in periods; default 1. */
  readonly horizon?: number;
  /** VaR methods to compute, in this order; default all of `VAR_METHODS`. */
  readonly methods?: readonly VarMethod[];
  /** Benchmark for the relative metrics. */
  readonly benchmark?: BenchmarkSeries;
}

/** The report of one return series. */
export interface SeriesRiskReport {
  readonly name: string;
  /** Dates (day numbers) of the series, NaN periods included. */
  readonly dates: Int32Array;
  readonly metrics: SeriesMetrics;
  /** Metrics against the benchmark (over the dates both have), with its name. */
  readonly benchmark?: BenchmarkMetrics & { readonly name: string };
  /** VaR and CVaR by method, in the order requested. */
  readonly var: Readonly<Partial<Record<VarMethod, PortfolioVar>>>;
  readonly confidence: number;
  readonly horizon: number;
}

/** Sector totals of a portfolio's weights and risk contributions. */
export interface SectorRisk {
  /** Sector names in order of their first asset. */
  readonly names: readonly string[];
  readonly weights: Readonly<Record<string, number>>;
  /** Sum of the assets' annual volatility contributions. */
  readonly volatility: Readonly<Record<string, number>>;
  /** Sum of the assets' component VaR and CVaR, by method. */
  readonly componentVar: Readonly<Partial<Record<VarMethod, Record<string, number>>>>;
  readonly componentCvar: Readonly<Partial<Record<VarMethod, Record<string, number>>>>;
}

/** The report of a portfolio: the series report of its returns plus the decomposition by asset and sector. */
export interface PortfolioRiskReport extends SeriesRiskReport {
  readonly tickers: readonly string[];
  readonly weights: Float64Array;
  readonly volatility: VolatilityContributions;
  readonly sectors?: SectorRisk;
}

/**
 * The report of one series of per-period returns (NaN periods skipped) on `dates`: `seriesMetrics`, the benchmark
 * metrics on the common dates (`benchmarkMetrics`), and `seriesVar` by each method.
 */
export function seriesRiskReport(
  name: string,
  dates: ArrayLike<number>,
  returns: ArrayLike<number>,
  options: RiskReportOptions,
): SeriesRiskReport {
  if (dates.length !== returns.length) throw new ValidationError(`${returns.length} returns for ${dates.length} dates`);
  const r = validValues(returns);
  const single = { tickers: [name], values: r, rowCount: r.length, columnCount: 1 };
  return {
    ...common(name, dates, returns, options),
    var: varByMethod(single, [1], options),
  };
}

/**
 * The report of a portfolio held at constant weights (`portfolioReturns`): the series report of its returns, VaR and
 * CVaR with their asset decomposition (`portfolioVar` on the held assets), the volatility contributions, and with a
 * sector map the sector totals of the weights and contributions (`sectorTotals`).
 */
export function portfolioRiskReport(
  portfolio: PortfolioReturns,
  options: RiskReportOptions & { readonly sectors?: Readonly<Record<string, string>> },
): PortfolioRiskReport {
  const series = portfolio.returns;
  const name = series.tickers[0] as string;
  const assets = portfolio.assets;
  const w = portfolio.weights;
  const byMethod = varByMethod(assets, w, options);
  const volatility = volatilityContributions(assets, w, options.periodsPerYear);
  const report: PortfolioRiskReport = {
    ...common(name, series.dates, series.values, options),
    var: byMethod,
    tickers: assets.tickers,
    weights: w,
    volatility,
  };
  if (options.sectors === undefined) return report;
  const map = options.sectors;
  const tick = assets.tickers;
  const weights = sectorTotals(tick, w, map);
  const componentVar: Partial<Record<VarMethod, Record<string, number>>> = {};
  const componentCvar: Partial<Record<VarMethod, Record<string, number>>> = {};
  for (const [method, v] of Object.entries(byMethod) as [VarMethod, PortfolioVar][]) {
    componentVar[method] = sectorTotals(tick, v.componentVar, map);
    componentCvar[method] = sectorTotals(tick, v.componentCvar, map);
  }
  return {
    ...report,
    sectors: {
      names: Object.keys(weights),
      weights,
      volatility: sectorTotals(tick, volatility.contributions, map),
      componentVar,
      componentCvar,
    },
  };
}

/** The report of every column of a matrix of per-period returns, each as its own series. */
export function seriesRiskReports(returns: DatedMatrix, options: RiskReportOptions): SeriesRiskReport[] {
  return returns.tickers.map((t, j) => seriesRiskReport(t, returns.dates, returns.column(j), options));
}

function common(
  name: string,
  dates: ArrayLike<number>,
  returns: ArrayLike<number>,
  options: RiskReportOptions,
): Omit<SeriesRiskReport, 'var'> {
  const metricOptions = { periodsPerYear: options.periodsPerYear, riskFreeRate: options.riskFreeRate ?? 0 };
  const b = options.benchmark;
  return {
    name,
    dates: Int32Array.from(dates),
    metrics: seriesMetrics(returns, metricOptions),
    ...(b === undefined
      ? {}
      : { benchmark: { name: b.name, ...benchmarkMetrics(returns, onDates(b, dates), metricOptions) } }),
    confidence: options.confidence ?? 0.95,
    horizon: options.horizon ?? 1,
  };
}

/** The benchmark's returns on `dates` (NaN where it has none): a left join by date. */
export function onDates(benchmark: BenchmarkSeries, dates: ArrayLike<number>): Float64Array {
  const out = new Float64Array(dates.length).fill(Number.NaN);
  const bd = benchmark.dates;
  let k = 0;
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i] as number;
    while (k < bd.length && (bd[k] as number) < d) k++;
    if (k < bd.length && bd[k] === d) out[i] = benchmark.returns[k] as number;
  }
  return out;
}

function varByMethod(
  assets: Parameters<typeof portfolioVars>[0],
  weights: ArrayLike<number>,
  options: RiskReportOptions,
): Partial<Record<VarMethod, PortfolioVar>> {
  return portfolioVars(assets, weights, options.methods ?? VAR_METHODS, options);
}

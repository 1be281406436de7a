/**
 * `pfopt risk`: metrics, VaR and CVaR of a portfolio (prices and weights) or of return series, with the asset and
 * sector decomposition of a portfolio's risk.
 */

import { type Command, InvalidArgumentError, Option } from 'commander';
import type { DatedMatrix } from '../../core/dated-matrix.js';
import { isoDate } from '../../core/dates.js';
import { DataError, ValidationError } from '../../core/errors.js';
import { simpleReturns } from '../../core/returns.js';
import { readCsvMatrix } from '../../data/csv/index.js';
import { loadPrices } from '../../data/load-prices.js';
import type { BenchmarkMetrics } from '../../risk/benchmark-metrics.js';
import type { SeriesMetrics } from '../../risk/metrics.js';
import { portfolioReturns } from '../../risk/portfolio-returns.js';
import {
  type BenchmarkSeries,
  type PortfolioRiskReport,
  portfolioRiskReport,
  type RiskReportOptions,
  type SeriesRiskReport,
  seriesRiskReports,
} from '../../risk/report.js';
import { VAR_METHODS, type VarMethod } from '../../risk/var.js';
import { action, type CliIO, type CommandContext } from '../context.js';
import { addPriceOptions, finiteNumber, integerOption, type PriceOptions, priceSource } from '../options.js';
import { benchmarkReturns, loadPortfolioPrices, portfolioWeights, sectorMap, tickerList } from '../portfolio-input.js';
import { renderTable } from '../table.js';
import { type Colors, printInfo, printResult, printWarning } from '../terminal.js';

interface RiskFlags extends PriceOptions {
  weights?: string;
  equal?: boolean;
  returns?: string;
  benchmark?: string;
  riskFree?: number;
  confidence: number;
  horizon: number;
  varMethod: VarMethod[];
  paths: number;
  seed: number;
  sectors?: string;
  tickers?: string[];
  start?: string;
  end?: string;
}

/** The JSON key of each VaR method. */
const METHOD_KEYS: Record<VarMethod, string> = {
  historical: 'historical',
  normal: 'normal',
  'cornish-fisher': 'cornishFisher',
  'monte-carlo-normal': 'monteCarloNormal',
  'monte-carlo-t': 'monteCarloT',
  bootstrap: 'bootstrap',
};

const METHOD_TITLES: Record<VarMethod, string> = {
  historical: 'historical',
  normal: 'parametric normal',
  'cornish-fisher': 'Cornish-Fisher',
  'monte-carlo-normal': 'Monte Carlo normal',
  'monte-carlo-t': 'Monte Carlo Student-t',
  bootstrap: 'bootstrap',
};

/** Registers `risk`. */
export function registerRiskCommand(program: Command, io: CliIO): void {
  addPriceOptions(
    program
      .command('risk')
      .description(
        'risk of a portfolio (prices and weights) or of return series: metrics, drawdowns, VaR and CVaR by six ' +
          'methods, risk contributions by asset and sector',
      ),
  )
    .option('--weights <file>', 'portfolio weights: CSV (ticker,weight) or JSON (as printed by pfopt optimize --json)')
    .option('--equal', 'an equal-weight portfolio of every ticker (the benchmark ticker excluded)')
    .option(
      '--returns <file>',
      'per-period returns instead of prices: CSV with a date column and one column per series',
    )
    .option(
      '--benchmark <ticker|file>',
      'benchmark: a column of the data (then left out of the analysis), or a price file or sample:NAME',
    )
    .option('--risk-free <rate>', 'annual risk-free rate as a decimal (0.02 is 2%); default 0', finiteNumber)
    .option('--confidence <c>', 'VaR confidence level, between 0 and 1', confidenceOption, 0.95)
    .option('--horizon <periods>', 'VaR horizon in periods of the data (days for daily data)', integerOption(1), 1)
    .addOption(
      new Option('--var-method <methods...>', `VaR methods: ${VAR_METHODS.join(', ')} or all`)
        .argParser(methodsOption)
        .default(ALL_METHODS, 'all'),
    )
    .option('--paths <n>', 'Monte Carlo paths', integerOption(1, 10_000_000), 10_000)
    .option('--seed <n>', 'Monte Carlo seed (the same seed gives the same numbers)', integerOption(0), 0)
    .option('--sectors <file>', 'ticker-to-sector map (CSV ticker,sector or JSON) for the sector contributions')
    .option('--tickers <tickers...>', 'use only these tickers or series')
    .option('--start <date>', 'first date to use, YYYY-MM-DD')
    .option('--end <date>', 'last date to use, YYYY-MM-DD')
    .action(action<RiskFlags>(io, (ctx, flags) => runRisk(ctx, flags)));
}

function confidenceOption(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !(x > 0 && x < 1)) {
    throw new InvalidArgumentError('expected a number between 0 and 1 (0.95 is 95%).');
  }
  return x;
}

/** The default of --var-method: every method. The parser recognises this very array and starts a fresh list. */
const ALL_METHODS: VarMethod[] = [...VAR_METHODS];

function methodsOption(value: string, previous: VarMethod[] | undefined): VarMethod[] {
  const chosen = previous === undefined || previous === ALL_METHODS ? [] : previous;
  for (const part of value.split(',').map((s) => s.trim())) {
    if (part === '') continue;
    if (part === 'all') {
      for (const m of VAR_METHODS) if (!chosen.includes(m)) chosen.push(m);
      continue;
    }
    if (!(VAR_METHODS as readonly string[]).includes(part)) {
      throw new InvalidArgumentError(`expected methods among ${VAR_METHODS.join(', ')} or all.`);
    }
    if (!chosen.includes(part as VarMethod)) chosen.push(part as VarMethod);
  }
  return chosen;
}

interface Loaded {
  /** Per-period returns of the assets or series (benchmark column removed). */
  readonly returns: DatedMatrix;
  readonly benchmark?: BenchmarkSeries;
  readonly source: string;
  /** Price dates (prices mode), to date the starting wealth of a drawdown. */
  readonly priceDates?: Int32Array;
}

function runRisk(ctx: CommandContext, flags: RiskFlags): void {
  if (flags.weights !== undefined && flags.equal) {
    throw new ValidationError('give either --weights FILE or --equal, not both');
  }
  if (flags.returns !== undefined && flags.prices !== undefined) {
    throw new ValidationError('give either --prices (with --weights or --equal) or --returns, not both');
  }
  const loaded = flags.returns !== undefined ? loadReturns(ctx, flags) : loadPriceReturns(ctx, flags);
  const portfolio = flags.weights !== undefined || flags.equal === true;
  const needPortfolio =
    'pfopt risk on prices needs a portfolio: pass --weights FILE or --equal (or give --returns FILE to analyse ' +
    'return series)';
  if (!portfolio && flags.returns === undefined) throw new ValidationError(needPortfolio);
  if (flags.sectors !== undefined && !portfolio) {
    throw new ValidationError('--sectors needs a portfolio: pass --weights FILE or --equal');
  }
  const returns = loaded.returns;
  if (returns.rowCount === 0 || returns.columnCount === 0) {
    throw new DataError(`${loaded.source} has no returns in the chosen range`);
  }
  const periodsPerYear = flags.frequency ?? ctx.config.frequency ?? returns.periodsPerYear;
  const options: RiskReportOptions = {
    periodsPerYear,
    riskFreeRate: flags.riskFree ?? 0,
    confidence: flags.confidence,
    horizon: flags.horizon,
    methods: flags.varMethod,
    paths: flags.paths,
    seed: flags.seed,
    ...(loaded.benchmark === undefined ? {} : { benchmark: loaded.benchmark }),
  };
  const rf =
    flags.riskFree === undefined
      ? 'risk-free rate 0 (the default; set --risk-free)'
      : `risk-free rate ${flags.riskFree}`;
  const settings = {
    source: loaded.source,
    periodsPerYear,
    riskFreeRate: flags.riskFree ?? 0,
    confidence: flags.confidence,
    horizon: flags.horizon,
    methods: flags.varMethod.map((m) => METHOD_KEYS[m]),
    ...(flags.varMethod.some((m) => m.startsWith('monte-carlo') || m === 'bootstrap')
      ? { monteCarlo: { paths: flags.paths, seed: flags.seed } }
      : {}),
  };
  if (portfolio) {
    const weights = portfolioWeights(ctx, flags, returns.tickers, needPortfolio);
    const p = portfolioReturns(returns, weights);
    if (p.droppedDates > 0) {
      printWarning(
        ctx.term,
        `${p.droppedDates} of ${returns.rowCount} dates left out: a held asset has no return on them`,
      );
    }
    const sectors = flags.sectors === undefined ? undefined : sectorMap(ctx, flags.sectors, p.assets.tickers);
    const report = portfolioRiskReport(p, { ...options, ...(sectors === undefined ? {} : { sectors }) });
    printInfo(
      ctx.term,
      `${loaded.source}: portfolio of ${p.assets.columnCount} assets, ${describeDates(report)} ` +
        `(${periodsPerYear} a year); ${rf}`,
    );
    const start = startDate(loaded.priceDates, report.dates);
    printResult(ctx.term, { ...settings, ...portfolioJson(report, start) }, () =>
      formatPortfolio(report, start, ctx.term.colors),
    );
    return;
  }
  const reports = seriesRiskReports(returns, options);
  printInfo(ctx.term, `${loaded.source}: ${reports.length} series, ${describeDates(reports[0])}; ${rf}`);
  const json =
    reports.length === 1
      ? { ...settings, ...seriesJson(reports[0] as SeriesRiskReport, null) }
      : { ...settings, series: Object.fromEntries(reports.map((r) => [r.name, seriesJson(r, null)])) };
  printResult(ctx.term, json, () => formatSeries(reports, ctx.term.colors));
}

/** Prices -> simple returns, with the benchmark split off and the universe and dates chosen (portfolio-input.ts). */
function loadPriceReturns(ctx: CommandContext, flags: RiskFlags): Loaded {
  const { prices, benchmark, label } = loadPortfolioPrices(
    ctx,
    flags,
    'no data given: pass --prices FILE or --prices sample:NAME with --weights FILE or --equal, or --returns FILE',
  );
  return {
    returns: simpleReturns(prices),
    source: label,
    priceDates: prices.dates,
    ...(benchmark === undefined ? {} : { benchmark: benchmarkReturns(benchmark) }),
  };
}

/** A returns CSV, with the benchmark split off (a column of it or a price file) and the series and dates chosen. */
function loadReturns(ctx: CommandContext, flags: RiskFlags): Loaded {
  const path = ctx.resolvePath(flags.returns as string);
  const { load } = priceSource(ctx, { ...flags, prices: undefined });
  const { label: _label, ...csv } = load;
  let returns = readCsvMatrix(path, { ...csv, file: flags.returns as string }).between(flags.start, flags.end);
  let benchmark: BenchmarkSeries | undefined;
  if (flags.benchmark !== undefined) {
    if (returns.has(flags.benchmark)) {
      benchmark = seriesOf(returns.selectTickers([flags.benchmark]), flags.benchmark);
      returns = returns.selectTickers(returns.tickers.filter((t) => t !== flags.benchmark));
    } else {
      benchmark = benchmarkFromPrices(ctx, flags, load);
    }
  }
  if (flags.tickers !== undefined) returns = returns.selectTickers(tickerList(flags.tickers));
  for (let k = 0; k < returns.values.length; k++) {
    const x = returns.values[k] as number;
    if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) {
      throw new DataError(`${flags.returns} holds an infinite return; returns must be finite fractions`);
    }
  }
  return { returns, source: flags.returns as string, ...(benchmark === undefined ? {} : { benchmark }) };
}

function benchmarkFromPrices(
  ctx: CommandContext,
  flags: RiskFlags,
  load: ReturnType<typeof priceSource>['load'],
): BenchmarkSeries {
  const name = flags.benchmark as string;
  const path = name.startsWith('sample:') ? name : ctx.resolvePath(name);
  const prices = loadPrices(path, { ...load, label: name });
  if (prices.columnCount !== 1) {
    throw new DataError(
      `the benchmark ${name} has ${prices.columnCount} columns; give a file with one price column or a ticker of the data`,
    );
  }
  return seriesOf(simpleReturns(prices), name);
}

function seriesOf(m: DatedMatrix, name: string): BenchmarkSeries {
  return { name, dates: m.dates, returns: m.column(0) };
}

/** The date of the starting wealth: the price date before the first return, when prices are known. */
function startDate(priceDates: Int32Array | undefined, dates: Int32Array): number | null {
  if (priceDates === undefined || dates.length === 0) return null;
  const first = dates[0] as number;
  let prev: number | null = null;
  for (const d of priceDates) {
    if (d >= first) break;
    prev = d;
  }
  return prev;
}

function describeDates(r: SeriesRiskReport | undefined): string {
  if (r === undefined || r.dates.length === 0) return 'no dates';
  return `${r.metrics.periods} periods from ${isoDate(r.dates[0] as number)} to ${isoDate(r.dates[r.dates.length - 1] as number)}`;
}

// ------------------------------------------------------------------------------------------------------------ JSON
function dateAt(r: SeriesRiskReport, index: number | null, start: number | null): string | null {
  if (index === null) return null;
  if (index === -1) return start === null ? null : isoDate(start);
  return isoDate(r.dates[index] as number);
}

function metricsJson(r: SeriesRiskReport, start: number | null) {
  const m: SeriesMetrics = r.metrics;
  return {
    periods: m.periods,
    totalReturn: m.totalReturn,
    cagr: m.cagr,
    annualReturn: m.annualReturn,
    meanReturn: m.meanReturn,
    volatility: m.volatility,
    annualVolatility: m.annualVolatility,
    sharpe: m.sharpe,
    sortino: m.sortino,
    calmar: m.calmar,
    omega: m.omega,
    maxDrawdown: m.maxDrawdown,
    maxDrawdownPeak: dateAt(r, m.peakIndex, start),
    maxDrawdownTrough: dateAt(r, m.troughIndex, start),
    maxDrawdownRecovery: dateAt(r, m.recoveryIndex, start),
    averageDrawdown: m.averageDrawdown,
    drawdownEpisodes: m.episodes,
    longestDrawdownPeriods: m.longestDrawdownPeriods,
    longestDrawdownStart: dateAt(r, m.longestDrawdownStartIndex, start),
    longestDrawdownEnd: dateAt(r, m.longestDrawdownEndIndex, start),
    ulcerIndex: m.ulcerIndex,
    skewness: m.skewness,
    excessKurtosis: m.excessKurtosis,
    bestPeriod: m.bestPeriod,
    worstPeriod: m.worstPeriod,
    hitRate: m.hitRate,
    tailRatio: m.tailRatio,
    stability: m.stability,
  };
}

function benchmarkJson(b: BenchmarkMetrics & { name: string }) {
  return {
    name: b.name,
    periods: b.periods,
    beta: b.beta,
    alpha: b.alpha,
    alphaPerPeriod: b.alphaPerPeriod,
    rSquared: b.rSquared,
    correlation: b.correlation,
    trackingError: b.trackingError,
    informationRatio: b.informationRatio,
    treynor: b.treynor,
    upCapture: b.upCapture,
    downCapture: b.downCapture,
  };
}

function byMethod(r: SeriesRiskReport, pick: (v: NonNullable<SeriesRiskReport['var'][VarMethod]>) => number) {
  const out: Record<string, number> = {};
  for (const [m, v] of Object.entries(r.var) as [VarMethod, NonNullable<SeriesRiskReport['var'][VarMethod]>][]) {
    out[METHOD_KEYS[m]] = pick(v);
  }
  return out;
}

function seriesJson(r: SeriesRiskReport, start: number | null) {
  const t = r.var['monte-carlo-t'];
  return {
    name: r.name,
    start: r.dates.length > 0 ? isoDate(r.dates[0] as number) : null,
    end: r.dates.length > 0 ? isoDate(r.dates[r.dates.length - 1] as number) : null,
    metrics: metricsJson(r, start),
    ...(r.benchmark === undefined ? {} : { benchmark: benchmarkJson(r.benchmark) }),
    var: byMethod(r, (v) => v.var),
    cvar: byMethod(r, (v) => v.cvar),
    ...(t === undefined ? {} : { studentTDegreesOfFreedom: t.degreesOfFreedom }),
  };
}

function portfolioJson(r: PortfolioRiskReport, start: number | null) {
  const perAsset = (i: number, pick: (v: NonNullable<SeriesRiskReport['var'][VarMethod]>) => Float64Array) =>
    byMethod(r, (v) => pick(v)[i] as number);
  return {
    ...seriesJson(r, start),
    weights: Object.fromEntries(r.tickers.map((t, i) => [t, r.weights[i] as number])),
    assets: Object.fromEntries(
      r.tickers.map((t, i) => [
        t,
        {
          weight: r.weights[i] as number,
          volatilityContribution: r.volatility.contributions[i] as number,
          volatilityShare: r.volatility.shares[i] as number,
          var: perAsset(i, (v) => v.assetVar),
          cvar: perAsset(i, (v) => v.assetCvar),
          componentVar: perAsset(i, (v) => v.componentVar),
          componentCvar: perAsset(i, (v) => v.componentCvar),
          marginalVar: perAsset(i, (v) => v.marginalVar),
          marginalCvar: perAsset(i, (v) => v.marginalCvar),
        },
      ]),
    ),
    ...(r.sectors === undefined
      ? {}
      : {
          sectors: Object.fromEntries(
            r.sectors.names.map((s) => {
              const sec = r.sectors as NonNullable<PortfolioRiskReport['sectors']>;
              const pick = (src: Partial<Record<VarMethod, Record<string, number>>>) =>
                Object.fromEntries(
                  (Object.entries(src) as [VarMethod, Record<string, number>][]).map(([m, v]) => [
                    METHOD_KEYS[m],
                    v[s] as number,
                  ]),
                );
              return [
                s,
                {
                  weight: sec.weights[s] as number,
                  volatilityContribution: sec.volatility[s] as number,
                  componentVar: pick(sec.componentVar),
                  componentCvar: pick(sec.componentCvar),
                },
              ];
            }),
          ),
        }),
  };
}

// ----------------------------------------------------------------------------------------------------------- human
const UNDEFINED = 'undefined';

function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : UNDEFINED;
}

function fixed(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : UNDEFINED;
}

/** The metric rows: label and the text of each report's value. */
function metricRows(reports: readonly SeriesRiskReport[], starts: readonly (number | null)[]): string[][] {
  const rows: [string, (r: SeriesRiskReport, start: number | null) => string][] = [
    ['periods', (r) => String(r.metrics.periods)],
    ['total return', (r) => pct(r.metrics.totalReturn)],
    ['CAGR (annual return)', (r) => pct(r.metrics.cagr)],
    ['mean return per period', (r) => pct(r.metrics.meanReturn)],
    ['annual volatility', (r) => pct(r.metrics.annualVolatility)],
    ['Sharpe ratio', (r) => fixed(r.metrics.sharpe)],
    ['Sortino ratio', (r) => fixed(r.metrics.sortino)],
    ['Calmar ratio', (r) => fixed(r.metrics.calmar)],
    ['Omega ratio', (r) => fixed(r.metrics.omega)],
    ['max drawdown', (r) => pct(r.metrics.maxDrawdown)],
    ['  peak', (r, s) => dateAt(r, r.metrics.peakIndex, s) ?? (r.metrics.peakIndex === -1 ? 'start' : '-')],
    ['  trough', (r, s) => dateAt(r, r.metrics.troughIndex, s) ?? '-'],
    [
      '  recovery',
      (r, s) => dateAt(r, r.metrics.recoveryIndex, s) ?? (r.metrics.troughIndex === null ? '-' : 'not recovered'),
    ],
    ['average drawdown', (r) => pct(r.metrics.averageDrawdown)],
    ['longest drawdown (periods)', (r) => String(r.metrics.longestDrawdownPeriods)],
    ['Ulcer index', (r) => fixed(r.metrics.ulcerIndex, 4)],
    ['skewness', (r) => fixed(r.metrics.skewness)],
    ['excess kurtosis', (r) => fixed(r.metrics.excessKurtosis)],
    ['best period', (r) => pct(r.metrics.bestPeriod)],
    ['worst period', (r) => pct(r.metrics.worstPeriod)],
    ['hit rate', (r) => pct(r.metrics.hitRate)],
    ['tail ratio', (r) => fixed(r.metrics.tailRatio)],
    ['stability (R^2)', (r) => fixed(r.metrics.stability)],
  ];
  const out = rows.map(([label, f]) => [label, ...reports.map((r, k) => f(r, starts[k] ?? null))]);
  if (reports.some((r) => r.benchmark !== undefined)) {
    const b: [string, (x: BenchmarkMetrics) => string][] = [
      ['beta', (x) => fixed(x.beta)],
      ['alpha (annual)', (x) => pct(x.alpha)],
      ['R-squared', (x) => fixed(x.rSquared)],
      ['correlation', (x) => fixed(x.correlation)],
      ['tracking error', (x) => pct(x.trackingError)],
      ['information ratio', (x) => fixed(x.informationRatio)],
      ['Treynor ratio', (x) => fixed(x.treynor)],
      ['up capture', (x) => fixed(x.upCapture)],
      ['down capture', (x) => fixed(x.downCapture)],
    ];
    const name = reports.find((r) => r.benchmark !== undefined)?.benchmark?.name ?? '';
    for (const [label, f] of b) {
      out.push([`${label} vs ${name}`, ...reports.map((r) => (r.benchmark === undefined ? '-' : f(r.benchmark)))]);
    }
  }
  return out;
}

function varTitle(r: SeriesRiskReport): string {
  const h = r.horizon === 1 ? '1 period' : `${r.horizon} periods`;
  return `VaR and CVaR at ${+(100 * r.confidence).toFixed(6)}% over ${h} (losses as fractions of the value)`;
}

function formatSeries(reports: readonly SeriesRiskReport[], colors: Colors): string {
  const first = reports[0] as SeriesRiskReport;
  const metrics = renderTable(
    [{ header: 'metric' }, ...reports.map((r) => ({ header: r.name, align: 'right' as const }))],
    metricRows(
      reports,
      reports.map(() => null),
    ),
    colors,
  );
  const methods = Object.keys(first.var) as VarMethod[];
  const varTable = renderTable(
    [
      { header: 'method' },
      ...reports.flatMap((r) => [
        { header: reports.length === 1 ? 'VaR' : `${r.name} VaR`, align: 'right' as const },
        { header: reports.length === 1 ? 'CVaR' : `${r.name} CVaR`, align: 'right' as const },
      ]),
    ],
    methods.map((m) => [
      METHOD_TITLES[m],
      ...reports.flatMap((r) => [pct(r.var[m]?.var ?? Number.NaN), pct(r.var[m]?.cvar ?? Number.NaN)]),
    ]),
    colors,
  );
  return [metrics, '', colors.bold(varTitle(first)), varTable].join('\n');
}

function formatPortfolio(r: PortfolioRiskReport, start: number | null, colors: Colors): string {
  const metrics = renderTable(
    [{ header: 'metric' }, { header: r.name, align: 'right' }],
    metricRows([r], [start]),
    colors,
  );
  const methods = Object.keys(r.var) as VarMethod[];
  const varTable = renderTable(
    [{ header: 'method' }, { header: 'VaR', align: 'right' }, { header: 'CVaR', align: 'right' }],
    methods.map((m) => [METHOD_TITLES[m], pct(r.var[m]?.var ?? Number.NaN), pct(r.var[m]?.cvar ?? Number.NaN)]),
    colors,
  );
  const lines = [metrics, '', colors.bold(varTitle(r)), varTable];
  const lead = methods[0];
  const v = lead === undefined ? undefined : r.var[lead];
  if (v !== undefined && lead !== undefined) {
    lines.push(
      '',
      colors.bold(`Risk by asset (VaR and CVaR: ${METHOD_TITLES[lead]}; volatility annual)`),
      renderTable(
        [
          { header: 'ticker' },
          { header: 'weight', align: 'right' },
          { header: 'vol. contribution', align: 'right' },
          { header: 'own VaR', align: 'right' },
          { header: 'component VaR', align: 'right' },
          { header: 'component CVaR', align: 'right' },
        ],
        r.tickers.map((t, i) => [
          t,
          pct(r.weights[i] as number),
          pct(r.volatility.contributions[i] as number),
          pct(v.assetVar[i] as number),
          pct(v.componentVar[i] as number),
          pct(v.componentCvar[i] as number),
        ]),
        colors,
      ),
    );
    const sec = r.sectors;
    if (sec !== undefined) {
      lines.push(
        '',
        colors.bold(`Risk by sector (${METHOD_TITLES[lead]})`),
        renderTable(
          [
            { header: 'sector' },
            { header: 'weight', align: 'right' },
            { header: 'vol. contribution', align: 'right' },
            { header: 'component VaR', align: 'right' },
            { header: 'component CVaR', align: 'right' },
          ],
          sec.names.map((s) => [
            s,
            pct(sec.weights[s] as number),
            pct(sec.volatility[s] as number),
            pct(sec.componentVar[lead]?.[s] ?? Number.NaN),
            pct(sec.componentCvar[lead]?.[s] ?? Number.NaN),
          ]),
          colors,
        ),
      );
    }
  }
  return lines.join('\n');
}

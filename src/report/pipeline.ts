/**
 * The whole job as one library call: estimate, optimise every strategy on the whole sample, measure their risk,
 * replay the historical stress episodes the data cover, backtest them walk-forward against the benchmark with
 * costs, and gather everything the report draws into one `ReportResults` document. Pure computation: the caller
 * loads the prices and writes the outputs.
 */

import { runBacktest } from '../backtest/backtest.js';
import { ALLOCATION_RULES, optimizerStrategy } from '../backtest/optimizer-strategy.js';
import type { RebalanceFrequency } from '../backtest/schedule.js';
import { equalWeightStrategy, type Strategy } from '../backtest/strategy.js';
import type { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';
import { PfoptError, ValidationError } from '../core/errors.js';
import { simpleReturns } from '../core/returns.js';
import { estimateReturns, estimateRisk, type ReturnsModel, type RiskModel } from '../estimate/models.js';
import {
  equalRiskContribution,
  equalWeight,
  hierarchicalEqualRiskContributionFromReturns,
  hierarchicalRiskParityFromReturns,
  inverseVariance,
  inverseVolatility,
  type LinkageMethod,
  linkageMatrix,
} from '../optimize/allocators.js';
import { efficientFrontier } from '../optimize/frontier.js';
import { maxSharpe, minVolatility } from '../optimize/mean-variance.js';
import type { MeanVarianceProblem } from '../optimize/problem.js';
import { clusteredCorrelationMatrix, correlationMatrix, returnHistogram } from '../risk/chart-data.js';
import { drawdownSeries } from '../risk/drawdown.js';
import { annualVolatility, cagr, seriesMetrics } from '../risk/metrics.js';
import { portfolioReturns } from '../risk/portfolio-returns.js';
import { STRESS_EPISODES } from '../risk/stress/episodes.js';
import { replayEpisodes } from '../risk/stress/historical.js';
import { seriesVar } from '../risk/var.js';
import { monthlyReturns } from './data/monthly.js';
import { randomPortfolios } from './data/random-portfolios.js';
import { rollingFigures } from './data/rolling.js';
import {
  num,
  type PortfolioRecord,
  RESULTS_SCHEMA,
  type ReportResults,
  type RunManifest,
  type StrategyRecord,
  type StressRecord,
} from './results.js';

/** The strategy methods a pipeline runs. */
export const PIPELINE_METHODS = [
  'min-volatility',
  'max-sharpe',
  'risk-parity',
  'hrp',
  'herc',
  'equal-weight',
  'inverse-volatility',
  'inverse-variance',
] as const;
export type PipelineMethod = (typeof PIPELINE_METHODS)[number];

/** One strategy: a name, a method and its constraints. */
export interface StrategySpec {
  readonly name: string;
  readonly method: PipelineMethod;
  /** Bounds of every weight (mean-variance methods and hrp); default [0, 1]. */
  readonly bounds?: readonly [number, number];
  /** Tree linkage of hrp and herc. */
  readonly linkage?: LinkageMethod;
}

/** Every setting of a pipeline run (the defaults are those of `pfopt demo`). */
export interface PipelineSettings {
  readonly riskFreeRate: number;
  readonly returnsModel: ReturnsModel;
  readonly riskModel: RiskModel;
  readonly strategies: readonly StrategySpec[];
  readonly frontier: { readonly points: number; readonly randomPortfolios: number; readonly seed: number };
  readonly risk: { readonly confidence: number; readonly bins: number };
  readonly backtest: {
    readonly lookback: number;
    readonly rebalance: RebalanceFrequency;
    readonly window: 'rolling' | 'expanding';
    readonly costBps: number;
    readonly slippageBps: number;
    readonly rollingWindow: number;
  };
  readonly report: { readonly title: string; readonly logScale: boolean; readonly featured?: string };
}

/** The strategies of `pfopt demo`. */
export const DEFAULT_STRATEGIES: readonly StrategySpec[] = [
  { name: 'Minimum volatility', method: 'min-volatility' },
  { name: 'Maximum Sharpe', method: 'max-sharpe' },
  { name: 'Risk parity', method: 'risk-parity' },
  { name: 'Hierarchical risk parity', method: 'hrp' },
  { name: 'Equal weight', method: 'equal-weight' },
];

/** The settings of `pfopt demo`. */
export const DEFAULT_SETTINGS: PipelineSettings = {
  riskFreeRate: 0.02,
  returnsModel: 'cagr',
  riskModel: 'ledoit-wolf',
  strategies: DEFAULT_STRATEGIES,
  frontier: { points: 40, randomPortfolios: 800, seed: 42 },
  risk: { confidence: 0.95, bins: 30 },
  backtest: { lookback: 36, rebalance: 'quarterly', window: 'rolling', costBps: 10, slippageBps: 5, rollingWindow: 12 },
  report: { title: 'pfopt report', logScale: true },
};

/** Input of `runPipeline`. */
export interface PipelineInput {
  readonly prices: DatedMatrix;
  /** One price column, the benchmark of the backtest and of the stress tests. */
  readonly benchmark?: DatedMatrix;
  readonly settings: PipelineSettings;
  /** The manifest without the date range (filled in from the prices) and the timing. */
  readonly manifest: Omit<RunManifest, 'dateRange' | 'parameters'>;
  /** Called at the start of each step with a short description. */
  readonly onStep?: (step: string) => void;
}

/** Runs the whole job; throws ValidationError for invalid settings, the estimators' and optimisers' errors as is. */
export async function runPipeline(input: PipelineInput): Promise<ReportResults> {
  const started = performance.now();
  const { prices, benchmark, settings } = input;
  const step = input.onStep ?? (() => {});
  checkSettings(settings, prices);
  const tickers = prices.tickers;
  const rf = settings.riskFreeRate;
  const returns = simpleReturns(prices);
  const warnings: string[] = [];

  step(`Estimating expected returns (${settings.returnsModel}) and covariance (${settings.riskModel})`);
  const mu = estimateReturns(prices, settings.returnsModel, { riskFreeRate: rf }).values;
  const cov = estimateRisk(prices, settings.riskModel).values;
  const n = tickers.length;
  const problem: MeanVarianceProblem = { expectedReturns: mu, covariance: cov, tickers, riskFreeRate: rf };

  step(`Optimizing ${settings.strategies.length} portfolios: ${settings.strategies.map((s) => s.name).join(', ')}`);
  const trees: { tree: ReturnType<typeof linkageMatrix>; order: readonly string[]; method: string }[] = [];
  const weightsOf = new Map<string, Float64Array>();
  for (const s of settings.strategies) {
    let w: Awaited<ReturnType<typeof fullSampleWeights>>;
    try {
      w = await fullSampleWeights(s, problem, returns);
    } catch (error) {
      // Name the strategy in the message, keeping the error's class (and so its exit code).
      if (error instanceof PfoptError)
        error.message = `strategy ${JSON.stringify(s.name)} (${s.method}): ${error.message}`;
      throw error;
    }
    weightsOf.set(s.name, w.weights);
    if (w.tree) trees.push(w.tree);
  }

  step('Tracing the efficient frontier and random portfolios');
  const frontier = await efficientFrontier(problem, { points: settings.frontier.points });
  const random = randomPortfolios(mu, cov, {
    count: settings.frontier.randomPortfolios,
    seed: settings.frontier.seed,
    riskFreeRate: rf,
  });

  step('Assessing risk: correlation, contributions, VaR and CVaR, historical stress episodes');
  let correlation: ReportResults['correlation'];
  let dendrogram: ReportResults['dendrogram'] = null;
  const hierarchical = trees[0];
  if (hierarchical !== undefined) {
    const c = correlationMatrix(returns, hierarchical.order);
    correlation = { tickers: c.tickers, values: rows(c.values, n) };
    dendrogram = { labels: [...tickers], merges: hierarchical.tree, method: hierarchical.method };
  } else {
    const c = clusteredCorrelationMatrix(returns);
    correlation = { tickers: c.tickers, values: rows(c.values, n) };
    dendrogram = { labels: [...tickers], merges: linkageMatrix(c.tree), method: c.tree.method };
  }
  const portfolios = settings.strategies.map((s) =>
    portfolioRecord(s, weightsOf.get(s.name) as Float64Array, problem, returns, settings),
  );
  const stress = stressRecords(prices, benchmark, settings, weightsOf);

  step(
    `Backtesting walk-forward: ${settings.backtest.lookback}-period ${settings.backtest.window} window, ` +
      `${settings.backtest.rebalance} rebalancing, costs ${settings.backtest.costBps} bps + slippage ${settings.backtest.slippageBps} bps`,
  );
  const backtest = await backtestRecord(prices, benchmark, settings, warnings);

  const dates = prices.dates;
  const manifest: RunManifest = {
    ...input.manifest,
    dateRange: { start: isoDate(dates[0] as number), end: isoDate(dates[dates.length - 1] as number) },
    parameters: settingsRecord(settings),
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
  return {
    schema: RESULTS_SCHEMA,
    title: settings.report.title,
    manifest,
    universe: {
      tickers: [...tickers],
      periodsPerYear: prices.periodsPerYear,
      benchmark: benchmark?.tickers[0] ?? null,
    },
    riskFreeRate: rf,
    estimates: {
      returnsModel: settings.returnsModel,
      riskModel: settings.riskModel,
      expectedReturns: Object.fromEntries(tickers.map((t, i) => [t, mu[i] as number])),
      volatilities: Object.fromEntries(tickers.map((t, i) => [t, Math.sqrt(cov[i * n + i] as number)])),
    },
    correlation,
    dendrogram,
    frontier: {
      points: Array.from(frontier.returns, (r, k) => ({
        expectedReturn: r,
        volatility: frontier.volatilities[k] as number,
      })),
      random: random.map((p) => ({ expectedReturn: p.expectedReturn, volatility: p.volatility })),
    },
    portfolios,
    stress,
    backtest,
    report: { logScale: settings.report.logScale },
    warnings: [...warnings, ...frontier.notes],
  };
}

/** Checks what the types cannot: unique strategy names, known methods, sensible numbers. */
function checkSettings(settings: PipelineSettings, prices: DatedMatrix): void {
  if (settings.strategies.length === 0) throw new ValidationError('strategies: give at least one strategy');
  const names = new Set<string>();
  for (const s of settings.strategies) {
    if (names.has(s.name)) throw new ValidationError(`strategies: two strategies are named ${JSON.stringify(s.name)}`);
    names.add(s.name);
    if (!(PIPELINE_METHODS as readonly string[]).includes(s.method)) {
      throw new ValidationError(
        `strategies: unknown method ${JSON.stringify(s.method)}; use one of ${PIPELINE_METHODS.join(', ')}`,
      );
    }
  }
  if (prices.columnCount < 2) throw new ValidationError('the universe needs at least 2 assets');
  const b = settings.backtest;
  if (b.lookback + 2 >= prices.rowCount) {
    throw new ValidationError(
      `backtest.lookback: ${b.lookback} periods leave no room for a backtest on ${prices.rowCount} dates; use at most ${prices.rowCount - 3}`,
    );
  }
  if (!(b.rollingWindow >= 2 && b.rollingWindow < prices.rowCount)) {
    throw new ValidationError(
      `backtest.rollingWindow: must be from 2 to ${prices.rowCount - 1}, got ${b.rollingWindow}`,
    );
  }
}

/** The parameters of the manifest: every setting, defaults included. */
function settingsRecord(settings: PipelineSettings): Record<string, unknown> {
  return JSON.parse(JSON.stringify(settings)) as Record<string, unknown>;
}

/** A strategy's weights on the whole sample, with its tree for hierarchical methods. */
async function fullSampleWeights(
  s: StrategySpec,
  problem: MeanVarianceProblem,
  returns: DatedMatrix,
): Promise<{
  weights: Float64Array;
  tree?: { tree: ReturnType<typeof linkageMatrix>; order: readonly string[]; method: string };
}> {
  const covariance = { tickers: problem.tickers as string[], values: problem.covariance as Float64Array };
  const perf = { expectedReturns: problem.expectedReturns, riskFreeRate: problem.riskFreeRate ?? 0 };
  const bounded = s.bounds === undefined ? problem : { ...problem, bounds: s.bounds };
  switch (s.method) {
    case 'min-volatility':
      return { weights: (await minVolatility(bounded)).weights };
    case 'max-sharpe':
      return { weights: (await maxSharpe(bounded)).weights };
    case 'risk-parity':
      return { weights: equalRiskContribution(covariance, perf).weights };
    case 'hrp':
    case 'herc': {
      const options = { ...perf, covariance, ...(s.linkage === undefined ? {} : { linkage: s.linkage }) };
      const r =
        s.method === 'hrp'
          ? hierarchicalRiskParityFromReturns(returns, {
              ...options,
              ...(s.bounds === undefined ? {} : { bounds: s.bounds }),
            })
          : hierarchicalEqualRiskContributionFromReturns(returns, options);
      return {
        weights: r.weights,
        tree: { tree: linkageMatrix(r.tree), order: r.orderedTickers, method: r.linkage },
      };
    }
    case 'equal-weight':
      return { weights: equalWeight(covariance.tickers).weights };
    case 'inverse-volatility':
      return { weights: inverseVolatility(covariance, perf).weights };
    case 'inverse-variance':
      return { weights: inverseVariance(covariance, perf).weights };
  }
}

/** The backtest strategy of a spec (re-estimated on each rebalancing date with the run's models). */
function backtestStrategy(s: StrategySpec, settings: PipelineSettings): Strategy {
  if (s.method === 'equal-weight') return equalWeightStrategy(s.name);
  const isRule = (ALLOCATION_RULES as readonly string[]).includes(s.method);
  return optimizerStrategy({
    name: s.name,
    objective: s.method as 'min-volatility',
    returnsModel: settings.returnsModel,
    riskModel: settings.riskModel,
    settings: { riskFreeRate: settings.riskFreeRate },
    constraints: {
      riskFreeRate: settings.riskFreeRate,
      ...(s.bounds === undefined || isRule ? {} : { bounds: s.bounds }),
    },
    ...(s.linkage === undefined ? {} : { linkage: s.linkage }),
  });
}

function portfolioRecord(
  s: StrategySpec,
  w: Float64Array,
  problem: MeanVarianceProblem,
  returns: DatedMatrix,
  settings: PipelineSettings,
): PortfolioRecord {
  const tickers = problem.tickers as readonly string[];
  const n = tickers.length;
  const mu = problem.expectedReturns as Float64Array;
  const cov = problem.covariance as Float64Array;
  let ret = 0;
  let variance = 0;
  const sw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ret += (w[i] as number) * (mu[i] as number);
    for (let j = 0; j < n; j++) sw[i] = (sw[i] as number) + (cov[i * n + j] as number) * (w[j] as number);
  }
  for (let i = 0; i < n; i++) variance += (w[i] as number) * (sw[i] as number);
  const vol = Math.sqrt(Math.max(variance, 0));
  const weights: Record<string, number> = {};
  const riskShares: Record<string, number> = {};
  tickers.forEach((t, i) => {
    weights[t] = w[i] as number;
    riskShares[t] = variance > 0 ? ((w[i] as number) * (sw[i] as number)) / variance : 0;
  });
  const held = Object.fromEntries(Object.entries(weights).filter(([, x]) => Math.abs(x) > 1e-12));
  const pr = portfolioReturns(returns, held, { name: s.name });
  const r = pr.returns.column(0);
  const p = returns.periodsPerYear;
  const metrics = seriesMetrics(r, { periodsPerYear: p, riskFreeRate: settings.riskFreeRate });
  const v = seriesVar(r, 'historical', { confidence: settings.risk.confidence });
  const hist = returnHistogram(r, {
    bins: settings.risk.bins,
    var: { [`${Math.round(settings.risk.confidence * 100)}%`]: v },
  });
  const d = pr.returns.dates;
  const notes: string[] = [];
  if (pr.droppedDates > 0) {
    notes.push(`historical figures over the ${d.length} dates on which every held asset has a return`);
  }
  return {
    name: s.name,
    method: s.method,
    weights,
    expectedReturn: num(ret),
    volatility: num(vol),
    sharpe: num(vol > 0 ? (ret - settings.riskFreeRate) / vol : Number.NaN),
    riskShares,
    historical: {
      periods: r.length,
      start: d.length > 0 ? isoDate(d[0] as number) : null,
      end: d.length > 0 ? isoDate(d[d.length - 1] as number) : null,
      cagr: num(metrics.cagr),
      annualVolatility: num(metrics.annualVolatility),
      maxDrawdown: num(metrics.maxDrawdown),
      var: num(v.var),
      cvar: num(v.cvar),
      confidence: settings.risk.confidence,
      histogram: {
        edges: Array.from(hist.edges, (x) => num(x)),
        counts: Array.from(hist.counts),
        marks: hist.marks.map((m) => ({ label: m.label, value: num(m.value) })),
      },
    },
    notes,
  };
}

/** Every built-in episode the data cover, replayed on each portfolio (missing assets renormalised) and the benchmark. */
function stressRecords(
  prices: DatedMatrix,
  benchmark: DatedMatrix | undefined,
  settings: PipelineSettings,
  weightsOf: ReadonlyMap<string, Float64Array>,
): StressRecord[] {
  const byEpisode = new Map<
    string,
    StressRecord & { returns: Record<string, number | null>; maxDrawdowns: Record<string, number | null> }
  >();
  for (const s of settings.strategies) {
    const w = weightsOf.get(s.name) as Float64Array;
    const replays = replayEpisodes(prices, w, STRESS_EPISODES, {
      missingAssets: 'renormalize',
      ...(benchmark === undefined ? {} : { benchmark }),
    });
    for (const r of replays) {
      const covered = r.portfolio.status === 'covered' || r.benchmark?.status === 'covered';
      if (!covered) continue;
      const window = r.portfolio.status === 'covered' ? r.portfolio : (r.benchmark ?? r.portfolio);
      let rec = byEpisode.get(r.episode.id);
      if (rec === undefined) {
        rec = {
          id: r.episode.id,
          name: r.episode.name,
          from: window.from === null ? null : isoDate(window.from),
          to: window.to === null ? null : isoDate(window.to),
          returns: {},
          maxDrawdowns: {},
        };
        byEpisode.set(r.episode.id, rec);
      }
      rec.returns[s.name] = num(r.portfolio.totalReturn);
      rec.maxDrawdowns[s.name] = num(r.portfolio.maxDrawdown);
      if (benchmark !== undefined && r.benchmark !== undefined) {
        const name = benchmark.tickers[0] as string;
        rec.returns[name] = num(r.benchmark.totalReturn);
        rec.maxDrawdowns[name] = num(r.benchmark.maxDrawdown);
      }
    }
  }
  return [...byEpisode.values()];
}

async function backtestRecord(
  prices: DatedMatrix,
  benchmark: DatedMatrix | undefined,
  settings: PipelineSettings,
  warnings: string[],
): Promise<ReportResults['backtest']> {
  const b = settings.backtest;
  const result = await runBacktest(
    prices,
    settings.strategies.map((s) => backtestStrategy(s, settings)),
    {
      lookback: b.lookback,
      rebalance: b.rebalance,
      window: b.window,
      costs: { costBps: b.costBps, slippageBps: b.slippageBps },
      riskFreeRate: settings.riskFreeRate,
      ...(benchmark === undefined ? {} : { benchmark }),
    },
  );
  const dates = Array.from(result.dates, (d) => isoDate(d));
  const p = result.periodsPerYear;
  const benchReturns = result.benchmark?.returns;
  const strategies: StrategyRecord[] = result.strategies.map((s) => {
    const base = s.nav[0] as number;
    const weights: (number | null)[][] = [];
    for (let t = 0; t < s.dates.length; t++) weights.push(s.weights.tickers.map((_, j) => num(s.weights.column(j)[t])));
    for (const w of s.warnings) warnings.push(w);
    return {
      name: s.name,
      nav: Array.from(s.nav, (x) => num(x / base)),
      drawdown: [0, ...Array.from(drawdownSeries(s.returns), (x) => num(x))],
      weights,
      cash: Array.from(s.cashWeights, (x) => num(x)),
      metrics: metricRecord(s.metrics, s.relative),
      turnover: s.turnover,
      costs: s.costs,
      trades: s.trades.map((t) => ({
        date: t.isoDate,
        ticker: t.ticker,
        shares: t.shares,
        price: t.price,
        value: t.value,
        cost: t.cost,
      })),
      warnings: [...s.warnings],
    };
  });
  const rolling: NonNullable<ReportResults['backtest']>['rolling']['points'][number][] = [];
  const series = [
    ...result.strategies.map((s) => ({ name: s.name, returns: s.returns })),
    ...(result.benchmark ? [{ name: result.benchmark.name, returns: result.benchmark.returns }] : []),
  ];
  for (const s of series) {
    const isBenchmark = result.benchmark !== undefined && s.name === result.benchmark.name;
    const figures = rollingFigures(s.returns, {
      window: b.rollingWindow,
      periodsPerYear: p,
      riskFreeRate: settings.riskFreeRate,
      ...(benchReturns === undefined || isBenchmark ? {} : { benchmark: benchReturns }),
    });
    for (const f of figures) {
      rolling.push({
        date: dates[f.index + 1] as string,
        series: s.name,
        volatility: num(f.volatility ?? Number.NaN),
        sharpe: num(f.sharpe ?? Number.NaN),
        beta: num(f.beta ?? Number.NaN),
      });
    }
  }
  const featuredName =
    settings.report.featured ??
    [...result.strategies].sort((x, y) => (num(y.metrics.sharpe) ?? -1e9) - (num(x.metrics.sharpe) ?? -1e9))[0]?.name ??
    '';
  const featured = result.strategies.find((s) => s.name === featuredName);
  if (featured === undefined) {
    throw new ValidationError(
      `report.featured: no strategy is named ${JSON.stringify(featuredName)}; use one of ${result.strategies.map((s) => JSON.stringify(s.name)).join(', ')}`,
    );
  }
  const first = result.dates[0] as number;
  const rowsFrom = Array.from(prices.dates.keys()).filter((i) => (prices.dates[i] as number) >= first);
  const window = simpleReturns(prices.selectRows(rowsFrom));
  const assets = prices.tickers.map((name, j) => {
    const r = window.column(j);
    return { name, annualReturn: num(cagr(r, p)), annualVolatility: num(annualVolatility(r, p)) };
  });
  return {
    dates,
    settings: { ...b, strategies: settings.strategies.map((s) => s.name), riskFreeRate: settings.riskFreeRate },
    strategies,
    benchmark:
      result.benchmark === undefined
        ? null
        : {
            name: result.benchmark.name,
            nav: Array.from(result.benchmark.nav, (x) => num(x)),
            drawdown: [0, ...Array.from(drawdownSeries(result.benchmark.returns), (x) => num(x))],
            metrics: metricRecord(result.benchmark.metrics),
          },
    assets,
    rolling: { window: b.rollingWindow, points: rolling },
    featured: featured.name,
    monthly: monthlyReturns(result.dates, featured.nav),
  };
}

/** The headline metrics of a backtested series (and against the benchmark), as a flat record. */
function metricRecord(
  m: ReturnType<typeof seriesMetrics>,
  relative?: { beta: number; alpha: number; trackingError: number; informationRatio: number },
): Record<string, number | null> {
  return {
    totalReturn: num(m.totalReturn),
    cagr: num(m.cagr),
    annualVolatility: num(m.annualVolatility),
    sharpe: num(m.sharpe),
    sortino: num(m.sortino),
    calmar: num(m.calmar),
    maxDrawdown: num(m.maxDrawdown),
    worstPeriod: num(m.worstPeriod),
    hitRate: num(m.hitRate),
    ...(relative === undefined
      ? {}
      : {
          beta: num(relative.beta),
          alpha: num(relative.alpha),
          trackingError: num(relative.trackingError),
          informationRatio: num(relative.informationRatio),
        }),
  };
}

function rows(values: Float64Array, n: number): (number | null)[][] {
  return Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => num(values[a * n + b])));
}

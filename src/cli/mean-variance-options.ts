/**
 * The options shared by `pfopt optimize` and `pfopt frontier`: which data, which estimators, which constraints; and
 * the mean-variance problem they describe.
 */

import { type Command, InvalidArgumentError } from 'commander';
import type { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';
import { DataError, ValidationError } from '../core/errors.js';
import { readSectorBounds, readSectorMap, readWeights } from '../data/keyed-files.js';
import { loadPrices } from '../data/load-prices.js';
import {
  DEFAULT_SPAN,
  estimateReturns,
  estimateRisk,
  parseReturnsModel,
  parseRiskModel,
  RETURNS_MODELS,
  type ReturnsModel,
  RISK_MODELS,
  type RiskModel,
} from '../estimate/models.js';
import type { MeanVarianceProblem } from '../optimize/problem.js';
import { splitBenchmark } from './benchmark-input.js';
import {
  addBlackLittermanOptions,
  BLACK_LITTERMAN,
  type BlackLittermanFlags,
  checkBlackLittermanFlags,
  estimateBlackLitterman,
  marketIndexPrices,
} from './black-litterman-options.js';
import type { CommandContext } from './context.js';
import {
  addPriceOptions,
  choiceOption,
  finiteNumber,
  integerOption,
  nonNegativeNumber,
  type PriceOptions,
  positiveNumber,
  priceSource,
} from './options.js';

/** The flags of the shared options, as commander parses them. */
export interface MeanVarianceFlags extends PriceOptions, BlackLittermanFlags {
  returnsModel: string;
  riskModel: string;
  benchmark?: string;
  riskFree?: number;
  span: number;
  l2?: number;
  bounds?: [number, number];
  sectors?: string;
  sectorBounds?: string;
  tickers?: string[];
  start?: string;
  end?: string;
  marketNeutral?: boolean;
  maxLeverage?: number;
  currentWeights?: string;
  maxTurnover?: number;
  transactionCost?: number;
  maxVolatility?: number;
  solver: 'auto' | 'active-set' | 'highs';
}

function boundsPair(value: string): [number, number] {
  const parts = value.split(',');
  const lo = Number(parts[0]);
  const hi = Number(parts[1]);
  if (parts.length !== 2 || parts.some((p) => p.trim() === '') || Number.isNaN(lo) || Number.isNaN(hi)) {
    throw new InvalidArgumentError('expected LO,HI such as 0,0.3 or -1,1.');
  }
  if (lo > hi) throw new InvalidArgumentError(`the lower bound ${lo} is above the upper bound ${hi}.`);
  return [lo, hi];
}

/** The `--returns-model` choices: the estimators, and Black-Litterman over the chosen risk model. */
const RETURNS_MODEL_CHOICES = [...RETURNS_MODELS, BLACK_LITTERMAN] as const;

/** Adds the data, estimator and constraint options to a command. */
export function addMeanVarianceOptions(cmd: Command): Command {
  addPriceOptions(cmd)
    .option('--tickers <tickers...>', 'use only these tickers (default: every ticker of the price data)')
    .option('--start <date>', 'first price date to use, YYYY-MM-DD')
    .option('--end <date>', 'last price date to use, YYYY-MM-DD')
    .option(
      `--returns-model <model>`,
      `expected returns: ${RETURNS_MODEL_CHOICES.join(', ')} (the posterior of --views, --market-caps)`,
      choiceOption(RETURNS_MODEL_CHOICES),
      'cagr',
    )
    .option('--risk-model <model>', `covariance: ${RISK_MODELS.join(', ')}`, choiceOption(RISK_MODELS), 'sample')
    .option(
      '--benchmark <ticker|file>',
      'market for CAPM: a ticker of the price data (then left out of the portfolio), a price file or sample:NAME',
    )
    .option('--risk-free <rate>', 'annual risk-free rate as a decimal (0.02 is 2%); default 0', finiteNumber)
    .option(
      '--span <n>',
      'span in periods of the exponentially weighted estimators (ema, exp)',
      integerOption(1),
      DEFAULT_SPAN,
    )
    .option('--l2 <gamma>', 'L2 regularisation: the objective gains gamma * sum of squared weights', nonNegativeNumber)
    .option('--bounds <lo,hi>', 'bounds of every weight (default 0,1: long-only; -1,1 allows shorts)', boundsPair)
    .option('--sectors <file>', 'ticker-to-sector map: CSV (ticker,sector) or JSON')
    .option('--sector-bounds <file>', 'sector limits: CSV (sector,min,max) or JSON {"SECTOR": [min, max]}')
    .option('--market-neutral', 'weights sum to 0 instead of 1 (give negative --bounds)')
    .option('--max-leverage <l>', 'gross leverage limit: sum of |weights| at most l', positiveNumber)
    .option(
      '--current-weights <file>',
      'current portfolio (CSV ticker,weight or JSON), the reference of turnover and costs',
    )
    .option('--max-turnover <t>', 'turnover limit: sum of |w - current| at most t', nonNegativeNumber)
    .option(
      '--transaction-cost <c>',
      'linear cost per unit of weight traded, in annual return units',
      nonNegativeNumber,
    )
    .option('--max-volatility <v>', 'annual volatility cap, where the objective allows one', positiveNumber)
    .option(
      '--solver <name>',
      'auto, active-set or highs',
      choiceOption(['auto', 'active-set', 'highs'] as const),
      'auto',
    );
  return addBlackLittermanOptions(cmd);
}

/** What the shared options resolve to: the problem, and what the estimation used, for the report. */
export interface EstimatedProblem {
  readonly problem: MeanVarianceProblem;
  readonly source: string;
  readonly prices: DatedMatrix;
  readonly returnsModel: ReturnsModel | typeof BLACK_LITTERMAN;
  readonly riskModel: RiskModel;
  readonly benchmark?: string;
  readonly warnings: readonly string[];
  /** With `--returns-model black-litterman`: prior, posterior, implied weights and settings, for the JSON output. */
  readonly blackLitterman?: Record<string, unknown>;
  /** With `--returns-model black-litterman`: one line on how the posterior was formed. */
  readonly blackLittermanDescription?: string;
}

/**
 * Loads the prices, picks the universe and dates, estimates the mean and covariance by the chosen models, reads the
 * constraint files and returns the mean-variance problem.
 */
export function estimateProblem(ctx: CommandContext, flags: MeanVarianceFlags): EstimatedProblem {
  const { source, load } = priceSource(ctx, flags);
  if (source === undefined) {
    throw new ValidationError(
      'no price data given: pass --prices FILE or --prices sample:NAME (see pfopt data samples)',
    );
  }
  const label = flags.prices ?? ctx.config.prices ?? source;
  checkBlackLittermanFlags(flags.returnsModel, flags);
  const loaded = loadPrices(source, load).between(flags.start, flags.end);
  const market = marketIndexPrices(ctx, flags, loaded, load);
  const split = splitBenchmark(ctx, loaded, flags.benchmark, load, flags);
  let prices = split.prices;
  const benchmark = split.benchmark;
  if (market?.inData && prices.has(flags.marketIndex as string)) {
    prices = prices.selectTickers(prices.tickers.filter((t) => t !== flags.marketIndex));
  }
  if (flags.tickers !== undefined)
    prices = prices.selectTickers(flags.tickers.flatMap((t) => t.split(',')).filter((t) => t));
  if (prices.rowCount < 3) {
    throw new DataError(`${label} has ${prices.rowCount} price dates in the chosen range; at least 3 are needed`);
  }
  const isBlackLitterman = flags.returnsModel === BLACK_LITTERMAN;
  const returnsModel = isBlackLitterman ? BLACK_LITTERMAN : parseReturnsModel(flags.returnsModel);
  const riskModel = parseRiskModel(flags.riskModel);
  const settings = {
    span: flags.span,
    riskFreeRate: flags.riskFree ?? 0,
    ...(benchmark === undefined ? {} : { benchmark }),
  };
  const cov = estimateRisk(prices, riskModel, settings);
  const bl = isBlackLitterman
    ? estimateBlackLitterman(ctx, flags, cov, market?.prices, flags.riskFree ?? 0)
    : undefined;
  const mu =
    bl === undefined
      ? estimateReturns(prices, returnsModel as ReturnsModel, settings).values
      : bl.model.expectedReturns.values;
  const tickers = prices.tickers;
  const problem: MeanVarianceProblem = {
    expectedReturns: mu,
    covariance: bl === undefined ? cov.values : bl.model.covariance.values,
    tickers,
    riskFreeRate: flags.riskFree ?? 0,
    ...(flags.bounds === undefined ? {} : { bounds: flags.bounds }),
    ...(flags.marketNeutral ? { marketNeutral: true } : {}),
    ...(flags.l2 === undefined ? {} : { l2: flags.l2 }),
    ...(flags.maxLeverage === undefined ? {} : { maxLeverage: flags.maxLeverage }),
    ...(flags.maxTurnover === undefined ? {} : { maxTurnover: flags.maxTurnover }),
    ...(flags.transactionCost === undefined ? {} : { transactionCost: flags.transactionCost }),
    ...(flags.maxVolatility === undefined ? {} : { maxVolatility: flags.maxVolatility }),
    ...(flags.currentWeights === undefined
      ? {}
      : { currentWeights: currentWeights(ctx.resolvePath(flags.currentWeights), tickers) }),
    ...sectorConstraints(ctx, flags),
  };
  return {
    problem,
    source: label,
    prices,
    returnsModel,
    riskModel,
    ...(flags.benchmark === undefined ? {} : { benchmark: flags.benchmark }),
    warnings: cov.warnings,
    ...(bl === undefined ? {} : { blackLitterman: bl.report, blackLittermanDescription: bl.description }),
  };
}

function currentWeights(path: string, tickers: readonly string[]): Float64Array {
  const map = readWeights(path);
  for (const t of Object.keys(map)) {
    if (!tickers.includes(t)) throw new DataError(`${path}: ${JSON.stringify(t)} is not in the optimised universe`);
  }
  return Float64Array.from(tickers, (t) => map[t] ?? 0);
}

function sectorConstraints(ctx: CommandContext, flags: MeanVarianceFlags): Pick<MeanVarianceProblem, 'sectors'> {
  if (flags.sectorBounds !== undefined && flags.sectors === undefined) {
    throw new ValidationError('--sector-bounds needs --sectors FILE (which ticker belongs to which sector)');
  }
  if (flags.sectors === undefined) return {};
  const map = readSectorMap(ctx.resolvePath(flags.sectors));
  if (flags.sectorBounds === undefined) return { sectors: { map } };
  const bounds = readSectorBounds(ctx.resolvePath(flags.sectorBounds));
  const known = new Set(Object.values(map));
  for (const s of Object.keys(bounds)) {
    if (!known.has(s)) {
      throw new DataError(`${flags.sectorBounds}: sector ${JSON.stringify(s)} has no ticker in ${flags.sectors}`);
    }
  }
  const lower: Record<string, number> = {};
  const upper: Record<string, number> = {};
  for (const [s, b] of Object.entries(bounds)) {
    if (b.min !== undefined) lower[s] = b.min;
    if (b.max !== undefined) upper[s] = b.max;
  }
  return { sectors: { map, lower, upper } };
}

/** One line saying which data and models produced the estimates. */
export function describeEstimation(e: EstimatedProblem, riskFree: number | undefined): string {
  const first = isoDate(e.prices.dates[0] as number);
  const last = isoDate(e.prices.dates[e.prices.rowCount - 1] as number);
  const rf = riskFree === undefined ? 'risk-free rate 0 (the default; set --risk-free)' : `risk-free rate ${riskFree}`;
  return (
    `${e.source}: ${e.prices.columnCount} assets, ${e.prices.rowCount} prices from ${first} to ${last} ` +
    `(${e.prices.periodsPerYear} a year); returns model ${e.returnsModel}, risk model ${e.riskModel}; ${rf}` +
    (e.blackLittermanDescription === undefined ? '' : `\n${e.blackLittermanDescription}`)
  );
}

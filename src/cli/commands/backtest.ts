/**
 * `pfopt backtest`: walk-forward simulation of one or several strategies on a price file, compared with a benchmark.
 */

import { type Command, InvalidArgumentError } from 'commander';
import { runBacktest, type StrategyResult } from '../../backtest/backtest.js';
import type { BacktestBlackLitterman } from '../../backtest/black-litterman.js';
import type { BacktestOptions } from '../../backtest/engine.js';
import { ALLOCATION_RULES, optimizerStrategy } from '../../backtest/optimizer-strategy.js';
import { REBALANCE_FREQUENCIES, type RebalanceFrequency } from '../../backtest/schedule.js';
import {
  buyAndHoldStrategy,
  equalWeightStrategy,
  fixedWeightsStrategy,
  type Strategy,
} from '../../backtest/strategy.js';
import { tailStrategy } from '../../backtest/tail-strategy.js';
import type { DatedMatrix } from '../../core/dated-matrix.js';
import { isoDate } from '../../core/dates.js';
import { DataError, PfoptError, ValidationError } from '../../core/errors.js';
import { readCsvMatrix } from '../../data/csv/index.js';
import { readMarketCaps, readWeights } from '../../data/keyed-files.js';
import { loadPrices } from '../../data/load-prices.js';
import { DEFAULT_SPAN, RETURNS_MODELS, type ReturnsModel, RISK_MODELS, type RiskModel } from '../../estimate/models.js';
import type { LinkageMethod } from '../../optimize/allocators.js';
import { marketWeights } from '../../optimize/black-litterman.js';
import type { TailObjective } from '../../optimize/tail/types.js';
import { commonJson, humanReport, strategyJson, writeOut } from '../backtest-report.js';
import { splitBenchmark } from '../benchmark-input.js';
import {
  BLACK_LITTERMAN,
  checkBlackLittermanFlags,
  DEFAULT_BL_DELTA,
  DEFAULT_TAU,
  readViews,
} from '../black-litterman-options.js';
import { action, type CliIO, type CommandContext } from '../context.js';
import {
  addPriceOptions,
  choiceOption,
  finiteNumber,
  integerOption,
  nonNegativeNumber,
  type PriceOptions,
  positiveNumber,
  priceSource,
} from '../options.js';
import { printInfo, printResult, printWarning, type Terminal } from '../terminal.js';

/** Strategy names of the command line. */
export const BACKTEST_STRATEGIES = [
  'equal-weight',
  'buy-and-hold',
  'fixed',
  'min-volatility',
  'max-sharpe',
  'max-utility',
  'efficient-risk',
  'efficient-return',
  ...ALLOCATION_RULES,
  'min-cvar',
  'efficient-cvar',
  'min-cdar',
  'min-mad',
  'min-semivariance',
] as const;
type StrategyName = (typeof BACKTEST_STRATEGIES)[number];

interface BacktestFlags extends PriceOptions {
  strategy: StrategyName[];
  returnsModel: ReturnsModel | typeof BLACK_LITTERMAN;
  views?: string;
  marketCaps?: string;
  tau?: number;
  blDelta?: number;
  riskModel: RiskModel;
  span: number;
  riskFree?: number;
  riskAversion: number;
  targetVolatility?: number;
  targetReturn?: number;
  confidence?: number;
  maxCvar?: number;
  linkage?: LinkageMethod;
  bounds?: [number, number];
  weights?: string;
  tickers?: string[];
  start?: string;
  end?: string;
  rebalance: RebalanceFrequency;
  drift?: number;
  lookback: number;
  window: 'rolling' | 'expanding';
  execution: 'close' | 'next-close';
  costBps?: number;
  fixedFee?: number;
  minFee?: number;
  slippageBps?: number;
  volumes?: string;
  impactBps?: number;
  impactExponent?: number;
  cashRate?: string;
  benchmark?: string;
  capital?: number;
  wholeShares?: boolean;
  out?: string;
}

function strategyList(value: string, previous: StrategyName[] | undefined): StrategyName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const name of names) {
    if (!(BACKTEST_STRATEGIES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(
        `unknown strategy ${JSON.stringify(name)}; use ${BACKTEST_STRATEGIES.join(', ')}.`,
      );
    }
  }
  return [...(previous ?? []), ...(names as StrategyName[])];
}

function boundsPair(value: string): [number, number] {
  const [lo, hi, ...rest] = value.split(',').map((s) => Number(s));
  if (rest.length > 0 || lo === undefined || hi === undefined || Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) {
    throw new InvalidArgumentError('expected LO,HI such as 0,0.3.');
  }
  return [lo, hi];
}

/** Registers `backtest`. */
export function registerBacktestCommand(program: Command, io: CliIO): void {
  addPriceOptions(
    program
      .command('backtest')
      .description(
        'walk-forward backtest: strategies re-estimated on a rolling or expanding window, rebalanced on a calendar ' +
          'schedule or on drift, with costs, against a benchmark',
      ),
  )
    .requiredOption('--strategy <names>', `comma-separated: ${BACKTEST_STRATEGIES.join(', ')}`, strategyList)
    .requiredOption(
      '--lookback <L>',
      'returns in the estimation window (and history needed before the first rebalance)',
      integerOption(0),
    )
    .option('--rebalance <freq>', REBALANCE_FREQUENCIES.join(', '), choiceOption(REBALANCE_FREQUENCIES), 'monthly')
    .option(
      '--drift <x>',
      'also rebalance when a weight drifts more than x from its target (0.05 is 5 points)',
      positiveNumber,
    )
    .option(
      '--window <kind>',
      'rolling (the last L returns) or expanding',
      choiceOption(['rolling', 'expanding'] as const),
      'rolling',
    )
    .option(
      '--execution <when>',
      "trade at the rebalancing date's close or the next one",
      choiceOption(['close', 'next-close'] as const),
      'close',
    )
    .option(
      '--returns-model <model>',
      `expected returns: ${[...RETURNS_MODELS, BLACK_LITTERMAN].join(', ')} (black-litterman: of the mean-variance ` +
        'strategies, with --market-caps and --views)',
      choiceOption([...RETURNS_MODELS, BLACK_LITTERMAN] as const),
      'cagr',
    )
    .option(
      '--views <file>',
      'Black-Litterman views, JSON: {"views": [{"AAPL": 0.10}, {"long": "AAPL", "short": "MSFT", "return": 0.02}], ' +
        '"confidences": [0.6, 0.3]} (annual returns), the same on every date',
    )
    .option(
      '--market-caps <file>',
      'market capitalisations of the Black-Litterman prior, CSV (ticker,market_cap) or JSON; static over the run',
    )
    .option('--tau <t>', `Black-Litterman tau (default ${DEFAULT_TAU})`, positiveNumber)
    .option(
      '--bl-delta <d>',
      `risk aversion delta of the market-implied prior (default ${DEFAULT_BL_DELTA})`,
      positiveNumber,
    )
    .option('--risk-model <model>', `covariance: ${RISK_MODELS.join(', ')}`, choiceOption(RISK_MODELS), 'sample')
    .option('--span <n>', 'span of the exponentially weighted estimators', integerOption(1), DEFAULT_SPAN)
    .option(
      '--risk-free <rate>',
      'annual risk-free rate of max-sharpe and the metrics (0.02 is 2%); default 0',
      finiteNumber,
    )
    .option('--risk-aversion <d>', 'delta of max-utility', positiveNumber, 1)
    .option('--target-volatility <v>', 'annual volatility target of efficient-risk (0.15 is 15%)', positiveNumber)
    .option(
      '--target-return <r>',
      'annual return target of efficient-return and efficient-cvar (0.1 is 10%)',
      finiteNumber,
    )
    .option('--confidence <beta>', 'confidence of min-cvar, efficient-cvar and min-cdar (default 0.95)', fraction)
    .option('--max-cvar <c>', 'CVaR cap of efficient-cvar, a per-period loss fraction (0.02 is 2%)', positiveNumber)
    .option(
      '--linkage <method>',
      'tree linkage of hrp (default single) and herc (default ward)',
      choiceOption(['single', 'complete', 'average', 'weighted', 'ward'] as const),
    )
    .option(
      '--bounds <lo,hi>',
      'bounds of every weight of the mean-variance and tail strategies and hrp (default 0,1)',
      boundsPair,
    )
    .option('--weights <file>', 'target weights of the fixed and buy-and-hold strategies: CSV (ticker,weight) or JSON')
    .option('--tickers <tickers...>', 'use only these tickers')
    .option('--start <date>', 'first price date to use, YYYY-MM-DD')
    .option('--end <date>', 'last price date to use, YYYY-MM-DD')
    .option('--cost-bps <c>', 'commission in basis points of the traded value (default 0)', nonNegativeNumber)
    .option('--fixed-fee <f>', 'fixed fee per trade, in capital units (default 0)', nonNegativeNumber)
    .option('--min-fee <m>', 'minimum commission per trade, in capital units (default 0)', nonNegativeNumber)
    .option('--slippage-bps <s>', 'slippage in basis points of the traded value (default 0)', nonNegativeNumber)
    .option('--volumes <file>', 'daily volumes in shares (same layout as the prices) for slippage by participation')
    .option(
      '--impact-bps <k>',
      'slippage in basis points at 100% participation in the volume (with --volumes)',
      nonNegativeNumber,
    )
    .option('--impact-exponent <a>', 'exponent of the participation (default 0.5)', nonNegativeNumber)
    .option(
      '--cash-rate <rate|file>',
      'interest on cash: an annual rate, or a CSV of annual rates by date (one column)',
    )
    .option(
      '--benchmark <ticker|file>',
      'benchmark: a ticker of the prices (left out of the strategies) or a price file / sample',
    )
    .option('--capital <x>', 'initial capital (default 1: the NAV is a growth factor)', positiveNumber)
    .option('--whole-shares', 'hold whole shares only, the rest in cash (needs --capital)')
    .option('--out <dir>', 'write nav.csv, weights-STRATEGY.csv and trades.csv to this folder')
    .action(
      action<BacktestFlags>(io, async (ctx, flags) => {
        const { prices, benchmark, source } = loadData(ctx, flags);
        checkTailFlags(flags);
        const bl = blackLittermanSettings(ctx, flags, prices);
        const strategies = flags.strategy.map((name) => makeStrategy(ctx, name, flags, bl));
        if (flags.wholeShares && flags.capital === undefined) {
          throw new ValidationError('--whole-shares needs --capital X (the initial capital in currency units)');
        }
        const options = backtestOptions(ctx, flags, prices);
        printInfo(
          ctx.term,
          `${source}: ${prices.columnCount} assets, ${prices.rowCount} dates from ${isoDate(prices.dates[0] as number)} ` +
            `to ${isoDate(prices.dates[prices.rowCount - 1] as number)}; ${flags.rebalance} rebalancing` +
            `${flags.drift === undefined ? '' : ` and drift ${flags.drift}`}, lookback ${flags.lookback} (${flags.window})`,
        );
        if (bl !== undefined) {
          const k = bl.views?.views.length ?? 0;
          printInfo(
            ctx.term,
            `Black-Litterman: market-implied prior (delta ${bl.riskAversion}, tau ${bl.tau}, static caps from ` +
              `${flags.marketCaps}) with ${k === 0 ? 'no views' : `${k} view${k === 1 ? '' : 's'} from ${flags.views}`}` +
              `, re-formed on each window's ${flags.riskModel} covariance for the mean-variance strategies`,
          );
        }
        const bar = progressBar(ctx.term);
        const result = await runBacktest(prices, strategies, {
          ...options,
          ...(benchmark === undefined ? {} : { benchmark }),
          ...(flags.riskFree === undefined ? {} : { riskFreeRate: flags.riskFree }),
          ...(bar === undefined ? {} : { onProgress: bar.update }),
        });
        bar?.done();
        for (const s of result.strategies) for (const w of s.warnings) printWarning(ctx.term, `${s.name}: ${w}`);
        if (flags.out !== undefined) writeOut(ctx.term, ctx.resolvePath(flags.out), result);
        const json =
          result.strategies.length === 1
            ? { ...strategyJson(result.strategies[0] as StrategyResult), ...commonJson(result, source) }
            : {
                strategies: Object.fromEntries(result.strategies.map((s) => [s.name, strategyJson(s)])),
                ...commonJson(result, source),
              };
        printResult(ctx.term, json, () => humanReport(result, ctx.term));
      }),
    );
}

/** Prices (tickers and dates chosen, the benchmark ticker left out) and the benchmark. */
function loadData(
  ctx: CommandContext,
  flags: BacktestFlags,
): { prices: DatedMatrix; benchmark: DatedMatrix | undefined; source: string } {
  const { source, load } = priceSource(ctx, flags);
  if (source === undefined) {
    throw new ValidationError(
      'no price data given: pass --prices FILE or --prices sample:NAME (see pfopt data samples)',
    );
  }
  const split = splitBenchmark(
    ctx,
    loadPrices(source, load).between(flags.start, flags.end),
    flags.benchmark,
    load,
    flags,
  );
  let prices = split.prices;
  const benchmark = split.benchmark;
  if (flags.tickers !== undefined) {
    prices = prices.selectTickers(flags.tickers.flatMap((t) => t.split(',')).filter((t) => t));
  }
  return { prices, benchmark, source: flags.prices ?? ctx.config.prices ?? source };
}

/**
 * The Black-Litterman settings of `--returns-model black-litterman` (undefined otherwise): the market caps (one for
 * every ticker of the prices) and the views (on tickers of the prices), read once and used on every date.
 */
function blackLittermanSettings(
  ctx: CommandContext,
  flags: BacktestFlags,
  prices: DatedMatrix,
): BacktestBlackLitterman | undefined {
  checkBlackLittermanFlags(flags.returnsModel, flags);
  if (flags.returnsModel !== BLACK_LITTERMAN) return undefined;
  if (flags.strategy.includes('efficient-cvar')) {
    throw new ValidationError(
      '--returns-model black-litterman applies to the mean-variance strategies; efficient-cvar takes its expected ' +
        'returns from an estimator (--returns-model mean, cagr, ...): run it in another backtest',
    );
  }
  const capsFile = flags.marketCaps as string;
  const marketCaps = readMarketCaps(ctx.resolvePath(capsFile));
  try {
    marketWeights(marketCaps, prices.tickers);
  } catch (error) {
    if (!(error instanceof PfoptError)) throw error;
    throw new DataError(`${capsFile}: ${error.message}`, { cause: error });
  }
  return {
    marketCaps,
    ...(flags.views === undefined ? {} : { views: readViews(ctx, flags.views, prices.tickers) }),
    tau: flags.tau ?? DEFAULT_TAU,
    riskAversion: flags.blDelta ?? DEFAULT_BL_DELTA,
    riskFreeRate: flags.riskFree ?? 0,
  };
}

function makeStrategy(
  ctx: CommandContext,
  name: StrategyName,
  flags: BacktestFlags,
  bl: BacktestBlackLitterman | undefined,
): Strategy {
  const weights = flags.weights === undefined ? undefined : readWeights(ctx.resolvePath(flags.weights));
  const constraints = {
    riskFreeRate: flags.riskFree ?? 0,
    ...(flags.bounds === undefined ? {} : { bounds: flags.bounds }),
  };
  const returnsModel = flags.returnsModel === BLACK_LITTERMAN ? undefined : flags.returnsModel;
  const common = {
    ...(returnsModel === undefined ? {} : { returnsModel }),
    riskModel: flags.riskModel,
    settings: { span: flags.span, riskFreeRate: flags.riskFree ?? 0 },
    constraints,
  };
  const withBl = bl === undefined ? {} : { blackLitterman: bl };
  switch (name) {
    case 'equal-weight':
      return equalWeightStrategy();
    case 'buy-and-hold':
      return buyAndHoldStrategy(weights);
    case 'fixed':
      if (weights === undefined) throw new ValidationError('--strategy fixed needs --weights FILE (ticker,weight)');
      return fixedWeightsStrategy(weights, 'fixed');
    case 'min-volatility':
    case 'max-sharpe':
      return optimizerStrategy({ ...common, ...withBl, objective: name });
    case 'max-utility':
      return optimizerStrategy({
        ...common,
        ...withBl,
        objective: { kind: 'max-utility', riskAversion: flags.riskAversion },
        name,
      });
    case 'efficient-risk':
      if (flags.targetVolatility === undefined) {
        throw new ValidationError('--strategy efficient-risk needs --target-volatility V (annual, 0.15 is 15%)');
      }
      return optimizerStrategy({
        ...common,
        ...withBl,
        objective: { kind: 'efficient-risk', targetVolatility: flags.targetVolatility },
        name,
      });
    case 'efficient-return':
      if (flags.targetReturn === undefined) {
        throw new ValidationError('--strategy efficient-return needs --target-return R (annual, 0.1 is 10%)');
      }
      return optimizerStrategy({
        ...common,
        ...withBl,
        objective: { kind: 'efficient-return', targetReturn: flags.targetReturn },
        name,
      });
    case 'min-cvar':
    case 'efficient-cvar':
    case 'min-cdar':
    case 'min-mad':
    case 'min-semivariance':
      return tailStrategy({
        objective: tailObjective(name, flags),
        ...(returnsModel === undefined ? {} : { returnsModel }),
        settings: common.settings,
        constraints,
        name,
      });
    default:
      return optimizerStrategy({
        ...common,
        objective: name,
        ...(flags.linkage === undefined ? {} : { linkage: flags.linkage }),
      });
  }
}

/** The tail strategies, and the ones that read --confidence. */
const TAIL_STRATEGIES = ['min-cvar', 'efficient-cvar', 'min-cdar', 'min-mad', 'min-semivariance'] as const;
const CONFIDENCE_USERS = ['min-cvar', 'efficient-cvar', 'min-cdar'] as const;

/** Throws ValidationError when --confidence or --max-cvar is given without a strategy that reads it. */
function checkTailFlags(flags: BacktestFlags): void {
  const has = (names: readonly string[]) => flags.strategy.some((s) => names.includes(s));
  if (flags.confidence !== undefined && !has(CONFIDENCE_USERS)) {
    throw new ValidationError(`--confidence applies to --strategy ${CONFIDENCE_USERS.join(', ')}`);
  }
  if (flags.maxCvar !== undefined && !has(['efficient-cvar'])) {
    throw new ValidationError('--max-cvar applies to --strategy efficient-cvar');
  }
}

/** The tail objective of a strategy name: --confidence for CVaR and CDaR; efficient-cvar's cap or return target. */
function tailObjective(name: (typeof TAIL_STRATEGIES)[number], flags: BacktestFlags): TailObjective {
  const confidence = flags.confidence === undefined ? {} : { confidence: flags.confidence };
  switch (name) {
    case 'min-cvar':
    case 'min-cdar':
      return { kind: name, ...confidence };
    case 'min-mad':
    case 'min-semivariance':
      return { kind: name };
    case 'efficient-cvar':
      // With both flags, --target-return is efficient-return's (when that strategy runs too).
      if (
        (flags.maxCvar === undefined && flags.targetReturn === undefined) ||
        (flags.maxCvar !== undefined &&
          flags.targetReturn !== undefined &&
          !flags.strategy.includes('efficient-return'))
      ) {
        throw new ValidationError(
          '--strategy efficient-cvar needs exactly one of --max-cvar C (maximise the return with CVaR at most C per ' +
            'period) and --target-return R (minimise CVaR with an annual return of at least R)',
        );
      }
      return flags.maxCvar === undefined
        ? { kind: 'efficient-cvar', ...confidence, targetReturn: flags.targetReturn as number }
        : { kind: 'efficient-cvar', ...confidence, maxCvar: flags.maxCvar };
  }
}

/** A number strictly between 0 and 1. */
function fraction(value: string): number {
  const x = positiveNumber(value);
  if (!(x < 1)) throw new InvalidArgumentError('expected a fraction strictly between 0 and 1 (0.95 is 95%).');
  return x;
}

function backtestOptions(ctx: CommandContext, flags: BacktestFlags, prices: DatedMatrix): BacktestOptions {
  let volumeSlippage: NonNullable<BacktestOptions['costs']>['volumeSlippage'];
  if (flags.volumes !== undefined) {
    if (flags.impactBps === undefined)
      throw new ValidationError('--volumes needs --impact-bps K (slippage at 100% participation)');
    const { load } = priceSource(ctx, flags);
    const volumes = loadPrices(ctx.resolvePath(flags.volumes), { ...load, label: flags.volumes });
    volumeSlippage = {
      volumes,
      coefficientBps: flags.impactBps,
      ...(flags.impactExponent === undefined ? {} : { exponent: flags.impactExponent }),
    };
  } else if (flags.impactBps !== undefined || flags.impactExponent !== undefined) {
    throw new ValidationError('--impact-bps and --impact-exponent need --volumes FILE');
  }
  let cashRate: number | DatedMatrix | undefined;
  if (flags.cashRate !== undefined) {
    const x = Number(flags.cashRate);
    if (flags.cashRate.trim() !== '' && Number.isFinite(x)) cashRate = x;
    else {
      // Rates may be zero or negative: read the file as a plain dated matrix, without the price checks.
      const { load } = priceSource(ctx, flags);
      const { label: _label, ...csv } = load;
      cashRate = readCsvMatrix(ctx.resolvePath(flags.cashRate), { ...csv, file: flags.cashRate });
      if (cashRate.columnCount !== 1) {
        throw new DataError(
          `--cash-rate ${flags.cashRate} has ${cashRate.columnCount} columns; give one column of annual rates`,
        );
      }
    }
  }
  return {
    rebalance: flags.rebalance,
    lookback: flags.lookback,
    window: flags.window,
    execution: flags.execution,
    ...(flags.drift === undefined ? {} : { driftThreshold: flags.drift }),
    costs: {
      costBps: flags.costBps ?? 0,
      fixedFee: flags.fixedFee ?? 0,
      minimumFee: flags.minFee ?? 0,
      slippageBps: flags.slippageBps ?? 0,
      ...(volumeSlippage === undefined ? {} : { volumeSlippage }),
    },
    ...(flags.capital === undefined ? {} : { capital: flags.capital }),
    ...(flags.wholeShares ? { wholeShares: true } : {}),
    ...(cashRate === undefined ? {} : { cashRate }),
    periodsPerYear: prices.periodsPerYear,
  };
}

/** A progress bar on stderr for a terminal (none with --json, --quiet or when stderr is not a terminal). */
function progressBar(term: Terminal): { update: (done: number, total: number) => void; done: () => void } | undefined {
  if (term.json || term.quiet || term.stderr.isTTY !== true) return undefined;
  let shown = -1;
  return {
    update(done, total) {
      const pct = Math.floor((100 * done) / total);
      if (pct === shown) return;
      shown = pct;
      const width = 30;
      const filled = Math.round((width * done) / total);
      term.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(pct).padStart(3)}% backtest`);
    },
    done() {
      if (shown >= 0) term.stderr.write('\n');
    },
  };
}

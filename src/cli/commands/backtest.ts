/**
 * `pfopt backtest`: walk-forward simulation of one or several strategies on a price file, compared with a benchmark.
 */

import { type Command, InvalidArgumentError } from 'commander';
import { runBacktest, type StrategyResult } from '../../backtest/backtest.js';
import type { BacktestOptions } from '../../backtest/engine.js';
import { ALLOCATION_RULES, optimizerStrategy } from '../../backtest/optimizer-strategy.js';
import { REBALANCE_FREQUENCIES, type RebalanceFrequency } from '../../backtest/schedule.js';
import {
  buyAndHoldStrategy,
  equalWeightStrategy,
  fixedWeightsStrategy,
  type Strategy,
} from '../../backtest/strategy.js';
import type { DatedMatrix } from '../../core/dated-matrix.js';
import { isoDate } from '../../core/dates.js';
import { DataError, ValidationError } from '../../core/errors.js';
import { readCsvMatrix } from '../../data/csv/index.js';
import { readWeights } from '../../data/keyed-files.js';
import { loadPrices } from '../../data/load-prices.js';
import { DEFAULT_SPAN, RETURNS_MODELS, type ReturnsModel, RISK_MODELS, type RiskModel } from '../../estimate/models.js';
import type { LinkageMethod } from '../../optimize/allocators.js';
import { commonJson, humanReport, strategyJson, writeOut } from '../backtest-report.js';
import { splitBenchmark } from '../benchmark-input.js';
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
] as const;
type StrategyName = (typeof BACKTEST_STRATEGIES)[number];

interface BacktestFlags extends PriceOptions {
  strategy: StrategyName[];
  returnsModel: ReturnsModel;
  riskModel: RiskModel;
  span: number;
  riskFree?: number;
  riskAversion: number;
  targetVolatility?: number;
  targetReturn?: number;
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
      `expected returns: ${RETURNS_MODELS.join(', ')}`,
      choiceOption(RETURNS_MODELS),
      'cagr',
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
    .option('--target-return <r>', 'annual return target of efficient-return (0.1 is 10%)', finiteNumber)
    .option(
      '--linkage <method>',
      'tree linkage of hrp (default single) and herc (default ward)',
      choiceOption(['single', 'complete', 'average', 'weighted', 'ward'] as const),
    )
    .option(
      '--bounds <lo,hi>',
      'bounds of every weight of the mean-variance strategies and hrp (default 0,1)',
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
        const strategies = flags.strategy.map((name) => makeStrategy(ctx, name, flags));
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

function makeStrategy(ctx: CommandContext, name: StrategyName, flags: BacktestFlags): Strategy {
  const weights = flags.weights === undefined ? undefined : readWeights(ctx.resolvePath(flags.weights));
  const constraints = {
    riskFreeRate: flags.riskFree ?? 0,
    ...(flags.bounds === undefined ? {} : { bounds: flags.bounds }),
  };
  const common = {
    returnsModel: flags.returnsModel,
    riskModel: flags.riskModel,
    settings: { span: flags.span, riskFreeRate: flags.riskFree ?? 0 },
    constraints,
  };
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
      return optimizerStrategy({ ...common, objective: name });
    case 'max-utility':
      return optimizerStrategy({
        ...common,
        objective: { kind: 'max-utility', riskAversion: flags.riskAversion },
        name,
      });
    case 'efficient-risk':
      if (flags.targetVolatility === undefined) {
        throw new ValidationError('--strategy efficient-risk needs --target-volatility V (annual, 0.15 is 15%)');
      }
      return optimizerStrategy({
        ...common,
        objective: { kind: 'efficient-risk', targetVolatility: flags.targetVolatility },
        name,
      });
    case 'efficient-return':
      if (flags.targetReturn === undefined) {
        throw new ValidationError('--strategy efficient-return needs --target-return R (annual, 0.1 is 10%)');
      }
      return optimizerStrategy({
        ...common,
        objective: { kind: 'efficient-return', targetReturn: flags.targetReturn },
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

/**
 * The tail and downside objectives of `pfopt optimize`: min-cvar, efficient-cvar, min-cdar, min-semivariance and
 * min-mad, on the historical scenarios of the price data (the simple returns of consecutive price rows on the dates
 * where every asset has one, each equally likely). They read the same data, estimator and constraint flags as the
 * mean-variance objectives: the returns model gives the expected returns (targets and the reported return), the risk
 * model the covariance (the reported volatility and Sharpe ratio); bounds, market neutrality and sector limits apply.
 * Their own flags: --confidence, --max-cvar, --semivariance-benchmark, --max-assets, --min-position, --time-limit.
 */

import { type Command, InvalidArgumentError } from 'commander';
import { isoDate } from '../core/dates.js';
import { ValidationError } from '../core/errors.js';
import { historicalScenarios } from '../estimate/scenarios.js';
import { optimizeTail } from '../optimize/tail/optimize.js';
import type { TailObjective, TailProblem, TailResult } from '../optimize/tail/types.js';
import type { CommandContext } from './context.js';
import { describeEstimation, estimateProblem, type MeanVarianceFlags } from './mean-variance-options.js';
import { finiteNumber, integerOption, nonNegativeNumber, positiveNumber } from './options.js';
import { type Colors, printInfo, printResult, printWarning } from './terminal.js';
import { percent, weightsTable } from './weights-table.js';

/** Objective names handled here. */
export const TAIL_OBJECTIVES = ['min-cvar', 'efficient-cvar', 'min-cdar', 'min-semivariance', 'min-mad'] as const;
export type TailObjectiveName = (typeof TAIL_OBJECTIVES)[number];

/** The flags these objectives read (beyond the shared data, estimator and constraint flags). */
export interface TailFlags {
  targetReturn?: number;
  confidence?: number;
  maxCvar?: number;
  semivarianceBenchmark?: number;
  maxAssets?: number;
  minPosition?: number;
  timeLimit?: number;
}

/** Seconds allowed to the mixed-integer search of the cardinality limits unless --time-limit says otherwise. */
const DEFAULT_TIME_LIMIT = 60;

const TITLES: Record<TailObjectiveName, string> = {
  'min-cvar': 'Minimum CVaR',
  'efficient-cvar': 'Efficient CVaR',
  'min-cdar': 'Minimum CDaR',
  'min-semivariance': 'Minimum semivariance',
  'min-mad': 'Minimum mean absolute deviation',
};

/** True when `name` is one of the tail objectives. */
export function isTailObjective(name: string): name is TailObjectiveName {
  return (TAIL_OBJECTIVES as readonly string[]).includes(name);
}

/** Adds the tail objectives' own options to `optimize`. */
export function addTailOptions(cmd: Command): Command {
  return cmd
    .option('--confidence <beta>', 'confidence of min-cvar, efficient-cvar and min-cdar (default 0.95)', fraction)
    .option('--max-cvar <c>', 'CVaR cap of efficient-cvar, a per-period loss fraction (0.02 is 2%)', positiveNumber)
    .option(
      '--semivariance-benchmark <b>',
      'return per period below which min-semivariance counts a shortfall (default 0)',
      finiteNumber,
    )
    .option(
      '--max-assets <k>',
      'cardinality of min-cvar, efficient-cvar, min-cdar, min-mad: at most k assets held',
      integerOption(1),
    )
    .option('--min-position <x>', 'cardinality: a held asset weighs at least x (0.02 is 2%)', nonNegativeNumber)
    .option(
      '--time-limit <s>',
      `seconds allowed to the mixed-integer search of the cardinality limits (default ${DEFAULT_TIME_LIMIT})`,
      positiveNumber,
    );
}

/** The tail flags, and the objectives that read each. */
const OWN_FLAGS: readonly [keyof TailFlags, string, readonly TailObjectiveName[]][] = [
  ['confidence', '--confidence', ['min-cvar', 'efficient-cvar', 'min-cdar']],
  ['maxCvar', '--max-cvar', ['efficient-cvar']],
  ['semivarianceBenchmark', '--semivariance-benchmark', ['min-semivariance']],
  ['maxAssets', '--max-assets', ['min-cvar', 'efficient-cvar', 'min-cdar', 'min-mad']],
  ['minPosition', '--min-position', ['min-cvar', 'efficient-cvar', 'min-cdar', 'min-mad']],
  ['timeLimit', '--time-limit', ['min-cvar', 'efficient-cvar', 'min-cdar', 'min-mad']],
];

/** Mean-variance flags these objectives cannot honour. */
const UNSUPPORTED: readonly [keyof MeanVarianceFlags, string][] = [
  ['maxLeverage', '--max-leverage'],
  ['currentWeights', '--current-weights'],
  ['maxTurnover', '--max-turnover'],
  ['transactionCost', '--transaction-cost'],
  ['maxVolatility', '--max-volatility'],
  ['l2', '--l2'],
];

/** Throws ValidationError when a tail flag is given to an objective (of any kind) that does not read it. */
export function rejectTailFlags(objective: string, flags: TailFlags): void {
  for (const [key, flag, users] of OWN_FLAGS) {
    if (flags[key] !== undefined && !(users as readonly string[]).includes(objective)) {
      throw new ValidationError(`${flag} applies to --objective ${users.join(', ')}, not ${objective}`);
    }
  }
}

/** The library objective of the flags; ValidationError when a needed flag is missing or two exclude each other. */
function objectiveOf(name: TailObjectiveName, flags: TailFlags): TailObjective {
  const confidence = flags.confidence === undefined ? {} : { confidence: flags.confidence };
  const target = flags.targetReturn === undefined ? {} : { targetReturn: flags.targetReturn };
  switch (name) {
    case 'min-cvar':
      return { kind: 'min-cvar', ...confidence, ...target };
    case 'efficient-cvar':
      if ((flags.maxCvar === undefined) === (flags.targetReturn === undefined)) {
        throw new ValidationError(
          '--objective efficient-cvar needs exactly one of --max-cvar C (maximise the return with CVaR at most C per ' +
            'period) and --target-return R (minimise CVaR with an annual return of at least R)',
        );
      }
      return flags.maxCvar === undefined
        ? { kind: 'efficient-cvar', ...confidence, ...target }
        : { kind: 'efficient-cvar', ...confidence, maxCvar: flags.maxCvar };
    case 'min-cdar':
      return { kind: 'min-cdar', ...confidence, ...target };
    case 'min-mad':
      return { kind: 'min-mad', ...target };
    case 'min-semivariance':
      return {
        kind: 'min-semivariance',
        ...target,
        ...(flags.semivarianceBenchmark === undefined ? {} : { benchmark: flags.semivarianceBenchmark }),
      };
  }
}

/** Runs a tail objective and prints its result (JSON or a table). */
export async function runTailObjective(
  ctx: CommandContext,
  name: TailObjectiveName,
  flags: MeanVarianceFlags & TailFlags,
): Promise<void> {
  rejectTailFlags(name, flags);
  for (const [key, flag] of UNSUPPORTED) {
    if (flags[key] !== undefined) {
      throw new ValidationError(
        `${flag} is not supported by --objective ${name}; the tail objectives take --bounds, --market-neutral, ` +
          '--sectors/--sector-bounds, --target-return and the cardinality limits --max-assets/--min-position',
      );
    }
  }
  const solver = name === 'min-semivariance' ? 'active-set' : 'highs';
  if (flags.solver !== 'auto' && flags.solver !== solver) {
    throw new ValidationError(`--objective ${name} is solved by ${solver}; --solver ${flags.solver} does not apply`);
  }
  const objective = objectiveOf(name, flags);
  const estimated = estimateProblem(ctx, flags);
  const scenarios = historicalScenarios(estimated.prices);
  for (const w of [...estimated.warnings, ...scenarios.warnings]) printWarning(ctx.term, w);
  printInfo(ctx.term, describeEstimation(estimated, flags.riskFree));
  const p = estimated.problem;
  const cardinality =
    flags.maxAssets === undefined && flags.minPosition === undefined
      ? {}
      : {
          cardinality: {
            ...(flags.maxAssets === undefined ? {} : { maxAssets: flags.maxAssets }),
            ...(flags.minPosition === undefined ? {} : { minPosition: flags.minPosition }),
          },
        };
  const problem: TailProblem = {
    scenarios,
    expectedReturns: p.expectedReturns,
    covariance: p.covariance,
    riskFreeRate: p.riskFreeRate ?? 0,
    ...(p.bounds === undefined ? {} : { bounds: p.bounds }),
    ...(p.marketNeutral ? { marketNeutral: true } : {}),
    ...(p.sectors === undefined ? {} : { sectors: p.sectors }),
    ...cardinality,
  };
  const timeLimit = flags.timeLimit ?? (problem.cardinality ? DEFAULT_TIME_LIMIT : undefined);
  const result = await optimizeTail(problem, objective, timeLimit === undefined ? {} : { timeLimit });
  for (const note of result.notes) printWarning(ctx.term, note);
  const dates = scenarios.returns.dates;
  const json = {
    weights: byTicker(result.tickers, result.weights),
    performance: {
      expectedReturn: result.expectedReturn,
      volatility: result.volatility ?? null,
      sharpe: result.sharpe ?? null,
      sortino: result.sortino,
    },
    objective: result.objective,
    objectiveValue: result.objectiveValue,
    confidence: result.measures.confidence,
    var: result.measures.valueAtRisk,
    cvar: result.measures.cvar,
    dar: result.measures.drawdownAtRisk,
    cdar: result.measures.cdar,
    maxDrawdown: result.measures.maxDrawdown,
    mad: result.measures.mad,
    semivarianceBenchmark: result.measures.benchmark,
    semivariance: result.measures.semivariance,
    semideviation: result.measures.semideviation,
    heldAssets: result.heldAssets,
    scenarios: {
      count: scenarios.count,
      first: isoDate(dates[0] as number),
      last: isoDate(dates[dates.length - 1] as number),
      droppedDates: scenarios.droppedDates,
    },
    riskFreeRate: result.riskFreeRate,
    returnsModel: estimated.returnsModel,
    riskModel: estimated.riskModel,
    ...(estimated.benchmark === undefined ? {} : { benchmark: estimated.benchmark }),
    periodsPerYear: result.periodsPerYear,
    source: estimated.source,
    start: estimated.prices.isoDates()[0],
    end: estimated.prices.isoDates()[estimated.prices.rowCount - 1],
    solver: result.solver,
    iterations: result.iterations,
    optimal: result.optimal,
    ...(result.mipGap === undefined ? {} : { mipGap: result.mipGap }),
    warnings: [...estimated.warnings, ...scenarios.warnings],
    notes: result.notes,
  };
  printResult(ctx.term, json, () => formatTail(TITLES[name], result, ctx.term.colors));
}

/** The human text: non-zero weights, largest first, then the performance and the tail measures. */
function formatTail(title: string, r: TailResult, colors: Colors): string {
  const table = weightsTable(r.tickers, r.weights, colors);
  const m = r.measures;
  const level = `${Number((m.confidence * 100).toPrecision(10))}%`;
  const line = (label: string, value: string): string => `${label.padEnd(26)}${value}`;
  const lines = [colors.bold(title), '', table, '', line('expected annual return', percent(r.expectedReturn))];
  if (r.volatility !== undefined) lines.push(line('annual volatility', percent(r.volatility)));
  if (r.sharpe !== undefined) {
    lines.push(line('Sharpe ratio', `${r.sharpe.toFixed(3)} (risk-free rate ${r.riskFreeRate})`));
  }
  lines.push(
    line(`VaR ${level} per period`, percent(m.valueAtRisk)),
    line(`CVaR ${level} per period`, percent(m.cvar)),
    line(`CDaR ${level}`, `${percent(m.cdar)} (uncompounded; maximum drawdown ${percent(m.maxDrawdown)})`),
    line('MAD per period', percent(m.mad)),
    line('annual semideviation', `${percent(m.semideviation)} (below ${m.benchmark} per period)`),
    line('scenarios', String(r.scenarioCount)),
  );
  return lines.join('\n');
}

function byTicker(tickers: readonly string[], values: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(tickers.map((t, i) => [t, values[i] as number]));
}

/** A number strictly between 0 and 1. */
function fraction(value: string): number {
  const x = positiveNumber(value);
  if (!(x < 1)) throw new InvalidArgumentError('expected a fraction strictly between 0 and 1 (0.95 is 95%).');
  return x;
}

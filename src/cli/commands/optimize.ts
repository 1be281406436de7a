/**
 * `pfopt optimize` and `pfopt frontier`: mean-variance portfolios from prices.
 */

import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { readMarketCaps, readRiskBudgets } from '../../data/keyed-files.js';
import type { AllocationResult } from '../../optimize/allocation-result.js';
import { efficientFrontier } from '../../optimize/frontier.js';
import { type Objective, optimize, type PortfolioResult } from '../../optimize/mean-variance.js';
import {
  ALLOCATOR_OBJECTIVES,
  ALLOCATOR_TITLES,
  type AllocatorFlags,
  type AllocatorObjective,
  checkAllocatorFlags,
  runAllocator,
} from '../allocator-objectives.js';
import { BLACK_LITTERMAN } from '../black-litterman-options.js';
import { action, type CliIO } from '../context.js';
import {
  addMeanVarianceOptions,
  describeEstimation,
  type EstimatedProblem,
  estimateProblem,
  type MeanVarianceFlags,
} from '../mean-variance-options.js';
import { choiceOption, finiteNumber, integerOption, positiveNumber } from '../options.js';
import { renderTable } from '../table.js';
import {
  addTailOptions,
  isTailObjective,
  rejectTailFlags,
  runTailObjective,
  TAIL_OBJECTIVES,
  type TailFlags,
} from '../tail-objectives.js';
import { type Colors, printInfo, printResult, printWarning } from '../terminal.js';
import { percent, weightsTable } from '../weights-table.js';

const MEAN_VARIANCE_OBJECTIVES = [
  'min-volatility',
  'max-sharpe',
  'max-utility',
  'efficient-risk',
  'efficient-return',
] as const;
type MeanVarianceObjective = (typeof MEAN_VARIANCE_OBJECTIVES)[number];
const OBJECTIVES = [...MEAN_VARIANCE_OBJECTIVES, ...ALLOCATOR_OBJECTIVES, ...TAIL_OBJECTIVES] as const;
type ObjectiveName = (typeof OBJECTIVES)[number];

interface OptimizeFlags extends MeanVarianceFlags, AllocatorFlags, TailFlags {
  riskBudgets?: string;
  objective: ObjectiveName;
  targetVolatility?: number;
  targetReturn?: number;
  riskAversion: number;
}

interface FrontierFlags extends MeanVarianceFlags {
  points: number;
  out?: string;
}

const TITLES: Record<MeanVarianceObjective, string> = {
  'min-volatility': 'Minimum volatility',
  'max-sharpe': 'Maximum Sharpe ratio',
  'max-utility': 'Maximum quadratic utility',
  'efficient-risk': 'Maximum return at the target volatility',
  'efficient-return': 'Minimum volatility at the target return',
};

/** Registers `optimize` and `frontier`. */
export function registerOptimizeCommands(program: Command, io: CliIO): void {
  addTailOptions(
    addMeanVarianceOptions(
      program
        .command('optimize')
        .description(
          'optimal weights: mean-variance (minimum volatility, maximum Sharpe, utility, efficient risk or return), ' +
            'risk parity, hierarchical risk parity, HERC, equal weight, inverse volatility, inverse variance, ' +
            'market-cap weight, or tail risk (minimum CVaR, efficient CVaR, minimum CDaR, semivariance or mean ' +
            'absolute deviation)',
        )
        .requiredOption('--objective <name>', OBJECTIVES.join(', '), objectiveOption),
    ),
  )
    .option('--target-volatility <v>', 'annual volatility target of efficient-risk (0.15 is 15%)', positiveNumber)
    .option(
      '--target-return <r>',
      'annual return target of efficient-return and the tail objectives (0.1 is 10%)',
      finiteNumber,
    )
    .option('--risk-aversion <d>', "delta of max-utility: maximise mu'w - delta/2 w'Sw", positiveNumber, 1)
    .option('--linkage <method>', 'tree linkage of hrp (default single) and herc (default ward)', linkageOption)
    .option('--clusters <k>', 'number of clusters of herc (default: chosen by the gap statistic)', integerOption(1))
    .option('--risk-budgets <file>', 'risk budgets of risk-parity by ticker: CSV (ticker,budget) or JSON')
    .action(
      action<OptimizeFlags>(io, async (ctx, flags) => {
        if (isTailObjective(flags.objective)) {
          await runTailObjective(ctx, flags.objective, flags);
          return;
        }
        rejectTailFlags(flags.objective, flags);
        if (isAllocator(flags.objective)) {
          const name = flags.objective;
          const budgets =
            flags.riskBudgets === undefined ? undefined : readRiskBudgets(ctx.resolvePath(flags.riskBudgets));
          // --market-caps feeds the market-cap rule here, and the Black-Litterman prior only with that returns model.
          const caps =
            name === 'market-cap' && flags.marketCaps !== undefined
              ? readMarketCaps(ctx.resolvePath(flags.marketCaps))
              : undefined;
          const allocatorFlags = {
            ...flags,
            ...(budgets === undefined ? {} : { budgets }),
            ...(caps === undefined ? {} : { caps }),
          };
          checkAllocatorFlags(name, allocatorFlags);
          const { marketCaps: _capsFile, ...withoutCaps } = flags;
          const estimated = estimateProblem(
            ctx,
            caps === undefined || flags.returnsModel === BLACK_LITTERMAN ? flags : withoutCaps,
          );
          for (const w of estimated.warnings) printWarning(ctx.term, w);
          printInfo(ctx.term, describeEstimation(estimated, flags.riskFree));
          const { result, extra } = runAllocator(name, estimated, allocatorFlags);
          for (const note of result.notes) printWarning(ctx.term, note);
          printResult(ctx.term, { ...allocationJson(result, estimated), ...extra }, () =>
            formatAllocation(ALLOCATOR_TITLES[name], result, ctx.term.colors),
          );
          return;
        }
        const name = flags.objective;
        for (const [value, flag] of [
          [flags.linkage, '--linkage'],
          [flags.clusters, '--clusters'],
          [flags.riskBudgets, '--risk-budgets'],
        ] as const) {
          if (value !== undefined) throw new ValidationError(`${flag} does not apply to --objective ${name}`);
        }
        const objective = objectiveOf(flags);
        const estimated = estimateProblem(ctx, flags);
        for (const w of estimated.warnings) printWarning(ctx.term, w);
        printInfo(ctx.term, describeEstimation(estimated, flags.riskFree));
        const result = await optimize(estimated.problem, objective, { solver: flags.solver });
        for (const note of result.notes) printWarning(ctx.term, note);
        printResult(ctx.term, portfolioJson(result, estimated), () =>
          formatPortfolio(TITLES[name], result, ctx.term.colors),
        );
      }),
    );

  addMeanVarianceOptions(
    program
      .command('frontier')
      .description(
        'the efficient frontier: K portfolios from minimum volatility to maximum return, with the tangency portfolio',
      )
      .option('--points <k>', 'number of frontier points', integerOption(2, 10_000), 50)
      .option('--out <file>', 'write the frontier as CSV: return, volatility, Sharpe and the weights of each point'),
  ).action(
    action<FrontierFlags>(io, async (ctx, flags) => {
      const estimated = estimateProblem(ctx, flags);
      for (const w of estimated.warnings) printWarning(ctx.term, w);
      printInfo(ctx.term, describeEstimation(estimated, flags.riskFree));
      const f = await efficientFrontier(estimated.problem, { points: flags.points, solver: flags.solver });
      for (const note of f.notes) printWarning(ctx.term, note);
      const points = Array.from(f.returns, (r, k) => ({
        expectedReturn: r,
        volatility: f.volatilities[k] as number,
        sharpe: f.sharpes[k] as number,
        weights: byTicker(f.tickers, f.weights[k] as Float64Array),
      }));
      if (flags.out !== undefined) {
        const out = ctx.resolvePath(flags.out);
        const header = ['expected_return', 'volatility', 'sharpe', ...f.tickers].map(csvField).join(',');
        const lines = points.map((p, k) =>
          [p.expectedReturn, p.volatility, p.sharpe, ...(f.weights[k] as Float64Array)].map(String).join(','),
        );
        writeFileSync(out, `${header}\n${lines.join('\n')}\n`);
        printInfo(ctx.term, `Wrote ${points.length} frontier points to ${out}`);
      }
      const json = {
        tickers: f.tickers,
        points,
        minVolatility: portfolioJson(f.minVolatility, estimated),
        maxSharpe: f.maxSharpe === undefined ? null : portfolioJson(f.maxSharpe, estimated),
        maxReturn: f.maxReturn,
        solver: f.solver,
      };
      printResult(ctx.term, json, () => {
        const table = renderTable(
          [
            { header: 'point', align: 'right' },
            { header: 'return', align: 'right' },
            { header: 'volatility', align: 'right' },
            { header: 'Sharpe', align: 'right' },
          ],
          points.map((p, k) => [String(k + 1), percent(p.expectedReturn), percent(p.volatility), p.sharpe.toFixed(3)]),
          ctx.term.colors,
        );
        const tangency =
          f.maxSharpe === undefined
            ? 'no portfolio beats the risk-free rate: there is no tangency portfolio'
            : `tangency (maximum Sharpe): return ${percent(f.maxSharpe.expectedReturn)}, volatility ${percent(f.maxSharpe.volatility)}, Sharpe ${f.maxSharpe.sharpe.toFixed(3)}`;
        return [
          table,
          '',
          `minimum volatility: return ${percent(f.minVolatility.expectedReturn)}, volatility ${percent(f.minVolatility.volatility)}`,
          tangency,
        ].join('\n');
      });
    }),
  );
}

function isAllocator(name: ObjectiveName): name is AllocatorObjective {
  return (ALLOCATOR_OBJECTIVES as readonly string[]).includes(name);
}

function objectiveOf(flags: OptimizeFlags): Objective {
  switch (flags.objective as MeanVarianceObjective) {
    case 'min-volatility':
    case 'max-sharpe':
      return { kind: flags.objective as 'min-volatility' | 'max-sharpe' };
    case 'max-utility':
      return { kind: 'max-utility', riskAversion: flags.riskAversion };
    case 'efficient-risk':
      if (flags.targetVolatility === undefined) {
        throw new ValidationError('--objective efficient-risk needs --target-volatility V (annual, 0.15 is 15%)');
      }
      return { kind: 'efficient-risk', targetVolatility: flags.targetVolatility };
    case 'efficient-return':
      if (flags.targetReturn === undefined) {
        throw new ValidationError('--objective efficient-return needs --target-return R (annual, 0.1 is 10%)');
      }
      return { kind: 'efficient-return', targetReturn: flags.targetReturn };
  }
}

/** The JSON of one portfolio: weights by ticker (every ticker), performance, and how it was obtained. */
function portfolioJson(r: PortfolioResult, e: EstimatedProblem) {
  return {
    weights: byTicker(r.tickers, r.weights),
    performance: { expectedReturn: r.expectedReturn, volatility: r.volatility, sharpe: r.sharpe },
    objective: r.objective,
    objectiveValue: r.objectiveValue,
    riskFreeRate: r.riskFreeRate,
    returnsModel: e.returnsModel,
    riskModel: e.riskModel,
    ...(e.benchmark === undefined ? {} : { benchmark: e.benchmark }),
    ...(e.blackLitterman === undefined ? {} : { blackLitterman: e.blackLitterman }),
    periodsPerYear: e.prices.periodsPerYear,
    source: e.source,
    start: e.prices.isoDates()[0],
    end: e.prices.isoDates()[e.prices.rowCount - 1],
    turnover: r.turnover,
    solver: r.solver,
    iterations: r.iterations,
    warnings: e.warnings,
    notes: r.notes,
  };
}

/** The JSON of an allocation rule's result, in the same shape as a mean-variance portfolio's. */
function allocationJson(r: AllocationResult, e: EstimatedProblem) {
  return {
    weights: byTicker(r.tickers, r.weights),
    performance: {
      expectedReturn: r.expectedReturn ?? null,
      volatility: r.volatility ?? null,
      sharpe: r.sharpe ?? null,
    },
    objective: r.method,
    riskFreeRate: r.riskFreeRate,
    ...(r.riskContributions === undefined
      ? {}
      : { riskContributions: byTicker(r.tickers, r.riskContributions.relative) }),
    returnsModel: e.returnsModel,
    riskModel: e.riskModel,
    ...(e.blackLitterman === undefined ? {} : { blackLitterman: e.blackLitterman }),
    periodsPerYear: e.prices.periodsPerYear,
    source: e.source,
    start: e.prices.isoDates()[0],
    end: e.prices.isoDates()[e.prices.rowCount - 1],
    warnings: e.warnings,
    notes: r.notes,
  };
}

/** The human text of an allocation: weights with each asset's share of the risk, then the performance. */
function formatAllocation(title: string, r: AllocationResult, colors: Colors): string {
  const rc = r.riskContributions?.relative;
  const table = weightsTable(
    r.tickers,
    r.weights,
    colors,
    rc === undefined ? [] : [{ header: 'risk share', values: rc }],
  );
  const lines = [colors.bold(title), '', table, ''];
  if (r.expectedReturn !== undefined) lines.push(`expected annual return  ${percent(r.expectedReturn)}`);
  if (r.volatility !== undefined) lines.push(`annual volatility       ${percent(r.volatility)}`);
  if (r.sharpe !== undefined)
    lines.push(`Sharpe ratio            ${r.sharpe.toFixed(3)} (risk-free rate ${r.riskFreeRate})`);
  return lines.join('\n');
}

function byTicker(tickers: readonly string[], weights: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(tickers.map((t, i) => [t, weights[i] as number]));
}

/** The human text of one portfolio: non-zero weights, largest first, then its performance. */
function formatPortfolio(title: string, r: PortfolioResult, colors: Colors): string {
  const table = weightsTable(r.tickers, r.weights, colors);
  return [
    colors.bold(title),
    '',
    table,
    '',
    `expected annual return  ${percent(r.expectedReturn)}`,
    `annual volatility       ${percent(r.volatility)}`,
    `Sharpe ratio            ${r.sharpe.toFixed(3)} (risk-free rate ${r.riskFreeRate})`,
  ].join('\n');
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const objectiveOption = choiceOption(OBJECTIVES);
const linkageOption = choiceOption(['single', 'complete', 'average', 'weighted', 'ward'] as const);

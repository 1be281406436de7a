/**
 * `pfopt stress`: stress tests and scenario analysis of a portfolio of priced assets: historical episodes beside the
 * benchmark, a market (factor) shock, hypothetical asset and sector shocks and scenario files, the reverse stress test
 * and the Monte Carlo distribution of the portfolio's value at the horizon.
 */

import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { isoDate } from '../../core/dates.js';
import { DataError, ValidationError } from '../../core/errors.js';
import { inferPeriodsPerYear } from '../../core/periods.js';
import { simpleReturns } from '../../core/returns.js';
import type { SimulationModel } from '../../risk/monte-carlo.js';
import { portfolioReturns } from '../../risk/portfolio-returns.js';
import type { BenchmarkSeries } from '../../risk/report.js';
import {
  applyScenario,
  estimationSample,
  factorShock,
  horizonDistribution,
  type MissingAssetPolicy,
  marketModel,
  parseScenarioText,
  type ReverseStress,
  replayEpisodes,
  reverseStress,
  type ShockScenario,
  STRESS_EPISODES,
  selectEpisodes,
} from '../../risk/stress/index.js';
import { action, type CliIO, type CommandContext } from '../context.js';
import { addPriceOptions, finiteNumber, integerOption, positiveNumber } from '../options.js';
import {
  benchmarkReturns,
  loadPortfolioPrices,
  type PortfolioInputFlags,
  portfolioWeights,
  sectorMap,
  tickerList,
} from '../portfolio-input.js';
import { formatStress, type StressResult, stressJson } from '../stress-report.js';
import { printInfo, printResult, printWarning } from '../terminal.js';

interface StressFlags extends PortfolioInputFlags {
  sectors?: string;
  scenarios?: string;
  assetShock?: [string, number][];
  sectorShock?: [string, number][];
  propagate?: boolean;
  marketShock?: number;
  reverseLoss?: number;
  horizon?: number;
  confidence: number;
  model: SimulationModel;
  paths: number;
  seed: number;
  lossThresholds: number[];
  episodes?: string[];
  missingAssets: MissingAssetPolicy;
}

/** Name of the scenario made of `--asset-shock` and `--sector-shock`. */
const COMMAND_LINE_SCENARIO = 'command line';

/** The loss of the reverse stress test when `--reverse-loss` is not given. */
const DEFAULT_REVERSE_LOSS = 0.2;

const JSON_HELP = `
With --json, one object:
  source, start, end, periodsPerYear, horizon (periods), confidence (of the bands), weights {TICKER: w},
  benchmark (name or null), estimation {start, end, periods, droppedDates} (the dates on which every held
    asset has a return: the sample of the reverse stress test and the simulation),
  episodes: [{id, name, start, end, description, portfolio: REPLAY, benchmark: REPLAY or null}], where REPLAY is
    {status: covered | too-short | partial | outside | assets-missing, from, to, periods, return,
     buyAndHoldReturn, maxDrawdown, maxDrawdownPeak, maxDrawdownTrough, worstPeriod, worstPeriodDate, missing,
     weights (the rescaled weights when assets were left out, else null)}; figures are null unless covered,
  bars: [{id, name, portfolio, benchmark}] (episode returns for a bar chart),
  factor: null or {marketShock, horizon, confidence, z, beta, move, residualVolatility, lower, upper,
    estimation {start, end, periods}, assets {TICKER: {weight, beta, move, contribution, residualVolatility,
    lower, upper}}},
  scenarios: [{name, description, source: file | command line, propagate, market, horizon, pnl,
    band {volatility, lower, upper} or null, conditionedOn, estimation, assets {TICKER: {weight, move,
    origin: asset | sector | market | propagated | none, contribution, lower, upper}}, sectors {SECTOR: {weight,
    pnl}} or null without --sectors}],
  reverse: null (a portfolio without variance, when --reverse-loss is not given) or {loss, horizon, volatility,
    mahalanobisDistance, probability, moves {TICKER: x}, movesInSigmas {TICKER: x / sigma}},
  distribution: {model, horizon, paths, seed, degreesOfFreedom (student-t, else null), mean, percentiles {p1, p5, p25, p50, p75, p95,
    p99} (value of 1 invested), lossProbabilities [{threshold, probability}]}.
All returns, moves, losses and bands are fractions (-0.2 is -20%) over the episode or the horizon; dates are ISO.
Episodes: ${STRESS_EPISODES.map((e) => `${e.id} (${e.start} to ${e.end})`).join(', ')}.`;

/** Registers `stress`. */
export function registerStressCommand(program: Command, io: CliIO): void {
  addPriceOptions(
    program
      .command('stress')
      .description(
        'stress tests of a portfolio: historical episodes beside the benchmark, market and hypothetical shocks, ' +
          'scenario files, the reverse stress test and the distribution of its value at a horizon',
      ),
  )
    .option('--weights <file>', 'portfolio weights: CSV (ticker,weight) or JSON (as printed by pfopt optimize --json)')
    .option('--equal', 'an equal-weight portfolio of every ticker (the benchmark ticker excluded)')
    .option(
      '--benchmark <ticker|file>',
      'benchmark: a column of the data (then left out of the portfolio), or a price file or sample:NAME',
    )
    .option('--sectors <file>', 'ticker-to-sector map (CSV ticker,sector or JSON) for sector shocks and totals')
    .option('--scenarios <file>', 'scenario file (JSON): named scenarios with asset, sector and market moves')
    .option('--asset-shock <ticker=move...>', 'a scenario moving these assets, e.g. AAPL=-0.3 MSFT=-0.2', shockOption)
    .option(
      '--sector-shock <sector=move...>',
      'a scenario moving every asset of these sectors, e.g. Tech=-0.25',
      shockOption,
    )
    .option(
      '--propagate',
      'in the --asset-shock/--sector-shock scenario, move the other assets by their conditional mean',
    )
    .option('--market-shock <move>', 'market move for the factor shock, e.g. -0.2 (needs --benchmark)', moveOption)
    .option(
      '--reverse-loss <loss>',
      `loss of the reverse stress test, a fraction (0.2 is 20%); default ${DEFAULT_REVERSE_LOSS}`,
      positiveNumber,
    )
    .option(
      '--horizon <periods>',
      'horizon in periods of the data (days for daily data) of the bands, reverse stress test and distribution; ' +
        'default about one month (21 for daily, 4 for weekly, 1 for monthly or coarser data)',
      integerOption(1),
    )
    .option(
      '--confidence <c>',
      'confidence of the two-sided bands of inferred moves, between 0 and 1',
      unitOption,
      0.95,
    )
    .addOption(
      new Option('--model <model>', 'simulation model of the distribution at the horizon')
        .choices(['normal', 'student-t', 'bootstrap'])
        .default('normal'),
    )
    .option('--paths <n>', 'Monte Carlo paths', integerOption(1, 10_000_000), 10_000)
    .option('--seed <n>', 'Monte Carlo seed (the same seed gives the same numbers)', integerOption(0), 0)
    .addOption(
      new Option(
        '--loss-thresholds <losses>',
        'losses whose probability at the horizon is reported, comma-separated fractions',
      )
        .argParser(thresholdsOption)
        .default([0.05, 0.1, 0.2, 0.3], '0.05,0.1,0.2,0.3'),
    )
    .option('--episodes <ids...>', 'historical episodes to replay (default all; see below)')
    .addOption(
      new Option(
        '--missing-assets <policy>',
        'held assets without prices in an episode: exclude the episode, or leave them out and rescale the others',
      )
        .choices(['exclude-episode', 'renormalize'])
        .default('exclude-episode'),
    )
    .option('--tickers <tickers...>', 'use only these tickers')
    .option('--start <date>', 'first date to use, YYYY-MM-DD')
    .option('--end <date>', 'last date to use, YYYY-MM-DD')
    .addHelpText('after', JSON_HELP)
    .action(action<StressFlags>(io, (ctx, flags) => runStress(ctx, flags)));
}

function shockOption(value: string, previous: [string, number][] | undefined): [string, number][] {
  const out = previous ?? [];
  for (const part of value.split(',').map((s) => s.trim())) {
    if (part === '') continue;
    const at = part.lastIndexOf('=');
    const name = at < 0 ? '' : part.slice(0, at).trim();
    const text = at < 0 ? '' : part.slice(at + 1).trim();
    const x = Number(text);
    if (name === '' || text === '' || !Number.isFinite(x) || x < -1) {
      throw new InvalidArgumentError(
        `expected NAME=MOVE with MOVE a fraction of at least -1 (AAPL=-0.3), got "${part}".`,
      );
    }
    out.push([name, x]);
  }
  return out;
}

function moveOption(value: string): number {
  const x = finiteNumber(value);
  if (x < -1) throw new InvalidArgumentError('expected a fraction of at least -1 (-0.2 is a 20% fall).');
  return x;
}

function unitOption(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !(x > 0 && x < 1)) {
    throw new InvalidArgumentError('expected a number between 0 and 1 (0.95 is 95%).');
  }
  return x;
}

function thresholdsOption(value: string): number[] {
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const xs = parts.map(Number);
  if (xs.length === 0 || xs.some((x) => !Number.isFinite(x))) {
    throw new InvalidArgumentError('expected comma-separated fractions, e.g. 0.1,0.2.');
  }
  return xs;
}

/** The default horizon: about one month of periods, `max(1, round(P / 12))`. */
function defaultHorizon(periodsPerYear: number): number {
  return Math.max(1, Math.round(periodsPerYear / 12));
}

function runStress(ctx: CommandContext, flags: StressFlags): void {
  const need = 'pfopt stress needs a portfolio: pass --weights FILE or --equal';
  if (flags.weights !== undefined && flags.equal === true) {
    throw new ValidationError('give either --weights FILE or --equal, not both');
  }
  if (flags.weights === undefined && flags.equal !== true) throw new ValidationError(need);
  if (flags.marketShock !== undefined && flags.benchmark === undefined) {
    throw new ValidationError('--market-shock needs the market: pass --benchmark TICKER|FILE');
  }
  const episodes = selectEpisodes(flags.episodes === undefined ? undefined : tickerList(flags.episodes));
  const { prices, benchmark, label } = loadPortfolioPrices(
    ctx,
    flags,
    'no data given: pass --prices FILE or --prices sample:NAME with --weights FILE or --equal',
  );
  const weights = portfolioWeights(ctx, flags, prices.tickers, need);
  const returns = simpleReturns(prices);
  if (returns.rowCount === 0) throw new DataError(`${label} has no returns in the chosen range`);
  const periodsPerYear = flags.frequency ?? ctx.config.frequency ?? returns.periodsPerYear;
  const horizon = flags.horizon ?? defaultHorizon(periodsPerYear);
  const p = portfolioReturns(returns, weights);
  if (p.droppedDates > 0) {
    printWarning(
      ctx.term,
      `${p.droppedDates} of ${returns.rowCount} return dates left out of the reverse stress test and the ` +
        'simulation: a held asset has no return on them',
    );
  }
  const sectors = flags.sectors === undefined ? undefined : sectorMap(ctx, flags.sectors, p.assets.tickers);
  let market: BenchmarkSeries | undefined;
  const marketSeries = (): BenchmarkSeries => {
    if (benchmark === undefined)
      throw new ValidationError('a market move needs the market: pass --benchmark TICKER|FILE');
    const bp = inferredFrequency(benchmark.prices.dates);
    const pp = inferredFrequency(prices.dates);
    if (bp !== undefined && pp !== undefined && bp !== pp) {
      throw new ValidationError(
        `the dates of the benchmark ${benchmark.name} are ${bp} a year and those of the prices ${pp}; a market ` +
          'model needs returns over the same periods: give a benchmark at the frequency of the prices',
      );
    }
    market ??= benchmarkReturns(benchmark);
    return market;
  };
  const estimation = {
    start: p.assets.dates[0] as number,
    end: p.assets.dates[p.assets.rowCount - 1] as number,
    periods: p.assets.rowCount,
    droppedDates: p.droppedDates,
  };
  printInfo(
    ctx.term,
    `${label}: portfolio of ${p.assets.columnCount} asset${p.assets.columnCount === 1 ? '' : 's'}, prices from ${isoDate(prices.dates[0] as number)} to ` +
      `${isoDate(prices.dates[prices.rowCount - 1] as number)} (${periodsPerYear} a year); horizon ${horizon} ` +
      `period${horizon === 1 ? '' : 's'}`,
  );
  const replays = replayEpisodes(prices, weights, episodes, {
    missingAssets: flags.missingAssets,
    ...(benchmark === undefined ? {} : { benchmark: benchmark.prices }),
  });
  let factor: StressResult['factor'];
  if (flags.marketShock !== undefined) {
    const sample = estimationSample(returns, p.assets.tickers, marketSeries());
    const model = marketModel(sample);
    factor = {
      shock: factorShock(model, p.weights, flags.marketShock, { horizon, confidence: flags.confidence }),
      start: sample.dates[0] as number,
      end: sample.dates[sample.rowCount - 1] as number,
      periods: sample.rowCount,
    };
  }
  const scenarios: { scenario: ShockScenario; source: string }[] = [];
  if (flags.scenarios !== undefined) {
    for (const s of parseScenarioText(readScenarioFile(ctx.resolvePath(flags.scenarios)), flags.scenarios)) {
      scenarios.push({ scenario: s, source: 'file' });
    }
  }
  if (flags.assetShock !== undefined || flags.sectorShock !== undefined) {
    scenarios.push({
      scenario: {
        name: COMMAND_LINE_SCENARIO,
        ...(flags.assetShock === undefined ? {} : { assets: uniqueMoves(flags.assetShock, '--asset-shock') }),
        ...(flags.sectorShock === undefined ? {} : { sectors: uniqueMoves(flags.sectorShock, '--sector-shock') }),
        propagate: flags.propagate === true,
      },
      source: COMMAND_LINE_SCENARIO,
    });
  } else if (flags.propagate === true) {
    printWarning(ctx.term, '--propagate applies to the --asset-shock / --sector-shock scenario, and there is none');
  }
  const scenarioResults = scenarios.map(({ scenario, source }) => ({
    source,
    result: applyScenario(
      {
        returns,
        weights,
        ...(scenario.market === undefined ? {} : { market: marketSeries() }),
        ...(sectors === undefined ? {} : { sectors }),
      },
      scenario,
      { horizon, confidence: flags.confidence },
    ),
  }));
  const result: StressResult = {
    replays,
    ...(factor === undefined ? {} : { factor }),
    scenarios: scenarioResults,
    reverse: reverse(ctx, flags, p.assets, p.weights, horizon),
    distribution: horizonDistribution(p.assets, p.weights, {
      model: flags.model,
      horizon,
      paths: flags.paths,
      seed: flags.seed,
      lossThresholds: flags.lossThresholds,
    }),
  };
  const json = {
    source: label,
    start: isoDate(prices.dates[0] as number),
    end: isoDate(prices.dates[prices.rowCount - 1] as number),
    periodsPerYear,
    horizon,
    confidence: flags.confidence,
    weights: Object.fromEntries(p.assets.tickers.map((t, i) => [t, p.weights[i] as number])),
    benchmark: benchmark?.name ?? null,
    estimation: { ...estimation, start: isoDate(estimation.start), end: isoDate(estimation.end) },
    ...stressJson(result),
  };
  printResult(ctx.term, json, () =>
    formatStress(result, {
      benchmark: benchmark?.name,
      periodsPerYear,
      sectors,
      colors: ctx.term.colors,
    }),
  );
}

/**
 * The reverse stress test at `--reverse-loss`; without that flag, at `DEFAULT_REVERSE_LOSS`, and a portfolio the test
 * does not apply to (no variance) gets a warning instead of an error.
 */
function reverse(
  ctx: CommandContext,
  flags: StressFlags,
  assets: Parameters<typeof reverseStress>[0],
  weights: Float64Array,
  horizon: number,
): ReverseStress | undefined {
  if (flags.reverseLoss !== undefined) return reverseStress(assets, weights, flags.reverseLoss, { horizon });
  try {
    return reverseStress(assets, weights, DEFAULT_REVERSE_LOSS, { horizon });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    printWarning(ctx.term, `no reverse stress test: ${error.message}`);
    return undefined;
  }
}

/** Periods per year inferred from the dates, or undefined when they fit no known frequency. */
function inferredFrequency(dates: Int32Array): number | undefined {
  try {
    return inferPeriodsPerYear(dates);
  } catch {
    return undefined;
  }
}

function readScenarioFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'there is no such file' : (error as Error).message;
    throw new DataError(`cannot read the scenario file ${path}: ${reason}`, { cause: error });
  }
}

function uniqueMoves(pairs: readonly [string, number][], flag: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, move] of pairs) {
    if (Object.hasOwn(out, name)) throw new ValidationError(`${flag} names ${JSON.stringify(name)} twice`);
    out[name] = move;
  }
  return out;
}

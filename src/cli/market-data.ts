/**
 * The command line's side of the market-data providers: choosing and building a provider from `--source`, the
 * environment and the configuration; running a fetch through the cache with a progress bar and a closing summary;
 * and `--tickers ... --source ...` on every command that reads `--prices`, which fetches the tickers through the
 * cache before the command runs and hands it the adjusted closes as its price data.
 */

import { type Command, InvalidArgumentError } from 'commander';
import { isoDate, parseIsoDate } from '../core/dates.js';
import { PfoptError, ValidationError } from '../core/errors.js';
import { openCache } from '../data/cache/index.js';
import { MEMORY_PREFIX, registerMemoryPrices, releaseMemoryPrices } from '../data/load-prices.js';
import {
  createProvider,
  type FetchMode,
  type FetchPricesResult,
  fetchPrices,
  isSourceName,
  type MarketDataProvider,
  outcomesToMatrix,
  SOURCE_NAMES,
  type SourceName,
  type SymbolOutcome,
} from '../data/providers/index.js';
import { cacheDirectory } from './commands/cache.js';
import { type CliIO, type CommandContext, commandContext } from './context.js';
import { printInfo, printWarning, type Terminal } from './terminal.js';

/** Exit code of a fetch where some tickers failed and the others were written. */
export const PARTIAL_FAILURE_EXIT_CODE = 7;

/** Some (exit code 7) or all (the first failure's own code) of the tickers could not be fetched. */
export class FetchFailuresError extends PfoptError {
  override readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Commander argument parser for a provider name. */
export function sourceOption(value: string): SourceName {
  if (isSourceName(value)) return value;
  throw new InvalidArgumentError(`expected one of ${SOURCE_NAMES.join(', ')}.`);
}

/** Commander argument parser for an ISO date. */
export function isoDateOption(value: string): string {
  try {
    parseIsoDate(value);
  } catch {
    throw new InvalidArgumentError('expected a date written YYYY-MM-DD.');
  }
  return value;
}

/** The provider `name` with the run's environment (keys, base URLs) and the configuration's settings. */
export function providerFor(ctx: CommandContext, name: SourceName): MarketDataProvider {
  const settings = ctx.config.providers?.[name];
  return createProvider(name, { env: ctx.io.env, cwd: ctx.io.cwd, ...(settings === undefined ? {} : { settings }) });
}

/** What {@link runFetch} needs. */
export interface FetchRequest {
  readonly source: SourceName;
  readonly tickers: readonly string[];
  /** ISO dates; `end` defaults to today. */
  readonly start: string;
  readonly end?: string;
  readonly mode: FetchMode;
}

/** A progress bar on stderr, only on a terminal (never with --json or --quiet). */
function progressBar(term: Terminal, label: string): ((done: number, total: number) => void) | undefined {
  if (term.json || term.quiet || term.stderr.isTTY !== true) return undefined;
  return (done, total) => {
    const width = 30;
    const filled = Math.round((width * done) / total);
    term.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${label}`);
    if (done === total) term.stderr.write('\n');
  };
}

/** Fetches the tickers through the cache, printing warnings and a summary on stderr; throws for cache failures only. */
export async function runFetch(ctx: CommandContext, request: FetchRequest): Promise<FetchPricesResult> {
  const fromDay = parseIsoDate(request.start, '--start');
  const toDay = request.end === undefined ? undefined : parseIsoDate(request.end, '--end');
  if (toDay !== undefined && toDay < fromDay) {
    throw new ValidationError(`--end ${request.end} is before --start ${request.start}`);
  }
  if (request.tickers.length === 0) throw new ValidationError('no tickers given');
  const provider = providerFor(ctx, request.source);
  const cache = openCache({ dir: cacheDirectory(ctx) });
  try {
    const bar = progressBar(ctx.term, `fetching from ${request.source}`);
    const result = await fetchPrices(request.tickers, {
      cache,
      provider,
      fromDay,
      ...(toDay === undefined ? {} : { toDay }),
      mode: request.mode,
      ...(bar === undefined ? {} : { onProgress: (done, total) => bar(done, total) }),
    });
    for (const outcome of result.outcomes) for (const w of outcome.warnings) printWarning(ctx.term, w);
    printInfo(ctx.term, summaryText(request.source, result));
    return result;
  } finally {
    cache.close();
  }
}

/** The closing summary: rows from the cache versus the network per ticker, and every failure. */
export function summaryText(source: string, result: FetchPricesResult): string {
  const ok = result.outcomes.filter((o) => o.ok);
  const lines = [
    `${source}: ${ok.length} of ${result.outcomes.length} ticker(s) fetched, ${result.fromCache} row(s) from the ` +
      `cache, ${result.fromNetwork} from the network, ${result.requests} request(s)`,
  ];
  const width = Math.max(0, ...result.outcomes.map((o) => o.symbol.length));
  for (const o of ok) {
    const range =
      o.bars.length === 0
        ? 'no rows'
        : `${isoDate(o.bars[0]?.day as number)}..${isoDate(o.bars.at(-1)?.day as number)}`;
    lines.push(
      `  ${o.symbol.padEnd(width)}  ${String(o.bars.length).padStart(6)} rows (${o.fromCache} cache, ${o.fromNetwork} network) ${range}`,
    );
  }
  for (const o of result.failures)
    lines.push(`  ${o.symbol.padEnd(width)}  failed: ${o.error?.message ?? 'unknown error'}`);
  return lines.join('\n');
}

/** The error for failed tickers, or undefined when every ticker succeeded. */
export function failuresError(result: FetchPricesResult, written: string): FetchFailuresError | undefined {
  const failed: readonly SymbolOutcome[] = result.failures;
  if (failed.length === 0) return undefined;
  const list = failed.map((o) => `${o.symbol} (${o.error?.message ?? 'failed'})`).join('; ');
  if (failed.length === result.outcomes.length) {
    return new FetchFailuresError(`no ticker could be fetched: ${list}`, failed[0]?.error?.exitCode ?? 5);
  }
  return new FetchFailuresError(
    `${failed.length} of ${result.outcomes.length} ticker(s) failed: ${list}; ${written}`,
    PARTIAL_FAILURE_EXIT_CODE,
  );
}

/** The fetch mode of `--offline` and `--refresh`, which exclude each other. */
export function fetchMode(flags: { offline?: boolean; refresh?: boolean }): FetchMode {
  if (flags.offline && flags.refresh) throw new ValidationError('--offline and --refresh exclude each other');
  return flags.offline ? 'offline' : flags.refresh ? 'refresh' : 'normal';
}

/** Default history start when `--start` is not given with `--source`: ten years before today. */
export function defaultStart(now = Date.now()): string {
  return isoDate(Math.floor(now / 86_400_000) - 3653);
}

interface MarketDataFlags {
  prices?: string;
  tickers?: string[];
  source?: SourceName;
  start?: string;
  end?: string;
  offline?: boolean;
  refresh?: boolean;
}

/**
 * Gives a command that reads `--prices` the options `--source`, `--offline`, `--refresh` (and `--tickers`, `--start`,
 * `--end` when it lacks them). With `--source`, the tickers are fetched through the cache before the action runs
 * and the command reads their adjusted closes as its prices; without it, `--tickers` keeps its meaning (a selection
 * of the price data) on the commands that had it.
 */
export function addMarketDataOptions(cmd: Command, io: CliIO): void {
  const has = (flag: string) => cmd.options.some((o) => o.long === flag);
  /** Options added here that mean nothing without --source. */
  const sourceOnly: (keyof MarketDataFlags)[] = [];
  if (!has('--tickers')) {
    cmd.option('--tickers <tickers...>', 'with --source: the tickers to fetch as the price data');
    sourceOnly.push('tickers');
  }
  if (!has('--start')) {
    cmd.option('--start <date>', 'with --source: first date to fetch, YYYY-MM-DD (default ten years ago)');
    sourceOnly.push('start');
  }
  if (!has('--end')) {
    cmd.option('--end <date>', 'with --source: last date to fetch, YYYY-MM-DD (default today)');
    sourceOnly.push('end');
  }
  cmd
    .option(
      '--source <name>',
      `fetch --tickers through the local cache from ${SOURCE_NAMES.join(', ')} instead of reading --prices`,
      sourceOption,
    )
    .option('--offline', 'with --source: use the cache alone and say what is missing')
    .option('--refresh', 'with --source: fetch again even what the cache holds');
  cmd.hook('preAction', async (_this, actionCommand) => {
    const flags = actionCommand.opts<MarketDataFlags>();
    if (flags.source === undefined) {
      const stray = [...(flags.offline ? ['offline'] : []), ...(flags.refresh ? ['refresh'] : [])].concat(
        sourceOnly.filter((name) => flags[name] !== undefined),
      );
      if (stray.length > 0) {
        throw new ValidationError(
          `${stray.map((n) => `--${n}`).join(', ')} apply to prices fetched with --source; add --source NAME`,
        );
      }
      return;
    }
    if (flags.prices !== undefined) throw new ValidationError('give --prices or --tickers with --source, not both');
    if (flags.tickers === undefined || flags.tickers.length === 0) {
      throw new ValidationError(`--source ${flags.source} needs --tickers T... (the tickers to fetch)`);
    }
    const ctx = commandContext(actionCommand, io);
    const result = await runFetch(ctx, {
      source: flags.source,
      tickers: flags.tickers,
      start: flags.start ?? defaultStart(),
      ...(flags.end === undefined ? {} : { end: flags.end }),
      mode: fetchMode(flags),
    });
    const failure = failuresError(result, 'drop them from --tickers or try again later');
    if (failure !== undefined) throw failure;
    const matrix = outcomesToMatrix(result.outcomes, 'adjclose');
    actionCommand.setOptionValue('prices', registerMemoryPrices(matrix, `${flags.source}:${flags.tickers.join(',')}`));
  });
  cmd.hook('postAction', (_this, actionCommand) => {
    const prices = actionCommand.opts<MarketDataFlags>().prices;
    if (prices?.startsWith(MEMORY_PREFIX)) releaseMemoryPrices(prices);
  });
}

/** Applies {@link addMarketDataOptions} to every command (at any depth) that has a `--prices` option. */
export function addMarketDataToPriceCommands(program: Command, io: CliIO): void {
  const visit = (cmd: Command) => {
    if (cmd.options.some((o) => o.long === '--prices')) addMarketDataOptions(cmd, io);
    for (const sub of cmd.commands) visit(sub);
  };
  visit(program);
}

/**
 * `pfopt fetch` (daily prices of tickers through the cache, written as a wide CSV) and `pfopt rates` (a FRED
 * risk-free series as annual and per-period rates). Registering them also gives every command that reads `--prices`
 * the `--tickers ... --source ...` options (see `market-data.ts`), so call this after the other commands.
 */

import type { Command } from 'commander';
import { DatedMatrix } from '../../core/dated-matrix.js';
import { isoDate } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import { formatCsvMatrix, writeCsvMatrix } from '../../data/csv/index.js';
import {
  type BarField,
  outcomesToMatrix,
  percentToDecimal,
  ratesToPerPeriod,
  type SourceName,
} from '../../data/providers/index.js';
import { action, type CliIO } from '../context.js';
import {
  addMarketDataToPriceCommands,
  defaultStart,
  failuresError,
  fetchMode,
  isoDateOption,
  runFetch,
  sourceOption,
} from '../market-data.js';
import { choiceOption, periodsPerYearOption } from '../options.js';
import { printInfo, printResult } from '../terminal.js';

interface FetchFlags {
  source?: SourceName;
  start?: string;
  end?: string;
  out?: string;
  field: BarField;
  offline?: boolean;
  refresh?: boolean;
}

interface RatesFlags {
  series: string;
  start?: string;
  end?: string;
  out?: string;
  frequency?: number;
  offline?: boolean;
  refresh?: boolean;
}

/** Registers `fetch` and `rates`, then adds `--source` and friends to every command that reads `--prices`. */
export function registerFetchCommands(program: Command, io: CliIO): void {
  program
    .command('fetch')
    .description('daily prices of tickers from a market-data provider, through the local cache, as a wide CSV')
    .argument('<tickers...>', 'ticker symbols, for example AAPL MSFT (Nasdaq Data Link: DB/CODE or PUB/TABLE/TICKER)')
    .option(
      '--source <name>',
      'provider: yahoo, alphavantage, tiingo, fred, nasdaq, csv or stooq (default: configuration, else yahoo)',
      sourceOption,
    )
    .option('--start <date>', 'first date, YYYY-MM-DD (default ten years ago)', isoDateOption)
    .option('--end <date>', 'last date, YYYY-MM-DD (default today)', isoDateOption)
    .option('--out <file>', 'write the CSV to this file (default: standard output)')
    .option(
      '--field <field>',
      'close, adjclose or volume',
      choiceOption(['close', 'adjclose', 'volume'] as const),
      'adjclose',
    )
    .option('--offline', 'use the cache alone and say what is missing')
    .option('--refresh', 'fetch again even what the cache holds')
    .action(
      action<FetchFlags>(io, async (ctx, flags, tickers) => {
        const source = flags.source ?? ctx.config.source ?? 'yahoo';
        const result = await runFetch(ctx, {
          source,
          tickers,
          start: flags.start ?? defaultStart(),
          ...(flags.end === undefined ? {} : { end: flags.end }),
          mode: fetchMode(flags),
        });
        const matrix = outcomesToMatrix(result.outcomes, flags.field);
        const out = flags.out === undefined ? undefined : ctx.resolvePath(flags.out);
        if (matrix.columnCount > 0) {
          if (out !== undefined) {
            writeCsvMatrix(out, matrix);
            printInfo(
              ctx.term,
              `wrote ${matrix.rowCount} rows x ${matrix.columnCount} tickers (${flags.field}) to ${flags.out}`,
            );
          }
          if (ctx.term.json) {
            printResult(ctx.term, fetchJson(source, flags.field, out, result), () => '');
          } else if (out === undefined) {
            ctx.term.stdout.write(formatCsvMatrix(matrix));
          }
        } else if (ctx.term.json) {
          printResult(ctx.term, fetchJson(source, flags.field, undefined, result), () => '');
        }
        const failure = failuresError(
          result,
          out === undefined ? 'the others were printed' : `the others were written to ${flags.out}`,
        );
        if (failure !== undefined) throw failure;
      }),
    );

  program
    .command('rates')
    .description(
      'a risk-free rate series from FRED (DGS3MO, TB3MS...), through the cache, as annual and per-period rates',
    )
    .requiredOption('--series <id>', 'FRED series id, for example DGS3MO (daily) or TB3MS (monthly)')
    .option('--start <date>', 'first date, YYYY-MM-DD (default ten years ago)', isoDateOption)
    .option('--end <date>', 'last date, YYYY-MM-DD (default today)', isoDateOption)
    .option(
      '--frequency <n>',
      'periods per year of the per-period rate (default: inferred from the dates)',
      periodsPerYearOption,
    )
    .option('--out <file>', 'write date,annual,per_period as CSV to this file (default: standard output)')
    .option('--offline', 'use the cache alone and say what is missing')
    .option('--refresh', 'fetch again even what the cache holds')
    .action(
      action<RatesFlags>(io, async (ctx, flags) => {
        const result = await runFetch(ctx, {
          source: 'fred',
          tickers: [flags.series],
          start: flags.start ?? defaultStart(),
          ...(flags.end === undefined ? {} : { end: flags.end }),
          mode: fetchMode(flags),
        });
        const failure = failuresError(result, '');
        if (failure !== undefined) throw failure;
        const bars = result.outcomes[0]?.bars ?? [];
        if (bars.length === 0) throw new ValidationError(`FRED series ${flags.series} has no values in the range`);
        const days = bars.map((b) => b.day);
        const periods = flags.frequency ?? ratePeriodsPerYear(days);
        const percent = bars.map((b) => b.close);
        const perPeriod = ratesToPerPeriod(percent, periods);
        const annual = percent.map(percentToDecimal);
        const matrix = DatedMatrix.fromColumns(days, ['annual', 'per_period'], [annual, perPeriod], {
          periodsPerYear: periods,
        });
        if (flags.out !== undefined) {
          writeCsvMatrix(ctx.resolvePath(flags.out), matrix);
          printInfo(ctx.term, `wrote ${days.length} observations of ${flags.series} to ${flags.out}`);
        }
        if (ctx.term.json) {
          printResult(
            ctx.term,
            {
              series: flags.series,
              periodsPerYear: periods,
              convention: 'per_period = (1 + annual)^(1 / periodsPerYear) - 1; annual = percent / 100',
              observations: days.map((d, i) => ({ date: isoDate(d), annual: annual[i], perPeriod: perPeriod[i] })),
            },
            () => '',
          );
        } else if (flags.out === undefined) {
          ctx.term.stdout.write(formatCsvMatrix(matrix));
        }
      }),
    );

  addMarketDataToPriceCommands(program, io);
}

function fetchJson(
  source: string,
  field: BarField,
  out: string | undefined,
  result: Awaited<ReturnType<typeof runFetch>>,
): unknown {
  return {
    source,
    field,
    ...(out === undefined ? {} : { out }),
    fromCache: result.fromCache,
    fromNetwork: result.fromNetwork,
    requests: result.requests,
    tickers: result.outcomes.map((o) => ({
      symbol: o.symbol,
      ok: o.ok,
      rows: o.bars.length,
      first: o.bars[0] === undefined ? null : isoDate(o.bars[0].day),
      last: o.bars.at(-1) === undefined ? null : isoDate((o.bars.at(-1) as { day: number }).day),
      fromCache: o.fromCache,
      fromNetwork: o.fromNetwork,
      requests: o.requests,
      restated: o.restated,
      notFound: o.notFound,
      missing: o.missing.map((m) => ({ from: isoDate(m.fromDay), to: isoDate(m.toDay) })),
      warnings: o.warnings,
      error: o.error === undefined ? null : { kind: o.error.name, message: o.error.message },
    })),
  };
}

/**
 * Periods per year of a rate series from the median spacing of its dates, tolerant of gaps (FRED leaves out days
 * without a value): up to 4 days is daily (252), 10 weekly, 62 monthly, 140 quarterly, else annual.
 */
export function ratePeriodsPerYear(days: readonly number[]): number {
  if (days.length < 2) return 252;
  const gaps = days
    .slice(1)
    .map((d, i) => d - (days[i] as number))
    .sort((a, b) => a - b);
  const median = gaps[Math.floor((gaps.length - 1) / 2)] as number;
  if (median <= 4) return 252;
  if (median <= 10) return 52;
  if (median <= 62) return 12;
  if (median <= 140) return 4;
  return 1;
}

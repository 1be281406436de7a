/**
 * `pfopt data ...`: look at price data, list the embedded samples, write synthetic markets.
 */

import type { Command } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { loadPrices } from '../../data/load-prices.js';
import { SAMPLE_PREFIX, SAMPLES } from '../../data/samples.js';
import { type DataSummary, summarize } from '../../data/summary.js';
import { action, type CliIO } from '../context.js';
import { addPriceOptions, type PriceOptions, priceSource } from '../options.js';
import { renderTable } from '../table.js';
import { type Colors, printResult } from '../terminal.js';
import { registerSynthCommand } from './synth.js';

/** Registers `data show`, `data samples` and `data synth`. */
export function registerDataCommands(program: Command, io: CliIO): void {
  const data = program.command('data').description('inspect price data, list samples, generate synthetic markets');

  addPriceOptions(
    data
      .command('show')
      .description(
        "summarise a price file or sample: tickers, rows, first/last date, each ticker's first valid date, gaps, periods per year",
      ),
  ).action(
    action<PriceOptions>(io, (ctx, options) => {
      const { source, load } = priceSource(ctx, options);
      if (source === undefined) {
        throw new ValidationError(
          'no price data given: pass --prices FILE or --prices sample:NAME (see pfopt data samples)',
        );
      }
      const summary = summarize(loadPrices(source, load));
      const shown = options.prices ?? ctx.config.prices ?? source;
      printResult(ctx.term, { source: shown, ...summary }, () => formatSummary(shown, summary, ctx.term.colors));
    }),
  );

  data
    .command('samples')
    .description('list the real price samples embedded in pfopt (usable offline as sample:NAME)')
    .action(
      action(io, (ctx) => {
        const list = SAMPLES.map((s) => ({
          name: `${SAMPLE_PREFIX}${s.name}`,
          description: s.description,
          periodsPerYear: s.periodsPerYear,
          ...(s.benchmark ? { benchmark: `${SAMPLE_PREFIX}${s.benchmark}` } : {}),
          origin: s.origin,
        }));
        printResult(ctx.term, { samples: list }, () =>
          renderTable(
            [{ header: 'sample' }, { header: 'frequency' }, { header: 'contents' }],
            list.map((s) => [s.name, frequencyName(s.periodsPerYear), s.description]),
            ctx.term.colors,
          ),
        );
      }),
    );

  registerSynthCommand(data, io);
}

/** Human name of a periods-per-year value. */
export function frequencyName(periodsPerYear: number | null): string {
  switch (periodsPerYear) {
    case 252:
      return 'daily';
    case 365:
      return 'daily (calendar)';
    case 52:
      return 'weekly';
    case 12:
      return 'monthly';
    case 4:
      return 'quarterly';
    case 1:
      return 'annual';
    case null:
      return 'unknown';
    default:
      return `${periodsPerYear} a year`;
  }
}

/** The human text of `pfopt data show`. */
export function formatSummary(source: string, s: DataSummary, colors: Colors): string {
  const freq =
    s.periodsPerYear === null
      ? 'frequency unknown (give --frequency N)'
      : `${frequencyName(s.periodsPerYear)} (${s.periodsPerYear} periods a year)`;
  const head = `${colors.bold(source)}: ${s.tickers.length} ticker${s.tickers.length === 1 ? '' : 's'}, ${s.rows} rows, ${s.start ?? '-'} to ${s.end ?? '-'}, ${freq}`;
  const table = renderTable(
    [
      { header: 'ticker' },
      { header: 'first valid' },
      { header: 'last valid' },
      { header: 'prices', align: 'right' },
      { header: 'gaps', align: 'right' },
    ],
    s.perTicker.map((t) => [
      t.ticker,
      t.firstValid ?? 'none',
      t.lastValid ?? 'none',
      String(t.observations),
      String(t.gaps),
    ]),
    colors,
  );
  return `${head}\n\n${table}\n`;
}

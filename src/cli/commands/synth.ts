/**
 * `pfopt data synth`: writes a seeded synthetic market (wide CSV of prices) and its sector map.
 */

import { writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { isoDate } from '../../core/dates.js';
import { writeCsvMatrix } from '../../data/csv/index.js';
import { generateMarket, type SyntheticFrequency, type SyntheticMarketOptions } from '../../data/synthetic.js';
import { action, type CliIO } from '../context.js';
import { choiceOption, integerOption } from '../options.js';
import { printInfo, printResult } from '../terminal.js';

interface SynthOptions {
  assets: number;
  periods?: number;
  seed: number;
  out: string;
  frequency: SyntheticFrequency;
  start?: string;
  sectors?: number;
  tailDf?: number;
  crash?: boolean;
  lateListings?: number;
  sectorsOut?: string;
}

/** Registers `data synth` under the `data` command. */
export function registerSynthCommand(data: Command, io: CliIO): void {
  data
    .command('synth')
    .description(
      'write a synthetic market: seeded factor model (market, sectors, idiosyncratic noise) with fat tails, ' +
        'reproducible bit for bit',
    )
    .requiredOption('--out <file>', 'CSV file to write (wide layout: date, then one column per asset)')
    .option('--assets <n>', 'number of assets (1 to 10,000)', integerOption(1, 10_000), 50)
    .option('--periods <t>', 'number of price dates (default: 10 years at the frequency)', integerOption(2, 1_000_000))
    .option('--seed <s>', 'random seed (a whole number): the same seed gives the same market', integerOption(0), 1)
    .option('--frequency <f>', 'daily (weekdays), weekly or monthly', synthFrequency, 'daily' as SyntheticFrequency)
    .option('--start <date>', 'first date, YYYY-MM-DD (default 2000-01-03)')
    .option('--sectors <k>', 'number of sectors (default: the 11 GICS sectors)', integerOption(1))
    .option(
      '--tail-df <nu>',
      'Student-t degrees of freedom of the shocks, above 2, or "inf" for normal (default 5)',
      tailDf,
    )
    .option('--crash', 'add a crash regime (a Markov switch into high volatility and falling markets)')
    .option('--late-listings <share>', 'share of assets (0 to 1) listed after the start, with leading gaps', share)
    .option('--sectors-out <file>', 'also write the ticker-to-sector map as CSV (ticker,sector)')
    .action(
      action<SynthOptions>(io, (ctx, o) => {
        const options: SyntheticMarketOptions = {
          assets: o.assets,
          seed: o.seed,
          frequency: o.frequency,
          ...(o.periods === undefined ? {} : { periods: o.periods }),
          ...(o.start === undefined ? {} : { start: o.start }),
          ...(o.sectors === undefined ? {} : { sectors: o.sectors }),
          ...(o.tailDf === undefined ? {} : { tailDf: o.tailDf }),
          ...(o.crash ? { crash: true } : {}),
          ...(o.lateListings === undefined ? {} : { lateListings: o.lateListings }),
        };
        printInfo(ctx.term, `Generating ${o.assets} assets (seed ${o.seed})...`);
        const market = generateMarket(options);
        const { prices } = market;
        const out = ctx.resolvePath(o.out);
        printInfo(ctx.term, `Writing ${prices.rowCount} x ${prices.columnCount} prices to ${out}...`);
        writeCsvMatrix(out, prices);
        let sectorsOut: string | undefined;
        if (o.sectorsOut !== undefined) {
          sectorsOut = ctx.resolvePath(o.sectorsOut);
          const lines = Object.entries(market.sectors).map(([t, s]) => `${t},${s.includes(',') ? `"${s}"` : s}`);
          writeFileSync(sectorsOut, `ticker,sector\n${lines.join('\n')}\n`);
        }
        const start = isoDate(prices.dates[0] as number);
        const end = isoDate(prices.dates[prices.rowCount - 1] as number);
        const summary = {
          out,
          assets: prices.columnCount,
          periods: prices.rowCount,
          frequency: o.frequency,
          periodsPerYear: prices.periodsPerYear,
          start,
          end,
          seed: o.seed,
          ...(sectorsOut === undefined ? {} : { sectorsOut }),
          flooredReturns: market.flooredReturns,
        };
        printResult(
          ctx.term,
          summary,
          () =>
            `Wrote ${summary.assets} assets x ${summary.periods} ${o.frequency} prices (${start} to ${end}, seed ${o.seed}) to ${out}` +
            (sectorsOut === undefined ? '' : `\nWrote the sector of each asset to ${sectorsOut}`),
        );
      }),
    );
}

const synthFrequency = choiceOption(['daily', 'weekly', 'monthly'] as const);

function tailDf(value: string): number {
  if (value === 'inf' || value === 'Infinity') return Number.POSITIVE_INFINITY;
  const n = Number(value);
  if (!Number.isFinite(n) || !(n > 2)) throw new InvalidArgumentError('expected a number above 2, or "inf".');
  return n;
}

function share(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidArgumentError('expected a share from 0 to 1.');
  }
  return n;
}

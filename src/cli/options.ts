/**
 * Option parsers and option groups shared by several commands.
 */

import { type Command, InvalidArgumentError } from 'commander';
import { KNOWN_FREQUENCIES } from '../core/periods.js';
import type { DateFormat } from '../data/csv/index.js';
import { type LoadPricesOptions, MEMORY_PREFIX } from '../data/load-prices.js';
import type { CommandContext } from './context.js';

/** Commander argument parser for a whole number in [min, max]. */
export function integerOption(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `expected a whole number${max === Number.MAX_SAFE_INTEGER ? ` of at least ${min}` : ` from ${min} to ${max}`}.`,
      );
    }
    return n;
  };
}

/** Commander argument parser for any finite number. */
export function finiteNumber(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError('expected a number.');
  return x;
}

/** Commander argument parser for a finite number greater than 0. */
export function positiveNumber(value: string): number {
  const x = finiteNumber(value);
  if (!(x > 0)) throw new InvalidArgumentError('expected a number greater than 0.');
  return x;
}

/** Commander argument parser for a finite number of at least 0. */
export function nonNegativeNumber(value: string): number {
  const x = finiteNumber(value);
  if (x < 0) throw new InvalidArgumentError('expected a number of at least 0.');
  return x;
}

/** Commander argument parser accepting one of `allowed`. */
export function choiceOption<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}.`);
  };
}

/** Options every command that reads prices understands. */
export interface PriceOptions {
  prices?: string;
  frequency?: number;
  dateFormat?: DateFormat;
  na?: string[];
}

/** Adds `--prices`, `--frequency`, `--date-format` and `--na` to a command. */
export function addPriceOptions(cmd: Command, defaultSource?: string): Command {
  return cmd
    .option(
      '--prices <source>',
      `price file (CSV, wide or long layout) or sample:NAME (see "pfopt data samples")${defaultSource ? `; default ${defaultSource}` : ''}`,
    )
    .option(
      '--frequency <n>',
      'periods per year of the data: a number or daily, weekly, monthly, quarterly, annual (default: inferred from the dates)',
      periodsPerYearOption,
    )
    .option('--date-format <order>', 'numeric date order in the CSV: auto, iso, mdy (US) or dmy (European)', dateFormat)
    .option('--na <text...>', 'extra cell texts that mean "no price" (an empty cell always does)');
}

/** Commander argument parser for periods per year: a positive number or a frequency name (daily is 252). */
export function periodsPerYearOption(value: string): number {
  const named = KNOWN_FREQUENCIES[value as keyof typeof KNOWN_FREQUENCIES];
  if (named !== undefined) return named;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !(n > 0)) {
    throw new InvalidArgumentError(
      'expected a positive number of periods per year or daily, weekly, monthly, quarterly, annual.',
    );
  }
  return n;
}

function dateFormat(value: string): DateFormat {
  if (value === 'auto' || value === 'iso' || value === 'mdy' || value === 'dmy') return value;
  throw new InvalidArgumentError('expected auto, iso, mdy or dmy.');
}

/**
 * The price source and reading options from a command's flags, falling back to the configuration file and then
 * to `defaultSource`. Returns undefined source when none is known.
 */
export function priceSource(
  ctx: CommandContext,
  options: PriceOptions,
  defaultSource?: string,
): { source: string | undefined; load: LoadPricesOptions } {
  const raw = options.prices ?? ctx.config.prices ?? defaultSource;
  const source =
    raw === undefined || raw.startsWith('sample:') || raw.startsWith(MEMORY_PREFIX) ? raw : ctx.resolvePath(raw);
  const frequency = options.frequency ?? ctx.config.frequency;
  const format = options.dateFormat ?? ctx.config.dateFormat;
  const na = options.na ?? ctx.config.naValues;
  return {
    source,
    load: {
      ...(raw === undefined ? {} : { label: raw }),
      ...(frequency === undefined ? {} : { periodsPerYear: frequency }),
      ...(format === undefined ? {} : { dateFormat: format }),
      ...(na === undefined ? {} : { naValues: na }),
    },
  };
}

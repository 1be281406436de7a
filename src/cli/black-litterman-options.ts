/**
 * `--returns-model black-litterman` of `pfopt optimize` and `pfopt frontier`: the options (views file, market
 * capitalisations, tau, risk aversion given or implied by a market index), their checks, and the posterior that
 * replaces the estimated mean and covariance, with the report of prior, posterior and implied weights.
 *
 * Units: every return (prior, views, posterior) is an annual fraction, 0.10 being 10% a year, as the estimators'
 * returns; the covariance is the annual one of `--risk-model`; tau and delta are pure numbers.
 */

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { DatedMatrix } from '../core/dated-matrix.js';
import { isoDate } from '../core/dates.js';
import { DataError, PfoptError, ValidationError } from '../core/errors.js';
import { readMarketCaps } from '../data/keyed-files.js';
import { type LoadPricesOptions, loadPrices } from '../data/load-prices.js';
import type { CovarianceMatrix } from '../estimate/types.js';
import {
  type BlackLittermanResult,
  type BlackLittermanViews,
  blackLitterman,
  marketImpliedRiskAversion,
  marketWeights,
  parseViews,
} from '../optimize/black-litterman.js';
import type { CommandContext } from './context.js';
import { positiveNumber } from './options.js';

/** The name of the Black-Litterman returns model in `--returns-model`. */
export const BLACK_LITTERMAN = 'black-litterman';

/** Risk aversion of the market-implied prior when neither `--bl-delta` nor `--market-index` is given. */
export const DEFAULT_BL_DELTA = 2.5;

/** Default tau (uncertainty of the prior relative to the covariance). */
export const DEFAULT_TAU = 0.05;

/** The Black-Litterman flags, as commander parses them. */
export interface BlackLittermanFlags {
  views?: string;
  marketCaps?: string;
  tau?: number;
  blDelta?: number;
  marketIndex?: string;
}

/** Adds the Black-Litterman options to a command. */
export function addBlackLittermanOptions(cmd: Command): Command {
  return cmd
    .option(
      '--views <file>',
      'Black-Litterman views, JSON: {"views": [{"AAPL": 0.10}, {"long": "AAPL", "short": "MSFT", "return": 0.02}], ' +
        '"confidences": [0.6, 0.3]} (annual returns; confidences optional, in (0, 1])',
    )
    .option(
      '--market-caps <file>',
      'market capitalisations of the Black-Litterman prior: CSV (ticker,market_cap) or JSON {"TICKER": cap}',
    )
    .option(
      '--tau <t>',
      `Black-Litterman tau: uncertainty of the prior relative to the covariance (default ${DEFAULT_TAU})`,
      positiveNumber,
    )
    .option(
      '--bl-delta <d>',
      `risk aversion delta of the market-implied prior, pi = delta S w_mkt + rf (default ${DEFAULT_BL_DELTA})`,
      positiveNumber,
    )
    .option(
      '--market-index <ticker|file>',
      'imply delta = (E[r_m] - rf) / var(r_m) from a market index: a ticker of the price data (then left out of the ' +
        'portfolio), a price file or sample:NAME',
    );
}

/**
 * Checks that the Black-Litterman flags come with `--returns-model black-litterman` and are consistent. Throws
 * ValidationError naming the flag to change.
 */
export function checkBlackLittermanFlags(returnsModel: string, flags: BlackLittermanFlags): void {
  const given = (
    [
      [flags.views, '--views'],
      [flags.marketCaps, '--market-caps'],
      [flags.tau, '--tau'],
      [flags.blDelta, '--bl-delta'],
      [flags.marketIndex, '--market-index'],
    ] as const
  ).filter(([v]) => v !== undefined);
  if (returnsModel !== BLACK_LITTERMAN) {
    const first = given[0];
    if (first !== undefined) {
      const alsoCaps = first[1] === '--market-caps' ? ' (or to --objective market-cap)' : '';
      throw new ValidationError(
        `${first[1]} applies to --returns-model black-litterman${alsoCaps}, not ${returnsModel}`,
      );
    }
    return;
  }
  if (flags.marketCaps === undefined) {
    throw new ValidationError(
      '--returns-model black-litterman needs --market-caps FILE (CSV ticker,market_cap or JSON): the prior is the ' +
        'market-implied return delta S w_mkt + rf',
    );
  }
  if (flags.blDelta !== undefined && flags.marketIndex !== undefined) {
    throw new ValidationError('give the risk aversion by --bl-delta D or imply it by --market-index, not both');
  }
}

/**
 * The market index of `--market-index`: a column of `prices` (the caller then leaves it out of the portfolio) or a
 * one-column price file or sample, cut to the dates of `prices` (delta then reflects the period of the estimates).
 * Undefined without the flag.
 */
export function marketIndexPrices(
  ctx: CommandContext,
  flags: BlackLittermanFlags,
  prices: DatedMatrix,
  load: LoadPricesOptions,
): { prices: DatedMatrix; inData: boolean } | undefined {
  const name = flags.marketIndex;
  if (name === undefined) return undefined;
  if (prices.has(name)) return { prices: prices.selectTickers([name]), inData: true };
  const source = name.startsWith('sample:') ? name : ctx.resolvePath(name);
  // The index keeps its own frequency: only the reading options that are about the text apply.
  const { periodsPerYear: _ignored, ...reading } = load;
  const first = isoDate(prices.dates[0] as number);
  const last = isoDate(prices.dates[prices.rowCount - 1] as number);
  const index = loadPrices(source, { ...reading, label: name }).between(first, last);
  if (index.columnCount !== 1) {
    throw new DataError(
      `the market index ${name} has ${index.columnCount} columns; give a file with one price column or a ticker of ` +
        'the price data',
    );
  }
  return { prices: index, inData: false };
}

/** What `--returns-model black-litterman` produced: the model, and its report for the JSON output. */
export interface BlackLittermanEstimate {
  readonly model: BlackLittermanResult;
  /** The `blackLitterman` member of the JSON output. */
  readonly report: Record<string, unknown>;
  /** One line for stderr saying how the posterior was formed. */
  readonly description: string;
}

/**
 * The Black-Litterman posterior over the covariance `cov` (annual, of `--risk-model`): prior delta S w_mkt + rf from
 * the market caps, the views of `--views` (none without it: the posterior mean is then the prior), delta from
 * `--bl-delta`, implied by the market index, or 2.5.
 */
export function estimateBlackLitterman(
  ctx: CommandContext,
  flags: BlackLittermanFlags,
  cov: CovarianceMatrix,
  market: DatedMatrix | undefined,
  riskFreeRate: number,
): BlackLittermanEstimate {
  const tickers = cov.tickers;
  const capsFile = flags.marketCaps as string;
  const caps = readMarketCaps(ctx.resolvePath(capsFile));
  try {
    marketWeights(caps, tickers);
  } catch (error) {
    if (!(error instanceof PfoptError)) throw error;
    throw new DataError(`${capsFile}: ${error.message}`, { cause: error });
  }
  const views = flags.views === undefined ? { views: [] } : readViews(ctx, flags.views, tickers);
  let delta = DEFAULT_BL_DELTA;
  let deltaSource = `${DEFAULT_BL_DELTA}, the default (set --bl-delta or --market-index)`;
  if (flags.blDelta !== undefined) {
    delta = flags.blDelta;
    deltaSource = `${delta} (--bl-delta)`;
  } else if (market !== undefined) {
    delta = marketImpliedRiskAversion(market, { riskFreeRate });
    deltaSource = `${round(delta)} implied by ${flags.marketIndex} (${market.rowCount} prices)`;
  }
  const model = blackLitterman({
    covariance: cov,
    views,
    marketCaps: caps,
    riskAversion: delta,
    tau: flags.tau ?? DEFAULT_TAU,
    riskFreeRate,
    viewsSource: flags.views ?? 'the views',
  });
  const byTicker = (x: ArrayLike<number>) => Object.fromEntries(tickers.map((t, i) => [t, x[i] as number]));
  const report = {
    viewsFile: flags.views ?? null,
    marketCapsFile: capsFile,
    tau: model.tau,
    riskAversion: delta,
    riskAversionSource: flags.blDelta !== undefined ? 'given' : market !== undefined ? 'market-index' : 'default',
    ...(flags.marketIndex === undefined ? {} : { marketIndex: flags.marketIndex }),
    riskFreeRate,
    omegaMethod: model.omegaMethod,
    covariance: 'posterior',
    views: views.views.map((v, r) => ({
      ...(v.kind === 'absolute' ? { asset: v.asset } : { long: v.long, short: v.short }),
      return: v.return,
      ...(views.confidences === undefined ? {} : { confidence: views.confidences[r] }),
      omega: model.omega[r],
    })),
    marketWeights: byTicker(model.marketWeights as Float64Array),
    prior: byTicker(model.prior),
    posterior: byTicker(model.expectedReturns.values),
    impliedWeights: model.weights === undefined ? null : byTicker(model.weights),
    notes: model.notes,
  };
  const k = views.views.length;
  const description =
    `Black-Litterman: market-implied prior (delta ${deltaSource}, tau ${model.tau}) with ` +
    (k === 0
      ? 'no views (--views not given), so the posterior mean is the prior'
      : `${k} view${k === 1 ? '' : 's'} from ${flags.views} (Omega by ${model.omegaMethod})`) +
    '; the posterior mean and covariance replace the estimates';
  return { model, report, description };
}

/** Reads and validates the views file; every problem is one ValidationError naming the file. */
export function readViews(ctx: CommandContext, file: string, tickers: readonly string[]): BlackLittermanViews {
  let text: string;
  try {
    text = readFileSync(ctx.resolvePath(file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'there is no such file' : (error as Error).message;
    throw new ValidationError(`cannot read the views file ${file}: ${reason}`, { cause: error });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(
      `${file} is not valid JSON (${(error as Error).message}); write {"views": [{"TICKER": 0.10}, ...]}`,
    );
  }
  return parseViews(document, file, tickers);
}

function round(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

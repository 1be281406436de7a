/**
 * Historical stress tests: a portfolio held at constant weights replayed over named episodes (episodes.ts), beside
 * its benchmark.
 *
 * Definitions, for a series of observations (prices) with dates d_0 < d_1 < ... and an episode [S, E]:
 * - Close dates. Each observation is the close of a day. Daily (and any other) data close on their own dates. Weekly,
 *   monthly, quarterly and annual data (52, 12, 4 or 1 periods a year) are taken as the close of the calendar period
 *   that holds their date (the Sunday ending its Monday-Sunday week, the last day of its month, quarter or year),
 *   whatever day of the period labels them: the embedded monthly samples date each month-end close on the first of
 *   the month ("Jan 1 2000" is the close of 2000-01-31). This is `dateConvention: 'period-end'`, the default at those
 *   frequencies; `'observation'` uses the dates as they are.
 * - Window: from the anchor a, the last observation closing at or before S, to the end e, the first observation
 *   closing at or after E: the shortest run of observations that contains the episode. On daily data whose dates
 *   include S and E this is exactly the close of S to the close of E; on monthly data it runs from the month-end
 *   before S to the month-end at or after E (the dot-com crash 2000-03-24 to 2002-10-09 becomes the close of
 *   2000-02 to the close of 2002-10).
 * - Coverage. `covered`: a and e exist (the data have a price at or before S and at or after E) and some observation
 *   closes in [S, E), so that the data resolve the episode. `too-short`: a and e exist but no observation closes in
 *   [S, E): the episode falls inside one period of the data (a one-week episode on monthly data) and is not replayed.
 *   `partial`: a or e is missing but some observation closes in [S, E]; it is reported with the dates of that overlap
 *   and no figures, since a part of an episode is not the episode. `outside`: no observation in [S, E] and a or e
 *   missing. Figures are only ever computed for covered episodes; elsewhere they are NaN (null in JSON), never 0.
 * - Assets without prices. The portfolio's observations are the dates on which at least one held asset (non-zero
 *   weight) has a price. In a covered window, an asset with a missing price on any observation from a to e (not yet
 *   listed, delisted, or a gap) is missing for the episode. With `missingAssets: 'exclude-episode'` (default) the
 *   episode is then `assets-missing` for the portfolio, naming them. With `'renormalize'` the missing assets are left
 *   out and each remaining weight is multiplied by `G / G_c`, the gross exposure `sum_i |w_i|` of all held assets
 *   over that of the remaining ones (for a long-only portfolio, the invested total is kept); the episode is
 *   `assets-missing` only when no held asset has every price.
 * - Figures over the window, with per-period returns `r_i,t = p_i,t / p_i,t-1 - 1` for t = a+1 .. e and the portfolio
 *   rebalanced to its weights every period, `r_t = sum_i w_i r_i,t` (cash, `1 - sum w`, at a zero return, as in
 *   portfolio-returns.ts): the return `prod_t (1 + r_t) - 1`; the buy-and-hold return `sum_i w_i (p_i,e / p_i,a - 1)`
 *   of the same weights set at a and left to drift; the maximum drawdown `min_t W_t / max(1, max_{s<=t} W_s) - 1` of
 *   the wealth `W_t = prod_{s<=t} (1 + r_s)` that starts at 1 on a (drawdown.ts); and the worst period
 *   `min_t r_t` with its date. All are fractions over the episode (the worst period is per period of the data: the
 *   worst day of daily data, the worst month of monthly data).
 */

import type { DatedMatrix } from '../../core/dated-matrix.js';
import { lowerBound } from '../../core/dated-matrix.js';
import { daysInMonth, epochDay, isoDate, parseIsoDate, weekdayOf, ymdOf } from '../../core/dates.js';
import { DataError, ValidationError } from '../../core/errors.js';
import { drawdownStats } from '../drawdown.js';
import { checkEpisode, type StressEpisode } from './episodes.js';
import { heldAssets, type StressWeights } from './weights.js';

/** How observation dates map to the close they represent (see the module comment). */
export type DateConvention = 'observation' | 'period-end';

/** Coverage of an episode by a series' observations (see the module comment). */
export type WindowStatus = 'covered' | 'too-short' | 'partial' | 'outside';

/** The outcome of replaying an episode: its coverage, or `assets-missing` when held assets lack prices in it. */
export type ReplayStatus = WindowStatus | 'assets-missing';

/** What to do with held assets that lack a price inside a covered episode. */
export type MissingAssetPolicy = 'exclude-episode' | 'renormalize';

/** The observations of an episode's window, as row indices of the close dates. */
export interface EpisodeWindow {
  readonly status: WindowStatus;
  /**
   * Row of the anchor a (covered, too-short) or of the first observation inside [S, E] (partial); -1 when outside.
   */
  readonly startRow: number;
  /** Row of the end e (covered, too-short) or of the last observation inside [S, E] (partial); -1 when outside. */
  readonly endRow: number;
}

/** One series replayed over one episode. Dates are day numbers; fractions are over the whole episode. */
export interface SeriesReplay {
  readonly status: ReplayStatus;
  /** Date of the window's first observation (the anchor a; for `partial`, the first observation inside). */
  readonly from: number | null;
  /** Date of the window's last observation (e; for `partial`, the last observation inside). */
  readonly to: number | null;
  /** Number of returns in the window (e - a) when replayed, else 0. */
  readonly periods: number;
  /** `prod (1 + r_t) - 1` of the rebalanced portfolio; NaN unless replayed. */
  readonly totalReturn: number;
  /** `sum_i w_i (p_i,e / p_i,a - 1)`, the weights left to drift; NaN unless replayed. */
  readonly buyAndHoldReturn: number;
  /** Deepest drawdown inside the window from the wealth 1 at a (a fraction <= 0); NaN unless replayed. */
  readonly maxDrawdown: number;
  /** Date of the drawdown's peak (a itself when the fall starts at once); null when none or not replayed. */
  readonly maxDrawdownPeak: number | null;
  /** Date of the drawdown's trough; null when none or not replayed. */
  readonly maxDrawdownTrough: number | null;
  /** `min_t r_t`, the worst single period; NaN unless replayed. */
  readonly worstPeriod: number;
  /** Date of the worst period (the first on ties); null unless replayed. */
  readonly worstPeriodDate: number | null;
  /** Held assets without a price on every observation of a covered window (left out, or why it was not replayed). */
  readonly missing: readonly string[];
  /** Weights replayed by ticker (rescaled when assets were left out); empty unless replayed. */
  readonly weights: Readonly<Record<string, number>>;
}

/** An episode replayed on the portfolio and on its benchmark. */
export interface EpisodeReplay {
  readonly episode: StressEpisode;
  readonly portfolio: SeriesReplay;
  /** The benchmark's replay, when a benchmark was given. */
  readonly benchmark?: SeriesReplay;
}

/** Options of the replays. */
export interface ReplayOptions {
  /** Held assets lacking prices in an episode; default `'exclude-episode'`. */
  readonly missingAssets?: MissingAssetPolicy;
  /**
   * Dating of the observations; default `'period-end'` for data of 52, 12, 4 or 1 periods a year, else
   * `'observation'` (each series by its own periods per year).
   */
  readonly dateConvention?: DateConvention;
}

/** Options of `replayEpisodes`. */
export interface ReplayEpisodesOptions extends ReplayOptions {
  /** Prices of the benchmark (one column, its own dates), replayed at weight 1 beside the portfolio. */
  readonly benchmark?: DatedMatrix;
}

/** The default dating of data with `periodsPerYear` periods a year: period-end for 52, 12, 4, 1; else observation. */
export function defaultDateConvention(periodsPerYear: number | undefined): DateConvention {
  return periodsPerYear === 52 || periodsPerYear === 12 || periodsPerYear === 4 || periodsPerYear === 1
    ? 'period-end'
    : 'observation';
}

/**
 * The close date (day number) of each observation: the date itself (`'observation'`), or the last day of the calendar
 * period holding it (`'period-end'`: the Sunday of its Monday-Sunday week for 52 periods a year, the last day of its
 * month for 12, of its calendar quarter for 4, December 31 for 1). Throws ValidationError for `'period-end'` at
 * another frequency, or when two observations fall in the same period.
 */
export function closeDates(dates: ArrayLike<number>, convention: DateConvention, periodsPerYear?: number): Int32Array {
  const out = Int32Array.from(dates);
  if (convention === 'observation') return out;
  const end = periodEnd(periodsPerYear);
  for (let i = 0; i < out.length; i++) {
    out[i] = end(out[i] as number);
    if (i > 0 && out[i] === out[i - 1]) {
      throw new ValidationError(
        `${isoDate(dates[i - 1] as number)} and ${isoDate(dates[i] as number)} fall in the same period of ` +
          `${periodsPerYear}-a-year data; use the observation dates as they are (dateConvention 'observation')`,
      );
    }
  }
  return out;
}

function periodEnd(periodsPerYear: number | undefined): (day: number) => number {
  switch (periodsPerYear) {
    case 52:
      return (day) => day + 6 - ((weekdayOf(day) + 6) % 7);
    case 12:
      return (day) => {
        const { year, month } = ymdOf(day);
        return epochDay(year, month, daysInMonth(year, month));
      };
    case 4:
      return (day) => {
        const { year, month } = ymdOf(day);
        const last = 3 * Math.ceil(month / 3);
        return epochDay(year, last, daysInMonth(year, last));
      };
    case 1:
      return (day) => epochDay(ymdOf(day).year, 12, 31);
    default:
      throw new ValidationError(
        `period-end dating needs weekly, monthly, quarterly or annual data (52, 12, 4 or 1 periods a year), ` +
          `not ${periodsPerYear}`,
      );
  }
}

/**
 * The window of the episode [start, end] (day numbers, start < end) in the sorted close dates `close` (see the module
 * comment): a = last row closing at or before start, e = first row closing at or after end.
 */
export function episodeWindow(close: ArrayLike<number>, start: number, end: number): EpisodeWindow {
  if (!(start < end)) throw new ValidationError(`an episode must start before it ends, got ${start} and ${end}`);
  const n = close.length;
  const a = lowerBound(close, start + 1) - 1;
  const e = lowerBound(close, end);
  const firstInside = lowerBound(close, start);
  const beforeEnd = e; // rows closing before `end` are those below e
  const lastInside = lowerBound(close, end + 1) - 1;
  if (a >= 0 && e < n) {
    return { status: firstInside < beforeEnd ? 'covered' : 'too-short', startRow: a, endRow: e };
  }
  if (firstInside <= lastInside) return { status: 'partial', startRow: firstInside, endRow: lastInside };
  return { status: 'outside', startRow: -1, endRow: -1 };
}

/**
 * Replays one episode on a portfolio of `prices` (dates x tickers, NaN = no price) held at `weights` (see the module
 * comment for the window, coverage, the treatment of assets without prices and each figure).
 */
export function replayEpisode(
  prices: DatedMatrix,
  weights: StressWeights,
  episode: StressEpisode,
  options: ReplayOptions = {},
): SeriesReplay {
  checkEpisode(episode);
  const held = heldAssets(prices.tickers, weights);
  const t = prices.rowCount;
  const x = prices.values;
  // The portfolio's observations: rows where some held asset has a price.
  const rows: number[] = [];
  for (let i = 0; i < t; i++) {
    if (held.columns.some((j) => !Number.isNaN(x[j * t + i] as number))) rows.push(i);
  }
  const dates = Int32Array.from(rows, (i) => prices.dates[i] as number);
  const convention = options.dateConvention ?? defaultDateConvention(periodsOf(prices));
  const close = closeDates(dates, convention, periodsOf(prices));
  const start = parseIsoDate(episode.start);
  const end = parseIsoDate(episode.end);
  const window = episodeWindow(close, start, end);
  const unreplayed = (status: ReplayStatus, missing: readonly string[] = []): SeriesReplay => ({
    status,
    from: window.startRow < 0 ? null : (dates[window.startRow] as number),
    to: window.endRow < 0 ? null : (dates[window.endRow] as number),
    periods: 0,
    totalReturn: Number.NaN,
    buyAndHoldReturn: Number.NaN,
    maxDrawdown: Number.NaN,
    maxDrawdownPeak: null,
    maxDrawdownTrough: null,
    worstPeriod: Number.NaN,
    worstPeriodDate: null,
    missing,
    weights: {},
  });
  if (window.status !== 'covered') return unreplayed(window.status);
  const a = window.startRow;
  const e = window.endRow;
  const present: number[] = [];
  const missing: string[] = [];
  held.columns.forEach((j, k) => {
    let complete = true;
    for (let r = a; r <= e; r++) {
      const p = x[j * t + (rows[r] as number)] as number;
      if (Number.isNaN(p)) {
        complete = false;
        break;
      }
      if (!(p > 0) || p === Number.POSITIVE_INFINITY) {
        throw new DataError(
          `price of ${JSON.stringify(prices.tickers[j])} on ${isoDate(dates[r] as number)} is ${p}; prices must be ` +
            'positive finite numbers',
        );
      }
    }
    if (complete) present.push(k);
    else missing.push(held.tickers[k] as string);
  });
  const policy = options.missingAssets ?? 'exclude-episode';
  if (policy !== 'exclude-episode' && policy !== 'renormalize') {
    throw new ValidationError(
      `unknown missing-asset policy ${JSON.stringify(policy)}; use exclude-episode or renormalize`,
    );
  }
  if (present.length === 0 || (missing.length > 0 && policy === 'exclude-episode')) {
    return unreplayed('assets-missing', missing);
  }
  let gross = 0;
  let grossPresent = 0;
  held.weights.forEach((w) => {
    gross += Math.abs(w);
  });
  for (const k of present) grossPresent += Math.abs(held.weights[k] as number);
  const scale = missing.length === 0 ? 1 : gross / grossPresent;
  const w = Float64Array.from(present, (k) => (held.weights[k] as number) * scale);
  const cols = present.map((k) => held.columns[k] as number);
  const periods = e - a;
  const r = new Float64Array(periods);
  let buyAndHold = 0;
  cols.forEach((j, k) => {
    const base = j * t;
    const wk = w[k] as number;
    let prev = x[base + (rows[a] as number)] as number;
    for (let s = 1; s <= periods; s++) {
      const p = x[base + (rows[a + s] as number)] as number;
      r[s - 1] = (r[s - 1] as number) + wk * (p / prev - 1);
      prev = p;
    }
    buyAndHold += wk * ((x[base + (rows[e] as number)] as number) / (x[base + (rows[a] as number)] as number) - 1);
  });
  let growth = 1;
  let worst = Number.POSITIVE_INFINITY;
  let worstAt = 0;
  for (let s = 0; s < periods; s++) {
    const v = r[s] as number;
    growth *= 1 + v;
    if (v < worst) {
      worst = v;
      worstAt = s;
    }
  }
  const dd = drawdownStats(r);
  const dateOf = (index: number | null): number | null => (index === null ? null : (dates[a + 1 + index] as number));
  return {
    status: 'covered',
    from: dates[a] as number,
    to: dates[e] as number,
    periods,
    totalReturn: growth - 1,
    buyAndHoldReturn: buyAndHold,
    maxDrawdown: dd.maxDrawdown,
    maxDrawdownPeak: dateOf(dd.peakIndex),
    maxDrawdownTrough: dateOf(dd.troughIndex),
    worstPeriod: worst,
    worstPeriodDate: dates[a + 1 + worstAt] as number,
    missing,
    weights: Object.fromEntries(cols.map((j, k) => [prices.tickers[j] as string, w[k] as number])),
  };
}

/**
 * Replays each episode on the portfolio (`replayEpisode`) and, when `options.benchmark` is given, on the benchmark's
 * prices (one column, weight 1, on its own dates and dating convention).
 */
export function replayEpisodes(
  prices: DatedMatrix,
  weights: StressWeights,
  episodes: readonly StressEpisode[],
  options: ReplayEpisodesOptions = {},
): EpisodeReplay[] {
  const benchmark = options.benchmark;
  if (benchmark !== undefined && benchmark.columnCount !== 1) {
    throw new ValidationError(`the benchmark must be one price series, got ${benchmark.columnCount} columns`);
  }
  return episodes.map((episode) => {
    const portfolio = replayEpisode(prices, weights, episode, options);
    if (benchmark === undefined) return { episode, portfolio };
    return { episode, portfolio, benchmark: replayEpisode(benchmark, [1], episode, options) };
  });
}

/** One bar group of the stress-test chart: an episode's return for the portfolio and the benchmark. */
export interface StressBar {
  readonly id: string;
  readonly name: string;
  /** The portfolio's return over the episode (a fraction); NaN when it was not replayed. */
  readonly portfolio: number;
  /** The benchmark's return; NaN when it was not replayed or there is no benchmark. */
  readonly benchmark: number;
}

/**
 * Data of the stress-test bar chart: for every episode replayed on the portfolio or the benchmark, the two returns
 * (`totalReturn`, NaN for a side not replayed). Episodes replayed on neither are left out.
 */
export function stressBars(replays: readonly EpisodeReplay[]): StressBar[] {
  return replays
    .filter((r) => r.portfolio.status === 'covered' || r.benchmark?.status === 'covered')
    .map((r) => ({
      id: r.episode.id,
      name: r.episode.name,
      portfolio: r.portfolio.totalReturn,
      benchmark: r.benchmark?.totalReturn ?? Number.NaN,
    }));
}

/** Periods per year of a matrix, or undefined when neither given nor inferable. */
function periodsOf(m: DatedMatrix): number | undefined {
  try {
    return m.periodsPerYear;
  } catch {
    return undefined;
  }
}

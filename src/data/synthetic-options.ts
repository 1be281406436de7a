/**
 * Options of the synthetic market generator (`generateMarket` in synthetic.ts): their types, defaults, allowed
 * ranges, and the check that turns user options into fully resolved ones. Rates and volatilities are annual
 * fractions (0.07 is 7% a year); synthetic.ts converts them to per-period values.
 */

import { daysInMonth, epochDay, isoDate, parseIsoDate, weekdayOf, ymdOf } from '../core/dates.js';
import { ValidationError } from '../core/errors.js';
import { KNOWN_FREQUENCIES } from '../core/periods.js';

/** Sampling frequency of a synthetic market: one price per weekday, per week, or per month. */
export type SyntheticFrequency = 'daily' | 'weekly' | 'monthly';

/** A scheduled crash: every return whose period ends on a date from `from` to `to` (inclusive) is a crash return. */
export interface CrashWindow {
  /** First date of the window: ISO text (YYYY-MM-DD) or a day number (days since 1970-01-01). */
  readonly from: string | number;
  /** Last date of the window, inclusive; same forms as `from`. */
  readonly to: string | number;
}

/**
 * The crash regime: in a crash period the market factor's expected return is `marketReturn` and the market and
 * sector factors' volatilities are multiplied by `volMultiplier`; idiosyncratic volatility is unchanged, so
 * correlations rise in a crash as they do in real markets. Crash periods come either from a two-state Markov switch
 * (`rate`, `duration`; the default) or from scheduled `windows`, not both.
 */
export interface CrashOptions {
  /**
   * Markov switch: expected number of crashes starting per year spent in the normal regime, from above 0 up to the
   * periods per year. The per-period probability of entering a crash is `rate / periodsPerYear`. Default 0.1.
   */
  readonly rate?: number;
  /**
   * Markov switch: mean crash length in years, at least one period (`1 / periodsPerYear`) and at most 50. The
   * per-period probability of leaving a crash is `1 / (duration * periodsPerYear)`. Default 0.25.
   */
  readonly duration?: number;
  /** Scheduled crash windows instead of the Markov switch; each must contain at least one generated date. */
  readonly windows?: readonly CrashWindow[];
  /**
   * Expected market factor return during a crash, annualised (arithmetic: per period `marketReturn /
   * periodsPerYear`), from -10 to 1. Default -0.8: about -20% over a crash of the default quarter-year length.
   */
  readonly marketReturn?: number;
  /** Factor of the market and sector factor volatilities during a crash, from 1 to 10. Default 2.5. */
  readonly volMultiplier?: number;
}

/** Late listings: assets whose first prices are missing (NaN) because they start trading later. */
export interface LateListingOptions {
  /** Share of the assets listed late, from 0 to 1; `round(share * assets)` assets are. */
  readonly share: number;
  /**
   * Longest delay as a fraction of the periods, above 0 and at most 1. Each late asset's first price is on row
   * d, uniform from 1 to `min(periods - 2, max(1, floor(maxDelay * periods)))`, so it always has at least two
   * prices. Default 0.5.
   */
  readonly maxDelay?: number;
}

/**
 * Options of `generateMarket`. Every field is optional. Annual values are fractions per year (0.16 is 16%).
 *
 * The model, per period t and asset i (simple returns, fractions per period; P = periods per year):
 * `r_it = alpha_i / P + beta_i f_t + lambda_i g_{s(i),t} + (sigma_i / sqrt(P)) e_it`, with the market factor
 * `f_t = mu / P + (vol / sqrt(P)) z_t` (crash parameters in a crash period), sector factors
 * `g_kt = (sectorVol / sqrt(P)) z_kt`, and independent unit-variance innovations z, e.
 */
export interface SyntheticMarketOptions {
  /** Number of assets N, from 1 to 10,000 (the true N x N covariance can be read). Default 50. */
  readonly assets?: number;
  /**
   * Number of price dates T, from 2 to 1,000,000; assets x periods at most 100,000,000. Default 10 years:
   * 2520 daily, 520 weekly, 120 monthly.
   */
  readonly periods?: number;
  /** Seed, a whole number from 0 to 2^53 - 1: the same options and seed give the same market bit for bit. Default 1. */
  readonly seed?: number;
  /**
   * `'daily'` (weekdays Monday-Friday, 252 periods per year), `'weekly'` (every 7 days, 52) or `'monthly'` (the last
   * weekday of each month, 12). Default `'daily'`.
   */
  readonly frequency?: SyntheticFrequency;
  /**
   * First date (ISO YYYY-MM-DD or a day number), rolled forward to a weekday; monthly data starts with the first
   * month-end on or after it. Default `'2000-01-03'`.
   */
  readonly start?: string | number;
  /**
   * Sector count K (from 1 to the number of assets, named 'Sector 01', ...) or the sector names (distinct,
   * non-empty, at most one per asset). Assets are spread evenly over the sectors in random order. Default: the 11
   * GICS sector names, or the first N of them when there are fewer than 11 assets.
   */
  readonly sectors?: number | readonly string[];
  /** Expected market factor return (normal regime), annual arithmetic, from -1 to 1. Default 0.07. */
  readonly marketReturn?: number;
  /** Market factor volatility (normal regime), annual, from 0 to 2. Default 0.16. */
  readonly marketVol?: number;
  /** Volatility of each sector factor (normal regime), annual, from 0 to 2. Default 0.08. */
  readonly sectorVol?: number;
  /**
   * Idiosyncratic volatility, annual, from 0 to 2: one value for every asset, or `[low, high]` for values drawn
   * uniformly per asset. Default `[0.15, 0.35]`.
   */
  readonly idiosyncraticVol?: number | readonly [number, number];
  /** Mean of the market betas, from -3 to 3. Default 1. */
  readonly betaMean?: number;
  /**
   * Spread of the market betas, from 0 to 2: `beta_i = betaMean + betaSd * z` with z standard normal truncated to
   * [-3, 3]. Default 0.3.
   */
  readonly betaSd?: number;
  /** Spread of the sector loadings around 1, from 0 to 2, drawn like the betas. Default 0.25. */
  readonly sectorLoadingSd?: number;
  /** Cross-sectional standard deviation of the annual alphas (normal, mean 0), from 0 to 1. Default 0.02. */
  readonly alphaSd?: number;
  /**
   * Degrees of freedom nu of the Student-t innovations (scaled to unit variance, so volatilities stay exact):
   * a number above 2, or `Infinity` for normal innovations. Excess kurtosis of each innovation is 6 / (nu - 4) for
   * nu > 4 and infinite for nu <= 4. Default 5.
   */
  readonly tailDf?: number;
  /** The crash regime: `true` for the default Markov switch, an object to set it, `false`/absent for none. */
  readonly crash?: boolean | CrashOptions;
  /** Late listings: a share of the assets (0 to 1) with the default `maxDelay`, or the full options. Default none. */
  readonly lateListings?: number | LateListingOptions;
}

/** The resolved crash regime of a Markov switch. */
export interface ResolvedMarkovCrash {
  readonly kind: 'markov';
  /** Expected crash starts per year of normal regime. */
  readonly rate: number;
  /** Mean crash length in years. */
  readonly duration: number;
  /** Per-period probability of entering a crash from the normal regime: `rate / periodsPerYear`. */
  readonly enterProbability: number;
  /** Per-period probability of leaving a crash: `1 / (duration * periodsPerYear)`. */
  readonly exitProbability: number;
  /** Annual expected market factor return during a crash. */
  readonly marketReturn: number;
  /** Factor of the market and sector factor volatilities during a crash. */
  readonly volMultiplier: number;
}

/** The resolved crash regime of scheduled windows (day numbers, inclusive). */
export interface ResolvedWindowCrash {
  readonly kind: 'windows';
  /** The windows as day numbers `[from, to]`, inclusive. */
  readonly windows: readonly (readonly [number, number])[];
  /** Annual expected market factor return during a crash. */
  readonly marketReturn: number;
  /** Factor of the market and sector factor volatilities during a crash. */
  readonly volMultiplier: number;
}

/** Every option of `generateMarket` with its default filled in and its value checked. */
export interface ResolvedMarketOptions {
  /** Number of assets N. */
  readonly assets: number;
  /** Number of price dates T (T - 1 returns). */
  readonly periods: number;
  /** The seed of every random stream. */
  readonly seed: number;
  /** Sampling frequency. */
  readonly frequency: SyntheticFrequency;
  /** Periods per year of the frequency: 252, 52 or 12. */
  readonly periodsPerYear: number;
  /** The price dates (day numbers), `periods` of them; the same array as the prices' dates. */
  readonly dates: Int32Array;
  /** Sector names; a sector index refers to this list. */
  readonly sectorNames: readonly string[];
  /** Expected market factor return in the normal regime, annual arithmetic. */
  readonly marketReturn: number;
  /** Market factor volatility in the normal regime, annual. */
  readonly marketVol: number;
  /** Sector factor volatility in the normal regime, annual. */
  readonly sectorVol: number;
  /** `[low, high]` annual idiosyncratic volatility (equal for a single value). */
  readonly idiosyncraticVol: readonly [number, number];
  /** Mean of the betas before truncation. */
  readonly betaMean: number;
  /** Standard deviation of the betas before truncation at 3 of them. */
  readonly betaSd: number;
  /** Standard deviation of the sector loadings (around 1) before truncation at 3 of them. */
  readonly sectorLoadingSd: number;
  /** Standard deviation of the annual alphas. */
  readonly alphaSd: number;
  /** Degrees of freedom of the innovations (Infinity: normal). */
  readonly tailDf: number;
  /** The crash regime, or null for none. */
  readonly crash: ResolvedMarkovCrash | ResolvedWindowCrash | null;
  /** Late listings: share of assets and the longest delay in rows (0 when there are none). */
  readonly lateListings: { readonly share: number; readonly maxDelayRows: number };
}

/** The 11 GICS sectors, the default sector names. */
export const GICS_SECTORS: readonly string[] = Object.freeze([
  'Energy',
  'Materials',
  'Industrials',
  'Consumer Discretionary',
  'Consumer Staples',
  'Health Care',
  'Financials',
  'Information Technology',
  'Communication Services',
  'Utilities',
  'Real Estate',
]);

/** Largest number of assets (the true covariance, built when first read, has assets^2 entries: 800 MB at this size). */
export const MAX_ASSETS = 10_000;
/** Largest number of price dates. */
export const MAX_PERIODS = 1_000_000;
/** Largest assets x periods (the prices take 8 bytes each: 800 MB at this size). */
export const MAX_CELLS = 100_000_000;

const OPTION_KEYS = [
  'assets',
  'periods',
  'seed',
  'frequency',
  'start',
  'sectors',
  'marketReturn',
  'marketVol',
  'sectorVol',
  'idiosyncraticVol',
  'betaMean',
  'betaSd',
  'sectorLoadingSd',
  'alphaSd',
  'tailDf',
  'crash',
  'lateListings',
] as const;
const CRASH_KEYS = ['rate', 'duration', 'windows', 'marketReturn', 'volMultiplier'] as const;
const LATE_KEYS = ['share', 'maxDelay'] as const;
const FIRST_DAY = epochDay(1000, 1, 1);
const LAST_DAY = epochDay(9999, 12, 31);

/**
 * Checks `options` and fills in the defaults. Throws ValidationError naming the first bad option, its allowed
 * range and the value given, including for unknown option names.
 */
export function resolveMarketOptions(options: SyntheticMarketOptions = {}): ResolvedMarketOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('the synthetic market options must be an object');
  }
  rejectUnknown('option', options, OPTION_KEYS);
  const frequency = options.frequency ?? 'daily';
  if (frequency !== 'daily' && frequency !== 'weekly' && frequency !== 'monthly') {
    throw new ValidationError(`frequency must be 'daily', 'weekly' or 'monthly', got ${JSON.stringify(frequency)}`);
  }
  const periodsPerYear = KNOWN_FREQUENCIES[frequency];
  const assets = wholeNumber('assets', options.assets ?? 50, 1, MAX_ASSETS);
  const periods = wholeNumber('periods', options.periods ?? 10 * periodsPerYear, 2, MAX_PERIODS);
  if (assets * periods > MAX_CELLS) {
    throw new ValidationError(
      `assets x periods must be at most ${MAX_CELLS.toLocaleString('en-US')}, got ${assets} x ${periods}`,
    );
  }
  const seed = wholeNumber('seed', options.seed ?? 1, 0, Number.MAX_SAFE_INTEGER);
  const start = options.start === undefined ? epochDay(2000, 1, 3) : dayOf('start', options.start);
  const dates = marketDates(frequency, start, periods);
  const sectorNames = resolveSectors(options.sectors, assets);

  const marketReturn = numberIn('marketReturn', options.marketReturn ?? 0.07, -1, 1);
  const marketVol = numberIn('marketVol', options.marketVol ?? 0.16, 0, 2);
  const sectorVol = numberIn('sectorVol', options.sectorVol ?? 0.08, 0, 2);
  const idio = options.idiosyncraticVol ?? ([0.15, 0.35] as const);
  let idiosyncraticVol: [number, number];
  if (typeof idio === 'number') {
    const v = numberIn('idiosyncraticVol', idio, 0, 2);
    idiosyncraticVol = [v, v];
  } else if (Array.isArray(idio) && idio.length === 2) {
    const lo = numberIn('idiosyncraticVol[0]', idio[0], 0, 2);
    const hi = numberIn('idiosyncraticVol[1]', idio[1], 0, 2);
    if (lo > hi) throw new ValidationError(`idiosyncraticVol must be [low, high] with low <= high, got [${lo}, ${hi}]`);
    idiosyncraticVol = [lo, hi];
  } else {
    throw new ValidationError('idiosyncraticVol must be a number or a [low, high] pair of annual volatilities');
  }
  const betaMean = numberIn('betaMean', options.betaMean ?? 1, -3, 3);
  const betaSd = numberIn('betaSd', options.betaSd ?? 0.3, 0, 2);
  const sectorLoadingSd = numberIn('sectorLoadingSd', options.sectorLoadingSd ?? 0.25, 0, 2);
  const alphaSd = numberIn('alphaSd', options.alphaSd ?? 0.02, 0, 1);
  const tailDf = options.tailDf ?? 5;
  if (typeof tailDf !== 'number' || !(tailDf > 2)) {
    throw new ValidationError(
      `tailDf must be a number of degrees of freedom above 2 (Infinity for normal innovations), got ${tailDf}`,
    );
  }

  return {
    assets,
    periods,
    seed,
    frequency,
    periodsPerYear,
    dates,
    sectorNames,
    marketReturn,
    marketVol,
    sectorVol,
    idiosyncraticVol,
    betaMean,
    betaSd,
    sectorLoadingSd,
    alphaSd,
    tailDf,
    crash: resolveCrash(options.crash, periodsPerYear, dates),
    lateListings: resolveLateListings(options.lateListings, assets, periods),
  };
}

/**
 * The price dates of a synthetic market: `count` day numbers from `start` (rolled forward to a weekday).
 * Daily: consecutive weekdays. Weekly: every 7 days. Monthly: the last weekday of each month, from the first one on
 * or after `start`. Throws ValidationError when the dates would run past 9999-12-31.
 */
export function marketDates(frequency: SyntheticFrequency, start: number, count: number): Int32Array {
  const dates = new Int32Array(count);
  let d = start;
  while (isWeekend(d)) d++;
  if (frequency === 'daily') {
    for (let i = 0; i < count; i++) {
      dates[i] = d;
      d++;
      while (isWeekend(d)) d++;
    }
  } else if (frequency === 'weekly') {
    for (let i = 0; i < count; i++) dates[i] = d + 7 * i;
  } else {
    let { year, month } = ymdOf(d);
    let i = 0;
    while (i < count && year <= 9999) {
      let e = epochDay(year, month, daysInMonth(year, month));
      while (isWeekend(e)) e--;
      if (e >= d) dates[i++] = e;
      month++;
      if (month > 12) {
        month = 1;
        year++;
      }
    }
    if (i < count) throw tooLate(frequency, start, count);
  }
  if ((dates[count - 1] as number) > LAST_DAY) throw tooLate(frequency, start, count);
  return dates;
}

function tooLate(frequency: SyntheticFrequency, start: number, count: number): ValidationError {
  return new ValidationError(
    `${count} ${frequency} periods from ${isoDate(start)} run past 9999-12-31; choose fewer periods or an earlier start`,
  );
}

function isWeekend(day: number): boolean {
  const wd = weekdayOf(day);
  return wd === 0 || wd === 6;
}

function resolveSectors(sectors: number | readonly string[] | undefined, assets: number): readonly string[] {
  if (sectors === undefined) return GICS_SECTORS.slice(0, Math.min(assets, GICS_SECTORS.length));
  if (typeof sectors === 'number') {
    const k = wholeNumber('sectors', sectors, 1, assets);
    const width = Math.max(2, String(k).length);
    return Array.from({ length: k }, (_, i) => `Sector ${String(i + 1).padStart(width, '0')}`);
  }
  if (!Array.isArray(sectors) || sectors.length < 1 || sectors.length > assets) {
    throw new ValidationError(`sectors must be a count or a list of 1 to ${assets} (the number of assets) names`);
  }
  const seen = new Set<string>();
  for (const s of sectors) {
    if (typeof s !== 'string' || s.trim().length === 0) throw new ValidationError('a sector name is empty');
    if (seen.has(s)) throw new ValidationError(`sector name ${JSON.stringify(s)} appears twice`);
    seen.add(s);
  }
  return [...sectors];
}

function resolveCrash(
  crash: boolean | CrashOptions | undefined,
  periodsPerYear: number,
  dates: Int32Array,
): ResolvedMarkovCrash | ResolvedWindowCrash | null {
  if (crash === undefined || crash === false) return null;
  const c: CrashOptions = crash === true ? {} : crash;
  if (typeof c !== 'object' || c === null) throw new ValidationError('crash must be true, false or an object');
  rejectUnknown('crash option', c, CRASH_KEYS);
  const marketReturn = numberIn('crash.marketReturn', c.marketReturn ?? -0.8, -10, 1);
  const volMultiplier = numberIn('crash.volMultiplier', c.volMultiplier ?? 2.5, 1, 10);
  if (c.windows !== undefined) {
    if (c.rate !== undefined || c.duration !== undefined) {
      throw new ValidationError('crash takes either windows or rate/duration (a Markov switch), not both');
    }
    if (!Array.isArray(c.windows) || c.windows.length === 0) {
      throw new ValidationError('crash.windows must be a non-empty list of { from, to } dates');
    }
    const first = dates[0] as number;
    const last = dates[dates.length - 1] as number;
    const windows = c.windows.map((w: CrashWindow, i): readonly [number, number] => {
      if (typeof w !== 'object' || w === null) throw new ValidationError(`crash.windows[${i}] must be { from, to }`);
      const from = dayOf(`crash.windows[${i}].from`, w.from);
      const to = dayOf(`crash.windows[${i}].to`, w.to);
      if (from > to) {
        throw new ValidationError(`crash.windows[${i}] starts ${isoDate(from)}, after its end ${isoDate(to)}`);
      }
      // A window marks the returns ending on its dates; the first date ends no return.
      const hit = dates.some((d, r) => r > 0 && d >= from && d <= to);
      if (!hit) {
        throw new ValidationError(
          `crash.windows[${i}] (${isoDate(from)} to ${isoDate(to)}) contains none of the return dates, which run ` +
            `from ${isoDate(dates[1] ?? first)} to ${isoDate(last)}`,
        );
      }
      return [from, to];
    });
    return { kind: 'windows', windows, marketReturn, volMultiplier };
  }
  const rate = c.rate ?? 0.1;
  if (typeof rate !== 'number' || !(rate > 0 && rate <= periodsPerYear)) {
    throw new ValidationError(`crash.rate must be above 0 and at most ${periodsPerYear} crashes a year, got ${rate}`);
  }
  const duration = c.duration ?? 0.25;
  if (typeof duration !== 'number' || !(duration * periodsPerYear >= 1 && duration <= 50)) {
    throw new ValidationError(
      `crash.duration must be from one period (1/${periodsPerYear} year) to 50 years, got ${String(duration)}`,
    );
  }
  return {
    kind: 'markov',
    rate,
    duration,
    enterProbability: rate / periodsPerYear,
    exitProbability: Math.min(1, 1 / (duration * periodsPerYear)),
    marketReturn,
    volMultiplier,
  };
}

function resolveLateListings(
  late: number | LateListingOptions | undefined,
  assets: number,
  periods: number,
): { share: number; maxDelayRows: number } {
  if (late === undefined) return { share: 0, maxDelayRows: 0 };
  const l: LateListingOptions = typeof late === 'number' ? { share: late } : late;
  if (typeof l !== 'object' || l === null) throw new ValidationError('lateListings must be a share or an object');
  rejectUnknown('lateListings option', l, LATE_KEYS);
  const share = numberIn('lateListings.share', l.share, 0, 1);
  const maxDelay = l.maxDelay ?? 0.5;
  if (typeof maxDelay !== 'number' || !(maxDelay > 0 && maxDelay <= 1)) {
    throw new ValidationError(`lateListings.maxDelay must be above 0 and at most 1 (of the periods), got ${maxDelay}`);
  }
  if (Math.round(share * assets) === 0) return { share, maxDelayRows: 0 };
  if (periods < 3) {
    throw new ValidationError(`lateListings needs at least 3 periods (a late asset keeps two prices), got ${periods}`);
  }
  return { share, maxDelayRows: Math.min(periods - 2, Math.max(1, Math.floor(maxDelay * periods))) };
}

function rejectUnknown(what: string, object: object, allowed: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw new ValidationError(`unknown ${what} ${JSON.stringify(key)}; the ${what}s are ${allowed.join(', ')}`);
    }
  }
}

function wholeNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${name} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function numberIn(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ValidationError(`${name} must be a number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function dayOf(name: string, value: unknown): number {
  if (typeof value === 'string') return parseIsoDate(value, name);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < FIRST_DAY || value > LAST_DAY) {
    throw new ValidationError(
      `${name} must be a date written YYYY-MM-DD or a whole day number from ${FIRST_DAY} to ${LAST_DAY}, got ${String(value)}`,
    );
  }
  return value;
}

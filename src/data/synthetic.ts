/**
 * A seeded synthetic stock market: prices from a factor model with fat tails, an optional crash regime and late
 * listings, together with the exact parameters and the true moments the model implies, so estimators, optimizers
 * and backtests can be tested against known answers.
 *
 * The model (P = periods per year; all returns simple, as fractions per period):
 *
 *   r_it = alpha_i / P + beta_i f_t + lambda_i g_{s(i),t} + (sigma_i / sqrt(P)) e_it
 *   f_t  = m_R(t) + v_R(t) z_t                       market factor
 *   g_kt = w_R(t) z_kt                               sector factor k, one per sector
 *
 * with regime R(t) normal (n) or crash (c): `m_n = marketReturn / P`, `v_n = marketVol / sqrt(P)`,
 * `w_n = sectorVol / sqrt(P)`, `m_c = crash.marketReturn / P`, `v_c = volMultiplier * v_n`,
 * `w_c = volMultiplier * w_n`. Every innovation z, e is an independent Student-t with `tailDf` degrees of freedom
 * scaled to variance 1 (`t * sqrt((nu - 2) / nu)`), so each volatility parameter is exactly the standard deviation
 * it names. Annual rates convert to per period by dividing by P and annual volatilities by dividing by sqrt(P); these
 * are the conventions under which a sample mean times P and a sample covariance times P (how pfopt annualises)
 * estimate the true annual values reported here.
 *
 * Prices start at 100 and compound: `p_t = p_{t-1} (1 + r_t)`. A return below `SYNTHETIC_RETURN_FLOOR` (-99%) is
 * raised to it so prices stay positive; the count is reported as `flooredReturns`. With the defaults that takes an
 * innovation some 45 standard deviations out (for the most volatile assets), a chance of about 1e-8 per price or less
 * under t5 tails, and the reported moments ignore it; extreme options (monthly data, idiosyncratic volatility near 2,
 * tailDf near 2) make it common.
 *
 * Every random draw comes from a named stream forked from the seed (parameters, regime, listings, market, each
 * sector, each asset), so the same options give the same bytes on every platform, and a longer `periods` extends
 * the same paths.
 */

import { DatedMatrix } from '../core/dated-matrix.js';
import { ValidationError } from '../core/errors.js';
import { Random } from '../core/random.js';
import { type ResolvedMarketOptions, resolveMarketOptions, type SyntheticMarketOptions } from './synthetic-options.js';

export {
  type CrashOptions,
  type CrashWindow,
  GICS_SECTORS,
  type LateListingOptions,
  MAX_ASSETS,
  MAX_CELLS,
  MAX_PERIODS,
  marketDates,
  type ResolvedMarketOptions,
  type ResolvedMarkovCrash,
  type ResolvedWindowCrash,
  resolveMarketOptions,
  type SyntheticFrequency,
  type SyntheticMarketOptions,
} from './synthetic-options.js';

/** The lowest simple return per period the generator lets through (-0.99, i.e. -99%); lower draws are raised to it. */
export const SYNTHETIC_RETURN_FLOOR = -0.99;

/** The price every asset starts at, on its first row (its listing row for a late listing). */
export const SYNTHETIC_START_PRICE = 100;

/** A generated market: prices, sector labels, the parameters used and the true moments they imply. */
export interface SyntheticMarket {
  /**
   * Prices, dates x tickers (tickers 'A0001', 'A0002', ...; more digits beyond 9999 assets), with periodsPerYear
   * set. Each asset starts at `SYNTHETIC_START_PRICE` on its listing row; the rows before it are NaN, and no other
   * value is.
   */
  readonly prices: DatedMatrix;
  /** Sector name of each ticker. */
  readonly sectors: Readonly<Record<string, string>>;
  /** The parameters drawn or given, and the true annual moments of the returns. */
  readonly parameters: SyntheticParameters;
  /** The realised factor and regime paths, one entry per return period. */
  readonly factors: SyntheticFactorPaths;
  /** Number of listed-period returns raised to `SYNTHETIC_RETURN_FLOOR` (normally 0). */
  readonly flooredReturns: number;
}

/**
 * The parameters of a generated market and its true moments. Arrays are indexed by asset (column of `prices`).
 * Annual quantities are fractions per year; betas and loadings are pure numbers.
 */
export interface SyntheticParameters {
  /** Every option, resolved (defaults filled in). */
  readonly options: ResolvedMarketOptions;
  /** Sector index of each asset, into `options.sectorNames`. */
  readonly sectorOf: Int32Array;
  /** Market beta of each asset (beta_i). */
  readonly betas: Float64Array;
  /** Loading of each asset on its sector factor (lambda_i). */
  readonly sectorLoadings: Float64Array;
  /** Alpha of each asset, annual arithmetic (alpha_i; per period alpha_i / P). */
  readonly alphas: Float64Array;
  /** Idiosyncratic volatility of each asset, annual (sigma_i; per period sigma_i / sqrt(P)). */
  readonly idiosyncraticVols: Float64Array;
  /** Row of each asset's first price: 0, or the listing row of a late listing. */
  readonly listingRows: Int32Array;
  /**
   * Share pi of periods in the crash regime: the Markov chain's stationary probability
   * `enter / (enter + exit)` (the chain starts from it, so it holds at every period), or for scheduled windows the
   * fraction of return periods inside them. 0 without a crash regime.
   */
  readonly crashShare: number;
  /** Expected market factor return, annual: `(1 - pi) marketReturn + pi crash.marketReturn`. */
  readonly marketMean: number;
  /**
   * Variance of the market factor return, annualised (P x per-period variance):
   * `(1 - pi) marketVol^2 + pi (volMultiplier marketVol)^2 + pi (1 - pi) (marketReturn - crash.marketReturn)^2 / P`.
   */
  readonly marketVariance: number;
  /** Variance of each sector factor return, annualised: `((1 - pi) + pi volMultiplier^2) sectorVol^2`. */
  readonly sectorVariance: number;
  /** True expected return of each asset, annual arithmetic (P x per-period mean): `alpha_i + beta_i marketMean`. */
  readonly expectedReturns: Float64Array;
  /**
   * True covariance of the per-period returns times P, N x N (entry (i, j) at `i * N + j`; symmetric):
   * `beta_i beta_j marketVariance + [s(i) = s(j)] lambda_i lambda_j sectorVariance + [i = j] sigma_i^2`.
   * Computed on first access and kept (8 N^2 bytes: 32 MB for 2,000 assets).
   */
  readonly covariance: Float64Array;
}

/** The realised factor and regime paths. Entry t belongs to the return from price row t to row t + 1. */
export interface SyntheticFactorPaths {
  /** Market factor return f_t per period (fraction), periods - 1 of them. */
  readonly market: Float64Array;
  /**
   * Sector factor returns g_kt per period, sector-major: sector k's return for period t is at
   * `k * (periods - 1) + t`.
   */
  readonly sectors: Float64Array;
  /** 1 where period t is in the crash regime, else 0. */
  readonly crash: Uint8Array;
}

/**
 * Generates a synthetic market from `options` (see `SyntheticMarketOptions` for every option, its default and its
 * range, and this module's comment for the model). Deterministic: the same options give identical prices, bit for
 * bit. Throws ValidationError naming the bad option when an option is out of range, or when the parameters make a
 * price overflow.
 */
export function generateMarket(options: SyntheticMarketOptions = {}): SyntheticMarket {
  const o = resolveMarketOptions(options);
  const n = o.assets;
  const rows = o.periods;
  const steps = rows - 1;
  const ppy = o.periodsPerYear;
  const k = o.sectorNames.length;
  const root = new Random(o.seed);

  // Per-asset parameters, from one stream in a fixed order.
  const prm = root.fork('parameters');
  const sectorOf = new Int32Array(n);
  for (let j = 0; j < n; j++) sectorOf[j] = j % k;
  for (let j = n - 1; j > 0; j--) {
    const i = prm.int(j + 1);
    const t = sectorOf[j] as number;
    sectorOf[j] = sectorOf[i] as number;
    sectorOf[i] = t;
  }
  const betas = new Float64Array(n);
  const loadings = new Float64Array(n);
  const alphas = new Float64Array(n);
  const idioVols = new Float64Array(n);
  const [idioLow, idioHigh] = o.idiosyncraticVol;
  for (let j = 0; j < n; j++) {
    betas[j] = o.betaMean + o.betaSd * truncatedNormal(prm);
    loadings[j] = 1 + o.sectorLoadingSd * truncatedNormal(prm);
    alphas[j] = o.alphaSd * prm.normal();
    idioVols[j] = idioLow + (idioHigh - idioLow) * prm.nextDouble();
  }

  const listingRows = drawListingRows(o, root.fork('listings'));
  const crash = crashPath(o, root.fork('regime'));
  let crashShare = 0;
  if (o.crash?.kind === 'markov') {
    crashShare = o.crash.enterProbability / (o.crash.enterProbability + o.crash.exitProbability);
  } else if (o.crash?.kind === 'windows') {
    let c = 0;
    for (let t = 0; t < steps; t++) c += crash[t] as number;
    crashShare = c / steps;
  }

  // Factor paths.
  const mult = o.crash?.volMultiplier ?? 1;
  const crashReturn = o.crash?.marketReturn ?? 0;
  const sqrtP = Math.sqrt(ppy);
  const z = new Float64Array(steps);
  const market = new Float64Array(steps);
  {
    const mN = o.marketReturn / ppy;
    const vN = o.marketVol / sqrtP;
    const mC = crashReturn / ppy;
    const vC = mult * vN;
    fillInnovations(root.fork('market'), z, o.tailDf);
    for (let t = 0; t < steps; t++)
      market[t] = crash[t] === 1 ? mC + vC * (z[t] as number) : mN + vN * (z[t] as number);
  }
  const sectorPaths = new Float64Array(k * steps);
  {
    const wN = o.sectorVol / sqrtP;
    const wC = mult * wN;
    for (let s = 0; s < k; s++) {
      fillInnovations(root.fork(`sector:${s}`), z, o.tailDf);
      const base = s * steps;
      for (let t = 0; t < steps; t++) sectorPaths[base + t] = (crash[t] === 1 ? wC : wN) * (z[t] as number);
    }
  }

  // Asset prices, column by column.
  const values = new Float64Array(n * rows);
  let floored = 0;
  for (let j = 0; j < n; j++) {
    fillInnovations(root.fork(`asset:${j}`), z, o.tailDf);
    const a = (alphas[j] as number) / ppy;
    const b = betas[j] as number;
    const l = loadings[j] as number;
    const e = (idioVols[j] as number) / sqrtP;
    const g = (sectorOf[j] as number) * steps;
    const base = j * rows;
    const listed = listingRows[j] as number;
    values.fill(Number.NaN, base, base + listed);
    let p = SYNTHETIC_START_PRICE;
    values[base + listed] = p;
    // Return t moves the price from row t to row t + 1; those before the listing row are drawn but unused, so an
    // asset's returns after listing do not depend on whether it is listed late.
    for (let t = listed; t < steps; t++) {
      let r = a + b * (market[t] as number) + l * (sectorPaths[g + t] as number) + e * (z[t] as number);
      if (r < SYNTHETIC_RETURN_FLOOR) {
        r = SYNTHETIC_RETURN_FLOOR;
        floored++;
      }
      p *= 1 + r;
      values[base + t + 1] = p;
    }
    if (!(p > 0 && p < Number.POSITIVE_INFINITY)) {
      throw new ValidationError(
        `the price of asset ${j + 1} left the range of double-precision numbers; use fewer periods or a smaller ` +
          'marketReturn, betaMean or alphaSd',
      );
    }
  }

  // True annual moments.
  const pi = crashShare;
  const marketMean = (1 - pi) * o.marketReturn + pi * crashReturn;
  const dm = o.marketReturn - crashReturn;
  const marketVariance =
    (1 - pi) * o.marketVol * o.marketVol +
    pi * mult * mult * o.marketVol * o.marketVol +
    (pi * (1 - pi) * dm * dm) / ppy;
  const sectorVariance = (1 - pi + pi * mult * mult) * o.sectorVol * o.sectorVol;
  const expectedReturns = new Float64Array(n);
  for (let i = 0; i < n; i++) expectedReturns[i] = (alphas[i] as number) + (betas[i] as number) * marketMean;
  let covariance: Float64Array | undefined;

  const width = Math.max(4, String(n).length);
  const tickers = Array.from({ length: n }, (_, j) => `A${String(j + 1).padStart(width, '0')}`);
  const sectors: Record<string, string> = {};
  tickers.forEach((t, j) => {
    sectors[t] = o.sectorNames[sectorOf[j] as number] as string;
  });
  return {
    prices: new DatedMatrix(o.dates, tickers, values, { periodsPerYear: ppy }),
    sectors,
    parameters: {
      options: o,
      sectorOf,
      betas,
      sectorLoadings: loadings,
      alphas,
      idiosyncraticVols: idioVols,
      listingRows,
      crashShare,
      marketMean,
      marketVariance,
      sectorVariance,
      expectedReturns,
      get covariance(): Float64Array {
        covariance ??= trueCovariance(sectorOf, betas, loadings, idioVols, marketVariance, sectorVariance);
        return covariance;
      },
    },
    factors: { market, sectors: sectorPaths, crash },
    flooredReturns: floored,
  };
}

/**
 * The true annualised covariance of the model (see `SyntheticParameters.covariance`), N x N row-major:
 * `beta_i beta_j marketVariance + [s(i) = s(j)] lambda_i lambda_j sectorVariance + [i = j] sigma_i^2`.
 */
function trueCovariance(
  sectorOf: Int32Array,
  betas: Float64Array,
  loadings: Float64Array,
  idioVols: Float64Array,
  marketVariance: number,
  sectorVariance: number,
): Float64Array {
  const n = betas.length;
  const covariance = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const bi = (betas[i] as number) * marketVariance;
    const li = (loadings[i] as number) * sectorVariance;
    const si = sectorOf[i] as number;
    // The lower triangle, mirrored, so the matrix is exactly symmetric.
    for (let j = 0; j < i; j++) {
      let c = bi * (betas[j] as number);
      if ((sectorOf[j] as number) === si) c += li * (loadings[j] as number);
      covariance[i * n + j] = c;
      covariance[j * n + i] = c;
    }
    const v = idioVols[i] as number;
    covariance[i * n + i] = bi * (betas[i] as number) + li * (loadings[i] as number) + v * v;
  }
  return covariance;
}

/**
 * Fills `out` with independent innovations of mean 0 and variance 1: standard normals when `nu` is Infinity, else
 * Student-t variates with nu degrees of freedom (nu > 2) times `sqrt((nu - 2) / nu)`.
 */
function fillInnovations(rng: Random, out: Float64Array, nu: number): void {
  const len = out.length;
  if (nu === Number.POSITIVE_INFINITY) {
    for (let i = 0; i < len; i++) out[i] = rng.normal();
    return;
  }
  const scale = Math.sqrt((nu - 2) / nu);
  for (let i = 0; i < len; i++) out[i] = rng.studentT(nu) * scale;
}

/** A standard normal truncated to [-3, 3], by redrawing. */
function truncatedNormal(rng: Random): number {
  for (;;) {
    const x = rng.normal();
    if (x >= -3 && x <= 3) return x;
  }
}

/**
 * Listing row of each asset: 0, or for `round(share * assets)` assets picked uniformly at random (partial
 * Fisher-Yates), a delay uniform from 1 to `maxDelayRows`.
 */
function drawListingRows(o: ResolvedMarketOptions, rng: Random): Int32Array {
  const n = o.assets;
  const rows = new Int32Array(n);
  const count = o.lateListings.maxDelayRows === 0 ? 0 : Math.round(o.lateListings.share * n);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const pick = i + rng.int(n - i);
    const a = order[pick] as number;
    order[pick] = order[i] as number;
    order[i] = a;
    rows[a] = 1 + rng.int(o.lateListings.maxDelayRows);
  }
  return rows;
}

/**
 * The regime of each return period (1 = crash). Markov switch: the first period is a crash with the stationary
 * probability `enter / (enter + exit)`, then each period leaves a crash with probability `exit` or enters one with
 * probability `enter`. Windows: period t is a crash when the date of row t + 1 (where its return ends) is inside a
 * window.
 */
function crashPath(o: ResolvedMarketOptions, rng: Random): Uint8Array {
  const steps = o.periods - 1;
  const path = new Uint8Array(steps);
  const c = o.crash;
  if (c === null) return path;
  if (c.kind === 'windows') {
    for (let t = 0; t < steps; t++) {
      const d = o.dates[t + 1] as number;
      for (const [from, to] of c.windows) {
        if (d >= from && d <= to) {
          path[t] = 1;
          break;
        }
      }
    }
    return path;
  }
  const enter = c.enterProbability;
  const exit = c.exitProbability;
  let state = rng.nextDouble() < enter / (enter + exit) ? 1 : 0;
  for (let t = 0; t < steps; t++) {
    if (t > 0) {
      const u = rng.nextDouble();
      if (state === 1) {
        if (u < exit) state = 0;
      } else if (u < enter) {
        state = 1;
      }
    }
    path[t] = state;
  }
  return path;
}

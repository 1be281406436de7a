/**
 * The Black-Litterman model (Black & Litterman 1992; He & Litterman 1999; Idzorek 2005): a prior of expected returns
 * (by default the market-implied equilibrium returns) blended with the investor's views into posterior expected
 * returns and a posterior covariance, which every optimiser accepts like any other estimate.
 *
 * Units: returns, the prior and the views are annual fractions (0.08 is 8% a year); covariances are annual (per-period
 * covariance times the periods per year); tau and the risk aversion delta are pure numbers; market capitalisations are
 * in any one currency (only their ratios matter).
 *
 * With n assets, k views P (k x n), Q (k), view uncertainty Omega (k x k, diagonal) and prior pi:
 *
 *     posterior mean        mu_BL    = [(tau S)^-1 + P' Omega^-1 P]^-1 [(tau S)^-1 pi + P' Omega^-1 Q]
 *                                    = pi + tau S P' (tau P S P' + Omega)^-1 (Q - P pi)
 *     posterior covariance  S_BL     = S + [(tau S)^-1 + P' Omega^-1 P]^-1
 *                                    = (1 + tau) S - tau^2 S P' (tau P S P' + Omega)^-1 P S
 *
 * computed in the second (algebraically equal) forms, which invert neither S nor Omega: only the k x k matrix
 * A = tau P S P' + Omega is factorised (Cholesky), so views held with certainty (Omega_kk = 0) and singular S are
 * fine. With no views the posterior mean is the prior and the posterior covariance (1 + tau) S.
 */

import { DatedMatrix } from '../core/dated-matrix.js';
import { DataError, ValidationError } from '../core/errors.js';
import { cholesky, choleskySolve, gram, NotPositiveDefiniteError, solveLower } from '../core/linalg/index.js';
import { validatePeriodsPerYear } from '../core/periods.js';
import { simpleReturns } from '../core/returns.js';
import type { LabelledCovariance } from './allocation-result.js';
import { type BlackLittermanViews, checkViewTickers, viewMatrices } from './black-litterman-views.js';
import { fmt } from './format.js';
import { normalizeProblem } from './problem.js';
import type { CovarianceCheck } from './psd.js';

export {
  type AbsoluteView,
  type BlackLittermanView,
  type BlackLittermanViews,
  parseViews,
  type RelativeView,
  type ViewMatrices,
  viewMatrices,
} from './black-litterman-views.js';

/**
 * The prior covariance S: annual, n x n row-major, symmetric, positive semidefinite, labelled with its tickers (an
 * estimator's CovarianceMatrix fits).
 */
export interface PriorCovariance extends LabelledCovariance {
  /** Periods per year of the data behind it, carried into the results. */
  readonly periodsPerYear?: number;
}

/** Expected returns from the model, shaped like an estimator's ExpectedReturns (annual fractions per ticker). */
export interface BlackLittermanReturns {
  readonly tickers: readonly string[];
  readonly values: Float64Array;
  readonly periodsPerYear?: number;
  /** 'market-implied': the prior delta S w_mkt + rf; 'black-litterman': the posterior mean. */
  readonly method: 'market-implied' | 'black-litterman';
}

/** The posterior covariance, shaped like an estimator's CovarianceMatrix (annual, n x n row-major). */
export interface BlackLittermanCovariance {
  readonly tickers: readonly string[];
  readonly values: Float64Array;
  readonly warnings: readonly string[];
  readonly periodsPerYear?: number;
  readonly method: 'black-litterman';
}

/** Options of `marketImpliedRiskAversion`. */
export interface RiskAversionOptions {
  /** Periods per year of the prices; default the matrix's (required for a plain array of prices). */
  readonly periodsPerYear?: number;
  /** Annual risk-free rate as a fraction; default 0 (PyPortfolioOpt's default is 0.02). */
  readonly riskFreeRate?: number;
  /** The column holding the market when the matrix has several. */
  readonly ticker?: string;
}

/**
 * The risk aversion implied by a market index's prices, as PyPortfolioOpt's `market_implied_risk_aversion`:
 * `delta = (E[r_m] - rf) / var(r_m)` with `E[r_m] = P mean(r_t)` (arithmetic, annual) and `var(r_m) = P var(r_t)`
 * (sample variance, ddof 1, annual), where r_t = p_t / p_{t-1} - 1 are the simple returns of consecutive prices (a
 * return next to a missing price is left out) and P the periods per year. A pure number (about 2 to 4 for broad equity
 * indices). `market` is a one-column price matrix (or the column `ticker` of a wider one), or an array of prices with
 * `periodsPerYear` given. Throws DataError for fewer than 2 returns, a constant market, a non-positive price, or a
 * market whose mean return does not exceed rf (the implied delta would not be positive); ValidationError for bad
 * options.
 */
export function marketImpliedRiskAversion(
  market: DatedMatrix | ArrayLike<number>,
  options: RiskAversionOptions = {},
): number {
  const rf = options.riskFreeRate ?? 0;
  if (typeof rf !== 'number' || !Number.isFinite(rf)) {
    throw new ValidationError(`the risk-free rate must be a finite annual fraction, got ${String(rf)}`);
  }
  let returns: Float64Array;
  let periods: number;
  let name: string;
  if (market instanceof DatedMatrix) {
    const col = marketColumn(market, options.ticker);
    name = market.tickers[col] as string;
    const one = market.columnCount === 1 ? market : market.selectTickers([name]);
    returns = simpleReturns(one).column(0);
    periods =
      options.periodsPerYear === undefined
        ? market.periodsPerYear
        : validatePeriodsPerYear(options.periodsPerYear, 'periodsPerYear');
  } else {
    name = 'the market';
    if (options.periodsPerYear === undefined) {
      throw new ValidationError('periodsPerYear is needed with market prices given as a plain array');
    }
    periods = validatePeriodsPerYear(options.periodsPerYear, 'periodsPerYear');
    returns = new Float64Array(Math.max(0, market.length - 1));
    for (let i = 0; i < market.length; i++) {
      const p = market[i] as number;
      if (!Number.isNaN(p) && !(p > 0 && p < Number.POSITIVE_INFINITY)) {
        throw new DataError(`market price ${i + 1} is ${p}; prices must be positive finite numbers (NaN for none)`);
      }
      if (i > 0) returns[i - 1] = p / (market[i - 1] as number) - 1;
    }
  }
  let count = 0;
  let sum = 0;
  for (const r of returns) {
    if (Number.isNaN(r)) continue;
    count++;
    sum += r;
  }
  if (count < 2) {
    throw new DataError(
      `${name} has ${count} return${count === 1 ? '' : 's'}; the implied risk aversion needs at least 2`,
    );
  }
  const mean = sum / count;
  let ss = 0;
  for (const r of returns) if (!Number.isNaN(r)) ss += (r - mean) * (r - mean);
  const variance = ss / (count - 1);
  if (!(variance > 0)) throw new DataError(`the returns of ${name} do not vary, so its risk aversion is undefined`);
  const excess = periods * mean - rf;
  const delta = excess / (periods * variance);
  if (!(delta > 0)) {
    throw new DataError(
      `the mean return of ${name}, ${fmt(periods * mean)} a year, does not exceed the risk-free rate ${fmt(rf)}, so the ` +
        'implied risk aversion is not positive; give the risk aversion (delta) directly',
    );
  }
  return delta;
}

function marketColumn(market: DatedMatrix, ticker: string | undefined): number {
  if (ticker !== undefined) return market.indexOf(ticker);
  if (market.columnCount !== 1) {
    throw new ValidationError(
      `the market prices have ${market.columnCount} columns (${market.tickers.slice(0, 10).join(', ')}); name the ` +
        'market column (ticker)',
    );
  }
  return 0;
}

/**
 * Market-capitalisation weights `w_i = cap_i / sum_j cap_j` over `tickers` (the sum runs over these tickers only;
 * tickers of `marketCaps` outside them are ignored). Throws DataError naming the tickers without a capitalisation and
 * ValidationError for a negative or non-finite capitalisation or a zero total.
 */
export function marketWeights(marketCaps: Readonly<Record<string, number>>, tickers: readonly string[]): Float64Array {
  if (marketCaps === null || typeof marketCaps !== 'object') {
    throw new ValidationError('the market capitalisations must be an object {"TICKER": cap, ...}');
  }
  const missing = tickers.filter((t) => !Object.hasOwn(marketCaps, t));
  if (missing.length > 0) {
    throw new DataError(
      `no market capitalisation for ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}; ` +
        'give one for every asset',
    );
  }
  const w = new Float64Array(tickers.length);
  let total = 0;
  tickers.forEach((t, i) => {
    const c = marketCaps[t];
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) {
      throw new ValidationError(`the market capitalisation of ${t} is ${String(c)}; it must be a finite number >= 0`);
    }
    w[i] = c;
    total += c;
  });
  if (!(total > 0)) throw new ValidationError('the market capitalisations of the assets sum to 0');
  for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) / total;
  return w;
}

/** Options of the market-implied prior. */
export interface PriorOptions {
  /** Annual risk-free rate added to the implied excess returns; default 0. */
  readonly riskFreeRate?: number;
  /** How thoroughly the covariance is checked (as the optimiser's problem validation); default 'full'. */
  readonly covarianceCheck?: CovarianceCheck;
}

/**
 * The market-implied prior returns (reverse optimisation), as PyPortfolioOpt's `market_implied_prior_returns`:
 * `pi = delta S w_mkt + rf`, with w_mkt the capitalisation weights over the covariance's tickers, S the annual
 * covariance, delta the risk aversion and rf the annual risk-free rate (default 0); annual fractions. Throws
 * ValidationError or DataError for bad input (see `marketWeights`).
 */
export function marketImpliedPriorReturns(
  marketCaps: Readonly<Record<string, number>>,
  riskAversion: number,
  covariance: PriorCovariance,
  options: PriorOptions = {},
): BlackLittermanReturns {
  const cov = readCovariance(covariance, options.covarianceCheck);
  const delta = checkRiskAversion(riskAversion);
  const rf = checkRate(options.riskFreeRate);
  const w = marketWeights(marketCaps, cov.tickers);
  return {
    tickers: cov.tickers,
    values: impliedPrior(cov.values, cov.n, w, delta, rf),
    ...(covariance.periodsPerYear === undefined ? {} : { periodsPerYear: covariance.periodsPerYear }),
    method: 'market-implied',
  };
}

/** pi = delta S w + rf. */
function impliedPrior(S: Float64Array, n: number, w: Float64Array, delta: number, rf: number): Float64Array {
  const pi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (S[i * n + j] as number) * (w[j] as number);
    pi[i] = delta * s + rf;
  }
  return pi;
}

/** How the view uncertainty Omega is set. */
export type OmegaMethod = 'he-litterman' | 'idzorek';

/** Input of `blackLitterman`. */
export interface BlackLittermanInput {
  /** Annual covariance S of the assets (its tickers define the assets and their order). */
  readonly covariance: PriorCovariance;
  /** The views (see `parseViews`); an empty list gives the prior back. */
  readonly views: BlackLittermanViews;
  /** Market capitalisations by ticker: the prior is then `delta S w_mkt + rf` (needs `riskAversion`). */
  readonly marketCaps?: Readonly<Record<string, number>>;
  /** Risk aversion delta > 0: for the market-implied prior and the implied weights. */
  readonly riskAversion?: number;
  /** An explicit prior instead of the market-implied one: annual expected returns in the covariance's ticker order. */
  readonly prior?: ArrayLike<number>;
  /** The scalar tau > 0 (uncertainty of the prior relative to S); default 0.05. */
  readonly tau?: number;
  /**
   * View uncertainty: 'he-litterman' `Omega = diag(tau P S P')`; 'idzorek' `omega_k = tau alpha_k p_k S p_k'` with
   * `alpha_k = (1 - c_k) / c_k` from the views' confidences c_k in (0, 1] (the closed form of Idzorek's
   * calibration: alone, view k then moves the posterior, and the weights (delta S)^-1 mu, by c_k times the move a
   * certain view makes); or the diagonal of Omega given directly (k values >= 0, annual returns squared). Default:
   * 'idzorek' when the views carry confidences, else 'he-litterman'.
   */
  readonly omega?: OmegaMethod | ArrayLike<number>;
  /** Annual risk-free rate: added to the market-implied prior and subtracted for the implied weights; default 0. */
  readonly riskFreeRate?: number;
  /** Name of the views document in messages (e.g. its path); default "the views". */
  readonly viewsSource?: string;
  /** How thoroughly the covariance is checked; default 'full' (a Cholesky proof of positive semidefiniteness). */
  readonly covarianceCheck?: CovarianceCheck;
}

/** The model's output. */
export interface BlackLittermanResult {
  readonly tickers: readonly string[];
  /** The posterior expected returns mu_BL (annual): pass them to any optimiser. */
  readonly expectedReturns: BlackLittermanReturns;
  /** The posterior covariance S_BL = S + M (annual). */
  readonly covariance: BlackLittermanCovariance;
  /** The prior pi (annual). */
  readonly prior: Float64Array;
  /** Capitalisation weights behind a market-implied prior. */
  readonly marketWeights?: Float64Array;
  readonly riskAversion?: number;
  readonly tau: number;
  /** The views: P (k x n row-major), Q (k, annual fractions), and the diagonal of Omega (k, annual squared). */
  readonly P: Float64Array;
  readonly Q: Float64Array;
  readonly omega: Float64Array;
  /** How Omega was set. */
  readonly omegaMethod: OmegaMethod | 'given';
  /** The annual risk-free rate added to the market-implied prior (and the default of `blackLittermanWeights`). */
  readonly riskFreeRate: number;
  /**
   * The weights implied by the posterior when the risk aversion is known: `(delta S)^-1 (mu_BL - rf)` normalised to
   * sum to 1 (see `blackLittermanWeights`); with no views they are the market weights. Absent, with a note, when S
   * is singular or the raw weights do not sum to a positive number.
   */
  readonly weights?: Float64Array;
  /** What the user should know (why the implied weights are absent), one sentence each. */
  readonly notes: readonly string[];
}

/**
 * The Black-Litterman posterior (formulas in the module comment): prior pi = delta S w_mkt + rf from `marketCaps`
 * and `riskAversion`, or `prior` as given; view uncertainty by He-Litterman, Idzorek's confidences, or given; then
 * mu_BL = pi + tau S P' A^-1 (Q - P pi) and S_BL = (1 + tau) S - tau^2 S P' A^-1 P S with A = tau P S P' + Omega,
 * all annual. Throws ValidationError for invalid input (naming the view or option; a confidence must be in (0, 1]),
 * views that cannot hold together with certainty (A singular), and DataError for missing capitalisations.
 */
export function blackLitterman(input: BlackLittermanInput): BlackLittermanResult {
  const cov = readCovariance(input.covariance, input.covarianceCheck);
  const { n, tickers } = cov;
  const S = cov.values;
  const tau = input.tau === undefined ? 0.05 : checkPositive(input.tau, 'tau');
  const rf = checkRate(input.riskFreeRate);
  const source = input.viewsSource ?? 'the views';
  const delta = input.riskAversion === undefined ? undefined : checkRiskAversion(input.riskAversion);
  if (input.views === null || typeof input.views !== 'object' || !Array.isArray(input.views.views)) {
    throw new ValidationError(`${source}: expected parsed views ({ views: [...] }; see parseViews)`);
  }
  checkViewTickers(input.views, tickers, source);

  let pi: Float64Array;
  let wMkt: Float64Array | undefined;
  if (input.marketCaps !== undefined) {
    if (input.prior !== undefined) throw new ValidationError('give either market capitalisations or a prior, not both');
    if (delta === undefined) {
      throw new ValidationError(
        'the market-implied prior needs the risk aversion delta (give it, or imply it from a market index)',
      );
    }
    wMkt = marketWeights(input.marketCaps, tickers);
    pi = impliedPrior(S, n, wMkt, delta, rf);
  } else if (input.prior !== undefined) {
    const prior = input.prior;
    if (prior.length !== n) throw new ValidationError(`the prior has ${prior.length} values for ${n} assets`);
    pi = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = prior[i] as number;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ValidationError(`the prior return of ${tickers[i]} is ${String(v)}; it must be a finite number`);
      }
      pi[i] = v;
    }
  } else {
    throw new ValidationError(
      'the Black-Litterman prior needs market capitalisations (with delta) or explicit returns',
    );
  }

  const { P, Q, k } = viewMatrices(input.views, tickers, source);
  const { method, omega } = viewUncertainty(input, P, k, n, S, tau, source);

  // X = P S (k x n row-major): row a is S p_a (S symmetric).
  const X = new Float64Array(k * n);
  for (let a = 0; a < k; a++) {
    const pa = a * n;
    for (let j = 0; j < n; j++) {
      const c = P[pa + j] as number;
      if (c === 0) continue;
      const sj = j * n;
      for (let i = 0; i < n; i++) X[pa + i] = (X[pa + i] as number) + c * (S[sj + i] as number);
    }
  }
  // A = tau P S P' + Omega.
  const A = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (P[a * n + j] as number) * (X[b * n + j] as number);
      const v = tau * s + (a === b ? (omega[a] as number) : 0);
      A[a * k + b] = v;
      A[b * k + a] = v;
    }
  }
  let L: Float64Array;
  try {
    L = k === 0 ? new Float64Array(0) : cholesky(A, k);
  } catch (error) {
    if (!(error instanceof NotPositiveDefiniteError)) throw error;
    throw new ValidationError(
      `${source}: views[${error.pivot}] cannot hold together with the views before it: tau P S P' + Omega is singular there ` +
        '(views held with certainty that repeat or combine one another, or name assets without variance); lower a ' +
        'confidence below 1 or drop the view',
    );
  }
  // mu = pi + tau X' A^-1 (Q - P pi).
  const resid = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (P[a * n + j] as number) * (pi[j] as number);
    resid[a] = (Q[a] as number) - s;
  }
  const mu = Float64Array.from(pi);
  if (k > 0) {
    const sol = choleskySolve(L, k, resid);
    for (let a = 0; a < k; a++) {
      const f = tau * (sol[a] as number);
      const xa = a * n;
      for (let i = 0; i < n; i++) mu[i] = (mu[i] as number) + f * (X[xa + i] as number);
    }
  }
  const post = posteriorCovariance(S, n, X, L, k, tau);
  const periods = input.covariance.periodsPerYear;
  const carried = periods === undefined ? {} : { periodsPerYear: periods };
  const expectedReturns: BlackLittermanReturns = { tickers, values: mu, ...carried, method: 'black-litterman' };
  const result: BlackLittermanResult = {
    tickers,
    expectedReturns,
    covariance: { tickers, values: post, warnings: [], ...carried, method: 'black-litterman' },
    prior: pi,
    ...(wMkt === undefined ? {} : { marketWeights: wMkt }),
    ...(delta === undefined ? {} : { riskAversion: delta }),
    tau,
    P,
    Q,
    omega,
    omegaMethod: method,
    riskFreeRate: rf,
    notes: [],
  };
  if (delta === undefined) return result;
  try {
    return { ...result, weights: impliedWeights(S, n, tickers, mu, delta, rf) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { ...result, notes: [`no implied weights: ${error.message}`] };
  }
}

/**
 * S_BL = (1 + tau) S - tau^2 X' A^-1 X = (1 + tau) S - tau^2 Y'Y, with X = P S (k x n row-major), A = L L' and
 * Y = L^-1 X (k x n, held column-major: column i of Y, contiguous, is L^-1 times column i of X), Y'Y by the blocked
 * Gram kernel. Symmetric as S is: the Gram matrix writes both triangles from one sum.
 */
function posteriorCovariance(
  S: Float64Array,
  n: number,
  X: Float64Array,
  L: Float64Array,
  k: number,
  tau: number,
): Float64Array {
  const post = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) post[i] = (1 + tau) * (S[i] as number);
  if (k === 0) return post;
  const Y = new Float64Array(n * k);
  const col = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) col[a] = X[a * n + i] as number;
    Y.set(solveLower(L, k, col), i * k);
  }
  const G = gram(Y, k, n);
  const t2 = tau * tau;
  for (let i = 0; i < n * n; i++) post[i] = (post[i] as number) - t2 * (G[i] as number);
  return post;
}

/** Options of `blackLittermanWeights`. */
export interface ImpliedWeightsOptions {
  /** Risk aversion delta > 0; default the result's. */
  readonly riskAversion?: number;
  /**
   * Which covariance: 'prior' S (default, as PyPortfolioOpt's `bl_weights`) or 'posterior' S_BL (He & Litterman's
   * unconstrained optimum). Normalised, both give the market weights when there are no views.
   */
  readonly covariance?: 'prior' | 'posterior';
  /** Annual risk-free rate subtracted from mu_BL; default the result's (the rate of its market-implied prior). */
  readonly riskFreeRate?: number;
}

/**
 * The unconstrained mean-variance weights implied by the posterior: `w = (delta C)^-1 (mu_BL - rf)` normalised to sum
 * to 1 (fractions of capital), with C the prior covariance S (default) or the posterior S_BL. `model` is a result of
 * `blackLitterman` and `covariance` the prior S it was built from (needed for 'prior'). PyPortfolioOpt subtracts no
 * rf; with rf = 0 the two agree. Throws ValidationError when delta is unknown, C is not positive
 * definite, or the raw weights do not sum to a positive number (the posterior asks for a net short position, which
 * cannot be scaled to a budget of 1).
 */
export function blackLittermanWeights(
  model: BlackLittermanResult,
  covariance: PriorCovariance,
  options: ImpliedWeightsOptions = {},
): Float64Array {
  const delta = options.riskAversion === undefined ? model.riskAversion : checkRiskAversion(options.riskAversion);
  if (delta === undefined) throw new ValidationError('the implied weights need the risk aversion delta');
  const rf = options.riskFreeRate === undefined ? model.riskFreeRate : checkRate(options.riskFreeRate);
  const which = options.covariance ?? 'prior';
  if (which !== 'prior' && which !== 'posterior') {
    throw new ValidationError(`the covariance of the implied weights is 'prior' or 'posterior', got ${String(which)}`);
  }
  const n = model.tickers.length;
  const mu = model.expectedReturns.values;
  if (which === 'posterior') return impliedWeights(model.covariance.values, n, model.tickers, mu, delta, rf);
  const cov = readCovariance(covariance, 'fast');
  if (cov.tickers.join('\u0000') !== model.tickers.join('\u0000')) {
    throw new ValidationError('the covariance must have the tickers of the Black-Litterman result, in the same order');
  }
  return impliedWeights(cov.values, n, model.tickers, mu, delta, rf);
}

/** (delta C)^-1 (mu - rf) normalised to sum 1. */
function impliedWeights(
  C: Float64Array,
  n: number,
  tickers: readonly string[],
  mu: Float64Array,
  delta: number,
  rf: number,
): Float64Array {
  const scaled = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) scaled[i] = delta * (C[i] as number);
  let L: Float64Array;
  try {
    L = cholesky(scaled, n);
  } catch (error) {
    if (!(error instanceof NotPositiveDefiniteError)) throw error;
    throw new ValidationError(
      `the implied weights need a positive definite covariance, but it is singular at ${tickers[error.pivot]}; use a ` +
        'shrinkage estimator',
    );
  }
  const excess = new Float64Array(n);
  for (let i = 0; i < n; i++) excess[i] = (mu[i] as number) - rf;
  const raw = choleskySolve(L, n, excess);
  let sum = 0;
  let gross = 0;
  for (const v of raw) {
    sum += v;
    gross += Math.abs(v);
  }
  if (!(sum > 1e-12 * gross)) {
    throw new ValidationError(
      `the weights implied by the posterior sum to ${fmt(sum)} before normalisation (a net short or zero position), ` +
        'so they cannot be scaled to sum to 1; optimise the posterior with constraints instead',
    );
  }
  for (let i = 0; i < n; i++) raw[i] = (raw[i] as number) / sum;
  return raw;
}

/** The diagonal of Omega, one variance per view (annual returns squared). */
function viewUncertainty(
  input: BlackLittermanInput,
  P: Float64Array,
  k: number,
  n: number,
  S: Float64Array,
  tau: number,
  source: string,
): { method: OmegaMethod | 'given'; omega: Float64Array } {
  const given = input.omega;
  const omega = new Float64Array(k);
  if (given !== undefined && typeof given !== 'string') {
    if (given.length !== k) throw new ValidationError(`Omega has ${given.length} values for ${k} views`);
    for (let r = 0; r < k; r++) {
      const v = given[r] as number;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new ValidationError(`Omega of views[${r}] is ${String(v)}; it must be a finite variance >= 0`);
      }
      omega[r] = v;
    }
    return { method: 'given', omega };
  }
  const confidences = input.views.confidences;
  const method: OmegaMethod = given ?? (confidences === undefined ? 'he-litterman' : 'idzorek');
  if (method !== 'he-litterman' && method !== 'idzorek') {
    throw new ValidationError(`unknown Omega method ${JSON.stringify(method)}; use he-litterman or idzorek`);
  }
  if (method === 'idzorek' && confidences === undefined) {
    throw new ValidationError(`${source}: Idzorek's method needs a confidence for every view ("confidences": [...])`);
  }
  if (confidences !== undefined && confidences.length !== k) {
    throw new ValidationError(`${source}: ${confidences.length} confidences for ${k} views`);
  }
  for (let r = 0; r < k; r++) {
    // p_r S p_r' with p_r sparse (one or two entries).
    let v = 0;
    for (let i = 0; i < n; i++) {
      const pi = P[r * n + i] as number;
      if (pi === 0) continue;
      for (let j = 0; j < n; j++) {
        const pj = P[r * n + j] as number;
        if (pj !== 0) v += pi * pj * (S[i * n + j] as number);
      }
    }
    if (method === 'he-litterman') {
      omega[r] = tau * v;
      continue;
    }
    const c = (confidences as readonly number[])[r] as number;
    if (typeof c !== 'number' || !(c > 0 && c <= 1)) {
      throw new ValidationError(
        `${source}: confidences[${r}] is ${String(c)}; a confidence is a fraction above 0 and at most 1`,
      );
    }
    omega[r] = tau * ((1 - c) / c) * v;
  }
  return { method, omega };
}

/** The covariance validated and symmetrised by the optimiser's problem validation. */
function readCovariance(
  covariance: PriorCovariance,
  check: CovarianceCheck | undefined,
): { tickers: readonly string[]; values: Float64Array; n: number } {
  if (covariance === null || typeof covariance !== 'object' || !Array.isArray(covariance.tickers)) {
    throw new ValidationError('the covariance must be labelled with its tickers ({ tickers, values })');
  }
  const n = covariance.tickers.length;
  const p = normalizeProblem(
    { expectedReturns: new Float64Array(n), covariance: covariance.values, tickers: covariance.tickers },
    { covarianceCheck: check ?? 'full' },
  );
  return { tickers: p.tickers, values: p.cov, n };
}

function checkPositive(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) {
    throw new ValidationError(`${name} must be a positive number, got ${String(v)}`);
  }
  return v;
}

function checkRiskAversion(v: unknown): number {
  return checkPositive(v, 'the risk aversion delta');
}

function checkRate(v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ValidationError(`the risk-free rate must be a finite annual fraction, got ${String(v)}`);
  }
  return v;
}

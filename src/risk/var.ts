/**
 * Value at risk (VaR) and expected shortfall (CVaR) of a portfolio and of each of its assets, with the Euler
 * decomposition into component and marginal VaR and CVaR.
 *
 * Conventions, for every method:
 * - Sign: VaR and CVaR are reported as positive loss fractions of the portfolio value over the horizon (0.05 is a
 *   5% loss). A negative value means that even the tail outcome is a gain.
 * - Confidence c (default 0.95), tail probability `alpha = 1 - c`: VaR is minus the alpha-quantile of the horizon
 *   return R, `VaR = -Q_alpha(R)`, and CVaR is minus the mean of the tail, `CVaR = -E[R | R <= Q_alpha]`: a tail mean,
 *   never a quantile, so CVaR >= VaR.
 * - Horizon h (default 1) in periods of the data.
 * - The portfolio over the horizon is bought and held: `R_p = sum_i w_i R_i` with R_i asset i's compounded h-period
 *   return. For h = 1 this is the per-period portfolio return `sum_i w_i r_i` (portfolio-returns.ts).
 * - Euler decomposition: VaR and CVaR are homogeneous of degree 1 in the weights, so with the marginal
 *   `m_i = dVaR / dw_i` the components `w_i m_i` sum to the total (and likewise for CVaR).
 *
 * Methods (`VarMethod`):
 * - `historical`: the scenarios are the overlapping h-period windows of the T historical periods,
 *   `R_i,t = prod_{s=t..t+h-1} (1 + r_i,s) - 1` for t = 1 .. T-h+1 (for h = 1 the returns themselves). The quantile
 *   is the empirical quantile with linear interpolation (numpy's default, type 7): over the m sorted scenario returns
 *   x(0) <= ... <= x(m-1), with `g = (m - 1) alpha`, `Q = x(floor g) + (g - floor g) (x(floor g + 1) - x(floor g))`;
 *   CVaR is minus the mean of the scenario returns at or below Q.
 * - `normal`: parametric normal with the sample mean mu and standard deviation s (ddof 1) per period and square-root-
 *   of-time scaling: `VaR = -(h mu + sqrt(h) s z)`, `CVaR = -(h mu - sqrt(h) s phi(z) / alpha)`, `z = Phi^-1(alpha)`.
 * - `cornish-fisher`: the modified VaR of Zangari (1996) / Favre & Galeano (2002): z is replaced by
 *   `z_cf = z + (z^2 - 1) S / 6 + (z^3 - 3z) K / 24 - (2z^3 - 5z) S^2 / 36`, with S and K the bias-corrected sample
 *   skewness G1 and excess kurtosis G2 (as metrics.ts) of the per-period returns, aggregated to the horizon as for a
 *   sum of h independent periods: `S_h = S / sqrt(h)`, `K_h = K / h`; `VaR = -(h mu + sqrt(h) s z_cf)`. CVaR is the
 *   tail mean of the distribution whose quantile function is the Cornish-Fisher expansion,
 *   `CVaR = -(h mu + sqrt(h) s E)`, `E = (1/alpha) int_0^alpha z_cf(Phi^-1(u)) du`
 *   `= (phi(z) / alpha) (-1 - S z / 6 + K (1 - z^2) / 24 - S^2 (1 - 2 z^2) / 36)`.
 * - `monte-carlo-normal`, `monte-carlo-t`, `bootstrap`: the scenarios are simulated paths (monte-carlo.ts: per-period
 *   draws compounded over the horizon, per asset), and the quantile, CVaR and components are computed from them
 *   exactly as for `historical`. The Student-t degrees of freedom are fitted to the excess kurtosis K of the
 *   portfolio's per-period returns unless given: `nu = 4 + 6 / K` (method of moments; the normal model when K <= 0).
 *
 * The data are T periods of per-period simple returns of n assets, without gaps (the dates on which every asset has a
 * return, as `portfolioReturns` gives them); every sample moment is over those T periods.
 *
 * Components of the scenario methods: with s_k and s_{k+1} the scenarios holding the order statistics x(floor g) and
 * x(floor g + 1) (ties broken by scenario order), `marginalVar_i = -((1 - f) R_i,s_k + f R_i,s_{k+1})` (f = g - floor g)
 * and `marginalCvar_i = -mean of R_i over the tail scenarios`: the derivatives of the interpolated order statistic and
 * of the tail mean with the scenario ordering held fixed. Components of the parametric methods are the analytic
 * derivatives (for Cornish-Fisher through the sample moments of the portfolio, which are functions of w).
 */

import { ValidationError } from '../core/errors.js';
import {
  checkHorizon,
  fitStudentTDegreesOfFreedom,
  type SimulationModel,
  simulateAssetReturnsMany,
} from './monte-carlo.js';
import { normalPdf, normalQuantile } from './normal.js';
import {
  empiricalTail,
  excessKurtosisOf,
  isConstant,
  mean,
  orderStatisticIndex,
  orderStatisticPair,
  quantilePosition,
  sampleStd,
  skewnessOf,
  validValues,
} from './stats.js';
import type { AssetReturnMatrix } from './types.js';

/** The VaR methods. */
export const VAR_METHODS = [
  'historical',
  'normal',
  'cornish-fisher',
  'monte-carlo-normal',
  'monte-carlo-t',
  'bootstrap',
] as const;

/** A VaR method (see the module comment for each definition). */
export type VarMethod = (typeof VAR_METHODS)[number];

/** Options of the VaR functions. */
export interface VarOptions {
  /** Confidence level c in (0, 1); default 0.95. */
  readonly confidence?: number;
  /** Horizon in periods, a whole number >= 1; default 1. */
  readonly horizon?: number;
  /** Monte Carlo paths; default 10,000. */
  readonly paths?: number;
  /** Monte Carlo seed; default 0. */
  readonly seed?: number | bigint;
  /** Student-t degrees of freedom (> 2); default fitted to the portfolio's excess kurtosis. */
  readonly degreesOfFreedom?: number;
  /** Use the WebAssembly SIMD simulation kernel when available; default true. */
  readonly simd?: boolean;
}

/** VaR and CVaR as positive loss fractions over the horizon. */
export interface VarEstimate {
  readonly var: number;
  readonly cvar: number;
}

/** The VaR and CVaR of a portfolio with their decomposition and each asset's own VaR and CVaR. */
export interface PortfolioVar extends VarEstimate {
  readonly method: VarMethod;
  readonly confidence: number;
  readonly horizon: number;
  readonly tickers: readonly string[];
  readonly weights: Float64Array;
  /** `w_i * marginalVar_i`, summing to `var`. */
  readonly componentVar: Float64Array;
  /** `w_i * marginalCvar_i`, summing to `cvar`. */
  readonly componentCvar: Float64Array;
  /** `dVaR / dw_i`: loss fraction per unit of weight. */
  readonly marginalVar: Float64Array;
  /** `dCVaR / dw_i`. */
  readonly marginalCvar: Float64Array;
  /** Each asset's own VaR (the asset held alone, weight 1), by the same method. */
  readonly assetVar: Float64Array;
  /** Each asset's own CVaR. */
  readonly assetCvar: Float64Array;
  /** Number of scenarios (historical windows or simulated paths); undefined for the parametric methods. */
  readonly scenarios?: number;
  /** Student-t degrees of freedom used (monte-carlo-t only; Infinity when the kurtosis gave no fat tails). */
  readonly degreesOfFreedom?: number;
}

/** Checks the confidence level: a number strictly between 0 and 1. */
export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new ValidationError(`the confidence level must be between 0 and 1 (0.95 is 95%), got ${confidence}`);
  }
}

/**
 * Parametric normal VaR and CVaR from per-period moments, with square-root-of-time scaling:
 * `VaR = -(h mu + sqrt(h) s z)`, `CVaR = -(h mu - sqrt(h) s phi(z) / alpha)`, `z = Phi^-1(1 - c)`. mu and s are a
 * per-period mean and standard deviation (fractions); results are positive loss fractions over h periods.
 */
export function normalVar(mu: number, sigma: number, options: VarOptions = {}): VarEstimate {
  const { alpha, h } = resolve(options);
  const z = normalQuantile(alpha);
  const rh = Math.sqrt(h);
  return { var: -(h * mu + rh * sigma * z), cvar: -(h * mu - (rh * sigma * normalPdf(z)) / alpha) };
}

/**
 * Cornish-Fisher (modified) VaR and its CVaR from per-period moments: mean mu, standard deviation s, skewness S and
 * excess kurtosis K (see the module comment for the expansion, the horizon aggregation `S / sqrt(h)`, `K / h`, and the
 * tail-mean CVaR). With s = 0 both are `-h mu`.
 */
export function cornishFisherVar(
  mu: number,
  sigma: number,
  skew: number,
  kurtosis: number,
  options: VarOptions = {},
): VarEstimate {
  const { alpha, h } = resolve(options);
  if (sigma === 0) return { var: -h * mu, cvar: -h * mu };
  const t = cfTerms(normalQuantile(alpha), alpha, skew / Math.sqrt(h), kurtosis / h);
  const rh = Math.sqrt(h);
  return { var: -(h * mu + rh * sigma * t.zcf), cvar: -(h * mu + rh * sigma * t.e) };
}

/**
 * VaR and CVaR of one return series (per-period simple returns; NaN periods skipped) by one method: the series as a
 * portfolio of one asset with weight 1 (`portfolioVar`).
 */
export function seriesVar(returns: ArrayLike<number>, method: VarMethod, options: VarOptions = {}): PortfolioVar {
  const r = validValues(returns);
  return portfolioVar({ tickers: ['series'], values: r, rowCount: r.length, columnCount: 1 }, [1], method, options);
}

/**
 * VaR and CVaR of the portfolio with weights w over per-period asset returns (T x n, no NaN), by one method, with the
 * component, marginal and stand-alone figures of each asset (see the module comment for every definition).
 * Throws ValidationError for invalid options, weights of the wrong length, or returns with NaN.
 */
export function portfolioVar(
  assets: AssetReturnMatrix,
  weights: ArrayLike<number>,
  method: VarMethod,
  options: VarOptions = {},
): PortfolioVar {
  return portfolioVars(assets, weights, [method], options)[method] as PortfolioVar;
}

/** The simulation model behind each Monte Carlo method. */
const SIMULATED: Partial<Record<VarMethod, SimulationModel>> = {
  'monte-carlo-normal': 'normal',
  'monte-carlo-t': 'student-t',
  bootstrap: 'bootstrap',
};

/**
 * `portfolioVar` by several methods, keyed by method in the order given: the same figures, with the Monte Carlo
 * methods simulated together (`simulateAssetReturnsMany`: the normal and Student-t paths share their normal draws).
 */
export function portfolioVars(
  assets: AssetReturnMatrix,
  weights: ArrayLike<number>,
  methods: readonly VarMethod[],
  options: VarOptions = {},
): Partial<Record<VarMethod, PortfolioVar>> {
  const { alpha, h, confidence } = resolve(options);
  const n = assets.columnCount;
  const t = assets.rowCount;
  if (weights.length !== n) throw new ValidationError(`${weights.length} weights for ${n} assets`);
  for (const method of methods) {
    if (!(VAR_METHODS as readonly string[]).includes(method)) {
      throw new ValidationError(`unknown VaR method ${JSON.stringify(method)}; use one of ${VAR_METHODS.join(', ')}`);
    }
  }
  const w = Float64Array.from(weights);
  for (let k = 0; k < assets.values.length; k++) {
    if (Number.isNaN(assets.values[k] as number)) {
      throw new ValidationError('VaR needs asset returns without gaps: keep the dates on which every asset has one');
    }
  }
  const nu = methods.includes('monte-carlo-t')
    ? (options.degreesOfFreedom ?? fitStudentTDegreesOfFreedom(excessKurtosisOf(portfolioSeries(assets, w))))
    : undefined;
  // Simulate every Monte Carlo method the data allow, together.
  const simulated = methods.filter((m) => {
    const model = SIMULATED[m];
    return model !== undefined && t >= (model === 'bootstrap' ? 1 : 2);
  });
  const runs = simulateAssetReturnsMany(
    assets,
    simulated.map((m) => ({ model: SIMULATED[m] as SimulationModel, degreesOfFreedom: nu })),
    {
      horizon: h,
      ...(options.paths === undefined ? {} : { paths: options.paths }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.simd === undefined ? {} : { simd: options.simd }),
    },
  );
  const out: Partial<Record<VarMethod, PortfolioVar>> = {};
  for (const method of methods) {
    const base = { method, confidence, horizon: h, tickers: assets.tickers, weights: w };
    const student = method === 'monte-carlo-t' ? { degreesOfFreedom: nu as number } : {};
    if (method === 'historical') {
      const windows = Math.max(0, t - h + 1);
      const scenarios = h === 1 ? assets.values : overlappingHorizonReturns(assets.values, t, n, h);
      out[method] = { ...base, ...scenarioRisk(scenarios, windows, w, alpha), scenarios: windows };
    } else if (method === 'normal' || method === 'cornish-fisher') {
      out[method] = { ...base, ...parametric(assets, w, method === 'cornish-fisher', alpha, h) };
    } else {
      const k = simulated.indexOf(method);
      const run = runs[k];
      out[method] =
        run === undefined
          ? { ...base, ...undefinedRisk(n), scenarios: 0, ...student }
          : { ...base, ...scenarioRisk(run.values, run.paths, w, alpha), scenarios: run.paths, ...student };
    }
  }
  return out;
}

/**
 * Compounded returns of the overlapping h-period windows of T x n column-major per-period returns: window t of asset
 * i is `prod_{s=t..t+h-1} (1 + r_i,s) - 1`, for t = 0 .. T-h; the result is (T - h + 1) x n column-major (empty when
 * T < h).
 */
export function overlappingHorizonReturns(values: Float64Array, t: number, n: number, h: number): Float64Array {
  const m = Math.max(0, t - h + 1);
  const out = new Float64Array(m * n);
  for (let i = 0; i < n; i++) {
    const x = values.subarray(i * t, (i + 1) * t);
    for (let s = 0; s < m; s++) {
      let g = 1;
      for (let k = s; k < s + h; k++) g *= 1 + (x[k] as number);
      out[i * m + s] = g - 1;
    }
  }
  return out;
}

type RiskFigures = Omit<PortfolioVar, 'method' | 'confidence' | 'horizon' | 'tickers' | 'weights' | 'scenarios'>;

function undefinedRisk(n: number): RiskFigures {
  const nan = () => new Float64Array(n).fill(Number.NaN);
  return {
    var: Number.NaN,
    cvar: Number.NaN,
    componentVar: nan(),
    componentCvar: nan(),
    marginalVar: nan(),
    marginalCvar: nan(),
    assetVar: nan(),
    assetCvar: nan(),
  };
}

/**
 * VaR, CVaR and their decomposition from m scenarios of n asset returns (asset-major: `values[i * m + s]`). Tail
 * means use compensated sums.
 */
function scenarioRisk(values: Float64Array, m: number, w: Float64Array, alpha: number): RiskFigures {
  const n = w.length;
  if (m === 0) return undefinedRisk(n);
  const rp = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const wi = w[i] as number;
    if (wi === 0) continue;
    const base = i * m;
    for (let s = 0; s < m; s++) rp[s] = (rp[s] as number) + wi * (values[base + s] as number);
  }
  const { k, frac } = quantilePosition(m, alpha);
  const [lo, hi] = orderStatisticPair(rp, k);
  const q = frac === 0 ? lo : lo + frac * (hi - lo);
  const sLo = orderStatisticIndex(rp, lo, k);
  const sHi = frac === 0 ? sLo : orderStatisticIndex(rp, hi, k + 1);
  const tail: number[] = [];
  for (let s = 0; s < m; s++) if ((rp[s] as number) <= q) tail.push(s);
  const tailValues = new Float64Array(tail.length);
  const marginalVar = new Float64Array(n);
  const marginalCvar = new Float64Array(n);
  const componentVar = new Float64Array(n);
  const componentCvar = new Float64Array(n);
  const assetVar = new Float64Array(n);
  const assetCvar = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const col = values.subarray(i * m, (i + 1) * m);
    const mv = -((1 - frac) * (col[sLo] as number) + frac * (col[sHi] as number));
    tail.forEach((s, k) => {
      tailValues[k] = col[s] as number;
    });
    const mc = -mean(tailValues);
    marginalVar[i] = mv;
    marginalCvar[i] = mc;
    componentVar[i] = (w[i] as number) * mv;
    componentCvar[i] = (w[i] as number) * mc;
    const own = tailRisk(col, alpha);
    assetVar[i] = own.var;
    assetCvar[i] = own.cvar;
  }
  tail.forEach((s, k) => {
    tailValues[k] = rp[s] as number;
  });
  return {
    var: -q,
    cvar: -mean(tailValues),
    componentVar,
    componentCvar,
    marginalVar,
    marginalCvar,
    assetVar,
    assetCvar,
  };
}

/** `-Q_alpha` and minus the mean of the values at or below it (the historical definitions, for one column). */
function tailRisk(x: Float64Array, alpha: number): VarEstimate {
  const t = empiricalTail(x, alpha);
  return { var: -t.quantile, cvar: -t.tailMean };
}

/** Normal or Cornish-Fisher VaR and CVaR with their analytic marginals. */
function parametric(
  assets: AssetReturnMatrix,
  w: Float64Array,
  cornishFisher: boolean,
  alpha: number,
  h: number,
): RiskFigures {
  const n = w.length;
  const t = assets.rowCount;
  const x = assets.values;
  if (t < (cornishFisher ? 4 : 2)) return undefinedRisk(n);
  const mu = new Float64Array(n);
  const centred = new Float64Array(t * n);
  const d = new Float64Array(t);
  const assetVar = new Float64Array(n);
  const assetCvar = new Float64Array(n);
  const options = { confidence: 1 - alpha, horizon: h };
  for (let i = 0; i < n; i++) {
    const col = x.subarray(i * t, (i + 1) * t);
    const m = mean(col);
    mu[i] = m;
    const own = cornishFisher
      ? cornishFisherVar(m, sampleStd(col), skewnessOf(col), excessKurtosisOf(col), options)
      : normalVar(m, sampleStd(col), options);
    assetVar[i] = own.var;
    assetCvar[i] = own.cvar;
    if (isConstant(col)) continue;
    const wi = w[i] as number;
    for (let s = 0; s < t; s++) {
      const c = (col[s] as number) - m;
      centred[i * t + s] = c;
      d[s] = (d[s] as number) + wi * c;
    }
  }
  let muP = 0;
  for (let i = 0; i < n; i++) muP += (w[i] as number) * (mu[i] as number);
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let s = 0; s < t; s++) {
    const v = d[s] as number;
    const v2 = v * v;
    s2 += v2;
    s3 += v2 * v;
    s4 += v2 * v2;
  }
  const sigma = Math.sqrt(s2 / (t - 1));
  const rh = Math.sqrt(h);
  const marginalVar = new Float64Array(n);
  const marginalCvar = new Float64Array(n);
  let total: VarEstimate;
  if (sigma === 0) {
    total = { var: -h * muP, cvar: -h * muP };
    for (let i = 0; i < n; i++) {
      marginalVar[i] = -h * (mu[i] as number);
      marginalCvar[i] = -h * (mu[i] as number);
    }
  } else {
    // Per asset: a_i = sum_t d_t c_ti, b_i = sum_t d_t^2 c_ti, c_i = sum_t d_t^3 c_ti.
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const c3 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const base = i * t;
      let sa = 0;
      let sb = 0;
      let sc = 0;
      for (let s = 0; s < t; s++) {
        const ci = centred[base + s] as number;
        const v = d[s] as number;
        const vc = v * ci;
        sa += vc;
        sb += v * vc;
        sc += v * v * vc;
      }
      a[i] = sa;
      b[i] = sb;
      c3[i] = sc;
    }
    const z = normalQuantile(alpha);
    if (!cornishFisher) {
      const phiA = normalPdf(z) / alpha;
      total = { var: -(h * muP + rh * sigma * z), cvar: -(h * muP - rh * sigma * phiA) };
      for (let i = 0; i < n; i++) {
        const dSigma = (a[i] as number) / ((t - 1) * sigma);
        marginalVar[i] = -(h * (mu[i] as number) + rh * dSigma * z);
        marginalCvar[i] = -(h * (mu[i] as number) - rh * dSigma * phiA);
      }
    } else {
      const m2 = s2 / t;
      const m3 = s3 / t;
      const m4 = s4 / t;
      const k1 = Math.sqrt(t * (t - 1)) / (t - 2);
      const k2 = ((t - 1) * (t + 1)) / ((t - 2) * (t - 3));
      const g1 = (k1 * m3) / m2 ** 1.5;
      const g2 = ((t - 1) / ((t - 2) * (t - 3))) * ((t + 1) * (m4 / (m2 * m2) - 3) + 6);
      const cf = cfTerms(z, alpha, g1 / rh, g2 / h);
      total = { var: -(h * muP + rh * sigma * cf.zcf), cvar: -(h * muP + rh * sigma * cf.e) };
      for (let i = 0; i < n; i++) {
        const dSigma = (a[i] as number) / ((t - 1) * sigma);
        const dm2 = (2 * (a[i] as number)) / t;
        const dm3 = (3 * (b[i] as number)) / t;
        const dm4 = (4 * (c3[i] as number)) / t;
        const dS = (k1 * (dm3 / m2 ** 1.5 - (1.5 * m3 * dm2) / m2 ** 2.5)) / rh;
        const dK = (k2 * (dm4 / (m2 * m2) - (2 * m4 * dm2) / (m2 * m2 * m2))) / h;
        const muTerm = h * (mu[i] as number);
        marginalVar[i] = -(muTerm + rh * (dSigma * cf.zcf + sigma * (cf.dzdS * dS + cf.dzdK * dK)));
        marginalCvar[i] = -(muTerm + rh * (dSigma * cf.e + sigma * (cf.dedS * dS + cf.dedK * dK)));
      }
    }
  }
  const componentVar = marginalVar.map((v, i) => v * (w[i] as number));
  const componentCvar = marginalCvar.map((v, i) => v * (w[i] as number));
  return { ...total, componentVar, componentCvar, marginalVar, marginalCvar, assetVar, assetCvar };
}

/**
 * The Cornish-Fisher quantile `z_cf` and standardised tail mean `E` at skewness S and excess kurtosis K, with their
 * partial derivatives in S and K.
 */
function cfTerms(z: number, alpha: number, s: number, k: number) {
  const z2 = z * z;
  const z3 = z2 * z;
  const pa = normalPdf(z) / alpha;
  return {
    zcf: z + ((z2 - 1) * s) / 6 + ((z3 - 3 * z) * k) / 24 - ((2 * z3 - 5 * z) * s * s) / 36,
    dzdS: (z2 - 1) / 6 - ((2 * z3 - 5 * z) * s) / 18,
    dzdK: (z3 - 3 * z) / 24,
    e: pa * (-1 - (s * z) / 6 + (k * (1 - z2)) / 24 - (s * s * (1 - 2 * z2)) / 36),
    dedS: pa * (-z / 6 - (s * (1 - 2 * z2)) / 18),
    dedK: (pa * (1 - z2)) / 24,
  };
}

/** The per-period portfolio returns `sum_i w_i r_i,t` of T x n column-major returns. */
function portfolioSeries(assets: AssetReturnMatrix, w: Float64Array): Float64Array {
  const t = assets.rowCount;
  const rp = new Float64Array(t);
  for (let i = 0; i < w.length; i++) {
    const wi = w[i] as number;
    for (let s = 0; s < t; s++) rp[s] = (rp[s] as number) + wi * (assets.values[i * t + s] as number);
  }
  return rp;
}

function resolve(options: VarOptions): { alpha: number; h: number; confidence: number } {
  const confidence = options.confidence ?? 0.95;
  checkConfidence(confidence);
  const h = options.horizon ?? 1;
  checkHorizon(h);
  return { alpha: 1 - confidence, h, confidence };
}

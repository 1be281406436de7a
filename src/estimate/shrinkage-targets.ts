/**
 * Shrinkage intensities and targets, computed from centered data X (T dates x n assets, column-major, complete) and
 * its covariance S = X'X / T (ddof 0, per period), all in per-period units. Each published formula is evaluated
 * exactly, but with its n x n intermediate products (X2'X2, Y'Z, Z'Z, (X^3)'X) summed through per-date totals, so
 * the cost beyond S is O(nT + n^2).
 */

import { DataError } from '../core/errors.js';

/** A shrinkage intensity delta in [0, 1] and the target F (n x n row-major), for `delta F + (1 - delta) S`. */
export interface Shrinkage {
  readonly intensity: number;
  readonly target: Float64Array;
}

/** Centered data with its covariance: the input of every shrinkage formula. */
export interface CenteredData {
  /** T x n column-major, each column centered (mean 0 over the T dates). */
  readonly x: Float64Array;
  readonly t: number;
  readonly n: number;
  /** S = X'X / T, n x n row-major. */
  readonly s: Float64Array;
  readonly tickers: readonly string[];
}

/**
 * Ledoit & Wolf (2004), "A well-conditioned estimator for large-dimensional covariance matrices", as scikit-learn's
 * `ledoit_wolf` computes it: target `mu I` with `mu = tr(S) / n`;
 * `beta = (sum_t ||x_t||^4 / T - ||S||_F^2) / (n T)`, `delta = (||S||_F^2 - 2 mu tr(S) + n mu^2) / n`,
 * intensity `min(beta, delta) / delta` (0 when that minimum is 0).
 */
export function constantVariance(d: CenteredData): Shrinkage {
  const { t, n, s } = d;
  const trace = traceOf(s, n);
  const mu = trace / n;
  const sumSq = frobeniusSquared(s);
  const rowSq = rowSumsOfSquares(d);
  let beta_ = 0;
  for (let k = 0; k < t; k++) beta_ += (rowSq[k] as number) * (rowSq[k] as number);
  let beta = (beta_ / t - sumSq) / (n * t);
  const delta = (sumSq - 2 * mu * trace + n * mu * mu) / n;
  beta = Math.min(beta, delta);
  return { intensity: n === 1 || beta === 0 ? 0 : beta / delta, target: scaledIdentity(n, mu) };
}

/**
 * Oracle Approximating Shrinkage, Chen, Wiesel, Eldar & Hero (2010), "Shrinkage algorithms for MMSE covariance
 * estimation", IEEE Trans. Signal Processing 58(10), as scikit-learn's `oas` computes it: target `mu I`,
 * `mu = tr(S) / n`, `alpha = ||S||_F^2 / n^2`, intensity `min(1, (alpha + mu^2) / ((T + 1)(alpha - mu^2 / n)))`
 * (1 when the denominator is 0).
 */
export function oracleApproximating(d: CenteredData): Shrinkage {
  const { t, n, s } = d;
  const mu = traceOf(s, n) / n;
  const alpha = frobeniusSquared(s) / (n * n);
  const num = alpha + mu * mu;
  const den = (t + 1) * (alpha - (mu * mu) / n);
  const intensity = n === 1 ? 0 : den === 0 ? 1 : Math.min(num / den, 1);
  return { intensity, target: scaledIdentity(n, mu) };
}

/**
 * Ledoit & Wolf (2003), "Improved estimation of the covariance matrix of stock returns with an application to
 * portfolio selection", Journal of Empirical Finance 10, as their published covMarket.m: the market m_t is the
 * cross-sectional mean of the centered returns, `c_i = cov(x_i, m)`, `v = var(m)` (ddof 0), target
 * `F_ij = c_i c_j / v` off the diagonal and `F_ii = S_ii`; with y = x.^2 and z = x .* m,
 * `p = sum(y'y)/T - ||S||^2`, `r_diag = sum(y.^2)/T - sum(S_ii^2)`,
 * `v1 = y'z/T - c_i S_ij`, `r_off1 = (sum_ij v1_ij c_j - sum_i v1_ii c_i) / v`,
 * `v3 = z'z/T - v S`, `r_off3 = (sum_ij v3_ij c_i c_j - sum_i v3_ii c_i^2) / v^2`,
 * `r = r_diag + 2 r_off1 - r_off3`, `c = ||S - F||_F^2`, intensity `max(0, min(1, (p - r) / c / T))`.
 * Throws DataError when the market has zero variance.
 */
export function singleFactor(d: CenteredData): Shrinkage {
  const { x, t, n, s } = d;
  const market = new Float64Array(t);
  for (let j = 0; j < n; j++) {
    const base = j * t;
    for (let k = 0; k < t; k++) market[k] = (market[k] as number) + (x[base + k] as number);
  }
  let v = 0;
  for (let k = 0; k < t; k++) {
    const m = (market[k] as number) / n;
    market[k] = m;
    v += m * m;
  }
  v /= t;
  if (!(v > 0)) throw new DataError('the equal-weighted market has zero variance; single-factor shrinkage needs it');
  const c = new Float64Array(n); // covariance of each asset with the market
  const cubeM = new Float64Array(n); // sum_t x^3 m
  const sqM2 = new Float64Array(n); // sum_t x^2 m^2
  let fourth = 0;
  const rowSq = new Float64Array(t); // Y_t = sum_i x_ti^2
  const rowC = new Float64Array(t); // sum_j x_tj c_j, filled after c is known
  for (let j = 0; j < n; j++) {
    const base = j * t;
    let sc = 0;
    let s3 = 0;
    let s22 = 0;
    for (let k = 0; k < t; k++) {
      const xv = x[base + k] as number;
      const m = market[k] as number;
      const x2 = xv * xv;
      sc += xv * m;
      s3 += x2 * xv * m;
      s22 += x2 * m * m;
      fourth += x2 * x2;
      rowSq[k] = (rowSq[k] as number) + x2;
    }
    c[j] = sc / t;
    cubeM[j] = s3;
    sqM2[j] = s22;
  }
  for (let j = 0; j < n; j++) {
    const base = j * t;
    const cj = c[j] as number;
    for (let k = 0; k < t; k++) rowC[k] = (rowC[k] as number) + (x[base + k] as number) * cj;
  }
  let sumY2 = 0;
  let sumYMC = 0;
  let sumM2C2 = 0;
  for (let k = 0; k < t; k++) {
    const y = rowSq[k] as number;
    const m = market[k] as number;
    const xc = rowC[k] as number;
    sumY2 += y * y;
    sumYMC += y * m * xc;
    sumM2C2 += m * m * xc * xc;
  }
  const cSc = bilinear(s, n, c, c);
  const target = new Float64Array(n * n);
  let diagSq = 0;
  let d1 = 0;
  let d3 = 0;
  for (let i = 0; i < n; i++) {
    const ci = c[i] as number;
    const sii = s[i * n + i] as number;
    for (let j = 0; j < n; j++) target[i * n + j] = (ci * (c[j] as number)) / v;
    target[i * n + i] = sii;
    diagSq += sii * sii;
    d1 += ((cubeM[i] as number) / t - ci * sii) * ci;
    d3 += ((sqM2[i] as number) / t - v * sii) * ci * ci;
  }
  const p = sumY2 / t - frobeniusSquared(s);
  const rDiag = fourth / t - diagSq;
  const rOff1 = (sumYMC / t - cSc - d1) / v;
  const rOff3 = (sumM2C2 / t - v * cSc - d3) / (v * v);
  const r = rDiag + 2 * rOff1 - rOff3;
  const gap = distanceSquared(s, target);
  return { intensity: intensityOf(n, p - r, gap, t), target };
}

/**
 * Ledoit & Wolf (2004), "Honey, I shrunk the sample covariance matrix", Journal of Portfolio Management 30(4), as
 * their published covCor.m: target `F_ij = rbar sqrt(S_ii S_jj)` off the diagonal and `F_ii = S_ii`, rbar the average
 * sample correlation; with y = x.^2, `phi = sum(y'y/T - 2 (x'x) .* S / T + S.^2)`,
 * `theta_ij = (x.^3)'x/T - S_ii S_ij` (its other terms cancel as x'x/T = S), `rho = sum_i phi_ii +
 * rbar sum_{i != j} sqrt(S_jj / S_ii) theta_ij`, `gamma = ||S - F||_F^2`, intensity
 * `max(0, min(1, (phi - rho) / gamma / T))`. Throws DataError when an asset has zero variance.
 */
export function constantCorrelation(d: CenteredData): Shrinkage {
  const { x, t, n, s, tickers } = d;
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sd[i] = Math.sqrt(s[i * n + i] as number);
    if (!((sd[i] as number) > 0)) {
      throw new DataError(
        `${JSON.stringify(tickers[i])} has zero variance on the dates used; constant-correlation shrinkage needs ` +
          'every variance above 0',
      );
    }
  }
  let corrSum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) corrSum += (s[i * n + j] as number) / ((sd[i] as number) * (sd[j] as number));
  }
  const rBar = n === 1 ? 0 : (corrSum - n) / (n * (n - 1));
  const target = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) target[i * n + j] = rBar * ((sd[i] as number) * (sd[j] as number));
    target[i * n + i] = s[i * n + i] as number;
  }
  const rowSq = new Float64Array(t);
  const rowCube = new Float64Array(t); // sum_i x_ti^3 / sd_i
  const rowSd = new Float64Array(t); // sum_j sd_j x_tj
  let fourth = 0;
  for (let j = 0; j < n; j++) {
    const base = j * t;
    const sj = sd[j] as number;
    for (let k = 0; k < t; k++) {
      const xv = x[base + k] as number;
      const x2 = xv * xv;
      rowSq[k] = (rowSq[k] as number) + x2;
      rowCube[k] = (rowCube[k] as number) + (x2 * xv) / sj;
      rowSd[k] = (rowSd[k] as number) + sj * xv;
      fourth += x2 * x2;
    }
  }
  let sumY2 = 0;
  let sumUV = 0;
  for (let k = 0; k < t; k++) {
    sumY2 += (rowSq[k] as number) * (rowSq[k] as number);
    sumUV += (rowCube[k] as number) * (rowSd[k] as number);
  }
  let diagSq = 0;
  for (let i = 0; i < n; i++) diagSq += (s[i * n + i] as number) ** 2;
  const phi = sumY2 / t - frobeniusSquared(s);
  const phiDiag = fourth / t - diagSq; // sum_i phi_ii, which is also sum_i theta_ii
  const thetaAll = sumUV / t - bilinear(s, n, sd, sd); // sum over all (i, j) of sqrt(S_jj / S_ii) theta_ij
  const rho = phiDiag + rBar * (thetaAll - phiDiag);
  const gamma = distanceSquared(s, target);
  return { intensity: intensityOf(n, phi - rho, gamma, t), target };
}

/** max(0, min(1, kappa / T)) with kappa = numerator / gap; 0 when the target equals S (gap 0) or n = 1. */
function intensityOf(n: number, numerator: number, gap: number, t: number): number {
  if (n === 1 || gap === 0) return 0;
  return Math.max(0, Math.min(1, numerator / gap / t));
}

function traceOf(s: Float64Array, n: number): number {
  let tr = 0;
  for (let i = 0; i < n; i++) tr += s[i * n + i] as number;
  return tr;
}

function frobeniusSquared(s: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < s.length; k++) sum += (s[k] as number) * (s[k] as number);
  return sum;
}

function distanceSquared(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) {
    const diff = (a[k] as number) - (b[k] as number);
    sum += diff * diff;
  }
  return sum;
}

/** u' S w. */
function bilinear(s: Float64Array, n: number, u: Float64Array, w: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += (s[i * n + j] as number) * (w[j] as number);
    sum += (u[i] as number) * row;
  }
  return sum;
}

/** Y_t = sum_i x_ti^2 for each date. */
function rowSumsOfSquares(d: CenteredData): Float64Array {
  const { x, t, n } = d;
  const out = new Float64Array(t);
  for (let j = 0; j < n; j++) {
    const base = j * t;
    for (let k = 0; k < t; k++) out[k] = (out[k] as number) + (x[base + k] as number) ** 2;
  }
  return out;
}

function scaledIdentity(n: number, mu: number): Float64Array {
  const f = new Float64Array(n * n);
  for (let i = 0; i < n; i++) f[i * n + i] = mu;
  return f;
}

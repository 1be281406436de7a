/**
 * Monte Carlo scenarios of asset returns over a horizon: multivariate normal, multivariate Student-t, or a bootstrap of
 * historical periods; seeded and reproducible bit for bit.
 */

import { ValidationError } from '../core/errors.js';
import { gram } from '../core/linalg/gram.js';
import { tryCholesky } from '../core/linalg/index.js';
import { Random } from '../core/random.js';
import { tileWorkspace } from './simulation-kernel.js';
import { isConstant, mean } from './stats.js';
import type { AssetReturnMatrix } from './types.js';

/** The distribution the paths are drawn from. */
export type SimulationModel = 'normal' | 'student-t' | 'bootstrap';

/** Options of `simulateAssetReturns`. */
export interface SimulationOptions {
  /** Number of paths (scenarios); default 10,000. */
  readonly paths?: number;
  /** Horizon in periods, a whole number >= 1; default 1. */
  readonly horizon?: number;
  /** Seed of the random generator (a whole number from 0 to 2^53 - 1, or a bigint below 2^64); default 0. */
  readonly seed?: number | bigint;
  /** Degrees of freedom nu of the Student-t model (> 2, Infinity for the normal); required for 'student-t'. */
  readonly degreesOfFreedom?: number;
  /** Use the WebAssembly SIMD kernel when available (default true); false forces scalar JavaScript (same numbers). */
  readonly simd?: boolean;
}

/** Simulated horizon returns of each asset. */
export interface SimulatedScenarios {
  readonly tickers: readonly string[];
  /** Asset-major: the horizon return of asset i on path p is `values[i * paths + p]` (a fraction). */
  readonly values: Float64Array;
  readonly paths: number;
  readonly horizon: number;
  readonly model: SimulationModel;
  /** The degrees of freedom used by the Student-t model (Infinity: normal); undefined for the other models. */
  readonly degreesOfFreedom?: number;
}

/** Paths per block: the draws of one block (block x horizon x assets doubles) stay in the cache. */
const BLOCK = 64;
/**
 * Normal draws per `fillNormal` call of `gaussianPaths`: as many whole paths as fit in 8192 doubles (64 KiB, so they
 * stay in the cache until they are copied to the panels), at least one path and at most a block.
 */
const DRAW_CHUNK = 8192;
/** Paths per block of the bootstrap. */
const BOOTSTRAP_BLOCK = 1024;
/** The most simulated returns (paths x assets) one simulation may hold: 2^27 doubles, 1 GiB. */
export const MAX_SCENARIO_VALUES = 2 ** 27;

/**
 * Simulated h-period returns of the assets of `returns` (per-period simple returns, T dates x n assets, no NaN).
 *
 * Per period, a vector x of asset returns is drawn; a path's horizon return of asset i compounds its h draws:
 * `R_i = prod_{s=1..h} (1 + x_{s,i}) - 1` (for h = 1, `R_i = x_{1,i}`).
 * - `'normal'`: `x = mu + L z`, with mu the sample mean and `L L' = S` the Cholesky factor of the sample covariance
 *   S (ddof 1) of the T periods, z independent standard normals. A singular S (T <= n, or collinear assets) is
 *   factored with the pivots that vanish (below n * 2^-52 * max S_ii) set to zero.
 * - `'student-t'`: `x = mu + sqrt((nu - 2) / W) L z` with W chi-squared with nu degrees of freedom (drawn as
 *   `2 * gamma(nu / 2)`) for each period of each path, the multivariate t with covariance S (nu > 2); nu = Infinity
 *   is the normal model. It uses exactly the normal model's z (common random numbers).
 * - `'bootstrap'`: x is the return vector of a historical period drawn uniformly with replacement (`Random.int(T)`),
 *   all assets of that period together.
 *
 * Reproducibility: the generator is `new Random(seed)`; the normals are the stream of `Random.fillNormal` (the
 * ziggurat method) of its fork 'normal', taken path after path, period after period, asset after asset (n per
 * period); the chi-squared draws come from the fork 'chi-square' (one per period of each path, in the same order),
 * the bootstrap periods from the fork 'bootstrap'. Throws ValidationError for invalid options, data with NaN, fewer
 * than 2 periods (normal and Student-t) or none, or more than `MAX_SCENARIO_VALUES` simulated returns.
 */
export function simulateAssetReturns(
  returns: AssetReturnMatrix,
  model: SimulationModel,
  options: SimulationOptions = {},
): SimulatedScenarios {
  return simulateAssetReturnsMany(
    returns,
    [{ model, degreesOfFreedom: options.degreesOfFreedom }],
    options,
  )[0] as SimulatedScenarios;
}

/** One model of `simulateAssetReturnsMany`. */
export interface SimulationRequest {
  readonly model: SimulationModel;
  /** Degrees of freedom of a Student-t model (> 2). */
  readonly degreesOfFreedom?: number | undefined;
}

/**
 * Several models at once, each exactly as `simulateAssetReturns` would give it alone (same seed, same draws), with the
 * work shared: the normal and Student-t models are scaled from one set of normal draws and products `L z` (their
 * common random numbers), so a Student-t run next to a normal one costs little more than its chi-squared draws.
 * `options.degreesOfFreedom` is ignored; each request carries its own.
 */
export function simulateAssetReturnsMany(
  returns: AssetReturnMatrix,
  requests: readonly SimulationRequest[],
  options: SimulationOptions = {},
): SimulatedScenarios[] {
  const paths = options.paths ?? 10_000;
  const horizon = options.horizon ?? 1;
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(paths) || paths < 1) {
    throw new ValidationError(`the number of Monte Carlo paths must be a whole number of at least 1, got ${paths}`);
  }
  checkHorizon(horizon);
  const t = returns.rowCount;
  const n = returns.columnCount;
  const x = returns.values;
  for (let k = 0; k < x.length; k++) {
    if (!Number.isFinite(x[k] as number)) {
      throw new ValidationError(
        'Monte Carlo simulation needs asset returns without gaps: keep the dates on which every asset has a return',
      );
    }
  }
  if (n === 0) throw new ValidationError('Monte Carlo simulation needs at least one asset');
  if (n * paths * requests.length > MAX_SCENARIO_VALUES) {
    throw new ValidationError(
      `${requests.length} x ${paths} paths x ${n} assets would hold ${requests.length * n * paths} simulated ` +
        `returns, above the ${MAX_SCENARIO_VALUES} (1 GiB) limit: use at most ` +
        `${Math.floor(MAX_SCENARIO_VALUES / (n * requests.length))} paths`,
    );
  }
  const nus: number[] = [];
  for (const r of requests) {
    if (r.model === 'bootstrap') {
      if (t < 1) throw new ValidationError('a bootstrap needs at least one historical period');
      continue;
    }
    if (r.model !== 'normal' && r.model !== 'student-t') {
      throw new ValidationError(
        `unknown simulation model ${JSON.stringify(r.model)}; use normal, student-t or bootstrap`,
      );
    }
    if (t < 2) throw new ValidationError(`a ${r.model} simulation needs at least 2 periods to estimate the covariance`);
    if (r.model === 'normal') {
      nus.push(Number.POSITIVE_INFINITY);
      continue;
    }
    if (r.degreesOfFreedom === undefined) {
      throw new ValidationError('the Student-t model needs its degrees of freedom (fitStudentTDegreesOfFreedom)');
    }
    if (!(r.degreesOfFreedom > 2)) {
      throw new ValidationError(`Student-t degrees of freedom must be above 2, got ${r.degreesOfFreedom}`);
    }
    nus.push(r.degreesOfFreedom);
  }
  const rng = new Random(seed);
  let gaussian: Float64Array[] = [];
  if (nus.length > 0) {
    const { mu, cov } = sampleMoments(x, t, n);
    gaussian = gaussianPaths(mu, covarianceFactor(cov, n), n, paths, horizon, nus, rng, options.simd ?? true);
  }
  let next = 0;
  return requests.map((r) => {
    const base = { tickers: returns.tickers, paths, horizon, model: r.model };
    if (r.model === 'bootstrap') return { ...base, values: bootstrap(x, t, n, paths, horizon, rng.fork('bootstrap')) };
    const values = gaussian[next++] as Float64Array;
    return r.model === 'student-t'
      ? { ...base, values, degreesOfFreedom: r.degreesOfFreedom as number }
      : { ...base, values };
  });
}

/**
 * Degrees of freedom of the Student-t distribution with a given excess kurtosis K, by the method of moments: a t with
 * nu > 4 degrees of freedom has excess kurtosis `6 / (nu - 4)`, so `nu = 4 + 6 / K`. Returns Infinity (the normal)
 * when K <= 0 or K is NaN (no fat tails to fit).
 */
export function fitStudentTDegreesOfFreedom(excessKurtosis: number): number {
  return excessKurtosis > 0 ? 4 + 6 / excessKurtosis : Number.POSITIVE_INFINITY;
}

/** Throws ValidationError unless the horizon is a whole number of periods of at least 1. */
export function checkHorizon(horizon: number): void {
  if (!Number.isSafeInteger(horizon) || horizon < 1) {
    throw new ValidationError(`the horizon must be a whole number of periods of at least 1, got ${horizon}`);
  }
}

/** Per-period sample mean and covariance (ddof 1, n x n row-major) of T x n column-major returns without gaps. */
export function sampleMoments(x: Float64Array, t: number, n: number): { mu: Float64Array; cov: Float64Array } {
  const mu = new Float64Array(n);
  const centred = new Float64Array(t * n);
  for (let j = 0; j < n; j++) {
    const col = x.subarray(j * t, (j + 1) * t);
    const m = mean(col);
    mu[j] = m;
    if (isConstant(col)) continue; // exactly zero deviations
    for (let i = 0; i < t; i++) centred[j * t + i] = (col[i] as number) - m;
  }
  const cov = gram(centred, t, n);
  for (let k = 0; k < cov.length; k++) cov[k] = (cov[k] as number) / (t - 1);
  return { mu, cov };
}

/**
 * Lower-triangular L with `L L' = A` for a symmetric positive semidefinite n x n row-major A: the ordinary Cholesky
 * factor when A is positive definite; otherwise the Cholesky-Crout recurrence with every pivot at or below
 * `n * 2^-52 * max_i A_ii` taken as zero (that column of L set to 0), which factors a singular A exactly up to rounding.
 */
export function covarianceFactor(a: Float64Array, n: number): Float64Array {
  const exact = tryCholesky(a, n);
  if (exact !== undefined) return exact;
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, a[i * n + i] as number);
  const tol = n * 2 ** -52 * maxDiag;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (l[j * n + k] as number) ** 2;
    if (!(d > tol)) continue; // a vanishing pivot: column j stays zero
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/**
 * Gaussian paths, compounded over the horizon, asset-major, for each of the degrees of freedom `nus` (Infinity: the
 * normal model) from the same normal draws: one set of draws and products `L z`, scaled per model. Each model's
 * chi-squared draws come from its own fork 'chi-square', so every result equals that of a run of its model alone.
 */
function gaussianPaths(
  mu: Float64Array,
  l: Float64Array,
  n: number,
  paths: number,
  horizon: number,
  nus: readonly number[],
  rng: Random,
  simd: boolean,
): Float64Array[] {
  const models = nus.length;
  const outs = nus.map(() => new Float64Array(n * paths));
  const zRng = rng.fork('normal');
  const wRngs = nus.map((nu) => (nu === Number.POSITIVE_INFINITY ? undefined : rng.fork('chi-square')));
  const assetPanels = Math.ceil(n / 4);
  const depth = assetPanels * 4;
  const block = Math.min(BLOCK, Math.ceil(paths / 4) * 4);
  const pathPanels = block / 4;
  // Path panels of every period of a block; output rows: one per asset (padded to a multiple of 4), `block` paths.
  const ws = tileWorkspace(assetPanels, pathPanels * horizon, depth, depth, block, simd);
  const lp = ws.l;
  lp.fill(0);
  for (let i = 0; i < n; i++) {
    const base = (i >> 2) * depth * 4 + (i & 3);
    for (let k = 0; k <= i; k++) lp[base + k * 4] = l[i * n + k] as number;
  }
  const z = ws.z;
  const x = ws.x;
  const scales = nus.map(() => new Float64Array(horizon * block).fill(1));
  const growths = horizon > 1 ? nus.map(() => new Float64Array(n * block)) : undefined;
  // The normals of `chunk` whole paths at a time, in draw order (path, period, asset), before they go to the panels.
  const perPath = horizon * n;
  const chunk = Math.max(1, Math.min(block, Math.floor(DRAW_CHUNK / perPath)));
  const draws = new Float64Array(chunk * perPath);
  for (let p0 = 0; p0 < paths; p0 += block) {
    const count = Math.min(block, paths - p0);
    // Draws in path order: path q of the block, period s, asset k -> path panel s * pathPanels + q / 4, row k, lane q % 4.
    for (let q0 = 0; q0 < count; q0 += chunk) {
      const m = Math.min(chunk, count - q0);
      zRng.fillNormal(draws, 0, m * perPath);
      for (let q = q0; q < q0 + m; q++) {
        for (let s = 0; s < horizon; s++) {
          const o = (s * pathPanels + (q >> 2)) * depth * 4 + (q & 3);
          const d = ((q - q0) * horizon + s) * n;
          for (let k = 0; k < n; k++) z[o + k * 4] = draws[d + k] as number;
          for (let j = 0; j < models; j++) {
            const w = wRngs[j];
            const nu = nus[j] as number;
            if (w !== undefined) {
              (scales[j] as Float64Array)[s * block + q] = Math.sqrt((nu - 2) / (2 * w.gamma(nu / 2)));
            }
          }
        }
      }
    }
    if (growths !== undefined) for (const g of growths) g.fill(1);
    for (let s = 0; s < horizon; s++) {
      for (let pp = 0; pp * 4 < count; pp++) {
        for (let J = 0; J < assetPanels; J++) ws.tile(J, s * pathPanels + pp, Math.min(n, 4 * J + 4), pp);
      }
      for (let j = 0; j < models; j++) {
        const sc = (scales[j] as Float64Array).subarray(s * block, (s + 1) * block);
        const out = outs[j] as Float64Array;
        const growth = growths?.[j];
        for (let i = 0; i < n; i++) {
          const m = mu[i] as number;
          const row = i * block;
          if (growth === undefined) {
            const o = i * paths + p0;
            for (let q = 0; q < count; q++) out[o + q] = m + (sc[q] as number) * (x[row + q] as number);
          } else {
            for (let q = 0; q < count; q++) {
              growth[row + q] = (growth[row + q] as number) * (1 + m + (sc[q] as number) * (x[row + q] as number));
            }
          }
        }
      }
    }
    if (growths !== undefined) {
      growths.forEach((growth, j) => {
        const out = outs[j] as Float64Array;
        for (let i = 0; i < n; i++) {
          const o = i * paths + p0;
          const row = i * block;
          for (let q = 0; q < count; q++) out[o + q] = (growth[row + q] as number) - 1;
        }
      });
    }
  }
  return outs;
}

/** Bootstrap paths: h historical periods drawn with replacement per path, compounded, asset-major. */
function bootstrap(x: Float64Array, t: number, n: number, paths: number, horizon: number, rng: Random): Float64Array {
  const out = new Float64Array(n * paths);
  const block = Math.min(BOOTSTRAP_BLOCK, paths);
  const rows = new Int32Array(block * horizon);
  for (let p0 = 0; p0 < paths; p0 += block) {
    const count = Math.min(block, paths - p0);
    // Draws in path order (path after path, period after period); then asset by asset, so that each reads one column.
    for (let k = 0; k < count * horizon; k++) rows[k] = rng.int(t);
    for (let i = 0; i < n; i++) {
      const col = x.subarray(i * t, (i + 1) * t);
      const o = i * paths + p0;
      if (horizon === 1) {
        for (let q = 0; q < count; q++) out[o + q] = col[rows[q] as number] as number;
        continue;
      }
      for (let q = 0; q < count; q++) {
        let g = 1;
        for (let s = 0; s < horizon; s++) g *= 1 + (col[rows[q * horizon + s] as number] as number);
        out[o + q] = g - 1;
      }
    }
  }
  return out;
}

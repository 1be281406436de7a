/**
 * Risk budgeting and equal risk contribution against reference/risk-budgeting/golden.json (cvxpy + Clarabel on the
 * log-barrier problem, polished by scipy.optimize.root on its first-order conditions), on the three reference
 * inputs' sample covariances and seeded random covariances with negative correlations, with equal, Dirichlet and
 * widely spread budgets. Weights must agree to 1e-12 and the relative risk-contribution error, recomputed here from
 * the definition, must be at most 1e-12. Then the closed forms (diagonal: 1/sigma; two assets), budgets by map,
 * invariance to the order and scale, the reported measures, and every error.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InfeasibleError, ValidationError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { equalRiskContribution, type LabelledCovariance, riskBudgeting } from '../../src/optimize/allocators.js';
import { SolverError } from '../../src/optimize/index.js';

interface GoldenCase {
  readonly name: string;
  readonly budgets: string;
  readonly tickers: string[];
  readonly covarianceUpper: number[];
  readonly b: number[] | null;
  readonly weights: number[];
  readonly relativeError: number;
}

const golden = JSON.parse(
  readFileSync(new URL('../../reference/risk-budgeting/golden.json', import.meta.url), 'utf8'),
) as { header: Record<string, string>; cases: GoldenCase[] };

function fromUpper(upper: readonly number[], n: number): Float64Array {
  const out = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      out[i * n + j] = upper[k] as number;
      out[j * n + i] = upper[k++] as number;
    }
  }
  return out;
}

/** A double as sign * mantissa * 2^exponent with an integer mantissa (exact). */
function decompose(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) m |= 1n << 52n;
  if (hi >>> 31) m = -m;
  return { m, e: (biased === 0 ? 1 : biased) - 1075 };
}

/** sum_j a_j b_j computed exactly in integers, then rounded to a double (an oracle independent of the solver). */
function exactDot(a: ArrayLike<number>, offset: number, b: ArrayLike<number>, n: number): number {
  const terms = Array.from({ length: n }, (_, j) => {
    const x = decompose(a[offset + j] as number);
    const y = decompose(b[j] as number);
    return { m: x.m * y.m, e: x.e + y.e };
  });
  const low = Math.min(...terms.map((t) => t.e));
  let total = 0n;
  for (const t of terms) total += t.m << BigInt(t.e - low);
  // Scale to about 64 significant bits, then convert (relative error about 2^-53).
  const negative = total < 0n;
  let mag = negative ? -total : total;
  let exponent = low;
  const bits = mag.toString(2).length;
  if (bits > 64) {
    mag >>= BigInt(bits - 64);
    exponent += bits - 64;
  }
  let value = Number(mag);
  while (exponent > 0) {
    const step = Math.min(exponent, 1000);
    value *= 2 ** step;
    exponent -= step;
  }
  while (exponent < 0) {
    const step = Math.max(exponent, -1000);
    value *= 2 ** step;
    exponent -= step;
  }
  return negative ? -value : value;
}

/**
 * max_i |RC_i - b_i| / b_i with RC_i = w_i (S w)_i / (w'Sw), every (S w)_i summed exactly (so the figure is the
 * error of the weights themselves, not of a rounded evaluation).
 */
function rcError(s: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = w.length;
  const terms = Array.from({ length: n }, (_, i) => (w[i] as number) * exactDot(s, i * n, w, n));
  const v = terms.reduce((a, t) => a + t, 0);
  let err = 0;
  for (let i = 0; i < n; i++)
    err = Math.max(err, Math.abs((terms[i] as number) / v - (b[i] as number)) / (b[i] as number));
  return err;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

function randomCovariance(seed: number, n: number, negative = true): LabelledCovariance {
  const rng = new Random(seed);
  const b = Float64Array.from({ length: 3 * n }, (_, k) => 0.15 * rng.normal() + (negative || k % 3 ? 0 : 0.2));
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let v = 0;
      for (let f = 0; f < 3; f++) v += (b[3 * i + f] as number) * (b[3 * j + f] as number);
      if (i === j) v += (0.05 + 0.35 * rng.nextDouble()) ** 2;
      s[i * n + j] = v;
      s[j * n + i] = v;
    }
  }
  return { tickers: Array.from({ length: n }, (_, i) => `X${i}`), values: s };
}

describe('golden values (cvxpy + Clarabel, polished by scipy root)', () => {
  it('cover equal, Dirichlet and spread budgets on data and random covariances', () => {
    expect(golden.header.producedBy).toBe('reference/risk-budgeting/golden.py');
    expect(golden.cases.length).toBeGreaterThanOrEqual(30);
    expect(golden.cases.filter((c) => c.b !== null && Math.min(...c.b) < 1e-4).length).toBeGreaterThan(2);
  });

  for (const c of golden.cases) {
    it(`${c.name}: weights to 1e-12, relative RC error <= 1e-12`, () => {
      const n = c.tickers.length;
      const cov = { tickers: c.tickers, values: fromUpper(c.covarianceUpper, n) };
      const r = c.b === null ? equalRiskContribution(cov) : riskBudgeting(cov, { budgets: c.b });
      expect(r.method).toBe(c.b === null ? 'equal-risk-contribution' : 'risk-budgeting');
      expect(maxDiff(r.weights, c.weights)).toBeLessThan(1e-12);
      const b = c.b ?? new Array(n).fill(1 / n);
      expect(rcError(cov.values, r.weights, b)).toBeLessThanOrEqual(1e-12);
      expect(r.maxRelativeError).toBeLessThanOrEqual(1e-12);
      expect(maxDiff(r.budgets, b)).toBeLessThan(1e-15);
    });
  }
});

describe('closed forms', () => {
  it('ERC on a diagonal covariance: w_i proportional to 1 / sigma_i', () => {
    const vols = [0.1, 0.25, 0.4, 0.15, 0.3, 0.05];
    const n = vols.length;
    const s = new Float64Array(n * n);
    vols.forEach((v, i) => {
      s[i * n + i] = v * v;
    });
    const r = equalRiskContribution({ tickers: vols.map((_, i) => `D${i}`), values: s });
    const inv = vols.map((v) => 1 / v);
    const total = inv.reduce((a, x) => a + x, 0);
    expect(
      maxDiff(
        r.weights,
        inv.map((x) => x / total),
      ),
    ).toBeLessThan(1e-15);
    expect(r.iterations).toBe(1);
    // Budgets on a diagonal: w_i proportional to sqrt(b_i) / sigma_i.
    const b = [0.05, 0.1, 0.15, 0.2, 0.2, 0.3];
    const rb = riskBudgeting({ tickers: vols.map((_, i) => `D${i}`), values: s }, { budgets: b });
    const raw = vols.map((v, i) => Math.sqrt(b[i] as number) / v);
    const rawTotal = raw.reduce((a, x) => a + x, 0);
    expect(
      maxDiff(
        rb.weights,
        raw.map((x) => x / rawTotal),
      ),
    ).toBeLessThan(1e-15);
  });

  it('ERC of two assets: w_1 = sigma_2 / (sigma_1 + sigma_2) whatever the correlation', () => {
    for (const rho of [-0.95, -0.3, 0, 0.5, 0.99]) {
      const s = [0.04, rho * 0.06, rho * 0.06, 0.09];
      const r = equalRiskContribution({ tickers: ['A', 'B'], values: s });
      expect(r.weights[0]).toBeCloseTo(0.3 / 0.5, 14);
      expect(r.weights[1]).toBeCloseTo(0.2 / 0.5, 14);
    }
  });

  it('budgets of two negatively correlated assets: w_1 (S w)_1 / b_1 = w_2 (S w)_2 / b_2, solved by bisection', () => {
    // With w = (x, 1 - x): b2 x (s11 x + s12 (1 - x)) = b1 (1 - x) (s12 x + s22 (1 - x)), a quadratic in x.
    const [s11, s12, s22, b1, b2] = [0.04, -0.012, 0.09, 0.8, 0.2];
    const r = riskBudgeting({ tickers: ['A', 'B'], values: [s11, s12, s12, s22] }, { budgets: [b1, b2] });
    const f = (x: number): number => b2 * x * (s11 * x + s12 * (1 - x)) - b1 * (1 - x) * (s12 * x + s22 * (1 - x));
    // bisection on (0, 1): f(0) < 0 < f(1)
    let lo = 0;
    let hi = 1;
    for (let k = 0; k < 200; k++) {
      const mid = (lo + hi) / 2;
      if (f(mid) < 0) lo = mid;
      else hi = mid;
    }
    expect(Math.abs((r.weights[0] as number) - lo)).toBeLessThan(1e-14);
  });
});

describe('properties', () => {
  it('budgets are met to 1e-12 on random covariances up to 150 assets, budgets spread over 4 decades', () => {
    const rng = new Random(4711);
    let newton = 0;
    let alone = 0;
    for (const n of [3, 7, 25, 60, 150]) {
      for (const negative of [true, false]) {
        const cov = randomCovariance(n * 10 + (negative ? 1 : 0), n, negative);
        const b = Float64Array.from({ length: n }, () => 10 ** (-4 * rng.nextDouble()));
        const r = riskBudgeting(cov, { budgets: b });
        let total = 0;
        for (const v of b) total += v;
        const normalised = Float64Array.from(b, (v) => v / total);
        expect(rcError(cov.values, r.weights, normalised)).toBeLessThanOrEqual(1e-12);
        let sum = 0;
        for (const w of r.weights) {
          expect(w).toBeGreaterThan(0);
          sum += w;
        }
        expect(Math.abs(sum - 1)).toBeLessThan(1e-15);
        if (r.newtonSteps > 0) newton++;
        else alone++;
      }
    }
    // Both paths are exercised: coordinate descent alone, and handed over to Newton on the hard cases.
    expect(newton).toBeGreaterThan(1);
    expect(alone).toBeGreaterThan(1);
  });

  it('meets a tighter tolerance when asked, and reports the work done', () => {
    const cov = randomCovariance(99, 40, false);
    const loose = equalRiskContribution(cov, { tolerance: 1e-6 });
    const tight = equalRiskContribution(cov, { tolerance: 1e-14 });
    expect(loose.maxRelativeError).toBeLessThanOrEqual(1e-6);
    expect(loose.maxRelativeError).toBeGreaterThan(1e-14);
    expect(tight.maxRelativeError).toBeLessThanOrEqual(1e-14);
    expect(tight.iterations + tight.newtonSteps).toBeGreaterThan(loose.iterations + loose.newtonSteps);
  });

  it('does not depend on the order of the assets or the scale of the covariance', () => {
    const rng = new Random(3);
    const n = 30;
    const cov = randomCovariance(5, n);
    const b = Float64Array.from({ length: n }, () => 0.1 + rng.nextDouble());
    const perm = Array.from({ length: n }, (_, i) => (i * 7) % n);
    const s = cov.values as Float64Array;
    const ps = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) ps[i * n + j] = s[(perm[i] as number) * n + (perm[j] as number)] as number;
    const budgets: Record<string, number> = {};
    cov.tickers.forEach((t, i) => {
      budgets[t] = b[i] as number;
    });
    const a = riskBudgeting(cov, { budgets });
    const p = riskBudgeting({ tickers: perm.map((i) => cov.tickers[i] as string), values: ps }, { budgets });
    const scaled = riskBudgeting({ tickers: cov.tickers, values: Float64Array.from(s, (v) => v * 250) }, { budgets });
    for (const t of cov.tickers) {
      expect(Math.abs((a.weightsByTicker[t] as number) - (p.weightsByTicker[t] as number))).toBeLessThan(1e-14);
      expect(Math.abs((a.weightsByTicker[t] as number) - (scaled.weightsByTicker[t] as number))).toBeLessThan(1e-14);
    }
  });

  it('reports volatility, absolute and relative contributions, return and Sharpe ratio by their formulas', () => {
    const cov = randomCovariance(12, 10);
    const mu = Float64Array.from({ length: 10 }, (_, i) => 0.03 + 0.005 * i);
    const r = equalRiskContribution(cov, { expectedReturns: mu, riskFreeRate: 0.01 });
    const s = cov.values as Float64Array;
    let v = 0;
    let ret = 0;
    for (let i = 0; i < 10; i++) {
      ret += (mu[i] as number) * (r.weights[i] as number);
      for (let j = 0; j < 10; j++) v += (r.weights[i] as number) * (s[i * 10 + j] as number) * (r.weights[j] as number);
    }
    expect(r.volatility).toBeCloseTo(Math.sqrt(v), 15);
    expect(r.expectedReturn).toBeCloseTo(ret, 15);
    expect(r.sharpe).toBeCloseTo((ret - 0.01) / Math.sqrt(v), 13);
    for (let i = 0; i < 10; i++) {
      expect(r.riskContributions.relative[i]).toBeCloseTo(0.1, 13);
      expect(r.riskContributions.absolute[i]).toBeCloseTo(Math.sqrt(v) / 10, 14);
    }
    expect(r.riskFreeRate).toBe(0.01);
    expect(r.tickers).toEqual(cov.tickers);
  });

  it('the WebAssembly SIMD and scalar kernels give the same weights to the bit (odd and even n)', () => {
    for (const n of [7, 30, 61]) {
      const cov = randomCovariance(700 + n, n, n % 2 === 0);
      const b = Float64Array.from({ length: n }, (_, i) => 1 + (i % 5));
      const simd = riskBudgeting(cov, { budgets: b });
      const scalar = riskBudgeting(cov, { budgets: b, simd: false });
      expect(Array.from(simd.weights)).toEqual(Array.from(scalar.weights));
      expect(simd.iterations).toBe(scalar.iterations);
    }
  });

  it('a single asset gets everything', () => {
    const r = equalRiskContribution({ tickers: ['ONLY'], values: [0.09] });
    expect(Array.from(r.weights)).toEqual([1]);
    expect(r.volatility).toBeCloseTo(0.3, 15);
  });
});

describe('errors', () => {
  const cov = randomCovariance(1, 4);
  it('rejects non-positive, missing or unknown budgets and bad settings', () => {
    expect(() => riskBudgeting(cov, { budgets: [0.5, 0.5, 0, 0.1] })).toThrow(/risk budget of "X2" is 0/);
    expect(() => riskBudgeting(cov, { budgets: [0.5, 0.5] })).toThrow(/2 risk budgets for 4 tickers/);
    expect(() => riskBudgeting(cov, { budgets: { X0: 1, X1: 1, X2: 1 } })).toThrow(/no risk budget for "X3"/);
    expect(() => riskBudgeting(cov, { budgets: { X0: 1, X1: 1, X2: 1, X3: 1, Y: 1 } })).toThrow(/"Y"/);
    expect(() => riskBudgeting(cov, { tolerance: 1e-16 })).toThrow(ValidationError);
    expect(() => riskBudgeting(cov, { maxIterations: 0 })).toThrow(ValidationError);
    expect(() => riskBudgeting(cov, { expectedReturns: [1, 2] })).toThrow(/4 numbers/);
  });

  it('rejects an invalid covariance', () => {
    expect(() => equalRiskContribution({ tickers: ['A', 'B'], values: [0.04, 0.01, 0.02, 0.09] })).toThrow(
      /not symmetric/,
    );
    expect(() => equalRiskContribution({ tickers: ['A', 'B'], values: [0.04, 0.1, 0.1, 0.09] })).toThrow(
      /correlation above 1/,
    );
    expect(() => equalRiskContribution({ tickers: ['A', 'B'], values: [0.04, 0, 0, -0.09] })).toThrow(
      /variance of "B"/,
    );
    expect(() => equalRiskContribution({ tickers: ['A', 'B'], values: [0.04, 0, 0] })).toThrow(/3 entries/);
  });

  it('says there is no solution when a long-only portfolio has zero variance', () => {
    // Perfect negative correlation of equal volatilities: 50/50 has zero risk, no risk split exists.
    expect(() => equalRiskContribution({ tickers: ['A', 'B'], values: [0.04, -0.04, -0.04, 0.04] })).toThrow(
      InfeasibleError,
    );
  });

  it('says when the sweep limit is reached first', () => {
    expect(() => equalRiskContribution(randomCovariance(2, 30), { maxIterations: 2 })).toThrow(SolverError);
  });
});

/**
 * Monte Carlo scenarios, checked statistically against closed forms and exactly where an exact answer exists.
 *
 * Tolerances come from the sample size N. For a sample alpha-quantile the asymptotic standard error is
 * `sqrt(alpha (1 - alpha) / N) / f(q)` (f the density at the quantile); for the tail mean (CVaR with an estimated
 * quantile) it is `sqrt((Var(X | X <= q) + (1 - alpha) (q - ES)^2) / (alpha N))` (e.g. Chen 2008, J. Financial
 * Econometrics 6, 87-107). A check passes within 4.5 standard errors (a two-sided normal probability below 7e-6);
 * with fixed seeds every run draws the same numbers, so a pass is a pass for good, and a broken simulation (a wrong
 * scale, mean or tail) misses by many standard errors.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { excessKurtosis } from '../../src/risk/metrics.js';
import {
  covarianceFactor,
  fitStudentTDegreesOfFreedom,
  sampleMoments,
  simulateAssetReturns,
} from '../../src/risk/monte-carlo.js';
import { normalPdf, normalQuantile } from '../../src/risk/normal.js';
import { normalVar, portfolioVar, seriesVar } from '../../src/risk/var.js';

const golden = JSON.parse(readFileSync(new URL('../../reference/risk/golden.json', import.meta.url), 'utf8')) as {
  studentT: {
    nu: number;
    alpha: number;
    quantile: number;
    density: number;
    tailMean: number;
    tailSecondMoment: number;
  }[];
};

const SE = 4.5;

function within(got: number, want: number, se: number, what: string): void {
  if (!(Math.abs(got - want) <= SE * se)) {
    expect.fail(`${what}: got ${got}, want ${want} +- ${SE} x ${se} (off by ${Math.abs(got - want) / se} SE)`);
  }
}

function sampleStats(x: Float64Array): { mean: number; std: number } {
  let s = 0;
  for (const v of x) s += v;
  const m = s / x.length;
  let ss = 0;
  for (const v of x) ss += (v - m) ** 2;
  return { mean: m, std: Math.sqrt(ss / (x.length - 1)) };
}

/** Standard errors of the VaR and CVaR estimates of a normal N(mu, s^2) from N scenarios. */
function normalErrors(sigma: number, alpha: number, n: number): { varSe: number; cvarSe: number } {
  const z = normalQuantile(alpha);
  const es = -normalPdf(z) / alpha; // E[Z | Z <= z]
  const second = 1 - (z * normalPdf(z)) / alpha; // E[Z^2 | Z <= z]
  return {
    varSe: (sigma * Math.sqrt((alpha * (1 - alpha)) / n)) / normalPdf(z),
    cvarSe: sigma * Math.sqrt((second - es * es + (1 - alpha) * (z - es) ** 2) / (alpha * n)),
  };
}

function series(t: number, seed: number, scale = 0.01): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from({ length: t }, () => 0.0005 + scale * rng.studentT(6));
}

describe('multivariate normal paths against the closed form', () => {
  const N = 100_000;

  it('a single series: VaR and CVaR within their standard errors of the normal formulas', () => {
    const r = series(500, 1);
    const { mean, std } = sampleStats(r);
    for (const confidence of [0.95, 0.99]) {
      const alpha = 1 - confidence;
      const mc = seriesVar(r, 'monte-carlo-normal', { confidence, paths: N, seed: 42 });
      const exact = normalVar(mean, std, { confidence });
      const { varSe, cvarSe } = normalErrors(std, alpha, N);
      within(mc.var, exact.var, varSe, `VaR ${confidence}`);
      within(mc.cvar, exact.cvar, cvarSe, `CVaR ${confidence}`);
      expect(mc.scenarios).toBe(N);
    }
  });

  it('several correlated assets: the portfolio and each asset against their normal formulas', () => {
    const rng = new Random(8);
    const t = 600;
    const n = 4;
    const values = new Float64Array(t * n);
    for (let s = 0; s < t; s++) {
      const f = rng.normal();
      for (let i = 0; i < n; i++) values[i * t + s] = 0.0003 * i + 0.01 * ((0.3 + 0.2 * i) * f + rng.normal());
    }
    const assets = { tickers: ['A', 'B', 'C', 'D'], values, rowCount: t, columnCount: n };
    const w = [0.4, 0.3, 0.2, 0.1];
    const mc = portfolioVar(assets, w, 'monte-carlo-normal', { confidence: 0.95, paths: N, seed: 3 });
    const exact = portfolioVar(assets, w, 'normal', { confidence: 0.95 });
    // The portfolio's per-period standard deviation from the exact VaR and CVaR: CVaR - VaR = s (z + phi(z) / alpha).
    const z = normalQuantile(0.05);
    const sigma = (exact.cvar - exact.var) / (z + normalPdf(z) / 0.05);
    const e = normalErrors(sigma, 0.05, N);
    within(mc.var, exact.var, e.varSe, 'portfolio VaR');
    within(mc.cvar, exact.cvar, e.cvarSe, 'portfolio CVaR');
    for (let i = 0; i < n; i++) {
      const own = sampleStats(values.subarray(i * t, (i + 1) * t));
      const ei = normalErrors(own.std, 0.05, N);
      within(mc.assetVar[i] as number, exact.assetVar[i] as number, ei.varSe, `asset ${i} VaR`);
      within(mc.assetCvar[i] as number, exact.assetCvar[i] as number, ei.cvarSe, `asset ${i} CVaR`);
    }
  });

  it('compounds the h periods of a path: E[R] = (1 + mu)^h - 1 for both Gaussian models', () => {
    const r = series(400, 5);
    const { mean, std } = sampleStats(r);
    const h = 5;
    for (const model of ['normal', 'student-t'] as const) {
      const sim = simulateAssetReturns({ tickers: ['x'], values: r, rowCount: 400, columnCount: 1 }, model, {
        paths: 50_000,
        horizon: h,
        seed: 9,
        degreesOfFreedom: 5,
      });
      const got = sampleStats(sim.values);
      const second = ((1 + mean) ** 2 + std * std) ** h; // E[prod (1 + x)^2] for independent periods
      const sd = Math.sqrt(second - (1 + mean) ** (2 * h));
      within(got.mean, (1 + mean) ** h - 1, sd / Math.sqrt(50_000), `${model} mean`);
      // The standard deviation of the horizon return, within 4.5 of its (normal-theory, fat-tail-inflated) errors.
      within(got.std, sd, (3 * sd) / Math.sqrt(2 * 50_000), `${model} std`);
    }
  });
});

describe('Student-t paths against scipy.stats.t', () => {
  for (const g of golden.studentT) {
    it(`nu ${g.nu}, alpha ${g.alpha}`, () => {
      const N = 100_000;
      const r = series(300, 11);
      const { mean, std } = sampleStats(r);
      const c = std * Math.sqrt((g.nu - 2) / g.nu); // scale of the standard t with variance std^2
      const mc = seriesVar(r, 'monte-carlo-t', {
        confidence: 1 - g.alpha,
        paths: N,
        seed: 21,
        degreesOfFreedom: g.nu,
      });
      expect(mc.degreesOfFreedom).toBe(g.nu);
      const varSe = (c * Math.sqrt((g.alpha * (1 - g.alpha)) / N)) / g.density;
      const tailVar = g.tailSecondMoment - g.tailMean ** 2;
      const cvarSe = c * Math.sqrt((tailVar + (1 - g.alpha) * (g.quantile - g.tailMean) ** 2) / (g.alpha * N));
      within(mc.var, -(mean + c * g.quantile), varSe, 'VaR');
      within(mc.cvar, -(mean + c * g.tailMean), cvarSe, 'CVaR');
    });
  }

  it('fits the degrees of freedom to the excess kurtosis of the portfolio returns', () => {
    expect(fitStudentTDegreesOfFreedom(2)).toBe(7);
    expect(fitStudentTDegreesOfFreedom(0)).toBe(Number.POSITIVE_INFINITY);
    expect(fitStudentTDegreesOfFreedom(-0.5)).toBe(Number.POSITIVE_INFINITY);
    expect(fitStudentTDegreesOfFreedom(Number.NaN)).toBe(Number.POSITIVE_INFINITY);
    const r = series(800, 4);
    const v = seriesVar(r, 'monte-carlo-t', { paths: 100 });
    expect(v.degreesOfFreedom).toBe(4 + 6 / excessKurtosis(r));
  });
});

describe('bootstrap', () => {
  it('draws whole historical periods: the nine two-period outcomes of three returns, equally likely', () => {
    const h = [0.1, -0.1, 0.05];
    const N = 90_000;
    const sim = simulateAssetReturns(
      { tickers: ['x'], values: Float64Array.from(h), rowCount: 3, columnCount: 1 },
      'bootstrap',
      {
        paths: N,
        horizon: 2,
        seed: 1,
      },
    );
    const counts = new Map<number, number>();
    for (const v of sim.values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const expected = new Map<number, number>();
    for (const a of h)
      for (const b of h) expected.set((1 + a) * (1 + b) - 1, (expected.get((1 + a) * (1 + b) - 1) ?? 0) + 1 / 9);
    expect(new Set(counts.keys())).toEqual(new Set(expected.keys()));
    for (const [value, p] of expected) {
      within((counts.get(value) as number) / N, p, Math.sqrt((p * (1 - p)) / N), `frequency of ${value}`);
    }
  });

  it('keeps the assets of a period together', () => {
    const t = 5;
    const values = Float64Array.from([0.01, 0.02, 0.03, 0.04, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5]);
    const sim = simulateAssetReturns({ tickers: ['a', 'b'], values, rowCount: t, columnCount: 2 }, 'bootstrap', {
      paths: 1000,
      seed: 2,
    });
    const a = Array.from(values.subarray(0, t));
    const rows = new Set<number>();
    for (let p = 0; p < 1000; p++) {
      const row = a.indexOf(sim.values[p] as number);
      expect(row).toBeGreaterThanOrEqual(0);
      expect(sim.values[1000 + p]).toBe(values[t + row]); // asset b of the same period
      rows.add(row);
    }
    expect(rows.size).toBe(t);
  });
});

describe('reproducibility and the two kernels', () => {
  const rng = new Random(77);
  const t = 120;
  const n = 7;
  const values = Float64Array.from({ length: t * n }, () => 0.01 * rng.studentT(5));
  const assets = { tickers: Array.from({ length: n }, (_, i) => `a${i}`), values, rowCount: t, columnCount: n };

  it('gives the same numbers for the same seed, bit for bit, with or without SIMD', () => {
    for (const model of ['normal', 'student-t', 'bootstrap'] as const) {
      const options = { paths: 203, horizon: 3, seed: 5, degreesOfFreedom: 6 };
      const a = simulateAssetReturns(assets, model, options);
      const b = simulateAssetReturns(assets, model, options);
      const c = simulateAssetReturns(assets, model, { ...options, simd: false });
      expect(Array.from(a.values)).toEqual(Array.from(b.values));
      expect(Array.from(a.values)).toEqual(Array.from(c.values));
      const d = simulateAssetReturns(assets, model, { ...options, seed: 6 });
      expect(Array.from(a.values)).not.toEqual(Array.from(d.values));
    }
  });

  it('takes the first paths of a longer run as a shorter run (paths are drawn one after another)', () => {
    const short = simulateAssetReturns(assets, 'normal', { paths: 70, seed: 1 });
    const long = simulateAssetReturns(assets, 'normal', { paths: 300, seed: 1 });
    for (let i = 0; i < n; i++) {
      expect(Array.from(short.values.subarray(i * 70, (i + 1) * 70))).toEqual(
        Array.from(long.values.subarray(i * 300, i * 300 + 70)),
      );
    }
  });
});

describe('degenerate covariance', () => {
  it('factors a singular covariance (fewer periods than assets, a duplicated asset)', () => {
    const rng = new Random(3);
    const t = 4;
    const n = 6;
    const values = Float64Array.from({ length: t * n }, () => 0.01 * rng.normal());
    values.copyWithin(5 * t, 0, t); // asset 5 duplicates asset 0
    const { cov } = sampleMoments(values, t, n);
    const l = covarianceFactor(cov, n);
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, cov[i * n + i] as number);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += (l[i * n + k] as number) * (l[j * n + k] as number);
        expect(Math.abs(s - (cov[i * n + j] as number))).toBeLessThanOrEqual(1e-14 * max);
      }
      for (let k = i + 1; k < n; k++) expect(l[i * n + k]).toBe(0);
    }
    const sim = simulateAssetReturns({ tickers: 'abcdef'.split(''), values, rowCount: t, columnCount: n }, 'normal', {
      paths: 500,
    });
    for (let p = 0; p < 500; p++) {
      expect(Math.abs((sim.values[5 * 500 + p] as number) - (sim.values[p] as number))).toBeLessThan(1e-15);
    }
  });

  it('simulates a constant asset as its constant return', () => {
    const values = Float64Array.from([0.01, -0.02, 0.03, 0.005, 0.002, 0.002, 0.002, 0.002]);
    const sim = simulateAssetReturns({ tickers: ['a', 'b'], values, rowCount: 4, columnCount: 2 }, 'normal', {
      paths: 100,
    });
    for (let p = 0; p < 100; p++) expect(sim.values[100 + p]).toBe(0.002);
  });

  it('rejects invalid inputs', () => {
    const assets = { tickers: ['a'], values: Float64Array.from([0.01, 0.02, -0.01]), rowCount: 3, columnCount: 1 };
    expect(() => simulateAssetReturns(assets, 'student-t')).toThrow(/degrees of freedom/);
    expect(() => simulateAssetReturns(assets, 'normal', { paths: 1.5 })).toThrow(ValidationError);
    expect(() => simulateAssetReturns(assets, 'normal', { horizon: 0 })).toThrow(ValidationError);
    expect(() => simulateAssetReturns(assets, 'magic' as 'normal')).toThrow(/unknown simulation model/);
    const gap = { ...assets, values: Float64Array.from([0.01, Number.NaN, 0.02]) };
    expect(() => simulateAssetReturns(gap, 'bootstrap')).toThrow(/without gaps/);
    expect(() => simulateAssetReturns(assets, 'bootstrap', { paths: 2 ** 27 + 1 })).toThrow(/1 GiB/);
    const one = { ...assets, values: Float64Array.from([0.01]), rowCount: 1 };
    expect(() => simulateAssetReturns(one, 'normal')).toThrow(/at least 2 periods/);
  });
});

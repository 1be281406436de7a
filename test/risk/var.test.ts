/**
 * VaR and CVaR: the historical quantile and tail mean by hand, the parametric formulas, the Cornish-Fisher tail mean
 * against numerical integration, the Euler decomposition (components sum to the total; marginals equal finite
 * differences), and the edge cases (constant, single-period, all-negative and gappy series, invalid options).
 */

import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { normalPdf, normalQuantile } from '../../src/risk/normal.js';
import {
  cornishFisherVar,
  normalVar,
  overlappingHorizonReturns,
  portfolioVar,
  portfolioVars,
  seriesVar,
  VAR_METHODS,
  type VarMethod,
} from '../../src/risk/var.js';

function near(got: number, want: number, rel = 1e-12, floor = 1e-300): void {
  if (!(Math.abs(got - want) <= rel * Math.max(Math.abs(want), floor))) {
    expect.fail(`got ${got}, want ${want} (relative error ${Math.abs(got - want) / Math.abs(want)})`);
  }
}

/** T x n column-major returns with fat tails and skew: a common factor plus Student-t noise, seeded. */
function market(t: number, n: number, seed: number) {
  const rng = new Random(seed);
  const values = new Float64Array(t * n);
  for (let s = 0; s < t; s++) {
    const f = 0.01 * rng.studentT(5);
    for (let i = 0; i < n; i++) {
      const e = 0.008 * rng.studentT(4) + 0.002 * (rng.normal() ** 2 - 1) * (i % 2 === 0 ? 1 : -1);
      values[i * t + s] = 0.0004 * (i + 1) + (0.5 + 0.3 * i) * f + e;
    }
  }
  return { tickers: Array.from({ length: n }, (_, i) => `A${i}`), values, rowCount: t, columnCount: n };
}

describe('the normal quantile', () => {
  it('matches scipy.special.ndtri to the last bits', () => {
    const cases: [number, number][] = [
      [0.05, -1.6448536269514729],
      [0.01, -2.3263478740408408],
      [0.025, -1.959963984540054],
      [0.3, -0.5244005127080409],
      [1e-10, -6.361340902404056],
      [1e-300, -37.0470962993612],
      [0.975, 1.959963984540054],
    ];
    for (const [p, z] of cases) near(normalQuantile(p), z, 1e-15);
    expect(normalQuantile(0.5)).toBe(0);
    expect(() => normalQuantile(0)).toThrow(ValidationError);
    expect(() => normalQuantile(1)).toThrow(ValidationError);
    near(normalPdf(1.5), Math.exp(-1.125) / Math.sqrt(2 * Math.PI), 1e-15);
  });
});

describe('historical VaR and CVaR by hand', () => {
  // Sorted: -0.05, -0.03, -0.02, -0.01, 0, 0.01, 0.015, 0.02, 0.03, 0.04.
  const r = [-0.05, 0.01, 0.02, -0.02, 0.03, 0, -0.01, 0.04, -0.03, 0.015];

  it('interpolates the empirical quantile linearly and averages the tail at or beyond it', () => {
    // alpha 0.1: position 9 * 0.1 = 0.9 -> -0.05 + 0.9 * 0.02 = -0.032; the tail is {-0.05}.
    const a = seriesVar(r, 'historical', { confidence: 0.9 });
    near(a.var, 0.032, 1e-13);
    near(a.cvar, 0.05, 1e-13);
    // alpha 0.2: position 1.8 -> -0.03 + 0.8 * 0.01 = -0.022; the tail is {-0.05, -0.03}.
    const b = seriesVar(r, 'historical', { confidence: 0.8 });
    near(b.var, 0.022, 1e-13);
    near(b.cvar, 0.04, 1e-13);
    expect(a.scenarios).toBe(10);
  });

  it('uses overlapping compounded windows for a longer horizon', () => {
    // Windows of 2: 1.1 * 0.9 - 1 = -0.01 and 0.9 * 1.05 - 1 = -0.055; alpha 0.5: position 0.5.
    const v = seriesVar([0.1, -0.1, 0.05], 'historical', { confidence: 0.5, horizon: 2 });
    near(v.var, 0.055 - 0.5 * 0.045, 1e-13);
    near(v.cvar, 0.055, 1e-13);
    expect(v.scenarios).toBe(2);
    const w = overlappingHorizonReturns(Float64Array.from([0.1, -0.1, 0.05, 0.2, 0.1, 0.3]), 3, 2, 2);
    expect(Array.from(w)).toEqual([1.1 * 0.9 - 1, 0.9 * 1.05 - 1, 1.2 * 1.1 - 1, 1.1 * 1.3 - 1]);
    expect(seriesVar([0.1, -0.1], 'historical', { horizon: 3 }).var).toBeNaN(); // no window of 3
  });

  it('skips NaN periods', () => {
    const gappy = [Number.NaN, ...r.slice(0, 4), Number.NaN, Number.NaN, ...r.slice(4)];
    for (const method of ['historical', 'normal', 'cornish-fisher', 'bootstrap'] as const) {
      const a = seriesVar(gappy, method, { confidence: 0.9, paths: 500 });
      const b = seriesVar(r, method, { confidence: 0.9, paths: 500 });
      expect([a.var, a.cvar]).toEqual([b.var, b.cvar]);
    }
  });
});

describe('parametric VaR', () => {
  it('normal: -(h mu + sqrt(h) s z) and the tail mean -(h mu - sqrt(h) s phi(z) / alpha)', () => {
    const z = normalQuantile(0.01);
    const v = normalVar(0.001, 0.02, { confidence: 0.99, horizon: 10 });
    near(v.var, -(0.01 + Math.sqrt(10) * 0.02 * z));
    near(v.cvar, -(0.01 - (Math.sqrt(10) * 0.02 * normalPdf(z)) / (1 - 0.99)));
  });

  it('is the normal one when skewness and excess kurtosis are 0', () => {
    const a = cornishFisherVar(0.0005, 0.015, 0, 0, { confidence: 0.975, horizon: 3 });
    const b = normalVar(0.0005, 0.015, { confidence: 0.975, horizon: 3 });
    near(a.var, b.var, 1e-15);
    near(a.cvar, b.cvar, 1e-13);
  });

  it('Cornish-Fisher: the expansion, aggregated to the horizon as S / sqrt(h) and K / h', () => {
    const z = normalQuantile(0.05);
    const [s, k, h] = [-0.8, 4, 4];
    const sh = s / 2;
    const kh = k / 4;
    const zcf = z + ((z * z - 1) * sh) / 6 + ((z ** 3 - 3 * z) * kh) / 24 - ((2 * z ** 3 - 5 * z) * sh * sh) / 36;
    near(cornishFisherVar(0.001, 0.02, s, k, { horizon: h }).var, -(4 * 0.001 + 2 * 0.02 * zcf));
  });

  it('Cornish-Fisher CVaR is the tail mean of the expansion, as numerical integration gives it', () => {
    for (const [alpha, s, k] of [
      [0.05, -0.8, 4],
      [0.01, 0.3, 1.5],
      [0.025, -1.2, 7],
    ] as const) {
      const z = normalQuantile(alpha);
      const cf = (t: number) =>
        t + ((t * t - 1) * s) / 6 + ((t ** 3 - 3 * t) * k) / 24 - ((2 * t ** 3 - 5 * t) * s * s) / 36;
      // Simpson's rule for (1/alpha) int_{z-14}^{z} cf(t) phi(t) dt (the rest of the tail is below 1e-40).
      const steps = 20_000;
      const a = z - 14;
      const dt = (z - a) / steps;
      let acc = 0;
      for (let j = 0; j <= steps; j++) {
        const t = a + j * dt;
        const wj = j === 0 || j === steps ? 1 : j % 2 === 1 ? 4 : 2;
        acc += wj * cf(t) * normalPdf(t);
      }
      const tailMean = (acc * dt) / 3 / alpha;
      const v = cornishFisherVar(0.0002, 0.01, s, k, { confidence: 1 - alpha });
      near(v.cvar, -(0.0002 + 0.01 * tailMean), 1e-10);
      expect(v.cvar).toBeGreaterThan(v.var);
    }
  });
});

describe('Euler decomposition', () => {
  const data = market(400, 5, 3);
  const w = [0.4, 0.3, -0.2, 0.35, 0.15];

  for (const method of VAR_METHODS) {
    it(`${method}: components sum to the total; stand-alone and marginal figures are consistent`, () => {
      const v = portfolioVar(data, w, method, { confidence: 0.95, horizon: 2, paths: 4000, seed: 5 });
      const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
      near(sum(v.componentVar), v.var, 1e-12);
      near(sum(v.componentCvar), v.cvar, 1e-12);
      v.marginalVar.forEach((m, i) => {
        near(v.componentVar[i] as number, m * (w[i] as number), 1e-15);
      });
      expect(v.cvar).toBeGreaterThan(v.var);
    });
  }

  it('parametric marginals are the derivatives of VaR and CVaR in the weights (central differences)', () => {
    for (const method of ['normal', 'cornish-fisher'] as const) {
      for (const horizon of [1, 5]) {
        const v = portfolioVar(data, w, method, { confidence: 0.99, horizon });
        const eps = 1e-5;
        for (let i = 0; i < w.length; i++) {
          const up = [...w];
          const down = [...w];
          up[i] = (up[i] as number) + eps;
          down[i] = (down[i] as number) - eps;
          const a = portfolioVar(data, up, method, { confidence: 0.99, horizon });
          const b = portfolioVar(data, down, method, { confidence: 0.99, horizon });
          near(v.marginalVar[i] as number, (a.var - b.var) / (2 * eps), 1e-7, 1e-2);
          near(v.marginalCvar[i] as number, (a.cvar - b.cvar) / (2 * eps), 1e-7, 1e-2);
        }
      }
    }
  });

  it('scenario marginals are the derivatives with the scenario order held (central differences)', () => {
    const v = portfolioVar(data, w, 'historical', { confidence: 0.95 });
    const eps = 1e-9;
    for (let i = 0; i < w.length; i++) {
      const up = [...w];
      const down = [...w];
      up[i] = (up[i] as number) + eps;
      down[i] = (down[i] as number) - eps;
      const a = portfolioVar(data, up, 'historical', { confidence: 0.95 });
      const b = portfolioVar(data, down, 'historical', { confidence: 0.95 });
      near(v.marginalVar[i] as number, (a.var - b.var) / (2 * eps), 1e-5, 1e-2);
      near(v.marginalCvar[i] as number, (a.cvar - b.cvar) / (2 * eps), 1e-5, 1e-2);
    }
  });

  it('stand-alone asset figures are each asset held alone', () => {
    for (const method of ['historical', 'normal', 'cornish-fisher'] as const) {
      const v = portfolioVar(data, w, method, { confidence: 0.9, horizon: 3 });
      for (let i = 0; i < w.length; i++) {
        const own = seriesVar(data.values.subarray(i * 400, (i + 1) * 400), method, { confidence: 0.9, horizon: 3 });
        near(v.assetVar[i] as number, own.var, 1e-14);
        near(v.assetCvar[i] as number, own.cvar, 1e-14);
      }
    }
  });

  it('matches the VaR of the portfolio series for every method at horizon 1', () => {
    const rp = new Float64Array(400);
    for (let i = 0; i < w.length; i++) {
      for (let s = 0; s < 400; s++) rp[s] = (rp[s] as number) + (w[i] as number) * (data.values[i * 400 + s] as number);
    }
    for (const method of ['historical', 'normal', 'cornish-fisher'] as const) {
      const a = portfolioVar(data, w, method, { confidence: 0.95 });
      const b = seriesVar(rp, method, { confidence: 0.95 });
      near(a.var, b.var, 1e-12);
      near(a.cvar, b.cvar, 1e-12);
    }
  });
});

describe('several methods at once', () => {
  it('give each method exactly what it gives alone (shared simulations change nothing)', () => {
    const data = market(250, 6, 13);
    const w = [0.3, 0.1, 0.2, 0.15, 0.05, 0.2];
    const options = { confidence: 0.97, horizon: 2, paths: 3000, seed: 4 };
    const methods = ['bootstrap', 'monte-carlo-t', 'normal', 'monte-carlo-normal', 'historical'] as const;
    const all = portfolioVars(data, w, methods, options);
    expect(Object.keys(all)).toEqual([...methods]);
    for (const method of methods) {
      const alone = portfolioVar(data, w, method, options);
      const together = all[method];
      expect([together?.var, together?.cvar], method).toEqual([alone.var, alone.cvar]);
      expect(Array.from(together?.componentCvar ?? []), method).toEqual(Array.from(alone.componentCvar));
      expect(Array.from(together?.assetVar ?? []), method).toEqual(Array.from(alone.assetVar));
    }
    expect(all['monte-carlo-t']?.degreesOfFreedom).toBe(
      portfolioVar(data, w, 'monte-carlo-t', options).degreesOfFreedom,
    );
  });
});

describe('edge cases', () => {
  it('constant returns: every method gives the constant loss', () => {
    const r = [0.002, 0.002, 0.002, 0.002, 0.002, 0.002];
    for (const method of VAR_METHODS) {
      const v = seriesVar(r, method, { paths: 200 });
      near(v.var, -0.002, 1e-15);
      near(v.cvar, -0.002, 1e-15);
    }
    expect(seriesVar(r, 'monte-carlo-t', { paths: 10 }).degreesOfFreedom).toBe(Number.POSITIVE_INFINITY);
    near(seriesVar(r, 'normal', { horizon: 5 }).var, -0.01, 1e-15);
  });

  it('a single period: scenario methods give its loss, the others are undefined', () => {
    for (const method of ['historical', 'bootstrap'] as const) {
      const v = seriesVar([-0.04], method, { paths: 50 });
      expect([v.var, v.cvar]).toEqual([0.04, 0.04]);
    }
    for (const method of ['normal', 'cornish-fisher', 'monte-carlo-normal', 'monte-carlo-t'] as const) {
      const v = seriesVar([-0.04], method);
      expect(v.var, method).toBeNaN();
      expect(v.cvar, method).toBeNaN();
    }
    expect(seriesVar([], 'historical').var).toBeNaN();
    expect(seriesVar([0.01, 0.02, -0.01], 'cornish-fisher').var).toBeNaN(); // kurtosis needs 4 periods
  });

  it('all-negative returns give positive losses; all-positive ones negative', () => {
    const neg = seriesVar([-0.01, -0.02, -0.03, -0.04, -0.05], 'historical', { confidence: 0.75 });
    near(neg.var, 0.04, 1e-14); // position 1: the second smallest
    near(neg.cvar, 0.045, 1e-14);
    expect(seriesVar([0.01, 0.02, 0.03], 'historical', { confidence: 0.5 }).var).toBeLessThan(0);
  });

  it('a zero weight has a marginal but no component; weights need not sum to 1', () => {
    const data = market(300, 3, 9);
    const v = portfolioVar(data, [0.5, 0, 0.25], 'normal');
    expect(v.componentVar[1] === 0).toBe(true);
    expect(v.marginalVar[1]).not.toBe(0);
    const doubled = portfolioVar(data, [1, 0, 0.5], 'normal');
    near(doubled.var, 2 * v.var, 1e-14); // homogeneous of degree 1
  });

  it('rejects invalid options and inputs', () => {
    const r = [0.01, -0.02, 0.03];
    for (const confidence of [0, 1, 1.5, Number.NaN]) {
      expect(() => seriesVar(r, 'historical', { confidence })).toThrow(ValidationError);
    }
    for (const horizon of [0, 1.5, -1]) expect(() => seriesVar(r, 'normal', { horizon })).toThrow(ValidationError);
    const data = market(50, 2, 1);
    expect(() => portfolioVar(data, [1], 'historical')).toThrow(/1 weights for 2 assets/);
    const gap = { ...data, values: Float64Array.from(data.values, (x, k) => (k === 7 ? Number.NaN : x)) };
    expect(() => portfolioVar(gap, [0.5, 0.5], 'historical')).toThrow(/without gaps/);
    expect(() => portfolioVar(data, [0.5, 0.5], 'magic' as VarMethod)).toThrow(/unknown VaR method/);
    expect(() => seriesVar(r, 'monte-carlo-normal', { paths: 0 })).toThrow(ValidationError);
    expect(() => seriesVar([0.1, 0.2, -0.1, 0.05], 'monte-carlo-t', { degreesOfFreedom: 2 })).toThrow(/above 2/);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isoDate, weekdayOf } from '../../src/core/dates.js';
import { ValidationError } from '../../src/core/errors.js';
import { inferPeriodsPerYear } from '../../src/core/periods.js';
import {
  GICS_SECTORS,
  generateMarket,
  SYNTHETIC_RETURN_FLOOR,
  type SyntheticMarket,
  type SyntheticMarketOptions,
} from '../../src/data/synthetic.js';

// ---------------------------------------------------------------------------------------------------------------
// Helpers (local on purpose, so these tests do not depend on the estimators they will be used to test).

/** Simple returns of column j: p_t / p_{t-1} - 1, NaN where either price is missing. */
function returnsOf(m: SyntheticMarket, j: number): Float64Array {
  const p = m.prices.column(j);
  const r = new Float64Array(p.length - 1);
  for (let t = 1; t < p.length; t++) r[t - 1] = (p[t] as number) / (p[t - 1] as number) - 1;
  return r;
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  return s / x.length;
}

/** Sample covariance with divisor n - 1. */
function cov(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = mean(x);
  const my = mean(y);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += ((x[i] as number) - mx) * ((y[i] as number) - my);
  return s / (x.length - 1);
}

function excessKurtosis(x: ArrayLike<number>): number {
  const m = mean(x);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = ((x[i] as number) - m) ** 2;
    m2 += d;
    m4 += d * d;
  }
  m2 /= x.length;
  m4 /= x.length;
  return m4 / (m2 * m2) - 3;
}

/** Largest peak-to-trough fall of a positive series, as a fraction (0.3 is -30%). */
function maxDrawdown(p: ArrayLike<number>): number {
  let peak = Number.NEGATIVE_INFINITY;
  let dd = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    peak = Math.max(peak, v);
    dd = Math.max(dd, 1 - v / peak);
  }
  return dd;
}

/** Compounds per-period returns into a path starting at 1. */
function compound(r: ArrayLike<number>): Float64Array {
  const out = new Float64Array(r.length + 1);
  out[0] = 1;
  for (let t = 0; t < r.length; t++) out[t + 1] = (out[t] as number) * (1 + (r[t] as number));
  return out;
}

const sha256 = (a: Float64Array | Int32Array | Uint8Array): string =>
  createHash('sha256')
    .update(Buffer.from(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex');

// ---------------------------------------------------------------------------------------------------------------

describe('generateMarket: shape, labels and dates', () => {
  it('builds N assets x T dates with tickers, sectors and starting prices', () => {
    const m = generateMarket({ assets: 23, periods: 60, sectors: 4, seed: 3 });
    const p = m.prices;
    expect(p.rowCount).toBe(60);
    expect(p.columnCount).toBe(23);
    expect(p.periodsPerYear).toBe(252);
    expect(p.hasExplicitPeriodsPerYear).toBe(true);
    expect(p.tickers[0]).toBe('A0001');
    expect(p.tickers[22]).toBe('A0023');
    expect(Object.keys(m.sectors)).toEqual(p.tickers);
    const counts = new Map<string, number>();
    p.tickers.forEach((t, j) => {
      expect(m.sectors[t]).toBe(m.parameters.options.sectorNames[m.parameters.sectorOf[j] as number]);
      counts.set(m.sectors[t] as string, (counts.get(m.sectors[t] as string) ?? 0) + 1);
    });
    // 23 assets over 4 sectors: 6, 6, 6, 5 in some order.
    expect([...counts.values()].sort()).toEqual([5, 6, 6, 6]);
    expect(m.parameters.options.sectorNames).toEqual(['Sector 01', 'Sector 02', 'Sector 03', 'Sector 04']);
    for (let j = 0; j < 23; j++) expect(p.get(0, j)).toBe(100);
    expect(p.values.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
    expect(m.factors.market).toHaveLength(59);
    expect(m.factors.sectors).toHaveLength(4 * 59);
    expect(m.factors.crash).toHaveLength(59);
    expect(m.flooredReturns).toBe(0);
  });

  it('uses the GICS sector names by default and wider tickers past 9999 assets', () => {
    expect(generateMarket({ assets: 30, periods: 3 }).parameters.options.sectorNames).toEqual(GICS_SECTORS);
    expect(generateMarket({ assets: 4, periods: 3 }).parameters.options.sectorNames).toEqual(GICS_SECTORS.slice(0, 4));
    const named = generateMarket({ assets: 5, periods: 3, sectors: ['Tech', 'Banks'] });
    expect(new Set(Object.values(named.sectors))).toEqual(new Set(['Tech', 'Banks']));
    const wide = generateMarket({ assets: 10_000, periods: 2, sectors: 1, idiosyncraticVol: 0.2 });
    expect(wide.prices.tickers[0]).toBe('A00001');
    expect(wide.prices.tickers[9999]).toBe('A10000');
  });

  it('dates daily data on consecutive weekdays from the start', () => {
    const m = generateMarket({ assets: 1, periods: 520 });
    const dates = m.prices.dates;
    expect(isoDate(dates[0] as number)).toBe('2000-01-03');
    for (let i = 0; i < dates.length; i++) {
      const wd = weekdayOf(dates[i] as number);
      expect(wd >= 1 && wd <= 5).toBe(true);
      if (i > 0) expect((dates[i] as number) - (dates[i - 1] as number)).toBe(wd === 1 ? 3 : 1);
    }
    expect(inferPeriodsPerYear(dates)).toBe(252);
    // A weekend start rolls forward to Monday.
    expect(generateMarket({ assets: 1, periods: 2, start: '2021-05-01' }).prices.isoDates()).toEqual([
      '2021-05-03',
      '2021-05-04',
    ]);
  });

  it('dates weekly data every 7 days and monthly data on the last weekday of each month', () => {
    const w = generateMarket({ assets: 1, frequency: 'weekly', start: '2010-01-06' });
    expect(w.prices.rowCount).toBe(520);
    expect(w.prices.periodsPerYear).toBe(52);
    expect(w.prices.isoDates().slice(0, 3)).toEqual(['2010-01-06', '2010-01-13', '2010-01-20']);
    expect(inferPeriodsPerYear(w.prices.dates)).toBe(52);

    const mo = generateMarket({ assets: 1, frequency: 'monthly', start: '2000-01-03' });
    expect(mo.prices.rowCount).toBe(120);
    expect(mo.prices.periodsPerYear).toBe(12);
    // 2000-04-30 was a Sunday and 2000-09-30 a Saturday.
    expect(mo.prices.isoDates().slice(0, 9)).toEqual([
      '2000-01-31',
      '2000-02-29',
      '2000-03-31',
      '2000-04-28',
      '2000-05-31',
      '2000-06-30',
      '2000-07-31',
      '2000-08-31',
      '2000-09-29',
    ]);
    expect(mo.prices.isoDates()[119]).toBe('2009-12-31');
    expect(inferPeriodsPerYear(mo.prices.dates)).toBe(12);
    // A start after the month's last weekday begins with the next month.
    expect(
      generateMarket({ assets: 1, periods: 2, frequency: 'monthly', start: '2000-04-29' }).prices.isoDates(),
    ).toEqual(['2000-05-31', '2000-06-30']);
  });
});

describe('generateMarket: reproducibility', () => {
  const small: SyntheticMarketOptions = {
    assets: 6,
    periods: 40,
    sectors: 3,
    seed: 2024,
    crash: { rate: 20, duration: 0.02 },
    lateListings: 0.5,
  };

  it('gives identical bytes for the same options and different data for another seed', () => {
    const a = generateMarket(small);
    const b = generateMarket(small);
    expect(Buffer.from(a.prices.values.buffer).equals(Buffer.from(b.prices.values.buffer))).toBe(true);
    expect(a.parameters.covariance).toEqual(b.parameters.covariance);
    const c = generateMarket({ ...small, seed: 2025 });
    expect(Buffer.from(a.prices.values.buffer).equals(Buffer.from(c.prices.values.buffer))).toBe(false);
    // Apart from the starting prices of 100, no price coincides.
    let same = 0;
    let compared = 0;
    for (let i = 0; i < a.prices.values.length; i++) {
      const x = a.prices.values[i] as number;
      const y = c.prices.values[i] as number;
      if (Number.isNaN(x) || Number.isNaN(y) || x === 100 || y === 100) continue;
      compared++;
      if (x === y) same++;
    }
    expect(compared).toBeGreaterThan(100);
    expect(same).toBe(0);
  });

  it('pins the generated bytes (regression guard across Node versions and refactors)', () => {
    // These hashes fix every bit of the output for one small configuration that exercises every code path: fat tails,
    // a Markov crash regime (entered within the 40 periods), late listings and several sectors. They must stay the
    // same on every platform and Node version: the generator uses integer arithmetic, IEEE 754 + - * / and sqrt, and
    // V8's fdlibm ports of log/exp/expm1, all deterministic. A change to the algorithm, the stream layout or the order
    // of draws changes them; update them only when that change is intended (it changes every seeded market).
    // Bytes are little-endian (x86-64 and ARM64).
    const m = generateMarket(small);
    expect(m.factors.crash.some((c) => c === 1)).toBe(true);
    expect(m.parameters.listingRows.some((r) => r > 0)).toBe(true);
    expect(sha256(m.prices.values)).toBe('b93c69d68dcfac7f26a9a0166f00ed27ec8857802cf6800017e54210b0dedc31');
    expect(sha256(m.parameters.covariance)).toBe('ecc356294fb8556da2704a5d6502e78c42d3d82f5e1df0d5becb755b9ef5b23a');
  });

  it('extends the same paths when more periods are generated', () => {
    const short = generateMarket({ assets: 5, periods: 100, seed: 8, crash: true });
    const long = generateMarket({ assets: 5, periods: 300, seed: 8, crash: true });
    for (let j = 0; j < 5; j++) expect(long.prices.column(j).subarray(0, 100)).toEqual(short.prices.column(j));
    expect(long.factors.crash.subarray(0, 99)).toEqual(short.factors.crash);
    expect(long.parameters.betas).toEqual(short.parameters.betas);
  });

  it('keeps each asset’s idiosyncratic draws when the regime changes', () => {
    // The streams are separate, so adding a crash changes only the factor paths; the residual
    // r - alpha/P - beta f - lambda g is the same idiosyncratic noise with and without the crash.
    const opts: SyntheticMarketOptions = { assets: 4, periods: 200, seed: 12, sectors: 2 };
    const plain = generateMarket(opts);
    const crashed = generateMarket({ ...opts, crash: { windows: [{ from: '2000-03-01', to: '2000-05-31' }] } });
    const residual = (m: SyntheticMarket, j: number): number[] => {
      const pr = m.parameters;
      const g = (pr.sectorOf[j] as number) * 199;
      return Array.from(
        returnsOf(m, j),
        (r, t) =>
          r -
          (pr.alphas[j] as number) / 252 -
          (pr.betas[j] as number) * (m.factors.market[t] as number) -
          (pr.sectorLoadings[j] as number) * (m.factors.sectors[g + t] as number),
      );
    };
    for (let j = 0; j < 4; j++) {
      const a = residual(plain, j);
      const b = residual(crashed, j);
      a.forEach((x, t) => {
        expect(Math.abs(x - (b[t] as number))).toBeLessThan(1e-14);
      });
    }
  });
});

describe('generateMarket: true parameters', () => {
  it('reports expected returns and a covariance matrix that follow the model formulas', () => {
    const m = generateMarket({ assets: 12, periods: 10, sectors: 3, seed: 5, crash: { rate: 2, duration: 0.5 } });
    const pr = m.parameters;
    const o = pr.options;
    const n = 12;
    // Stationary crash share of the Markov switch: enter / (enter + exit) = (2/252) / (2/252 + 1/126) = 1/2.
    expect(pr.crashShare).toBeCloseTo(0.5, 14);
    expect(pr.marketMean).toBeCloseTo(0.5 * 0.07 + 0.5 * -0.8, 14);
    expect(pr.marketVariance).toBeCloseTo(0.5 * 0.16 ** 2 + 0.5 * (2.5 * 0.16) ** 2 + (0.25 * 0.87 ** 2) / 252, 14);
    expect(pr.sectorVariance).toBeCloseTo((0.5 + 0.5 * 6.25) * 0.08 ** 2, 14);
    for (let i = 0; i < n; i++) {
      expect(pr.expectedReturns[i]).toBeCloseTo((pr.alphas[i] as number) + (pr.betas[i] as number) * pr.marketMean, 14);
      const [lo, hi] = o.idiosyncraticVol;
      expect(pr.idiosyncraticVols[i]).toBeGreaterThanOrEqual(lo);
      expect(pr.idiosyncraticVols[i]).toBeLessThanOrEqual(hi);
      // Betas and loadings are truncated at 3 standard deviations.
      expect(Math.abs((pr.betas[i] as number) - 1)).toBeLessThanOrEqual(0.9 + 1e-12);
      expect(Math.abs((pr.sectorLoadings[i] as number) - 1)).toBeLessThanOrEqual(0.75 + 1e-12);
      for (let j = 0; j < n; j++) {
        const same = pr.sectorOf[i] === pr.sectorOf[j];
        const expected =
          (pr.betas[i] as number) * (pr.betas[j] as number) * pr.marketVariance +
          (same ? (pr.sectorLoadings[i] as number) * (pr.sectorLoadings[j] as number) * pr.sectorVariance : 0) +
          (i === j ? (pr.idiosyncraticVols[i] as number) ** 2 : 0);
        expect(pr.covariance[i * n + j]).toBeCloseTo(expected, 14);
        expect(pr.covariance[i * n + j]).toBe(pr.covariance[j * n + i]);
      }
    }
  });

  it('draws betas, loadings, alphas and idiosyncratic volatilities from their stated distributions', () => {
    // 10,000 assets: the standard error of a mean is sd / 100. A normal truncated at +-3 sd keeps sd * 0.9866.
    const pr = generateMarket({ assets: 10_000, periods: 2, betaMean: 0.8, betaSd: 0.4, alphaSd: 0.05 }).parameters;
    expect(Math.abs(mean(pr.betas) - 0.8)).toBeLessThan(6 * 0.004);
    expect(Math.abs(Math.sqrt(cov(pr.betas, pr.betas)) - 0.4 * 0.9866)).toBeLessThan(6 * 0.4 * 0.0071);
    expect(Math.abs(mean(pr.sectorLoadings) - 1)).toBeLessThan(6 * 0.0025);
    expect(Math.abs(mean(pr.alphas))).toBeLessThan(6 * 0.0005);
    expect(Math.abs(Math.sqrt(cov(pr.alphas, pr.alphas)) - 0.05)).toBeLessThan(6 * 0.05 * 0.0071);
    // Uniform on [0.15, 0.35]: mean 0.25, standard error 0.2 / sqrt(12) / 100 = 5.8e-4.
    expect(Math.abs(mean(pr.idiosyncraticVols) - 0.25)).toBeLessThan(6 * 5.8e-4);
  });
});

describe('generateMarket: statistics of the generated returns', () => {
  // 40 assets in 4 sectors, 20,000 daily returns, fat tails (nu = 5). alphaSd is raised so expected returns differ
  // enough across assets for their estimates to be checked.
  const n = 20_000;
  const N = 40;
  const P = 252;
  const fat = generateMarket({ assets: N, periods: n + 1, sectors: 4, seed: 101, alphaSd: 0.3 });
  const normal = generateMarket({ assets: N, periods: n + 1, sectors: 4, seed: 101, alphaSd: 0.3, tailDf: Infinity });
  const R = Array.from({ length: N }, (_, j) => returnsOf(fat, j));
  const C = fat.parameters.covariance;
  const trueCorr = (i: number, j: number): number =>
    (C[i * N + j] as number) / Math.sqrt((C[i * N + i] as number) * (C[j * N + j] as number));

  it('annualised sample volatilities match the model', () => {
    // The relative standard error of a sample standard deviation is sqrt((kappa + 2) / (4n)) for excess kurtosis
    // kappa. Each return is a sum of independent unit-variance t5 terms (excess kurtosis 6 each), so kappa <= 6 and
    // the error is at most sqrt(8 / 80000) = 0.01; 6 of those are allowed per asset, 6 / sqrt(40) on the average.
    let total = 0;
    for (let i = 0; i < N; i++) {
      const ratio = Math.sqrt(cov(R[i] as Float64Array, R[i] as Float64Array) * P) / Math.sqrt(C[i * N + i] as number);
      expect(Math.abs(ratio - 1)).toBeLessThan(0.06);
      total += ratio;
    }
    expect(Math.abs(total / N - 1)).toBeLessThan(0.06 / Math.sqrt(N) + 0.01);
  });

  it('correlations are higher within a sector than across and match the model', () => {
    // Normal-theory standard error of a sample correlation: (1 - rho^2) / sqrt(n) <= 0.0071. Allowed: 7 of them,
    // the extra one for the fat tails, over 780 pairs.
    const sectorOf = fat.parameters.sectorOf;
    let within = 0;
    let withinCount = 0;
    let across = 0;
    let acrossCount = 0;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < i; j++) {
        const ri = R[i] as Float64Array;
        const rj = R[j] as Float64Array;
        const r = cov(ri, rj) / Math.sqrt(cov(ri, ri) * cov(rj, rj));
        const rho = trueCorr(i, j);
        expect(Math.abs(r - rho)).toBeLessThan((7 * (1 - rho * rho)) / Math.sqrt(n));
        if (sectorOf[i] === sectorOf[j]) {
          within += r;
          withinCount++;
        } else {
          across += r;
          acrossCount++;
        }
      }
    }
    // Model: sector variance 0.0064 against market 0.0256 adds about 0.06 to a same-sector correlation.
    expect(within / withinCount - across / acrossCount).toBeGreaterThan(0.04);
  });

  it('recovers the betas by regression on the market factor', () => {
    // OLS of r_i on f_t: the residual (sector factor + idiosyncratic noise) is independent of f, so the standard
    // error of the slope is sqrt((lambda^2 sectorVariance + sigma^2) / (marketVariance n)), about 0.012.
    const pr = fat.parameters;
    const f = fat.factors.market;
    const vf = cov(f, f);
    for (let i = 0; i < N; i++) {
      const beta = cov(R[i] as Float64Array, f) / vf;
      const l = pr.sectorLoadings[i] as number;
      const s = pr.idiosyncraticVols[i] as number;
      const se = Math.sqrt((l * l * pr.sectorVariance + s * s) / (pr.marketVariance * n));
      expect(Math.abs(beta - (pr.betas[i] as number))).toBeLessThan(6 * se);
    }
  });

  it('sample means estimate the true expected returns', () => {
    // The standard error of an annualised mean is sqrt(Sigma_ii * P / n), about 0.035 a year.
    const pr = fat.parameters;
    const est = R.map((r) => mean(r) * P);
    for (let i = 0; i < N; i++) {
      const se = Math.sqrt(((C[i * N + i] as number) * P) / n);
      expect(Math.abs((est[i] as number) - (pr.expectedReturns[i] as number))).toBeLessThan(6 * se);
    }
    // Expected returns spread about 0.3 across assets (alphaSd), ten times that error, so the estimates line up.
    const truth = Float64Array.from(pr.expectedReturns);
    const e = Float64Array.from(est);
    expect(cov(e, truth) / Math.sqrt(cov(e, e) * cov(truth, truth))).toBeGreaterThan(0.95);
  });

  it('has fat tails with Student-t innovations and none with normal ones', () => {
    // Model excess kurtosis of asset i: 6 * sum of squared variance shares of its three terms, about 2-4 here; the
    // estimator is biased down for nu = 5 (infinite eighth moment), so the bound is well below that.
    let fatKurt = 0;
    let normalKurt = 0;
    for (let i = 0; i < N; i++) {
      fatKurt += excessKurtosis(R[i] as Float64Array) / N;
      normalKurt += excessKurtosis(returnsOf(normal, i)) / N;
    }
    expect(fatKurt).toBeGreaterThan(1);
    // Normal returns: standard error of a sample excess kurtosis sqrt(24 / n) = 0.035 (no smaller for the average,
    // since the assets share factors).
    expect(Math.abs(normalKurt)).toBeLessThan(6 * 0.035);
    expect(excessKurtosis(fat.factors.market)).toBeGreaterThan(2);
    expect(Math.abs(excessKurtosis(normal.factors.market))).toBeLessThan(6 * 0.035);
  });
});

describe('generateMarket: crash regime', () => {
  it('scheduled windows apply the crash drift and volatility to the factors and produce a drawdown', () => {
    const base: SyntheticMarketOptions = { assets: 20, periods: 1000, seed: 21, sectors: 4 };
    const window = { from: '2001-03-01', to: '2001-08-31' };
    const plain = generateMarket(base);
    const crashed = generateMarket({ ...base, crash: { windows: [window], marketReturn: -3, volMultiplier: 1.5 } });
    const dates = crashed.prices.isoDates();
    const flags = crashed.factors.crash;
    const mN = 0.07 / 252;
    for (let t = 0; t < flags.length; t++) {
      const inside = (dates[t + 1] as string) >= window.from && (dates[t + 1] as string) <= window.to;
      expect(flags[t]).toBe(inside ? 1 : 0);
      const f0 = plain.factors.market[t] as number;
      const f1 = crashed.factors.market[t] as number;
      // Same innovation z_t in both runs: f = m + v z, so the crash factor is m_c + 1.5 (f0 - m_n) inside the window.
      if (inside) expect(f1).toBeCloseTo(-3 / 252 + 1.5 * (f0 - mN), 14);
      else expect(f1).toBe(f0);
      const g0 = plain.factors.sectors[t] as number;
      const g1 = crashed.factors.sectors[t] as number;
      expect(g1).toBeCloseTo(inside ? 1.5 * g0 : g0, 14);
    }
    // 132 crash days with a drift of -3/252 each: the factor's summed returns are expected at -1.57, with a standard
    // deviation of 1.5 * 0.16 * sqrt(132 / 252) = 0.17 (9 of them away from 0), which compounds to about 0.2.
    const inWindow = Array.from(crashed.factors.market).filter((_, t) => flags[t] === 1);
    expect(inWindow.length).toBe(132);
    expect(compound(inWindow).at(-1) as number).toBeLessThan(0.4);
    // Equal-weight index (the average return each period, compounded), over the window's rows only.
    const first = flags.indexOf(1);
    const last = flags.lastIndexOf(1);
    const windowDrawdown = (m: SyntheticMarket): number => {
      const avg = new Float64Array(last - first + 1);
      for (let j = 0; j < 20; j++) {
        const r = returnsOf(m, j);
        for (let t = first; t <= last; t++) avg[t - first] = (avg[t - first] as number) + (r[t] as number) / 20;
      }
      return maxDrawdown(compound(avg));
    };
    // Without the crash the index moves with 16% annual volatility: about 11% over half a year.
    expect(windowDrawdown(crashed)).toBeGreaterThan(0.5);
    expect(windowDrawdown(crashed)).toBeGreaterThan(windowDrawdown(plain) + 0.3);
    // The crash share of windows is the fraction of return periods inside them.
    expect(crashed.parameters.crashShare).toBeCloseTo(inWindow.length / 999, 14);
  });

  it('the Markov switch has the stated stationary share, switching rates and crash moments', () => {
    // 1 asset, 200,000 daily periods; crashes start at 1 per normal year and last a quarter year on average:
    // enter q = 1/252, exit p = 1/63, stationary share pi = q / (p + q) = 0.2.
    const n = 200_000;
    const m = generateMarket({ assets: 1, periods: n + 1, seed: 77, crash: { rate: 1, duration: 0.25 } });
    const q = 1 / 252;
    const p = 1 / 63;
    const pi = q / (p + q);
    expect(m.parameters.crashShare).toBeCloseTo(pi, 14);
    const flags = m.factors.crash;
    let crashCount = 0;
    let exits = 0;
    let enters = 0;
    for (let t = 0; t < n; t++) {
      crashCount += flags[t] as number;
      if (t > 0 && flags[t - 1] === 1 && flags[t] === 0) exits++;
      if (t > 0 && flags[t - 1] === 0 && flags[t] === 1) enters++;
    }
    // Share: the variance of a two-state chain's time average is pi (1 - pi) / n * (1 + L) / (1 - L) with
    // L = 1 - p - q, i.e. a standard error of 0.0089.
    const lambda = 1 - p - q;
    const seShare = Math.sqrt(((pi * (1 - pi)) / n) * ((1 + lambda) / (1 - lambda)));
    expect(Math.abs(crashCount / n - pi)).toBeLessThan(6 * seShare);
    // Exit and entry frequencies: about 630 crash episodes, so each rate has a relative error near 1 / sqrt(630).
    const exitRate = exits / crashCount;
    const enterRate = enters / (n - crashCount);
    expect(Math.abs(exitRate / p - 1)).toBeLessThan(6 / Math.sqrt(n * pi * p));
    expect(Math.abs(enterRate / q - 1)).toBeLessThan(6 / Math.sqrt(n * pi * p));
    // Factor moments by regime: crash mean -0.8/252 and volatility 2.5 times the normal one. Mean standard error
    // v / sqrt(count); relative error of a t5 standard deviation sqrt(8 / (4 count)).
    const f = m.factors.market;
    const inCrash = Float64Array.from(Array.from(f).filter((_, t) => flags[t] === 1));
    const inNormal = Float64Array.from(Array.from(f).filter((_, t) => flags[t] === 0));
    const vN = 0.16 / Math.sqrt(252);
    expect(Math.abs(mean(inCrash) - -0.8 / 252)).toBeLessThan((6 * 2.5 * vN) / Math.sqrt(inCrash.length));
    expect(Math.abs(mean(inNormal) - 0.07 / 252)).toBeLessThan((6 * vN) / Math.sqrt(inNormal.length));
    const ratio = Math.sqrt(cov(inCrash, inCrash) / cov(inNormal, inNormal));
    expect(Math.abs(ratio / 2.5 - 1)).toBeLessThan(6 * Math.sqrt(8 / (4 * inCrash.length)));
    // The unconditional factor variance formula, evaluated at the realised share (the share's own error is
    // checked above), matches the sample variance. A t5 sample variance has relative standard error
    // sqrt((kappa + 2) / count) = sqrt(8 / count); the crash periods (count n s) carry most of the variance.
    const s = crashCount / n;
    const dm = (0.07 - -0.8) / 252;
    const implied = (1 - s) * vN * vN + s * (2.5 * vN) ** 2 + s * (1 - s) * dm * dm;
    expect(Math.abs(cov(f, f) / implied - 1)).toBeLessThan(6 * Math.sqrt(8 / (n * s)));
    // And the reported annual value is that formula at the stationary share.
    const stationary = (1 - pi) * vN * vN + pi * (2.5 * vN) ** 2 + pi * (1 - pi) * dm * dm;
    expect(m.parameters.marketVariance).toBeCloseTo(stationary * 252, 12);
  });
});

describe('generateMarket: late listings', () => {
  const opts: SyntheticMarketOptions = { assets: 30, periods: 300, seed: 4, sectors: 3 };
  const late = generateMarket({ ...opts, lateListings: { share: 0.5, maxDelay: 0.4 } });
  const plain = generateMarket(opts);

  it('gives late assets leading NaNs, a first price of 100, and no other NaN', () => {
    const rows = late.parameters.listingRows;
    let lateCount = 0;
    for (let j = 0; j < 30; j++) {
      const c = late.prices.column(j);
      const first = rows[j] as number;
      if (first > 0) lateCount++;
      expect(first).toBeGreaterThanOrEqual(0);
      expect(first).toBeLessThanOrEqual(120); // floor(0.4 * 300)
      expect(late.prices.firstValidRow(j)).toBe(first);
      for (let t = 0; t < first; t++) expect(Number.isNaN(c[t])).toBe(true);
      expect(c[first]).toBe(100);
      for (let t = first; t < 300; t++) expect(c[t]).toBeGreaterThan(0);
    }
    expect(lateCount).toBe(15); // round(0.5 * 30)
    expect(plain.prices.values.some(Number.isNaN)).toBe(false);
  });

  it('leaves the returns after listing as they are without late listings', () => {
    for (let j = 0; j < 30; j++) {
      const first = late.parameters.listingRows[j] as number;
      const a = returnsOf(late, j);
      const b = returnsOf(plain, j);
      for (let t = first; t < 299; t++) expect(Math.abs((a[t] as number) - (b[t] as number))).toBeLessThan(1e-13);
    }
  });

  it('keeps at least two prices per asset for the shortest series', () => {
    const m = generateMarket({ assets: 50, periods: 3, lateListings: { share: 1, maxDelay: 1 } });
    for (let j = 0; j < 50; j++) expect(m.parameters.listingRows[j]).toBe(1);
  });
});

describe('generateMarket: extreme parameters', () => {
  it('floors returns at -99% so prices stay positive, and counts the floored returns', () => {
    // Monthly, 200% idiosyncratic volatility (58% a month) and nu = 2.1 (very heavy tails): falls below -99% happen.
    const m = generateMarket({
      assets: 200,
      periods: 240,
      frequency: 'monthly',
      idiosyncraticVol: 2,
      tailDf: 2.1,
      seed: 9,
    });
    expect(m.flooredReturns).toBeGreaterThan(0);
    let atFloor = 0;
    for (let j = 0; j < 200; j++) {
      for (const r of returnsOf(m, j)) {
        expect(r).toBeGreaterThanOrEqual(SYNTHETIC_RETURN_FLOOR - 1e-12);
        if (Math.abs(r - SYNTHETIC_RETURN_FLOOR) < 1e-12) atFloor++;
      }
    }
    expect(atFloor).toBe(m.flooredReturns);
    expect(m.prices.values.every((v) => v > 0)).toBe(true);
  });

  it('rejects parameters that overflow the prices', () => {
    expect(() => generateMarket({ assets: 1, periods: 100_000, marketReturn: 1, betaMean: 3, betaSd: 0 })).toThrow(
      /left the range of double-precision numbers/,
    );
  });
});

describe('generateMarket: option validation', () => {
  const cases: [SyntheticMarketOptions, RegExp][] = [
    [{ assets: 0 }, /assets must be a whole number from 1 to 10000, got 0/],
    [{ assets: 2.5 }, /assets must be a whole number/],
    [{ periods: 1 }, /periods must be a whole number from 2 to 1000000, got 1/],
    [{ assets: 10_000, periods: 20_000 }, /assets x periods must be at most 100,000,000/],
    [{ periods: 1_000_001 }, /periods must be a whole number from 2 to 1000000/],
    [{ seed: -1 }, /seed must be a whole number from 0/],
    [{ frequency: 'hourly' as 'daily' }, /frequency must be 'daily', 'weekly' or 'monthly'/],
    [{ start: '2000-13-01' }, /start must be a calendar date/],
    [{ start: 1.5 }, /start must be a date written YYYY-MM-DD or a whole day number/],
    [{ periods: 100_000, start: '9990-01-01' }, /run past 9999-12-31/],
    [{ assets: 3, sectors: 4 }, /sectors must be a whole number from 1 to 3, got 4/],
    [{ sectors: ['A', 'A'] }, /sector name "A" appears twice/],
    [{ sectors: [] }, /sectors must be a count or a list of 1 to 50/],
    [{ marketReturn: 1.5 }, /marketReturn must be a number from -1 to 1, got 1.5/],
    [{ marketVol: -0.1 }, /marketVol must be a number from 0 to 2/],
    [{ sectorVol: Number.NaN }, /sectorVol must be a number from 0 to 2, got NaN/],
    [{ idiosyncraticVol: [0.3, 0.2] }, /low <= high/],
    [{ idiosyncraticVol: 3 }, /idiosyncraticVol must be a number from 0 to 2/],
    [{ betaMean: 4 }, /betaMean must be a number from -3 to 3/],
    [{ betaSd: -1 }, /betaSd must be a number from 0 to 2/],
    [{ sectorLoadingSd: 3 }, /sectorLoadingSd must be a number from 0 to 2/],
    [{ alphaSd: 2 }, /alphaSd must be a number from 0 to 1/],
    [{ tailDf: 2 }, /tailDf must be a number of degrees of freedom above 2/],
    [{ crash: { rate: 0 } }, /crash.rate must be above 0 and at most 252/],
    [{ crash: { duration: 0.001 } }, /crash.duration must be from one period \(1\/252 year\) to 50 years/],
    [{ crash: { volMultiplier: 0.5 } }, /crash.volMultiplier must be a number from 1 to 10/],
    [{ crash: { marketReturn: -20 } }, /crash.marketReturn must be a number from -10 to 1/],
    [{ crash: { windows: [{ from: '2000-02-01', to: '2000-01-01' }] } }, /starts 2000-02-01, after its end 2000-01-01/],
    [
      { periods: 10, crash: { windows: [{ from: '2005-01-01', to: '2005-02-01' }] } },
      /contains none of the return dates/,
    ],
    [{ crash: { windows: [{ from: '2000-02-01', to: '2000-03-01' }], rate: 1 } }, /either windows or rate\/duration/],
    [{ lateListings: 1.5 }, /lateListings.share must be a number from 0 to 1/],
    [{ lateListings: { share: 0.5, maxDelay: 0 } }, /lateListings.maxDelay must be above 0 and at most 1/],
    [{ periods: 2, lateListings: 0.5 }, /lateListings needs at least 3 periods/],
    [{ asset: 5 } as SyntheticMarketOptions, /unknown option "asset"; the options are assets, periods/],
    [{ crash: { length: 3 } as never }, /unknown crash option "length"/],
  ];
  it.each(cases.map(([o, re]) => [JSON.stringify(o), o, re] as const))('rejects %s', (_, options, re) => {
    expect(() => generateMarket(options)).toThrow(ValidationError);
    expect(() => generateMarket(options)).toThrow(re);
  });

  it('accepts the boundary values', () => {
    expect(generateMarket({ assets: 1, periods: 2 }).prices.values).toHaveLength(2);
    expect(
      generateMarket({ assets: 2, periods: 5, tailDf: 2.0001, crash: { duration: 1 / 252, rate: 252 } }),
    ).toBeDefined();
    expect(generateMarket({ assets: 2, periods: 5, lateListings: 0 }).parameters.listingRows).toEqual(
      new Int32Array(2),
    );
  });
});

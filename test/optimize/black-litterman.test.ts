/**
 * Black-Litterman: every case of reference/black-litterman/golden.json (numpy from the published formulas, the
 * precision form with explicit inverses, or the conditional-normal form for views held with certainty; Idzorek's
 * Omega by his step-by-step numerical calibration), closed forms that can be checked by hand, Idzorek's confidence
 * as the fraction of the full tilt, and the views document's validation messages.
 *
 * Tolerances: posterior means and priors 1e-10 (annual return units); covariance entries 1e-10 times
 * sqrt(S_ii S_jj); Omega 1e-11 relative (the reference finds Idzorek's omega by a root search); implied weights 1e-9
 * (a solve with delta S, normalised); delta 1e-10 relative.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { DataError, ValidationError } from '../../src/core/errors.js';
import { loadSample } from '../../src/data/samples.js';
import { sampleCovariance } from '../../src/estimate/index.js';
import {
  type BlackLittermanInput,
  blackLitterman,
  blackLittermanWeights,
  marketImpliedPriorReturns,
  marketImpliedRiskAversion,
  marketWeights,
  parseViews,
  viewMatrices,
} from '../../src/optimize/black-litterman.js';
import { optimize } from '../../src/optimize/index.js';

interface GoldenDataset {
  readonly source: string;
  readonly tickers: string[];
  readonly cov: number[];
  readonly marketCaps: Record<string, number>;
}

interface GoldenCase {
  readonly name: string;
  readonly dataset: string;
  readonly input: {
    readonly marketCaps?: boolean;
    readonly riskAversion?: number;
    readonly prior?: number[];
    readonly tau?: number;
    readonly riskFreeRate?: number;
    readonly omega?: string | number[];
    readonly views: unknown;
  };
  readonly omegaMethod: string;
  readonly route: string;
  readonly prior: number[];
  readonly posteriorMean: number[];
  readonly posteriorCov: number[];
  readonly omega: number[];
  readonly marketWeights?: number[];
  readonly weights?: number[];
  readonly weightsPosterior?: number[];
}

interface GoldenFile {
  readonly datasets: Record<string, GoldenDataset>;
  readonly riskAversion: { source: string; periodsPerYear: number; riskFreeRate: number; delta: number }[];
  readonly cases: GoldenCase[];
}

const golden = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../reference/black-litterman/golden.json', import.meta.url)), 'utf8'),
) as GoldenFile;

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

/** Largest |a_ij - b_ij| / sqrt(b_ii b_jj). */
function covDiff(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let d = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const scale = Math.sqrt((b[i * n + i] as number) * (b[j * n + j] as number));
      d = Math.max(d, Math.abs((a[i * n + j] as number) - (b[i * n + j] as number)) / scale);
    }
  }
  return d;
}

function covarianceOf(name: string) {
  const ds = golden.datasets[name] as GoldenDataset;
  return { tickers: ds.tickers, values: Float64Array.from(ds.cov), periodsPerYear: name === 'stocks5' ? 12 : 252 };
}

function inputOf(c: GoldenCase): BlackLittermanInput {
  const ds = golden.datasets[c.dataset] as GoldenDataset;
  const i = c.input;
  return {
    covariance: covarianceOf(c.dataset),
    views: parseViews(i.views, c.name),
    ...(i.marketCaps ? { marketCaps: ds.marketCaps } : {}),
    ...(i.riskAversion === undefined ? {} : { riskAversion: i.riskAversion }),
    ...(i.prior === undefined ? {} : { prior: i.prior }),
    ...(i.tau === undefined ? {} : { tau: i.tau }),
    ...(i.riskFreeRate === undefined ? {} : { riskFreeRate: i.riskFreeRate }),
    ...(i.omega === undefined ? {} : { omega: i.omega as BlackLittermanInput['omega'] }),
  };
}

describe('golden values (numpy from Black-Litterman 1992, He-Litterman 1999, Idzorek 2005)', () => {
  it('covers the prior forms, Omega methods, certain views, tau, rf and both data sets', () => {
    expect(golden.cases.length).toBe(13);
    expect(new Set(golden.cases.map((c) => c.omegaMethod))).toEqual(new Set(['he-litterman', 'idzorek', 'given']));
    expect(golden.cases.some((c) => c.route === 'conditional' && c.omega.includes(0))).toBe(true);
    expect(new Set(golden.cases.map((c) => c.dataset))).toEqual(new Set(['stocks5', 'synth50']));
  });

  for (const c of golden.cases) {
    it(c.name, () => {
      const ds = golden.datasets[c.dataset] as GoldenDataset;
      const n = ds.tickers.length;
      const input = inputOf(c);
      const bl = blackLitterman(input);
      expect(bl.tickers).toEqual(ds.tickers);
      expect(bl.omegaMethod).toBe(c.omegaMethod);
      expect(maxAbs(bl.prior, c.prior)).toBeLessThan(1e-10);
      expect(maxAbs(bl.expectedReturns.values, c.posteriorMean)).toBeLessThan(1e-10);
      expect(covDiff(bl.covariance.values, c.posteriorCov, n)).toBeLessThan(1e-10);
      expect(bl.omega.length).toBe(c.omega.length);
      c.omega.forEach((o, r) => {
        expect(Math.abs((bl.omega[r] as number) - o)).toBeLessThanOrEqual(1e-11 * o);
      });
      expect(bl.notes).toEqual([]);
      if (c.marketWeights) expect(maxAbs(bl.marketWeights as Float64Array, c.marketWeights)).toBeLessThan(1e-15);
      if (c.weights) {
        expect(maxAbs(bl.weights as Float64Array, c.weights)).toBeLessThan(1e-9);
        // The risk-free rate defaults to the model's.
        const viaPrior = blackLittermanWeights(bl, input.covariance);
        expect(maxAbs(viaPrior, c.weights)).toBeLessThan(1e-9);
        const viaPosterior = blackLittermanWeights(bl, input.covariance, { covariance: 'posterior' });
        expect(maxAbs(viaPosterior, c.weightsPosterior as number[])).toBeLessThan(1e-9);
      } else {
        expect(bl.weights).toBeUndefined();
      }
      expect(bl.expectedReturns.method).toBe('black-litterman');
      expect(bl.covariance.periodsPerYear).toBe(c.dataset === 'stocks5' ? 12 : 252);
    });
  }

  it('market-implied risk aversion of the daily S&P 500 sample, with and without a risk-free rate', () => {
    const daily = loadSample('sp500-daily');
    for (const g of golden.riskAversion.filter((x) => x.source === 'sample:sp500-daily')) {
      const delta = marketImpliedRiskAversion(daily, { riskFreeRate: g.riskFreeRate });
      expect(Math.abs(delta - g.delta) / g.delta).toBeLessThan(1e-10);
    }
    // The same prices as a plain array need the periods per year.
    const g0 = golden.riskAversion[0] as { delta: number };
    expect(Math.abs(marketImpliedRiskAversion(daily.column(0), { periodsPerYear: 252 }) - g0.delta)).toBeLessThan(
      1e-10 * g0.delta,
    );
    expect(() => marketImpliedRiskAversion(daily.column(0))).toThrow(/periodsPerYear is needed/);
  });

  it('refuses the negative delta of the monthly 2000-2010 S&P 500 (it lost money on average)', () => {
    const g = golden.riskAversion.find((x) => x.source === 'sample:sp500') as { delta: number };
    expect(g.delta).toBeLessThan(0);
    expect(() => marketImpliedRiskAversion(loadSample('sp500'))).toThrow(DataError);
    expect(() => marketImpliedRiskAversion(loadSample('sp500'))).toThrow(/does not exceed the risk-free rate/);
  });
});

describe('closed forms', () => {
  const stocks = loadSample('stocks');
  const S = sampleCovariance(stocks.between('2004-08-01'));
  const caps = { MSFT: 2.2e11, AMZN: 5.5e10, IBM: 1.6e11, AAPL: 2.1e11, GOOG: 1.8e11 };

  it('without views the posterior mean is the prior, the covariance (1 + tau) S, the weights the market weights', () => {
    const bl = blackLitterman({ covariance: S, views: { views: [] }, marketCaps: caps, riskAversion: 2.5, tau: 0.07 });
    const n = S.tickers.length;
    const w = marketWeights(caps, S.tickers);
    const pi = marketImpliedPriorReturns(caps, 2.5, S);
    expect(maxAbs(bl.expectedReturns.values, pi.values)).toBe(0);
    for (let i = 0; i < n * n; i++) {
      expect(bl.covariance.values[i]).toBeCloseTo(1.07 * (S.values[i] as number), 15);
    }
    expect(maxAbs(bl.weights as Float64Array, w)).toBeLessThan(1e-13);
    // pi = delta S w by hand.
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (S.values[i * n + j] as number) * (w[j] as number);
      expect(Math.abs((pi.values[i] as number) - 2.5 * s)).toBeLessThan(1e-16);
    }
  });

  it('two uncorrelated assets and one absolute view: mu_1 = pi_1 + tau s1 / (tau s1 + omega) (q - pi_1)', () => {
    const cov = { tickers: ['X', 'Y'], values: Float64Array.of(0.04, 0, 0, 0.09) };
    const tau = 0.05;
    const omega = 0.001;
    const bl = blackLitterman({
      covariance: cov,
      prior: [0.05, 0.07],
      views: parseViews([{ X: 0.1 }]),
      omega: [omega],
      tau,
    });
    const shrink = (tau * 0.04) / (tau * 0.04 + omega);
    expect(bl.expectedReturns.values[0]).toBeCloseTo(0.05 + shrink * 0.05, 15);
    expect(bl.expectedReturns.values[1]).toBe(0.07);
    // Posterior variance of X: s1 + tau s1 omega / (tau s1 + omega); Y: (1 + tau) s2; covariance stays 0.
    expect(bl.covariance.values[0]).toBeCloseTo(0.04 + (tau * 0.04 * omega) / (tau * 0.04 + omega), 15);
    expect(bl.covariance.values[3]).toBeCloseTo(1.05 * 0.09, 15);
    expect(bl.covariance.values[1]).toBe(0);
  });

  it("Idzorek's confidence c moves a single view's assets by c times the tilt of a certain view", () => {
    const views = [{ long: 'AAPL', short: 'IBM', return: 0.04 }];
    const base = { covariance: S, marketCaps: caps, riskAversion: 2.5 };
    const prior = blackLitterman({ ...base, views: { views: [] } }).expectedReturns.values;
    const certain = blackLitterman({ ...base, views: parseViews({ views, confidences: [1] }) });
    const a = S.tickers.indexOf('AAPL');
    const b = S.tickers.indexOf('IBM');
    // Certain: the posterior meets the view exactly.
    const spread = (certain.expectedReturns.values[a] as number) - (certain.expectedReturns.values[b] as number);
    expect(spread).toBeCloseTo(0.04, 14);
    for (const c of [0.1, 0.35, 0.8]) {
      const partial = blackLitterman({ ...base, views: parseViews({ views, confidences: [c] }) });
      for (let i = 0; i < S.tickers.length; i++) {
        const full = (certain.expectedReturns.values[i] as number) - (prior[i] as number);
        const got = (partial.expectedReturns.values[i] as number) - (prior[i] as number);
        expect(Math.abs(got - c * full)).toBeLessThan(1e-14);
      }
    }
    // Confidence 0 would be a view that says nothing: refused, in the document and in the model.
    expect(() => parseViews({ views, confidences: [0] }, 'v.json')).toThrow(/v.json: confidences\[0\] is 0/);
    expect(() => blackLitterman({ ...base, views: { views: parseViews(views).views, confidences: [0] } })).toThrow(
      /confidences\[0\] is 0; a confidence is a fraction above 0/,
    );
  });

  it('one absolute view held with 100% confidence moves that asset exactly to the view, and tilts the rest', () => {
    const base = { covariance: S, marketCaps: caps, riskAversion: 2.5 };
    const prior = blackLitterman({ ...base, views: { views: [] } }).expectedReturns.values;
    const a = S.tickers.indexOf('AMZN');
    for (const q of [0.3, -0.05]) {
      const bl = blackLitterman({ ...base, views: parseViews({ views: [{ AMZN: q }], confidences: [1] }) });
      expect(bl.omega[0]).toBe(0);
      expect(Math.abs((bl.expectedReturns.values[a] as number) - q)).toBeLessThan(1e-15);
      // The others move by S_ia / S_aa times the surprise (the regression of asset i on asset a).
      const n = S.tickers.length;
      for (let i = 0; i < n; i++) {
        const beta = (S.values[i * n + a] as number) / (S.values[a * n + a] as number);
        const moved = (prior[i] as number) + beta * (q - (prior[a] as number));
        expect(Math.abs((bl.expectedReturns.values[i] as number) - moved)).toBeLessThan(1e-15);
      }
      // With certainty the posterior variance of the asset is its prior variance: M_aa = 0.
      expect(bl.covariance.values[a * n + a]).toBeCloseTo(S.values[a * n + a] as number, 15);
    }
  });

  it('views that cannot hold together with certainty are named', () => {
    const views = parseViews({ views: [{ AAPL: 0.1 }, { AAPL: 0.2 }], confidences: [1, 1] });
    expect(() => blackLitterman({ covariance: S, views, marketCaps: caps, riskAversion: 2 })).toThrow(
      /views\[1\] cannot hold together/,
    );
    // With He-Litterman uncertainty the same two views average out.
    const he = blackLitterman({ covariance: S, views, marketCaps: caps, riskAversion: 2, omega: 'he-litterman' });
    expect(Number.isFinite(he.expectedReturns.values[0] as number)).toBe(true);
  });

  it('the posterior feeds the optimiser directly', async () => {
    const bl = blackLitterman({
      covariance: S,
      views: parseViews({ views: [{ AAPL: 0.15 }] }),
      marketCaps: caps,
      riskAversion: 2.5,
    });
    const result = await optimize(
      { expectedReturns: bl.expectedReturns.values, covariance: bl.covariance.values, tickers: bl.tickers },
      { kind: 'max-sharpe' },
    );
    expect(result.weights.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });

  it('rejects bad input with messages that say what to change', () => {
    expect(() => marketWeights({ MSFT: 1 }, S.tickers)).toThrow(
      `no market capitalisation for ${S.tickers.slice(1).join(', ')}`,
    );
    expect(() => marketWeights({ ...caps, IBM: -1 }, S.tickers)).toThrow(/capitalisation of IBM is -1/);
    const views = parseViews([{ AAPL: 0.1 }]);
    expect(() => blackLitterman({ covariance: S, views, marketCaps: caps })).toThrow(/needs the risk aversion/);
    expect(() => blackLitterman({ covariance: S, views })).toThrow(/needs market capitalisations/);
    expect(() => blackLitterman({ covariance: S, views, prior: [0.1, 0.1], riskAversion: 2 })).toThrow(
      /prior has 2 values for 5 assets/,
    );
    expect(() => blackLitterman({ covariance: S, views, marketCaps: caps, riskAversion: 2, tau: 0 })).toThrow(
      /tau must be a positive number/,
    );
    expect(() => blackLitterman({ covariance: S, views, marketCaps: caps, riskAversion: -1 })).toThrow(
      /risk aversion delta must be a positive number/,
    );
    expect(() => blackLitterman({ covariance: S, views, marketCaps: caps, riskAversion: 2, omega: 'idzorek' })).toThrow(
      /needs a confidence for every view/,
    );
    expect(() => blackLitterman({ covariance: S, views, marketCaps: caps, riskAversion: 2, omega: [-1] })).toThrow(
      /Omega of views\[0\] is -1/,
    );
    expect(() =>
      blackLitterman({ covariance: S, views: parseViews([{ XOM: 0.1 }]), marketCaps: caps, riskAversion: 2 }),
    ).toThrow(/views\[0\] names "XOM", which is not among the assets/);
    // A posterior asking for a net short position cannot be normalised: the model says so and has no weights.
    const short = blackLitterman({
      covariance: S,
      views: parseViews({ views: S.tickers.map((t) => ({ [t]: -0.5 })), confidences: S.tickers.map(() => 1) }),
      marketCaps: caps,
      riskAversion: 2,
    });
    expect(short.weights).toBeUndefined();
    expect(short.notes[0]).toMatch(/^no implied weights: .*cannot be scaled to sum to 1/);
    expect(() => blackLittermanWeights(short, S)).toThrow(/cannot be scaled to sum to 1/);
  });
});

describe('views document', () => {
  const tickers = ['AAPL', 'MSFT', 'long'];

  it('reads absolute and relative views, a bare list, and confidences', () => {
    const doc = {
      views: [{ AAPL: 0.1 }, { long: 'AAPL', short: 'MSFT', return: 0.02 }, { long: 0.05 }],
      confidences: [0.5, 1, 0.01],
    };
    const v = parseViews(doc, 'views.json', tickers);
    expect(v.views).toEqual([
      { kind: 'absolute', asset: 'AAPL', return: 0.1 },
      { kind: 'relative', long: 'AAPL', short: 'MSFT', return: 0.02 },
      { kind: 'absolute', asset: 'long', return: 0.05 },
    ]);
    expect(v.confidences).toEqual([0.5, 1, 0.01]);
    expect(parseViews([{ MSFT: -0.01 }]).confidences).toBeUndefined();
    const m = viewMatrices(v, tickers);
    expect(Array.from(m.P)).toEqual([1, 0, 0, 1, -1, 0, 0, 0, 1]);
    expect(Array.from(m.Q)).toEqual([0.1, 0.02, 0.05]);
  });

  it('names the bad entry', () => {
    const cases: [unknown, RegExp][] = [
      [42, /views.json: expected \{"views": \[\.\.\.\]/],
      [{ view: [] }, /the member "views" is missing/],
      [{ views: [], extra: 1 }, /unknown member "extra"/],
      [{ views: [{ AAPL: 0.1, MSFT: 0.2 }] }, /views\[0\] has 2 members \("AAPL", "MSFT"\)/],
      [{ views: [{}] }, /views\[0\] has 0 members/],
      [{ views: [{ AAPL: '10%' }] }, /views\[0\]: the return of "AAPL" is "10%"/],
      [{ views: [{ AAPL: 0.1 }, 'MSFT'] }, /views\[1\] is "MSFT"; a view is/],
      [{ views: [{ long: 'AAPL', short: 'MSFT' }] }, /views\[0\]: the member "return" is missing/],
      [{ views: [{ long: 'AAPL', short: 'MSFT', return: 0.1, when: 1 }] }, /views\[0\]: unknown member "when"/],
      [{ views: [{ long: 'AAPL', short: 'AAPL', return: 0.1 }] }, /views\[0\]: "long" and "short" are both "AAPL"/],
      [{ views: [{ long: 'AAPL', short: 3, return: 0.1 }] }, /views\[0\]: "short" .*found 3/],
      [{ views: [{ AAPL: 0.1 }], confidences: [0.5, 0.5] }, /"confidences" has 2 values for 1 view/],
      [{ views: [{ AAPL: 0.1 }], confidences: [1.5] }, /confidences\[0\] is 1.5/],
      [{ views: [{ AAPL: 0.1 }], confidences: [-0.2] }, /confidences\[0\] is -0.2/],
      [{ views: [{ AAPL: 0.1 }], confidences: ['high'] }, /confidences\[0\] is "high"/],
      [{ views: [{ GOOG: 0.1 }] }, /views\[0\] names "GOOG", which is not among the assets \(AAPL, MSFT, long\)/],
    ];
    for (const [doc, message] of cases) {
      expect(() => parseViews(doc, 'views.json', tickers)).toThrow(ValidationError);
      expect(() => parseViews(doc, 'views.json', tickers)).toThrow(message);
    }
  });
});

describe('market-implied risk aversion by hand', () => {
  it('is (P mean - rf) / (P var) over the returns of consecutive prices', () => {
    const prices = [100, 102, NaN, 104, 101, 103.5];
    // Returns: 0.02, (gap), (gap), 101/104 - 1, 103.5/101 - 1.
    const r = [0.02, 101 / 104 - 1, 103.5 / 101 - 1];
    const mean = (r[0]! + r[1]! + r[2]!) / 3;
    const variance = r.reduce((s, x) => s + (x - mean) ** 2, 0) / 2;
    const expected = (12 * mean - 0.01) / (12 * variance);
    const m = DatedMatrix.fromColumns([0, 31, 59, 90, 120, 151], ['IDX'], [prices], { periodsPerYear: 12 });
    const close = (x: number) => expect(Math.abs(x - expected)).toBeLessThan(1e-14 * expected);
    close(marketImpliedRiskAversion(m, { riskFreeRate: 0.01 }));
    close(marketImpliedRiskAversion(prices, { riskFreeRate: 0.01, periodsPerYear: 12 }));
    const two = DatedMatrix.fromColumns([0, 31, 59, 90, 120, 151], ['IDX', 'B'], [prices, prices], {
      periodsPerYear: 12,
    });
    expect(() => marketImpliedRiskAversion(two)).toThrow(/name the market column/);
    close(marketImpliedRiskAversion(two, { ticker: 'B', riskFreeRate: 0.01 }));
    expect(() => marketImpliedRiskAversion([100, 101], { periodsPerYear: 12 })).toThrow(/has 1 return/);
    expect(() => marketImpliedRiskAversion([100, 100, 100], { periodsPerYear: 12 })).toThrow(/do not vary/);
  });
});

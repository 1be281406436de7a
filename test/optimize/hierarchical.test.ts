/**
 * Hierarchical risk parity and HERC against reference/hierarchical/golden.json (pandas moments, SciPy trees, the
 * bisection written from López de Prado's paper, bounded bisection after Riskfolio-Lib, HERC after Raffinot /
 * Riskfolio-Lib with the variance), on the three reference inputs (50 synthetic assets; 20 with leading gaps; the
 * monthly sample with GOOG listed late) and every linkage criterion. Weights must agree to 1e-12 and the trees
 * exactly; then the properties: weights positive and summing to 1, bounds held on random bounds, the closed forms
 * (diagonal covariance, two assets, k = 1), HERC's independence of the asset order, and validation.
 */

import { describe, expect, it } from 'vitest';
import { InfeasibleError, ValidationError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { simpleReturns } from '../../src/core/returns.js';
import { sampleCovarianceFromReturns } from '../../src/estimate/index.js';
import {
  hierarchicalEqualRiskContribution,
  hierarchicalEqualRiskContributionFromReturns,
  hierarchicalRiskParity,
  hierarchicalRiskParityFromReturns,
  inverseVariance,
  type LabelledCovariance,
  LINKAGE_METHODS,
  type LinkageMethod,
  pairwiseMoments,
} from '../../src/optimize/allocators.js';
import { datasetPrices, fromUpper, golden } from './hierarchical-helpers.js';

const WEIGHT_TOL = 1e-12;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] as number;
  return s;
}

/** A random covariance from a 3-factor model with annual volatilities about 15-45%, in ticker order T00, T01, ... */
function randomCovariance(seed: number, n: number): LabelledCovariance {
  const rng = new Random(seed);
  const b = Float64Array.from({ length: 3 * n }, () => 0.15 * rng.normal() + 0.05);
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let v = 0;
      for (let f = 0; f < 3; f++) v += (b[3 * i + f] as number) * (b[3 * j + f] as number);
      if (i === j) v += (0.1 + 0.3 * rng.nextDouble()) ** 2;
      s[i * n + j] = v;
      s[j * n + i] = v;
    }
  }
  return { tickers: Array.from({ length: n }, (_, i) => `T${String(i).padStart(2, '0')}`), values: s };
}

describe('golden values: reference inputs', () => {
  for (const c of golden.datasets) {
    describe(c.name, () => {
      const returns = simpleReturns(datasetPrices(c));
      const n = c.tickers.length;

      it('pairwise correlation and covariance equal pandas corr() / cov() * P to 1e-13', () => {
        expect(returns.rowCount).toBe(c.returnDates);
        const m = pairwiseMoments(returns);
        expect(m.periodsPerYear).toBe(c.periodsPerYear);
        const rho = fromUpper(c.correlationUpper, n);
        const cov = fromUpper(c.covarianceUpper, n);
        expect(maxDiff(m.correlation, rho)).toBeLessThan(1e-13);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const scale = Math.sqrt((cov[i * n + i] as number) * (cov[j * n + j] as number));
            expect(Math.abs((m.covariance[i * n + j] as number) - (cov[i * n + j] as number))).toBeLessThan(
              1e-13 * scale,
            );
          }
        }
        // Where the pairwise matrix needs no repair, it is bit for bit the sample covariance estimator's.
        if (c.minEigenvalue > 0)
          expect(Array.from(m.covariance)).toEqual(Array.from(sampleCovarianceFromReturns(returns).values));
      });

      for (const method of LINKAGE_METHODS) {
        it(`${method}: the tree and order equal SciPy's, HRP and HERC weights the references' to 1e-12`, () => {
          const hrp = hierarchicalRiskParityFromReturns(returns, { linkage: method });
          const want = c.trees[method];
          hrp.tree.merges.forEach((v, idx) => {
            const row = want.Z[idx >> 2] as number[];
            if (idx % 4 === 2) expect(Math.abs(v - (row[2] as number))).toBeLessThan(1e-13);
            else expect(v).toBe(row[idx % 4]);
          });
          expect(Array.from(hrp.order)).toEqual(want.leaves);
          expect(hrp.orderedTickers).toEqual(want.leaves.map((i) => c.tickers[i]));
          for (const ref of c.hrp.filter((h) => h.linkage === method)) {
            const got =
              ref.lower === undefined
                ? hrp
                : hierarchicalRiskParityFromReturns(returns, {
                    linkage: method,
                    bounds: { lower: ref.lower, upper: ref.upper as number[] },
                  });
            expect(maxDiff(got.weights, ref.weights), ref.bounds ?? 'unbounded').toBeLessThan(WEIGHT_TOL);
            if (ref.lower !== undefined) {
              got.weights.forEach((w, i) => {
                expect(w).toBeGreaterThanOrEqual(ref.lower?.[i] as number);
                expect(w).toBeLessThanOrEqual(ref.upper?.[i] as number);
              });
            }
          }
          for (const ref of c.herc.filter((h) => h.linkage === method)) {
            const got = hierarchicalEqualRiskContributionFromReturns(returns, {
              linkage: method,
              ...(ref.clusters === null ? {} : { clusters: ref.clusters }),
            });
            expect(got.clusters).toBe(ref.chosen);
            expect(got.clusterSelection).toBe(ref.clusters === null ? 'gap-statistic' : 'given');
            expect(maxDiff(got.weights, ref.weights), `k = ${ref.chosen}`).toBeLessThan(WEIGHT_TOL);
            const groups: number[][] = Array.from({ length: got.clusters }, () => []);
            got.clusterOf.forEach((g, i) => {
              groups[g]?.push(i);
            });
            expect(groups.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual(ref.groups);
          }
        });
      }
    });
  }

  it('includes bounds that bind and a gap-rule choice above 1', () => {
    expect(golden.datasets.flatMap((c) => c.hrp.filter((h) => h.lower !== undefined)).length).toBeGreaterThan(20);
    expect(
      golden.datasets.flatMap((c) => c.herc.filter((h) => h.clusters === null && h.chosen > 1)).length,
    ).toBeGreaterThan(3);
  });
});

describe('hierarchical risk parity: properties', () => {
  it('on a diagonal covariance is the inverse-variance portfolio, whatever the linkage', () => {
    const vars = [0.04, 0.09, 0.01, 0.16, 0.0225, 0.0625, 0.1];
    const n = vars.length;
    const s = new Float64Array(n * n);
    vars.forEach((v, i) => {
      s[i * n + i] = v;
    });
    const cov = { tickers: vars.map((_, i) => `A${i}`), values: s };
    const ivp = inverseVariance(cov).weights;
    for (const method of LINKAGE_METHODS) {
      expect(maxDiff(hierarchicalRiskParity(cov, { linkage: method }).weights, ivp)).toBeLessThan(1e-15);
    }
  });

  it('two assets: w_1 = sigma_2^2 / (sigma_1^2 + sigma_2^2), whatever their correlation', () => {
    for (const rho of [-0.9, 0, 0.6]) {
      const s = [0.04, rho * 0.2 * 0.3, rho * 0.2 * 0.3, 0.09];
      const r = hierarchicalRiskParity({ tickers: ['X', 'Y'], values: s });
      expect(r.weights[0]).toBeCloseTo(0.09 / 0.13, 15);
      expect(r.weightsByTicker.Y).toBeCloseTo(0.04 / 0.13, 15);
    }
  });

  it('four assets by hand: two correlated pairs, single linkage', () => {
    // A, B correlated 0.8 (vol 10%, 20%); C, D correlated 0.8 (vol 30%, 40%); 0 across.
    const vol = [0.1, 0.2, 0.3, 0.4];
    const rho = [
      [1, 0.8, 0, 0],
      [0.8, 1, 0, 0],
      [0, 0, 1, 0.8],
      [0, 0, 0.8, 1],
    ];
    const s = new Float64Array(16);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) s[i * 4 + j] = (rho[i]?.[j] as number) * (vol[i] as number) * (vol[j] as number);
    const r = hierarchicalRiskParity({ tickers: ['A', 'B', 'C', 'D'], values: s });
    expect(Array.from(r.order)).toEqual([0, 1, 2, 3]);
    // Cluster {A, B}: inverse-variance weights 0.8, 0.2; variance 0.64 * 0.01 + 0.04 * 0.04 + 2 * 0.16 * 0.016.
    const v1 = 0.64 * 0.01 + 0.04 * 0.04 + 2 * 0.8 * 0.2 * 0.8 * 0.1 * 0.2;
    const a = 1 / 0.09;
    const b = 1 / 0.16;
    const wc = a / (a + b);
    const wd = b / (a + b);
    const v2 = wc * wc * 0.09 + wd * wd * 0.16 + 2 * wc * wd * 0.8 * 0.3 * 0.4;
    const alpha = 1 - v1 / (v1 + v2);
    const want = [alpha * 0.8, alpha * 0.2, (1 - alpha) * wc, (1 - alpha) * wd];
    expect(maxDiff(r.weights, want)).toBeLessThan(1e-15);
  });

  it('weights are positive, sum to 1, and random bounds always hold (n = 2 .. 60)', () => {
    const rng = new Random(321);
    let bound = 0;
    for (let trial = 0; trial < 60; trial++) {
      const n = 2 + (trial % 30) * 2;
      const cov = randomCovariance(1000 + trial, n);
      const lower = Float64Array.from({ length: n }, () => (rng.nextDouble() < 0.5 ? 0 : (0.8 * rng.nextDouble()) / n));
      const upper = Float64Array.from(lower, (lo) => lo + (0.3 + 2 * rng.nextDouble()) / n);
      let su = 0;
      for (const u of upper) su += u;
      if (su < 1) {
        for (let i = 0; i < n; i++) upper[i] = (upper[i] as number) / su + 1e-3;
      }
      const method = LINKAGE_METHODS[trial % 5] as LinkageMethod;
      const plain = hierarchicalRiskParity(cov, { linkage: method });
      const r = hierarchicalRiskParity(cov, { linkage: method, bounds: { lower, upper } });
      for (const res of [plain, r]) {
        expect(Math.abs(sum(res.weights) - 1)).toBeLessThan(1e-14);
        for (const w of res.weights) expect(w).toBeGreaterThanOrEqual(0);
      }
      for (const w of plain.weights) expect(w).toBeGreaterThan(0);
      r.weights.forEach((w, i) => {
        expect(w).toBeGreaterThanOrEqual(lower[i] as number);
        expect(w).toBeLessThanOrEqual(upper[i] as number);
      });
      bound += r.boundedSplits > 0 ? 1 : 0;
      // Bounds that do not bind change nothing.
      const loose = hierarchicalRiskParity(cov, { linkage: method, bounds: [0, 1] });
      expect(Array.from(loose.weights)).toEqual(Array.from(plain.weights));
      expect(loose.boundedSplits).toBe(0);
    }
    expect(bound).toBeGreaterThan(40);
  });

  it('reports volatility, risk contributions and, with expected returns, return and Sharpe ratio', () => {
    const cov = randomCovariance(8, 12);
    const mu = Float64Array.from({ length: 12 }, (_, i) => 0.02 + 0.01 * i);
    const r = hierarchicalRiskParity(cov, { expectedReturns: mu, riskFreeRate: 0.03 });
    const s = cov.values as Float64Array;
    let v = 0;
    let ret = 0;
    for (let i = 0; i < 12; i++) {
      ret += (mu[i] as number) * (r.weights[i] as number);
      for (let j = 0; j < 12; j++) v += (r.weights[i] as number) * (s[i * 12 + j] as number) * (r.weights[j] as number);
    }
    expect(r.volatility).toBeCloseTo(Math.sqrt(v), 15);
    expect(r.expectedReturn).toBeCloseTo(ret, 15);
    expect(r.sharpe).toBeCloseTo((ret - 0.03) / Math.sqrt(v), 13);
    expect(sum(r.riskContributions.absolute)).toBeCloseTo(r.volatility, 15);
    expect(sum(r.riskContributions.relative)).toBeCloseTo(1, 14);
    expect(r.method).toBe('hrp');
    expect(r.linkage).toBe('single');
  });
});

describe('HERC: properties', () => {
  it('with one cluster is the inverse-variance portfolio', () => {
    const cov = randomCovariance(3, 15);
    const ivp = inverseVariance(cov).weights;
    expect(maxDiff(hierarchicalEqualRiskContribution(cov, { clusters: 1 }).weights, ivp)).toBeLessThan(1e-15);
  });

  it('two clusters by hand: each gets 1 - its risk share, inverse variance inside', () => {
    const vol = [0.1, 0.2, 0.3, 0.4];
    const rho = [
      [1, 0.8, 0, 0],
      [0.8, 1, 0, 0],
      [0, 0, 1, 0.8],
      [0, 0, 0.8, 1],
    ];
    const s = new Float64Array(16);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) s[i * 4 + j] = (rho[i]?.[j] as number) * (vol[i] as number) * (vol[j] as number);
    const r = hierarchicalEqualRiskContribution({ tickers: ['A', 'B', 'C', 'D'], values: s }, { clusters: 2 });
    const v1 = 0.8 * 0.8 * 0.01 + 0.2 * 0.2 * 0.04 + 2 * 0.8 * 0.2 * 0.8 * 0.1 * 0.2;
    const a = 1 / 0.09;
    const b = 1 / 0.16;
    const v2 = (a * a * 0.09 + b * b * 0.16 + 2 * a * b * 0.8 * 0.3 * 0.4) / (a + b) ** 2;
    const alpha = v2 / (v1 + v2);
    const want = [alpha * 0.8, alpha * 0.2, (1 - alpha) * (a / (a + b)), (1 - alpha) * (b / (a + b))];
    expect(maxDiff(r.weights, want)).toBeLessThan(1e-15);
    expect(Array.from(r.clusterOf)).toEqual([0, 0, 1, 1]);
  });

  it('does not depend on the order of the assets', () => {
    const rng = new Random(77);
    for (let trial = 0; trial < 10; trial++) {
      const n = 8 + trial * 3;
      const cov = randomCovariance(500 + trial, n);
      const perm = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
      }
      const s = cov.values as Float64Array;
      const ps = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) ps[i * n + j] = s[(perm[i] as number) * n + (perm[j] as number)] as number;
      const permuted = { tickers: perm.map((i) => cov.tickers[i] as string), values: ps };
      for (const method of LINKAGE_METHODS) {
        for (const clusters of [undefined, 3]) {
          const opts = { linkage: method, ...(clusters === undefined ? {} : { clusters }) };
          const a = hierarchicalEqualRiskContribution(cov, opts);
          const b = hierarchicalEqualRiskContribution(permuted, opts);
          expect(b.clusters).toBe(a.clusters);
          for (const t of cov.tickers) {
            expect(Math.abs((a.weightsByTicker[t] as number) - (b.weightsByTicker[t] as number))).toBeLessThan(1e-14);
          }
        }
      }
    }
  });

  it('weights are positive and sum to 1 for every k; k = n splits every merge', () => {
    const cov = randomCovariance(11, 9);
    for (let k = 1; k <= 9; k++) {
      const r = hierarchicalEqualRiskContribution(cov, { clusters: k });
      expect(Math.abs(sum(r.weights) - 1)).toBeLessThan(1e-15);
      for (const w of r.weights) expect(w).toBeGreaterThan(0);
      expect(new Set(r.clusterOf).size).toBe(k);
    }
  });
});

describe('validation', () => {
  const cov = randomCovariance(1, 5);
  it('rejects bad bounds, an infeasible bound sum, a bad cluster count or linkage, mismatched inputs', () => {
    expect(() => hierarchicalRiskParity(cov, { bounds: [0.3, 1] })).toThrow(InfeasibleError);
    expect(() => hierarchicalRiskParity(cov, { bounds: [0, 0.1] })).toThrow(/upper bounds sum to 0.5/);
    expect(() => hierarchicalRiskParity(cov, { bounds: [-0.1, 1] })).toThrow(ValidationError);
    expect(() => hierarchicalRiskParity(cov, { bounds: { lower: [0, 0], upper: 1 } })).toThrow(/5 numbers/);
    expect(() => hierarchicalEqualRiskContribution(cov, { clusters: 6 })).toThrow(/from 1 to 5/);
    expect(() => hierarchicalEqualRiskContribution(cov, { clusters: 0 })).toThrow(ValidationError);
    expect(() => hierarchicalRiskParity(cov, { linkage: 'median' as LinkageMethod })).toThrow(/unknown linkage/);
    expect(() => hierarchicalRiskParity(cov, { correlation: [1, 0, 0, 1] })).toThrow(/25 numbers/);
    expect(() => hierarchicalRiskParity({ tickers: ['A', 'A'], values: [1, 0, 0, 1] })).toThrow(/appears twice/);
    expect(() => hierarchicalRiskParity({ tickers: ['A', 'B'], values: [1, 0, 0, 0] })).toThrow(/variance of "B"/);
  });

  it('the covariance given to the returns variant must carry the same tickers', () => {
    const prices = datasetPrices(golden.datasets[2] as (typeof golden.datasets)[number]);
    const returns = simpleReturns(prices);
    expect(() => hierarchicalRiskParityFromReturns(returns, { covariance: cov })).toThrow(/same order/);
    const own = sampleCovarianceFromReturns(returns);
    const a = hierarchicalRiskParityFromReturns(returns, { covariance: own });
    expect(a.weights.length).toBe(returns.columnCount);
  });

  it('a single asset gets everything', () => {
    const r = hierarchicalRiskParity({ tickers: ['ONLY'], values: [0.04] });
    expect(Array.from(r.weights)).toEqual([1]);
    expect(Array.from(r.order)).toEqual([0]);
    expect(hierarchicalEqualRiskContribution({ tickers: ['ONLY'], values: [0.04] }).weights[0]).toBe(1);
  });
});

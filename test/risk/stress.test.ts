/**
 * Stress tests by hand and at the edges: episode replays small enough to compute on paper (with a gap, under both
 * missing-asset policies, and episodes outside, partly inside or within one period of the data), a two-asset
 * portfolio under a sector shock, a market shock on an asset that is exactly twice the market, the reverse stress
 * test on a diagonal covariance and on portfolios without variance, the scenario file's messages, and the Monte Carlo
 * distribution of the value against the closed form of normal returns.
 *
 * Monte Carlo tolerances: a sample p-quantile of N draws has the asymptotic standard error `sqrt(p (1 - p) / N) / f(q)`
 * (f the density at the quantile), a mean `sd / sqrt(N)`, a frequency `sqrt(P (1 - P) / N)`; a check passes within 4.5
 * standard errors (a two-sided normal probability below 7e-6). The seeds are fixed, so a pass is a pass for good, and
 * a wrong scale, mean or horizon misses by many standard errors.
 */

import { describe, expect, it } from 'vitest';
import { DatedMatrix } from '../../src/core/dated-matrix.js';
import { parseIsoDate } from '../../src/core/dates.js';
import { DataError, ValidationError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { simpleReturns } from '../../src/core/returns.js';
import { sampleMoments } from '../../src/risk/monte-carlo.js';
import { normalPdf, normalQuantile } from '../../src/risk/normal.js';
import {
  applyScenario,
  estimationSample,
  factorShock,
  horizonDistribution,
  marketModel,
  normalCdf,
  parseScenarioText,
  replayEpisode,
  replayEpisodes,
  reverseStress,
  reverseStressFromCovariance,
  STRESS_EPISODES,
  type StressEpisode,
  selectEpisodes,
  stressBars,
} from '../../src/risk/stress/index.js';

const days = (isos: string[]) => isos.map((d) => parseIsoDate(d));

/** A test episode. */
function episode(start: string, end: string, id = 'test'): StressEpisode {
  return { id, name: id, start, end, description: 'test episode' };
}

/** Prices of A and B on four consecutive weekdays (Monday 2021-01-04 to Thursday 2021-01-07), then 2021-01-11. */
function fourDays(bGap = false): DatedMatrix {
  return DatedMatrix.fromRows(
    days(['2021-01-04', '2021-01-05', '2021-01-06', '2021-01-07', '2021-01-11']),
    ['A', 'B'],
    [
      [100, 50],
      [90, bGap ? Number.NaN : 50],
      [99, 55],
      [80, 55],
      [88, 44],
    ],
    { periodsPerYear: 252 },
  );
}

describe('episode replays by hand', () => {
  it('computes return, drawdown, worst day and buy-and-hold of a rebalanced 50/50 portfolio', () => {
    const r = replayEpisode(fourDays(), { A: 0.5, B: 0.5 }, episode('2021-01-04', '2021-01-07'));
    // Daily portfolio returns: (-0.1 + 0) / 2, (0.1 + 0.1) / 2, (80 / 99 - 1 + 0) / 2.
    const r1 = -0.05;
    const r2 = 0.1;
    const r3 = (80 / 99 - 1) / 2;
    expect(r.status).toBe('covered');
    expect(r.periods).toBe(3);
    expect(r.totalReturn).toBeCloseTo((1 + r1) * (1 + r2) * (1 + r3) - 1, 15);
    expect(r.buyAndHoldReturn).toBeCloseTo(0.5 * (80 / 100 - 1) + 0.5 * (55 / 50 - 1), 15);
    // Wealth 0.95, 1.045, 1.045 (1 + r3): the deepest fall is the last day's, from the peak of 2021-01-06.
    expect(r.maxDrawdown).toBeCloseTo(r3, 15);
    expect(r.maxDrawdownPeak).toBe(parseIsoDate('2021-01-06'));
    expect(r.maxDrawdownTrough).toBe(parseIsoDate('2021-01-07'));
    expect(r.worstPeriod).toBeCloseTo(r3, 15);
    expect(r.worstPeriodDate).toBe(parseIsoDate('2021-01-07'));
    expect([r.from, r.to]).toEqual(days(['2021-01-04', '2021-01-07']));
  });

  it('leaves out an episode where a held asset has a gap, or rescales the others', () => {
    const prices = fourDays(true);
    const e = episode('2021-01-04', '2021-01-07');
    const excluded = replayEpisode(prices, { A: 0.5, B: 0.5 }, e);
    expect(excluded.status).toBe('assets-missing');
    expect(excluded.missing).toEqual(['B']);
    expect(Number.isNaN(excluded.totalReturn)).toBe(true);
    const rescaled = replayEpisode(prices, { A: 0.5, B: 0.5 }, e, { missingAssets: 'renormalize' });
    expect(rescaled.status).toBe('covered');
    expect(rescaled.weights).toEqual({ A: 1 });
    expect(rescaled.totalReturn).toBeCloseTo(80 / 100 - 1, 15);
    // An asset not held does not matter.
    expect(replayEpisode(prices, { A: 1 }, e).totalReturn).toBeCloseTo(-0.2, 15);
  });

  it('reports episodes outside the data, partly in it or within one period as not replayed, never as 0', () => {
    const prices = fourDays();
    const w = { A: 0.5, B: 0.5 };
    const outside = replayEpisode(prices, w, episode('2019-01-02', '2019-03-01'));
    expect(outside.status).toBe('outside');
    expect([outside.from, outside.to, outside.periods]).toEqual([null, null, 0]);
    for (const x of [outside.totalReturn, outside.maxDrawdown, outside.worstPeriod, outside.buyAndHoldReturn]) {
      expect(Number.isNaN(x)).toBe(true);
    }
    const partial = replayEpisode(prices, w, episode('2021-01-06', '2021-02-01'));
    expect(partial.status).toBe('partial');
    expect([partial.from, partial.to]).toEqual(days(['2021-01-06', '2021-01-11']));
    expect(Number.isNaN(partial.totalReturn)).toBe(true);
    // A weekend between two closes: no close inside the episode.
    const weekend = replayEpisode(prices, w, episode('2021-01-09', '2021-01-10'));
    expect(weekend.status).toBe('too-short');
    expect([weekend.from, weekend.to]).toEqual(days(['2021-01-07', '2021-01-11']));
    expect(Number.isNaN(weekend.totalReturn)).toBe(true);
    const bars = stressBars(
      replayEpisodes(prices, w, [episode('2021-01-04', '2021-01-07', 'in'), episode('2019-01-02', '2019-03-01')]),
    );
    expect(bars.map((b) => b.id)).toEqual(['in']);
    expect(Number.isNaN(bars[0]?.benchmark as number)).toBe(true);
  });

  it('takes month-end closes of monthly data dated on the first', () => {
    const prices = DatedMatrix.fromRows(
      days(['2020-01-01', '2020-02-01', '2020-03-01', '2020-04-01']),
      ['A'],
      [[100], [90], [60], [75]],
      { periodsPerYear: 12 },
    );
    // 2020-02-19 to 2020-03-23: from the close of January (dated 2020-01-01) to the close of March (2020-03-01).
    const r = replayEpisode(prices, [1], STRESS_EPISODES.find((e) => e.id === 'covid-crash-2020') as StressEpisode);
    expect([r.from, r.to]).toEqual(days(['2020-01-01', '2020-03-01']));
    expect(r.totalReturn).toBeCloseTo(-0.4, 15);
    const observed = replayEpisode(prices, [1], episode('2020-02-19', '2020-03-23'), { dateConvention: 'observation' });
    expect([observed.from, observed.to]).toEqual(days(['2020-02-01', '2020-04-01']));
  });

  it('selects episodes by id and names an unknown one', () => {
    expect(selectEpisodes(['gfc-2007', 'covid-crash-2020']).map((e) => e.start)).toEqual(['2007-10-09', '2020-02-19']);
    expect(() => selectEpisodes(['gfc-2008'])).toThrow(
      /unknown stress episode "gfc-2008"; the episodes are crash-1987/,
    );
    expect(selectEpisodes()).toHaveLength(STRESS_EPISODES.length);
  });
});

/** Daily returns of A (tech), B (energy) and a market M, 40 dates; B is exactly twice the market. */
function twoAssets(): { returns: DatedMatrix; market: { name: string; dates: Int32Array; returns: Float64Array } } {
  const rng = new Random(11);
  const t = 40;
  const dates = Int32Array.from({ length: t }, (_, i) => parseIsoDate('2021-03-01') + i);
  const m = Float64Array.from({ length: t }, () => 0.01 * rng.normal());
  const a = Float64Array.from(m, (x) => 0.8 * x + 0.005 * rng.normal());
  const b = Float64Array.from(m, (x) => 2 * x);
  return {
    returns: DatedMatrix.fromColumns(dates, ['A', 'B'], [a, b], { periodsPerYear: 252 }),
    market: { name: 'M', dates, returns: m },
  };
}

describe('hypothetical and factor shocks by hand', () => {
  it('moves a two-asset portfolio by its weight in a sector shocked by -10%', () => {
    const { returns } = twoAssets();
    const s = applyScenario(
      { returns, weights: { A: 0.6, B: 0.4 }, sectors: { A: 'Tech', B: 'Energy' } },
      { name: 'tech down', sectors: { Tech: -0.1 } },
    );
    expect(s.pnl).toBeCloseTo(-0.06, 15);
    expect(s.assets.map((a) => [a.ticker, a.move, a.origin, a.contribution])).toEqual([
      ['A', -0.1, 'sector', 0.6 * -0.1],
      ['B', 0, 'none', 0],
    ]);
    expect(s.band).toBeNull();
    expect(s.sectors).toEqual({ Tech: { weight: 0.6, pnl: 0.6 * -0.1 }, Energy: { weight: 0.4, pnl: 0 } });
    // An asset move overrides its sector's.
    const both = applyScenario(
      { returns, weights: { A: 0.6, B: 0.4 }, sectors: { A: 'Tech', B: 'Tech' } },
      { name: 'x', sectors: { Tech: -0.1 }, assets: { B: 0.05 } },
    );
    expect(both.pnl).toBeCloseTo(0.6 * -0.1 + 0.4 * 0.05, 15);
  });

  it('moves an asset that is twice the market by twice the market move, with no residual band', () => {
    const { returns, market } = twoAssets();
    const model = marketModel(estimationSample(returns, ['A', 'B'], market));
    expect(model.betas[1]).toBeCloseTo(2, 13);
    const f = factorShock(model, [0, 1], -0.2, { horizon: 5 });
    expect(f.move).toBeCloseTo(-0.4, 13);
    expect(f.residualVolatility).toBeLessThan(1e-15);
    // Through a scenario: B follows beta X; A, shocked, keeps its own move.
    const s = applyScenario(
      { returns, weights: { A: 0.5, B: 0.5 }, market },
      { name: 'm', market: -0.2, assets: { A: -0.1 } },
    );
    expect(s.assets.map((a) => a.origin)).toEqual(['asset', 'market']);
    expect(s.pnl).toBeCloseTo(0.5 * -0.1 + 0.5 * -0.4, 13);
    // The band's variance is a Schur complement S_BB - S_BM S_MB / S_MM: 0 up to the rounding of S_BB (about
    // 1e-16 * 4e-4 per period here), whose square root is about 1e-10.
    expect(s.band?.volatility).toBeLessThan(1e-9);
  });

  it('explains a market move without market returns, an unknown ticker or sector, and a bad move', () => {
    const { returns } = twoAssets();
    const input = { returns, weights: { A: 1 }, sectors: { A: 'Tech' } };
    expect(() => applyScenario(input, { name: 's', market: -0.1 })).toThrow(/give a benchmark/);
    expect(() => applyScenario(input, { name: 's', assets: { Z: -0.1 } })).toThrow(DataError);
    expect(() => applyScenario(input, { name: 's', assets: { Z: -0.1 } })).toThrow(
      /scenario "s" moves "Z", which is not in the data/,
    );
    expect(() => applyScenario(input, { name: 's', sectors: { Oil: -0.1 } })).toThrow(
      /sector "Oil".*the sectors are Tech/,
    );
    expect(() => applyScenario(input, { name: 's', assets: { A: -1.5 } })).toThrow(ValidationError);
    expect(() => applyScenario({ returns, weights: { A: 1 } }, { name: 's', sectors: { Tech: -0.1 } })).toThrow(
      /needs a sector map/,
    );
  });
});

describe('reverse stress test', () => {
  it('finds x = -L S w / (w S w) on a diagonal covariance', () => {
    const r = reverseStressFromCovariance([0.04, 0, 0, 0.01], ['A', 'B'], [0.5, 0.5], 0.1, { horizon: 4 });
    // S w = (0.02, 0.005), w'S w = 0.0125: x = -0.1 (0.02, 0.005) / 0.0125, whatever the horizon.
    expect(r.moves[0]).toBeCloseTo(-0.16, 15);
    expect(r.moves[1]).toBeCloseTo(-0.04, 15);
    expect(r.volatility).toBeCloseTo(Math.sqrt(4 * 0.0125), 15);
    expect(r.mahalanobisDistance).toBeCloseTo(0.1 / Math.sqrt(0.05), 14);
    expect(r.probability).toBe(normalCdf(-r.mahalanobisDistance));
    expect(r.movesInSigmas[0]).toBeCloseTo(-0.16 / Math.sqrt(4 * 0.04), 14);
    expect(r.movesInSigmas[1]).toBeCloseTo(-0.04 / Math.sqrt(4 * 0.01), 14);
  });

  it('refuses a portfolio without variance with a ValidationError', () => {
    const dates = Int32Array.from({ length: 5 }, (_, i) => 19000 + i);
    const constant = DatedMatrix.fromColumns(dates, ['C'], [new Float64Array(5).fill(0.001)]);
    expect(() => reverseStress(constant, [1], 0.1)).toThrow(ValidationError);
    expect(() => reverseStress(constant, [1], 0.1)).toThrow(/variance w'Sw .* is 0/);
    const x = Float64Array.from([0.01, -0.02, 0.03, 0.0, -0.01]);
    const hedged = DatedMatrix.fromColumns(dates, ['X', 'Y'], [x, Float64Array.from(x)]);
    expect(() => reverseStress(hedged, [1, -1], 0.1)).toThrow(ValidationError);
    expect(() => reverseStressFromCovariance([0.04], ['A'], [1], 0)).toThrow(/positive fraction/);
  });
});

describe('scenario files', () => {
  it('reads scenarios from an object or an array', () => {
    const text = JSON.stringify({
      scenarios: [
        { name: 'a', assets: { A: -0.2 } },
        { name: 'b', market: -0.1, propagate: true, horizon: 5 },
      ],
    });
    expect(parseScenarioText(text, 'f.json')).toEqual([
      { name: 'a', assets: { A: -0.2 } },
      { name: 'b', market: -0.1, propagate: true, horizon: 5 },
    ]);
    expect(parseScenarioText('[{"name": "s", "sectors": {"Tech": -0.3}}]', 'f.json')).toEqual([
      { name: 's', sectors: { Tech: -0.3 } },
    ]);
  });

  it('names the file, the scenario and the key at fault', () => {
    const bad = (doc: unknown) => () => parseScenarioText(JSON.stringify(doc), 'my.json');
    expect(bad([{ name: 's', asset: { A: -0.2 } }])).toThrow(
      /^my\.json: scenario 1 \("s"\): unknown key "asset"; the keys are name, description, assets/,
    );
    expect(bad([{ name: 's', assets: { A: 'x' } }])).toThrow(
      /^my\.json: scenario 1 \("s"\): "assets\.A" must be a number/,
    );
    expect(
      bad([
        { name: 'ok', assets: { A: -0.1 } },
        { name: 't', market: -2 },
      ]),
    ).toThrow(/^my\.json: scenario 2 \("t"\): "market" must be at least -1.*found -2/);
    expect(bad([{ name: 's' }])).toThrow(/^my\.json: scenario 1 \("s"\) has no move/);
    expect(bad([{ assets: { A: -0.1 } }])).toThrow(/^my\.json: scenario 1: "name"/);
    expect(bad([{ name: 's', market: -0.1, horizon: 1.5 }])).toThrow(/"horizon" must be a whole number/);
    expect(bad({ scenario: [] })).toThrow(/^my\.json: unknown key "scenario"/);
    expect(bad([])).toThrow(/at least one scenario/);
    expect(
      bad([
        { name: 's', market: -0.1 },
        { name: 's', market: -0.2 },
      ]),
    ).toThrow(/names must be unique/);
    expect(() => parseScenarioText('{"scenarios": [', 'my.json')).toThrow(/^my\.json is not valid JSON/);
    expect(bad([{ name: 's', assets: { A: -0.1 } }])).not.toThrow();
    expect(bad([{ name: 's', market: -0.1 }])).not.toThrow(DataError);
  });
});

describe('normalCdf', () => {
  it('is symmetric, monotone and exact at 0 and the infinities', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(Number.isNaN(normalCdf(Number.NaN))).toBe(true);
    let prev = 0;
    for (let x = -40; x <= 9; x += 0.125) {
      const p = normalCdf(x);
      expect(p).toBeGreaterThanOrEqual(prev);
      prev = p;
      if (Math.abs(x) < 5) expect(Math.abs(p + normalCdf(-x) - 1)).toBeLessThan(2e-16);
    }
    // Consistent with the quantile function of normal.ts where both are accurate.
    for (const p of [1e-10, 0.001, 0.05, 0.5, 0.9]) {
      expect(Math.abs(normalCdf(normalQuantile(p)) / p - 1)).toBeLessThan(1e-12);
    }
  });
});

describe('Monte Carlo distribution of the value at the horizon', () => {
  // Returns of three assets: 600 periods, seeded; what matters is their sample mean and covariance.
  const rng = new Random(2024);
  const t = 600;
  const dates = Int32Array.from({ length: t }, (_, i) => 18000 + i);
  const f = Float64Array.from({ length: t }, () => rng.normal());
  const cols = [0.012, 0.02, 0.008].map((beta, j) =>
    Float64Array.from(f, (x) => 0.0004 * (j + 1) + beta * x + 0.01 * rng.normal()),
  );
  const assets = DatedMatrix.fromColumns(dates, ['A', 'B', 'C'], cols);
  const w = [0.5, 0.3, 0.4]; // sum 1.2: leverage; the cash is -0.2 at a zero return
  const { mu, cov } = sampleMoments(assets.values, t, 3);
  let m = 0;
  let v = 0;
  for (let i = 0; i < 3; i++) {
    m += (w[i] as number) * (mu[i] as number);
    for (let j = 0; j < 3; j++) v += (w[i] as number) * (w[j] as number) * (cov[i * 3 + j] as number);
  }
  const sd = Math.sqrt(v);
  const paths = 200_000;
  const SE = 4.5;

  it('matches the normal closed form at one period: percentiles, mean and loss probabilities', () => {
    const d = horizonDistribution(assets, w, {
      paths,
      seed: 5,
      percentiles: [1, 5, 50, 95],
      lossThresholds: [0.01, 0.03],
    });
    // V = 1 + w'x with x normal: V ~ N(1 + w'mu, w'S w).
    for (const { percentile, value } of d.percentiles) {
      const p = percentile / 100;
      const z = normalQuantile(p);
      const se = Math.sqrt((p * (1 - p)) / paths) / (normalPdf(z) / sd);
      expect(Math.abs(value - (1 + m + sd * z)), `p${percentile}`).toBeLessThan(SE * se);
    }
    expect(Math.abs(d.mean - (1 + m))).toBeLessThan((SE * sd) / Math.sqrt(paths));
    for (const { threshold, probability } of d.lossProbabilities) {
      const want = normalCdf((-threshold - m) / sd);
      expect(Math.abs(probability - want), `loss ${threshold}`).toBeLessThan(
        SE * Math.sqrt((want * (1 - want)) / paths),
      );
    }
    // Seeded: the same seed gives the same values, another seed others.
    const again = horizonDistribution(assets, w, { paths: 1000, seed: 5 });
    expect(horizonDistribution(assets, w, { paths: 1000, seed: 5 }).values).toEqual(again.values);
    expect(horizonDistribution(assets, w, { paths: 1000, seed: 6 }).values).not.toEqual(again.values);
  });

  it('compounds over the horizon: the mean is 1 + sum w_i ((1 + mu_i)^h - 1)', () => {
    const h = 10;
    const d = horizonDistribution(assets, w, { paths, seed: 9, horizon: h });
    let want = 1;
    for (let i = 0; i < 3; i++) want += (w[i] as number) * ((1 + (mu[i] as number)) ** h - 1);
    let s2 = 0;
    for (const x of d.values) s2 += (x - d.mean) ** 2;
    const sdV = Math.sqrt(s2 / (paths - 1));
    expect(Math.abs(d.mean - want)).toBeLessThan((SE * sdV) / Math.sqrt(paths));
    // The spread grows like sqrt(h) (to first order in the small returns).
    expect(Math.abs(sdV / (sd * Math.sqrt(h)) - 1)).toBeLessThan(0.03);
  });

  it('rejects bad percentiles, thresholds and weight counts', () => {
    expect(() => horizonDistribution(assets, w, { percentiles: [101] })).toThrow(ValidationError);
    expect(() => horizonDistribution(assets, w, { lossThresholds: [Number.NaN] })).toThrow(ValidationError);
    expect(() => horizonDistribution(assets, [1, 0], {})).toThrow(/2 weights for 3 assets/);
  });
});

describe('estimation sample', () => {
  it('keeps the dates on which every series has a return, and says when too few remain', () => {
    const prices = fourDays(true);
    const s = estimationSample(simpleReturns(prices), ['A', 'B']);
    // Returns on 01-05 (B missing), 01-06 (B missing: no price before), 01-07, 01-11.
    expect(s.rowCount).toBe(2);
    expect(s.droppedDates).toBe(2);
    expect(() => estimationSample(simpleReturns(prices), ['A', 'B'], undefined, 3)).toThrow(/only 2 dates of 4/);
  });
});

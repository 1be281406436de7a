/**
 * Ill-posed input is a ValidationError (never NaN weights); constraints that cannot hold are an InfeasibleError whose
 * message names the conflict and its numbers, on both solvers.
 */

import { describe, expect, it } from 'vitest';
import { InfeasibleError, ValidationError } from '../../src/core/errors.js';
import {
  efficientFrontier,
  type MeanVarianceProblem,
  type Objective,
  optimize,
  optimizeSync,
} from '../../src/optimize/index.js';

/** Four assets, positive definite covariance (vols 15-30%, correlation 0.3), returns 5% to 31%. */
const mu = [0.05, 0.12, 0.2, 0.31];
const vols = [0.15, 0.2, 0.25, 0.3];
const cov = vols.flatMap((a, i) => vols.map((b, j) => (i === j ? a * a : 0.3 * a * b)));
const tickers = ['AAA', 'BBB', 'CCC', 'DDD'];
const base: MeanVarianceProblem = { expectedReturns: mu, covariance: cov, tickers };

async function rejectsBoth(
  problem: MeanVarianceProblem,
  objective: Objective,
  type: new (message: string) => Error,
  message: RegExp,
): Promise<void> {
  for (const solver of ['auto', 'highs'] as const) {
    const run = optimize(problem, objective, { solver });
    await expect(run, solver).rejects.toThrow(type);
    await expect(run, solver).rejects.toThrow(message);
  }
}

describe('ValidationError for ill-posed input', () => {
  const minVol: Objective = { kind: 'min-volatility' };
  it.each([
    [
      'NaN in the expected returns',
      { ...base, expectedReturns: [0.05, Number.NaN, 0.2, 0.31] },
      /expected return of BBB is NaN/,
    ],
    [
      'an infinite expected return',
      { ...base, expectedReturns: [0.05, Infinity, 0.2, 0.31] },
      /expected return of BBB is Infinity/,
    ],
    [
      'NaN in the covariance',
      { ...base, covariance: cov.map((v, k) => (k === 6 ? Number.NaN : v)) },
      /covariance of BBB and CCC is NaN/,
    ],
    [
      'a non-symmetric covariance',
      { ...base, covariance: cov.map((v, k) => (k === 1 ? v + 0.01 : v)) },
      /not symmetric: entry \(BBB, AAA\)/,
    ],
    [
      'a covariance that is not positive semidefinite',
      {
        ...base,
        covariance: [1, 0.9, 0.9, 0, 0.9, 1, -0.9, 0, 0.9, -0.9, 1, 0, 0, 0, 0, 1],
      },
      /not positive semidefinite/,
    ],
    [
      'a negative variance',
      { ...base, covariance: cov.map((v, k) => (k === 0 ? -0.01 : v)) },
      /variance of AAA is negative/,
    ],
    ['a covariance of the wrong size', { ...base, covariance: cov.slice(0, 9) }, /9 numbers; 4 assets need 4 x 4 = 16/],
    [
      'covariance rows of the wrong length',
      { ...base, covariance: [[1, 0], [0, 1], [0], [1]] },
      /row 1 \(AAA\) has 2 values/,
    ],
    ['more tickers than returns', { ...base, tickers: [...tickers, 'EEE'] }, /5 tickers for 4 expected returns/],
    ['a repeated ticker', { ...base, tickers: ['AAA', 'AAA', 'CCC', 'DDD'] }, /"AAA" appears twice/],
    [
      'inverted bounds',
      { ...base, bounds: { lower: [0, 0.5, 0, 0], upper: [1, 0.4, 1, 1] } },
      /bounds of BBB are inverted/,
    ],
    ['NaN bounds', { ...base, bounds: [Number.NaN, 1] as [number, number] }, /lower weight bound is NaN/],
    [
      'a limit on an unknown sector',
      { ...base, sectors: { map: { AAA: 'Tech' }, upper: { Energy: 0.3 } } },
      /sector "Energy" has a maximum but none of the assets belongs to it \(sectors: Tech\)/,
    ],
    ['a negative L2 coefficient', { ...base, l2: -1 }, /L2 regularisation must be at least 0/],
    ['a non-positive volatility cap', { ...base, maxVolatility: 0 }, /volatility cap must be positive/],
    ['a negative turnover limit', { ...base, maxTurnover: -0.1 }, /turnover limit must be at least 0/],
    ['current weights of the wrong length', { ...base, currentWeights: [0.5, 0.5] }, /2 values for 4 assets/],
  ] as [string, MeanVarianceProblem, RegExp][])('%s', (_name, problem, message) => {
    expect(() => optimizeSync(problem, minVol)).toThrow(ValidationError);
    expect(() => optimizeSync(problem, minVol)).toThrow(message);
  });

  it.each([
    [{ kind: 'max-utility', riskAversion: 0 }, /risk aversion must be a positive number/],
    [{ kind: 'efficient-risk', targetVolatility: -0.1 }, /target volatility must be a positive number/],
    [{ kind: 'efficient-return', targetReturn: Number.NaN }, /target return must be a finite number/],
    [{ kind: 'max-return' }, /unknown objective "max-return"/],
  ] as [Objective, RegExp][])('objective %o', (objective, message) => {
    expect(() => optimizeSync(base, objective)).toThrow(message);
  });

  it('market-neutral minimum volatility and maximum Sharpe are refused with the alternatives', () => {
    const neutral = { ...base, marketNeutral: true, bounds: [-0.5, 0.5] as [number, number] };
    expect(() => optimizeSync(neutral, { kind: 'min-volatility' })).toThrow(/all cash; use efficient-return/);
    expect(() => optimizeSync(neutral, { kind: 'max-sharpe' })).toThrow(/no maximiser; use efficient-risk/);
    expect(
      optimizeSync(neutral, { kind: 'max-utility', riskAversion: 5 }).weights.reduce((a, b) => a + b, 0),
    ).toBeCloseTo(0, 12);
  });

  it('an unknown solver and a bad number of frontier points are refused', async () => {
    expect(() => optimizeSync(base, { kind: 'min-volatility' }, { solver: 'cplex' as 'highs' })).toThrow(
      /unknown solver "cplex"/,
    );
    await expect(efficientFrontier(base, { points: 1 })).rejects.toThrow(/from 2 to 10,000, got 1/);
  });

  it('carries exit code 2', () => {
    expect(new ValidationError('x').exitCode).toBe(2);
  });
});

describe('InfeasibleError naming the conflict', () => {
  it('minimum weights above the budget', async () => {
    await rejectsBoth(
      { ...base, bounds: [0.3, 1] },
      { kind: 'min-volatility' },
      InfeasibleError,
      /minimum weights sum to 1\.2 but the budget is 1/,
    );
  });

  it('maximum weights below the budget', async () => {
    await rejectsBoth(
      { ...base, bounds: [0, 0.2] },
      { kind: 'min-volatility' },
      InfeasibleError,
      /maximum weights sum to 0\.8 but the budget is 1/,
    );
  });

  it("a sector maximum below its assets' minimums", async () => {
    const problem = {
      ...base,
      bounds: { lower: [0.1, 0.1, 0.1, 0], upper: [1, 1, 1, 1] },
      sectors: { map: { AAA: 'Tech', BBB: 'Tech', CCC: 'Tech', DDD: 'Energy' }, upper: { Tech: 0.2 } },
    };
    await rejectsBoth(
      problem,
      { kind: 'max-sharpe' },
      InfeasibleError,
      /sector Tech max 0\.2 but its assets' minimums sum to 0\.3/,
    );
  });

  it("a sector minimum above its assets' maximums", async () => {
    const problem = {
      ...base,
      bounds: { lower: [0, 0, 0, 0], upper: [0.1, 0.1, 1, 1] },
      sectors: { map: { AAA: 'Tech', BBB: 'Tech' }, lower: { Tech: 0.4 } },
    };
    await rejectsBoth(
      problem,
      { kind: 'min-volatility' },
      InfeasibleError,
      /sector Tech min 0\.4 but its assets' maximums sum to 0\.2/,
    );
  });

  it('sector maximums that cannot hold the budget', async () => {
    const problem = {
      ...base,
      sectors: { map: { AAA: 'A', BBB: 'A', CCC: 'B', DDD: 'B' }, upper: { A: 0.3, B: 0.4 } },
    };
    await rejectsBoth(
      problem,
      { kind: 'min-volatility' },
      InfeasibleError,
      /sector maximums .* add up to 0\.7 but the budget is 1/,
    );
  });

  it('a target return above the maximum attainable', async () => {
    await rejectsBoth(
      base,
      { kind: 'efficient-return', targetReturn: 0.5 },
      InfeasibleError,
      /target return 0\.5 is above the maximum attainable 0\.31/,
    );
  });

  it('a target volatility below the minimum volatility', async () => {
    const mv = optimizeSync(base, { kind: 'min-volatility' }).volatility;
    await rejectsBoth(
      base,
      { kind: 'efficient-risk', targetVolatility: 0.05 },
      InfeasibleError,
      new RegExp(
        `target volatility 0\\.05 is below the minimum volatility ${mv.toPrecision(6).replace(/0+$/, '').replace('.', '\\.')}`,
      ),
    );
  });

  it('max Sharpe when no asset beats the risk-free rate names the rate and suggests alternatives', async () => {
    await rejectsBoth(
      { ...base, riskFreeRate: 0.35 },
      { kind: 'max-sharpe' },
      InfeasibleError,
      /no asset's expected return exceeds the risk-free rate 0\.35 \(the highest is 0\.31, DDD\).*use min volatility .* or a lower --risk-free/,
    );
  });

  it('a turnover limit too small to reach the other constraints', async () => {
    const problem = { ...base, bounds: [0, 0.5] as [number, number], currentWeights: [1, 0, 0, 0], maxTurnover: 0.2 };
    await rejectsBoth(
      problem,
      { kind: 'min-volatility' },
      InfeasibleError,
      /turnover limit 0\.2 but .* needs turnover of at least 1\b/,
    );
  });

  it('a gross leverage limit below what the bounds force', async () => {
    const problem = {
      ...base,
      bounds: { lower: [-1, -1, -1, -1], upper: [-0.5, 3, 3, 3] },
      maxLeverage: 1.5,
    };
    await rejectsBoth(
      problem,
      { kind: 'min-volatility' },
      InfeasibleError,
      /gross leverage limit 1\.5 but the other constraints need gross leverage of at least 2\b/,
    );
  });

  it('a volatility cap below the minimum volatility, and a target return beyond the cap', async () => {
    await rejectsBoth(
      { ...base, maxVolatility: 0.01 },
      { kind: 'min-volatility' },
      InfeasibleError,
      /the volatility cap 0\.01 is below the minimum volatility/,
    );
    await rejectsBoth(
      { ...base, maxVolatility: 0.16 },
      { kind: 'efficient-return', targetReturn: 0.3 },
      InfeasibleError,
      /target return 0\.3 needs volatility 0\.2\d+, above the volatility cap 0\.16: lower the target or raise the cap/,
    );
  });

  it('carries exit code 4', () => {
    expect(new InfeasibleError('x').exitCode).toBe(4);
  });
});

/**
 * A singular covariance (fewer returns than assets, perfectly correlated assets): solved exactly enough by the
 * active-set engine with a bounded ridge instead of HiGHS (whose QP solver 1.15 returns wrong "optimal" answers on
 * such problems), and a maximum Sharpe ratio that is unbounded because a riskless combination beats the risk-free
 * rate is reported as such.
 */

import { describe, expect, it } from 'vitest';
import { InfeasibleError } from '../../src/core/errors.js';
import { loadPrices } from '../../src/data/load-prices.js';
import { estimateReturns, estimateRisk } from '../../src/estimate/models.js';
import { efficientRisk, maxSharpe, minVolatility } from '../../src/optimize/mean-variance.js';
import type { MeanVarianceProblem } from '../../src/optimize/problem.js';

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('a sample covariance of 4 returns for 5 assets (rank 3)', () => {
  const prices = loadPrices('sample:stocks').between('2005-01-01', '2005-05-01');
  const cov = estimateRisk(prices, 'sample', { periodsPerYear: 12 }).values;
  const problem: MeanVarianceProblem = {
    expectedReturns: new Float64Array(5),
    covariance: cov,
    tickers: prices.tickers,
  };

  it('minimum volatility: the active-set engine with a bounded ridge, matching cvxpy/Clarabel', async () => {
    for (const covarianceCheck of ['full', 'fast'] as const) {
      const r = await minVolatility(problem, { covarianceCheck });
      expect(r.solver).toBe('active-set');
      // Checked, the covariance is known singular: the ridge (noted). Unchecked, the engine meets no singular factor
      // here (the held assets' covariance is definite) and solves it as it is.
      if (covarianceCheck === 'full') {
        expect(r.notes.join(' ')).toMatch(/covariance is singular.*ridge of .* within .* of the optimum/);
      }
      // cvxpy 1.9.3 / Clarabel (tolerances 1e-12) on the same matrix, long-only, budget 1: minimum variance
      // 0.004973315366749389 at w = (0.656019623, 0, 0.343980377, 0, 0) (MSFT, AMZN, IBM, GOOG, AAPL).
      expect(Math.abs(r.volatility ** 2 - 0.004973315366749389)).toBeLessThan(1e-12);
      expect(r.weights[0]).toBeCloseTo(0.656019623, 7);
      expect(r.weights[2]).toBeCloseTo(0.343980377, 7);
    }
  });
});

describe('efficient risk on the same window (cagr returns, target volatility 0.3)', () => {
  const prices = loadPrices('sample:stocks').between('2005-01-01', '2005-05-01');
  const problem: MeanVarianceProblem = {
    expectedReturns: estimateReturns(prices, 'cagr', { periodsPerYear: 12 }).values,
    covariance: estimateRisk(prices, 'sample', { periodsPerYear: 12 }).values,
    tickers: prices.tickers,
  };

  it('stays within the target and within the certified bound of the cvxpy/Clarabel optimum', async () => {
    const r = await efficientRisk(problem, 0.3);
    expect(r.solver).toBe('active-set');
    const note = r.notes.join(' ');
    const bound = Number(/the objective is within ([0-9.e-]+) of the optimum/.exec(note)?.[1]);
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThan(1e-5);
    // cvxpy 1.9.3 / Clarabel: maximum return 0.9416085235515572 at volatility 0.3 (w = 0, 0, 0.2862, 0.5735, 0.1403).
    const best = 0.9416085235515572;
    expect(r.volatility).toBeLessThanOrEqual(0.3 * (1 + 1e-12));
    expect(r.expectedReturn).toBeLessThanOrEqual(best + 1e-9);
    expect(best - r.expectedReturn).toBeLessThanOrEqual(bound + 1e-9);
  });
});

describe('maximum Sharpe with a riskless combination of the assets', () => {
  // Assets A and B are perfectly correlated (volatility 1 and 2): w = (2, -1, 0) has zero variance and earns
  // 2 * 0.2 - 0.1 = 0.3 > 0, so the Sharpe ratio is unbounded although every bound is finite.
  const problem: MeanVarianceProblem = {
    expectedReturns: [0.2, 0.1, 0.05],
    covariance: [1, 2, 0, 2, 4, 0, 0, 0, 1],
    tickers: ['A', 'B', 'C'],
    bounds: [-1, 2],
  };

  it.each(['auto', 'highs'] as const)(
    'says why the ratio is unbounded and what to change (solver %s)',
    async (solver) => {
      const e = await rejection(maxSharpe(problem, { solver }));
      expect(e).toBeInstanceOf(InfeasibleError);
      expect(e.message).toMatch(/Sharpe ratio is unbounded: the covariance is singular and a riskless combination/);
      expect(e.message).toContain('earns 0.3, above the risk-free hurdle 0');
      expect(e.message).toMatch(/longer window.*ledoit-wolf.*long-only bounds/);
      expect(e.message).not.toMatch(/set finite weight bounds/);
    },
  );

  it('is bounded when no riskless portfolio beats the risk-free rate (long-only; or a hurdle above 0.3)', async () => {
    const longOnly = await maxSharpe({ ...problem, bounds: [0, 1] });
    expect(longOnly.sharpe).toBeGreaterThan(0);
    expect(Number.isFinite(longOnly.sharpe)).toBe(true);
    const e = await rejection(maxSharpe({ ...problem, riskFreeRate: 0.29 }));
    expect(e.message).toContain('earns 0.3, above the risk-free hurdle 0.29');
  });
});

/**
 * Result and option types shared by the estimators. Every result is labelled with its tickers (in the column order
 * of the input) and is annualised with the periods per year it states.
 */

import type { GapPolicy } from '../core/returns.js';

/** How an expected-returns vector was estimated. */
export type ExpectedReturnsMethod = 'mean' | 'geometric' | 'ema' | 'capm' | 'james-stein';

/** Expected returns per asset: annual, as fractions (0.08 is 8% a year). */
export interface ExpectedReturns {
  readonly tickers: readonly string[];
  /** One annual expected return per ticker, in ticker order. */
  readonly values: Float64Array;
  /** Periods per year used to annualise. */
  readonly periodsPerYear: number;
  readonly method: ExpectedReturnsMethod;
}

/** CAPM expected returns with the betas and market return behind them. */
export interface CapmReturns extends ExpectedReturns {
  readonly method: 'capm';
  /** Beta of each asset against the market, in ticker order (pure numbers). */
  readonly betas: Float64Array;
  /** The market's annual expected return used (geometric or arithmetic, see `compounding`). */
  readonly marketReturn: number;
  /** The annual risk-free rate used. */
  readonly riskFreeRate: number;
}

/** James-Stein expected returns with the shrinkage applied. */
export interface JamesSteinReturns extends ExpectedReturns {
  readonly method: 'james-stein';
  /** Weight c of the grand mean, from 0 (no shrinkage) to 1 (every asset gets the grand mean). */
  readonly shrinkage: number;
  /** The grand mean (average of the assets' arithmetic means), annual. */
  readonly grandMean: number;
  /** The number of observations T in the shrinkage formula (the smallest per-asset count of returns). */
  readonly observations: number;
}

/** How a covariance matrix was estimated. */
export type CovarianceMethod = 'sample' | 'semicovariance' | 'exponential' | 'ledoit-wolf' | 'oas';

/** A covariance matrix of returns: annual (per-period covariance times periods per year), fractions squared. */
export interface CovarianceMatrix {
  readonly tickers: readonly string[];
  /** n x n row-major, symmetric; entry (i, j) is `values[i * n + j]`. */
  readonly values: Float64Array;
  /** What was done to the estimate that the user should know (a PSD repair, dates left out), one sentence each. */
  readonly warnings: readonly string[];
  /** Periods per year used to annualise. */
  readonly periodsPerYear: number;
  readonly method: CovarianceMethod;
}

/** The structured target a shrinkage estimator pulls the sample covariance towards. */
export type ShrinkageTarget = 'constant-variance' | 'single-factor' | 'constant-correlation';

/** A shrinkage covariance estimate `delta F + (1 - delta) S` with its intensity. */
export interface ShrunkCovariance extends CovarianceMatrix {
  readonly method: 'ledoit-wolf' | 'oas';
  readonly target: ShrinkageTarget;
  /** Shrinkage intensity delta, from 0 (the sample covariance S) to 1 (the target F). */
  readonly shrinkage: number;
  /** Number of dates used: those on which every asset has a return. */
  readonly observations: number;
}

/** Options every estimator accepts. */
export interface EstimatorOptions {
  /** Periods per year used to annualise; default: the input matrix's (given or inferred from its dates). */
  readonly periodsPerYear?: number;
}

/** Extra option of the estimators that take prices: how returns are formed across missing prices. */
export interface PriceInputOptions {
  /** Gap policy of `simpleReturns` (default 'nan': no return on either side of a missing price). */
  readonly gaps?: GapPolicy;
}

/**
 * Estimators of expected returns and covariance matrices. Each comes in two layers: `name(prices, options)` takes a
 * DatedMatrix of PRICES and forms simple returns (each asset over its own history); `nameFromReturns(returns,
 * options)` takes per-period simple returns directly. Results are annual (periods per year from the matrix unless
 * `periodsPerYear` is given) and labelled with their tickers.
 */

export { type CapmOptions, capmReturn, capmReturnFromReturns } from './capm.js';
export { type SampleCovarianceOptions, sampleCovariance, sampleCovarianceFromReturns } from './covariance.js';
export { type ExpCovarianceOptions, expCovariance, expCovarianceFromReturns } from './exp-covariance.js';
export {
  type EmaReturnOptions,
  emaReturn,
  emaReturnFromReturns,
  geometricReturn,
  geometricReturnFromReturns,
  meanReturn,
  meanReturnFromReturns,
} from './expected-returns.js';
export { type JamesSteinOptions, jamesSteinReturn, jamesSteinReturnFromReturns } from './james-stein.js';
export { clipToPsd, type PsdRepair, repairPsd } from './psd.js';
export { type SemicovarianceOptions, semicovariance, semicovarianceFromReturns } from './semicovariance.js';
export {
  type LedoitWolfOptions,
  ledoitWolf,
  ledoitWolfFromReturns,
  oracleApproximatingShrinkage,
  oracleApproximatingShrinkageFromReturns,
} from './shrinkage.js';
export type {
  CapmReturns,
  CovarianceMatrix,
  CovarianceMethod,
  EstimatorOptions,
  ExpectedReturns,
  ExpectedReturnsMethod,
  JamesSteinReturns,
  PriceInputOptions,
  ShrinkageTarget,
  ShrunkCovariance,
} from './types.js';

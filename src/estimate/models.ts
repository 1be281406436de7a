/**
 * Estimators by name: the returns models and risk models that `pfopt optimize --returns-model / --risk-model` and
 * pipelines choose from. Each name maps to one estimator of this module's siblings, applied to a price matrix.
 */

import type { DatedMatrix } from '../core/dated-matrix.js';
import { ValidationError } from '../core/errors.js';
import { capmReturn } from './capm.js';
import { sampleCovariance } from './covariance.js';
import { expCovariance } from './exp-covariance.js';
import { emaReturn, geometricReturn, meanReturn } from './expected-returns.js';
import { jamesSteinReturn } from './james-stein.js';
import { semicovariance } from './semicovariance.js';
import { ledoitWolf, oracleApproximatingShrinkage } from './shrinkage.js';
import type { CovarianceMatrix, ExpectedReturns } from './types.js';

/** Names of the expected-returns models. `cagr` is the geometric (compound annual growth) return. */
export const RETURNS_MODELS = ['mean', 'cagr', 'ema', 'capm', 'james-stein'] as const;
export type ReturnsModel = (typeof RETURNS_MODELS)[number];

/** Names of the risk (covariance) models. */
export const RISK_MODELS = [
  'sample',
  'semicovariance',
  'exp',
  'ledoit-wolf',
  'ledoit-wolf-single-factor',
  'ledoit-wolf-constant-correlation',
  'oas',
] as const;
export type RiskModel = (typeof RISK_MODELS)[number];

/** Settings the models share. */
export interface ModelSettings {
  /** Periods per year; default the price matrix's. */
  readonly periodsPerYear?: number;
  /** Span in periods of the exponentially weighted models (ema, exp); default 180. */
  readonly span?: number;
  /** Annual risk-free rate as a decimal, for CAPM; default 0. */
  readonly riskFreeRate?: number;
  /** Benchmark prices (one column) for CAPM; default the equal-weighted market of the assets. */
  readonly benchmark?: DatedMatrix;
  /** Per-period benchmark return of the semicovariance; default 0. */
  readonly semicovarianceBenchmark?: number;
}

/** Default span of the exponentially weighted models in the command line. */
export const DEFAULT_SPAN = 180;

/** Checks a model name, with a message listing the allowed ones. */
export function parseReturnsModel(name: string): ReturnsModel {
  if ((RETURNS_MODELS as readonly string[]).includes(name)) return name as ReturnsModel;
  throw new ValidationError(`unknown returns model ${JSON.stringify(name)}; use one of ${RETURNS_MODELS.join(', ')}`);
}

/** Checks a risk model name, with a message listing the allowed ones. */
export function parseRiskModel(name: string): RiskModel {
  if ((RISK_MODELS as readonly string[]).includes(name)) return name as RiskModel;
  throw new ValidationError(`unknown risk model ${JSON.stringify(name)}; use one of ${RISK_MODELS.join(', ')}`);
}

/** Annual expected returns of the assets in `prices` by the named model. */
export function estimateReturns(
  prices: DatedMatrix,
  model: ReturnsModel,
  settings: ModelSettings = {},
): ExpectedReturns {
  const periods = settings.periodsPerYear === undefined ? {} : { periodsPerYear: settings.periodsPerYear };
  switch (model) {
    case 'mean':
      return meanReturn(prices, periods);
    case 'cagr':
      return geometricReturn(prices, periods);
    case 'ema':
      return emaReturn(prices, { ...periods, span: settings.span ?? DEFAULT_SPAN });
    case 'capm':
      return capmReturn(prices, {
        ...periods,
        riskFreeRate: settings.riskFreeRate ?? 0,
        ...(settings.benchmark === undefined ? {} : { benchmark: settings.benchmark }),
      });
    case 'james-stein':
      return jamesSteinReturn(prices, periods);
  }
}

/** Annual covariance of the assets in `prices` by the named model. */
export function estimateRisk(prices: DatedMatrix, model: RiskModel, settings: ModelSettings = {}): CovarianceMatrix {
  const periods = settings.periodsPerYear === undefined ? {} : { periodsPerYear: settings.periodsPerYear };
  switch (model) {
    case 'sample':
      return sampleCovariance(prices, periods);
    case 'semicovariance':
      return semicovariance(prices, { ...periods, benchmark: settings.semicovarianceBenchmark ?? 0 });
    case 'exp':
      return expCovariance(prices, { ...periods, span: settings.span ?? DEFAULT_SPAN });
    case 'ledoit-wolf':
      return ledoitWolf(prices, { ...periods, target: 'constant-variance' });
    case 'ledoit-wolf-single-factor':
      return ledoitWolf(prices, { ...periods, target: 'single-factor' });
    case 'ledoit-wolf-constant-correlation':
      return ledoitWolf(prices, { ...periods, target: 'constant-correlation' });
    case 'oas':
      return oracleApproximatingShrinkage(prices, periods);
  }
}

/**
 * Validation of a tail-risk problem. Bounds, budget, market neutrality, sectors, expected returns, the covariance and
 * the risk-free rate go through the mean-variance problem's own validation (`normalizeProblem`), so they are read and
 * checked exactly as there; the scenarios, the cardinality limits and the objective are checked here.
 */

import { DatedMatrix } from '../../core/dated-matrix.js';
import { isoDate } from '../../core/dates.js';
import { DataError, ValidationError } from '../../core/errors.js';
import { validatePeriodsPerYear } from '../../core/periods.js';
import { isHistoricalScenarios } from '../../estimate/scenarios.js';
import { type NormalizedProblem, normalizeProblem } from '../problem.js';
import { checkConfidence } from './measures.js';
import type { CardinalityConstraint, TailObjective, TailOptions, TailProblem } from './types.js';

/** The validated problem. */
export interface NormalizedTail {
  /** Bounds, budget, sectors, expected returns (given or from the scenarios), covariance (given or zero), rf. */
  readonly p: NormalizedProblem;
  readonly n: number;
  /** Number of scenarios. */
  readonly T: number;
  /** Scenario returns, column-major: asset j's return in scenario t at R[j * T + t]. */
  readonly R: Float64Array;
  readonly dates: Int32Array;
  readonly periodsPerYear: number;
  /** A covariance was given (volatility and Sharpe ratio are reported). */
  readonly hasCovariance: boolean;
  /** The cardinality limits, or undefined. */
  readonly cardinality: NormalizedCardinality | undefined;
}

/** Cardinality limits with defaults filled in: maxAssets n and minimum positions 0 when absent. */
export interface NormalizedCardinality {
  readonly maxAssets: number;
  readonly minPosition: Float64Array;
}

/** Fields of a MeanVarianceProblem that the tail objectives do not support. */
const UNSUPPORTED = ['maxLeverage', 'currentWeights', 'maxTurnover', 'transactionCost', 'maxVolatility', 'l2'] as const;

/**
 * Validates a tail problem: finite scenarios (at least 2) with unique tickers; expected returns default to
 * `P mean_t(r_t)` (annual, arithmetic); a missing covariance is replaced by zeros for the shared validation only.
 * Throws ValidationError naming the problem (including options of MeanVarianceProblem that do not apply here) and
 * DataError for bad scenario values.
 */
export function normalizeTailProblem(problem: TailProblem, options: TailOptions = {}): NormalizedTail {
  if (problem === null || typeof problem !== 'object') throw new ValidationError('the problem must be an object');
  for (const key of UNSUPPORTED) {
    if ((problem as unknown as Record<string, unknown>)[key] !== undefined) {
      throw new ValidationError(
        `${key} is not available with the tail objectives (CVaR, CDaR, MAD, semivariance): they take bounds, budget, ` +
          'sector limits and cardinality limits',
      );
    }
  }
  const source = problem.scenarios;
  const returns = isHistoricalScenarios(source) ? source.returns : source;
  if (!(returns instanceof DatedMatrix)) {
    throw new ValidationError('scenarios must be a DatedMatrix of per-period returns or historicalScenarios(prices)');
  }
  const n = returns.columnCount;
  const T = returns.rowCount;
  if (n === 0) throw new ValidationError('the scenarios have no assets');
  if (T < 2) throw new DataError(`the scenarios have ${T} row${T === 1 ? '' : 's'}; at least 2 are needed`);
  const R = returns.values;
  for (let j = 0; j < n; j++) {
    for (let t = 0; t < T; t++) {
      const v = R[j * T + t] as number;
      if (!Number.isFinite(v)) {
        throw new DataError(
          `the scenario return of ${JSON.stringify(returns.tickers[j])} on ${isoDate(returns.dates[t] as number)} is ` +
            `${v}; scenarios need a finite return for every asset on every date (build them with historicalScenarios)`,
        );
      }
    }
  }
  if (problem.tickers !== undefined) {
    const same = problem.tickers.length === n && problem.tickers.every((t, i) => t === (returns.tickers[i] as string));
    if (!same) throw new ValidationError("the tickers must be the scenarios' tickers, in the same order");
  }
  let periodsPerYear: number;
  if (problem.periodsPerYear !== undefined) {
    periodsPerYear = validatePeriodsPerYear(problem.periodsPerYear, 'periodsPerYear');
  } else if (isHistoricalScenarios(source)) {
    periodsPerYear = source.periodsPerYear;
  } else {
    periodsPerYear = returns.periodsPerYear;
  }
  let mu = problem.expectedReturns;
  if (mu === undefined) {
    const m = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += R[j * T + t] as number;
      m[j] = (periodsPerYear * s) / T;
    }
    mu = m;
  }
  const hasCovariance = problem.covariance !== undefined;
  const p = normalizeProblem(
    {
      expectedReturns: mu,
      covariance: problem.covariance ?? new Float64Array(n * n),
      tickers: returns.tickers,
      ...(problem.riskFreeRate === undefined ? {} : { riskFreeRate: problem.riskFreeRate }),
      ...(problem.bounds === undefined ? {} : { bounds: problem.bounds }),
      ...(problem.budget === undefined ? {} : { budget: problem.budget }),
      ...(problem.marketNeutral === undefined ? {} : { marketNeutral: problem.marketNeutral }),
      ...(problem.sectors === undefined ? {} : { sectors: problem.sectors }),
    },
    { covarianceCheck: hasCovariance ? (options.covarianceCheck ?? 'full') : 'fast' },
  );
  return {
    p,
    n,
    T,
    R,
    dates: returns.dates,
    periodsPerYear,
    hasCovariance,
    cardinality: readCardinality(problem.cardinality, p),
  };
}

function readCardinality(
  c: CardinalityConstraint | undefined,
  p: NormalizedProblem,
): NormalizedCardinality | undefined {
  if (c === undefined) return undefined;
  if (c === null || typeof c !== 'object') throw new ValidationError('cardinality must be an object');
  const n = p.n;
  if (c.maxAssets === undefined && c.minPosition === undefined) return undefined;
  let maxAssets = n;
  if (c.maxAssets !== undefined) {
    if (!Number.isInteger(c.maxAssets) || c.maxAssets < 1) {
      throw new ValidationError(`the maximum number of assets must be a whole number >= 1, got ${String(c.maxAssets)}`);
    }
    maxAssets = Math.min(c.maxAssets, n);
  }
  const minPosition = new Float64Array(n);
  if (c.minPosition !== undefined) {
    const given = c.minPosition;
    for (let i = 0; i < n; i++) {
      const v = typeof given === 'number' ? given : (given[i] as number);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new ValidationError(
          `the minimum position of ${p.tickers[i]} is ${String(v)}; it must be a finite fraction >= 0`,
        );
      }
      minPosition[i] = v;
    }
    if (typeof given !== 'number' && given.length !== n) {
      throw new ValidationError(`${given.length} minimum positions for ${n} assets`);
    }
    if (!p.longOnly && minPosition.some((v) => v > 0)) {
      throw new ValidationError(
        'a minimum position needs long-only weights (lower bounds >= 0): w_i = 0 or w_i >= m_i has no meaning for a ' +
          'short position here',
      );
    }
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(p.upper[i] as number) || !Number.isFinite(p.lower[i] as number)) {
      throw new ValidationError(
        `cardinality limits need finite weight bounds, but ${p.tickers[i]} has [${p.lower[i]}, ${p.upper[i]}]`,
      );
    }
  }
  return { maxAssets, minPosition };
}

/** Checks an objective's parameters; returns its confidence (0.95 when it has none) and benchmark (0). */
export function validateTailObjective(objective: TailObjective): { confidence: number; benchmark: number } {
  const o = objective as Partial<Record<string, unknown>> & { kind?: unknown };
  const finite = (name: string, v: unknown, what: string): void => {
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new ValidationError(`${name} must be a finite number (${what}), got ${String(v)}`);
    }
  };
  finite('the target return', o.targetReturn, 'annual');
  switch (o.kind) {
    case 'min-cvar':
    case 'min-cdar':
      return { confidence: checkConfidence((o.confidence as number | undefined) ?? 0.95), benchmark: 0 };
    case 'efficient-cvar':
    case 'efficient-cdar': {
      const capKey = o.kind === 'efficient-cvar' ? 'maxCvar' : 'maxCdar';
      finite(`the ${o.kind === 'efficient-cvar' ? 'CVaR' : 'CDaR'} cap`, o[capKey], 'per period');
      if ((o.targetReturn === undefined) === (o[capKey] === undefined)) {
        throw new ValidationError(
          `${o.kind} needs exactly one of a target return (minimise the risk for it) and ${capKey} (maximise the ` +
            'return within it)',
        );
      }
      return { confidence: checkConfidence((o.confidence as number | undefined) ?? 0.95), benchmark: 0 };
    }
    case 'min-mad':
      return { confidence: 0.95, benchmark: 0 };
    case 'min-semivariance':
      finite('the benchmark return', o.benchmark, 'per period');
      return { confidence: 0.95, benchmark: (o.benchmark as number | undefined) ?? 0 };
    default:
      throw new ValidationError(
        `unknown tail objective ${JSON.stringify(o?.kind)}; use min-cvar, efficient-cvar, min-cdar, efficient-cdar, ` +
          'min-mad or min-semivariance',
      );
  }
}

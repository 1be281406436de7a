/**
 * The objectives of `pfopt optimize` that are allocation rules rather than mean-variance programs: risk parity,
 * hierarchical risk parity, HERC, equal weight, inverse volatility, inverse variance and market-cap weight. Each runs on the same
 * estimates as the mean-variance objectives (the covariance of the risk model; the expected returns only for the
 * reported performance) and returns the same JSON shape plus its own measures.
 */

import { ValidationError } from '../core/errors.js';
import { simpleReturns } from '../core/returns.js';
import type { AllocationResult } from '../optimize/allocation-result.js';
import {
  equalRiskContribution,
  equalWeight,
  hierarchicalEqualRiskContributionFromReturns,
  hierarchicalRiskParityFromReturns,
  inverseVariance,
  inverseVolatility,
  type LinkageMethod,
  linkageMatrix,
  marketCapWeight,
  riskBudgeting,
} from '../optimize/allocators.js';
import type { EstimatedProblem, MeanVarianceFlags } from './mean-variance-options.js';

/** Objective names handled here. */
export const ALLOCATOR_OBJECTIVES = [
  'risk-parity',
  'hrp',
  'herc',
  'equal-weight',
  'inverse-volatility',
  'inverse-variance',
  'market-cap',
] as const;
export type AllocatorObjective = (typeof ALLOCATOR_OBJECTIVES)[number];

/** The flags only these objectives read. */
export interface AllocatorFlags {
  linkage?: LinkageMethod;
  clusters?: number;
  budgets?: Readonly<Record<string, number>>;
  /** Market capitalisations of `market-cap`, read from `--market-caps FILE`. */
  caps?: Readonly<Record<string, number>>;
}

/** Human titles. */
export const ALLOCATOR_TITLES: Record<AllocatorObjective, string> = {
  'risk-parity': 'Risk parity (equal risk contribution)',
  hrp: 'Hierarchical risk parity',
  herc: 'Hierarchical equal risk contribution',
  'equal-weight': 'Equal weight',
  'inverse-volatility': 'Inverse volatility',
  'inverse-variance': 'Inverse variance',
  'market-cap': 'Market-cap weight',
};

/** Mean-variance constraint flags, and the one objective among these that understands each (if any). */
const CONSTRAINT_FLAGS: readonly [keyof MeanVarianceFlags, string, AllocatorObjective | undefined][] = [
  ['bounds', '--bounds', 'hrp'],
  ['sectors', '--sectors', undefined],
  ['sectorBounds', '--sector-bounds', undefined],
  ['marketNeutral', '--market-neutral', undefined],
  ['maxLeverage', '--max-leverage', undefined],
  ['currentWeights', '--current-weights', undefined],
  ['maxTurnover', '--max-turnover', undefined],
  ['transactionCost', '--transaction-cost', undefined],
  ['maxVolatility', '--max-volatility', undefined],
  ['l2', '--l2', undefined],
];

/** Throws ValidationError naming a flag the objective cannot honour (rather than silently ignoring it). */
export function checkAllocatorFlags(objective: AllocatorObjective, flags: MeanVarianceFlags & AllocatorFlags): void {
  for (const [key, flag, supportedBy] of CONSTRAINT_FLAGS) {
    if (flags[key] !== undefined && supportedBy !== objective) {
      throw new ValidationError(
        `${flag} is not supported by --objective ${objective}${supportedBy ? ` (only by ${supportedBy})` : ''}; ` +
          'use a mean-variance objective for constrained portfolios',
      );
    }
  }
  if (flags.linkage !== undefined && objective !== 'hrp' && objective !== 'herc') {
    throw new ValidationError(`--linkage applies to --objective hrp or herc, not ${objective}`);
  }
  if (flags.clusters !== undefined && objective !== 'herc') {
    throw new ValidationError(`--clusters applies to --objective herc, not ${objective}`);
  }
  if (flags.budgets !== undefined && objective !== 'risk-parity') {
    throw new ValidationError(`--risk-budgets applies to --objective risk-parity, not ${objective}`);
  }
  if (objective === 'market-cap' && flags.caps === undefined) {
    throw new ValidationError(
      '--objective market-cap needs --market-caps FILE (CSV ticker,market_cap or JSON {"TICKER": cap})',
    );
  }
}

/** Runs the allocator and returns its result with the extra JSON members it has (tree, order, clusters...). */
export function runAllocator(
  objective: AllocatorObjective,
  e: EstimatedProblem,
  flags: MeanVarianceFlags & AllocatorFlags,
): { result: AllocationResult; extra: Record<string, unknown> } {
  const tickers = e.problem.tickers as readonly string[];
  const covariance = { tickers, values: e.problem.covariance as Float64Array };
  const performance = { expectedReturns: e.problem.expectedReturns, riskFreeRate: e.problem.riskFreeRate ?? 0 };
  switch (objective) {
    case 'risk-parity': {
      const r =
        flags.budgets === undefined
          ? equalRiskContribution(covariance, performance)
          : riskBudgeting(covariance, { ...performance, budgets: flags.budgets });
      return { result: r, extra: { budgets: byTicker(tickers, r.budgets), maxRelativeError: r.maxRelativeError } };
    }
    case 'hrp': {
      const r = hierarchicalRiskParityFromReturns(simpleReturns(e.prices), {
        ...performance,
        covariance,
        ...(flags.linkage === undefined ? {} : { linkage: flags.linkage }),
        ...(e.problem.bounds === undefined ? {} : { bounds: e.problem.bounds }),
      });
      return { result: r, extra: { linkage: r.linkage, tree: linkageMatrix(r.tree), order: r.orderedTickers } };
    }
    case 'herc': {
      const r = hierarchicalEqualRiskContributionFromReturns(simpleReturns(e.prices), {
        ...performance,
        covariance,
        ...(flags.linkage === undefined ? {} : { linkage: flags.linkage }),
        ...(flags.clusters === undefined ? {} : { clusters: flags.clusters }),
      });
      return {
        result: r,
        extra: {
          linkage: r.linkage,
          tree: linkageMatrix(r.tree),
          order: r.orderedTickers,
          clusters: r.clusters,
          clusterSelection: r.clusterSelection,
          clusterOf: byTicker(tickers, r.clusterOf),
        },
      };
    }
    case 'equal-weight':
      return { result: equalWeight(tickers, { ...performance, covariance: covariance.values }), extra: {} };
    case 'inverse-volatility':
      return { result: inverseVolatility(covariance, performance), extra: {} };
    case 'inverse-variance':
      return { result: inverseVariance(covariance, performance), extra: {} };
    case 'market-cap': {
      const caps = flags.caps as Readonly<Record<string, number>>;
      const r = marketCapWeight(caps, { ...performance, tickers, covariance: covariance.values });
      return {
        result: r,
        extra: {
          marketCaps: byTicker(
            tickers,
            tickers.map((t) => caps[t] as number),
          ),
        },
      };
    }
  }
}

function byTicker(tickers: readonly string[], values: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(tickers.map((t, i) => [t, values[i] as number]));
}

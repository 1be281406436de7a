/**
 * Allocators beyond mean-variance: closed-form rules (equal weight, inverse volatility, inverse variance, market
 * cap), risk budgeting and equal risk contribution, hierarchical risk parity and HERC. All return an
 * `AllocationResult`: weights by ticker, with the volatility, risk contributions, expected return and Sharpe ratio
 * that the given estimates allow (annual figures; weights are fractions of capital summing to 1).
 */

export {
  type AllocationMethod,
  type AllocationResult,
  type LabelledCovariance,
  type PerformanceOptions,
  type RiskContributions,
  riskContributionsOf,
} from './allocation-result.js';
export * from './hierarchical/index.js';
export {
  equalRiskContribution,
  RISK_BUDGET_TOLERANCE,
  type RiskBudgetingOptions,
  type RiskBudgetingResult,
  riskBudgeting,
} from './risk-budgeting.js';
export {
  equalWeight,
  inverseVariance,
  inverseVolatility,
  type MarketCapOptions,
  marketCapWeight,
  type SimpleAllocatorOptions,
} from './simple-allocators.js';

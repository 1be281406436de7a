/**
 * Backtesting: walk-forward simulation of strategies (any optimizer re-estimated on a rolling or expanding window,
 * fixed weights, equal weight, buy and hold, a user function) on calendar and drift schedules, with commissions, fees
 * and slippage, fractional or whole shares, cash interest and missing data; results with NAV, weights, trades,
 * turnover, costs, metrics against a benchmark and drawdowns.
 */

export {
  type BacktestResult,
  type BenchmarkResult,
  type RunBacktestOptions,
  runBacktest,
  type StrategyResult,
} from './backtest.js';
export { BACKTEST_BL_DELTA, type BacktestBlackLitterman, windowPosterior } from './black-litterman.js';
export { type CostOptions, type TradeCost, tradeCost, type VolumeSlippage, validateCosts } from './costs.js';
export { type BacktestOptions, type Rebalance, type Simulation, simulate, type Trade } from './engine.js';
export {
  ALLOCATION_RULES,
  type AllocationRule,
  type OptimizerStrategyOptions,
  optimizerStrategy,
  type StrategyConstraints,
} from './optimizer-strategy.js';
export { type DrawdownEpisode, drawdownTable, navMetrics, navReturns } from './results.js';
export { parseRebalanceFrequency, REBALANCE_FREQUENCIES, type RebalanceFrequency, rebalanceRows } from './schedule.js';
export {
  buyAndHoldStrategy,
  equalWeightStrategy,
  fixedWeightsStrategy,
  functionStrategy,
  type Strategy,
  type StrategyContext,
  type TargetWeights,
  tradableAssets,
  type WeightFunction,
  weightVector,
} from './strategy.js';
export {
  TAIL_STRATEGY_OBJECTIVES,
  type TailStrategyConstraints,
  type TailStrategyObjectiveName,
  type TailStrategyOptions,
  tailStrategy,
} from './tail-strategy.js';
export { assetsWithHistory, type EstimationWindow, estimationWindow } from './window.js';

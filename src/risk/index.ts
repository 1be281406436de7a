/**
 * Risk assessment: metrics of a return series and against a benchmark, drawdowns, value at risk and expected
 * shortfall by six methods with their asset decomposition, Monte Carlo scenarios, risk contributions by asset and
 * sector, portfolio returns at constant weights, plain data for charts, the report that combines them, and stress
 * tests (historical episodes, hypothetical and factor shocks, scenario files, the reverse stress test, the
 * distribution of the value at a horizon; stress/).
 */

export { type BenchmarkMetrics, type BenchmarkMetricsOptions, benchmarkMetrics } from './benchmark-metrics.js';
export {
  type ClusteredCorrelationMatrix,
  type ContributionBar,
  type CorrelationMatrix,
  clusteredCorrelationMatrix,
  contributionBars,
  correlationMatrix,
  type DrawdownChart,
  drawdownChart,
  type HistogramMark,
  type ReturnHistogram,
  type RiskReturnPoint,
  returnHistogram,
  riskReturnPoints,
} from './chart-data.js';
export {
  sectorTotals,
  UNASSIGNED_SECTOR,
  type VolatilityContributions,
  volatilityContributions,
  volatilityContributionsFromCovariance,
} from './contributions.js';
export { type DrawdownStats, drawdownSeries, drawdownStats } from './drawdown.js';
export {
  annualVolatility,
  cagr,
  calmarRatio,
  excessKurtosis,
  hitRate,
  type MetricsOptions,
  omegaRatio,
  type SeriesMetrics,
  seriesMetrics,
  sharpeRatio,
  skewness,
  sortinoRatio,
  stability,
  tailRatio,
  totalReturn,
} from './metrics.js';
export {
  fitStudentTDegreesOfFreedom,
  MAX_SCENARIO_VALUES,
  type SimulatedScenarios,
  type SimulationModel,
  type SimulationOptions,
  type SimulationRequest,
  simulateAssetReturns,
  simulateAssetReturnsMany,
} from './monte-carlo.js';
export { normalPdf, normalQuantile } from './normal.js';
export {
  equalWeights,
  type PortfolioReturns,
  type PortfolioReturnsOptions,
  portfolioReturns,
} from './portfolio-returns.js';
export {
  type BenchmarkSeries,
  onDates,
  type PortfolioRiskReport,
  portfolioRiskReport,
  type RiskReportOptions,
  type SectorRisk,
  type SeriesRiskReport,
  seriesRiskReport,
  seriesRiskReports,
} from './report.js';
export * from './stress/index.js';
export type { AssetReturnMatrix } from './types.js';
export {
  checkConfidence,
  cornishFisherVar,
  normalVar,
  overlappingHorizonReturns,
  type PortfolioVar,
  portfolioVar,
  portfolioVars,
  seriesVar,
  VAR_METHODS,
  type VarEstimate,
  type VarMethod,
  type VarOptions,
} from './var.js';

/**
 * The pfopt library: everything below the command line, importable from another program.
 *
 * Layers, lowest first: `core` (dated matrix, dates, periods and risk-free conventions, returns, errors, random
 * numbers, dense linear algebra), `data` (CSV, embedded samples, synthetic markets, market-data providers and the local cache, keyed input
 * files), `estimate` (expected returns and covariance models), `optimize` (mean-variance objectives, the efficient frontier, Black-Litterman, risk parity and hierarchical
 * allocators, integer allocation), `risk` (metrics, VaR and CVaR, risk contributions, chart data, stress tests), `backtest` (walk-forward simulation of
 * strategies with costs, and its results), `report` (the whole job as one call, charts, HTML report, JSON, CSV, Markdown).
 */

export * from './backtest/index.js';
export { type AlignJoin, alignMatrices } from './core/align.js';
export { DatedMatrix, type DatedMatrixOptions } from './core/dated-matrix.js';
export { epochDay, isoDate, isValidYmd, parseIsoDate, weekdayOf, ymdOf } from './core/dates.js';
export {
  CacheError,
  CsvFormatError,
  type CsvLocation,
  DataError,
  InfeasibleError,
  PfoptError,
  ValidationError,
} from './core/errors.js';
export { type LatestValue, latestValues } from './core/latest.js';
export * from './core/linalg/index.js';
export {
  inferPeriodsPerYear,
  KNOWN_FREQUENCIES,
  riskFreePerPeriod,
  TRADING_DAYS_PER_YEAR,
  validatePeriodsPerYear,
} from './core/periods.js';
export { Random } from './core/random.js';
export { periodKey, type ResampleFrequency, resamplePrices } from './core/resample.js';
export { type GapPolicy, logReturns, type ReturnsOptions, simpleReturns } from './core/returns.js';
export * from './data/cache/index.js';
export * from './data/csv/index.js';
export {
  readLotSizes,
  readMarketCaps,
  readSectorBounds,
  readSectorMap,
  readWeights,
  type SectorBounds,
  type SectorMap,
  type WeightMap,
} from './data/keyed-files.js';
export { assertPositivePrices, type LoadPricesOptions, loadPrices } from './data/load-prices.js';
export * from './data/providers/index.js';
export { loadSample, SAMPLE_PREFIX, SAMPLES, type SampleInfo, sampleInfo, samplesDirectory } from './data/samples.js';
export { type DataSummary, summarize, type TickerSummary } from './data/summary.js';
export * from './data/synthetic.js';
export * from './estimate/index.js';
export * from './estimate/models.js';
export {
  type HistoricalScenarios,
  historicalScenarios,
  historicalScenariosFromReturns,
} from './estimate/scenarios.js';
export * from './optimize/discrete-allocation.js';
export * from './optimize/index.js';
export * from './report/index.js';
export * from './risk/index.js';

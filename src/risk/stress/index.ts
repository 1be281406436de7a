/**
 * Stress tests and scenario analysis: named historical episodes replayed on a portfolio beside its benchmark,
 * hypothetical shocks per asset, sector and market (with propagation through the historical covariance), factor
 * shocks with residual bands, user scenario files, the reverse stress test, and the Monte Carlo distribution of the
 * portfolio's value at a horizon. Every definition is in the doc comment of its module.
 */

export { checkEpisode, STRESS_EPISODES, type StressEpisode, selectEpisodes } from './episodes.js';
export {
  bandZ,
  checkMove,
  type FactorAssetMove,
  type FactorShock,
  type FactorShockOptions,
  factorShock,
  type MarketModel,
  marketModel,
} from './factor.js';
export {
  closeDates,
  type DateConvention,
  defaultDateConvention,
  type EpisodeReplay,
  type EpisodeWindow,
  episodeWindow,
  type MissingAssetPolicy,
  type ReplayEpisodesOptions,
  type ReplayOptions,
  type ReplayStatus,
  replayEpisode,
  replayEpisodes,
  type SeriesReplay,
  type StressBar,
  stressBars,
  type WindowStatus,
} from './historical.js';
export {
  DEFAULT_LOSS_THRESHOLDS,
  DEFAULT_PERCENTILES,
  type HorizonDistribution,
  type HorizonDistributionOptions,
  horizonDistribution,
} from './horizon.js';
export { normalCdf } from './normal-cdf.js';
export {
  type ReverseStress,
  type ReverseStressOptions,
  reverseStress,
  reverseStressFromCovariance,
} from './reverse.js';
export { type EstimationSample, estimationSample } from './sample.js';
export { parseScenarios, parseScenarioText } from './scenario-file.js';
export {
  applyScenario,
  type MoveOrigin,
  type ScenarioAssetMove,
  type ScenarioInput,
  type ScenarioOptions,
  type ScenarioResult,
  type ScenarioSector,
  type ShockScenario,
} from './shocks.js';
export { type HeldAssets, heldAssets, type StressWeights } from './weights.js';

/**
 * Hierarchical allocators: hierarchical risk parity (López de Prado 2016) and hierarchical equal risk contribution
 * (Raffinot 2018), with the clustering they rest on (correlation distance, SciPy-compatible linkage, leaf order).
 */

export type { HierarchicalOptions, HierarchicalResult, HierarchicalReturnsOptions } from './common.js';
export {
  correlationDistance,
  correlationOfCovariance,
  type PairwiseMoments,
  pairwiseMoments,
} from './correlation-distance.js';
export {
  type HercOptions,
  type HercResult,
  hierarchicalEqualRiskContribution,
  hierarchicalEqualRiskContributionFromReturns,
} from './herc.js';
export { type HrpOptions, type HrpResult, hierarchicalRiskParity, hierarchicalRiskParityFromReturns } from './hrp.js';
export {
  condensedIndex,
  LINKAGE_METHODS,
  type Linkage,
  type LinkageMethod,
  leavesList,
  linkage,
  linkageMatrix,
} from './linkage.js';

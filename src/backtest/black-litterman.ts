/**
 * Black-Litterman in backtests: on each rebalancing date, the posterior mean and covariance over the covariance
 * estimated on the window, from the same (static) market capitalisations and views throughout the run.
 */

import type { CovarianceMatrix } from '../estimate/types.js';
import { type BlackLittermanViews, blackLitterman } from '../optimize/black-litterman.js';

/** Risk aversion of the market-implied prior when none is given (as `optimize`). */
export const BACKTEST_BL_DELTA = 2.5;

/** The Black-Litterman settings of an optimizer strategy. */
export interface BacktestBlackLitterman {
  /**
   * Market capitalisations by ticker, one for every asset the strategy may hold; static: the same on every date
   * (only their ratios over the assets of the date matter).
   */
  readonly marketCaps: Readonly<Record<string, number>>;
  /**
   * The views (annual returns, see `parseViews`); none: the posterior mean is the prior. On a date, a view naming an
   * asset outside the window's universe is left out, with a warning.
   */
  readonly views?: BlackLittermanViews;
  /** Uncertainty of the prior relative to the covariance; default 0.05. */
  readonly tau?: number;
  /** Risk aversion delta of the market-implied prior; default 2.5. */
  readonly riskAversion?: number;
  /** Annual risk-free rate added to the prior; default 0. */
  readonly riskFreeRate?: number;
}

/**
 * The posterior expected returns and covariance over `covariance` (annual, the window's estimate over the assets of
 * the date): prior `delta S w_mkt + rf` with w_mkt the capitalisation weights over these assets, and the views that
 * name only these assets (the others are reported through `warn`).
 */
export function windowPosterior(
  settings: BacktestBlackLitterman,
  covariance: CovarianceMatrix,
  warn: (message: string) => void,
): { expectedReturns: Float64Array; covariance: Float64Array } {
  const known = new Set(covariance.tickers);
  const all = settings.views ?? { views: [] };
  const keep: number[] = [];
  all.views.forEach((v, k) => {
    const names = v.kind === 'absolute' ? [v.asset] : [v.long, v.short];
    if (names.every((t) => known.has(t))) keep.push(k);
  });
  if (keep.length < all.views.length) {
    const left = all.views.filter((_, k) => !keep.includes(k)).map((v) => describe(v));
    warn(
      `${left.length} Black-Litterman view${left.length === 1 ? '' : 's'} left out, on assets without a price and ` +
        `a full window: ${left.join('; ')}`,
    );
  }
  const views: BlackLittermanViews = {
    views: keep.map((k) => all.views[k] as BlackLittermanViews['views'][number]),
    ...(all.confidences === undefined ? {} : { confidences: keep.map((k) => all.confidences?.[k] as number) }),
  };
  const model = blackLitterman({
    covariance,
    views,
    marketCaps: settings.marketCaps,
    riskAversion: settings.riskAversion ?? BACKTEST_BL_DELTA,
    ...(settings.tau === undefined ? {} : { tau: settings.tau }),
    riskFreeRate: settings.riskFreeRate ?? 0,
  });
  return { expectedReturns: model.expectedReturns.values, covariance: model.covariance.values };
}

function describe(v: BlackLittermanViews['views'][number]): string {
  return v.kind === 'absolute' ? `${v.asset} ${v.return}` : `${v.long} over ${v.short} ${v.return}`;
}

/**
 * The provider interface: what a source of daily market data implements so pfopt can fetch, clean and cache its
 * series. Implement {@link MarketDataProvider} for your own source and pass it to `fetchPrices`.
 */

import type { CorporateAction } from '../cache/index.js';

/**
 * One daily bar as the provider gave it, before cleaning: any price may be null (the cleaner drops rows without a
 * close and reports them). `day` is the exchange-local trading date (days since 1970-01-01).
 */
export interface RawBar {
  readonly day: number;
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  /** Session close as the provider reports it (split-adjusted at most providers). */
  readonly close: number | null;
  /** Split- and dividend-adjusted close, when the provider gives one. */
  readonly adjClose: number | null;
  readonly volume: number | null;
}

/** What a provider returns for one symbol and date range. */
export interface ProviderSeries {
  /** Bars in any order; duplicates and null rows are allowed (the cleaner handles them). */
  readonly bars: readonly RawBar[];
  /** Dividends and splits in the range, when the provider reports them. */
  readonly actions: readonly CorporateAction[];
  /** IANA time zone of the exchange, when the response names it. */
  readonly timezone?: string;
  readonly currency?: string;
  readonly name?: string;
  readonly exchange?: string;
}

/** One request for daily data: the inclusive range of exchange-local days `fromDay..toDay`. */
export interface DailyRequest {
  readonly symbol: string;
  readonly fromDay: number;
  readonly toDay: number;
}

/**
 * A source of daily bars. `fetchDaily` returns the bars of one symbol in the range, an empty series when there are
 * none (a range before the listing, say), and throws the typed errors of `errors.ts`: `NotFoundError` for an unknown
 * symbol, `RateLimitedError`, `AuthError`, `SchemaError` for a response it cannot read, `ProviderError` otherwise.
 */
export interface MarketDataProvider {
  /** Short name used in the cache and in messages, for example `yahoo`. */
  readonly name: string;
  /** Exchange time zone to assume until a response names one (for example America/New_York). */
  readonly defaultTimezone: string;
  /** Credentials in use, so they can be removed from anything stored or shown. */
  readonly secrets: readonly string[];
  /** Whether the provider's bars carry an adjusted close (restatements are detected from it). */
  readonly adjusted: boolean;
  /**
   * `price` (default): closes must be positive and large moves are checked; `rate`: values are interest rates in
   * percent (zero and negative allowed, no jump check).
   */
  readonly valueKind?: 'price' | 'rate';
  fetchDaily(request: DailyRequest): Promise<ProviderSeries>;
}

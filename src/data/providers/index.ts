/**
 * Market-data providers and the cache in front of them: the provider interface, the built-in adapters (Yahoo
 * Finance, Alpha Vantage, Tiingo, FRED, Nasdaq Data Link, local CSV files), the HTTP client they share, cleaning,
 * and `fetchPrices`, which serves symbols from the cache and fetches only what is missing.
 */

export { ALPHAVANTAGE_BASE_URL, type AlphaVantageOptions, AlphaVantageProvider } from './alphavantage.js';
export { localDay, settledDay } from './calendar.js';
export { type CleanBar, type CleaningReport, cleanBars, describeCleaning, type PriceJump } from './clean.js';
export { CsvFileProvider, type CsvProviderOptions } from './csv-provider.js';
export {
  AuthError,
  NotFoundError,
  ProviderError,
  type ProviderErrorDetails,
  RateLimitedError,
  SchemaError,
} from './errors.js';
export {
  type BarField,
  barValue,
  type FetchPricesOptions,
  type FetchPricesResult,
  fetchPrices,
  outcomesToMatrix,
} from './fetch-prices.js';
export {
  FRED_BASE_URL,
  type FredOptions,
  FredProvider,
  parseFredCsv,
  percentToDecimal,
  ratesToPerPeriod,
} from './fred.js';
export { HttpClient, type HttpClientOptions, type HttpResponse } from './http.js';
export { API_KEY_ENV } from './keys.js';
export { type Clock, RequestLimiter } from './limiter.js';
export { NASDAQ_BASE_URL, NasdaqDataLinkProvider, type NasdaqOptions } from './nasdaq.js';
export {
  BASE_URL_ENV,
  type CreateProviderOptions,
  CSV_DIR_ENV,
  createProvider,
  isSourceName,
  keyVariable,
  type ProviderSettings,
  SOURCE_NAMES,
  type SourceName,
} from './registry.js';
export { STOOQ_BASE_URL, STOOQ_KEY_ENV, type StooqOptions, StooqProvider } from './stooq.js';
export { type FetchMode, type SymbolOutcome, type SyncOptions, syncSymbol } from './sync.js';
export { TIINGO_BASE_URL, type TiingoOptions, TiingoProvider } from './tiingo.js';
export type { DailyRequest, MarketDataProvider, ProviderSeries, RawBar } from './types.js';
export { YAHOO_BASE_URL, type YahooOptions, YahooProvider } from './yahoo.js';

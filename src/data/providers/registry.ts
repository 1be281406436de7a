/**
 * The built-in providers by name (`--source yahoo|alphavantage|tiingo|fred|nasdaq|csv|stooq`), built from the environment
 * (API keys, `PFOPT_<NAME>_BASE_URL`) and per-provider settings (base URL, timeout, retries, pacing).
 */

import path from 'node:path';
import { ValidationError } from '../../core/errors.js';
import { AlphaVantageProvider } from './alphavantage.js';
import { CsvFileProvider } from './csv-provider.js';
import { FredProvider } from './fred.js';
import type { HttpClientOptions } from './http.js';
import { API_KEY_ENV } from './keys.js';
import { NasdaqDataLinkProvider } from './nasdaq.js';
import { STOOQ_KEY_ENV, StooqProvider } from './stooq.js';
import { TiingoProvider } from './tiingo.js';
import type { MarketDataProvider } from './types.js';
import { YahooProvider } from './yahoo.js';

/** Names of the built-in providers. */
export const SOURCE_NAMES = ['yahoo', 'alphavantage', 'tiingo', 'fred', 'nasdaq', 'csv', 'stooq'] as const;

/** A built-in provider name. */
export type SourceName = (typeof SOURCE_NAMES)[number];

/** Environment variables overriding each provider's base URL (for tests, proxies and mirrors). */
export const BASE_URL_ENV: Readonly<Record<Exclude<SourceName, 'csv'>, string>> = {
  yahoo: 'PFOPT_YAHOO_BASE_URL',
  alphavantage: 'PFOPT_ALPHAVANTAGE_BASE_URL',
  tiingo: 'PFOPT_TIINGO_BASE_URL',
  fred: 'PFOPT_FRED_BASE_URL',
  nasdaq: 'PFOPT_NASDAQ_BASE_URL',
  stooq: 'PFOPT_STOOQ_BASE_URL',
};

/** Environment variable naming the directory of the `csv` provider's files. */
export const CSV_DIR_ENV = 'PFOPT_CSV_DIR';

/** Settings of one provider (the `providers.<name>` key of the configuration file). */
export interface ProviderSettings {
  readonly baseUrl?: string;
  /** `csv` only: the directory of the files. */
  readonly dir?: string;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly concurrency?: number;
  readonly minIntervalMs?: number;
}

/** What {@link createProvider} reads. */
export interface CreateProviderOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly settings?: ProviderSettings;
  /** Directory relative paths are resolved against (default the process's). */
  readonly cwd?: string;
  /** Extra HTTP options (a fetch function, a clock) for tests and embedding. */
  readonly http?: Omit<HttpClientOptions, 'provider' | 'secrets'>;
}

/** True when `name` is a built-in provider. */
export function isSourceName(name: string): name is SourceName {
  return (SOURCE_NAMES as readonly string[]).includes(name);
}

/** Whether the provider needs an API key, and the environment variable holding it. */
export function keyVariable(name: SourceName): string | undefined {
  return name === 'alphavantage' || name === 'tiingo' || name === 'nasdaq' ? API_KEY_ENV[name] : undefined;
}

function checkBaseUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(`${where} must be an http or https URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError(`${where} must be an http or https URL, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The built-in provider `name`. The base URL is `PFOPT_<NAME>_BASE_URL` when set, else `settings.baseUrl`, else
 * the public one; API keys come from the environment only (never from files that could be shared). A missing key
 * is reported when the provider is first asked for data, so offline runs need none.
 */
export function createProvider(name: SourceName, options: CreateProviderOptions = {}): MarketDataProvider {
  const env = options.env ?? process.env;
  const settings = options.settings ?? {};
  const http: Omit<HttpClientOptions, 'provider' | 'secrets'> = {
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
    ...(settings.retries === undefined ? {} : { retries: settings.retries }),
    ...(settings.concurrency === undefined ? {} : { concurrency: settings.concurrency }),
    ...(settings.minIntervalMs === undefined ? {} : { minIntervalMs: settings.minIntervalMs }),
    ...options.http,
  };
  if (name === 'csv') {
    const dir = env[CSV_DIR_ENV] || settings.dir || '.';
    return new CsvFileProvider({ dir: path.resolve(options.cwd ?? process.cwd(), dir) });
  }
  const fromEnv = env[BASE_URL_ENV[name]];
  const baseUrl =
    fromEnv !== undefined && fromEnv !== ''
      ? checkBaseUrl(fromEnv, BASE_URL_ENV[name])
      : settings.baseUrl === undefined
        ? undefined
        : checkBaseUrl(settings.baseUrl, `providers.${name}.baseUrl`);
  const common = { ...(baseUrl === undefined ? {} : { baseUrl }), http };
  const key = (variable: string) => {
    const value = env[variable];
    return value === undefined || value === '' ? {} : { apiKey: value };
  };
  switch (name) {
    case 'yahoo':
      return new YahooProvider(common);
    case 'alphavantage':
      return new AlphaVantageProvider({ ...common, ...key(API_KEY_ENV.alphavantage) });
    case 'tiingo':
      return new TiingoProvider({ ...common, ...key(API_KEY_ENV.tiingo) });
    case 'fred':
      return new FredProvider(common);
    case 'nasdaq':
      return new NasdaqDataLinkProvider({ ...common, ...key(API_KEY_ENV.nasdaq) });
    case 'stooq':
      return new StooqProvider({ ...common, ...key(STOOQ_KEY_ENV) });
  }
}

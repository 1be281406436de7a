/**
 * Stooq daily CSV (`/q/d/l/?s=aapl.us&i=d&d1=YYYYMMDD&d2=YYYYMMDD`), optional and low priority: since 2026 it may
 * ask for a key obtained behind a CAPTCHA (`STOOQ_API_KEY`, sent as `apikey`) and answers non-browser clients with an
 * HTML page. Every failure is HTTP 200: `No data`, `Exceeded the daily hits limit`, or HTML, each turned into a typed
 * error. Closes are split-adjusted; there is no separate adjusted close.
 */

import { isoDate } from '../../core/dates.js';
import { parseCsvMatrix } from '../csv/index.js';
import { NotFoundError, ProviderError, RateLimitedError, SchemaError } from './errors.js';
import { bodyExcerpt, HttpClient, type HttpClientOptions } from './http.js';
import { rejectHtml } from './response.js';
import type { DailyRequest, MarketDataProvider, ProviderSeries, RawBar } from './types.js';

/** The public base URL; `PFOPT_STOOQ_BASE_URL` or the configuration replaces it. */
export const STOOQ_BASE_URL = 'https://stooq.com';

/** Environment variable of the optional Stooq key. */
export const STOOQ_KEY_ENV = 'STOOQ_API_KEY';

/** Options of {@link StooqProvider}. */
export interface StooqOptions {
  readonly baseUrl?: string;
  /** The key Stooq may ask for (the CLI reads `STOOQ_API_KEY`); optional. */
  readonly apiKey?: string;
  readonly http?: Omit<HttpClientOptions, 'provider' | 'secrets'>;
}

const compact = (day: number): string => isoDate(day).replaceAll('-', '');

/** Stooq: symbols as Stooq writes them (`aapl.us`, `^spx`). */
export class StooqProvider implements MarketDataProvider {
  readonly name = 'stooq';
  readonly defaultTimezone = 'America/New_York';
  readonly secrets: readonly string[];
  readonly adjusted = false;
  readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly client: HttpClient;

  constructor(options: StooqOptions = {}) {
    this.baseUrl = (options.baseUrl ?? STOOQ_BASE_URL).replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.secrets = this.apiKey === undefined ? [] : [this.apiKey];
    this.client = new HttpClient({
      concurrency: 1,
      minIntervalMs: 500,
      ...options.http,
      provider: this.name,
      secrets: this.secrets,
    });
  }

  /** Daily bars of `symbol` in `fromDay..toDay`. */
  async fetchDaily(request: DailyRequest): Promise<ProviderSeries> {
    const { symbol } = request;
    const url =
      `${this.baseUrl}/q/d/l/?s=${encodeURIComponent(symbol.toLowerCase())}&i=d` +
      `&d1=${compact(request.fromDay)}&d2=${compact(request.toDay)}` +
      (this.apiKey === undefined ? '' : `&apikey=${encodeURIComponent(this.apiKey)}`);
    const response = await this.client.get(url, { symbol });
    rejectHtml(this.client, response, symbol);
    const text = response.text.trim();
    const details = {
      provider: this.name,
      symbol,
      status: response.status,
      providerMessage: bodyExcerpt(text, this.secrets),
    };
    if (response.status !== 200) {
      throw new ProviderError(`stooq: HTTP ${response.status} for ${symbol}: ${details.providerMessage}`, details);
    }
    if (/^no data/i.test(text)) throw new NotFoundError(`stooq: no data for ${symbol}`, details);
    if (/exceeded the daily hits limit/i.test(text))
      throw new RateLimitedError(`stooq: ${details.providerMessage}`, details);
    if (!/^date,/i.test(text)) {
      throw new SchemaError(`stooq: unexpected response for ${symbol}: ${details.providerMessage}`, details);
    }
    const matrix = parseCsvMatrix(text, { file: `stooq ${symbol}`, layout: 'wide' });
    const col = (name: string): number => matrix.tickers.findIndex((t) => t.toLowerCase() === name);
    const n = matrix.rowCount;
    const at = (j: number, i: number): number | null => {
      const v = j < 0 ? Number.NaN : (matrix.values[j * n + i] as number);
      return Number.isNaN(v) ? null : v;
    };
    const [open, high, low, close, volume] = ['open', 'high', 'low', 'close', 'volume'].map(col) as number[];
    if (close === undefined || close < 0) throw new SchemaError(`stooq: no Close column for ${symbol}`, details);
    const bars: RawBar[] = [];
    for (let i = 0; i < n; i++) {
      const day = matrix.dates[i] as number;
      if (day < request.fromDay || day > request.toDay) continue;
      bars.push({
        day,
        open: at(open ?? -1, i),
        high: at(high ?? -1, i),
        low: at(low ?? -1, i),
        close: at(close, i),
        adjClose: null,
        volume: at(volume ?? -1, i),
      });
    }
    return { bars, actions: [], timezone: this.defaultTimezone };
  }
}

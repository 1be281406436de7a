/**
 * Alpha Vantage daily series (`function=TIME_SERIES_DAILY`, free; `TIME_SERIES_DAILY_ADJUSTED` with a premium key).
 * Every error arrives as HTTP 200 with an `Error Message`, `Information` or `Note` member, which become typed errors.
 */

import { z } from 'zod';
import { parseIsoDate } from '../../core/dates.js';
import type { CorporateAction } from '../cache/index.js';
import { AuthError, NotFoundError, ProviderError, RateLimitedError } from './errors.js';
import { bodyExcerpt, HttpClient, type HttpClientOptions } from './http.js';
import { API_KEY_ENV, requireKey } from './keys.js';
import { parseJson, validate } from './response.js';
import type { DailyRequest, MarketDataProvider, ProviderSeries, RawBar } from './types.js';

/** The public base URL; `PFOPT_ALPHAVANTAGE_BASE_URL` or the configuration replaces it. */
export const ALPHAVANTAGE_BASE_URL = 'https://www.alphavantage.co';

const numeric = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a number in a string');

const seriesSchema = z
  .object({
    'Meta Data': z.object({ '5. Time Zone': z.string().optional() }).loose(),
    'Time Series (Daily)': z.record(
      z.string(),
      z
        .object({
          '1. open': numeric,
          '2. high': numeric,
          '3. low': numeric,
          '4. close': numeric,
          '5. volume': numeric.optional(),
          '5. adjusted close': numeric.optional(),
          '6. volume': numeric.optional(),
          '7. dividend amount': numeric.optional(),
          '8. split coefficient': numeric.optional(),
        })
        .loose(),
    ),
  })
  .loose();

const messageSchema = z
  .object({ 'Error Message': z.string().optional(), Information: z.string().optional(), Note: z.string().optional() })
  .loose();

/** Options of {@link AlphaVantageProvider}. */
export interface AlphaVantageOptions {
  readonly baseUrl?: string;
  /** The API key (default: none; the CLI reads `ALPHAVANTAGE_API_KEY`). */
  readonly apiKey?: string;
  /** Use TIME_SERIES_DAILY_ADJUSTED (a premium endpoint) for adjusted closes, dividends and splits. */
  readonly adjustedSeries?: boolean;
  readonly http?: Omit<HttpClientOptions, 'provider' | 'secrets'>;
}

/** US/Eastern, as Alpha Vantage names it, is America/New_York. */
function ianaZone(zone: string | undefined): string {
  if (zone === undefined || zone === 'US/Eastern') return 'America/New_York';
  return zone;
}

/** Alpha Vantage. The free series has raw (unadjusted) closes; the adjusted series needs a premium key. */
export class AlphaVantageProvider implements MarketDataProvider {
  readonly name = 'alphavantage';
  readonly defaultTimezone = 'America/New_York';
  readonly secrets: readonly string[];
  readonly adjusted: boolean;
  readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly client: HttpClient;

  constructor(options: AlphaVantageOptions = {}) {
    this.baseUrl = (options.baseUrl ?? ALPHAVANTAGE_BASE_URL).replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.adjusted = options.adjustedSeries === true;
    this.secrets = this.apiKey === undefined ? [] : [this.apiKey];
    // Free tier: 25 requests a day and about 1 a second; go one at a time.
    this.client = new HttpClient({
      concurrency: 1,
      minIntervalMs: 1000,
      ...options.http,
      provider: this.name,
      secrets: this.secrets,
    });
  }

  /** Daily bars of `symbol` in `fromDay..toDay` (the provider sends its whole history; the range is cut here). */
  async fetchDaily(request: DailyRequest): Promise<ProviderSeries> {
    const key = requireKey(this.name, this.apiKey, API_KEY_ENV.alphavantage);
    const { symbol } = request;
    const fn = this.adjusted ? 'TIME_SERIES_DAILY_ADJUSTED' : 'TIME_SERIES_DAILY';
    // compact: the latest 100 sessions, about 140 calendar days.
    const compact = request.fromDay > Math.floor(Date.now() / 86_400_000) - 140;
    const url =
      `${this.baseUrl}/query?function=${fn}&symbol=${encodeURIComponent(symbol)}` +
      `&outputsize=${compact ? 'compact' : 'full'}&datatype=json&apikey=${encodeURIComponent(key)}`;
    const response = await this.client.get(url, { symbol });
    if (response.status !== 200) {
      const excerpt = bodyExcerpt(response.text, this.secrets);
      const Err = response.status === 401 || response.status === 403 ? AuthError : ProviderError;
      throw new Err(`alphavantage: HTTP ${response.status} for ${symbol}: ${excerpt}`, {
        provider: this.name,
        symbol,
        status: response.status,
        providerMessage: excerpt,
      });
    }
    const body = parseJson(this.client, response, symbol);
    this.throwMessage(body, symbol);
    const data = validate(this.client, seriesSchema, body, symbol, 200);
    const timezone = ianaZone(data['Meta Data']['5. Time Zone']);
    const bars: RawBar[] = [];
    const actions: CorporateAction[] = [];
    for (const [date, row] of Object.entries(data['Time Series (Daily)'])) {
      const day = parseIsoDate(date, 'alphavantage date');
      if (day < request.fromDay || day > request.toDay) continue;
      const volume = row['6. volume'] ?? row['5. volume'];
      bars.push({
        day,
        open: Number(row['1. open']),
        high: Number(row['2. high']),
        low: Number(row['3. low']),
        close: Number(row['4. close']),
        adjClose: row['5. adjusted close'] === undefined ? null : Number(row['5. adjusted close']),
        volume: volume === undefined ? null : Number(volume),
      });
      const dividend = Number(row['7. dividend amount'] ?? 0);
      if (dividend > 0) actions.push({ kind: 'dividend', day, amount: dividend });
      const split = Number(row['8. split coefficient'] ?? 1);
      if (split > 0 && split !== 1) actions.push({ kind: 'split', day, numerator: split, denominator: 1 });
    }
    return { bars, actions, timezone };
  }

  /** Alpha Vantage answers errors with HTTP 200 and one message member: turn it into the matching error. */
  private throwMessage(body: unknown, symbol: string): void {
    const parsed = messageSchema.safeParse(body);
    if (!parsed.success) return;
    const { 'Error Message': error, Information: information, Note: note } = parsed.data;
    const text = error ?? information ?? note;
    if (text === undefined) return;
    const message = this.client.redact(text);
    const details = { provider: this.name, symbol, status: 200, providerMessage: message };
    if (error !== undefined) {
      if (/apikey|api key/i.test(error)) throw new AuthError(`alphavantage: ${message}`, details);
      throw new NotFoundError(`alphavantage: no daily series for ${symbol}: ${message}`, details);
    }
    if (/premium/i.test(message)) {
      throw new AuthError(`alphavantage: this endpoint needs a premium key: ${message}`, details);
    }
    if (/rate limit|requests per|calls per|frequency/i.test(message) || note !== undefined) {
      throw new RateLimitedError(`alphavantage: rate limited: ${message}`, details);
    }
    if (/api ?key/i.test(message)) throw new AuthError(`alphavantage: ${message}`, details);
    throw new ProviderError(`alphavantage: ${message}`, details);
  }
}

/**
 * Tiingo end-of-day prices (`/tiingo/daily/<T>/prices`), key in the `Authorization: Token KEY` header. Gives raw
 * and adjusted prices, dividends (`divCash`) and splits (`splitFactor`).
 */

import { z } from 'zod';
import { isoDate, parseIsoDate } from '../../core/dates.js';
import type { CorporateAction } from '../cache/index.js';
import { AuthError, NotFoundError, ProviderError, RateLimitedError } from './errors.js';
import { bodyExcerpt, HttpClient, type HttpClientOptions } from './http.js';
import { API_KEY_ENV, requireKey } from './keys.js';
import { isHtml, parseJson, rejectHtml, validate } from './response.js';
import type { DailyRequest, MarketDataProvider, ProviderSeries, RawBar } from './types.js';

/** The public base URL; `PFOPT_TIINGO_BASE_URL` or the configuration replaces it. */
export const TIINGO_BASE_URL = 'https://api.tiingo.com';

const num = z.number().nullable().optional();

const pricesSchema = z.array(
  z
    .object({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected an ISO date'),
      open: num,
      high: num,
      low: num,
      close: z.number().nullable(),
      volume: num,
      adjClose: num,
      divCash: num,
      splitFactor: num,
    })
    .loose(),
);

const detailSchema = z.object({ detail: z.string() }).loose();

/** Options of {@link TiingoProvider}. */
export interface TiingoOptions {
  readonly baseUrl?: string;
  /** The API key (the CLI reads `TIINGO_API_KEY`). */
  readonly apiKey?: string;
  readonly http?: Omit<HttpClientOptions, 'provider' | 'secrets'>;
}

/** Tiingo end-of-day prices. */
export class TiingoProvider implements MarketDataProvider {
  readonly name = 'tiingo';
  readonly defaultTimezone = 'America/New_York';
  readonly secrets: readonly string[];
  readonly adjusted = true;
  readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly client: HttpClient;

  constructor(options: TiingoOptions = {}) {
    this.baseUrl = (options.baseUrl ?? TIINGO_BASE_URL).replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.secrets = this.apiKey === undefined ? [] : [this.apiKey];
    this.client = new HttpClient({ concurrency: 2, ...options.http, provider: this.name, secrets: this.secrets });
  }

  /** Daily bars, dividends and splits of `symbol` in `fromDay..toDay`. */
  async fetchDaily(request: DailyRequest): Promise<ProviderSeries> {
    const key = requireKey(this.name, this.apiKey, API_KEY_ENV.tiingo);
    const { symbol } = request;
    const url =
      `${this.baseUrl}/tiingo/daily/${encodeURIComponent(symbol.toLowerCase())}/prices` +
      `?startDate=${isoDate(request.fromDay)}&endDate=${isoDate(request.toDay)}&format=json`;
    const response = await this.client.get(url, {
      symbol,
      headers: { authorization: `Token ${key}`, 'content-type': 'application/json' },
    });
    const details = (message: string) => ({
      provider: this.name,
      symbol,
      status: response.status,
      providerMessage: message,
    });
    if (response.status !== 200) {
      rejectHtml(this.client, response, symbol);
      const detail = detailSchema.safeParse(safeJson(response.text));
      const message = this.client.redact(detail.success ? detail.data.detail : bodyExcerpt(response.text, []));
      if (response.status === 404) throw new NotFoundError(`tiingo: ${symbol} not found: ${message}`, details(message));
      if (response.status === 401 || response.status === 403) {
        throw new AuthError(`tiingo: the key was refused (HTTP ${response.status}): ${message}`, details(message));
      }
      throw new ProviderError(`tiingo: HTTP ${response.status} for ${symbol}: ${message}`, details(message));
    }
    // Older responses announced the hourly limit in plain text with HTTP 200.
    if (
      !isHtml(response) &&
      /request allocation|rate limit/i.test(response.text) &&
      !response.text.trim().startsWith('[')
    ) {
      const message = this.client.redact(bodyExcerpt(response.text, []));
      throw new RateLimitedError(`tiingo: rate limited: ${message}`, details(message));
    }
    const body = parseJson(this.client, response, symbol);
    const detail = detailSchema.safeParse(body);
    if (detail.success) {
      const message = this.client.redact(detail.data.detail);
      if (/not found/i.test(message)) throw new NotFoundError(`tiingo: ${message}`, details(message));
      throw new ProviderError(`tiingo: ${message}`, details(message));
    }
    const rows = validate(this.client, pricesSchema, body, symbol, 200);
    const bars: RawBar[] = [];
    const actions: CorporateAction[] = [];
    for (const row of rows) {
      const day = parseIsoDate(row.date.slice(0, 10), 'tiingo date');
      bars.push({
        day,
        open: row.open ?? null,
        high: row.high ?? null,
        low: row.low ?? null,
        close: row.close,
        adjClose: row.adjClose ?? null,
        volume: row.volume ?? null,
      });
      if ((row.divCash ?? 0) > 0) actions.push({ kind: 'dividend', day, amount: row.divCash as number });
      const split = row.splitFactor ?? 1;
      if (split > 0 && split !== 1) actions.push({ kind: 'split', day, numerator: split, denominator: 1 });
    }
    return { bars, actions, timezone: this.defaultTimezone };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Yahoo Finance daily history from the chart endpoint (`/v8/finance/chart/<SYMBOL>`), with dividends and splits.
 *
 * A small adapter of our own rather than the `yahoo-finance2` client: its v4 needs Node 22 (pfopt supports Node 20)
 * and pulls about 114 packages (42 MB, with an MCP SDK and two web frameworks); v3 would pin us to an old line. The
 * chart endpoint needs no cookie or crumb, its body is one small JSON document validated here with zod, and owning
 * the adapter lets the shared HTTP client do timeouts, retries, pacing and key redaction the same way for every
 * provider.
 */

import { z } from 'zod';
import type { CorporateAction } from '../cache/index.js';
import { localDay } from './calendar.js';
import { NotFoundError, ProviderError } from './errors.js';
import { bodyExcerpt, HttpClient, type HttpClientOptions } from './http.js';
import { parseJson, validate } from './response.js';
import type { DailyRequest, MarketDataProvider, ProviderSeries, RawBar } from './types.js';

/** The public base URL; `PFOPT_YAHOO_BASE_URL` or the configuration replaces it. */
export const YAHOO_BASE_URL = 'https://query1.finance.yahoo.com';

const nums = z.array(z.number().nullable());

const chartSchema = z.object({
  chart: z.object({
    result: z
      .array(
        z.object({
          meta: z
            .object({
              currency: z.string().nullable().optional(),
              exchangeName: z.string().optional(),
              exchangeTimezoneName: z.string().optional(),
              longName: z.string().optional(),
              shortName: z.string().optional(),
            })
            .loose(),
          timestamp: z.array(z.number()).optional(),
          events: z
            .object({
              dividends: z.record(z.string(), z.object({ amount: z.number(), date: z.number() })).optional(),
              splits: z
                .record(z.string(), z.object({ date: z.number(), numerator: z.number(), denominator: z.number() }))
                .optional(),
            })
            .loose()
            .optional(),
          indicators: z.object({
            quote: z.array(
              z
                .object({
                  open: nums.optional(),
                  high: nums.optional(),
                  low: nums.optional(),
                  close: nums,
                  volume: nums.optional(),
                })
                .loose(),
            ),
            adjclose: z.array(z.object({ adjclose: nums })).optional(),
          }),
        }),
      )
      .nullable(),
    error: z.object({ code: z.string(), description: z.string() }).loose().nullable(),
  }),
});

const errorSchema = z.object({
  chart: z.object({ error: z.object({ code: z.string(), description: z.string() }).loose().nullable() }).loose(),
});

/** Options of {@link YahooProvider}. */
export interface YahooOptions {
  readonly baseUrl?: string;
  readonly http?: Omit<HttpClientOptions, 'provider' | 'secrets'>;
}

const DAY_S = 86_400;

/** Yahoo Finance: split-adjusted close, split- and dividend-adjusted close, dividends and splits. No key. */
export class YahooProvider implements MarketDataProvider {
  readonly name = 'yahoo';
  readonly defaultTimezone = 'America/New_York';
  readonly secrets: readonly string[] = [];
  readonly adjusted = true;
  readonly baseUrl: string;
  private readonly client: HttpClient;

  constructor(options: YahooOptions = {}) {
    this.baseUrl = (options.baseUrl ?? YAHOO_BASE_URL).replace(/\/+$/, '');
    this.client = new HttpClient({ concurrency: 4, ...options.http, provider: this.name });
  }

  /** Daily bars, dividends and splits of `symbol` for the exchange-local days `fromDay..toDay`. */
  async fetchDaily(request: DailyRequest): Promise<ProviderSeries> {
    const { symbol } = request;
    // Ask a day wider on each side: a session's UTC open can fall on the neighbouring UTC date (Sydney, Auckland).
    const period1 = (request.fromDay - 1) * DAY_S;
    const period2 = (request.toDay + 2) * DAY_S;
    const url =
      `${this.baseUrl}/v8/finance/chart/${encodeURIComponent(symbol)}?period1=${period1}&period2=${period2}` +
      '&interval=1d&events=div%7Csplit&includeAdjustedClose=true';
    const response = await this.client.get(url, { symbol });
    if (response.status === 404 || response.status === 400) {
      const parsed = errorSchema.safeParse(safeJson(response.text));
      const error = parsed.success ? parsed.data.chart.error : null;
      if (response.status === 400 && error?.code === 'Bad Request') {
        return { bars: [], actions: [] }; // A range before the listing: no data, not a failure.
      }
      if (response.status === 404) {
        throw new NotFoundError(`yahoo: symbol ${symbol} not found${error ? `: ${error.description}` : ''}`, {
          provider: this.name,
          symbol,
          status: 404,
          providerMessage: error?.description ?? bodyExcerpt(response.text, []),
        });
      }
    }
    if (response.status !== 200) {
      const excerpt = bodyExcerpt(response.text, this.secrets);
      throw new ProviderError(`yahoo: HTTP ${response.status} for ${symbol}: ${excerpt}`, {
        provider: this.name,
        symbol,
        status: response.status,
        providerMessage: excerpt,
      });
    }
    const body = validate(this.client, chartSchema, parseJson(this.client, response, symbol), symbol, 200);
    const { result, error } = body.chart;
    if (error !== null) {
      if (error.code === 'Not Found') {
        throw new NotFoundError(`yahoo: symbol ${symbol} not found: ${error.description}`, {
          provider: this.name,
          symbol,
          status: 200,
          providerMessage: error.description,
        });
      }
      throw new ProviderError(`yahoo: ${error.code} for ${symbol}: ${error.description}`, {
        provider: this.name,
        symbol,
        status: 200,
        providerMessage: error.description,
      });
    }
    const first = result?.[0];
    if (first === undefined) return { bars: [], actions: [] };
    const timeZone = first.meta.exchangeTimezoneName ?? this.defaultTimezone;
    const stamps = first.timestamp ?? [];
    const quote = first.indicators.quote[0];
    const adj = first.indicators.adjclose?.[0]?.adjclose;
    const at = (list: readonly (number | null)[] | undefined, i: number): number | null => list?.[i] ?? null;
    const bars: RawBar[] = [];
    stamps.forEach((ts, i) => {
      const day = localDay(ts * 1000, timeZone);
      if (day < request.fromDay || day > request.toDay) return;
      bars.push({
        day,
        open: at(quote?.open, i),
        high: at(quote?.high, i),
        low: at(quote?.low, i),
        close: at(quote?.close, i),
        adjClose: at(adj, i),
        volume: at(quote?.volume, i),
      });
    });
    const actions: CorporateAction[] = [];
    for (const d of Object.values(first.events?.dividends ?? {})) {
      if (d.amount > 0) actions.push({ kind: 'dividend', day: localDay(d.date * 1000, timeZone), amount: d.amount });
    }
    for (const s of Object.values(first.events?.splits ?? {})) {
      if (s.numerator > 0 && s.denominator > 0) {
        actions.push({
          kind: 'split',
          day: localDay(s.date * 1000, timeZone),
          numerator: s.numerator,
          denominator: s.denominator,
        });
      }
    }
    const name = first.meta.longName ?? first.meta.shortName;
    return {
      bars,
      actions: actions.filter((a) => a.day >= request.fromDay && a.day <= request.toDay),
      timezone: timeZone,
      ...(typeof first.meta.currency === 'string' ? { currency: first.meta.currency } : {}),
      ...(name === undefined ? {} : { name }),
      ...(first.meta.exchangeName === undefined ? {} : { exchange: first.meta.exchangeName }),
    };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Nasdaq Data Link (formerly Quandl): the time-series API for `DATABASE/CODE` symbols
 * (`/api/v3/datasets/DATABASE/CODE/data.json`) and the tables API for `PUBLISHER/TABLE/TICKER` symbols
 * (`/api/v3/datatables/PUBLISHER/TABLE.json?ticker=TICKER`, following `next_cursor_id`). Key from
 * `NASDAQ_DATA_LINK_API_KEY`. Columns are found by name: date, open, high, low, close, adjusted close, volume.
 */

import { z } from 'zod';
import { isoDate, parseIsoDate } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import { AuthError, NotFoundError, ProviderError, RateLimitedError, SchemaError } from './errors.js';
import { bodyExcerpt, HttpClient, type HttpClientOptions, type HttpResponse } from './http.js';
import { API_KEY_ENV, requireKey } from './keys.js';
import { parseJson, rejectHtml, validate } from './response.js';
import type { DailyRequest, MarketDataProvider, ProviderSeries, RawBar } from './types.js';

/** The public base URL; `PFOPT_NASDAQ_BASE_URL` or the configuration replaces it. */
export const NASDAQ_BASE_URL = 'https://data.nasdaq.com';

const cell = z.union([z.string(), z.number(), z.null()]);

const datasetSchema = z.object({
  dataset_data: z.object({ column_names: z.array(z.string()), data: z.array(z.array(cell)) }).loose(),
});

const datatableSchema = z.object({
  datatable: z.object({
    data: z.array(z.array(cell)),
    columns: z.array(z.object({ name: z.string() }).loose()),
  }),
  meta: z.object({ next_cursor_id: z.string().nullable().optional() }).loose().optional(),
});

const errorSchema = z.object({ quandl_error: z.object({ code: z.string(), message: z.string() }) });

/** Options of {@link NasdaqDataLinkProvider}. */
export interface NasdaqOptions {
  readonly baseUrl?: string;
  /** The API key (the CLI reads `NASDAQ_DATA_LINK_API_KEY`). */
  readonly apiKey?: string;
  readonly http?: Omit<HttpClientOptions, 'provider' | 'secrets'>;
  /** Most pages followed on the tables API (default 100). */
  readonly maxPages?: number;
}

const COLUMN_NAMES = {
  date: ['date', 'trade_date'],
  open: ['open'],
  high: ['high'],
  low: ['low'],
  close: ['close', 'settle', 'last', 'value'],
  adjClose: ['adj. close', 'adj_close', 'adjclose', 'closeadj', 'adjusted close'],
  volume: ['volume', 'adj. volume'],
} as const;

/** Index of each known column among `names` (case-insensitive), -1 when absent. */
function columnIndex(names: readonly string[]): Record<keyof typeof COLUMN_NAMES, number> {
  const lower = names.map((n) => n.trim().toLowerCase());
  const find = (candidates: readonly string[]) => {
    for (const c of candidates) {
      const i = lower.indexOf(c);
      if (i >= 0) return i;
    }
    return -1;
  };
  return {
    date: find(COLUMN_NAMES.date),
    open: find(COLUMN_NAMES.open),
    high: find(COLUMN_NAMES.high),
    low: find(COLUMN_NAMES.low),
    close: find(COLUMN_NAMES.close),
    adjClose: find(COLUMN_NAMES.adjClose),
    volume: find(COLUMN_NAMES.volume),
  };
}

/** Nasdaq Data Link time series and tables (mostly premium data: for users with a subscription). */
export class NasdaqDataLinkProvider implements MarketDataProvider {
  readonly name = 'nasdaq';
  readonly defaultTimezone = 'America/New_York';
  readonly secrets: readonly string[];
  readonly adjusted = true;
  readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly client: HttpClient;
  private readonly maxPages: number;

  constructor(options: NasdaqOptions = {}) {
    this.baseUrl = (options.baseUrl ?? NASDAQ_BASE_URL).replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.secrets = this.apiKey === undefined ? [] : [this.apiKey];
    this.maxPages = options.maxPages ?? 100;
    this.client = new HttpClient({ concurrency: 2, ...options.http, provider: this.name, secrets: this.secrets });
  }

  /** Bars of `DATABASE/CODE` (time series) or `PUBLISHER/TABLE/TICKER` (tables) in `fromDay..toDay`. */
  async fetchDaily(request: DailyRequest): Promise<ProviderSeries> {
    const key = requireKey(this.name, this.apiKey, API_KEY_ENV.nasdaq);
    const parts = request.symbol.split('/');
    if (parts.length === 2) return this.timeSeries(request, parts as [string, string], key);
    if (parts.length === 3) return this.table(request, parts as [string, string, string], key);
    throw new ValidationError(
      `nasdaq: symbol ${JSON.stringify(request.symbol)} must be DATABASE/CODE (time series) or PUBLISHER/TABLE/TICKER (tables)`,
    );
  }

  private async timeSeries(request: DailyRequest, [db, code]: [string, string], key: string): Promise<ProviderSeries> {
    const url =
      `${this.baseUrl}/api/v3/datasets/${encodeURIComponent(db)}/${encodeURIComponent(code)}/data.json` +
      `?api_key=${encodeURIComponent(key)}&start_date=${isoDate(request.fromDay)}&end_date=${isoDate(request.toDay)}&order=asc`;
    const body = await this.getJson(url, request.symbol);
    const data = validate(this.client, datasetSchema, body, request.symbol, 200).dataset_data;
    return { bars: this.rows(data.column_names, data.data, request), actions: [], timezone: this.defaultTimezone };
  }

  private async table(
    request: DailyRequest,
    [publisher, table, ticker]: [string, string, string],
    key: string,
  ): Promise<ProviderSeries> {
    const bars: RawBar[] = [];
    let cursor: string | null | undefined = null;
    for (let page = 0; page < this.maxPages; page++) {
      const url: string =
        `${this.baseUrl}/api/v3/datatables/${encodeURIComponent(publisher)}/${encodeURIComponent(table)}.json` +
        `?ticker=${encodeURIComponent(ticker)}&date.gte=${isoDate(request.fromDay)}&date.lte=${isoDate(request.toDay)}` +
        `&api_key=${encodeURIComponent(key)}${cursor ? `&qopts.cursor_id=${encodeURIComponent(cursor)}` : ''}`;
      const body: z.infer<typeof datatableSchema> = validate(
        this.client,
        datatableSchema,
        await this.getJson(url, request.symbol),
        request.symbol,
        200,
      );
      bars.push(
        ...this.rows(
          body.datatable.columns.map((c) => c.name),
          body.datatable.data,
          request,
        ),
      );
      cursor = body.meta?.next_cursor_id;
      if (cursor === null || cursor === undefined) return { bars, actions: [], timezone: this.defaultTimezone };
    }
    throw new ProviderError(`nasdaq: more than ${this.maxPages} pages for ${request.symbol}; narrow the date range`, {
      provider: this.name,
      symbol: request.symbol,
    });
  }

  private rows(
    names: readonly string[],
    data: readonly (readonly (string | number | null)[])[],
    request: DailyRequest,
  ): RawBar[] {
    const at = columnIndex(names);
    if (at.date < 0 || at.close < 0) {
      throw new SchemaError(`nasdaq: ${request.symbol} has no date or close column (columns: ${names.join(', ')})`, {
        provider: this.name,
        symbol: request.symbol,
      });
    }
    const num = (row: readonly (string | number | null)[], i: number): number | null => {
      if (i < 0) return null;
      const v = row[i];
      return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : null;
    };
    const out: RawBar[] = [];
    for (const row of data) {
      const date = row[at.date];
      if (typeof date !== 'string') {
        throw new SchemaError(`nasdaq: ${request.symbol} has a row without a date`, {
          provider: this.name,
          symbol: request.symbol,
        });
      }
      const day = parseIsoDate(date.slice(0, 10), 'nasdaq date');
      if (day < request.fromDay || day > request.toDay) continue;
      out.push({
        day,
        open: num(row, at.open),
        high: num(row, at.high),
        low: num(row, at.low),
        close: num(row, at.close),
        adjClose: num(row, at.adjClose),
        volume: num(row, at.volume),
      });
    }
    return out;
  }

  /** GET and parse, turning `quandl_error` bodies into typed errors. */
  private async getJson(url: string, symbol: string): Promise<unknown> {
    const response: HttpResponse = await this.client.get(url, { symbol });
    rejectHtml(this.client, response, symbol);
    const body = response.status === 200 ? parseJson(this.client, response, symbol) : safeJson(response.text);
    const error = errorSchema.safeParse(body);
    if (error.success || response.status !== 200) {
      const code = error.success ? error.data.quandl_error.code : `HTTP ${response.status}`;
      const message = this.client.redact(
        error.success ? error.data.quandl_error.message : bodyExcerpt(response.text, this.secrets),
      );
      const details = { provider: this.name, symbol, status: response.status, providerMessage: message };
      const text = `nasdaq: ${code} for ${symbol}: ${message}`;
      if (code === 'QECx02' || code === 'QECx01' || response.status === 404) throw new NotFoundError(text, details);
      if (code.startsWith('QEA') || response.status === 401 || response.status === 403)
        throw new AuthError(text, details);
      if (code.startsWith('QEL') || response.status === 429) throw new RateLimitedError(text, details);
      throw new ProviderError(text, details);
    }
    return body;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * FRED series as CSV (`/graph/fredgraph.csv?id=SERIES`), no key: risk-free rates such as DGS3MO (daily) and TB3MS
 * (monthly), in percent a year. Served through the cache like prices (the value is stored as the close), and turned
 * into per-period rates by {@link ratesToPerPeriod}.
 */

import { isoDate, parseIsoDate } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import { riskFreePerPeriod } from '../../core/periods.js';
import { NotFoundError, ProviderError, SchemaError } from './errors.js';
import { bodyExcerpt, HttpClient, type HttpClientOptions } from './http.js';
import { rejectHtml } from './response.js';
import type { DailyRequest, MarketDataProvider, ProviderSeries, RawBar } from './types.js';

/** The public base URL; `PFOPT_FRED_BASE_URL` or the configuration replaces it. */
export const FRED_BASE_URL = 'https://fred.stlouisfed.org';

/** Options of {@link FredProvider}. */
export interface FredOptions {
  readonly baseUrl?: string;
  readonly http?: Omit<HttpClientOptions, 'provider' | 'secrets'>;
}

/** FRED: one value per observation date; `.` or an empty cell means no value. */
export class FredProvider implements MarketDataProvider {
  readonly name = 'fred';
  readonly defaultTimezone = 'America/New_York';
  readonly secrets: readonly string[] = [];
  readonly adjusted = false;
  readonly valueKind = 'rate' as const;
  readonly baseUrl: string;
  private readonly client: HttpClient;

  constructor(options: FredOptions = {}) {
    this.baseUrl = (options.baseUrl ?? FRED_BASE_URL).replace(/\/+$/, '');
    this.client = new HttpClient({ concurrency: 2, ...options.http, provider: this.name });
  }

  /** Observations of series `symbol` in `fromDay..toDay`, each as a bar whose close is the value. */
  async fetchDaily(request: DailyRequest): Promise<ProviderSeries> {
    const { symbol } = request;
    const url =
      `${this.baseUrl}/graph/fredgraph.csv?id=${encodeURIComponent(symbol)}` +
      `&cosd=${isoDate(request.fromDay)}&coed=${isoDate(request.toDay)}`;
    const response = await this.client.get(url, { symbol });
    if (response.status === 404) {
      throw new NotFoundError(`fred: series ${symbol} not found`, {
        provider: this.name,
        symbol,
        status: 404,
        providerMessage: bodyExcerpt(response.text, []),
      });
    }
    rejectHtml(this.client, response, symbol);
    if (response.status !== 200) {
      throw new ProviderError(`fred: HTTP ${response.status} for ${symbol}: ${bodyExcerpt(response.text, [])}`, {
        provider: this.name,
        symbol,
        status: response.status,
      });
    }
    return { bars: parseFredCsv(response.text, symbol, request), actions: [], timezone: this.defaultTimezone };
  }
}

/**
 * Parses FRED's CSV: a header `observation_date,SERIES` (or the older `DATE,SERIES`), then `YYYY-MM-DD,value` lines
 * where `.` or an empty value means none. Throws SchemaError for any other layout.
 */
export function parseFredCsv(text: string, symbol: string, range?: { fromDay: number; toDay: number }): RawBar[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0]?.split(',').map((h) => h.trim()) ?? [];
  const schemaError = (what: string) =>
    new SchemaError(`fred: unexpected CSV for ${symbol}: ${what}; the provider may have changed its format`, {
      provider: 'fred',
      symbol,
    });
  if (header.length !== 2 || !/^(observation_date|date)$/i.test(header[0] as string)) {
    throw schemaError(`header ${JSON.stringify(lines[0] ?? '')}, expected observation_date,${symbol}`);
  }
  const bars: RawBar[] = [];
  for (let i = 1; i < lines.length; i++) {
    const [date, raw] = (lines[i] as string).split(',').map((c) => c.trim());
    let day: number;
    try {
      day = parseIsoDate(date ?? '', 'date');
    } catch {
      throw schemaError(`line ${i + 1} has date ${JSON.stringify(date)}`);
    }
    if (range !== undefined && (day < range.fromDay || day > range.toDay)) continue;
    const value = raw === undefined || raw === '' || raw === '.' ? null : Number(raw);
    if (value !== null && !Number.isFinite(value)) throw schemaError(`line ${i + 1} has value ${JSON.stringify(raw)}`);
    bars.push({ day, open: null, high: null, low: null, close: value, adjClose: null, volume: null });
  }
  return bars;
}

/**
 * A rate in percent as a decimal fraction, shifted in decimal (5.34 gives 0.0534 exactly as written, where
 * 5.34 / 100 gives 0.053399999999999996).
 */
export function percentToDecimal(percent: number): number {
  return Number(`${percent}e-2`);
}

/**
 * Annual rates in percent (FRED's unit) to rates per period: `r = (1 + percent / 100)^(1 / P) - 1` with P periods
 * per year, the project's one convention (`core/periods.ts`).
 */
export function ratesToPerPeriod(percentRates: readonly number[], periodsPerYear: number): number[] {
  if (!(periodsPerYear > 0)) throw new ValidationError(`periods per year must be positive, got ${periodsPerYear}`);
  return percentRates.map((p) => riskFreePerPeriod(percentToDecimal(p), periodsPerYear));
}

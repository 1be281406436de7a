/**
 * Response bodies in the shapes of ../shared/docs/data-sources.md, built from a compact description of sessions so
 * each test states its data in one place.
 */

import { epochDay, isoDate, weekdayOf } from '../../../src/core/dates.js';
import type { Clock } from '../../../src/data/providers/limiter.js';

/** One session of a fixture series. */
export interface Session {
  readonly date: string;
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  readonly close: number | null;
  readonly adjclose: number | null;
  readonly volume: number | null;
}

/** Day number of an ISO date. */
export function day(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return epochDay(y as number, m as number, d as number);
}

/**
 * Weekday sessions from `from` to `to` (inclusive) with a deterministic price path: close = base + 0.5 i (i the
 * session's index), adjclose = close * adjFactor, volume = 1000 + i.
 */
export function sessions(from: string, to: string, base = 100, adjFactor = 0.9): Session[] {
  const out: Session[] = [];
  let i = 0;
  for (let d = day(from); d <= day(to); d++) {
    const w = weekdayOf(d);
    if (w === 0 || w === 6) continue;
    const close = base + 0.5 * i;
    out.push({
      date: isoDate(d),
      open: close - 0.25,
      high: close + 1,
      low: close - 1,
      close,
      adjclose: close * adjFactor,
      volume: 1000 + i,
    });
    i++;
  }
  return out;
}

/** Unix seconds of `hourUtc`:30 UTC on the ISO date, shifted by `dayShift` days. */
export function unixAt(iso: string, hourUtc = 14, dayShift = 0): number {
  return (day(iso) + dayShift) * 86_400 + hourUtc * 3600 + 30 * 60;
}

/** Options of {@link yahooChart}. */
export interface YahooChartOptions {
  readonly timezone?: string;
  readonly currency?: string;
  /** UTC hour of each session's open (default 14, inside the New York session date) and day shift (Sydney: -1 with 23). */
  readonly openHourUtc?: number;
  readonly openDayShift?: number;
  readonly dividends?: readonly { date: string; amount: number }[];
  readonly splits?: readonly { date: string; numerator: number; denominator: number }[];
}

/** A Yahoo chart body (HTTP 200) for the sessions. */
export function yahooChart(symbol: string, rows: readonly Session[], options: YahooChartOptions = {}): unknown {
  const hour = options.openHourUtc ?? 14;
  const shift = options.openDayShift ?? 0;
  const ts = (iso: string): number => unixAt(iso, hour, shift);
  const dividends = Object.fromEntries(
    (options.dividends ?? []).map((d) => [String(ts(d.date)), { amount: d.amount, date: ts(d.date) }]),
  );
  const splits = Object.fromEntries(
    (options.splits ?? []).map((s) => [
      String(ts(s.date)),
      {
        date: ts(s.date),
        numerator: s.numerator,
        denominator: s.denominator,
        splitRatio: `${s.numerator}:${s.denominator}`,
      },
    ]),
  );
  return {
    chart: {
      result: [
        {
          meta: {
            currency: options.currency ?? 'USD',
            symbol,
            exchangeName: 'NMS',
            instrumentType: 'EQUITY',
            firstTradeDate: 345479400,
            regularMarketTime: 1700000000,
            gmtoffset: -18000,
            timezone: 'EST',
            exchangeTimezoneName: options.timezone ?? 'America/New_York',
            dataGranularity: '1d',
            range: '',
          },
          timestamp: rows.map((r) => ts(r.date)),
          events: { dividends, splits },
          indicators: {
            quote: [
              {
                open: rows.map((r) => r.open),
                high: rows.map((r) => r.high),
                low: rows.map((r) => r.low),
                close: rows.map((r) => r.close),
                volume: rows.map((r) => r.volume),
              },
            ],
            adjclose: [{ adjclose: rows.map((r) => r.adjclose) }],
          },
        },
      ],
      error: null,
    },
  };
}

/** Yahoo's 404 body for an unknown or delisted symbol. */
export const YAHOO_NOT_FOUND = {
  chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
};

/** Yahoo's 400 body for a range before the listing. */
export const YAHOO_BAD_REQUEST = {
  chart: {
    result: null,
    error: { code: 'Bad Request', description: "Data doesn't exist for startDate = 1, endDate = 2" },
  },
};

/** The sessions of a Yahoo request (period1/period2 in the query) out of a full history. */
export function sessionsInQuery(all: readonly Session[], query: URLSearchParams): Session[] {
  const p1 = Number(query.get('period1'));
  const p2 = Number(query.get('period2'));
  return all.filter((s) => {
    const t = unixAt(s.date);
    return t >= p1 && t < p2;
  });
}

/** A fake clock: `now` advances only by sleeping; every sleep is recorded. */
export function fakeClock(start = Date.UTC(2024, 0, 10, 12)): Clock & { sleeps: number[]; time: number } {
  const clock = {
    time: start,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}

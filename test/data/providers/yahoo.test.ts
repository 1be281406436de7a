import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, NotFoundError, ProviderError, SchemaError } from '../../../src/data/providers/errors.js';
import { YahooProvider } from '../../../src/data/providers/yahoo.js';
import { day, fakeClock, sessions, YAHOO_BAD_REQUEST, YAHOO_NOT_FOUND, yahooChart } from './fixtures.js';
import { type FixtureServer, startServer } from './server.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const yahoo = (extra: { timeoutMs?: number; retries?: number } = {}) =>
  new YahooProvider({ baseUrl: server.baseUrl, http: { clock: fakeClock(), retries: 1, ...extra } });

const request = { symbol: 'AAPL', fromDay: day('2020-08-24'), toDay: day('2020-09-04') };

describe('Yahoo chart adapter', () => {
  it('reads bars, dividends and splits at the configured base URL with the chart path', async () => {
    const rows = sessions('2020-08-24', '2020-09-04', 400);
    server.handler = () => ({
      body: yahooChart('AAPL', rows, {
        dividends: [
          { date: '2020-08-07', amount: 0.82 },
          { date: '2020-08-28', amount: 0.205 },
        ],
        splits: [{ date: '2020-08-31', numerator: 4, denominator: 1 }],
      }),
    });
    const series = await yahoo().fetchDaily(request);
    const sent = server.requests[server.requests.length - 1];
    expect(sent?.path).toBe('/v8/finance/chart/AAPL');
    expect(sent?.query.get('interval')).toBe('1d');
    expect(sent?.query.get('events')).toBe('div|split');
    expect(Number(sent?.query.get('period1'))).toBeLessThanOrEqual(request.fromDay * 86400);
    expect(Number(sent?.query.get('period2'))).toBeGreaterThan((request.toDay + 1) * 86400);
    expect(series.bars.map((b) => b.day)).toEqual(rows.map((r) => day(r.date)));
    expect(series.bars[0]).toEqual({
      day: day('2020-08-24'),
      open: 399.75,
      high: 401,
      low: 399,
      close: 400,
      adjClose: 360,
      volume: 1000,
    });
    expect(series.timezone).toBe('America/New_York');
    expect(series.currency).toBe('USD');
    // The dividend before the range is left out.
    expect(series.actions).toEqual([
      { kind: 'dividend', day: day('2020-08-28'), amount: 0.205 },
      { kind: 'split', day: day('2020-08-31'), numerator: 4, denominator: 1 },
    ]);
  });

  it('dates Sydney sessions by the exchange-local date, not the UTC date', async () => {
    const rows = sessions('2020-08-24', '2020-08-28', 5);
    // Sessions open at 10:00 Sydney time, 00:00 UTC the same day in winter: use 23:30 UTC of the day before.
    server.handler = () => ({
      body: yahooChart('BHP.AX', rows, { timezone: 'Australia/Sydney', openHourUtc: 23, openDayShift: -1 }),
    });
    const series = await yahoo().fetchDaily({ symbol: 'BHP.AX', fromDay: day('2020-08-24'), toDay: day('2020-08-28') });
    expect(series.bars.map((b) => b.day)).toEqual(rows.map((r) => day(r.date)));
  });

  it('keeps null prices as null for the cleaner', async () => {
    const rows = sessions('2020-08-24', '2020-08-26').map((r, i) =>
      i === 1 ? { ...r, open: null, high: null, low: null, close: null, adjclose: null, volume: null } : r,
    );
    server.handler = () => ({ body: yahooChart('AAPL', rows) });
    const series = await yahoo().fetchDaily(request);
    expect(series.bars[1]?.close).toBeNull();
  });

  it('turns 404 into NotFoundError with the provider message', async () => {
    server.handler = () => ({ status: 404, body: YAHOO_NOT_FOUND });
    const error = await yahoo()
      .fetchDaily(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).providerMessage).toBe('No data found, symbol may be delisted');
  });

  it('treats 400 Bad Request (a range before the listing) as no data', async () => {
    server.handler = () => ({ status: 400, body: YAHOO_BAD_REQUEST });
    expect(await yahoo().fetchDaily(request)).toEqual({ bars: [], actions: [] });
  });

  it('reports truncated JSON, an HTML page and a schema change as SchemaError', async () => {
    const full = JSON.stringify(yahooChart('AAPL', sessions('2020-08-24', '2020-08-28')));
    server.handler = () => ({ body: full.slice(0, 150), headers: { 'content-type': 'application/json' } });
    const truncated = await yahoo()
      .fetchDaily(request)
      .catch((e: unknown) => e);
    expect(truncated).toBeInstanceOf(SchemaError);
    expect((truncated as Error).message).toMatch(/not valid JSON/);

    server.handler = () => ({
      body: '<!DOCTYPE html><html><head><title>Yahoo! - Consent</title></head><body>...</body></html>',
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    const html = await yahoo()
      .fetchDaily(request)
      .catch((e: unknown) => e);
    expect(html).toBeInstanceOf(SchemaError);
    expect((html as Error).message).toMatch(/HTML page.*Yahoo! - Consent/);

    // Schema drift: the quote arrays moved under another name.
    const drifted = yahooChart('AAPL', sessions('2020-08-24', '2020-08-28')) as {
      chart: { result: { indicators: Record<string, unknown> }[] };
    };
    const indicators = drifted.chart.result[0]?.indicators as Record<string, unknown>;
    indicators.quotes = indicators.quote;
    delete indicators.quote;
    server.handler = () => ({ body: drifted });
    const schema = await yahoo()
      .fetchDaily(request)
      .catch((e: unknown) => e);
    expect(schema).toBeInstanceOf(SchemaError);
    expect((schema as Error).message).toMatch(/indicators\.quote/);
  });

  it('gives up on a persistent 500 with ProviderError, and on 401 with an error naming the status', async () => {
    server.handler = () => ({ status: 500, body: 'Internal Server Error' });
    const e500 = await yahoo()
      .fetchDaily(request)
      .catch((e: unknown) => e);
    expect(e500).toBeInstanceOf(ProviderError);
    expect((e500 as ProviderError).status).toBe(500);
    server.handler = () => ({ status: 401, body: { finance: { error: { code: 'Unauthorized' } } } });
    const e401 = await yahoo()
      .fetchDaily(request)
      .catch((e: unknown) => e);
    expect(e401).toBeInstanceOf(ProviderError);
    expect(e401).not.toBeInstanceOf(AuthError);
    expect((e401 as Error).message).toMatch(/HTTP 401/);
  });

  it('fails a response slower than the timeout', async () => {
    server.handler = () => ({ delayMs: 1000, body: yahooChart('AAPL', []) });
    const error = await yahoo({ timeoutMs: 100, retries: 0 })
      .fetchDaily(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/timeout/);
  });
});

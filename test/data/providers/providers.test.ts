import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlphaVantageProvider } from '../../../src/data/providers/alphavantage.js';
import { CsvFileProvider } from '../../../src/data/providers/csv-provider.js';
import {
  AuthError,
  NotFoundError,
  ProviderError,
  RateLimitedError,
  SchemaError,
} from '../../../src/data/providers/errors.js';
import { FredProvider, ratesToPerPeriod } from '../../../src/data/providers/fred.js';
import { NasdaqDataLinkProvider } from '../../../src/data/providers/nasdaq.js';
import { createProvider } from '../../../src/data/providers/registry.js';
import { StooqProvider } from '../../../src/data/providers/stooq.js';
import { TiingoProvider } from '../../../src/data/providers/tiingo.js';
import { YahooProvider } from '../../../src/data/providers/yahoo.js';
import { day, fakeClock } from './fixtures.js';
import { type FixtureServer, startServer } from './server.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const KEY = 'KEY-0123456789abcdef';
const http = () => ({ clock: fakeClock(), retries: 1 });
const range = { fromDay: day('2024-01-02'), toDay: day('2024-01-04') };
const fail = (p: Promise<unknown>) => p.catch((e: unknown) => e);

describe('Alpha Vantage', () => {
  const av = () => new AlphaVantageProvider({ baseUrl: server.baseUrl, apiKey: KEY, http: http() });
  const daily = {
    'Meta Data': {
      '1. Information': 'Daily Prices (open, high, low, close) and Volumes',
      '2. Symbol': 'IBM',
      '3. Last Refreshed': '2024-01-05',
      '4. Output Size': 'Full size',
      '5. Time Zone': 'US/Eastern',
    },
    'Time Series (Daily)': {
      '2024-01-05': {
        '1. open': '160.9',
        '2. high': '161.2',
        '3. low': '159.4',
        '4. close': '159.16',
        '5. volume': '4000000',
      },
      '2024-01-04': {
        '1. open': '160.5',
        '2. high': '161.7',
        '3. low': '160.1',
        '4. close': '160.1',
        '5. volume': '4100000',
      },
      '2024-01-03': {
        '1. open': '161.0',
        '2. high': '161.7',
        '3. low': '160.1',
        '4. close': '160.1',
        '5. volume': '3900000',
      },
      '2024-01-02': {
        '1. open': '162.8',
        '2. high': '163.3',
        '3. low': '160.3',
        '4. close': '161.5',
        '5. volume': '4500000',
      },
    },
  };

  it('reads the daily series (strings, newest first) within the range', async () => {
    server.handler = () => ({ body: daily });
    const series = await av().fetchDaily({ symbol: 'IBM', ...range });
    const sent = server.requests.at(-1);
    expect(sent?.path).toBe('/query');
    expect(sent?.query.get('function')).toBe('TIME_SERIES_DAILY');
    expect(sent?.query.get('symbol')).toBe('IBM');
    expect(sent?.query.get('apikey')).toBe(KEY);
    expect(series.timezone).toBe('America/New_York');
    expect(series.bars.map((b) => b.day).sort()).toEqual([day('2024-01-02'), day('2024-01-03'), day('2024-01-04')]);
    expect(series.bars.find((b) => b.day === day('2024-01-02'))).toEqual({
      day: day('2024-01-02'),
      open: 162.8,
      high: 163.3,
      low: 160.3,
      close: 161.5,
      adjClose: null,
      volume: 4500000,
    });
  });

  it('maps HTTP-200 error bodies to typed errors without the key', async () => {
    server.handler = () => ({
      body: {
        'Error Message':
          'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY.',
      },
    });
    expect(await fail(av().fetchDaily({ symbol: 'XXXX', ...range }))).toBeInstanceOf(NotFoundError);
    server.handler = () => ({
      body: {
        Information:
          'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans.',
      },
    });
    expect(await fail(av().fetchDaily({ symbol: 'IBM', ...range }))).toBeInstanceOf(AuthError);
    server.handler = () => ({
      body: {
        Information:
          'We have detected your API key as KEY-0123456789abcdef and our standard API rate limit is 25 requests per day.',
      },
    });
    const limited = (await fail(av().fetchDaily({ symbol: 'IBM', ...range }))) as RateLimitedError;
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited.message).not.toContain(KEY);
    expect(limited.providerMessage).not.toContain(KEY);
    server.handler = () => ({
      body: { Note: 'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute.' },
    });
    expect(await fail(av().fetchDaily({ symbol: 'IBM', ...range }))).toBeInstanceOf(RateLimitedError);
    server.handler = () => ({ body: { Information: 'the parameter apikey is invalid or missing.' } });
    expect(await fail(av().fetchDaily({ symbol: 'IBM', ...range }))).toBeInstanceOf(AuthError);
  });

  it('reports an HTML page and a missing series as SchemaError', async () => {
    server.handler = () => ({
      body: '<html><head><title>502 Bad Gateway</title></head></html>',
      headers: { 'content-type': 'text/html' },
    });
    expect(await fail(av().fetchDaily({ symbol: 'IBM', ...range }))).toBeInstanceOf(SchemaError);
    server.handler = () => ({ body: { 'Meta Data': daily['Meta Data'], 'Time Series (Day)': {} } });
    const drift = await fail(av().fetchDaily({ symbol: 'IBM', ...range }));
    expect(drift).toBeInstanceOf(SchemaError);
    expect((drift as Error).message).toMatch(/Time Series \(Daily\)/);
  });

  it('fails without a key, naming the variable, before sending anything', async () => {
    const before = server.requests.length;
    const error = await fail(
      new AlphaVantageProvider({ baseUrl: server.baseUrl }).fetchDaily({ symbol: 'IBM', ...range }),
    );
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/ALPHAVANTAGE_API_KEY/);
    expect(server.requests.length).toBe(before);
  });
});

describe('Tiingo', () => {
  const tiingo = () => new TiingoProvider({ baseUrl: server.baseUrl, apiKey: KEY, http: http() });
  const row = (date: string, close: number, extra = {}) => ({
    date: `${date}T00:00:00.000Z`,
    close,
    high: close + 1,
    low: close - 1,
    open: close,
    volume: 1000,
    adjClose: close / 2,
    adjHigh: (close + 1) / 2,
    adjLow: (close - 1) / 2,
    adjOpen: close / 2,
    adjVolume: 2000,
    divCash: 0,
    splitFactor: 1,
    ...extra,
  });

  it('sends the key in the Authorization header and reads prices, dividends and splits', async () => {
    server.handler = () => ({
      body: [
        row('2024-01-02', 100),
        row('2024-01-03', 50, { splitFactor: 2 }),
        row('2024-01-04', 51, { divCash: 0.25 }),
      ],
    });
    const series = await tiingo().fetchDaily({ symbol: 'AAPL', ...range });
    const sent = server.requests.at(-1);
    expect(sent?.path).toBe('/tiingo/daily/aapl/prices');
    expect(sent?.query.get('startDate')).toBe('2024-01-02');
    expect(sent?.query.get('endDate')).toBe('2024-01-04');
    expect(sent?.headers.authorization).toBe(`Token ${KEY}`);
    expect(sent?.url).not.toContain(KEY);
    expect(series.bars.map((b) => [b.day, b.close, b.adjClose])).toEqual([
      [day('2024-01-02'), 100, 50],
      [day('2024-01-03'), 50, 25],
      [day('2024-01-04'), 51, 25.5],
    ]);
    expect(series.actions).toEqual([
      { kind: 'split', day: day('2024-01-03'), numerator: 2, denominator: 1 },
      { kind: 'dividend', day: day('2024-01-04'), amount: 0.25 },
    ]);
  });

  it('maps 404, 401, 429 and the old plain-text limit message', async () => {
    server.handler = () => ({ status: 404, body: { detail: "Error: Ticker 'XXXX' not found" } });
    const notFound = (await fail(tiingo().fetchDaily({ symbol: 'XXXX', ...range }))) as NotFoundError;
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.providerMessage).toBe("Error: Ticker 'XXXX' not found");
    server.handler = () => ({ status: 401, body: { detail: 'Invalid token.' } });
    expect(await fail(tiingo().fetchDaily({ symbol: 'AAPL', ...range }))).toBeInstanceOf(AuthError);
    server.handler = () => ({
      status: 429,
      body: { detail: 'Error: You have run over your hourly request allocation.' },
    });
    expect(await fail(tiingo().fetchDaily({ symbol: 'AAPL', ...range }))).toBeInstanceOf(RateLimitedError);
    server.handler = () => ({ body: 'Error: You have run over your hourly request allocation. Please upgrade.' });
    expect(await fail(tiingo().fetchDaily({ symbol: 'AAPL', ...range }))).toBeInstanceOf(RateLimitedError);
  });
});

describe('FRED', () => {
  const fred = () => new FredProvider({ baseUrl: server.baseUrl, http: http() });

  it('reads the new and the old header, with "." and empty cells as no value', async () => {
    for (const header of ['observation_date,DGS3MO', 'DATE,DGS3MO']) {
      server.handler = () => ({ body: `${header}\n2024-01-02,5.46\n2024-01-03,.\n2024-01-04,\n2024-01-05,5.42\n` });
      const series = await fred().fetchDaily({
        symbol: 'DGS3MO',
        fromDay: day('2024-01-02'),
        toDay: day('2024-01-05'),
      });
      expect(series.bars.map((b) => b.close)).toEqual([5.46, null, null, 5.42]);
    }
    const sent = server.requests.at(-1);
    expect(sent?.path).toBe('/graph/fredgraph.csv');
    expect(sent?.query.get('id')).toBe('DGS3MO');
    expect(sent?.query.get('cosd')).toBe('2024-01-02');
  });

  it('reports a changed layout and an HTML page as SchemaError', async () => {
    server.handler = () => ({ body: 'date;value\n2024-01-02;5.46\n' });
    expect(await fail(fred().fetchDaily({ symbol: 'DGS3MO', ...range }))).toBeInstanceOf(SchemaError);
    server.handler = () => ({
      body: '<!DOCTYPE html><html><title>Error - St. Louis Fed</title></html>',
      headers: { 'content-type': 'text/html' },
    });
    expect(await fail(fred().fetchDaily({ symbol: 'NOPE', ...range }))).toBeInstanceOf(SchemaError);
  });

  it('converts percent a year to per-period rates', () => {
    const [daily] = ratesToPerPeriod([5], 252);
    expect(daily).toBeCloseTo(1.05 ** (1 / 252) - 1, 15);
    const [zero, negative] = ratesToPerPeriod([0, -0.5], 12);
    expect(zero).toBe(0);
    expect(negative).toBeCloseTo(0.995 ** (1 / 12) - 1, 15);
  });
});

describe('Nasdaq Data Link', () => {
  const ndl = () => new NasdaqDataLinkProvider({ baseUrl: server.baseUrl, apiKey: KEY, http: http() });

  it('reads the time-series API', async () => {
    server.handler = () => ({
      body: {
        dataset_data: {
          limit: null,
          transform: null,
          column_index: null,
          column_names: ['Date', 'Open', 'High', 'Low', 'Close', 'Volume', 'Ex-Dividend', 'Split Ratio', 'Adj. Close'],
          start_date: '2024-01-02',
          end_date: '2024-01-04',
          frequency: 'daily',
          data: [
            ['2024-01-02', 10, 11, 9, 10.5, 100, 0, 1, 10.4],
            ['2024-01-03', 10.5, 11, 10, 10.7, 120, 0, 1, 10.6],
          ],
          collapse: null,
          order: 'asc',
        },
      },
    });
    const series = await ndl().fetchDaily({ symbol: 'WIKI/AAPL', ...range });
    const sent = server.requests.at(-1);
    expect(sent?.path).toBe('/api/v3/datasets/WIKI/AAPL/data.json');
    expect(sent?.query.get('api_key')).toBe(KEY);
    expect(sent?.query.get('start_date')).toBe('2024-01-02');
    expect(series.bars).toEqual([
      { day: day('2024-01-02'), open: 10, high: 11, low: 9, close: 10.5, adjClose: 10.4, volume: 100 },
      { day: day('2024-01-03'), open: 10.5, high: 11, low: 10, close: 10.7, adjClose: 10.6, volume: 120 },
    ]);
  });

  it('follows the tables API cursor until it is null', async () => {
    const columns = ['ticker', 'date', 'open', 'high', 'low', 'close', 'volume', 'closeadj'].map((name) => ({
      name,
      type: 'String',
    }));
    server.handler = (req) =>
      req.query.get('qopts.cursor_id') === 'page2'
        ? {
            body: {
              datatable: { data: [['AAPL', '2024-01-03', 2, 2, 2, 2, 20, 1.9]], columns },
              meta: { next_cursor_id: null },
            },
          }
        : {
            body: {
              datatable: { data: [['AAPL', '2024-01-02', 1, 1, 1, 1, 10, 0.9]], columns },
              meta: { next_cursor_id: 'page2' },
            },
          };
    const series = await ndl().fetchDaily({ symbol: 'SHARADAR/SEP/AAPL', ...range });
    expect(server.requests.at(-1)?.path).toBe('/api/v3/datatables/SHARADAR/SEP.json');
    expect(server.requests.at(-1)?.query.get('ticker')).toBe('AAPL');
    expect(series.bars.map((b) => [b.day, b.close, b.adjClose])).toEqual([
      [day('2024-01-02'), 1, 0.9],
      [day('2024-01-03'), 2, 1.9],
    ]);
  });

  it('maps quandl_error codes', async () => {
    server.handler = () => ({
      status: 404,
      body: { quandl_error: { code: 'QECx02', message: 'You have submitted an incorrect Quandl code.' } },
    });
    expect(await fail(ndl().fetchDaily({ symbol: 'WIKI/NOPE', ...range }))).toBeInstanceOf(NotFoundError);
    server.handler = () => ({
      status: 400,
      body: { quandl_error: { code: 'QEAx01', message: 'We could not recognize your API key.' } },
    });
    expect(await fail(ndl().fetchDaily({ symbol: 'WIKI/AAPL', ...range }))).toBeInstanceOf(AuthError);
    server.handler = () => ({
      status: 429,
      body: { quandl_error: { code: 'QELx01', message: 'You have exceeded the API speed limit.' } },
    });
    expect(await fail(ndl().fetchDaily({ symbol: 'WIKI/AAPL', ...range }))).toBeInstanceOf(RateLimitedError);
    server.handler = () => ({ status: 422, body: { quandl_error: { code: 'QEPx04', message: 'Something else.' } } });
    const other = await fail(ndl().fetchDaily({ symbol: 'WIKI/AAPL', ...range }));
    expect(other).toBeInstanceOf(ProviderError);
    expect((other as ProviderError).providerMessage).toBe('Something else.');
  });
});

describe('Stooq', () => {
  const stooq = () => new StooqProvider({ baseUrl: server.baseUrl, http: http() });

  it('reads the daily CSV and maps its HTTP-200 failures', async () => {
    server.handler = () => ({
      body: 'Date,Open,High,Low,Close,Volume\n2024-01-02,187.15,188.44,183.89,185.64,82488700\n2024-01-03,184.22,185.88,183.43,184.25,58414500\n',
    });
    const series = await stooq().fetchDaily({ symbol: 'AAPL.US', ...range });
    const sent = server.requests.at(-1);
    expect(sent?.path).toBe('/q/d/l/');
    expect(sent?.query.get('s')).toBe('aapl.us');
    expect(sent?.query.get('d1')).toBe('20240102');
    expect(series.bars.map((b) => [b.day, b.close, b.volume])).toEqual([
      [day('2024-01-02'), 185.64, 82488700],
      [day('2024-01-03'), 184.25, 58414500],
    ]);
    server.handler = () => ({ body: 'No data' });
    expect(await fail(stooq().fetchDaily({ symbol: 'NOPE.US', ...range }))).toBeInstanceOf(NotFoundError);
    server.handler = () => ({ body: 'Exceeded the daily hits limit' });
    expect(await fail(stooq().fetchDaily({ symbol: 'AAPL.US', ...range }))).toBeInstanceOf(RateLimitedError);
    server.handler = () => ({ body: '<html><head><title>Stooq - CAPTCHA</title></head><body></body></html>' });
    const html = await fail(stooq().fetchDaily({ symbol: 'AAPL.US', ...range }));
    expect(html).toBeInstanceOf(SchemaError);
    expect((html as Error).message).toMatch(/HTML page.*Stooq - CAPTCHA/);
  });
});

describe('local CSV files and the registry', () => {
  it('reads <dir>/<SYMBOL>.csv in the layout of a Yahoo download, and a missing file is not found', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfopt-csv-provider-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'ABC.csv'),
        'Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,1,2,0.5,1.5,1.4,100\n2024-01-03,null,null,null,null,null,null\n2024-01-04,1.5,2,1,1.75,1.7,90\n',
      );
      const csv = new CsvFileProvider({ dir });
      const series = await csv.fetchDaily({ symbol: 'ABC', ...range });
      expect(series.bars.map((b) => [b.day, b.close, b.adjClose, b.volume])).toEqual([
        [day('2024-01-02'), 1.5, 1.4, 100],
        [day('2024-01-03'), null, null, null],
        [day('2024-01-04'), 1.75, 1.7, 90],
      ]);
      expect(await fail(csv.fetchDaily({ symbol: 'XYZ', ...range }))).toBeInstanceOf(NotFoundError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cannot reach the internet from a test: the public base URLs are refused', async () => {
    const error = await fail(new YahooProvider({ http: { retries: 0 } }).fetchDaily({ symbol: 'AAPL', ...range }));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/tests may only send requests to 127\.0\.0\.1/);
  });

  it('takes the base URL from PFOPT_<NAME>_BASE_URL before the configuration, keeping the request path', async () => {
    const yahoo = createProvider('yahoo', {
      env: { PFOPT_YAHOO_BASE_URL: `${server.baseUrl}/` },
      settings: { baseUrl: 'http://127.0.0.1:9/' },
    }) as YahooProvider;
    expect(yahoo.baseUrl).toBe(server.baseUrl);
    const configured = createProvider('yahoo', {
      env: {},
      settings: { baseUrl: 'http://127.0.0.1:8080' },
    }) as YahooProvider;
    expect(configured.baseUrl).toBe('http://127.0.0.1:8080');
    expect((createProvider('yahoo', { env: {} }) as YahooProvider).baseUrl).toBe('https://query1.finance.yahoo.com');
    expect(() => createProvider('fred', { env: { PFOPT_FRED_BASE_URL: 'ftp://x' } })).toThrow(/PFOPT_FRED_BASE_URL/);
  });
});

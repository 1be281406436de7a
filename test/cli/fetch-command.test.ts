import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { openCache } from '../../src/data/cache/index.js';
import { parseCsvMatrix } from '../../src/data/csv/index.js';
import * as library from '../../src/index.js';
import { day, sessions } from '../data/providers/fixtures.js';
import { type FixtureServer, startServer } from '../data/providers/server.js';
import { requestsFor, type YahooState, yahooHandler } from '../data/providers/yahoo-server.js';
import { cli } from './run.js';

let server: FixtureServer;
let dir: string;
let state: YahooState;
const KEY = 'AVKEY-9f8e7d6c5b4a';

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfopt-fetch-cli-'));
  state = { histories: new Map(), overrides: new Map() };
  state.histories.set('AAPL', sessions('2023-06-01', '2024-01-10', 150, 0.98));
  state.histories.set('MSFT', sessions('2023-06-01', '2024-01-10', 300.1, 0.99));
  server.handler = yahooHandler(state);
  server.requests.length = 0;
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every provider points at the fixture server; the cache is private to the test. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PFOPT_CACHE_DIR: path.join(dir, 'cache'),
    PFOPT_YAHOO_BASE_URL: server.baseUrl,
    PFOPT_ALPHAVANTAGE_BASE_URL: server.baseUrl,
    PFOPT_TIINGO_BASE_URL: server.baseUrl,
    PFOPT_FRED_BASE_URL: server.baseUrl,
    PFOPT_NASDAQ_BASE_URL: server.baseUrl,
    PFOPT_STOOQ_BASE_URL: server.baseUrl,
    ...extra,
  };
}

const RANGE = ['--start', '2023-12-01', '--end', '2024-01-10'];

describe('pfopt fetch', () => {
  it('writes a wide CSV of adjusted closes, then serves a repeat from the cache without a request', async () => {
    const out = path.join(dir, 'prices.csv');
    const first = await cli(['fetch', 'AAPL', 'MSFT', '--source', 'yahoo', ...RANGE, '--out', out], {
      env: env(),
      cwd: dir,
    });
    expect(first.stderr).toMatch(/2 of 2 ticker\(s\) fetched/);
    expect(first.code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toBe('date,AAPL,MSFT');
    const matrix = parseCsvMatrix(text);
    const expected = sessions('2023-06-01', '2024-01-10', 150, 0.98).filter((s) => s.date >= '2023-12-01');
    expect(Array.from(matrix.dates)).toEqual(expected.map((s) => day(s.date)));
    expect(Array.from(matrix.series('AAPL'))).toEqual(expected.map((s) => s.adjclose));
    // Shortest round-trip form: 300.1 * 0.99 and friends are written as JavaScript prints them.
    const msft = sessions('2023-06-01', '2024-01-10', 300.1, 0.99).find((s) => s.date === '2023-12-01');
    expect(text).toContain(`2023-12-01,${String(expected[0]?.adjclose)},${String(msft?.adjclose)}\n`);
    const sent = server.requests.length;
    expect(sent).toBe(2);

    const again = await cli(['fetch', 'AAPL', 'MSFT', '--source', 'yahoo', ...RANGE, '--field', 'close'], {
      env: env(),
      cwd: dir,
    });
    expect(again.code).toBe(0);
    expect(server.requests.length).toBe(sent);
    expect(again.stderr).toMatch(
      new RegExp(`${expected.length * 2} row\\(s\\) from the cache, 0 from the network, 0 request`),
    );
    expect(again.stdout.split('\n')[1]).toBe(`2023-12-01,${expected[0]?.close},${msft?.close}`);
  });

  it('writes what succeeded, reports each failure and exits 7 when some tickers failed', async () => {
    state.overrides.set('BUSY', { status: 429, headers: { 'retry-after': '0' }, body: 'Edge: Too Many Requests' });
    const out = path.join(dir, 'p.csv');
    const run = await cli(['fetch', 'AAPL', 'NOPE', 'BUSY', '--source', 'yahoo', ...RANGE, '--out', out], {
      env: env(),
      cwd: dir,
    });
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(/NOPE\s+failed: yahoo: symbol NOPE not found/);
    expect(run.stderr).toMatch(/BUSY\s+failed: yahoo: rate limited/);
    expect(run.stderr).toMatch(/pfopt: 2 of 3 ticker\(s\) failed/);
    expect(fs.readFileSync(out, 'utf8').split('\n')[0]).toBe('date,AAPL');
    // Retried after Retry-After 0, then gave up.
    expect(requestsFor(server.requests, 'BUSY').length).toBeGreaterThan(1);
  });

  it('exits with the failure code when every ticker failed', async () => {
    const run = await cli(['fetch', 'NOPE', '--source', 'yahoo', ...RANGE], { env: env(), cwd: dir });
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/no ticker could be fetched: NOPE/);
  });

  it('--offline says what is missing and sends nothing; --refresh fetches again', async () => {
    await cli(['fetch', 'AAPL', '--source', 'yahoo', '--start', '2023-12-15', '--end', '2024-01-10'], {
      env: env(),
      cwd: dir,
    });
    const sent = server.requests.length;
    const offline = await cli(['fetch', 'AAPL', 'MSFT', '--source', 'yahoo', ...RANGE, '--offline', '--json'], {
      env: env(),
      cwd: dir,
    });
    expect(server.requests.length).toBe(sent);
    expect(offline.code).toBe(7);
    const json = JSON.parse(offline.stdout) as { tickers: { symbol: string; ok: boolean; missing: unknown[] }[] };
    expect(json.tickers[0]).toMatchObject({
      symbol: 'AAPL',
      ok: true,
      missing: [{ from: '2023-12-01', to: '2023-12-14' }],
    });
    expect(json.tickers[1]).toMatchObject({ symbol: 'MSFT', ok: false });
    expect(offline.stderr).toMatch(/does not cover 2023-12-01\.\.2023-12-14/);

    const refresh = await cli(
      ['fetch', 'AAPL', '--source', 'yahoo', '--start', '2023-12-15', '--end', '2024-01-10', '--refresh'],
      {
        env: env(),
        cwd: dir,
      },
    );
    expect(refresh.code).toBe(0);
    expect(server.requests.length).toBe(sent + 1);
  });

  it('rejects --offline with --refresh and an unknown source', async () => {
    const both = await cli(['fetch', 'AAPL', '--offline', '--refresh', ...RANGE], { env: env(), cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exclude each other/);
    const unknown = await cli(['fetch', 'AAPL', '--source', 'bloomberg', ...RANGE], { env: env(), cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/yahoo, alphavantage, tiingo, fred, nasdaq, csv/);
  });

  it('never shows or stores an API key, even from an HTTP-200 error body that echoes it', async () => {
    server.handler = (req) => ({
      body: {
        Information: `Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day. apikey=${req.query.get('apikey')}`,
      },
    });
    const run = await cli(['fetch', 'IBM', '--source', 'alphavantage', ...RANGE, '--json'], {
      env: env({ ALPHAVANTAGE_API_KEY: KEY }),
      cwd: dir,
    });
    expect(server.requests.at(-1)?.query.get('apikey')).toBe(KEY);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/rate limited/);
    expect(run.stdout + run.stderr).not.toContain(KEY);
    const cache = openCache({ dir: path.join(dir, 'cache') });
    try {
      const log = cache.recentFetches(5);
      expect(log[0]?.status).toBe('rate-limited');
      expect(JSON.stringify(log)).not.toContain(KEY);
    } finally {
      cache.close();
    }
    const bytes = fs
      .readdirSync(path.join(dir, 'cache'))
      .map((f) => fs.readFileSync(path.join(dir, 'cache', f)).toString('latin1'));
    for (const b of bytes) expect(b).not.toContain(KEY);
  });

  it('says which variable to set when a key is missing', async () => {
    const run = await cli(['fetch', 'IBM', '--source', 'tiingo', ...RANGE], { env: env(), cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/TIINGO_API_KEY/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('sources, configuration and terminal output', () => {
  it('reads the base URL and retries from the configuration file when no variable is set', async () => {
    fs.writeFileSync(
      path.join(dir, 'pfopt.config.json'),
      JSON.stringify({ source: 'yahoo', providers: { yahoo: { baseUrl: server.baseUrl, retries: 0 } } }),
    );
    state.overrides.set('MSFT', { status: 503, body: 'Service Unavailable' });
    const { PFOPT_YAHOO_BASE_URL: _unused, ...rest } = env();
    const run = await cli(['fetch', 'AAPL', 'MSFT', ...RANGE], { env: rest, cwd: dir });
    expect(run.code).toBe(7);
    expect(requestsFor(server.requests, 'AAPL')).toHaveLength(1);
    // retries: 0, so the 503 was asked once.
    expect(requestsFor(server.requests, 'MSFT')).toHaveLength(1);
    expect(run.stderr).toMatch(/MSFT\s+failed: yahoo: HTTP 503/);
    fs.writeFileSync(
      path.join(dir, 'pfopt.config.json'),
      JSON.stringify({ providers: { yahoo: { baseUrl: 'ftp://x' } } }),
    );
    const bad = await cli(['fetch', 'AAPL', ...RANGE], { env: rest, cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/providers\.yahoo\.baseUrl/);
  });

  it('fetches local files with --source csv from PFOPT_CSV_DIR, through the cache', async () => {
    const files = path.join(dir, 'files');
    fs.mkdirSync(files);
    fs.writeFileSync(path.join(files, 'ABC.csv'), 'Date,Close,Adj Close\n2024-01-02,10,9.5\n2024-01-03,11,10.5\n');
    const run = await cli(['fetch', 'ABC', '--source', 'csv', '--start', '2024-01-01', '--end', '2024-01-05'], {
      env: env({ PFOPT_CSV_DIR: files }),
      cwd: dir,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('date,ABC\n2024-01-02,9.5\n2024-01-03,10.5\n');
    expect(server.requests).toHaveLength(0);
  });

  it('shows a progress bar on a terminal', async () => {
    let stderr = '';
    const code = await runCli(
      ['fetch', 'AAPL', 'MSFT', '--source', 'yahoo', ...RANGE, '--out', path.join(dir, 'x.csv')],
      {
        stdout: { write: () => true },
        stderr: { write: (s: string) => (stderr += s), isTTY: true },
        env: env(),
        cwd: dir,
      },
    );
    expect(code).toBe(0);
    expect(stderr).toContain('] 1/2 fetching from yahoo');
    expect(stderr).toContain(`[${'#'.repeat(30)}] 2/2 fetching from yahoo`);
  });

  it('is reachable from the library entry point', () => {
    expect(library.fetchPrices).toBeTypeOf('function');
    expect(new library.YahooProvider({ baseUrl: server.baseUrl }).baseUrl).toBe(server.baseUrl);
    expect(library.SOURCE_NAMES).toEqual(['yahoo', 'alphavantage', 'tiingo', 'fred', 'nasdaq', 'csv', 'stooq']);
  });
});

describe('--tickers ... --source ... on commands that read --prices', () => {
  it('data show fetches the tickers through the cache', async () => {
    const run = await cli(['data', 'show', '--tickers', 'AAPL', 'MSFT', '--source', 'yahoo', ...RANGE, '--json'], {
      env: env(),
      cwd: dir,
    });
    expect(run.stderr).toBe(run.stderr); // (progress and summary go to stderr)
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { tickers: string[]; start: string; end: string };
    expect(json.tickers).toEqual(['AAPL', 'MSFT']);
    expect(json.start).toBe('2023-12-01');
    expect(json.end).toBe('2024-01-10');
  });

  it('optimize fetches with --source and keeps --tickers as a selection without it', async () => {
    const fetched = await cli(
      [
        'optimize',
        '--tickers',
        'AAPL',
        'MSFT',
        '--source',
        'yahoo',
        ...RANGE,
        '--objective',
        'min-volatility',
        '--json',
      ],
      { env: env(), cwd: dir },
    );
    expect(fetched.stderr).not.toMatch(/internal error/);
    expect(fetched.code).toBe(0);
    expect(Object.keys((JSON.parse(fetched.stdout) as { weights: object }).weights).sort()).toEqual(['AAPL', 'MSFT']);
    const sent = server.requests.length;
    const offline = await cli(
      [
        'optimize',
        '--tickers',
        'AAPL',
        'MSFT',
        '--source',
        'yahoo',
        ...RANGE,
        '--offline',
        '--objective',
        'min-volatility',
        '--json',
      ],
      { env: env(), cwd: dir },
    );
    expect(offline.code).toBe(0);
    expect(server.requests.length).toBe(sent);
    const selected = await cli(
      ['optimize', '--prices', 'sample:stocks', '--tickers', 'AAPL', 'MSFT', '--objective', 'min-volatility', '--json'],
      { env: env(), cwd: dir },
    );
    expect(selected.code).toBe(0);
    expect(Object.keys((JSON.parse(selected.stdout) as { weights: object }).weights).sort()).toEqual(['AAPL', 'MSFT']);
  });

  it('risk and allocate fetch too', async () => {
    const risk = await cli(['risk', '--tickers', 'AAPL', 'MSFT', '--source', 'yahoo', ...RANGE, '--equal', '--json'], {
      env: env(),
      cwd: dir,
    });
    expect(risk.code).toBe(0);
    expect(
      (JSON.parse(risk.stdout) as { metrics: { annualVolatility: number } }).metrics.annualVolatility,
    ).toBeGreaterThan(0);
    fs.writeFileSync(path.join(dir, 'w.csv'), 'ticker,weight\nAAPL,0.5\nMSFT,0.5\n');
    const allocate = await cli(
      [
        'allocate',
        '--weights',
        'w.csv',
        '--budget',
        '10000',
        '--tickers',
        'AAPL',
        'MSFT',
        '--source',
        'yahoo',
        ...RANGE,
        '--offline',
        '--json',
      ],
      { env: env(), cwd: dir },
    );
    expect(allocate.stderr).not.toMatch(/pfopt:/);
    expect(allocate.code).toBe(0);
  });

  it('fails with the fetch failures before the command runs', async () => {
    const run = await cli(['data', 'show', '--tickers', 'AAPL', 'NOPE', '--source', 'yahoo', ...RANGE], {
      env: env(),
      cwd: dir,
    });
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(/NOPE/);
    expect(run.stdout).toBe('');
    const both = await cli(['data', 'show', '--prices', 'sample:stocks', '--tickers', 'AAPL', '--source', 'yahoo'], {
      env: env(),
      cwd: dir,
    });
    expect(both.code).toBe(2);
    const stray = await cli(['data', 'show', '--prices', 'sample:stocks', '--start', '2020-01-01'], {
      env: env(),
      cwd: dir,
    });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--start apply to prices fetched with --source/);
  });
});

describe('pfopt rates', () => {
  it('turns a FRED series in percent into annual and per-period rates', async () => {
    server.handler = (req) =>
      req.path === '/graph/fredgraph.csv' && req.query.get('id') === 'TB3MS'
        ? { body: 'observation_date,TB3MS\n2023-10-01,5.34\n2023-11-01,5.27\n2023-12-01,.\n2024-01-01,5.22\n' }
        : { status: 404, body: 'not found' };
    const run = await cli(['rates', '--series', 'TB3MS', '--start', '2023-10-01', '--end', '2024-01-05', '--json'], {
      env: env(),
      cwd: dir,
    });
    expect(run.stderr).not.toMatch(/pfopt:/);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as {
      periodsPerYear: number;
      observations: { date: string; annual: number; perPeriod: number }[];
    };
    expect(json.periodsPerYear).toBe(12);
    expect(json.observations.map((o) => o.date)).toEqual(['2023-10-01', '2023-11-01', '2024-01-01']);
    expect(json.observations[0]?.annual).toBe(0.0534);
    expect(json.observations[0]?.perPeriod).toBeCloseTo(1.0534 ** (1 / 12) - 1, 15);
    expect(run.stderr).toMatch(/dropped 1 row\(s\) without a close \(2023-12-01\)/);
  });
});

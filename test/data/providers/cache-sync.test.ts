import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CacheStore, openCache } from '../../../src/data/cache/index.js';
import { NotFoundError, RateLimitedError } from '../../../src/data/providers/errors.js';
import { fetchPrices, outcomesToMatrix } from '../../../src/data/providers/fetch-prices.js';
import { syncSymbol } from '../../../src/data/providers/sync.js';
import { YahooProvider } from '../../../src/data/providers/yahoo.js';
import { day, fakeClock, sessions } from './fixtures.js';
import { type FixtureServer, startServer } from './server.js';
import { requestsFor, type YahooState, yahooHandler } from './yahoo-server.js';

let server: FixtureServer;
let dir: string;
let cache: CacheStore;
let state: YahooState;
let provider: YahooProvider;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfopt-sync-'));
  cache = openCache({ dir });
  state = { histories: new Map(), overrides: new Map() };
  server.handler = yahooHandler(state);
  server.requests.length = 0;
  provider = new YahooProvider({ baseUrl: server.baseUrl, http: { clock: fakeClock(), retries: 1 } });
});
afterEach(() => {
  cache.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Wednesday 2024-01-10, 18:30 in New York: the 10th is settled. */
const NOW = Date.UTC(2024, 0, 10, 23, 30);
const at = (ms: number) => () => ms;

function options(extra: Partial<Parameters<typeof syncSymbol>[1]> = {}) {
  return { cache, provider, fromDay: day('2023-12-01'), toDay: day('2024-01-10'), now: at(NOW), ...extra };
}

describe('coverage', () => {
  it('sends nothing for a repeated request covered by final bars', async () => {
    state.histories.set('AAPL', sessions('2023-01-03', '2024-01-10'));
    const first = await syncSymbol('AAPL', options());
    expect(first.ok).toBe(true);
    expect(first.requests).toBe(1);
    expect(first.fromNetwork).toBe(first.bars.length);
    expect(first.bars.every((b) => b.final)).toBe(true);
    const before = server.requests.length;
    const again = await syncSymbol('AAPL', options({ now: at(NOW + 5 * 86_400_000) }));
    expect(server.requests.length).toBe(before);
    expect(again.requests).toBe(0);
    expect(again.fromCache).toBe(first.bars.length);
    expect(again.bars).toEqual(first.bars);
  });

  it('does not count weekends and holidays at the edges as missing', async () => {
    state.histories.set('AAPL', sessions('2023-01-03', '2024-01-10'));
    // Mon 2023-12-18 .. Fri 2023-12-29.
    await syncSymbol('AAPL', options({ fromDay: day('2023-12-18'), toDay: day('2023-12-29') }));
    const before = server.requests.length;
    // Widen by Sat 12-30 .. Mon 01-01 (a weekend and New Year's Day) at the end and by Sat 12-16 .. Sun 12-17 (a
    // weekend) at the start: nothing to fetch.
    const wider = await syncSymbol('AAPL', options({ fromDay: day('2023-12-16'), toDay: day('2024-01-01') }));
    expect(server.requests.length).toBe(before);
    expect(wider.requests).toBe(0);
    // One more weekday at the end is missing, though.
    const more = await syncSymbol('AAPL', options({ fromDay: day('2023-12-16'), toDay: day('2024-01-02') }));
    expect(more.requests).toBe(1);
  });

  it('fetches only what is missing, with a few days of overlap', async () => {
    state.histories.set('AAPL', sessions('2023-01-03', '2024-01-10'));
    await syncSymbol('AAPL', options({ toDay: day('2023-12-29') }));
    const more = await syncSymbol('AAPL', options());
    expect(more.requests).toBe(1);
    const sent = requestsFor(server.requests, 'AAPL').at(-1);
    const period1Day = Math.floor(Number(sent?.query.get('period1')) / 86_400);
    // Missing from 12-30; seven days of overlap back from there, one more day of margin in the adapter.
    expect(period1Day).toBe(day('2023-12-30') - 7 - 1);
    expect(more.fromNetwork).toBeGreaterThan(0);
    expect(more.fromCache + more.fromNetwork).toBe(more.bars.length);
    expect(more.bars.at(-1)?.day).toBe(day('2024-01-10'));
  });

  it('asks separately for missing ranges far apart, never for the cached middle', async () => {
    state.histories.set('AAPL', sessions('2023-01-03', '2024-01-10'));
    await syncSymbol('AAPL', options({ fromDay: day('2023-09-01'), toDay: day('2023-11-30') }));
    server.requests.length = 0;
    const wider = await syncSymbol('AAPL', options({ fromDay: day('2023-06-01') }));
    expect(wider.requests).toBe(2);
    const asked = requestsFor(server.requests, 'AAPL').map((r) => [
      Math.floor(Number(r.query.get('period1')) / 86_400) + 1,
      Math.floor(Number(r.query.get('period2')) / 86_400) - 2,
    ]);
    // Each gap with 7 days of overlap into the cached range (the adapter adds its own day of margin).
    expect(asked).toEqual([
      [day('2023-06-01'), day('2023-08-31') + 7],
      [day('2023-12-01') - 7, day('2024-01-10')],
    ]);
    expect(wider.fromNetwork + wider.fromCache).toBe(wider.bars.length);
    expect(cache.coverage('yahoo', 'AAPL')).toEqual([{ fromDay: day('2023-06-01'), toDay: day('2024-01-10') }]);
  });

  it('treats bars after the settled day as provisional, refetched once they expire', async () => {
    state.histories.set('AAPL', sessions('2023-01-03', '2024-01-10'));
    const midday = Date.UTC(2024, 0, 10, 17); // 12:00 in New York: the 10th is not settled.
    const first = await syncSymbol('AAPL', options({ now: at(midday) }));
    expect(first.bars.at(-1)?.final).toBe(false);
    expect(first.bars.at(-2)?.final).toBe(true);
    const soon = await syncSymbol('AAPL', options({ now: at(midday + 10 * 60_000) }));
    expect(soon.requests).toBe(0);
    const later = await syncSymbol('AAPL', options({ now: at(midday + 2 * 3_600_000) }));
    expect(later.requests).toBe(1);
    const evening = await syncSymbol('AAPL', options({ now: at(NOW) }));
    expect(evening.requests).toBe(1);
    expect(evening.bars.at(-1)?.final).toBe(true);
  });
});

describe('restatement, not found, delisting', () => {
  it('refetches a symbol whole when the adjusted close in the overlap changed (a split)', async () => {
    state.histories.set('AAPL', sessions('2023-01-03', '2024-01-10'));
    await syncSymbol('AAPL', options({ toDay: day('2023-12-29') }));
    // A 2:1 split on 2024-01-08 restates every earlier adjusted close.
    state.histories.set('AAPL', sessions('2023-01-03', '2024-01-10', 100, 0.45));
    const result = await syncSymbol('AAPL', options());
    expect(result.restated).toBe(true);
    expect(result.requests).toBe(2);
    expect(result.warnings.join('\n')).toMatch(/restated history/);
    const all = cache.readBars('yahoo', 'AAPL');
    expect(all[0]?.day).toBe(day('2023-12-01'));
    for (const bar of all) expect(bar.adjClose).toBeCloseTo(bar.close * 0.45, 9);
  });

  it('remembers not-found for a while, then asks again', async () => {
    const first = await syncSymbol('NOPE', options());
    expect(first.ok).toBe(false);
    expect(first.error).toBeInstanceOf(NotFoundError);
    expect(first.requests).toBe(1);
    const again = await syncSymbol('NOPE', options({ now: at(NOW + 3_600_000) }));
    expect(again.requests).toBe(0);
    expect(again.error).toBeInstanceOf(NotFoundError);
    expect(requestsFor(server.requests, 'NOPE')).toHaveLength(1);
    const tomorrow = await syncSymbol('NOPE', options({ now: at(NOW + 25 * 3_600_000) }));
    expect(tomorrow.requests).toBe(1);
    expect(cache.recentFetches(1)[0]?.status).toBe('not-found');
  });

  it('keeps the history of a symbol delisted after it was cached', async () => {
    state.histories.set('GONE', sessions('2023-01-03', '2023-12-29'));
    const first = await syncSymbol('GONE', options({ toDay: day('2023-12-29') }));
    state.histories.delete('GONE');
    const later = await syncSymbol('GONE', options({ now: at(NOW + 3 * 86_400_000), toDay: day('2024-01-12') }));
    expect(later.ok).toBe(true);
    expect(later.notFound).toBe(true);
    expect(later.warnings.join('\n')).toMatch(/delisted/);
    expect(later.bars).toEqual(first.bars);
    expect(cache.readBars('yahoo', 'GONE')).toEqual(first.bars);
  });

  it('treats a range before the listing as empty, not as a failure', async () => {
    state.overrides.set('NEW', {
      status: 400,
      body: { chart: { result: null, error: { code: 'Bad Request', description: "Data doesn't exist" } } },
    });
    const result = await syncSymbol('NEW', options());
    expect(result.ok).toBe(true);
    expect(result.bars).toEqual([]);
    expect(cache.coverage('yahoo', 'NEW')).toEqual([{ fromDay: day('2023-12-01'), toDay: day('2024-01-10') }]);
  });
});

describe('modes and several tickers', () => {
  it('offline uses the cache alone and says what is missing', async () => {
    state.histories.set('AAPL', sessions('2023-01-03', '2024-01-10'));
    await syncSymbol('AAPL', options({ fromDay: day('2023-12-15') }));
    const before = server.requests.length;
    const offline = await syncSymbol('AAPL', options({ mode: 'offline' }));
    expect(server.requests.length).toBe(before);
    expect(offline.ok).toBe(true);
    expect(offline.missing).toEqual([{ fromDay: day('2023-12-01'), toDay: day('2023-12-14') }]);
    expect(offline.warnings.join()).toMatch(/2023-12-01\.\.2023-12-14/);
    const none = await syncSymbol('MSFT', options({ mode: 'offline' }));
    expect(none.ok).toBe(false);
    expect(none.error?.message).toMatch(/without --offline/);
  });

  it('refresh refetches a covered range', async () => {
    state.histories.set('AAPL', sessions('2023-01-03', '2024-01-10'));
    await syncSymbol('AAPL', options());
    const refreshed = await syncSymbol('AAPL', options({ mode: 'refresh' }));
    expect(refreshed.requests).toBe(1);
    expect(refreshed.fromNetwork).toBe(refreshed.bars.length);
  });

  it('saves what succeeded and reports each failure', async () => {
    state.histories.set('AAPL', sessions('2023-01-03', '2024-01-10'));
    state.histories.set('MSFT', sessions('2023-01-03', '2024-01-10', 300));
    state.overrides.set('BUSY', { status: 429, body: 'Edge: Too Many Requests' });
    const progress: string[] = [];
    const result = await fetchPrices(['AAPL', 'NOPE', 'BUSY', 'MSFT', 'AAPL'], {
      ...options(),
      onProgress: (done, total, o) => progress.push(`${done}/${total} ${o.symbol}`),
    });
    expect(result.outcomes.map((o) => o.symbol)).toEqual(['AAPL', 'NOPE', 'BUSY', 'MSFT']);
    expect(result.failures.map((o) => o.symbol)).toEqual(['NOPE', 'BUSY']);
    expect(result.failures[1]?.error).toBeInstanceOf(RateLimitedError);
    expect(progress).toHaveLength(4);
    expect(cache.readBars('yahoo', 'MSFT').length).toBeGreaterThan(0);
    const matrix = outcomesToMatrix(result.outcomes, 'close');
    expect(matrix.tickers).toEqual(['AAPL', 'MSFT']);
    expect(matrix.rowCount).toBe(cache.readBars('yahoo', 'AAPL', day('2023-12-01'), day('2024-01-10')).length);
    expect(
      cache
        .recentFetches(10)
        .map((f) => f.status)
        .sort(),
    ).toEqual(['not-found', 'ok', 'ok', 'rate-limited']);
  });

  it('cleans null rows and an isolated 100x spike, and reports them', async () => {
    const rows = sessions('2023-12-01', '2024-01-10').map((r) =>
      r.date === '2023-12-05'
        ? { ...r, close: null, adjclose: null, open: null, high: null, low: null, volume: null }
        : r.date === '2023-12-12'
          ? { ...r, close: (r.close as number) * 100, adjclose: (r.adjclose as number) * 100 }
          : r,
    );
    state.histories.set('ODD', rows);
    const result = await syncSymbol('ODD', options());
    const days = result.bars.map((b) => b.day);
    expect(days).not.toContain(day('2023-12-05'));
    expect(days).not.toContain(day('2023-12-12'));
    expect(result.cleaning?.nullRows).toEqual([day('2023-12-05')]);
    expect(result.cleaning?.jumps).toEqual([
      { day: day('2023-12-12'), ratio: expect.closeTo(100, 0), action: 'dropped' },
    ]);
    expect(result.warnings.join('\n')).toMatch(/isolated spike on 2023-12-12/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { epochDay } from '../../src/core/dates.js';
import { CacheError, DataError, ValidationError } from '../../src/core/errors.js';
import {
  APPLICATION_ID,
  type BarInput,
  CACHE_FILE_NAME,
  type CacheStore,
  driverName,
  openCache,
  openSqlite,
  SCHEMA_VERSION,
} from '../../src/data/cache/index.js';

let dir: string;
const open: CacheStore[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfopt-cache-store-'));
});

afterEach(() => {
  for (const store of open.splice(0)) store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens a store in this test's directory (or `at`) and closes it after the test. */
function cache(at: string = dir): CacheStore {
  const store = openCache({ dir: at });
  open.push(store);
  return store;
}

function bar(day: number, close: number, extra: Partial<BarInput> = {}): BarInput {
  return {
    day,
    open: close - 1,
    high: close + 2,
    low: close - 2,
    close,
    adjClose: close * 0.9,
    volume: 1000 + day,
    final: true,
    fetchedAt: 1_700_000_000_000,
    ...extra,
  };
}

/** Reads a pragma or count with the raw driver, bypassing the store. */
function rawValue(file: string, sql: string): unknown {
  const db = openSqlite(file);
  try {
    const row = db.prepare(sql).get();
    return row === undefined ? undefined : Object.values(row)[0];
  } finally {
    db.close();
  }
}

describe('opening', () => {
  it('creates the directory recursively and the database file, at the schema version', () => {
    const nested = path.join(dir, 'a', 'b', 'c');
    const store = cache(nested);
    expect(store.path).toBe(path.join(nested, CACHE_FILE_NAME));
    expect(fs.existsSync(store.path)).toBe(true);
    expect(store.driver).toBe(driverName);
    store.close();
    expect(rawValue(path.join(nested, CACHE_FILE_NAME), 'PRAGMA user_version')).toBe(SCHEMA_VERSION);
    expect(rawValue(path.join(nested, CACHE_FILE_NAME), 'PRAGMA application_id')).toBe(APPLICATION_ID);
    expect(rawValue(path.join(nested, CACHE_FILE_NAME), 'PRAGMA journal_mode')).toBe('wal');
  });

  it('keeps data and the schema version across reopen', () => {
    const first = cache();
    first.upsertBars('yahoo', 'AAPL', [bar(10, 100), bar(11, 101)]);
    first.close();
    const second = cache();
    expect(second.info().schemaVersion).toBe(SCHEMA_VERSION);
    expect(second.readBars('yahoo', 'AAPL').map((b) => b.close)).toEqual([100, 101]);
    second.close();
    expect(rawValue(path.join(dir, CACHE_FILE_NAME), 'PRAGMA user_version')).toBe(SCHEMA_VERSION);
  });

  it('turns a file of garbage bytes into a CacheError naming the path and the remedy', () => {
    const file = path.join(dir, CACHE_FILE_NAME);
    fs.writeFileSync(file, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 37 + 11) % 256)));
    const attempt = () => openCache({ dir });
    expect(attempt).toThrow(CacheError);
    expect(attempt).toThrow(file);
    expect(attempt).toThrow(/not a database.*Delete it.*PFOPT_CACHE_DIR/);
  });

  it('reports pages damaged after opening as a CacheError when they are read', () => {
    const store = cache();
    store.upsertBars(
      'p',
      'S',
      Array.from({ length: 5000 }, (_, i) => bar(i, 100 + i)),
    );
    store.close();
    const file = path.join(dir, CACHE_FILE_NAME);
    expect(fs.existsSync(`${file}-wal`)).toBe(false); // closing checkpointed everything into the main file
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(size - 4096, 0xab), 0, size - 4096, 4096); // keep page 1 (header and schema)
    fs.closeSync(fd);
    const damaged = cache();
    expect(() => damaged.readBars('p', 'S')).toThrow(CacheError);
    expect(() => damaged.readBars('p', 'S')).toThrow(/malformed.*SQLITE_CORRUPT.*Delete it/);
    expect(() => damaged.info()).toThrow(file);
  });

  it('refuses a directory it cannot create, with a CacheError that says to set PFOPT_CACHE_DIR', () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'not a directory');
    const attempt = () => openCache({ dir: path.join(blocker, 'cache') });
    expect(attempt).toThrow(CacheError);
    expect(attempt).toThrow(/Cannot create the cache directory .*a-file.*PFOPT_CACHE_DIR/);
  });

  it('refuses a database path that is a directory', () => {
    fs.mkdirSync(path.join(dir, CACHE_FILE_NAME));
    expect(() => openCache({ dir })).toThrow(CacheError);
    expect(() => openCache({ dir })).toThrow(path.join(dir, CACHE_FILE_NAME));
  });

  it('refuses a cache written by a newer pfopt and leaves it untouched', () => {
    const file = path.join(dir, CACHE_FILE_NAME);
    const db = openSqlite(file);
    db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openCache({ dir })).toThrow(CacheError);
    expect(() => openCache({ dir })).toThrow(/schema version 2, newer than the version 1.*upgrade pfopt/);
    expect(rawValue(file, 'PRAGMA user_version')).toBe(SCHEMA_VERSION + 1);
  });

  it("refuses another program's SQLite database instead of adding tables to it", () => {
    const file = path.join(dir, CACHE_FILE_NAME);
    const db = openSqlite(file);
    db.exec('CREATE TABLE notes (body TEXT)');
    db.close();
    expect(() => openCache({ dir })).toThrow(/tables but no pfopt schema version/);
    const other = openSqlite(file);
    other.exec('PRAGMA application_id = 42');
    other.close();
    expect(() => openCache({ dir })).toThrow(/another program \(application id 0x2a\)/);
    expect(rawValue(file, "SELECT count(*) FROM sqlite_schema WHERE name = 'bars'")).toBe(0);
  });

  it('throws a CacheError when used after close, and closing twice is harmless', () => {
    const store = cache();
    store.close();
    store.close();
    expect(() => store.readBars('p', 'S')).toThrow(/the cache is closed/);
    expect(() => store.info()).toThrow(CacheError);
  });
});

describe('bars', () => {
  it('writes and reads bars sorted by day, with every field', () => {
    const store = cache();
    expect(store.upsertBars('yahoo', 'AAPL', [bar(12, 102), bar(10, 100), bar(11, 101, { final: false })])).toBe(3);
    const bars = store.readBars('yahoo', 'AAPL');
    expect(bars.map((b) => b.day)).toEqual([10, 11, 12]);
    expect(bars[0]).toEqual({
      day: 10,
      open: 99,
      high: 102,
      low: 98,
      close: 100,
      adjClose: 90,
      volume: 1010,
      final: true,
      fetchedAt: 1_700_000_000_000,
    });
    expect(bars[1]?.final).toBe(false);
  });

  it('keeps nulls for missing fields and defaults fetchedAt to the time of the call', () => {
    const store = cache();
    const before = Date.now();
    store.upsertBars('av', 'IBM', [
      { day: 5, open: null, high: null, low: null, close: 50, adjClose: null, volume: null, final: true },
    ]);
    const [stored] = store.readBars('av', 'IBM');
    expect(stored).toMatchObject({ open: null, high: null, low: null, close: 50, adjClose: null, volume: null });
    expect(stored?.fetchedAt).toBeGreaterThanOrEqual(before);
    expect(stored?.fetchedAt).toBeLessThanOrEqual(Date.now());
  });

  it('reads an inclusive day range, with either bound optional', () => {
    const store = cache();
    store.upsertBars(
      'yahoo',
      'MSFT',
      Array.from({ length: 10 }, (_, i) => bar(100 + i, i)),
    );
    expect(store.readBars('yahoo', 'MSFT', 103, 105).map((b) => b.day)).toEqual([103, 104, 105]);
    expect(store.readBars('yahoo', 'MSFT', 108).map((b) => b.day)).toEqual([108, 109]);
    expect(store.readBars('yahoo', 'MSFT', undefined, 101).map((b) => b.day)).toEqual([100, 101]);
    expect(store.readBars('yahoo', 'MSFT', 200, 300)).toEqual([]);
    expect(store.readBars('yahoo', 'NOPE')).toEqual([]);
  });

  it('keeps series of different providers and symbols apart', () => {
    const store = cache();
    store.upsertBars('yahoo', 'AAPL', [bar(1, 10)]);
    store.upsertBars('tiingo', 'AAPL', [bar(1, 20)]);
    store.upsertBars('yahoo', 'aapl', [bar(1, 30)]);
    expect(store.readBars('yahoo', 'AAPL').map((b) => b.close)).toEqual([10]);
    expect(store.readBars('tiingo', 'AAPL').map((b) => b.close)).toEqual([20]);
    expect(store.readBars('yahoo', 'aapl').map((b) => b.close)).toEqual([30]);
  });

  it('replaces a bar of the same day and never deletes the others', () => {
    const store = cache();
    store.upsertBars('yahoo', 'AAPL', [bar(1, 10), bar(2, 20, { final: false }), bar(3, 30)]);
    store.upsertBars('yahoo', 'AAPL', [bar(2, 21, { final: true, volume: null, fetchedAt: 1_800_000_000_000 })]);
    const bars = store.readBars('yahoo', 'AAPL');
    expect(bars.map((b) => [b.day, b.close])).toEqual([
      [1, 10],
      [2, 21],
      [3, 30],
    ]);
    expect(bars[1]).toMatchObject({ final: true, volume: null, fetchedAt: 1_800_000_000_000 });
    store.upsertBars('yahoo', 'AAPL', []); // an empty fetch removes nothing
    expect(store.readBars('yahoo', 'AAPL')).toHaveLength(3);
  });

  it('rejects an invalid bar and then writes nothing of the whole call', () => {
    const store = cache();
    store.upsertBars('yahoo', 'AAPL', [bar(1, 10)]);
    const good = [bar(1, 11), bar(2, 12)];
    expect(() => store.upsertBars('yahoo', 'AAPL', [...good, bar(3, Number.NaN)])).toThrow(DataError);
    expect(() => store.upsertBars('yahoo', 'AAPL', [...good, bar(3, 13, { high: Number.POSITIVE_INFINITY })])).toThrow(
      /bar of yahoo:AAPL on day 3: high must be a finite number or null/,
    );
    expect(() => store.upsertBars('yahoo', 'AAPL', [...good, bar(3.5, 13)])).toThrow(/day must be an integer/);
    expect(() => store.upsertBars('yahoo', 'AAPL', [...good, bar(3, 13, { fetchedAt: 1.5 })])).toThrow(/fetchedAt/);
    expect(store.readBars('yahoo', 'AAPL').map((b) => [b.day, b.close])).toEqual([[1, 10]]);
    expect(() => store.upsertBars('', 'AAPL', good)).toThrow(ValidationError);
    expect(() => store.readBars('yahoo', 'AAPL', 1.5)).toThrow(ValidationError);
  });

  it('stores real calendar day numbers, including days before 1970', () => {
    const store = cache();
    const days = [epochDay(1962, 1, 2), epochDay(2024, 2, 29)];
    store.upsertBars(
      'yahoo',
      'IBM',
      days.map((day) => bar(day, 7)),
    );
    expect(store.readBars('yahoo', 'IBM').map((b) => b.day)).toEqual(days);
  });
});

describe('corporate actions', () => {
  it('writes, replaces and reads dividends and splits in day order', () => {
    const store = cache();
    expect(
      store.putActions('yahoo', 'AAPL', [
        { day: 300, kind: 'split', numerator: 4, denominator: 1 },
        { day: 100, kind: 'dividend', amount: 0.2 },
        { day: 300, kind: 'dividend', amount: 0.205 },
      ]),
    ).toBe(3);
    store.putActions('yahoo', 'AAPL', [{ day: 100, kind: 'dividend', amount: 0.22 }]);
    expect(store.readActions('yahoo', 'AAPL')).toEqual([
      { day: 100, kind: 'dividend', amount: 0.22 },
      { day: 300, kind: 'dividend', amount: 0.205 },
      { day: 300, kind: 'split', numerator: 4, denominator: 1 },
    ]);
    expect(store.readActions('yahoo', 'AAPL', 200, 400)).toHaveLength(2);
    expect(store.readActions('yahoo', 'AAPL', undefined, 150)).toEqual([{ day: 100, kind: 'dividend', amount: 0.22 }]);
    expect(store.readActions('yahoo', 'MSFT')).toEqual([]);
  });

  it('rejects non-positive amounts and ratios without writing anything of the call', () => {
    const store = cache();
    const valid = { day: 1, kind: 'dividend', amount: 1 } as const;
    expect(() => store.putActions('y', 'S', [valid, { day: 2, kind: 'dividend', amount: 0 }])).toThrow(DataError);
    expect(() => store.putActions('y', 'S', [valid, { day: 2, kind: 'split', numerator: 2, denominator: -1 }])).toThrow(
      /split of y:S on day 2: denominator must be a positive finite number/,
    );
    expect(store.readActions('y', 'S')).toEqual([]);
  });
});

describe('instruments', () => {
  it('creates, merges and clears fields, tracking first and last seen', () => {
    const store = cache();
    expect(store.getInstrument('yahoo', 'AAPL')).toBeUndefined();
    const created = store.upsertInstrument('yahoo', 'AAPL', {
      name: 'Apple Inc.',
      currency: 'USD',
      exchange: 'NMS',
      exchangeTimezone: 'America/New_York',
      seenAt: 2000,
    });
    expect(created).toEqual({
      provider: 'yahoo',
      symbol: 'AAPL',
      name: 'Apple Inc.',
      currency: 'USD',
      exchange: 'NMS',
      exchangeTimezone: 'America/New_York',
      firstSeenAt: 2000,
      lastSeenAt: 2000,
      notFoundUntil: null,
    });
    store.upsertInstrument('yahoo', 'AAPL', { seenAt: 3000, exchange: null });
    store.upsertInstrument('yahoo', 'AAPL', { seenAt: 1000 });
    expect(store.getInstrument('yahoo', 'AAPL')).toEqual({
      ...created,
      exchange: null,
      firstSeenAt: 1000,
      lastSeenAt: 3000,
    });
  });

  it('records and lifts a negative-cache entry for a symbol that was not found', () => {
    const store = cache();
    store.upsertInstrument('yahoo', 'ZZZZ', { notFoundUntil: 5000 });
    expect(store.getInstrument('yahoo', 'ZZZZ')).toMatchObject({ notFoundUntil: 5000, firstSeenAt: null, name: null });
    store.upsertInstrument('yahoo', 'ZZZZ', { seenAt: 6000, notFoundUntil: null });
    expect(store.getInstrument('yahoo', 'ZZZZ')).toMatchObject({ notFoundUntil: null, lastSeenAt: 6000 });
    expect(() => store.upsertInstrument('yahoo', 'ZZZZ', { notFoundUntil: Number.NaN })).toThrow(ValidationError);
  });
});

describe('coverage', () => {
  it('merges overlapping, adjacent and contained ranges and keeps disjoint ones apart', () => {
    const store = cache();
    expect(store.addCoverage('y', 'S', 10, 20)).toEqual({ fromDay: 10, toDay: 20 });
    expect(store.addCoverage('y', 'S', 30, 40)).toEqual({ fromDay: 30, toDay: 40 }); // disjoint
    expect(store.coverage('y', 'S')).toEqual([
      { fromDay: 10, toDay: 20 },
      { fromDay: 30, toDay: 40 },
    ]);
    expect(store.addCoverage('y', 'S', 15, 25)).toEqual({ fromDay: 10, toDay: 25 }); // overlap
    expect(store.addCoverage('y', 'S', 26, 28)).toEqual({ fromDay: 10, toDay: 28 }); // adjacent after
    expect(store.addCoverage('y', 'S', 5, 9)).toEqual({ fromDay: 5, toDay: 28 }); // adjacent before
    expect(store.addCoverage('y', 'S', 32, 35)).toEqual({ fromDay: 30, toDay: 40 }); // contained
    expect(store.coverage('y', 'S')).toEqual([
      { fromDay: 5, toDay: 28 },
      { fromDay: 30, toDay: 40 },
    ]);
    expect(store.addCoverage('y', 'S', 29, 29)).toEqual({ fromDay: 5, toDay: 40 }); // bridges the gap
    expect(store.coverage('y', 'S')).toEqual([{ fromDay: 5, toDay: 40 }]);
    expect(store.addCoverage('y', 'S', 0, 100)).toEqual({ fromDay: 0, toDay: 100 }); // contains
    expect(store.coverage('y', 'S')).toEqual([{ fromDay: 0, toDay: 100 }]);
  });

  it('merges a range spanning several stored ones and keeps series apart', () => {
    const store = cache();
    for (const [from, to] of [
      [0, 1],
      [5, 6],
      [10, 11],
      [20, 21],
    ] as const) {
      store.addCoverage('y', 'S', from, to);
    }
    store.addCoverage('y', 'T', 3, 3);
    expect(store.addCoverage('y', 'S', 3, 12)).toEqual({ fromDay: 3, toDay: 12 });
    expect(store.coverage('y', 'S')).toEqual([
      { fromDay: 0, toDay: 1 },
      { fromDay: 3, toDay: 12 },
      { fromDay: 20, toDay: 21 },
    ]);
    expect(store.coverage('y', 'T')).toEqual([{ fromDay: 3, toDay: 3 }]);
    expect(store.coverage('z', 'S')).toEqual([]);
  });

  it('rejects a reversed or fractional range', () => {
    const store = cache();
    expect(() => store.addCoverage('y', 'S', 5, 4)).toThrow(/fromDay \(5\) must not be after toDay \(4\)/);
    expect(() => store.addCoverage('y', 'S', 1.5, 4)).toThrow(ValidationError);
    expect(store.coverage('y', 'S')).toEqual([]);
  });
});

describe('fetch log', () => {
  it('records fetches and returns the most recent first, with every field', () => {
    const store = cache();
    const first = store.logFetch({
      time: 1000,
      provider: 'yahoo',
      symbol: 'AAPL',
      fromDay: 10,
      toDay: 20,
      status: 'ok',
      httpStatus: 200,
      rows: 11,
    });
    const second = store.logFetch({
      time: 2000,
      provider: 'yahoo',
      symbol: 'ZZZZ',
      status: 'not-found',
      httpStatus: 404,
    });
    const third = store.logFetch({ provider: 'fred', status: 'error', message: 'socket hang up' });
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
    const recent = store.recentFetches(2);
    expect(recent.map((e) => e.id)).toEqual([third, second]);
    expect(recent[1]).toEqual({
      id: second,
      time: 2000,
      provider: 'yahoo',
      symbol: 'ZZZZ',
      fromDay: null,
      toDay: null,
      status: 'not-found',
      httpStatus: 404,
      rows: 0,
      message: null,
    });
    expect(store.recentFetches()[2]).toMatchObject({ id: first, fromDay: 10, toDay: 20, rows: 11, status: 'ok' });
    expect(store.recentFetches(0)).toEqual([]);
  });

  it('stores messages without API keys, cut to a bounded length', () => {
    const store = cache();
    store.logFetch({
      provider: 'alphavantage',
      status: 'error',
      message: 'GET https://www.alphavantage.co/query?function=TIME_SERIES_DAILY&symbol=IBM&apikey=SECRETKEY123 failed',
    });
    store.logFetch({
      provider: 'tiingo',
      status: 'rate-limited',
      httpStatus: 429,
      message: 'request with Authorization: Token abc123def456 refused; key ZQX-98765 echoed',
      secrets: ['ZQX-98765'],
    });
    store.logFetch({ provider: 'stooq', status: 'error', message: `<html>${'x'.repeat(10_000)}</html>` });
    const [stooq, tiingo, av] = store.recentFetches(3);
    expect(av?.message).toBe(
      'GET https://www.alphavantage.co/query?function=TIME_SERIES_DAILY&symbol=IBM&apikey=[REDACTED] failed',
    );
    expect(tiingo?.message).toBe('request with Authorization: Token [REDACTED] refused; key [REDACTED] echoed');
    expect(stooq?.message).toHaveLength(2000);
    // Nothing secret reached the file, not even in free pages or the write-ahead log.
    store.close();
    const bytes = Buffer.concat(
      [store.path, `${store.path}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
    );
    for (const secret of ['SECRETKEY123', 'abc123def456', 'ZQX-98765']) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
  });

  it('rejects an unknown status or a bad count', () => {
    const store = cache();
    // @ts-expect-error: not a FetchStatus
    expect(() => store.logFetch({ provider: 'y', status: 'fine' })).toThrow(/status must be one of ok, empty/);
    expect(() => store.logFetch({ provider: 'y', status: 'ok', rows: -1 })).toThrow(ValidationError);
    expect(() => store.recentFetches(-1)).toThrow(ValidationError);
    expect(store.recentFetches()).toEqual([]);
  });
});

describe('transactions', () => {
  it('withTransaction commits several writes together', () => {
    const store = cache();
    const result = store.withTransaction((s) => {
      s.upsertBars('y', 'S', [bar(1, 10), bar(2, 20)]);
      s.addCoverage('y', 'S', 1, 2);
      s.upsertInstrument('y', 'S', { seenAt: 5 });
      return 'done';
    });
    expect(result).toBe('done');
    expect(store.readBars('y', 'S')).toHaveLength(2);
    expect(store.coverage('y', 'S')).toEqual([{ fromDay: 1, toDay: 2 }]);
  });

  it('withTransaction rolls every write back when the function throws', () => {
    const store = cache();
    store.upsertBars('y', 'S', [bar(1, 10)]);
    const boom = new Error('provider answered garbage');
    expect(() =>
      store.withTransaction((s) => {
        s.upsertBars('y', 'S', [bar(1, 99), bar(2, 20)]);
        s.addCoverage('y', 'S', 1, 2);
        s.putActions('y', 'S', [{ day: 2, kind: 'dividend', amount: 1 }]);
        s.logFetch({ provider: 'y', symbol: 'S', status: 'ok' });
        throw boom;
      }),
    ).toThrow(boom);
    expect(store.readBars('y', 'S').map((b) => [b.day, b.close])).toEqual([[1, 10]]);
    expect(store.coverage('y', 'S')).toEqual([]);
    expect(store.readActions('y', 'S')).toEqual([]);
    expect(store.recentFetches()).toEqual([]);
    // The connection is usable afterwards.
    store.upsertBars('y', 'S', [bar(3, 30)]);
    expect(store.readBars('y', 'S')).toHaveLength(2);
  });

  it('an inner failure caught inside withTransaction undoes only the inner write', () => {
    const store = cache();
    store.withTransaction((s) => {
      s.upsertBars('y', 'S', [bar(1, 10)]);
      expect(() => s.upsertBars('y', 'S', [bar(2, 20), bar(3, Number.NaN)])).toThrow(DataError);
      s.upsertBars('y', 'S', [bar(4, 40)]);
    });
    expect(store.readBars('y', 'S').map((b) => b.day)).toEqual([1, 4]);
  });

  it('refuses an asynchronous function and writes nothing', () => {
    const store = cache();
    expect(() =>
      store.withTransaction(async (s) => {
        s.upsertBars('y', 'S', [bar(1, 10)]);
      }),
    ).toThrow(/must be synchronous/);
    expect(store.readBars('y', 'S')).toEqual([]);
  });

  it('sees the writes of another connection to the same file', () => {
    const writer = cache();
    const reader = cache();
    writer.upsertBars('y', 'S', [bar(1, 10)]);
    expect(reader.readBars('y', 'S')).toHaveLength(1);
  });
});

describe('info and clear', () => {
  it('counts rows and summarizes each series', () => {
    const store = cache();
    store.upsertBars('yahoo', 'MSFT', [bar(5, 1), bar(9, 2), bar(7, 3)]);
    store.upsertBars('yahoo', 'AAPL', [bar(3, 1)]);
    store.upsertBars('tiingo', 'AAPL', [bar(4, 1), bar(6, 1)]);
    store.putActions('yahoo', 'AAPL', [{ day: 3, kind: 'dividend', amount: 1 }]);
    store.upsertInstrument('yahoo', 'AAPL', { name: 'Apple' });
    store.logFetch({ provider: 'yahoo', status: 'ok' });
    store.logFetch({ provider: 'yahoo', status: 'empty' });
    const info = store.info();
    expect(info).toMatchObject({
      path: path.join(dir, CACHE_FILE_NAME),
      driver: driverName,
      schemaVersion: SCHEMA_VERSION,
      instruments: 1,
      bars: 6,
      actions: 1,
      fetches: 2,
    });
    expect(info.sizeBytes).toBeGreaterThan(0);
    expect(info.symbols).toEqual([
      { provider: 'tiingo', symbol: 'AAPL', bars: 2, firstDay: 4, lastDay: 6 },
      { provider: 'yahoo', symbol: 'AAPL', bars: 1, firstDay: 3, lastDay: 3 },
      { provider: 'yahoo', symbol: 'MSFT', bars: 3, firstDay: 5, lastDay: 9 },
    ]);
  });

  it('clear deletes every row of every table, shrinks the file, and the cache stays usable', () => {
    const store = cache();
    store.upsertBars(
      'yahoo',
      'MSFT',
      Array.from({ length: 20_000 }, (_, i) => bar(i, i + 1)),
    );
    store.putActions('yahoo', 'MSFT', [{ day: 3, kind: 'split', numerator: 2, denominator: 1 }]);
    store.upsertInstrument('yahoo', 'MSFT', { name: 'Microsoft' });
    store.addCoverage('yahoo', 'MSFT', 0, 19_999);
    store.logFetch({ provider: 'yahoo', status: 'ok' });
    const full = store.info().sizeBytes;
    store.clear();
    const info = store.info();
    expect(info).toMatchObject({ instruments: 0, bars: 0, actions: 0, fetches: 0, symbols: [] });
    expect(store.coverage('yahoo', 'MSFT')).toEqual([]);
    expect(info.sizeBytes).toBeLessThan(full / 10);
    store.upsertBars('yahoo', 'MSFT', [bar(1, 1)]);
    expect(store.info().bars).toBe(1);
  });

  it('reports a sound file as having no integrity problems', () => {
    const store = cache();
    store.upsertBars('y', 'S', [bar(1, 1)]);
    expect(store.checkIntegrity()).toEqual([]);
  });
});

describe('performance', () => {
  it('writes 1,000,000 bars in one transaction in seconds and reads a range in milliseconds', () => {
    const store = cache();
    const bars: BarInput[] = [];
    for (let day = 0; day < 1_000_000; day++) bars.push(bar(day, 100 + (day % 50)));
    const t0 = performance.now();
    store.upsertBars('perf', 'BIG', bars);
    const writeMs = performance.now() - t0;
    store.readBars('perf', 'BIG', 0, 10); // warm up
    const t1 = performance.now();
    const range = store.readBars('perf', 'BIG', 600_000, 602_519);
    const readMs = performance.now() - t1;
    expect(range).toHaveLength(2520);
    expect(range[0]?.day).toBe(600_000);
    // Generous bounds (about 3 s and 3 ms on the development machine) that still catch a statement prepared per row,
    // a transaction per row (minutes) or a full scan per read.
    expect(writeMs).toBeLessThan(20_000);
    expect(readMs).toBeLessThan(200);
  });
});

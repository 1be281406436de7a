/**
 * The local market-data cache: daily bars, corporate actions, instrument facts, coverage ranges and a fetch log in
 * one SQLite file. Every write runs in a transaction, so a process killed mid-write leaves the last committed state;
 * nothing but {@link CacheStore.clear} deletes bars or actions, so history a provider later drops (delisting) stays.
 */

import fs from 'node:fs';
import path from 'node:path';
import { CacheError, DataError, ValidationError } from '../../core/errors.js';
import { cacheFilePath, resolveCacheDir } from './location.js';
import { redact } from './redact.js';
import { type ACTION_KINDS, FETCH_STATUSES, migrate, SCHEMA_VERSION, SchemaMismatch } from './schema.js';
import {
  asSqliteError,
  type DriverName,
  openSqlite,
  type SqliteDatabase,
  type SqliteError,
  type SqliteStatement,
  type SqlRow,
} from './sqlite-driver.js';

/** A daily bar as stored. Prices are in the instrument's currency; `close` is the provider's (split-adjusted) close. */
export interface CachedBar {
  /** Trading day: days since 1970-01-01, the exchange-local date of the session. */
  readonly day: number;
  /** Session open, high and low; null when the provider gives none. */
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  /** Session close as the provider reports it (split-adjusted at most providers). */
  readonly close: number;
  /** The provider's split- and dividend-adjusted close, when it gives one. */
  readonly adjClose: number | null;
  /** Shares traded; null when the provider gives none. */
  readonly volume: number | null;
  /** True when the session had completed when fetched, so the bar never changes unless the provider restates it. */
  readonly final: boolean;
  /** When the bar was fetched, in ms since the Unix epoch. */
  readonly fetchedAt: number;
}

/** A bar to write; `fetchedAt` defaults to the time of the {@link CacheStore.upsertBars} call. */
export type BarInput = Omit<CachedBar, 'fetchedAt'> & { readonly fetchedAt?: number };

/** A corporate action kind. */
export type ActionKind = (typeof ACTION_KINDS)[number];

/** A corporate action on its ex-date. */
export type CorporateAction =
  | {
      /** Ex-dividend day (days since 1970-01-01). */
      readonly day: number;
      readonly kind: 'dividend';
      /** Cash amount per share, in the instrument's currency; positive. */
      readonly amount: number;
    }
  | {
      /** Day the split takes effect (days since 1970-01-01). */
      readonly day: number;
      readonly kind: 'split';
      /** New shares per `denominator` old shares: a 4-for-1 split is 4 / 1. Positive. */
      readonly numerator: number;
      readonly denominator: number;
    };

/** What the cache knows about an instrument at one provider. Timestamps are ms since the Unix epoch. */
export interface Instrument {
  readonly provider: string;
  readonly symbol: string;
  readonly name: string | null;
  /** ISO 4217 code as the provider reports it (it may be a minor unit such as GBp). */
  readonly currency: string | null;
  readonly exchange: string | null;
  /** IANA time zone of the exchange, for example America/New_York. */
  readonly exchangeTimezone: string | null;
  /** When a provider response first and last described the instrument. */
  readonly firstSeenAt: number | null;
  readonly lastSeenAt: number | null;
  /** Negative cache: until this time, do not ask the provider again; it said the symbol does not exist. */
  readonly notFoundUntil: number | null;
}

/**
 * Changes to an instrument. A field that is absent (undefined) keeps its stored value, `null` clears it, a value sets
 * it. `seenAt` records a provider response describing the instrument: it sets `lastSeenAt` (when later) and
 * `firstSeenAt` (when earlier, or unset). Finding a symbol does not clear `notFoundUntil` by itself: pass null.
 */
export interface InstrumentUpdate {
  readonly name?: string | null;
  readonly currency?: string | null;
  readonly exchange?: string | null;
  readonly exchangeTimezone?: string | null;
  readonly seenAt?: number;
  readonly notFoundUntil?: number | null;
}

/** An inclusive range of days, both ends included. */
export interface DayRange {
  readonly fromDay: number;
  readonly toDay: number;
}

/** Outcome of one request to a provider. */
export type FetchStatus = (typeof FETCH_STATUSES)[number];

/** A fetch to record. `time` defaults to now; the message is redacted and cut to {@link MAX_MESSAGE_LENGTH}. */
export interface FetchLogInput {
  readonly time?: number;
  readonly provider: string;
  readonly symbol?: string | null;
  readonly fromDay?: number | null;
  readonly toDay?: number | null;
  readonly status: FetchStatus;
  readonly httpStatus?: number | null;
  /** Rows (bars) the response delivered. */
  readonly rows?: number;
  readonly message?: string | null;
  /** Strings to remove from the message besides the usual credential patterns: pass the provider's API keys. */
  readonly secrets?: readonly string[];
}

/** A recorded fetch. */
export interface FetchLogEntry {
  readonly id: number;
  /** When the request was made, in ms since the Unix epoch. */
  readonly time: number;
  readonly provider: string;
  readonly symbol: string | null;
  readonly fromDay: number | null;
  readonly toDay: number | null;
  readonly status: FetchStatus;
  readonly httpStatus: number | null;
  readonly rows: number;
  readonly message: string | null;
}

/** Per-series summary in {@link CacheInfo}. */
export interface CachedSeriesInfo {
  readonly provider: string;
  readonly symbol: string;
  readonly bars: number;
  readonly firstDay: number;
  readonly lastDay: number;
}

/** What {@link CacheStore.info} reports. */
export interface CacheInfo {
  /** The database file. */
  readonly path: string;
  readonly driver: DriverName;
  /** Bytes on disk: the database file plus its write-ahead log. */
  readonly sizeBytes: number;
  readonly schemaVersion: number;
  readonly instruments: number;
  readonly bars: number;
  readonly actions: number;
  readonly fetches: number;
  /** Every series with bars, ordered by provider then symbol. */
  readonly symbols: readonly CachedSeriesInfo[];
}

/** Options of {@link openCache}. */
export interface OpenCacheOptions {
  /** Cache directory; default {@link resolveCacheDir}(). Created (recursively) when missing. */
  readonly dir?: string;
  /** How long to wait for another process's write lock, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

/** Longest fetch-log message kept; longer ones (an HTML error page, say) are cut. */
export const MAX_MESSAGE_LENGTH = 2000;

const MIN_DAY = -Number.MAX_SAFE_INTEGER;
const MAX_DAY = Number.MAX_SAFE_INTEGER;

/** What to tell the user for each kind of SQLite failure on an open cache. */
function advice(code: string): string {
  switch (code) {
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
    case 'SQLITE_FORMAT':
      return 'The file is damaged. Delete it (the cache is rebuilt on the next fetch) or set PFOPT_CACHE_DIR to another directory.';
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'Another pfopt process is writing to the cache; try again when it has finished.';
    case 'SQLITE_FULL':
      return 'The disk is full; free some space or set PFOPT_CACHE_DIR to a directory on another disk.';
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_AUTH':
      return 'Check that the file and its directory are writable, or set PFOPT_CACHE_DIR to a writable directory.';
    case 'SQLITE_IOERR':
      return 'The disk reported an input/output error; check it, or set PFOPT_CACHE_DIR to a directory on another disk.';
    default:
      return 'If this persists, delete the file (the cache is rebuilt on the next fetch) or set PFOPT_CACHE_DIR to another directory.';
  }
}

function sqliteCacheError(file: string, doing: string, error: SqliteError): CacheError {
  return new CacheError(
    `Cannot ${doing} the cache database ${file}: ${error.message} (${error.code}). ${advice(error.code)}`,
    {
      cause: error,
    },
  );
}

// -- Reading typed values out of rows. The tables are STRICT, so a mismatch means the file is not what it claims.

/** A stored value has a type the schema does not allow: the file was altered outside pfopt or is damaged. */
class UnexpectedValue extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnexpectedValue';
  }
}

function num(row: SqlRow, column: string): number {
  const v = row[column];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new UnexpectedValue(`column ${column} holds ${v === null ? 'NULL' : typeof v}, expected a number`);
}

function numOrNull(row: SqlRow, column: string): number | null {
  return row[column] === null ? null : num(row, column);
}

function str(row: SqlRow, column: string): string {
  const v = row[column];
  if (typeof v === 'string') return v;
  throw new UnexpectedValue(`column ${column} holds ${v === null ? 'NULL' : typeof v}, expected text`);
}

function strOrNull(row: SqlRow, column: string): string | null {
  return row[column] === null ? null : str(row, column);
}

// -- Checking arguments. Bad arguments are bugs of the caller (a provider adapter), reported before any write.

function checkKey(provider: string, symbol: string): void {
  if (typeof provider !== 'string' || provider === '') throw new ValidationError('provider must be a non-empty string');
  if (typeof symbol !== 'string' || symbol === '') throw new ValidationError('symbol must be a non-empty string');
}

function checkDay(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new ValidationError(`${what} must be an integer day number, got ${value}`);
}

function checkTime(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new ValidationError(`${what} must be an integer time in ms, got ${value}`);
}

function optionalDay(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  checkDay(value, what);
  return value;
}

function priceOrNull(value: number | null, field: string, where: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DataError(`${where}: ${field} must be a finite number or null, got ${value}`);
  }
  return value;
}

function textOrNull(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new ValidationError(`${field} must be a string or null`);
  return value;
}

function isFetchStatus(value: string): value is FetchStatus {
  return (FETCH_STATUSES as readonly string[]).includes(value);
}

/** The prepared statements of a store, compiled once when it opens. */
interface Statements {
  upsertBar: SqliteStatement;
  readBars: SqliteStatement;
  upsertAction: SqliteStatement;
  readActions: SqliteStatement;
  getInstrument: SqliteStatement;
  putInstrument: SqliteStatement;
  touchingCoverage: SqliteStatement;
  deleteCoverage: SqliteStatement;
  insertCoverage: SqliteStatement;
  readCoverage: SqliteStatement;
  logFetch: SqliteStatement;
  recentFetches: SqliteStatement;
  lastFetchOf: SqliteStatement;
}

function prepareStatements(db: SqliteDatabase): Statements {
  return {
    upsertBar: db.prepare(
      `INSERT INTO bars (provider, symbol, day, open, high, low, close, adj_close, volume, final, fetched_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (provider, symbol, day) DO UPDATE SET
         open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
         adj_close = excluded.adj_close, volume = excluded.volume, final = excluded.final,
         fetched_at = excluded.fetched_at`,
    ),
    readBars: db.prepare(
      `SELECT day, open, high, low, close, adj_close, volume, final, fetched_at FROM bars
       WHERE provider = ? AND symbol = ? AND day BETWEEN ? AND ? ORDER BY day`,
    ),
    upsertAction: db.prepare(
      `INSERT INTO corporate_actions (provider, symbol, day, kind, value, numerator, denominator)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (provider, symbol, day, kind) DO UPDATE SET
         value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator`,
    ),
    readActions: db.prepare(
      `SELECT day, kind, value, numerator, denominator FROM corporate_actions
       WHERE provider = ? AND symbol = ? AND day BETWEEN ? AND ? ORDER BY day, kind`,
    ),
    getInstrument: db.prepare(
      `SELECT provider, symbol, name, currency, exchange, exchange_timezone, first_seen_at, last_seen_at,
         not_found_until FROM instruments WHERE provider = ? AND symbol = ?`,
    ),
    putInstrument: db.prepare(
      `INSERT OR REPLACE INTO instruments (provider, symbol, name, currency, exchange, exchange_timezone,
         first_seen_at, last_seen_at, not_found_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // Ranges that overlap [from, to] or touch it (end the day before it starts, start the day after it ends).
    touchingCoverage: db.prepare(
      `SELECT from_day, to_day FROM coverage
       WHERE provider = ? AND symbol = ? AND from_day <= ? AND to_day >= ? ORDER BY from_day`,
    ),
    deleteCoverage: db.prepare('DELETE FROM coverage WHERE provider = ? AND symbol = ? AND from_day = ?'),
    insertCoverage: db.prepare('INSERT INTO coverage (provider, symbol, from_day, to_day) VALUES (?, ?, ?, ?)'),
    readCoverage: db.prepare(
      'SELECT from_day, to_day FROM coverage WHERE provider = ? AND symbol = ? ORDER BY from_day',
    ),
    logFetch: db.prepare(
      `INSERT INTO fetch_log (time, provider, symbol, from_day, to_day, status, http_status, rows, message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    recentFetches: db.prepare(
      `SELECT id, time, provider, symbol, from_day, to_day, status, http_status, rows, message FROM fetch_log
       ORDER BY id DESC LIMIT ?`,
    ),
    lastFetchOf: db.prepare(
      `SELECT id, time, provider, symbol, from_day, to_day, status, http_status, rows, message FROM fetch_log
       WHERE provider = ? AND symbol = ? ORDER BY id DESC LIMIT 1`,
    ),
  };
}

function rowToInstrument(row: SqlRow): Instrument {
  return {
    provider: str(row, 'provider'),
    symbol: str(row, 'symbol'),
    name: strOrNull(row, 'name'),
    currency: strOrNull(row, 'currency'),
    exchange: strOrNull(row, 'exchange'),
    exchangeTimezone: strOrNull(row, 'exchange_timezone'),
    firstSeenAt: numOrNull(row, 'first_seen_at'),
    lastSeenAt: numOrNull(row, 'last_seen_at'),
    notFoundUntil: numOrNull(row, 'not_found_until'),
  };
}

function rowToFetch(row: SqlRow): FetchLogEntry {
  const status = str(row, 'status');
  if (!isFetchStatus(status)) throw new UnexpectedValue(`column status holds ${JSON.stringify(status)}`);
  return {
    id: num(row, 'id'),
    time: num(row, 'time'),
    provider: str(row, 'provider'),
    symbol: strOrNull(row, 'symbol'),
    fromDay: numOrNull(row, 'from_day'),
    toDay: numOrNull(row, 'to_day'),
    status,
    httpStatus: numOrNull(row, 'http_status'),
    rows: num(row, 'rows'),
    message: strOrNull(row, 'message'),
  };
}

/**
 * The cache database. Create it with {@link openCache}. Methods are synchronous (SQLite calls are fast and local);
 * failures of the database become {@link CacheError}s naming the file and what to do, invalid arguments become
 * {@link ValidationError}s or {@link DataError}s before anything is written.
 */
export class CacheStore {
  /** The database file. */
  readonly path: string;
  /** The SQLite driver in use. */
  readonly driver: DriverName;
  private readonly db: SqliteDatabase;
  private readonly sql: Statements;
  private closed = false;

  /** Wraps an open, migrated database; use {@link openCache} rather than calling this. */
  constructor(db: SqliteDatabase) {
    this.db = db;
    this.path = db.path;
    this.driver = db.driver;
    this.sql = prepareStatements(db);
  }

  /** Runs `fn` with SQLite errors turned into CacheErrors; other errors pass through unchanged. */
  private guard<T>(doing: string, fn: () => T): T {
    if (this.closed) throw new CacheError(`Cannot ${doing} the cache database ${this.path}: the cache is closed.`);
    try {
      return fn();
    } catch (error) {
      const sqlite = asSqliteError(error);
      if (sqlite !== undefined) throw sqliteCacheError(this.path, doing, sqlite);
      if (error instanceof UnexpectedValue) {
        throw new CacheError(
          `Cannot ${doing} the cache database ${this.path}: ${error.message}. ${advice('SQLITE_CORRUPT')}`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * Runs `fn` in one transaction and returns its result: either all writes made inside it (through this store)
   * commit, or, when it throws, none do. Calls nest (inner ones become savepoints). `fn` must be synchronous.
   */
  withTransaction<T>(fn: (store: this) => T): T {
    return this.guard('write to', () => this.db.transaction(() => fn(this)));
  }

  /**
   * Writes bars of one series in one transaction: a bar for a day already stored replaces it, other stored bars are
   * untouched (nothing is deleted). Validates every bar first-to-last; an invalid bar (a non-integer day, a price that
   * is NaN or infinite, a missing close) throws a DataError and nothing of the call is written. Returns the number
   * of bars written.
   */
  upsertBars(provider: string, symbol: string, bars: readonly BarInput[]): number {
    checkKey(provider, symbol);
    const now = Date.now();
    return this.guard('write bars to', () =>
      this.db.transaction(() => {
        const statement = this.sql.upsertBar;
        for (const bar of bars) {
          const where = `bar of ${provider}:${symbol} on day ${bar.day}`;
          if (!Number.isSafeInteger(bar.day)) throw new DataError(`${where}: day must be an integer day number`);
          if (typeof bar.close !== 'number' || !Number.isFinite(bar.close)) {
            throw new DataError(`${where}: close must be a finite number, got ${bar.close}`);
          }
          if (typeof bar.final !== 'boolean') throw new DataError(`${where}: final must be true or false`);
          const fetchedAt = bar.fetchedAt ?? now;
          if (!Number.isSafeInteger(fetchedAt))
            throw new DataError(`${where}: fetchedAt must be an integer time in ms`);
          statement.run(
            provider,
            symbol,
            bar.day,
            priceOrNull(bar.open, 'open', where),
            priceOrNull(bar.high, 'high', where),
            priceOrNull(bar.low, 'low', where),
            bar.close,
            priceOrNull(bar.adjClose, 'adjClose', where),
            priceOrNull(bar.volume, 'volume', where),
            bar.final ? 1 : 0,
            fetchedAt,
          );
        }
        return bars.length;
      }),
    );
  }

  /** Bars of one series with `fromDay <= day <= toDay` (each bound optional), sorted by day. */
  readBars(provider: string, symbol: string, fromDay?: number, toDay?: number): CachedBar[] {
    checkKey(provider, symbol);
    const from = optionalDay(fromDay, MIN_DAY, 'fromDay');
    const to = optionalDay(toDay, MAX_DAY, 'toDay');
    return this.guard('read bars from', () =>
      this.sql.readBars.all(provider, symbol, from, to).map(
        (row): CachedBar => ({
          day: num(row, 'day'),
          open: numOrNull(row, 'open'),
          high: numOrNull(row, 'high'),
          low: numOrNull(row, 'low'),
          close: num(row, 'close'),
          adjClose: numOrNull(row, 'adj_close'),
          volume: numOrNull(row, 'volume'),
          final: num(row, 'final') === 1,
          fetchedAt: num(row, 'fetched_at'),
        }),
      ),
    );
  }

  /**
   * Writes corporate actions of one series in one transaction; an action with the same day and kind as a stored one
   * replaces it, nothing is deleted. Amounts, numerators and denominators must be positive finite numbers (a
   * DataError otherwise, and nothing is written). Returns the number of actions written.
   */
  putActions(provider: string, symbol: string, actions: readonly CorporateAction[]): number {
    checkKey(provider, symbol);
    return this.guard('write corporate actions to', () =>
      this.db.transaction(() => {
        for (const action of actions) {
          const where = `${action.kind} of ${provider}:${symbol} on day ${action.day}`;
          if (!Number.isSafeInteger(action.day)) throw new DataError(`${where}: day must be an integer day number`);
          const positive = (value: number, field: string): number => {
            if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
              throw new DataError(`${where}: ${field} must be a positive finite number, got ${value}`);
            }
            return value;
          };
          if (action.kind === 'dividend') {
            this.sql.upsertAction.run(
              provider,
              symbol,
              action.day,
              'dividend',
              positive(action.amount, 'amount'),
              null,
              null,
            );
          } else if (action.kind === 'split') {
            const numerator = positive(action.numerator, 'numerator');
            const denominator = positive(action.denominator, 'denominator');
            this.sql.upsertAction.run(provider, symbol, action.day, 'split', null, numerator, denominator);
          } else {
            throw new DataError(`${where}: kind must be 'dividend' or 'split'`);
          }
        }
        return actions.length;
      }),
    );
  }

  /** Corporate actions of one series with `fromDay <= day <= toDay` (each bound optional), sorted by day. */
  readActions(provider: string, symbol: string, fromDay?: number, toDay?: number): CorporateAction[] {
    checkKey(provider, symbol);
    const from = optionalDay(fromDay, MIN_DAY, 'fromDay');
    const to = optionalDay(toDay, MAX_DAY, 'toDay');
    return this.guard('read corporate actions from', () =>
      this.sql.readActions.all(provider, symbol, from, to).map((row): CorporateAction => {
        const day = num(row, 'day');
        const kind = str(row, 'kind');
        if (kind === 'dividend') return { day, kind, amount: num(row, 'value') };
        if (kind === 'split') {
          return { day, kind, numerator: num(row, 'numerator'), denominator: num(row, 'denominator') };
        }
        throw new UnexpectedValue(`column kind holds ${JSON.stringify(kind)}, expected dividend or split`);
      }),
    );
  }

  /**
   * Creates or updates what is known about an instrument (see {@link InstrumentUpdate} for how fields merge) and
   * returns the stored result.
   */
  upsertInstrument(provider: string, symbol: string, update: InstrumentUpdate): Instrument {
    checkKey(provider, symbol);
    if (update.seenAt !== undefined) checkTime(update.seenAt, 'seenAt');
    if (update.notFoundUntil !== undefined && update.notFoundUntil !== null) {
      checkTime(update.notFoundUntil, 'notFoundUntil');
    }
    const text = (value: string | null | undefined, stored: string | null, field: string): string | null =>
      value === undefined ? stored : textOrNull(value, field);
    return this.guard('write an instrument to', () =>
      this.db.transaction(() => {
        const row = this.sql.getInstrument.get(provider, symbol);
        const old = row === undefined ? undefined : rowToInstrument(row);
        const seen = update.seenAt;
        const firstSeenAt =
          seen === undefined
            ? (old?.firstSeenAt ?? null)
            : Math.min(seen, old?.firstSeenAt ?? Number.POSITIVE_INFINITY);
        const lastSeenAt =
          seen === undefined ? (old?.lastSeenAt ?? null) : Math.max(seen, old?.lastSeenAt ?? Number.NEGATIVE_INFINITY);
        const next: Instrument = {
          provider,
          symbol,
          name: text(update.name, old?.name ?? null, 'name'),
          currency: text(update.currency, old?.currency ?? null, 'currency'),
          exchange: text(update.exchange, old?.exchange ?? null, 'exchange'),
          exchangeTimezone: text(update.exchangeTimezone, old?.exchangeTimezone ?? null, 'exchangeTimezone'),
          firstSeenAt,
          lastSeenAt,
          notFoundUntil: update.notFoundUntil === undefined ? (old?.notFoundUntil ?? null) : update.notFoundUntil,
        };
        this.sql.putInstrument.run(
          provider,
          symbol,
          next.name,
          next.currency,
          next.exchange,
          next.exchangeTimezone,
          next.firstSeenAt,
          next.lastSeenAt,
          next.notFoundUntil,
        );
        return next;
      }),
    );
  }

  /** What is known about an instrument, or undefined when nothing is. */
  getInstrument(provider: string, symbol: string): Instrument | undefined {
    checkKey(provider, symbol);
    return this.guard('read an instrument from', () => {
      const row = this.sql.getInstrument.get(provider, symbol);
      return row === undefined ? undefined : rowToInstrument(row);
    });
  }

  /**
   * Records that final bars fully cover the days `fromDay..toDay` (inclusive) of a series. Ranges that overlap the
   * new one or touch it (end on `fromDay - 1` or start on `toDay + 1`) are merged with it into one, so the stored
   * ranges stay disjoint, non-adjacent and few. Returns the merged range that now contains `fromDay..toDay`.
   */
  addCoverage(provider: string, symbol: string, fromDay: number, toDay: number): DayRange {
    checkKey(provider, symbol);
    checkDay(fromDay, 'fromDay');
    checkDay(toDay, 'toDay');
    if (fromDay > toDay) throw new ValidationError(`fromDay (${fromDay}) must not be after toDay (${toDay})`);
    return this.guard('write coverage to', () =>
      this.db.transaction(() => {
        let from = fromDay;
        let to = toDay;
        for (const row of this.sql.touchingCoverage.all(provider, symbol, toDay + 1, fromDay - 1)) {
          const rowFrom = num(row, 'from_day');
          from = Math.min(from, rowFrom);
          to = Math.max(to, num(row, 'to_day'));
          this.sql.deleteCoverage.run(provider, symbol, rowFrom);
        }
        this.sql.insertCoverage.run(provider, symbol, from, to);
        return { fromDay: from, toDay: to };
      }),
    );
  }

  /** The ranges of days known to be fully covered by final bars, sorted, disjoint and non-adjacent. */
  coverage(provider: string, symbol: string): DayRange[] {
    checkKey(provider, symbol);
    return this.guard('read coverage from', () =>
      this.sql.readCoverage
        .all(provider, symbol)
        .map((row): DayRange => ({ fromDay: num(row, 'from_day'), toDay: num(row, 'to_day') })),
    );
  }

  /**
   * Records one request to a provider and returns its id. The message is passed through {@link redact} (with the
   * entry's `secrets`) so no API key reaches the file, then cut to {@link MAX_MESSAGE_LENGTH} characters.
   */
  logFetch(entry: FetchLogInput): number {
    if (typeof entry.provider !== 'string' || entry.provider === '') {
      throw new ValidationError('provider must be a non-empty string');
    }
    if (!isFetchStatus(entry.status)) {
      throw new ValidationError(
        `status must be one of ${FETCH_STATUSES.join(', ')}, got ${JSON.stringify(entry.status)}`,
      );
    }
    const time = entry.time ?? Date.now();
    checkTime(time, 'time');
    const fromDay = entry.fromDay ?? null;
    const toDay = entry.toDay ?? null;
    if (fromDay !== null) checkDay(fromDay, 'fromDay');
    if (toDay !== null) checkDay(toDay, 'toDay');
    const httpStatus = entry.httpStatus ?? null;
    if (httpStatus !== null && !Number.isInteger(httpStatus)) {
      throw new ValidationError(`httpStatus must be an integer, got ${httpStatus}`);
    }
    const rows = entry.rows ?? 0;
    if (!Number.isSafeInteger(rows) || rows < 0) throw new ValidationError(`rows must be a count, got ${rows}`);
    let message = entry.message ?? null;
    if (message !== null) {
      message = redact(message, entry.secrets);
      if (message.length > MAX_MESSAGE_LENGTH) message = `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
    }
    const symbol = textOrNull(entry.symbol, 'symbol');
    return this.guard(
      'write the fetch log to',
      () =>
        this.sql.logFetch.run(time, entry.provider, symbol, fromDay, toDay, entry.status, httpStatus, rows, message)
          .lastInsertRowid,
    );
  }

  /** The `n` most recent fetch-log entries (default 20), newest first. */
  recentFetches(n = 20): FetchLogEntry[] {
    if (!Number.isSafeInteger(n) || n < 0) throw new ValidationError(`n must be a non-negative integer, got ${n}`);
    return this.guard('read the fetch log from', () => this.sql.recentFetches.all(n).map(rowToFetch));
  }

  /** The most recent fetch-log entry of one series, or undefined when it was never fetched. */
  lastFetch(provider: string, symbol: string): FetchLogEntry | undefined {
    checkKey(provider, symbol);
    return this.guard('read the fetch log from', () => {
      const row = this.sql.lastFetchOf.get(provider, symbol);
      return row === undefined ? undefined : rowToFetch(row);
    });
  }

  /** Counts, size on disk and a per-series summary of the cache. */
  info(): CacheInfo {
    return this.guard('read', () => {
      const count = (table: string): number =>
        num(this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() ?? {}, 'n');
      const symbols = this.db
        .prepare(
          `SELECT provider, symbol, count(*) AS bars, min(day) AS first_day, max(day) AS last_day FROM bars
           GROUP BY provider, symbol ORDER BY provider, symbol`,
        )
        .all()
        .map(
          (row): CachedSeriesInfo => ({
            provider: str(row, 'provider'),
            symbol: str(row, 'symbol'),
            bars: num(row, 'bars'),
            firstDay: num(row, 'first_day'),
            lastDay: num(row, 'last_day'),
          }),
        );
      return {
        path: this.path,
        driver: this.driver,
        sizeBytes: fileSize(this.path) + fileSize(`${this.path}-wal`),
        schemaVersion: SCHEMA_VERSION,
        instruments: count('instruments'),
        bars: symbols.reduce((sum, s) => sum + s.bars, 0),
        actions: count('corporate_actions'),
        fetches: count('fetch_log'),
        symbols,
      };
    });
  }

  /**
   * Problems `PRAGMA integrity_check` finds in the file; an empty list means the database is sound. Reads the whole
   * file, so it takes a moment on a large cache.
   */
  checkIntegrity(): string[] {
    return this.guard('check', () => {
      const problems = this.db
        .prepare('PRAGMA integrity_check')
        .all()
        .map((row) => String(Object.values(row)[0]));
      return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
    });
  }

  /**
   * Deletes every row of every table (bars, actions, instruments, coverage, fetch log) in one transaction: the only
   * method that deletes bars or actions. Outside a {@link CacheStore.withTransaction} it then compacts the file
   * (VACUUM) so the space returns to the disk.
   */
  clear(): void {
    this.guard('clear', () => {
      this.db.transaction(() => {
        this.db.exec(
          'DELETE FROM bars; DELETE FROM corporate_actions; DELETE FROM instruments; DELETE FROM coverage; DELETE FROM fetch_log;',
        );
      });
      if (!this.db.inTransaction) {
        this.db.exec('VACUUM');
        this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      }
    });
  }

  /** Closes the database; later calls throw a CacheError. Closing twice is harmless. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0; // No WAL file: it was checkpointed and removed.
  }
}

/**
 * Opens the cache in `options.dir` (default: {@link resolveCacheDir}()), creating the directory and the database
 * when missing and migrating an older schema. Every failure is a {@link CacheError} whose message names the path and
 * what to do: a directory that cannot be created, a file that cannot be opened, a corrupt file or one that is not a
 * pfopt cache, or a cache written by a newer pfopt.
 */
export function openCache(options: OpenCacheOptions = {}): CacheStore {
  const dir = path.resolve(options.dir ?? resolveCacheDir());
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CacheError(
      `Cannot create the cache directory ${dir}: ${reason}. Set PFOPT_CACHE_DIR to a writable directory.`,
      { cause: error },
    );
  }
  const file = cacheFilePath(dir);
  let db: SqliteDatabase | undefined;
  try {
    db = openSqlite(file, options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs });
    migrate(db);
    return new CacheStore(db);
  } catch (error) {
    db?.close();
    if (error instanceof CacheError) throw error;
    if (error instanceof SchemaMismatch) {
      throw new CacheError(
        `The cache database ${file} cannot be used: ${error.message}. Delete the file (the cache is rebuilt on the ` +
          'next fetch), upgrade pfopt if a newer version wrote it, or set PFOPT_CACHE_DIR to another directory.',
        { cause: error },
      );
    }
    const sqlite = asSqliteError(error);
    if (sqlite !== undefined) throw sqliteCacheError(file, 'open', sqlite);
    const reason = error instanceof Error ? error.message : String(error);
    throw new CacheError(
      `Cannot open the cache database ${file}: ${reason}. Set PFOPT_CACHE_DIR to a writable directory.`,
      { cause: error },
    );
  }
}

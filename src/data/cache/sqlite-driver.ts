/**
 * The smallest SQLite interface the cache needs, with two adapters behind it: Node's built-in `node:sqlite`
 * (`DatabaseSync`, Node 22.13+ and 24) when the runtime has it, and `better-sqlite3` otherwise (Node 20).
 *
 * The driver is chosen once, when this module loads, by a guarded synchronous load of `node:sqlite`. `better-sqlite3`
 * is loaded lazily, the first time a database is opened and only when `node:sqlite` is missing, so a runtime that has
 * `node:sqlite` never touches the native addon (which is compiled for one Node ABI and would fail to load on another).
 *
 * Both adapters report SQLite failures as {@link SqliteError} with the primary result-code name (`SQLITE_BUSY`,
 * `SQLITE_NOTADB`, ...), so callers can tell a corrupt file from a locked one without knowing which driver ran.
 */

import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { CacheError } from '../../core/errors.js';

/** A value SQLite can bind or return. Booleans are not values: store them as 0 and 1. */
export type SqlValue = null | number | bigint | string | Uint8Array;

/** One result row, keyed by column name. */
export type SqlRow = Record<string, SqlValue>;

/** What a data-changing statement reports. */
export interface SqlRunResult {
  /** Rows inserted, updated or deleted by the statement. */
  readonly changes: number;
  /** Rowid of the last inserted row (0 when the statement inserted none). */
  readonly lastInsertRowid: number;
}

/** A prepared statement. Parameters are positional (`?`); prepare once and reuse it in loops. */
export interface SqliteStatement {
  /** Executes the statement and reports the number of changed rows. */
  run(...params: SqlValue[]): SqlRunResult;
  /** Executes the statement and returns its first row, or undefined when it returns none. */
  get(...params: SqlValue[]): SqlRow | undefined;
  /** Executes the statement and returns every row. */
  all(...params: SqlValue[]): SqlRow[];
}

/** Which SQLite binding is in use. */
export type DriverName = 'node:sqlite' | 'better-sqlite3';

/** An open SQLite database, the same whichever driver backs it. */
export interface SqliteDatabase {
  /** The driver behind this connection. */
  readonly driver: DriverName;
  /** The file the connection was opened on. */
  readonly path: string;
  /** True while a transaction opened by {@link SqliteDatabase.transaction} (or by SQL) is active. */
  readonly inTransaction: boolean;
  /** Runs one or more SQL statements that take no parameters and return nothing. */
  exec(sql: string): void;
  /** Compiles one SQL statement. */
  prepare(sql: string): SqliteStatement;
  /**
   * Runs `fn` inside a transaction and returns its result. The outermost call uses BEGIN IMMEDIATE (the write lock is
   * taken at once, so a busy database fails at the start rather than at commit) and COMMIT; nested calls use
   * savepoints. When `fn` throws, its writes are rolled back and the error propagates. `fn` must be synchronous:
   * returning a promise rolls back and throws a TypeError, because the transaction would otherwise commit before the
   * asynchronous work ran.
   */
  transaction<T>(fn: () => T): T;
  /** Closes the connection; later calls fail. Closing twice is harmless. */
  close(): void;
}

/** Options of {@link openSqlite}. */
export interface OpenSqliteOptions {
  /** How long a statement waits for another connection's lock before failing with SQLITE_BUSY, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

/** Primary SQLite result codes by number (https://sqlite.org/rescode.html). */
const PRIMARY_CODES: Readonly<Record<number, string>> = {
  1: 'SQLITE_ERROR',
  2: 'SQLITE_INTERNAL',
  3: 'SQLITE_PERM',
  4: 'SQLITE_ABORT',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  9: 'SQLITE_INTERRUPT',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  12: 'SQLITE_NOTFOUND',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  15: 'SQLITE_PROTOCOL',
  16: 'SQLITE_EMPTY',
  17: 'SQLITE_SCHEMA',
  18: 'SQLITE_TOOBIG',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE',
  22: 'SQLITE_NOLFS',
  23: 'SQLITE_AUTH',
  24: 'SQLITE_FORMAT',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
};

const PRIMARY_NAMES = new Set(Object.values(PRIMARY_CODES));

/**
 * A failure reported by SQLite itself, normalized across drivers. `code` is the primary result code name such as
 * `SQLITE_CORRUPT`; `extendedCode` keeps the driver's more specific code when it gave one. The driver's own error is
 * the `cause`.
 */
export class SqliteError extends Error {
  /** Primary result code name, for example `SQLITE_BUSY` or `SQLITE_NOTADB`. */
  readonly code: string;
  /** The more specific code the driver reported (for example `SQLITE_CONSTRAINT_PRIMARYKEY` or `1555`). */
  readonly extendedCode: string;
  constructor(message: string, code: string, extendedCode: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SqliteError';
    this.code = code;
    this.extendedCode = extendedCode;
  }
}

/**
 * Returns `error` as a {@link SqliteError} when a driver raised it on behalf of SQLite, or undefined for any other
 * error (programming errors such as a wrong parameter count stay what they are).
 */
export function asSqliteError(error: unknown): SqliteError | undefined {
  if (error instanceof SqliteError) return error;
  if (!(error instanceof Error)) return undefined;
  const fields = error as Error & { code?: unknown; errcode?: unknown; errstr?: unknown };
  // node:sqlite: code ERR_SQLITE_ERROR and the (extended) numeric result code in `errcode`.
  if (fields.code === 'ERR_SQLITE_ERROR' && typeof fields.errcode === 'number') {
    const primary = PRIMARY_CODES[fields.errcode & 0xff] ?? 'SQLITE_ERROR';
    return new SqliteError(error.message, primary, String(fields.errcode), { cause: error });
  }
  // better-sqlite3: class SqliteError with an extended code name such as SQLITE_IOERR_SHORT_READ.
  if (error.name === 'SqliteError' && typeof fields.code === 'string' && fields.code.startsWith('SQLITE_')) {
    const code = fields.code;
    let primary = 'SQLITE_ERROR';
    for (const name of PRIMARY_NAMES) {
      if (code === name || code.startsWith(`${name}_`)) {
        primary = name;
        break;
      }
    }
    return new SqliteError(error.message, primary, code, { cause: error });
  }
  return undefined;
}

/** Calls `fn`, turning a driver's SQLite error into a {@link SqliteError}. */
function translated<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw asSqliteError(error) ?? error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// node:sqlite: the slice of its API this module uses (the @types/node 20 in use has no typings for it).

/** `StatementSync` of node:sqlite, as far as it is used here. */
interface NodeSqliteStatement {
  run(...params: SqlValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: SqlValue[]): SqlRow | undefined;
  all(...params: SqlValue[]): SqlRow[];
}

/** `DatabaseSync` of node:sqlite, as far as it is used here. `isTransaction` exists from Node 22.16 and 24.0. */
interface NodeSqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): NodeSqliteStatement;
  close(): void;
  readonly isTransaction?: boolean;
}

/** The `node:sqlite` module, as far as it is used here. */
interface NodeSqliteModule {
  DatabaseSync: new (path: string) => NodeSqliteDatabase;
}

function isNodeSqliteModule(value: unknown): value is NodeSqliteModule {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { DatabaseSync?: unknown }).DatabaseSync === 'function'
  );
}

/**
 * Runs `load` while dropping exactly one warning: the ExperimentalWarning Node emits when `node:sqlite` is first
 * loaded (Node 22 prints "SQLite is an experimental feature..."). Every other warning, including other experimental
 * warnings emitted meanwhile, passes through unchanged. `process.emitWarning` is restored when `load` returns or
 * throws. `load` is synchronous. Exported for tests.
 */
export function withoutSqliteExperimentalWarning<T>(load: () => T): T {
  const original = process.emitWarning;
  const filtered = function emitWarning(this: NodeJS.Process, warning: string | Error, ...rest: unknown[]): void {
    const message = typeof warning === 'string' ? warning : warning.message;
    const first = rest[0];
    const type =
      typeof warning !== 'string'
        ? warning.name
        : typeof first === 'string'
          ? first
          : typeof first === 'object' && first !== null
            ? (first as { type?: unknown }).type
            : undefined;
    if (type === 'ExperimentalWarning' && /\bSQLite\b/i.test(message)) return;
    (original as (this: NodeJS.Process, ...args: unknown[]) => void).call(this, warning, ...rest);
  };
  process.emitWarning = filtered as typeof process.emitWarning;
  try {
    return load();
  } finally {
    // Restore only if nobody replaced the function meanwhile.
    if (process.emitWarning === filtered) process.emitWarning = original;
  }
}

/**
 * Loads `node:sqlite` synchronously through `process.getBuiltinModule` (Node 20.16+), or returns undefined when this
 * runtime does not have it (Node 20, or Node 22 before 22.13 without a flag). Synchronous on purpose: a top-level
 * `await` here would make every importer of pfopt an async module, which CommonJS callers cannot `require`.
 */
function loadNodeSqlite(): NodeSqliteModule | undefined {
  try {
    const module: unknown = withoutSqliteExperimentalWarning(() => process.getBuiltinModule('node:sqlite'));
    return isNodeSqliteModule(module) ? module : undefined;
  } catch {
    // This runtime has no node:sqlite; better-sqlite3 is the driver then.
    return undefined;
  }
}

const nodeSqlite = loadNodeSqlite();

/** The SQLite driver this process uses: `node:sqlite` when the runtime has it, `better-sqlite3` otherwise. */
export const driverName: DriverName = nodeSqlite === undefined ? 'better-sqlite3' : 'node:sqlite';

// ---------------------------------------------------------------------------------------------------------------
// The raw connection each adapter provides; transactions and error translation are shared.

interface RawConnection {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
  /** Whether SQLite is inside a transaction, or undefined when the driver cannot tell. */
  inTransaction(): boolean | undefined;
}

function toNumber(value: number | bigint): number {
  return typeof value === 'bigint' ? Number(value) : value;
}

function openNodeSqlite(module: NodeSqliteModule, path: string): RawConnection {
  const db = new module.DatabaseSync(path);
  return {
    exec: (sql) => db.exec(sql),
    prepare(sql) {
      const statement = db.prepare(sql);
      return {
        run(...params) {
          const result = translated(() => statement.run(...params));
          return { changes: toNumber(result.changes), lastInsertRowid: toNumber(result.lastInsertRowid) };
        },
        get: (...params) => translated(() => statement.get(...params)),
        all: (...params) => translated(() => statement.all(...params)),
      };
    },
    close: () => db.close(),
    inTransaction: () => (typeof db.isTransaction === 'boolean' ? db.isTransaction : undefined),
  };
}

let betterSqlite3: typeof BetterSqlite3 | undefined;

/** Loads better-sqlite3 on first use; a missing or mis-built addon becomes a CacheError that says what to do. */
function loadBetterSqlite3(): typeof BetterSqlite3 {
  if (betterSqlite3 === undefined) {
    try {
      betterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new CacheError(
        `No SQLite driver is available: Node ${process.version} has no node:sqlite and better-sqlite3 failed to load ` +
          `(${reason}). Run "npm rebuild better-sqlite3" for this Node version, or use Node 22.13 or later.`,
        { cause: error },
      );
    }
  }
  return betterSqlite3;
}

function openBetterSqlite3(path: string): RawConnection {
  const Database = loadBetterSqlite3();
  const db = new Database(path);
  return {
    exec: (sql) => {
      db.exec(sql);
    },
    prepare(sql) {
      const statement = db.prepare<SqlValue[], SqlRow>(sql);
      return {
        run(...params) {
          const result = translated(() => statement.run(...params));
          return { changes: result.changes, lastInsertRowid: toNumber(result.lastInsertRowid) };
        },
        get: (...params) => translated(() => statement.get(...params)),
        all: (...params) => translated(() => statement.all(...params)),
      };
    },
    close: () => {
      db.close();
    },
    inTransaction: () => db.inTransaction,
  };
}

/** The shared half of both adapters: error translation, savepoint-nested transactions, idempotent close. */
class Connection implements SqliteDatabase {
  readonly driver: DriverName;
  readonly path: string;
  private readonly raw: RawConnection;
  private depth = 0;
  private closed = false;

  constructor(driver: DriverName, path: string, raw: RawConnection) {
    this.driver = driver;
    this.path = path;
    this.raw = raw;
  }

  get inTransaction(): boolean {
    return this.raw.inTransaction() ?? this.depth > 0;
  }

  exec(sql: string): void {
    translated(() => this.raw.exec(sql));
  }

  prepare(sql: string): SqliteStatement {
    return translated(() => this.raw.prepare(sql));
  }

  transaction<T>(fn: () => T): T {
    const savepoint = this.depth === 0 ? undefined : `pfopt_sp${this.depth}`;
    this.exec(savepoint === undefined ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
    this.depth += 1;
    let result: T;
    try {
      result = fn();
      if (isThenable(result)) {
        throw new TypeError(
          'A transaction function must be synchronous; it returned a promise, so nothing was written',
        );
      }
    } catch (error) {
      this.depth -= 1;
      this.rollback(savepoint);
      throw error;
    }
    this.depth -= 1;
    try {
      this.exec(savepoint === undefined ? 'COMMIT' : `RELEASE ${savepoint}`);
    } catch (error) {
      // A failed COMMIT (for example SQLITE_FULL) can leave the transaction open: undo it so the connection stays usable.
      this.rollback(savepoint);
      throw error;
    }
    return result;
  }

  /** Undoes the innermost transaction level, if SQLite has not already rolled it back (it does on some errors). */
  private rollback(savepoint: string | undefined): void {
    const active = this.raw.inTransaction();
    if (active === false) return;
    try {
      this.exec(savepoint === undefined ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
    } catch (rollbackError) {
      // When the driver cannot tell whether a transaction is active, "no transaction is active" is expected here.
      // Any other rollback failure is worth less than the error that caused the rollback, which the caller rethrows.
      if (active === true) throw rollbackError;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.raw.close();
  }
}

function isThenable(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Opens (creating when missing) the SQLite database at `path` with the driver of this runtime ({@link driverName})
 * and configures it for a cache: WAL journal mode (readers never block the writer; an interrupted writer leaves the
 * last committed state), `synchronous=NORMAL` (durable against process crashes; only a power loss can drop the last
 * commits), foreign keys on, and a busy timeout so concurrent processes wait for each other instead of failing.
 *
 * The directory must exist. SQLite failures are thrown as {@link SqliteError}; a file that is not a database fails
 * here with code `SQLITE_NOTADB`, because setting the journal mode reads the file header.
 */
export function openSqlite(path: string, options: OpenSqliteOptions = {}): SqliteDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new RangeError(`busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`);
  }
  const raw = translated(() => (nodeSqlite === undefined ? openBetterSqlite3(path) : openNodeSqlite(nodeSqlite, path)));
  const db = new Connection(driverName, path, raw);
  try {
    // The busy timeout first, so that switching to WAL waits for a concurrent opener rather than failing.
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

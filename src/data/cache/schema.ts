/**
 * The cache's table layout, versioned with `PRAGMA user_version` and marked as a pfopt file with
 * `PRAGMA application_id`. Opening a database applies the missing migrations in one transaction, so a process killed
 * while migrating leaves the previous version intact and the next open simply migrates again.
 *
 * Conventions: day numbers are INTEGER days since 1970-01-01; timestamps (`*_at`, `*_until`, `time`) are INTEGER
 * milliseconds since the Unix epoch; tables are STRICT, so SQLite itself rejects a value of the wrong type.
 */

import type { SqliteDatabase } from './sqlite-driver.js';

/** `PRAGMA application_id` of a pfopt cache: the ASCII bytes "pfop". */
export const APPLICATION_ID = 0x70666f70;

/** The fetch outcomes `fetch_log.status` accepts. */
export const FETCH_STATUSES = ['ok', 'empty', 'not-found', 'rate-limited', 'error'] as const;

/** The corporate-action kinds `corporate_actions.kind` accepts. */
export const ACTION_KINDS = ['dividend', 'split'] as const;

const sqlList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/**
 * Migrations in order: entry i takes the schema from version i to version i + 1. Append new entries; never edit a
 * released one (databases in the field have already applied it).
 */
export const MIGRATIONS: readonly string[] = [
  // 0 -> 1: the initial layout.
  `
  CREATE TABLE instruments (
    provider          TEXT    NOT NULL,
    symbol            TEXT    NOT NULL,
    name              TEXT,
    currency          TEXT,
    exchange          TEXT,
    exchange_timezone TEXT,
    first_seen_at     INTEGER,
    last_seen_at      INTEGER,
    not_found_until   INTEGER,
    PRIMARY KEY (provider, symbol)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE bars (
    provider   TEXT    NOT NULL,
    symbol     TEXT    NOT NULL,
    day        INTEGER NOT NULL,
    open       REAL,
    high       REAL,
    low        REAL,
    close      REAL    NOT NULL,
    adj_close  REAL,
    volume     REAL,
    final      INTEGER NOT NULL CHECK (final IN (0, 1)),
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (provider, symbol, day)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE corporate_actions (
    provider    TEXT    NOT NULL,
    symbol      TEXT    NOT NULL,
    day         INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN (${sqlList(ACTION_KINDS)})),
    value       REAL,
    numerator   REAL,
    denominator REAL,
    PRIMARY KEY (provider, symbol, day, kind),
    CHECK (kind <> 'dividend' OR (value IS NOT NULL AND numerator IS NULL AND denominator IS NULL)),
    CHECK (kind <> 'split' OR (value IS NULL AND numerator > 0 AND denominator > 0))
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE coverage (
    provider TEXT    NOT NULL,
    symbol   TEXT    NOT NULL,
    from_day INTEGER NOT NULL,
    to_day   INTEGER NOT NULL CHECK (to_day >= from_day),
    PRIMARY KEY (provider, symbol, from_day)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE fetch_log (
    id          INTEGER PRIMARY KEY,
    time        INTEGER NOT NULL,
    provider    TEXT    NOT NULL,
    symbol      TEXT,
    from_day    INTEGER,
    to_day      INTEGER,
    status      TEXT    NOT NULL CHECK (status IN (${sqlList(FETCH_STATUSES)})),
    http_status INTEGER,
    rows        INTEGER NOT NULL DEFAULT 0 CHECK (rows >= 0),
    message     TEXT
  ) STRICT;
  `,
];

/** The schema version this build of pfopt writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Why a database cannot be used as a pfopt cache; the caller turns this into a CacheError naming the file. */
export class SchemaMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaMismatch';
  }
}

function pragmaInteger(db: SqliteDatabase, name: 'user_version' | 'application_id'): number {
  const row = db.prepare(`PRAGMA ${name}`).get();
  const value = row?.[name];
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/**
 * Brings the database to {@link SCHEMA_VERSION} and returns the version it had before. Everything happens in one
 * BEGIN IMMEDIATE transaction, and the version is read inside it, so two processes opening a new cache at once
 * migrate it exactly once. Throws {@link SchemaMismatch} when the file was written by a newer pfopt, or is a SQLite
 * database of some other program (another application id, or tables but no version).
 */
export function migrate(db: SqliteDatabase): number {
  return db.transaction(() => {
    const applicationId = pragmaInteger(db, 'application_id');
    const version = pragmaInteger(db, 'user_version');
    if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
      throw new SchemaMismatch(
        `it is a SQLite database of another program (application id 0x${applicationId.toString(16)})`,
      );
    }
    if (version > SCHEMA_VERSION) {
      throw new SchemaMismatch(
        `it has schema version ${version}, newer than the version ${SCHEMA_VERSION} this pfopt understands; ` +
          'it was written by a newer pfopt',
      );
    }
    if (version === 0) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").get();
      if (tables?.n !== 0) throw new SchemaMismatch('it is a SQLite database with tables but no pfopt schema version');
    }
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] ?? '');
    if (version !== SCHEMA_VERSION) {
      db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    }
    return version;
  });
}

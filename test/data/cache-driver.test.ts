import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  asSqliteError,
  driverName,
  openSqlite,
  type SqliteDatabase,
  SqliteError,
  withoutSqliteExperimentalWarning,
} from '../../src/data/cache/sqlite-driver.js';

let dir: string;
let db: SqliteDatabase;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfopt-cache-driver-'));
  db = openSqlite(path.join(dir, 'test.sqlite'));
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT');
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function pragma(name: string): unknown {
  const row = db.prepare(`PRAGMA ${name}`).get();
  return row === undefined ? undefined : Object.values(row)[0];
}

function values(): unknown[] {
  return db
    .prepare('SELECT v FROM t ORDER BY k')
    .all()
    .map((r) => r.v);
}

describe('driver choice', () => {
  it('uses node:sqlite where the runtime has it and never loads better-sqlite3 there', () => {
    const major = Number(process.versions.node.split('.')[0]);
    if (major >= 24) expect(driverName).toBe('node:sqlite');
    if (major <= 21) expect(driverName).toBe('better-sqlite3');
    expect(db.driver).toBe(driverName);
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('better-sqlite3'));
    expect(loaded).toBe(driverName === 'better-sqlite3');
  });
});

describe('openSqlite', () => {
  it('configures WAL, synchronous NORMAL, foreign keys and a busy timeout', () => {
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('synchronous')).toBe(1); // NORMAL
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('busy_timeout')).toBe(5000);
    const other = openSqlite(path.join(dir, 'other.sqlite'), { busyTimeoutMs: 250 });
    expect(Object.values(other.prepare('PRAGMA busy_timeout').get() ?? {})[0]).toBe(250);
    other.close();
    expect(db.path).toBe(path.join(dir, 'test.sqlite'));
  });

  it('enforces foreign keys', () => {
    db.exec('CREATE TABLE child (k INTEGER REFERENCES t (k))');
    expect(() => db.prepare('INSERT INTO child VALUES (?)').run(42)).toThrow(SqliteError);
  });

  it('reports a file that is not a database as SQLITE_NOTADB', () => {
    const file = path.join(dir, 'garbage.sqlite');
    fs.writeFileSync(file, Buffer.alloc(4096, 0x5a));
    let caught: unknown;
    try {
      openSqlite(file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SqliteError);
    expect((caught as SqliteError).code).toBe('SQLITE_NOTADB');
  });

  it('rejects a bad busy timeout', () => {
    expect(() => openSqlite(path.join(dir, 'x.sqlite'), { busyTimeoutMs: -1 })).toThrow(RangeError);
  });
});

describe('statements', () => {
  it('binds positional parameters and returns rows, changes and rowids', () => {
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    expect(insert.run(7, 'seven')).toEqual({ changes: 1, lastInsertRowid: 7 });
    insert.run(3, 'three');
    expect(db.prepare('SELECT k, v FROM t WHERE k = ?').get(7)).toEqual({ k: 7, v: 'seven' });
    expect(db.prepare('SELECT k, v FROM t WHERE k = ?').get(8)).toBeUndefined();
    expect(db.prepare('SELECT k FROM t ORDER BY k').all()).toEqual([{ k: 3 }, { k: 7 }]);
    expect(db.prepare('UPDATE t SET v = ?').run('x').changes).toBe(2);
    expect(db.prepare('SELECT ? AS n, ? AS b, ? AS z').get(1.5, new Uint8Array([1, 2]), null)).toEqual({
      n: 1.5,
      b: expect.any(Uint8Array),
      z: null,
    });
  });

  it('normalizes SQLite failures to SqliteError with the primary code', () => {
    db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(1, 'a');
    const codeOf = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (error) {
        return error instanceof SqliteError ? error.code : `not a SqliteError: ${String(error)}`;
      }
      return undefined;
    };
    expect(codeOf(() => db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(1, 'b'))).toBe('SQLITE_CONSTRAINT');
    expect(codeOf(() => db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(2.5, 'b'))).toBe('SQLITE_MISMATCH');
    expect(codeOf(() => db.prepare('SELEC 1'))).toBe('SQLITE_ERROR');
    expect(codeOf(() => db.exec('INSERT INTO nowhere VALUES (1)'))).toBe('SQLITE_ERROR');
    expect(asSqliteError(new Error('plain'))).toBeUndefined();
    expect(asSqliteError('text')).toBeUndefined();
  });
});

describe('transaction', () => {
  it('commits on return and passes the result through', () => {
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const result = db.transaction(() => {
      expect(db.inTransaction).toBe(true);
      insert.run(1, 'a');
      insert.run(2, 'b');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(db.inTransaction).toBe(false);
    expect(values()).toEqual(['a', 'b']);
  });

  it('rolls back everything on throw and rethrows the same error', () => {
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    insert.run(1, 'kept');
    const boom = new Error('boom');
    expect(() =>
      db.transaction(() => {
        insert.run(2, 'lost');
        throw boom;
      }),
    ).toThrow(boom);
    expect(db.inTransaction).toBe(false);
    expect(values()).toEqual(['kept']);
  });

  it('rolls back when a statement fails mid-transaction', () => {
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    expect(() =>
      db.transaction(() => {
        insert.run(1, 'a');
        insert.run(1, 'duplicate');
      }),
    ).toThrow(SqliteError);
    expect(values()).toEqual([]);
  });

  it('nests with savepoints: an inner failure undoes only the inner part', () => {
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    db.transaction(() => {
      insert.run(1, 'outer');
      expect(() =>
        db.transaction(() => {
          insert.run(2, 'inner');
          throw new Error('inner');
        }),
      ).toThrow('inner');
      db.transaction(() => insert.run(3, 'inner kept'));
    });
    expect(values()).toEqual(['outer', 'inner kept']);
    expect(() =>
      db.transaction(() => {
        db.transaction(() => insert.run(4, 'inner of failed outer'));
        throw new Error('outer');
      }),
    ).toThrow('outer');
    expect(values()).toEqual(['outer', 'inner kept']);
  });

  it('refuses an asynchronous function and rolls back', () => {
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    expect(() =>
      db.transaction(async () => {
        insert.run(1, 'a');
      }),
    ).toThrow(TypeError);
    expect(values()).toEqual([]);
    expect(db.inTransaction).toBe(false);
  });

  it('takes the write lock at BEGIN: a second writer waits, then fails with SQLITE_BUSY', () => {
    const other = openSqlite(path.join(dir, 'test.sqlite'), { busyTimeoutMs: 50 });
    try {
      db.transaction(() => {
        db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(1, 'a');
        const started = performance.now();
        let code: string | undefined;
        try {
          other.transaction(() => undefined);
        } catch (error) {
          code = error instanceof SqliteError ? error.code : undefined;
        }
        expect(code).toBe('SQLITE_BUSY');
        expect(performance.now() - started).toBeGreaterThanOrEqual(40);
        // A reader is not blocked by the writer (WAL) and sees the last committed state.
        expect(other.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
      });
      expect(other.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    } finally {
      other.close();
    }
  });

  it('closes idempotently', () => {
    db.close();
    db.close();
    expect(() => db.prepare('SELECT 1')).toThrow();
    db = openSqlite(path.join(dir, 'test.sqlite')); // for afterEach
  });
});

describe('withoutSqliteExperimentalWarning', () => {
  it("drops only node:sqlite's ExperimentalWarning and restores process.emitWarning", () => {
    const original = process.emitWarning;
    const passed: string[] = [];
    // Stand in for Node's emitWarning, so the warnings that pass through are recorded instead of printed.
    const recorder = (warning: string | Error, options?: string | { type?: string }) => {
      const type = typeof options === 'string' ? options : options?.type;
      passed.push(`${type}: ${typeof warning === 'string' ? warning : warning.message}`);
    };
    process.emitWarning = recorder as typeof process.emitWarning;
    try {
      const result = withoutSqliteExperimentalWarning(() => {
        process.emitWarning('SQLite is an experimental feature and might change at any time', 'ExperimentalWarning');
        process.emitWarning('SQLite is an experimental feature', { type: 'ExperimentalWarning' });
        process.emitWarning('WASI is an experimental feature', 'ExperimentalWarning');
        process.emitWarning('SQLite thing is deprecated', 'DeprecationWarning');
        return 42;
      });
      expect(result).toBe(42);
      expect(process.emitWarning).toBe(recorder);
      expect(passed).toEqual([
        'ExperimentalWarning: WASI is an experimental feature',
        'DeprecationWarning: SQLite thing is deprecated',
      ]);
    } finally {
      process.emitWarning = original;
    }
  });

  it('restores process.emitWarning when loading fails', () => {
    const original = process.emitWarning;
    expect(() =>
      withoutSqliteExperimentalWarning(() => {
        throw new Error('no module');
      }),
    ).toThrow('no module');
    expect(process.emitWarning).toBe(original);
  });
});

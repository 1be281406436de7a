/**
 * The local market-data cache: a SQLite file holding bars, corporate actions, instrument facts, coverage ranges and
 * a fetch log. Open it with {@link openCache}; everything else is types and helpers around it.
 */

export { CACHE_DIR_ENV, CACHE_FILE_NAME, cacheFilePath, resolveCacheDir } from './location.js';
export { REDACTED, redact } from './redact.js';
export { APPLICATION_ID, FETCH_STATUSES, SCHEMA_VERSION } from './schema.js';
export type {
  DriverName,
  OpenSqliteOptions,
  SqliteDatabase,
  SqliteStatement,
  SqlRow,
  SqlRunResult,
  SqlValue,
} from './sqlite-driver.js';
export { driverName, openSqlite, SqliteError } from './sqlite-driver.js';
export type {
  ActionKind,
  BarInput,
  CachedBar,
  CachedSeriesInfo,
  CacheInfo,
  CorporateAction,
  DayRange,
  FetchLogEntry,
  FetchLogInput,
  FetchStatus,
  Instrument,
  InstrumentUpdate,
  OpenCacheOptions,
} from './store.js';
export { CacheStore, MAX_MESSAGE_LENGTH, openCache } from './store.js';

/**
 * The cache in front of a provider: one symbol's bars for a range of days, asking the provider only for what the
 * cache does not hold, and writing what it receives in one transaction so an interrupted run loses nothing.
 *
 * Rules (see the README's "Market data" section):
 * - Coverage is recorded per requested range up to the last settled day (see `settledDay`): a repeated request whose
 *   range is covered sends nothing. Gaps holding only weekends and known holidays are not missing.
 * - Only missing ranges are fetched (ranges less than two weeks apart in one request), each widened by `overlapDays`
 *   where cached bars adjoin it. A changed adjusted close on an overlapping day means a split or dividend restated
 *   history: the symbol is refetched whole.
 * - Bars up to the settled day are final; later ones are provisional and refetched after `freshTailMs`.
 * - A not-found answer is remembered for `notFoundTtlMs`. Bars are never deleted: a symbol the provider no longer
 *   knows (delisted) keeps its history, served from the cache with a warning.
 */

import { isoDate } from '../../core/dates.js';
import { DataError, PfoptError } from '../../core/errors.js';
import type { CachedBar, CacheStore, DayRange, FetchStatus } from '../cache/index.js';
import { localDay, settledDay } from './calendar.js';
import { type CleanBar, type CleaningReport, cleanBars, describeCleaning } from './clean.js';
import { AuthError, NotFoundError, ProviderError, RateLimitedError } from './errors.js';
import { couldHoldSession, subtractRanges } from './ranges.js';
import type { MarketDataProvider, ProviderSeries } from './types.js';

/** `normal`: cache first; `offline`: cache only; `refresh`: ask the provider for the whole range again. */
export type FetchMode = 'normal' | 'offline' | 'refresh';

/** Options of {@link syncSymbol} and `fetchPrices`. */
export interface SyncOptions {
  readonly cache: CacheStore;
  readonly provider: MarketDataProvider;
  /** First day wanted (days since 1970-01-01). */
  readonly fromDay: number;
  /** Last day wanted; default (and at most) the exchange-local today. */
  readonly toDay?: number;
  readonly mode?: FetchMode;
  /** The current time in ms (default Date.now). */
  readonly now?: () => number;
  /** How long a not-found answer is remembered (default 24 hours). */
  readonly notFoundTtlMs?: number;
  /** How long provisional bars after the settled day stay fresh (default 1 hour). */
  readonly freshTailMs?: number;
  /** Calendar days of overlap with cached bars when fetching more (default 7). */
  readonly overlapDays?: number;
  /** Factor of a suspicious move between consecutive bars (default 20). */
  readonly jumpFactor?: number;
  /** Test hook: called inside each write transaction, after the bars are written and before the commit. */
  readonly insideTransaction?: (symbol: string) => void;
}

/** What happened to one symbol. */
export interface SymbolOutcome {
  readonly symbol: string;
  /** False when the symbol failed: `error` says why (the bars are then whatever the cache holds). */
  readonly ok: boolean;
  /** Bars in the requested range, from the cache after any write, sorted by day. */
  readonly bars: readonly CachedBar[];
  readonly fromCache: number;
  readonly fromNetwork: number;
  /** Requests sent to the provider. */
  readonly requests: number;
  /** True when a restatement was detected and the symbol refetched whole. */
  readonly restated: boolean;
  /** True when the provider said it does not know the symbol (now or recently). */
  readonly notFound: boolean;
  /** Offline: the ranges the cache does not cover (weekend- and holiday-only gaps left out). */
  readonly missing: readonly DayRange[];
  readonly warnings: readonly string[];
  readonly cleaning: CleaningReport | undefined;
  readonly error: PfoptError | undefined;
}

const HOUR = 3_600_000;

/** Missing ranges closer than this many days are asked for in one request (refetching the few days between). */
const MERGE_DAYS = 14;

/** One provider response, cleaned, with the range it was asked for. */
interface Fetched {
  readonly range: DayRange;
  readonly series: ProviderSeries;
  readonly cleaned: { readonly bars: CleanBar[]; readonly report: CleaningReport };
}

/** Sorted ranges with those less than `days` apart joined into one. */
function mergeNearby(ranges: readonly DayRange[], days: number): DayRange[] {
  const out: DayRange[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last !== undefined && r.fromDay - last.toDay <= days) {
      out[out.length - 1] = { fromDay: last.fromDay, toDay: Math.max(last.toDay, r.toDay) };
    } else {
      out.push(r);
    }
  }
  return out;
}

/** The cleaning reports of several responses as one. */
function mergeReports(reports: readonly CleaningReport[]): CleaningReport {
  const stale = reports.map((r) => r.staleLastRow).filter((d): d is number => d !== null);
  return {
    nullRows: reports.flatMap((r) => r.nullRows),
    duplicateDays: reports.flatMap((r) => r.duplicateDays),
    staleLastRow: stale.length > 0 ? Math.max(...stale) : null,
    jumps: reports.flatMap((r) => r.jumps),
  };
}

function statusOf(error: unknown): FetchStatus {
  if (error instanceof NotFoundError) return 'not-found';
  if (error instanceof RateLimitedError) return 'rate-limited';
  return 'error';
}

function asPfoptError(error: unknown, symbol: string, provider: string): PfoptError {
  if (error instanceof PfoptError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(`${provider}: ${symbol}: ${message}`, { provider, symbol, cause: error });
}

/** Days at which `fresh` differs from the final cached bars (adjusted close when both have one, else close). */
function restatedDays(cached: readonly CachedBar[], fresh: readonly CleanBar[]): number[] {
  const byDay = new Map(cached.filter((b) => b.final).map((b) => [b.day, b]));
  const out: number[] = [];
  for (const bar of fresh) {
    const old = byDay.get(bar.day);
    if (old === undefined) continue;
    const useAdj = old.adjClose !== null && bar.adjClose !== null;
    const a = useAdj ? (old.adjClose as number) : old.close;
    const b = useAdj ? (bar.adjClose as number) : bar.close;
    // 1e-5 relative: above the rounding noise of providers' recomputed adjusted closes, far below the smallest
    // dividend adjustment (a 0.01% yield is 1e-4).
    if (Math.abs(a - b) > 1e-5 * Math.max(Math.abs(a), Math.abs(b))) out.push(bar.day);
  }
  return out;
}

/**
 * Brings one symbol's bars for `fromDay..toDay` into the cache as needed and returns them. Never throws for a
 * provider failure: the outcome carries the error (and the failure is logged in the cache). Cache failures throw.
 */
export async function syncSymbol(symbol: string, options: SyncOptions): Promise<SymbolOutcome> {
  const { cache, provider } = options;
  const p = provider.name;
  const mode = options.mode ?? 'normal';
  const now = (options.now ?? Date.now)();
  const overlap = options.overlapDays ?? 7;
  const instrument = cache.getInstrument(p, symbol);
  let timeZone = instrument?.exchangeTimezone ?? provider.defaultTimezone;
  const today = localDay(now, timeZone);
  const end = Math.min(options.toDay ?? today, today);
  const from = options.fromDay;
  const warnings: string[] = [];
  const base = {
    symbol,
    restated: false,
    notFound: false,
    missing: [] as DayRange[],
    warnings,
    cleaning: undefined as CleaningReport | undefined,
    error: undefined as PfoptError | undefined,
  };
  const cachedResult = (requests: number, extra: Partial<SymbolOutcome> = {}): SymbolOutcome => {
    const bars = from <= end ? cache.readBars(p, symbol, from, end) : [];
    return { ...base, ok: true, bars, fromCache: bars.length, fromNetwork: 0, requests, ...extra };
  };
  if (from > end) return cachedResult(0);

  let settled = settledDay(now, timeZone);
  const settledEnd = Math.min(end, settled);
  const gaps =
    settledEnd >= from
      ? subtractRanges({ fromDay: from, toDay: settledEnd }, cache.coverage(p, symbol)).filter((g) =>
          couldHoldSession(g, timeZone),
        )
      : [];
  const last = cache.lastFetch(p, symbol);
  const tailFresh =
    last !== undefined &&
    (last.status === 'ok' || last.status === 'empty') &&
    (last.toDay ?? Number.NEGATIVE_INFINITY) >= end &&
    now - last.time < (options.freshTailMs ?? HOUR);
  const tailNeeded = end > settled && !tailFresh;

  if (mode === 'offline') {
    const result = cachedResult(0, { missing: gaps });
    if (gaps.length > 0) {
      const list = gaps.map((g) => `${isoDate(g.fromDay)}..${isoDate(g.toDay)}`).join(', ');
      if (result.bars.length === 0) {
        return {
          ...result,
          ok: false,
          error: new DataError(
            `${symbol}: no ${p} bars in the cache for ${isoDate(from)}..${isoDate(end)}; run without --offline to fetch them`,
          ),
        };
      }
      warnings.push(`${symbol}: the cache does not cover ${list} (offline: not fetched)`);
    }
    return result;
  }

  if (mode === 'normal') {
    if (gaps.length === 0 && !tailNeeded) return cachedResult(0);
    if (instrument?.notFoundUntil != null && instrument.notFoundUntil > now) {
      return notFoundOutcome(
        new NotFoundError(`${p}: symbol ${symbol} not found (remembered from an earlier request)`, {
          provider: p,
          symbol,
        }),
        0,
        false,
      );
    }
  }

  // The ranges to ask for: the gaps (and the provisional tail), gaps close together merged, each widened where cached
  // bars adjoin it.
  let ranges: DayRange[];
  if (mode === 'refresh') {
    ranges = [{ fromDay: from, toDay: end }];
  } else {
    const wanted = tailNeeded ? [...gaps, { fromDay: settled + 1, toDay: end }] : gaps;
    ranges = mergeNearby(wanted, MERGE_DAYS).map((r) => {
      let fromDay = r.fromDay;
      let toDay = r.toDay;
      if (cache.readBars(p, symbol, fromDay - overlap, fromDay - 1).some((b) => b.final)) fromDay -= overlap;
      if (cache.readBars(p, symbol, toDay + 1, toDay + overlap).some((b) => b.final)) {
        toDay = Math.min(toDay + overlap, today);
      }
      return { fromDay, toDay };
    });
  }

  let requests = 0;
  let restated = false;
  const cleanOptions = {
    valueKind: provider.valueKind ?? 'price',
    ...(options.jumpFactor === undefined ? {} : { jumpFactor: options.jumpFactor }),
  };
  const fetchRange = async (range: DayRange): Promise<Fetched> => {
    requests++;
    const series = await provider.fetchDaily({ symbol, fromDay: range.fromDay, toDay: range.toDay });
    return { range, series, cleaned: cleanBars(series.bars, cleanOptions) };
  };
  let fetched: Fetched[] = [];
  let asking: DayRange = ranges[0] as DayRange;
  try {
    for (const range of ranges) {
      asking = range;
      fetched.push(await fetchRange(range));
    }
    const changed = fetched.flatMap((f) =>
      restatedDays(cache.readBars(p, symbol, f.range.fromDay, f.range.toDay), f.cleaned.bars),
    );
    if (changed.length > 0) {
      restated = true;
      const coverage = cache.coverage(p, symbol);
      const first = cache.readBars(p, symbol)[0]?.day ?? from;
      const whole = {
        fromDay: Math.min(from, first, coverage[0]?.fromDay ?? from),
        toDay: Math.max(end, ...ranges.map((r) => r.toDay)),
      };
      const what =
        `${symbol}: the adjusted close of ${isoDate(changed[0] as number)} changed since it was cached (a split or ` +
        'dividend restated history)';
      if (
        fetched.length === 1 &&
        fetched[0]?.range.fromDay === whole.fromDay &&
        fetched[0].range.toDay >= whole.toDay
      ) {
        warnings.push(`${what}: the whole history was refetched`);
      } else {
        warnings.push(`${what}: refetched ${isoDate(whole.fromDay)}..${isoDate(whole.toDay)} whole`);
        asking = whole;
        fetched = [await fetchRange(whole)];
      }
    }
  } catch (error) {
    const failure = asPfoptError(error, symbol, p);
    cache.logFetch({
      time: now,
      provider: p,
      symbol,
      fromDay: asking.fromDay,
      toDay: asking.toDay,
      status: statusOf(failure),
      httpStatus: failure instanceof ProviderError ? (failure.status ?? null) : null,
      message: failure.message,
      secrets: provider.secrets,
    });
    if (failure instanceof NotFoundError) return notFoundOutcome(failure, requests, true);
    const bars = cache.readBars(p, symbol, from, end);
    return { ...base, ok: false, bars, fromCache: bars.length, fromNetwork: 0, requests, restated, error: failure };
  }

  const zone = fetched.find((f) => f.series.timezone !== undefined)?.series.timezone;
  if (zone !== undefined && zone !== timeZone) {
    timeZone = zone;
    settled = settledDay(now, timeZone);
  }
  cache.withTransaction((store) => {
    for (const { range, series, cleaned } of fetched) {
      store.upsertBars(
        p,
        symbol,
        cleaned.bars.map((b) => ({ ...b, final: b.day <= settled, fetchedAt: now })),
      );
      store.putActions(p, symbol, series.actions);
      store.upsertInstrument(p, symbol, {
        exchangeTimezone: timeZone,
        seenAt: now,
        notFoundUntil: null,
        ...(series.currency === undefined ? {} : { currency: series.currency }),
        ...(series.name === undefined ? {} : { name: series.name }),
        ...(series.exchange === undefined ? {} : { exchange: series.exchange }),
      });
      const coveredTo = Math.min(range.toDay, settled);
      if (range.fromDay <= coveredTo) store.addCoverage(p, symbol, range.fromDay, coveredTo);
      options.insideTransaction?.(symbol);
      store.logFetch({
        time: now,
        provider: p,
        symbol,
        fromDay: range.fromDay,
        toDay: range.toDay,
        status: cleaned.bars.length > 0 ? 'ok' : 'empty',
        httpStatus: 200,
        rows: cleaned.bars.length,
        secrets: provider.secrets,
      });
    }
  });
  const report = mergeReports(fetched.map((f) => f.cleaned.report));
  for (const line of describeCleaning(report)) warnings.push(`${symbol}: ${line}`);
  const bars = cache.readBars(p, symbol, from, end);
  const fetchedDays = new Set(fetched.flatMap((f) => f.cleaned.bars.map((b) => b.day)));
  const fromNetwork = bars.filter((b) => fetchedDays.has(b.day)).length;
  return {
    ...base,
    ok: true,
    bars,
    fromCache: bars.length - fromNetwork,
    fromNetwork,
    requests,
    restated,
    cleaning: report,
  };

  /** Remembers the not-found answer; serves cached history (a delisting) or fails. */
  function notFoundOutcome(error: NotFoundError, sent: number, remember: boolean): SymbolOutcome {
    if (remember) {
      cache.upsertInstrument(p, symbol, { notFoundUntil: now + (options.notFoundTtlMs ?? 24 * HOUR) });
    }
    const bars = cache.readBars(p, symbol, from, end);
    if (bars.length > 0) {
      warnings.push(
        `${symbol}: ${p} no longer knows the symbol (delisted?); using the ${bars.length} cached bar(s), ` +
          `last ${isoDate((bars[bars.length - 1] as CachedBar).day)}`,
      );
      return { ...base, ok: true, bars, fromCache: bars.length, fromNetwork: 0, requests: sent, notFound: true };
    }
    return { ...base, ok: false, bars, fromCache: 0, fromNetwork: 0, requests: sent, notFound: true, error };
  }
}

/** True when the failure is one the user must fix (a missing or wrong key), not a passing provider problem. */
export function isConfigurationFailure(error: PfoptError | undefined): boolean {
  return error instanceof AuthError;
}

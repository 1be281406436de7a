/**
 * Cleaning of provider bars before they are cached: null rows dropped, duplicate days reduced to the last row, a
 * stale repeated last row dropped, isolated spikes (a 100x unit slip for one day) dropped and lasting jumps flagged.
 * Everything done is reported, never silent.
 */

import { isoDate } from '../../core/dates.js';
import type { RawBar } from './types.js';

/** A cleaned bar: a positive close is guaranteed. */
export interface CleanBar {
  readonly day: number;
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  readonly close: number;
  readonly adjClose: number | null;
  readonly volume: number | null;
}

/** A price move between consecutive bars by a factor of at least the threshold. */
export interface PriceJump {
  /** Day of the bar after the move. */
  readonly day: number;
  /** close(day) / close(previous bar). */
  readonly ratio: number;
  /** `dropped`: an isolated spike that reverted on the next bar; `flagged`: a lasting level change, kept. */
  readonly action: 'dropped' | 'flagged';
}

/** What cleaning did to one series. */
export interface CleaningReport {
  /** Days of rows without a usable close (null, zero, negative or not a number), dropped. */
  readonly nullRows: number[];
  /** Days that appeared more than once; the last row of each was kept. */
  readonly duplicateDays: number[];
  /** Day of a last row that repeated the previous row's close and volume on a later day, dropped. */
  readonly staleLastRow: number | null;
  readonly jumps: PriceJump[];
}

/** Options of {@link cleanBars}. */
export interface CleanOptions {
  /** Factor beyond which a move between consecutive bars is suspicious (default 20: a 100x slip is caught). */
  readonly jumpFactor?: number;
  /** `rate`: any finite value is usable (rates can be zero or negative) and moves are not checked. */
  readonly valueKind?: 'price' | 'rate';
}

/** True when the report records no change. */
export function isCleanReportEmpty(report: CleaningReport): boolean {
  return (
    report.nullRows.length === 0 &&
    report.duplicateDays.length === 0 &&
    report.staleLastRow === null &&
    report.jumps.length === 0
  );
}

/** One line per kind of change, for warnings and the fetch summary. */
export function describeCleaning(report: CleaningReport): string[] {
  const days = (list: readonly number[]): string =>
    list.length <= 3
      ? list.map(isoDate).join(', ')
      : `${list.slice(0, 3).map(isoDate).join(', ')} and ${list.length - 3} more`;
  const out: string[] = [];
  if (report.nullRows.length > 0)
    out.push(`dropped ${report.nullRows.length} row(s) without a close (${days(report.nullRows)})`);
  if (report.duplicateDays.length > 0) {
    out.push(`kept the last of repeated rows on ${report.duplicateDays.length} day(s) (${days(report.duplicateDays)})`);
  }
  if (report.staleLastRow !== null) out.push(`dropped a stale repeated last row on ${isoDate(report.staleLastRow)}`);
  for (const jump of report.jumps) {
    const factor = jump.ratio >= 1 ? `x${round(jump.ratio)}` : `/${round(1 / jump.ratio)}`;
    out.push(
      jump.action === 'dropped'
        ? `dropped an isolated spike on ${isoDate(jump.day)} (close ${factor} then back): a unit error`
        : `price jump ${factor} on ${isoDate(jump.day)} kept but suspicious (unit change or unadjusted split?)`,
    );
  }
  return out;
}

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}

function isPositivePrice(x: number | null): x is number {
  return x !== null && Number.isFinite(x) && x > 0;
}

function isFiniteValue(x: number | null): x is number {
  return x !== null && Number.isFinite(x);
}

function finiteOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

/** Cleans `bars` (any order) into bars sorted by day, one per day, each with a positive close, and a report. */
export function cleanBars(
  bars: readonly RawBar[],
  options: CleanOptions = {},
): { bars: CleanBar[]; report: CleaningReport } {
  const factor = options.valueKind === 'rate' ? Number.POSITIVE_INFINITY : (options.jumpFactor ?? 20);
  const usable = options.valueKind === 'rate' ? isFiniteValue : isPositivePrice;
  const nullRows: number[] = [];
  const byDay = new Map<number, CleanBar>();
  const seen = new Set<number>();
  const duplicateDays = new Set<number>();
  // Stable sort keeps the provider's order within a day, so "last" means last as delivered.
  const sorted = [...bars].sort((a, b) => a.day - b.day);
  for (const bar of sorted) {
    if (seen.has(bar.day)) duplicateDays.add(bar.day);
    seen.add(bar.day);
    if (!usable(bar.close)) {
      if (!byDay.has(bar.day)) nullRows.push(bar.day);
      continue;
    }
    byDay.set(bar.day, {
      day: bar.day,
      open: finiteOrNull(bar.open),
      high: finiteOrNull(bar.high),
      low: finiteOrNull(bar.low),
      close: bar.close,
      adjClose: isPositivePrice(bar.adjClose) ? bar.adjClose : null,
      volume: finiteOrNull(bar.volume),
    });
  }
  // A null row for a day that also has a good row is a duplicate, not a loss.
  const lost = nullRows.filter((d) => !byDay.has(d));
  let out = [...byDay.values()].sort((a, b) => a.day - b.day);

  let staleLastRow: number | null = null;
  const last = out[out.length - 1];
  const before = out[out.length - 2];
  if (
    last !== undefined &&
    before !== undefined &&
    last.close === before.close &&
    last.volume !== null &&
    last.volume > 0 &&
    last.volume === before.volume &&
    last.open === before.open
  ) {
    staleLastRow = last.day;
    out = out.slice(0, -1);
  }

  const jumps: PriceJump[] = [];
  const kept: CleanBar[] = [];
  for (let i = 0; i < out.length; i++) {
    const bar = out[i] as CleanBar;
    const prev = kept[kept.length - 1];
    if (prev !== undefined) {
      const ratio = bar.close / prev.close;
      if (Number.isFinite(factor) && (ratio >= factor || ratio <= 1 / factor)) {
        const next = out[i + 1];
        const back = next === undefined ? undefined : next.close / bar.close;
        const reverts = back !== undefined && Math.abs(Math.log(back * ratio)) < Math.log(factor) / 4;
        jumps.push({ day: bar.day, ratio, action: reverts ? 'dropped' : 'flagged' });
        if (reverts) continue;
      }
    }
    kept.push(bar);
  }
  return {
    bars: kept,
    report: { nullRows: lost, duplicateDays: [...duplicateDays], staleLastRow, jumps },
  };
}

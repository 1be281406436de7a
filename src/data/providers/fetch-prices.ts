/**
 * Several symbols through the cache at once: each one synchronised by `syncSymbol` (a failure of one never stops
 * the others), with a progress callback, and the results as a dated matrix of one field.
 */

import { DatedMatrix } from '../../core/dated-matrix.js';
import type { CachedBar } from '../cache/index.js';
import { type SymbolOutcome, type SyncOptions, syncSymbol } from './sync.js';

/** Options of {@link fetchPrices}: those of `syncSymbol`, plus how many symbols run at once and a progress callback. */
export interface FetchPricesOptions extends SyncOptions {
  /** Symbols synchronised at once (default 4; the provider's own limiter paces the requests). */
  readonly concurrency?: number;
  /** Called after each symbol with the number done, the total and the symbol's outcome. */
  readonly onProgress?: (done: number, total: number, outcome: SymbolOutcome) => void;
}

/** What {@link fetchPrices} returns. */
export interface FetchPricesResult {
  /** One outcome per requested symbol, in the requested order. */
  readonly outcomes: readonly SymbolOutcome[];
  /** The outcomes that failed. */
  readonly failures: readonly SymbolOutcome[];
  readonly fromCache: number;
  readonly fromNetwork: number;
  readonly requests: number;
}

/**
 * Fetches daily bars of every symbol for the range through the cache. Symbols are deduplicated (first occurrence
 * kept); each one's bars are written in its own transaction as soon as they arrive, so what succeeded is saved
 * whatever happens to the others.
 */
export async function fetchPrices(symbols: readonly string[], options: FetchPricesOptions): Promise<FetchPricesResult> {
  const unique = [...new Set(symbols)];
  const outcomes: SymbolOutcome[] = new Array(unique.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const i = next++;
      const outcome = await syncSymbol(unique[i] as string, options);
      outcomes[i] = outcome;
      done++;
      options.onProgress?.(done, unique.length, outcome);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, unique.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return {
    outcomes,
    failures: outcomes.filter((o) => !o.ok),
    fromCache: outcomes.reduce((s, o) => s + (o.ok ? o.fromCache : 0), 0),
    fromNetwork: outcomes.reduce((s, o) => s + (o.ok ? o.fromNetwork : 0), 0),
    requests: outcomes.reduce((s, o) => s + o.requests, 0),
  };
}

/** The field of a bar written to a price table. */
export type BarField = 'close' | 'adjclose' | 'volume';

/** The value of `field` in a bar; the adjusted close falls back to the close when the provider gives none. */
export function barValue(bar: CachedBar, field: BarField): number {
  if (field === 'close') return bar.close;
  if (field === 'volume') return bar.volume ?? Number.NaN;
  return bar.adjClose ?? bar.close;
}

/**
 * The successful outcomes as a dated matrix (dates: every day any of them has a bar; NaN where one has none; never
 * filled), one column per symbol in the requested order.
 */
export function outcomesToMatrix(outcomes: readonly SymbolOutcome[], field: BarField = 'adjclose'): DatedMatrix {
  const ok = outcomes.filter((o) => o.ok);
  const days = [...new Set(ok.flatMap((o) => o.bars.map((b) => b.day)))].sort((a, b) => a - b);
  const row = new Map(days.map((d, i) => [d, i]));
  const values = new Float64Array(days.length * ok.length).fill(Number.NaN);
  ok.forEach((o, j) => {
    for (const bar of o.bars) values[j * days.length + (row.get(bar.day) as number)] = barValue(bar, field);
  });
  return new DatedMatrix(
    Int32Array.from(days),
    ok.map((o) => o.symbol),
    values,
  );
}

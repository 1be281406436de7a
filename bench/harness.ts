/**
 * The benchmark harness: a case is set up outside the timer, warmed up, then timed at least five times; the median
 * is the figure reported. Each case runs in a fresh child process so that its peak memory (maximum resident set
 * size) is its own.
 */

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One benchmark case. `setup` runs outside the timer; `run` is exactly what is timed. */
export interface BenchCase<S = unknown> {
  /** Short unique name, e.g. "csv: load 471 x 1,440 S&P 500 prices". */
  readonly name: string;
  /** What is inside the timer, in words. */
  readonly timed: string;
  /** Reference figure from ../shared/docs/numerics.md or a peer library, when one exists. */
  readonly reference?: string;
  /** Returns the state `run` needs, or `skip(reason)` when the case cannot run here (e.g. missing data). */
  readonly setup: () => S | Skip | Promise<S | Skip>;
  /** The timed work (awaited when it returns a promise); its result is kept alive so it cannot be optimised away. */
  readonly run: (state: S) => unknown;
  /** Timed repetitions (at least 5; default 7) and warm-up runs (default 2). */
  readonly repeats?: number;
  readonly warmup?: number;
}

/** Marks a case as skipped, with the reason shown in the results. */
export class Skip {
  constructor(readonly reason: string) {}
}

/** A Skip with this reason. */
export function skip(reason: string): Skip {
  return new Skip(reason);
}

/** Declares a case with its state type checked. */
export function benchCase<S>(c: BenchCase<S>): BenchCase<unknown> {
  return c as BenchCase<unknown>;
}

/** Result of one case. */
export interface BenchResult {
  readonly file: string;
  readonly name: string;
  readonly timed: string;
  readonly reference?: string;
  readonly skipped?: string;
  readonly medianMs?: number;
  readonly minMs?: number;
  readonly maxMs?: number;
  readonly runs?: number;
  readonly peakRssMb?: number;
}

/** The project's root folder. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Folder of the shared reference data: `PFOPT_REFERENCE_DATA`, else `../shared/data` beside the project.
 * Returns the path of `relative` inside it, or a Skip saying what is missing and how to point at it.
 */
export function referenceFile(relative: string): string | Skip {
  const base = process.env.PFOPT_REFERENCE_DATA ?? join(ROOT, '..', 'shared', 'data');
  const path = join(base, relative);
  return existsSync(path)
    ? path
    : skip(`skipped: ${path} not found (set PFOPT_REFERENCE_DATA to the folder holding ${relative})`);
}

/** Applies `f` to a reference file's path, or passes its Skip on. */
export function withReferenceFile<S>(relative: string, f: (path: string) => S): S | Skip {
  const path = referenceFile(relative);
  return path instanceof Skip ? path : f(path);
}

/** Times a case in this process: warm-up runs, then the timed runs; returns milliseconds per run. */
export async function timeCase(c: BenchCase<unknown>): Promise<{ times: number[] } | { skipped: string }> {
  const state = await c.setup();
  if (state instanceof Skip) return { skipped: state.reason };
  const sink: unknown[] = [];
  for (let i = 0; i < (c.warmup ?? 2); i++) sink.push(await c.run(state));
  const times: number[] = [];
  const repeats = Math.max(5, c.repeats ?? 7);
  for (let i = 0; i < repeats; i++) {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) gc();
    const t0 = performance.now();
    sink.push(await c.run(state));
    times.push(performance.now() - t0);
    sink.length = 0;
  }
  return { times };
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * What a backtest reports besides the simulation: per-period returns of the NAV, every series metric of the risk
 * module, the metrics against a benchmark, and the table of drawdown episodes.
 */

import { isoDate } from '../core/dates.js';
import { type BenchmarkMetrics, benchmarkMetrics } from '../risk/benchmark-metrics.js';
import { drawdownSeries } from '../risk/drawdown.js';
import { type SeriesMetrics, seriesMetrics } from '../risk/metrics.js';

/** One drawdown episode: from a peak of the NAV down to its trough and back. */
export interface DrawdownEpisode {
  /** ISO dates of the peak (last NAV high before the fall), of the trough, and of the recovery (null: not yet). */
  readonly peak: string;
  readonly trough: string;
  readonly recovery: string | null;
  /** Deepest fall `NAV_trough / NAV_peak - 1` (a negative fraction). */
  readonly depth: number;
  /** Periods from the peak to the trough, and from the peak to the recovery (or to the last date when open). */
  readonly periodsToTrough: number;
  readonly periods: number;
}

/** Per-period simple returns of a NAV series: `r_t = NAV_t / NAV_{t-1} - 1`, one fewer than the NAV values. */
export function navReturns(nav: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, nav.length - 1));
  for (let t = 1; t < nav.length; t++) out[t - 1] = (nav[t] as number) / (nav[t - 1] as number) - 1;
  return out;
}

/**
 * The drawdown episodes of a NAV series on `dates` (day numbers), deepest first: each maximal run of dates below the
 * running maximum of the NAV (the first value counts as a peak), with its peak, trough, recovery and depth
 * `min NAV / peak NAV - 1`. `limit` keeps the deepest ones (default all).
 */
export function drawdownTable(
  dates: ArrayLike<number>,
  nav: ArrayLike<number>,
  limit = Number.POSITIVE_INFINITY,
): DrawdownEpisode[] {
  const dd = drawdownSeries(navReturns(nav));
  const out: DrawdownEpisode[] = [];
  const n = dd.length;
  let i = 0;
  while (i < n) {
    if (!((dd[i] as number) < 0)) {
      i++;
      continue;
    }
    // NAV index k = return index + 1; the peak is the NAV just before the run.
    const peak = i;
    let trough = i;
    let j = i;
    while (j < n && (dd[j] as number) < 0) {
      if ((dd[j] as number) < (dd[trough] as number)) trough = j;
      j++;
    }
    const recovered = j < n;
    out.push({
      peak: isoDate(dates[peak] as number),
      trough: isoDate(dates[trough + 1] as number),
      recovery: recovered ? isoDate(dates[j + 1] as number) : null,
      depth: dd[trough] as number,
      periodsToTrough: trough + 1 - peak,
      periods: (recovered ? j + 1 : n) - peak,
    });
    i = j;
  }
  out.sort((a, b) => a.depth - b.depth);
  return out.slice(0, limit);
}

/** Metrics of a NAV series and, when a benchmark's returns on the same dates are given, against the benchmark. */
export function navMetrics(
  returns: Float64Array,
  benchmark: Float64Array | undefined,
  periodsPerYear: number,
  riskFreeRate: number,
): { metrics: SeriesMetrics; relative?: BenchmarkMetrics } {
  const options = { periodsPerYear, riskFreeRate };
  const metrics = seriesMetrics(returns, options);
  return benchmark === undefined ? { metrics } : { metrics, relative: benchmarkMetrics(returns, benchmark, options) };
}

/**
 * Drawdowns of a return series: the underwater curve, the maximum drawdown with its peak, trough and recovery, the
 * drawdown episodes and the Ulcer index. NaN periods are skipped (the wealth carries over them unchanged and they
 * have no drawdown of their own), never treated as zero returns.
 */

/**
 * The drawdown (underwater) series of per-period simple returns, as negative fractions (-0.2 is 20% below the peak):
 * with wealth `W_t = prod_{s <= t} (1 + r_s)` over the non-NaN periods and the starting wealth `W_{-1} = 1` counted as
 * the first peak, `DD_t = W_t / max(1, max_{s <= t} W_s) - 1`. The result has the length of `returns`, NaN where the
 * return is NaN, and is exactly 0 on every period that sets a new high.
 */
export function drawdownSeries(returns: ArrayLike<number>): Float64Array {
  const out = new Float64Array(returns.length);
  let wealth = 1;
  let peak = 1;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i] as number;
    if (Number.isNaN(r)) {
      out[i] = Number.NaN;
      continue;
    }
    wealth *= 1 + r;
    if (wealth >= peak) {
      peak = wealth;
      out[i] = 0;
    } else {
      out[i] = wealth / peak - 1;
    }
  }
  return out;
}

/** Summary of the drawdowns of a return series; indices refer to positions in the input series. */
export interface DrawdownStats {
  /** The deepest drawdown, `min_t DD_t` (a fraction <= 0; 0 when the wealth never fell below a previous high). */
  readonly maxDrawdown: number;
  /**
   * Index of the peak of the deepest drawdown: the last period before its trough whose drawdown was 0, or -1 when the
   * peak is the starting wealth (before the first period). null when there is no drawdown.
   */
  readonly peakIndex: number | null;
  /** Index of the trough (first period where the deepest drawdown is reached); null when there is no drawdown. */
  readonly troughIndex: number | null;
  /** Index of the first period after the trough back at the peak (drawdown 0); null when not recovered. */
  readonly recoveryIndex: number | null;
  /** Number of drawdown episodes: maximal runs of consecutive non-NaN periods with DD_t < 0. */
  readonly episodes: number;
  /** Mean over the episodes of each episode's deepest drawdown (a fraction <= 0; 0 when there is none). */
  readonly averageDrawdown: number;
  /** Length in periods of the longest episode (periods under water); 0 when there is none. */
  readonly longestDrawdownPeriods: number;
  /** Index of the first period under water of the longest episode (the first such episode on ties); null if none. */
  readonly longestDrawdownStartIndex: number | null;
  /** Index of the period that ends the longest episode (back at the peak); null when it has not ended or none. */
  readonly longestDrawdownEndIndex: number | null;
  /** Ulcer index `sqrt(sum_t DD_t^2 / n)` over the n non-NaN periods (Martin 1987), DD_t as fractions. NaN for n = 0. */
  readonly ulcerIndex: number;
}

/**
 * Drawdown statistics of per-period simple returns (see `drawdownSeries` for DD_t and `DrawdownStats` for each
 * field). Episodes, durations and the Ulcer index count non-NaN periods only.
 */
export function drawdownStats(returns: ArrayLike<number>): DrawdownStats {
  const dd = drawdownSeries(returns);
  let n = 0;
  let squares = 0;
  let maxDrawdown = 0;
  let trough = -1;
  let lastZero = -1; // last non-NaN period with DD = 0 (the running peak), -1 = the start
  let peakOfTrough = -1;
  let episodes = 0;
  let depthSum = 0;
  let episodeStart = -1;
  let episodeLength = 0;
  let episodeDepth = 0;
  let longest = 0;
  let longestStart = -1;
  let longestEnd: number | null = null;
  let longestOpen = false;
  let recovery: number | null = null;
  let awaitingRecovery = false;
  for (let i = 0; i < dd.length; i++) {
    const d = dd[i] as number;
    if (Number.isNaN(d)) continue;
    n++;
    squares += d * d;
    if (d < 0) {
      if (episodeLength === 0) {
        episodeStart = i;
        episodeDepth = 0;
      }
      episodeLength++;
      if (d < episodeDepth) episodeDepth = d;
      if (d < maxDrawdown) {
        maxDrawdown = d;
        trough = i;
        peakOfTrough = lastZero;
        recovery = null;
        awaitingRecovery = true;
      }
      if (episodeLength > longest) {
        longest = episodeLength;
        longestStart = episodeStart;
        longestOpen = true;
        longestEnd = null;
      }
    } else {
      if (episodeLength > 0) {
        episodes++;
        depthSum += episodeDepth;
        if (longestOpen) longestEnd = i;
        episodeLength = 0;
      }
      if (awaitingRecovery) {
        recovery = i;
        awaitingRecovery = false;
      }
      longestOpen = false;
      lastZero = i;
    }
  }
  if (episodeLength > 0) {
    episodes++;
    depthSum += episodeDepth;
  }
  const none = trough === -1;
  return {
    maxDrawdown,
    peakIndex: none ? null : peakOfTrough,
    troughIndex: none ? null : trough,
    recoveryIndex: none ? null : recovery,
    episodes,
    averageDrawdown: episodes === 0 ? 0 : depthSum / episodes,
    longestDrawdownPeriods: longest,
    longestDrawdownStartIndex: longest === 0 ? null : longestStart,
    longestDrawdownEndIndex: longest === 0 ? null : longestEnd,
    ulcerIndex: n === 0 ? Number.NaN : Math.sqrt(squares / n),
  };
}

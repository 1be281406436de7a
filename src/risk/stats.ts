/**
 * Small numerical building blocks of the risk module: the valid (non-NaN) values of a series, compensated sums, sample
 * moments with an exact zero for constant data, the empirical quantile and selection of order statistics.
 */

/** The non-NaN values of `x`, in order (a new array). */
export function validValues(x: ArrayLike<number>): Float64Array {
  let count = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i] as number)) count++;
  const out = new Float64Array(count);
  for (let i = 0, k = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out;
}

/** Indices of the non-NaN values of `x`, ascending. */
export function validIndices(x: ArrayLike<number>): Int32Array {
  let count = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i] as number)) count++;
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < x.length; i++) if (!Number.isNaN(x[i] as number)) out[k++] = i;
  return out;
}

/**
 * The sum of `x` by Neumaier's compensated summation (an improved Kahan sum): the rounding error of each addition is
 * carried along and added at the end, so the result is accurate to about one rounding whatever the order of the terms.
 */
export function sum(x: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/** Arithmetic mean `sum(x) / n` (compensated sum); NaN for an empty array. */
export function mean(x: ArrayLike<number>): number {
  return x.length === 0 ? Number.NaN : sum(x) / x.length;
}

/** True when every value of a non-empty array is the same number. */
export function isConstant(x: ArrayLike<number>): boolean {
  const first = x[0] as number;
  for (let i = 1; i < x.length; i++) if (x[i] !== first) return false;
  return x.length > 0;
}

/**
 * Central moments of `x` about its mean m: `{ mean: m, m2, m3, m4 }` with `mk = sum((x - m)^k) / n` (population
 * moments). A constant array has m2 = m3 = m4 = 0 exactly (not the rounding noise of x - m). NaN for an empty array.
 */
export function centralMoments(x: ArrayLike<number>): { mean: number; m2: number; m3: number; m4: number } {
  const n = x.length;
  const m = mean(x);
  if (n === 0) return { mean: Number.NaN, m2: Number.NaN, m3: Number.NaN, m4: Number.NaN };
  if (isConstant(x)) return { mean: x[0] as number, m2: 0, m3: 0, m4: 0 };
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - m;
    const d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  return { mean: m, m2: s2 / n, m3: s3 / n, m4: s4 / n };
}

/**
 * Sample variance with ddof 1: `sum((x - mean)^2) / (n - 1)`; exactly 0 for constant data, NaN for fewer than 2 values.
 */
export function sampleVariance(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  return (centralMoments(x).m2 * n) / (n - 1);
}

/** Sample standard deviation with ddof 1 (the square root of `sampleVariance`). */
export function sampleStd(x: ArrayLike<number>): number {
  return Math.sqrt(sampleVariance(x));
}

/**
 * Bias-corrected sample skewness (the adjusted Fisher-Pearson coefficient G1 of pandas `Series.skew()`):
 * `G1 = sqrt(n (n - 1)) / (n - 2) * m3 / m2^(3/2)`, with m2, m3 the population central moments. NaN for fewer than
 * 3 values or zero variance.
 */
export function skewnessOf(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 3) return Number.NaN;
  const { m2, m3 } = centralMoments(x);
  if (m2 === 0) return Number.NaN;
  return ((Math.sqrt(n * (n - 1)) / (n - 2)) * m3) / m2 ** 1.5;
}

/**
 * Bias-corrected sample excess kurtosis (G2 of pandas `Series.kurt()`, 0 for a normal distribution):
 * `G2 = (n - 1) / ((n - 2) (n - 3)) * ((n + 1) g2 + 6)` with `g2 = m4 / m2^2 - 3`. NaN for fewer than 4 values or zero
 * variance.
 */
export function excessKurtosisOf(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 4) return Number.NaN;
  const { m2, m4 } = centralMoments(x);
  if (m2 === 0) return Number.NaN;
  const g2 = m4 / (m2 * m2) - 3;
  return ((n - 1) / ((n - 2) * (n - 3))) * ((n + 1) * g2 + 6);
}

/**
 * Rearranges `a[lo..hi]` (inclusive) so that `a[k]` holds the value it would have if the range were sorted ascending,
 * smaller-or-equal values before it and larger-or-equal after (Hoare's quickselect with a median-of-three pivot).
 * Expected time linear in the range length. `a` must hold no NaN.
 */
export function selectInPlace(a: Float64Array, k: number, lo = 0, hi = a.length - 1): void {
  let left = lo;
  let right = hi;
  while (right > left) {
    if (right - left < 16) {
      for (let i = left + 1; i <= right; i++) {
        const v = a[i] as number;
        let j = i - 1;
        while (j >= left && (a[j] as number) > v) {
          a[j + 1] = a[j] as number;
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    const mid = (left + right) >>> 1;
    // Median of three to a[mid], then use it as pivot.
    if ((a[mid] as number) < (a[left] as number)) swap(a, mid, left);
    if ((a[right] as number) < (a[left] as number)) swap(a, right, left);
    if ((a[right] as number) < (a[mid] as number)) swap(a, right, mid);
    const pivot = a[mid] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}

/** The k-th and (k+1)-th smallest values of `values` (0-based; the second equals the first when k is the last). */
export function orderStatisticPair(values: ArrayLike<number>, k: number): [number, number] {
  const n = values.length;
  const a = values instanceof Float64Array ? values.slice() : Float64Array.from(values);
  selectInPlace(a, k);
  const lowValue = a[k] as number;
  let next = lowValue;
  if (k + 1 < n) {
    next = a[k + 1] as number;
    for (let i = k + 2; i < n; i++) if ((a[i] as number) < next) next = a[i] as number;
  }
  return [lowValue, next];
}

/** The empirical alpha-quantile of a sample and the mean of the values at or below it. */
export interface EmpiricalTail {
  /** `Q = x(k) + f (x(k+1) - x(k))`, `k + f = (n - 1) alpha` (see `quantile`). */
  readonly quantile: number;
  /** Mean of the values at or below Q (compensated sum). */
  readonly tailMean: number;
  /** Number of values at or below Q. */
  readonly tailCount: number;
}

/** Sample size of the bracketing pass of `empiricalTail`. */
const TAIL_SAMPLE = 4096;

/**
 * The empirical quantile at probability `alpha` (linear interpolation, as `quantile`) and the mean of the values at or
 * below it, for a sample without NaN. For a large sample the two order statistics are bracketed first from an evenly
 * strided subsample (Floyd & Rivest's idea): one pass counts and sums the values below the bracket and collects those
 * inside it, and the selection runs on the few collected; when the bracket misses (possible only for unusual
 * orderings) the whole sample is selected instead. The result is the same either way. NaN fields for no values.
 */
export function empiricalTail(values: Float64Array, alpha: number): EmpiricalTail {
  const n = values.length;
  if (n === 0) return { quantile: Number.NaN, tailMean: Number.NaN, tailCount: 0 };
  const { k, frac } = quantilePosition(n, alpha);
  const need = frac === 0 || k + 1 >= n ? k : k + 1; // highest rank the quantile uses
  if (n >= 4 * TAIL_SAMPLE) {
    const stride = Math.floor(n / TAIL_SAMPLE);
    const sample = new Float64Array(TAIL_SAMPLE);
    for (let i = 0; i < TAIL_SAMPLE; i++) sample[i] = values[i * stride] as number;
    sample.sort();
    const centre = alpha * (TAIL_SAMPLE - 1);
    const spread = 5 * Math.sqrt(TAIL_SAMPLE * alpha * (1 - alpha)) + 2;
    const a = Math.floor(centre - spread);
    const b = Math.ceil(centre + spread);
    const lo = a < 0 ? Number.NEGATIVE_INFINITY : (sample[a] as number);
    const hi = b >= TAIL_SAMPLE ? Number.POSITIVE_INFINITY : (sample[b] as number);
    let below = 0;
    let s = 0;
    let c = 0;
    const inside: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (v < lo) {
        below++;
        const t = s + v;
        c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
        s = t;
      } else if (v <= hi) inside.push(v);
    }
    if (below <= k && need < below + inside.length) {
      const [x0, x1] = orderStatisticPair(inside, k - below);
      const q = frac === 0 ? x0 : x0 + frac * (x1 - x0);
      let count = below;
      for (const v of inside) {
        if (v <= q) {
          count++;
          const t = s + v;
          c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
          s = t;
        }
      }
      return { quantile: q, tailMean: (s + c) / count, tailCount: count };
    }
  }
  const [x0, x1] = orderStatisticPair(values, k);
  const q = frac === 0 ? x0 : x0 + frac * (x1 - x0);
  let count = 0;
  for (let i = 0; i < n; i++) if ((values[i] as number) <= q) count++;
  const tail = new Float64Array(count);
  for (let i = 0, j = 0; i < n; i++) if ((values[i] as number) <= q) tail[j++] = values[i] as number;
  return { quantile: q, tailMean: sum(tail) / count, tailCount: count };
}

/** Position of the empirical quantile at probability p in n sorted values: `(n - 1) p`, split as floor and fraction. */
export function quantilePosition(n: number, p: number): { k: number; frac: number } {
  const pos = (n - 1) * p;
  const k = Math.min(Math.floor(pos), n - 1);
  return { k, frac: pos - k };
}

/**
 * The empirical quantile of `values` at probability p in [0, 1], linear interpolation between order statistics
 * (Hyndman & Fan type 7, numpy's default `linear`): with x(0) <= ... <= x(n-1) and `h = (n - 1) p`,
 * `Q = x(floor h) + (h - floor h) (x(floor h + 1) - x(floor h))`. NaN for no values.
 */
export function quantile(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const { k, frac } = quantilePosition(n, p);
  const [lo, hi] = orderStatisticPair(values, k);
  return frac === 0 ? lo : lo + frac * (hi - lo);
}

/**
 * Index of the scenario holding the order statistic of rank `rank` (0-based) whose value is `value`, ties broken by
 * index (a stable sort's order): the (rank - #{x < value})-th index, in ascending order, among those with x = value.
 */
export function orderStatisticIndex(x: ArrayLike<number>, value: number, rank: number): number {
  let less = 0;
  for (let i = 0; i < x.length; i++) if ((x[i] as number) < value) less++;
  let skip = rank - less;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === value) {
      if (skip === 0) return i;
      skip--;
    }
  }
  return -1;
}
